/*
 * What every subcommand shares: printing an error record (control characters escaped), the
 * usage line, the --db default.
 * Kept apart from main.c so the unit tests can link the commands without main().
 */
#include <stdio.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/safe_name.h"

void tr_cmd_print_err(const char *cmd, const struct tr_err *e)
{
    /* messages carry file names, and a name may hold a newline or an escape sequence */
    char msg[TR_SAFE_ESC_SIZE(TR_ERR_MSG)], file[TR_SAFE_ESC_SIZE(sizeof(e->file))];
    tr_safe_escape(msg, sizeof(msg), e->msg);
    tr_safe_escape(file, sizeof(file), e->file);
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "tradereport %s: %s:%ld: %s\n", cmd, file, e->line, msg);
    else if (e->file[0])
        fprintf(stderr, "tradereport %s: %s: %s\n", cmd, file, msg);
    else
        fprintf(stderr, "tradereport %s: %s\n", cmd, msg);
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

int tr_cmd_open_db(const struct tr_cmd *cmd, const char *given, struct tr_db *d)
{
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_db_open(d, tr_cmd_db_path(given), cmd->db, &e);
    if (rc)
        tr_cmd_print_err(cmd->name, &e);
    return rc;
}
