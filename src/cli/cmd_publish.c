/*
 * tradereport publish: copies the store to a PostgreSQL schema (src/publish/). Arguments and
 * the one-line outcome only; the connection string is never printed (it may hold a password).
 */
#include <getopt.h>
#include <stdio.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/publish.h"

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"schema", required_argument, NULL, 's'},
                                         {"grant-read", required_argument, NULL, 'g'},
                                         {0, 0, 0, 0}};
    const char *db_path = NULL;
    struct tr_publish_opts o = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 't': o.target = optarg; break;
        case 's': o.schema = optarg; break;
        case 'g': o.grant_read = optarg; break;
        default: return tr_cmd_usage(&tr_cmd_publish);
        }
    }
    if (optind != argc || !o.target || !o.target[0])
        return tr_cmd_usage(&tr_cmd_publish);
    struct tr_db d;
    struct tr_err e;
    struct tr_publish_result r;
    tr_err_init(&e);
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_WRITE, &e);
    if (!rc) {
        rc = tr_publish_run(d.db, &o, &r, &e);
        tr_db_close(&d);
    }
    if (rc) {
        tr_cmd_print_err("publish", &e);
        return rc;
    }
    if (r.up_to_date)
        fprintf(stderr, "tradereport publish: %s is up to date\n", r.target);
    else
        fprintf(stderr, "tradereport publish: %s: %d tables (%lld rows), %ld loads sent "
                        "(%lld fact rows), %ld removed, %d views\n", r.target, r.tables,
                r.table_rows, r.loads_sent, r.rows_sent, r.loads_dropped, r.views);
    return TR_OK;
}

const struct tr_cmd tr_cmd_publish = {
    .name = "publish",
    .usage = "[--db FILE] --to URL [--schema NAME] [--grant-read ROLE]",
    .summary = "copy the store to a PostgreSQL schema, sending only what changed",
    .help = "Copies the store to schema NAME (default tradereport) of the PostgreSQL server\n"
            "URL (a libpq connection string or postgresql:// URL; passwords from PGPASSWORD,\n"
            "~/.pgpass or a service file, never printed): every table, the facts as\n"
            "fact_trade partitioned by year with readable key columns, and the same views as\n"
            "SQLite's. One server transaction: readers see the old state or the new one.\n"
            "Later runs send only the loads that changed (new, replaced, unloaded); a run\n"
            "with nothing new writes nothing. --grant-read ROLE lets ROLE read the schema\n"
            "(kept for later publishes). See doc/postgresql.md.\n"
            "Exit 2 for a bad URL, 4 when another publish to the schema runs, 5 when the\n"
            "server cannot be reached, refuses the login, is older than 13 or the schema\n"
            "belongs to another role.\n",
    .run = run,
};
