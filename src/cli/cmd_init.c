/*
 * tradereport init: create the database or bring its schema and views up to date.
 * Idempotent: on a current database it writes nothing (tr_db_migrate recreates a view of ours
 * only when its text changed, and never touches the users' own objects).
 */
#include <getopt.h>
#include <stdio.h>

#include "tr/cmd.h"
#include "tr/db.h"

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
            return tr_cmd_usage(&tr_cmd_init);
    }
    if (optind != argc)
        return tr_cmd_usage(&tr_cmd_init);
    struct tr_db d;
    int rc = tr_cmd_open_db(&tr_cmd_init, db_path, &d);
    if (rc)
        return rc;
    printf("%s: schema version %d, views up to date\n", d.path, tr_db_schema_version());
    tr_db_close(&d);
    return TR_OK;
}

const struct tr_cmd tr_cmd_init = {
    .name = "init",
    .usage = "[--db FILE]",
    .summary = "create or upgrade the database (schema, reference data, views)",
    .help = "Creates the database if it does not exist and applies pending schema migrations.\n"
            "Each of the tool's views is recreated when this binary's text of it differs, so\n"
            "they always match the binary; your own views and tables are left alone. Safe to\n"
            "run again at any time: on a current database it writes nothing. A database made\n"
            "by a newer tradereport, or another program's SQLite file, exits 5 unchanged.\n",
    .run = run,
    .db = TR_DB_WRITE,
};
