/*
 * tradereport loads: the lineage of the database — one line per file loaded (or failed),
 * with its row accounting; --rejects LOAD_ID lists a load's rejected rows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/snapshot.h"
#include "tr/textout.h"

/* What a load replaced, or what replaced it: "load 3 (V202501): 82 rows, US$ 68,123.4 m". */
#define REPLACEMENT_TEXT(who, whose_release)                                           \
    "'load ' || " who " || coalesce(' (' || " whose_release " || ')', '') || ': ' || " \
    "sum(r.old_rows) || ' rows' || coalesce(printf(', US$ %,.1f m', "                  \
    "sum(r.old_value_usd) / 1e6), '')"

/* load_log as people read it: an unloaded load says so; the last two columns say what each
 * load replaced and which later loads replaced its rows. */
static const char LOADS_SQL[] =
    "SELECT l.load_id, CASE WHEN u.load_id IS NOT NULL THEN 'unloaded' ELSE l.status END "
    "AS status, l.format, l.file_name, l.classification AS hs, l.data_year AS year, l.release, "
    "l.rows_read, l.rows_loaded, l.rows_rejected, l.rows_replaced, l.started_at, "
    "coalesce(l.message, '') AS message, "
    "coalesce((SELECT group_concat(x, '; ') FROM (SELECT " REPLACEMENT_TEXT(
        "r.replaced_load_id",
        "o.release") " AS x FROM load_replacement r JOIN load_log o ON o.load_id = "
                     "r.replaced_load_id "
                     "WHERE r.load_id = l.load_id GROUP BY r.replaced_load_id)), '') AS "
                     "replaced, "
                     "coalesce((SELECT group_concat(x, '; ') FROM (SELECT " REPLACEMENT_TEXT(
                         "r.load_id", "n.release") " AS x FROM load_replacement r JOIN load_log "
                                                   "n ON n.load_id = r.load_id "
                                                   "WHERE r.replaced_load_id = l.load_id GROUP "
                                                   "BY r.load_id)), '') AS replaced_by "
                                                   "FROM load_log l LEFT JOIN load_unload u ON "
                                                   "u.load_id = l.load_id ORDER BY l.load_id";

static int print_rows(sqlite3 *db, const char *sql, long arg, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (arg >= 0)
        sqlite3_bind_int64(st, 1, arg);
    int n = 0, ncol = sqlite3_column_count(st);
    for (int i = 0; i < ncol; i++)
        printf("%s%s", i ? "\t" : "", sqlite3_column_name(st, i));
    printf("\n");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            /* file names and messages come from outside: no raw tab, newline or ESC */
            fputs(i ? "\t" : "", stdout);
            tr_text_put_escaped(stdout, t ? (const char *)t : "");
        }
        printf("\n");
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    return n ? TR_OK : TR_EFAIL;
}

/* TR_OK when load_log has the load, TR_EFAIL when not. */
static int load_exists(sqlite3 *db, long load_id, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM load_log WHERE load_id = ?", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, load_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return TR_OK;
    return rc == SQLITE_DONE ? TR_EFAIL
                             : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"rejects", required_argument, NULL, 'r'},
                                         {0, 0, 0, 0}};
    const char *db_path = NULL;
    long rejects_of = -1;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'r':
            rejects_of = strtol(optarg, &end, 10);
            if (*end || rejects_of < 1)
                return tr_cmd_usage(&tr_cmd_loads);
            break;
        default: return tr_cmd_usage(&tr_cmd_loads);
        }
    }
    if (optind != argc)
        return tr_cmd_usage(&tr_cmd_loads);
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_loads, db_path, &d);
    if (rc)
        return rc;
    struct tr_snapshot snap; /* each listing is one SELECT: one snapshot already */
    rc = tr_snapshot_begin(&snap, d.db, &e);
    if (!rc && rejects_of > 0 && (rc = load_exists(d.db, rejects_of, &e)) == TR_EFAIL)
        tr_err_set(&e, TR_EFAIL,
                   "no load %ld in '%s' ('tradereport loads' lists the loads "
                   "there are)",
                   rejects_of, d.path);
    if (!rc && rejects_of > 0) {
        rc = print_rows(d.db,
                        "SELECT line, byte_offset, column_name AS column, error_type, "
                        "message, raw_line FROM load_reject WHERE load_id = ? "
                        "ORDER BY line LIMIT 1000",
                        rejects_of, &e);
        if (rc == TR_EFAIL)
            fprintf(stderr, "tradereport loads: load %ld has no rejected rows\n", rejects_of);
        rc = rc == TR_EFAIL ? TR_OK : rc;
    } else if (!rc) {
        rc = print_rows(d.db, LOADS_SQL, -1, &e);
        rc = rc == TR_EFAIL ? TR_OK : rc;
    }
    tr_snapshot_end(&snap);
    if (rc)
        tr_cmd_print_err("loads", &e);
    tr_db_close(&d);
    return rc;
}

const struct tr_cmd tr_cmd_loads = {
    .name = "loads",
    .usage = "[--db FILE] [--rejects LOAD_ID]",
    .summary = "list loaded files with their row accounting, or a load's rejected rows",
    .help = "Prints load_log as TSV: one row per file with status (committed, failed,\n"
            "superseded, unloaded), format, HS revision, year and release from the file name,\n"
            "rows read = loaded + rejected, rows replaced, and what the load replaced and was\n"
            "replaced by (load ids, release, rows, US$). --rejects LOAD_ID prints the first\n"
            "1000 rejected rows of a load: line, byte offset, column, error type, message,\n"
            "raw text; a load without rejected rows prints the header only (exit 0), a load\n"
            "id that is not in load_log exits 1.\n"
            "Tabs, newlines, backslashes and other control characters in values print as\n"
            "\\t, \\n, \\\\ and \\xNN, so each row stays one line.\n",
    .run = run,
    .db = TR_DB_READ,
};
