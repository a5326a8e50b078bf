/*
 * Gathers the figures of one briefing from the views into a struct tr_report, so the writers
 * (xlsx.c, pdf.c) never run SQL. Which source a briefing uses is decided here.
 */
#include "tr/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/db.h"

static int prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_db_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

static double col_or_nan(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

static int country_name(sqlite3 *db, const char *iso3, char *name, size_t n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT name FROM dim_country WHERE iso3 = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, iso3, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        snprintf(name, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return tr_err_set(e, TR_EUSAGE, "unknown country code '%s' (use ISO3 codes such as RUS, "
                          "IRN)", iso3);
    return s == SQLITE_ROW ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

/* Without --source: the source with the most years for the pair; ties go to the source that
 * shows both declarations (comtrade), then BACI. */
static int pick_source(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT source FROM v_bilateral_annual WHERE a = ?1 AND b = ?2 "
                  "AND year BETWEEN ?3 AND ?4 GROUP BY source "
                  "ORDER BY count(*) DESC, CASE source WHEN 'comtrade' THEN 0 "
                  "WHEN 'baci' THEN 1 ELSE 2 END LIMIT 1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->b, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->from_year);
    sqlite3_bind_int(st, 4, r->to_year);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        snprintf(r->source, sizeof(r->source), "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return tr_err_set(e, TR_EFAIL, "no trade between %s and %s in %d-%d", r->a, r->b,
                          r->from_year, r->to_year);
    return s == SQLITE_ROW ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

static int load_years(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT year, a_exports_to_b, a_imports_from_b, b_exports_to_a, "
                  "b_imports_from_a, turnover_a_reported, turnover_b_reported, turnover_best, "
                  "best_side FROM v_bilateral_annual WHERE source = ?1 AND a = ?2 AND b = ?3 "
                  "AND year BETWEEN ?4 AND ?5 ORDER BY year", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->b, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, r->from_year);
    sqlite3_bind_int(st, 5, r->to_year);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->n_years == cap) {
            cap = cap ? cap * 2 : 32;
            struct tr_bilateral_year *y = realloc(r->years, cap * sizeof(*y));
            if (!y) {
                sqlite3_finalize(st);
                return tr_err_set(e, TR_ENOMEM, "out of memory");
            }
            r->years = y;
        }
        struct tr_bilateral_year *y = &r->years[r->n_years++];
        memset(y, 0, sizeof(*y));
        y->year = sqlite3_column_int(st, 0);
        y->a_exports_to_b = col_or_nan(st, 1);
        y->a_imports_from_b = col_or_nan(st, 2);
        y->b_exports_to_a = col_or_nan(st, 3);
        y->b_imports_from_a = col_or_nan(st, 4);
        y->turnover_a = col_or_nan(st, 5);
        y->turnover_b = col_or_nan(st, 6);
        y->turnover_best = col_or_nan(st, 7);
        const char *side = (const char *)sqlite3_column_text(st, 8);
        snprintf(y->best_side, sizeof(y->best_side), "%s",
                 !side ? "" : strcmp(side, r->a) == 0 ? "A" : strcmp(side, r->b) == 0 ? "B"
                                                                                      : side);
        y->growth_pct = NAN;
        if (r->n_years > 1) {
            const struct tr_bilateral_year *prev = &r->years[r->n_years - 2];
            if (prev->year == y->year - 1 && prev->turnover_best > 0 && !isnan(y->turnover_best))
                y->growth_pct = 100.0 * (y->turnover_best / prev->turnover_best - 1.0);
        }
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (r->n_years == 0)
        return tr_err_set(e, TR_EFAIL, "no trade between %s and %s in %d-%d from source '%s'",
                          r->a, r->b, r->from_year, r->to_year, r->source);
    r->from_year = r->years[0].year;
    r->to_year = r->years[r->n_years - 1].year;
    return TR_OK;
}

static int load_sources(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT load_id, file_name, format, sha256, coalesce(release, ''), "
                  "finished_at, rows_loaded FROM load_log WHERE status = 'committed' "
                  "ORDER BY load_id", e);
    if (rc)
        return rc;
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->n_sources == cap) {
            cap = cap ? cap * 2 : 16;
            struct tr_source_file *f = realloc(r->sources, cap * sizeof(*f));
            if (!f) {
                sqlite3_finalize(st);
                return tr_err_set(e, TR_ENOMEM, "out of memory");
            }
            r->sources = f;
        }
        struct tr_source_file *f = &r->sources[r->n_sources++];
        f->load_id = (long)sqlite3_column_int64(st, 0);
        f->file_name = dup_col(st, 1);
        f->format = dup_col(st, 2);
        f->sha256 = dup_col(st, 3);
        f->release = dup_col(st, 4);
        f->loaded_at = dup_col(st, 5);
        f->rows_loaded = (long)sqlite3_column_int64(st, 6);
        if (!f->file_name || !f->format || !f->sha256 || !f->release || !f->loaded_at) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    return s == SQLITE_DONE ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

static int source_label(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT label FROM dim_source WHERE source = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(r->source_label, sizeof(r->source_label), "%s", sqlite3_column_text(st, 0));
    else
        snprintf(r->source_label, sizeof(r->source_label), "%s", r->source);
    sqlite3_finalize(st);
    return TR_OK;
}

int tr_report_load(sqlite3 *db, const char *a, const char *b, int from, int to,
                   const char *source, struct tr_report *r, struct tr_err *e)
{
    int rc;
    memset(r, 0, sizeof(*r));
    snprintf(r->a, sizeof(r->a), "%s", a);
    snprintf(r->b, sizeof(r->b), "%s", b);
    r->from_year = from ? from : 0;
    r->to_year = to ? to : 9999;
    tr_now_iso(r->generated_at);
    snprintf(r->tool_version, sizeof(r->tool_version), "%s", TR_VERSION);
    if ((rc = country_name(db, a, r->a_name, sizeof(r->a_name), e)) ||
        (rc = country_name(db, b, r->b_name, sizeof(r->b_name), e)))
        return rc;
    if (source)
        snprintf(r->source, sizeof(r->source), "%s", source);
    else if ((rc = pick_source(db, r, e)))
        return rc;
    if ((rc = source_label(db, r, e)) || (rc = load_years(db, r, e)) ||
        (rc = load_sources(db, r, e)))
        return rc;
    return TR_OK;
}

void tr_report_release(struct tr_report *r)
{
    for (size_t i = 0; i < r->n_sources; i++) {
        free(r->sources[i].file_name);
        free(r->sources[i].format);
        free(r->sources[i].sha256);
        free(r->sources[i].release);
        free(r->sources[i].loaded_at);
    }
    free(r->sources);
    free(r->years);
    memset(r, 0, sizeof(*r));
}
