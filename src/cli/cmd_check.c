/*
 * tradereport check: SQLite's integrity check plus the project's invariants (the files under sql/checks:
 * one query per file returning the rows that break it). Exit 0 when all hold, 1 otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sql_embed.h"
#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/snapshot.h"

static int run_check(sqlite3 *db, const char *name, const char *sql, int *bad)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), n = 0;
    if (rc != SQLITE_OK) {
        fprintf(stderr, "tradereport check: %s: %s\n", name, sqlite3_errmsg(db));
        return TR_EIO;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(name, "integrity_check") == 0 && v && strcmp(v, "ok") == 0)
            continue;
        printf("FAIL %s: %s\n", name, v ? v : "(null)");
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "tradereport check: %s: %s\n", name, sqlite3_errmsg(db));
        return TR_EIO;
    }
    if (!n)
        printf("ok   %s\n", name);
    *bad += n;
    return TR_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db_path = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_path = optarg;
        else
            return tr_cmd_usage(&tr_cmd_check);
    }
    if (optind != argc)
        return tr_cmd_usage(&tr_cmd_check);
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_check, db_path, &d);
    if (rc)
        return rc;
    int bad = 0;
    /* every invariant on one state: an import committed between two checks would make the
     * summaries disagree with the facts for a moment that never existed */
    struct tr_snapshot snap;
    if ((rc = tr_snapshot_begin(&snap, d.db, &e)))
        tr_cmd_print_err("check", &e);
    else
        rc = run_check(d.db, "integrity_check", "PRAGMA integrity_check", &bad);
    for (size_t i = 0; i < tr_sql_n_checks && !rc; i++)
        rc = run_check(d.db, tr_sql_checks[i].name, tr_sql_checks[i].text, &bad);
    tr_snapshot_end(&snap);
    tr_db_close(&d);
    return rc ? rc : bad ? TR_EFAIL : TR_OK;
}

const struct tr_cmd tr_cmd_check = {
    .name = "check",
    .usage = "[--db FILE]",
    .summary = "check database integrity and the invariants of the data",
    .help = "Runs PRAGMA integrity_check and every invariant in sql/checks (row accounting per\n"
            "load, no facts from failed loads, summary tables equal to the facts). Prints one\n"
            "line per check; exits 1 if any fails.\n",
    .run = run,
    .db = TR_DB_READ,
};
