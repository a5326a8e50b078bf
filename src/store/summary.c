/*
 * Keeps the summary tables in step with the facts: fills temp.refresh_key with the partitions
 * to rebuild and runs the embedded sql/refresh statements in order. The SQL says how
 * a summary is computed; this file only says when and for what.
 */
#include "tr/summary.h"

#include <stdio.h>
#include <string.h>

#include "sql_embed.h"
#include "tr/stmt.h"

static int run_refresh(sqlite3 *db, struct tr_err *e)
{
    for (size_t i = 0; i < tr_sql_n_refresh; i++) {
        int rc = tr_stmt_script(db, tr_sql_refresh[i].text, e);
        if (rc) {
            size_t k = strlen(e->msg);
            snprintf(e->msg + k, sizeof(e->msg) - k, " (in sql/refresh/%s)",
                     tr_sql_refresh[i].name);
            return rc;
        }
    }
    return TR_OK;
}

/* Runs an INSERT into one of the key tables, binding load_id to ?1 when it is >= 0. */
static int insert_keys(sqlite3 *db, const char *select, long load_id, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int s = sqlite3_prepare_v2(db, select, -1, &st, NULL);
    if (s == SQLITE_OK) {
        if (load_id >= 0)
            sqlite3_bind_int64(st, 1, load_id);
        s = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* temp.refresh_key: the partitions whose summaries are rebuilt (from sum_trade, cheaply);
 * temp.refresh_rebuild: those of them whose sums over partners (sum_product, sum_chapter)
 * must be read again from the facts, because facts left them. rebuild NULL: all of them. */
static int fill_keys(sqlite3 *db, const char *select, const char *rebuild, long load_id,
                     struct tr_err *e)
{
    int rc = tr_stmt_script(db,
                            "CREATE TEMP TABLE IF NOT EXISTS refresh_key (source_id INTEGER, "
                            "year INTEGER, reporter_id INTEGER, "
                            "PRIMARY KEY (source_id, year, reporter_id));"
                            "CREATE TEMP TABLE IF NOT EXISTS refresh_rebuild (source_id INTEGER, "
                            "year INTEGER, reporter_id INTEGER, "
                            "PRIMARY KEY (source_id, year, reporter_id));"
                            "DELETE FROM temp.refresh_key; DELETE FROM temp.refresh_rebuild;",
                            e);
    if (!rc)
        rc = insert_keys(db, select, load_id, e);
    if (!rc)
        rc = insert_keys(db,
                         rebuild ? rebuild
                                 : "INSERT INTO temp.refresh_rebuild "
                                   "SELECT * FROM temp.refresh_key",
                         load_id, e);
    return rc;
}

int tr_summary_refresh_load(sqlite3 *db, long load_id, struct tr_err *e)
{
    int rc = fill_keys(db,
                       "INSERT OR IGNORE INTO temp.refresh_key "
                       "SELECT source_id, year, reporter_id FROM load_partition "
                       "WHERE load_id = ?1 AND source_id BETWEEN 1 AND 7 "
                       /* reporters whose rows it replaced without bringing new ones */
                       "UNION SELECT source_id, year, reporter_id FROM sum_trade_replaced "
                       "WHERE load_id = ?1",
                       /* a file that replaced nothing only added: the import summed it */
                       "INSERT OR IGNORE INTO temp.refresh_rebuild "
                       "SELECT source_id, year, reporter_id FROM sum_trade_replaced "
                       "WHERE load_id = ?1",
                       load_id, e);
    return rc ? rc : run_refresh(db, e);
}

int tr_summary_refresh_all(sqlite3 *db, struct tr_err *e)
{
    int rc = fill_keys(db,
                       "INSERT OR IGNORE INTO temp.refresh_key "
                       "SELECT DISTINCT source_id, year, reporter_id FROM sum_trade",
                       NULL, -1, e);
    return rc ? rc : run_refresh(db, e);
}

int tr_summary_refresh_from(sqlite3 *db, const char *table, struct tr_err *e)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT OR IGNORE INTO temp.refresh_key SELECT source_id, year, "
             "reporter_id FROM %s WHERE source_id BETWEEN 1 AND 7",
             table);
    int rc = fill_keys(db, sql, NULL, -1, e);
    return rc ? rc : run_refresh(db, e);
}
