/*
 * tradereport publish: copies the store to a PostgreSQL schema (src/publish/). Arguments and
 * the one-line outcome only; the connection string is never printed (it may hold a password).
 */
#include <getopt.h>
#include <stdio.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/pgcitus.h"
#include "tr/publish.h"

/* --citus: the Citus layout as SQL on stdout, read from the store's list of tables */
static int print_citus(const char *db_path, const char *schema)
{
    struct tr_db d;
    struct tr_err e;
    char *ddl = NULL;
    tr_err_init(&e);
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_READ, &e);
    if (!rc) {
        rc = tr_pgcitus_ddl(d.db, schema, &ddl, &e);
        tr_db_close(&d);
    }
    if (!rc && (fputs(ddl, stdout) == EOF || fflush(stdout) == EOF))
        rc = tr_err_set(&e, TR_EIO, "stdout: write failed");
    sqlite3_free(ddl);
    if (rc)
        tr_cmd_print_err("publish", &e);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"schema", required_argument, NULL, 's'},
                                         {"grant-read", required_argument, NULL, 'g'},
                                         {"citus", no_argument, NULL, 'c'},
                                         {"shard", required_argument, NULL, 'S'},
                                         {0, 0, 0, 0}};
    const char *db_path = NULL;
    struct tr_publish_opts o = {0};
    struct tr_err pe;
    int c, citus = 0;
    tr_err_init(&pe);
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 't': o.target = optarg; break;
        case 's': o.schema = optarg; break;
        case 'g': o.grant_read = optarg; break;
        case 'c': citus = 1; break;
        case 'S':
            if (o.n_shards == TR_PUBLISH_MAX_SHARDS) {
                tr_err_set(&pe, TR_EUSAGE, "--shard: at most %d", TR_PUBLISH_MAX_SHARDS);
                tr_cmd_print_err("publish", &pe);
                return TR_EUSAGE;
            }
            if (tr_publish_shard_parse(optarg, &o.shards[o.n_shards++], &pe)) {
                tr_cmd_print_err("publish", &pe);
                return TR_EUSAGE;
            }
            break;
        default: return tr_cmd_usage(&tr_cmd_publish);
        }
    }
    if (optind != argc || (citus ? o.target != NULL || o.grant_read != NULL || o.n_shards
                                 : !o.target || !o.target[0]))
        return tr_cmd_usage(&tr_cmd_publish);
    if (citus)
        return print_citus(db_path, o.schema);
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
        fprintf(stderr,
                "tradereport publish: %s: %d tables (%lld rows), %ld loads sent "
                "(%lld fact rows), %ld removed, %d views",
                r.target, r.tables, r.table_rows, r.loads_sent, r.rows_sent, r.loads_dropped,
                r.views);
    if (!r.up_to_date && o.n_shards)
        fprintf(stderr, "; %d shard years sent (%lld fact rows)", r.shard_years_sent,
                r.shard_rows_sent);
    if (!r.up_to_date)
        fputc('\n', stderr);
    return TR_OK;
}

const struct tr_cmd tr_cmd_publish = {
    .name = "publish",
    .usage = "[--db FILE] --to URL [--schema NAME] [--grant-read ROLE] [--shard YEARS=URL]... "
             "| [--db FILE] --citus [--schema NAME]",
    .summary = "copy the store to a PostgreSQL schema, sending only what changed",
    .help = "Copies the store to schema NAME (default tradereport) of the PostgreSQL server\n"
            "URL (a libpq connection string or postgresql:// URL; passwords from PGPASSWORD,\n"
            "~/.pgpass or a service file, never printed): every table, the facts as\n"
            "fact_trade partitioned by year with readable key columns, and the same views as\n"
            "SQLite's. One server transaction: readers see the old state or the new one.\n"
            "Later runs send only the loads that changed (new, replaced, unloaded); a run\n"
            "with nothing new writes nothing. --grant-read ROLE lets ROLE read the schema\n"
            "(kept for later publishes). --citus prints (no server needed) the SQL that\n"
            "distributes a published schema on a Citus cluster: fact_trade by reporter_id,\n"
            "the other tables as reference tables.\n"
            "--shard YEARS=URL (repeatable; YEARS a year or FROM-TO) keeps those years' fact\n"
            "partitions on the server URL: the --to server reads them through postgres_fdw\n"
            "foreign partitions, so its views read every server. Shards are written first,\n"
            "the --to server last; a year is re-sent whole when its facts changed. Overlapping\n"
            "years or a shard equal to --to exit 2; a shard that refuses exits 5, named by\n"
            "its years. See doc/postgresql.md.\n"
            "Exit 2 for a bad URL, 4 when another publish to the schema runs, 5 when the\n"
            "server cannot be reached, refuses the login, is older than 13 or the schema\n"
            "belongs to another role.\n",
    .run = run,
};
