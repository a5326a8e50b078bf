/*
 * The subcommands: one cmd_<name>.c each, listed in main.c's command table.
 * A command returns its exit code (enum tr_code) and prints its own diagnostics to stderr;
 * data goes to stdout.
 */
#ifndef TR_CMD_H
#define TR_CMD_H

#include <stdio.h>

#include "tr/db.h"
#include "tr/err.h"

struct tr_cmd {
    const char *name;
    const char *usage;   /* options, after "tradereport NAME " */
    const char *summary; /* one line */
    const char *help;    /* the full text for `tradereport help NAME` */
    int (*run)(int argc, char **argv);
    /* how the command opens its database, declared here rather than in each command (as
     * git's RUN_SETUP): TR_DB_READ reads an existing one, TR_DB_WRITE creates or upgrades it
     * and takes the writer lock */
    enum tr_db_mode db;
};

extern const struct tr_cmd tr_cmd_init, tr_cmd_import, tr_cmd_query, tr_cmd_loads, tr_cmd_report,
    tr_cmd_check, tr_cmd_claims, tr_cmd_nightly, tr_cmd_unload, tr_cmd_schema, tr_cmd_reference,
    tr_cmd_publish;

/* Prints "tradereport NAME: message" for an error record (with FILE:LINE when known). */
void tr_cmd_print_err(const char *cmd, const struct tr_err *e);
/* Prints the usage line of cmd to stderr and returns TR_EUSAGE. */
int tr_cmd_usage(const struct tr_cmd *cmd);
/* Every table and view with its kind and purpose (sql/schema_doc.tsv), for `help views`. */
int tr_schema_print_list(FILE *out);
/* Handles a --db value or the default, for commands that take --db. */
const char *tr_cmd_db_path(const char *given);
/* Opens the database at the --db value given (NULL: the default) the way cmd declares; on
 * failure prints "tradereport NAME: message" and returns the exit code. */
int tr_cmd_open_db(const struct tr_cmd *cmd, const char *given, struct tr_db *d);

#endif
