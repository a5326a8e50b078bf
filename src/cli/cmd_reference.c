/*
 * tradereport reference load: writes every row of the HS reference data compiled into the
 * binary (the HS 2022 nomenclature, the six UNSD correlation tables) that the database lacks.
 * Every database this binary makes holds them from init; one made by an earlier version, which
 * held only the rows of its data's codes, is completed here or at its next import
 * (doc/hs_revisions.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/hs_reference.h"
#include "tr/stmt.h"

static int load_all(struct tr_db *d, long *added, struct tr_err *e)
{
    int rc = tr_stmt_script(d->db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    if ((rc = tr_hs_reference_load_all(d->db, added, e)) ||
        (rc = tr_stmt_script(d->db, "COMMIT", e)))
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
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
            return tr_cmd_usage(&tr_cmd_reference);
    }
    if (optind + 1 != argc || strcmp(argv[optind], "load") != 0)
        return tr_cmd_usage(&tr_cmd_reference);
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    long added = 0;
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_WRITE, &e);
    if (rc == TR_OK) {
        rc = load_all(&d, &added, &e);
        if (rc == TR_OK)
            printf("%s: HS reference data loaded, %ld correlation rows added\n", d.path, added);
        tr_db_close(&d);
    }
    if (rc)
        tr_cmd_print_err("reference", &e);
    return rc;
}

const struct tr_cmd tr_cmd_reference = {
    .name = "reference",
    .usage = "[--db FILE] load",
    .summary = "complete the HS reference data (nomenclature, UNSD correlation tables)",
    .help = "Writes what the database lacks of the HS 2022 nomenclature and the six UNSD\n"
            "correlation tables (HS2022 <-> HS2017 ... HS1992, 104,411 rows; about 8 MB).\n"
            "Every database init makes holds all of them; one made by an earlier version\n"
            "held only the rows of its data's codes, and is completed here or at its next\n"
            "import. Safe to run again.\n",
    .run = run,
};
