/*
 * The subcommands: one cmd_<name>.c each, listed in main.c's command table.
 * A command returns its exit code (enum tr_code) and prints its own diagnostics to stderr;
 * data goes to stdout.
 */
#ifndef TR_CMD_H
#define TR_CMD_H

#include "tr/err.h"

struct tr_cmd {
    const char *name;
    const char *usage;     /* options, after "tradereport NAME " */
    const char *summary;   /* one line */
    const char *help;      /* the full text for `tradereport help NAME` */
    int (*run)(int argc, char **argv);
};

extern const struct tr_cmd tr_cmd_init, tr_cmd_import, tr_cmd_query, tr_cmd_loads,
    tr_cmd_report, tr_cmd_check, tr_cmd_claims, tr_cmd_nightly, tr_cmd_unload,
    tr_cmd_publish;

/* Prints "tradereport NAME: message" for an error record (with FILE:LINE when known). */
void tr_cmd_print_err(const char *cmd, const struct tr_err *e);
/* Prints the usage line of cmd to stderr and returns TR_EUSAGE. */
int tr_cmd_usage(const struct tr_cmd *cmd);
/* Handles a --db value or the default, for commands that take --db. */
const char *tr_cmd_db_path(const char *given);

#endif
