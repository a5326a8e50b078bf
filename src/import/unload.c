/*
 * tr_unload (tr/unload.h): a load's facts go, the rows it had replaced come back from the
 * history tables, and everything computed from facts (sum_trade, the summaries, load
 * partitions and statuses) is made again for the partitions involved. Loads are taken back
 * newest first: a load whose rows a later load replaced waits for that one.
 */
#include "tr/unload.h"

#include <stdio.h>
#include <string.h>

#include "tr/codes.h"
#include "tr/db.h"
#include "tr/factkey.h"
#include "tr/replace.h"
#include "tr/stmt.h"
#include "tr/summary.h"

/* One integer from sql with ?1 = load id; *found = 0 when no row. */
static int one_int(sqlite3 *db, const char *sql, long load_id, long *v, int *found,
                   struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e, sql, "i", (int64_t)load_id);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    *found = s == SQLITE_ROW;
    *v = *found ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return s == SQLITE_ROW || s == SQLITE_DONE ? TR_OK : tr_stmt_fail(db, s, e);
}

/* Can load_id be taken back? Sets res->already for a load unloaded before. */
static int check_unloadable(sqlite3 *db, long id, struct tr_unload_result *res, struct tr_err *e)
{
    long v;
    int found, rc;
    char status[16] = "", format[32] = "";
    sqlite3_stmt *st;
    if ((rc = tr_stmt_prepare(db, &st, e,
                              "SELECT status, format FROM load_log WHERE "
                              "load_id = ?1",
                              "i", (int64_t)id)))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(format, sizeof(format), "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (!status[0])
        return tr_err_set(e, TR_EUSAGE, "there is no load %ld (tradereport loads lists them)",
                          id);
    if ((rc = one_int(db, "SELECT 1 FROM load_unload WHERE load_id = ?1", id, &v, &found, e)))
        return rc;
    if (found) {
        res->already = 1;
        return TR_OK;
    }
    if (strcmp(status, "failed") == 0)
        return tr_err_set(e, TR_EFAIL,
                          "load %ld failed and committed nothing: there is "
                          "nothing to unload",
                          id);
    if (strcmp(format, "baci-countries") == 0 || strcmp(format, "baci-products") == 0 ||
        strcmp(format, "claims") == 0)
        return tr_err_set(e, TR_EFAIL,
                          "load %ld is a %s file: its codes or claims may be used "
                          "by other loads; unload takes trade and tariff loads",
                          id, format);
    if ((rc = one_int(db,
                      "SELECT replaced_by FROM fact_trade_history WHERE load_id = ?1 "
                      "UNION SELECT replaced_by FROM fact_trade_breakdown_history WHERE "
                      "load_id = ?1 UNION SELECT replaced_by FROM fact_tariff_history WHERE "
                      "load_id = ?1 ORDER BY 1 DESC LIMIT 1",
                      id, &v, &found, e)))
        return rc;
    if (found)
        return tr_err_set(e, TR_EFAIL,
                          "rows of load %ld were replaced by load %ld: unload "
                          "load %ld first",
                          id, v, v);
    return TR_OK;
}

/* The partitions whose facts change: the load's own and those it had taken rows from. */
static int collect_partitions(sqlite3 *db, long id, struct tr_err *e)
{
    int rc = tr_stmt_script(db,
                            "CREATE TEMP TABLE IF NOT EXISTS unload_part (source_id INTEGER, "
                            "classification TEXT, year INTEGER, month INTEGER, reporter_id "
                            "INTEGER, PRIMARY KEY (source_id, classification, year, month, "
                            "reporter_id)); DELETE FROM temp.unload_part;",
                            e);
    if (rc)
        return rc;
    return tr_stmt_exec(db, NULL, e,
                        "INSERT OR IGNORE INTO temp.unload_part SELECT source_id, "
                        "classification, year, month, reporter_id FROM load_partition WHERE "
                        "load_id = ?1 UNION SELECT source_id, classification, year, month, "
                        "reporter_id FROM load_replacement WHERE load_id = ?1",
                        "i", (int64_t)id);
}

/* Removes the load's own rows: facts by their partitions' key ranges (the table has no
 * load index), breakdown and tariff rows by their load index. */
static int remove_rows(sqlite3 *db, long id, long *removed, struct tr_err *e)
{
    sqlite3_stmt *st;
    long n = 0;
    int rc = tr_stmt_prepare(db, &st, e,
                             "SELECT source_id, year, month, reporter_id, "
                             "classification FROM load_partition WHERE load_id = ?1",
                             "i", (int64_t)id);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        int cls = tr_classification_id((const char *)sqlite3_column_text(st, 4));
        if (cls < 0)
            continue; /* a tariff partition */
        struct tr_factkey k = {sqlite3_column_int(st, 0),
                               sqlite3_column_int(st, 1),
                               sqlite3_column_int(st, 2),
                               sqlite3_column_int(st, 3),
                               cls,
                               0,
                               0,
                               0};
        int64_t lo = tr_factkey_pack(&k);
        int64_t hi = lo | (((int64_t)1 << TR_KEY_PARTITION_SHIFT) - 1);
        rc = tr_stmt_exec(db, &n, e,
                          "DELETE FROM fact_trade_packed WHERE trade_key BETWEEN ?1 "
                          "AND ?2 AND load_id = ?3",
                          "iii", lo, hi, (int64_t)id);
        *removed += n;
    }
    sqlite3_finalize(st);
    if (!rc && !(rc = tr_stmt_exec(db, &n, e,
                                   "DELETE FROM fact_trade_breakdown WHERE "
                                   "load_id = ?1",
                                   "i", (int64_t)id)))
        *removed += n;
    if (!rc && !(rc = tr_stmt_exec(db, &n, e, "DELETE FROM fact_tariff WHERE load_id = ?1", "i",
                                   (int64_t)id)))
        *removed += n;
    return rc;
}

/* Puts back what the load had moved to history, each row with its own load id. */
static int restore_rows(sqlite3 *db, long id, long *restored, struct tr_err *e)
{
    static const char *const moves[][2] = {
        {"INSERT INTO fact_trade_packed (trade_key, value_usd, net_wgt_kg, qty, qty_unit, "
         "cif_usd, fob_usd, flags, load_id) SELECT trade_key, value_usd, net_wgt_kg, qty, "
         "qty_unit, cif_usd, fob_usd, flags, load_id FROM fact_trade_history WHERE "
         "replaced_by = ?1 ORDER BY trade_key",
         "DELETE FROM fact_trade_history WHERE replaced_by = ?1"},
        {"INSERT INTO fact_trade_breakdown SELECT source_id, classification, year, month, "
         "reporter_id, partner_id, partner2_id, customs_code, mot_code, flow, product_id, "
         "value_usd, net_wgt_kg, qty, qty_unit, load_id FROM fact_trade_breakdown_history "
         "WHERE replaced_by = ?1",
         "DELETE FROM fact_trade_breakdown_history WHERE replaced_by = ?1"},
        {"INSERT INTO fact_tariff SELECT tariff_id, source_id, dataset, duty_type, "
         "nomenclature, year, importer_id, partner_code, partner_id, product_id, simple_avg, "
         "min_rate, max_rate, sum_rates, n_lines, n_valid_lines, n_free_lines, "
         "n_dutiable_lines, n_na_lines, n_ave_lines, n_pref_lines, n_mfn_lines, est_code, "
         "load_id FROM fact_tariff_history WHERE replaced_by = ?1",
         "DELETE FROM fact_tariff_history WHERE replaced_by = ?1"},
    };
    int rc = TR_OK;
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]) && !rc; i++) {
        long n = 0;
        if (!(rc = tr_stmt_exec(db, &n, e, moves[i][0], "i", (int64_t)id)))
            rc = tr_stmt_exec(db, NULL, e, moves[i][1], "i", (int64_t)id);
        *restored += n;
    }
    return rc;
}

/* load_partition, statuses and the replacement records as they were before the load. */
static int restore_lineage(sqlite3 *db, long id, long *loads, struct tr_err *e)
{
    int found, rc;
    if ((rc = one_int(db,
                      "SELECT count(DISTINCT replaced_load_id) FROM load_replacement "
                      "WHERE load_id = ?1",
                      id, loads, &found, e)) ||
        (rc = tr_stmt_exec(db, NULL, e, "DELETE FROM load_partition WHERE load_id = ?1", "i",
                           (int64_t)id)) ||
        (rc = tr_stmt_exec(db, NULL, e,
                           "INSERT INTO load_partition (load_id, source_id, classification, "
                           "year, month, reporter_id, rows) SELECT replaced_load_id, source_id, "
                           "classification, year, month, reporter_id, old_rows FROM "
                           "load_replacement WHERE load_id = ?1 ON CONFLICT DO UPDATE SET "
                           "rows = rows + excluded.rows",
                           "i", (int64_t)id)) ||
        (rc = tr_stmt_exec(db, NULL, e,
                           "UPDATE load_log SET status = 'committed' WHERE status = "
                           "'superseded' AND load_id IN (SELECT replaced_load_id FROM "
                           "load_replacement WHERE load_id = ?1) AND load_id NOT IN (SELECT "
                           "load_id FROM load_unload)",
                           "i", (int64_t)id)) ||
        (rc = tr_stmt_exec(db, NULL, e, "DELETE FROM load_replacement WHERE load_id = ?1", "i",
                           (int64_t)id)) ||
        (rc = tr_stmt_exec(db, NULL, e, "DELETE FROM sum_trade_replaced WHERE load_id = ?1", "i",
                           (int64_t)id)))
        return rc;
    return tr_stmt_exec(db, NULL, e, "DELETE FROM trade_withdrawn WHERE load_id = ?1", "i",
                        (int64_t)id);
}

/* sum_trade of every partition involved, added up again from the facts now there. */
static int resum_partitions(sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "SELECT source_id, year, month, reporter_id, "
                             "classification FROM temp.unload_part",
                             "");
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *cls_name = (const char *)sqlite3_column_text(st, 4);
        int cls = tr_classification_id(cls_name);
        if (cls < 0)
            continue;
        struct tr_factkey k = {sqlite3_column_int(st, 0),
                               sqlite3_column_int(st, 1),
                               sqlite3_column_int(st, 2),
                               sqlite3_column_int(st, 3),
                               cls,
                               0,
                               0,
                               0};
        int64_t lo = tr_factkey_pack(&k);
        int64_t hi = lo | (((int64_t)1 << TR_KEY_PARTITION_SHIFT) - 1);
        rc = tr_stmt_exec(db, NULL, e,
                          "DELETE FROM sum_trade WHERE reporter_id = ?1 AND "
                          "source_id = ?2 AND classification = ?3 AND year = ?4 AND month = ?5",
                          "iitii", (int64_t)k.reporter, (int64_t)k.source, cls_name,
                          (int64_t)k.year, (int64_t)k.month);
        if (!rc)
            rc = tr_replace_resum(db, lo, hi, e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int record_unload(sqlite3 *db, long id, const struct tr_unload_result *res,
                         struct tr_err *e)
{
    char now[32];
    tr_now_iso(now);
    int rc = tr_stmt_exec(db, NULL, e,
                          "INSERT INTO load_unload (load_id, unloaded_at, "
                          "rows_removed, rows_restored, tool_version) VALUES (?1,?2,?3,?4,?5)",
                          "itiit", (int64_t)id, now, (int64_t)res->rows_removed,
                          (int64_t)res->rows_restored, TR_VERSION);
    return rc ? rc
              : tr_stmt_exec(db, NULL, e,
                             "UPDATE load_log SET status = 'superseded' "
                             "WHERE load_id = ?1",
                             "i", (int64_t)id);
}

int tr_unload(sqlite3 *db, long id, struct tr_unload_result *res, struct tr_err *e)
{
    memset(res, 0, sizeof(*res));
    int rc = tr_stmt_script(db, "BEGIN IMMEDIATE", e);
    if (rc)
        return rc;
    if ((rc = check_unloadable(db, id, res, e)) || res->already)
        goto out;
    if ((rc = collect_partitions(db, id, e)) ||
        (rc = remove_rows(db, id, &res->rows_removed, e)) ||
        (rc = restore_rows(db, id, &res->rows_restored, e)) ||
        (rc = restore_lineage(db, id, &res->loads_restored, e)) ||
        (rc = resum_partitions(db, e)) ||
        (rc = tr_summary_refresh_from(db, "temp.unload_part", e)) ||
        (rc = record_unload(db, id, res, e)))
        goto out;
    rc = tr_stmt_script(db, "COMMIT", e);
    return rc;
out:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
