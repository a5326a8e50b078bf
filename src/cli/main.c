/*
 * tradereport: import trade statistics into SQLite, compute views, write briefings.
 * This file only dispatches: the command table, --help, --version, `help COMMAND`,
 * and the exit codes every command shares.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/writers.h"

static const struct tr_cmd *const commands[] = {
    &tr_cmd_init,  &tr_cmd_import, &tr_cmd_nightly,   &tr_cmd_report,
    &tr_cmd_query, &tr_cmd_claims, &tr_cmd_loads,     &tr_cmd_unload,
    &tr_cmd_check, &tr_cmd_schema, &tr_cmd_reference, &tr_cmd_publish,
    NULL,
};

static const char EXIT_CODES[] =
    "Exit codes:\n"
    "  0  ok\n"
    "  1  failure (no data for the request, a check failed)\n"
    "  2  usage error\n"
    "  3  input rejected, nothing committed (see 'tradereport loads')\n"
    "  4  busy: another writer holds the database lock\n"
    "  5  i/o or database error\n"
    "  6  out of memory or internal error\n";

static void print_usage(FILE *out)
{
    fprintf(out, "usage: tradereport COMMAND [OPTIONS]\n\nCommands:\n");
    for (size_t i = 0; commands[i]; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "  %-9s %s\n", "help", "help [COMMAND|views]: a command's help, or the views");
    fprintf(out, "\nThe database is --db FILE, else $TRADEREPORT_DB, else trade.db.\n\n%s",
            EXIT_CODES);
}

static const struct tr_cmd *find(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int help(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return TR_OK;
    }
    if (strcmp(argv[1], "views") == 0) /* the tables and views, without a database */
        return tr_schema_print_list(stdout);
    const struct tr_cmd *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "tradereport help: unknown command '%s'\n", argv[1]);
        print_usage(stderr);
        return TR_EUSAGE;
    }
    printf("usage: tradereport %s %s\n\n%s\n%s", c->name, c->usage, c->help, EXIT_CODES);
    return TR_OK;
}

/* Data goes to standard output: a full disk must not end in exit 0 with the data cut short
 * (the stdio buffer is written only here, so check it here, as git and coreutils do). */
static int close_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "tradereport: cannot write standard output: %s\n",
                errno ? strerror(errno) : "write error");
        return rc ? rc : TR_EIO;
    }
    return rc;
}

int main(int argc, char **argv)
{
    int rc;
    if (argc < 2) {
        print_usage(stderr);
        return TR_EUSAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return close_stdout(TR_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("tradereport %s (SQLite %s)\n", TR_VERSION, sqlite3_libversion());
        return close_stdout(TR_OK);
    }
    if (strcmp(argv[1], "help") == 0)
        return close_stdout(help(argc - 1, argv + 1));
    const struct tr_cmd *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "tradereport: unknown command '%s'\n", argv[1]);
        print_usage(stderr);
        return TR_EUSAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            char *hargv[] = {"help", argv[1], NULL};
            return close_stdout(help(2, hargv));
        }
    }
    /* no allocation statistics: a lock per malloc that nothing reads */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    rc = c->run(argc - 1, argv + 1);
    /* leave nothing for leak checkers (valgrind, LeakSanitizer): SQLite's and Cairo's
     * process-long caches (font faces, scaled fonts) are released here */
    sqlite3_shutdown();
    tr_writers_release();
    return close_stdout(rc);
}
