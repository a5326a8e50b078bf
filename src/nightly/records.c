/*
 * The nightly job's records in the database: one nightly_run row per run (inserted at the
 * start, completed at the end), one nightly_file row per inbox file, and nightly_change, the
 * bilateral totals the run's revisions moved, computed in SQL from the importer's lineage
 * (load_replacement, sum_trade_replaced). Printing them is summary_print.c's.
 */
#include "tr/nightly.h"

#include "tr/stmt.h"

static const char *const OUTCOME_NAME[] = {"loaded", "already", "quarantined", "error"};

int tr_nightly_prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

static int step_done(sqlite3 *db, sqlite3_stmt *st, struct tr_err *e)
{
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* Empty text binds NULL; SQLite's code, as tr_stmt_bind_text */
static int bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    return tr_stmt_bind_text(st, i, s && *s ? s : NULL);
}

int tr_nightly_insert_run(struct tr_nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st,
                             "INSERT INTO nightly_run (started_at, inbox, archive, "
                             "quarantine, reports_dir, tool_version) VALUES (?,?,?,?,?,?)",
                             e);
    if (rc)
        return rc;
    if (tr_stmt_bind_text(st, 1, n->started) | tr_stmt_bind_text(st, 2, n->inbox) |
        tr_stmt_bind_text(st, 3, n->archive) | tr_stmt_bind_text(st, 4, n->quarantine) |
        bind_text_or_null(st, 5, n->n_pairs ? n->reports : NULL) |
        tr_stmt_bind_text(st, 6, TR_VERSION))
        return tr_stmt_bind_failed(st, e);
    if ((rc = step_done(n->d.db, st, e)))
        return rc;
    n->run_id = (long)sqlite3_last_insert_rowid(n->d.db);
    return TR_OK;
}

int tr_nightly_insert_file(struct tr_nightly *n, const struct tr_nightly_file *f,
                           struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st,
                             "INSERT INTO nightly_file (run_id, seq, file_name, outcome, "
                             "load_id, destination, message) VALUES (?,?,?,?,?,?,?)",
                             e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n->n_files);
    if (f->load_id)
        sqlite3_bind_int64(st, 5, f->load_id);
    else
        sqlite3_bind_null(st, 5);
    if (tr_stmt_bind_text(st, 3, f->name) | tr_stmt_bind_text(st, 4, OUTCOME_NAME[f->outcome]) |
        bind_text_or_null(st, 6, f->dest) | bind_text_or_null(st, 7, f->msg))
        return tr_stmt_bind_failed(st, e);
    return step_done(n->d.db, st, e);
}

int tr_nightly_finish_run(struct tr_nightly *n, int exit_code, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st,
                             "UPDATE nightly_run SET finished_at = ?, files_ok = ?, "
                             "files_already = ?, files_failed = ?, rows_loaded = ?, "
                             "rows_rejected = ?, rows_replaced = ?, reports_written = ?, "
                             "exit_code = ? WHERE run_id = ?",
                             e);
    if (rc)
        return rc;
    if (tr_stmt_bind_text(st, 1, n->finished))
        return tr_stmt_bind_failed(st, e);
    sqlite3_bind_int64(st, 2, n->files_ok);
    sqlite3_bind_int64(st, 3, n->files_already);
    sqlite3_bind_int64(st, 4, n->files_failed);
    sqlite3_bind_int64(st, 5, n->rows_loaded);
    sqlite3_bind_int64(st, 6, n->rows_rejected);
    sqlite3_bind_int64(st, 7, n->rows_replaced);
    sqlite3_bind_int(st, 8, n->reports_written);
    sqlite3_bind_int(st, 9, exit_code);
    sqlite3_bind_int64(st, 10, n->run_id);
    return step_done(n->d.db, st, e);
}

/* The run's committed loads. A partition is revised when one of them replaced a load from
 * before the run (replaced_load_id outside the run); replacing a load of the same run is not
 * a revision of what the database held yesterday. min(load_id): the first replacement, whose
 * sum_trade_replaced rows are the totals as they were before the run. */
#define RUN_CTES                                                             \
    "WITH run_loads AS (SELECT load_id FROM nightly_file WHERE run_id = ?1 " \
    "    AND outcome = 'loaded' AND load_id IS NOT NULL), "                  \
    "rev AS (SELECT source_id, classification, year, month, reporter_id, "   \
    "    min(load_id) AS load_id FROM load_replacement "                     \
    "    WHERE load_id IN (SELECT load_id FROM run_loads) "                  \
    "    AND replaced_load_id NOT IN (SELECT load_id FROM run_loads) "       \
    "    GROUP BY source_id, classification, year, month, reporter_id) "

/* The bilateral totals of the revised partitions, before and after, by v_trade_annual's rule
 * (TOTAL row, else the finest HS level present); unchanged ones are left out. */
static const char CHANGES_SQL[] =
    "INSERT INTO nightly_change (run_id, source, classification, year, month, reporter, "
    "partner, flow, old_usd, new_usd, change_usd, change_pct, load_id) " RUN_CTES ", "
    "old AS (SELECT rev.load_id, s.source_id, s.classification, s.year, s.month, "
    "    s.reporter_id, s.partner_id, s.flow, "
    "    coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS v "
    "  FROM rev JOIN sum_trade_replaced s ON s.load_id = rev.load_id "
    "    AND s.source_id = rev.source_id AND s.classification = rev.classification "
    "    AND s.year = rev.year AND s.month = rev.month AND s.reporter_id = rev.reporter_id), "
    "new AS (SELECT rev.load_id, s.source_id, s.classification, s.year, s.month, "
    "    s.reporter_id, s.partner_id, s.flow, "
    "    coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS v "
    "  FROM rev JOIN sum_trade s ON s.source_id = rev.source_id "
    "    AND s.classification = rev.classification AND s.year = rev.year "
    "    AND s.month = rev.month AND s.reporter_id = rev.reporter_id), "
    "k AS (SELECT load_id, source_id, classification, year, month, reporter_id, partner_id, "
    "    flow FROM old UNION "
    "  SELECT load_id, source_id, classification, year, month, reporter_id, partner_id, "
    "    flow FROM new) "
    "SELECT ?1, src.source, k.classification, k.year, k.month, r.iso3, p.iso3, k.flow, "
    "  o.v, nw.v, coalesce(nw.v, 0) - coalesce(o.v, 0), "
    "  CASE WHEN o.v <> 0 THEN 100.0 * (coalesce(nw.v, 0) - o.v) / o.v END, k.load_id "
    "FROM k "
    "LEFT JOIN old o ON o.source_id = k.source_id AND o.classification = k.classification "
    "  AND o.year = k.year AND o.month = k.month AND o.reporter_id = k.reporter_id "
    "  AND o.partner_id = k.partner_id AND o.flow = k.flow "
    "LEFT JOIN new nw ON nw.source_id = k.source_id AND nw.classification = k.classification "
    "  AND nw.year = k.year AND nw.month = k.month AND nw.reporter_id = k.reporter_id "
    "  AND nw.partner_id = k.partner_id AND nw.flow = k.flow "
    "JOIN dim_source src ON src.source_id = k.source_id "
    "JOIN dim_country r ON r.country_id = k.reporter_id "
    "JOIN dim_country p ON p.country_id = k.partner_id "
    "WHERE coalesce(nw.v, 0) <> coalesce(o.v, 0) OR (o.v IS NULL) <> (nw.v IS NULL)";

/* Every partition the run's loads brought, new or revised. */
const char tr_nightly_partitions_sql[] = RUN_CTES
    ", "
    "touched AS (SELECT source_id, classification, year, month, reporter_id "
    "    FROM load_partition WHERE load_id IN (SELECT load_id FROM run_loads) "
    "  UNION SELECT source_id, classification, year, month, reporter_id "
    "    FROM load_replacement WHERE load_id IN (SELECT load_id FROM run_loads)) "
    "SELECT CASE WHEN rev.load_id IS NULL THEN 'new' ELSE 'revised' END AS kind, "
    "  coalesce(src.source, t.source_id), t.classification, t.year, t.month, "
    "  coalesce(c.iso3, t.reporter_id) AS reporter "
    "FROM touched t "
    "LEFT JOIN rev ON rev.source_id = t.source_id AND rev.classification = t.classification "
    "  AND rev.year = t.year AND rev.month = t.month AND rev.reporter_id = t.reporter_id "
    "LEFT JOIN dim_source src ON src.source_id = t.source_id "
    "LEFT JOIN dim_country c ON c.country_id = t.reporter_id "
    "ORDER BY kind, 2, 3, 4, 5, 6";

int tr_nightly_record_changes(struct tr_nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st, CHANGES_SQL, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    return step_done(n->d.db, st, e);
}
