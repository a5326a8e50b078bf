/*
 * tradereport unload: take loads back, newest first. Each load in its own transaction: its
 * facts removed, the rows it replaced restored, recorded in load_unload.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/unload.h"

static int parse_load_id(const char *s, long *id)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0)
        return -1;
    *id = v;
    return 0;
}

static void print_result(long id, const struct tr_unload_result *r)
{
    if (r->already) {
        printf("load %ld: already unloaded, nothing changed\n", id);
        return;
    }
    printf("load %ld: unloaded: %ld rows removed", id, r->rows_removed);
    if (r->rows_restored)
        printf(", %ld rows of %ld earlier load%s restored", r->rows_restored, r->loads_restored,
               r->loads_restored == 1 ? "" : "s");
    printf("\n");
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
            return tr_cmd_usage(&tr_cmd_unload);
    }
    if (optind >= argc)
        return tr_cmd_usage(&tr_cmd_unload);
    long id;
    for (int i = optind; i < argc; i++)
        if (parse_load_id(argv[i], &id)) {
            fprintf(stderr, "tradereport unload: a load id is a positive number, got '%s'\n",
                    argv[i]);
            return tr_cmd_usage(&tr_cmd_unload);
        }
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_unload, db_path, &d);
    if (rc)
        return rc;
    for (int i = optind; i < argc && !rc; i++) {
        struct tr_unload_result res;
        parse_load_id(argv[i], &id);
        tr_err_init(&e);
        if ((rc = tr_unload(d.db, id, &res, &e)))
            tr_cmd_print_err("unload", &e);
        else
            print_result(id, &res);
    }
    tr_db_close(&d);
    return rc;
}

const struct tr_cmd tr_cmd_unload = {
    .name = "unload",
    .usage = "[--db FILE] LOAD_ID...",
    .summary = "take loads back: remove their rows, restore the rows they replaced",
    .help =
        "Takes each load back in its own transaction: its facts are removed and the rows it\n"
        "replaced (kept in the history tables) are restored with their own load ids, so the\n"
        "views read exactly what they read before the load. Recorded in load_unload; the load\n"
        "stays in load_log (status superseded), and its file can be imported again.\n"
        "Loads go back newest first: a load whose rows a later load replaced is refused until\n"
        "that one is unloaded (exit 1). Trade and tariff loads only: code lists and claims\n"
        "are refused (exit 1). An unknown load id is a usage error (exit 2).\n",
    .run = run,
    .db = TR_DB_WRITE,
};
