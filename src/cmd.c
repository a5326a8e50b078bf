/*
 * What every subcommand shares: printing an error record, the usage line, the --db default.
 * Kept apart from main.c so the unit tests can link the commands without main().
 */
#include <stdio.h>

#include "tr/cmd.h"
#include "tr/db.h"

void tr_cmd_print_err(const char *cmd, const struct tr_err *e)
{
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "tradereport %s: %s:%ld: %s\n", cmd, e->file, e->line, e->msg);
    else if (e->file[0])
        fprintf(stderr, "tradereport %s: %s: %s\n", cmd, e->file, e->msg);
    else
        fprintf(stderr, "tradereport %s: %s\n", cmd, e->msg);
}

int tr_cmd_usage(const struct tr_cmd *cmd)
{
    fprintf(stderr, "usage: tradereport %s %s\n(see 'tradereport help %s')\n", cmd->name,
            cmd->usage, cmd->name);
    return TR_EUSAGE;
}

const char *tr_cmd_db_path(const char *given)
{
    return given ? given : tr_db_default_path();
}
