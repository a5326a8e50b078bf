/*
 * Gathers the figures of one briefing from the views into a struct tr_report, so the writers
 * (xlsx.c, pdf.c) never run SQL. Which source a briefing uses, and which rows of each view
 * belong to the pair, is decided here: one static function per section. Apart from the
 * year-on-year growth of the annual series, every figure is a view's column read as it is
 * (NULL becomes NAN); nothing here recomputes what a view defines.
 */
#include "tr/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/db.h"
#include "tr/utf8.h"
#include "tr/snapshot.h"
#include "tr/stmt.h"

static int prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
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

/* Copies a text column into a fixed field; NULL becomes "". Longer text is cut (codes only). */
static void copy_col(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

/* Room for one more element in a growing array: the array (moved or not), NULL when out of
 * memory (the old array stays valid and owned by the caller). */
static void *reserve(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(arr, c * size);
    if (p)
        *cap = c;
    return p;
}

/* Ends a row loop: finalizes st and maps the last step status to an error. */
static int done(sqlite3 *db, sqlite3_stmt *st, int s, struct tr_err *e)
{
    sqlite3_finalize(st);
    if (s == SQLITE_NOMEM)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return s == SQLITE_DONE ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

/* Binds the pair and the year range as ?2 (A), ?3 (B), ?4 (from), ?5 (to). */
static void bind_pair(sqlite3_stmt *st, const struct tr_report *r, int from, int to)
{
    sqlite3_bind_text(st, 2, r->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->b, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, from);
    sqlite3_bind_int(st, 5, to);
}

static int country_name(sqlite3 *db, const char *iso3, char *name, size_t n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT name FROM dim_country WHERE iso3 = ?", e);
    if (rc)
        return rc;
    if (tr_stmt_bind_text(st, 1, iso3))
        return tr_stmt_bind_failed(st, e);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        tr_utf8_copy(name, n, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return tr_err_set(e, TR_EUSAGE,
                          "unknown country code '%s' (use ISO3 codes such as RUS, "
                          "IRN)",
                          iso3);
    return s == SQLITE_ROW ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

/* --- why a briefing has no rows: the message says what is missing and what to do --------- */

/* Appends printf-style text to buf (size n), as far as it fits. */
static void add(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t n, const char *fmt, ...)
{
    size_t k = strlen(buf);
    if (k + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + k, n - k, fmt, ap);
    va_end(ap);
}

/* "1999-2005" or "2021" */
static void add_span(char *buf, size_t n, int lo, int hi)
{
    if (lo == hi)
        add(buf, n, "%d", lo);
    else
        add(buf, n, "%d-%d", lo, hi);
}

/* " in 2019-2021", " in 2022 or later", " up to 2020"; "" for the whole series. */
static void add_range(char *buf, size_t n, int from, int to)
{
    if (from > 0 && to < 9999)
        add(buf, n, " in "), add_span(buf, n, from, to);
    else if (from > 0)
        add(buf, n, " in %d or later", from);
    else if (to < 9999)
        add(buf, n, " up to %d", to);
}

/* The sources with rows for the pair (in [from, to]) and their years: "baci 2019-2022,
 * comtrade 2014-2021"; *first gets the first source named ("" when none). */
static int pair_sources(sqlite3 *db, const struct tr_report *r, int from, int to, char *buf,
                        size_t n, char *first, size_t nf, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT source, min(year), max(year) FROM v_bilateral_annual "
                  "WHERE a = ?2 AND b = ?3 AND year BETWEEN ?4 AND ?5 GROUP BY source "
                  "ORDER BY count(*) DESC, source",
                  e);
    if (rc)
        return rc;
    bind_pair(st, r, from, to);
    int s, k = 0;
    *buf = *first = '\0';
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(st, 0);
        if (k++ == 0)
            snprintf(first, nf, "%s", src ? src : "");
        add(buf, n, "%s%s ", k > 1 ? ", " : "", src ? src : "");
        add_span(buf, n, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
    }
    return done(db, st, s, e);
}

/* What country c reports to the source, when it explains a gap in [from, to]: its last
 * year with a partner other than World when later years have World totals only, or its last
 * year when that is before `from`. "" otherwise. */
static int reporter_years(sqlite3 *db, const struct tr_report *r, const char *c, char *buf,
                          size_t n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT max(year) FILTER (WHERE partner <> 'W00'), max(year) "
                  "FROM v_trade_annual WHERE source = ?1 AND reporter = ?2",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *buf = '\0';
    if (s == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL) {
        int detail = sqlite3_column_int(st, 0), last = sqlite3_column_int(st, 1);
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
            snprintf(buf, n, "%s reports World totals only", c);
        else if (detail < last && detail < r->to_year)
            snprintf(buf, n, "%s reports partners up to %d, World totals only in %d-%d", c,
                     detail, detail + 1, last);
        else if (last < r->from_year)
            snprintf(buf, n, "%s reports up to %d", c, last);
    }
    return done(db, st, s == SQLITE_ROW ? SQLITE_DONE : s, e);
}

/* The partners country c has rows with: "ARE, ARM, BLR" or "none". */
static int partners_of(sqlite3 *db, const char *c, char *buf, size_t n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT DISTINCT b FROM v_bilateral_annual WHERE a = ?1 ORDER BY b",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
    int s, k = 0;
    *buf = '\0';
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        add(buf, n, "%s%s", k++ ? ", " : "", (const char *)sqlite3_column_text(st, 0));
    if (!k)
        snprintf(buf, n, "no partner");
    return done(db, st, s, e);
}

/* Whether the database holds any trade fact at all. */
static int any_trade(sqlite3 *db, int *any, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT EXISTS (SELECT 1 FROM fact_trade_packed)", e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *any = sqlite3_column_int(st, 0), s = SQLITE_DONE;
    return done(db, st, s, e);
}

/* The message for a briefing without a single row: no data at all for the pair (and which
 * partners A and B do have), or none from the source or in the years asked for (and what the
 * source, each side's reporting and the other sources do cover). Returns TR_EFAIL. */
static int no_data(sqlite3 *db, const struct tr_report *r, int source_given, struct tr_err *e)
{
    char msg[TR_ERR_MSG] = "", all[160], in_range[160], first[32], pa[160], pb[160];
    int rc;
    if ((rc = pair_sources(db, r, 0, 9999, all, sizeof(all), first, sizeof(first), e)))
        return rc;
    add(msg, sizeof(msg), "no data for %s-%s", r->a, r->b);
    if (!*all) {
        int any = 0;
        if ((rc = partners_of(db, r->a, pa, sizeof(pa), e)) ||
            (rc = partners_of(db, r->b, pb, sizeof(pb), e)) || (rc = any_trade(db, &any, e)))
            return rc;
        if (!any)
            add(msg, sizeof(msg),
                ": the database holds no trade data yet; load files with "
                "'tradereport import'");
        else
            add(msg, sizeof(msg),
                ": no loaded file has a figure for trade between them "
                "(neither side's declaration nor a mirror source). Pairs with data: %s with %s; "
                "%s with %s. Load a file that covers the pair ('tradereport loads' lists the "
                "files loaded)",
                r->a, pa, r->b, pb);
        return tr_err_set(e, TR_EFAIL, "%s", msg);
    }
    if (source_given)
        add(msg, sizeof(msg), " from %s", r->source);
    add_range(msg, sizeof(msg), r->from_year, r->to_year);
    if ((rc = pair_sources(db, r, r->from_year, r->to_year, in_range, sizeof(in_range), first,
                           sizeof(first), e)))
        return rc;
    add(msg, sizeof(msg), ": the pair has data from %s", all);
    if (source_given) {
        char ra[128], rb[128];
        if ((rc = reporter_years(db, r, r->a, ra, sizeof(ra), e)) ||
            (rc = reporter_years(db, r, r->b, rb, sizeof(rb), e)))
            return rc;
        if (*ra || *rb)
            add(msg, sizeof(msg), " (in %s: %s%s%s)", r->source, ra, *ra && *rb ? "; " : "", rb);
    }
    if (*in_range && strcmp(first, r->source) != 0)
        add(msg, sizeof(msg), "; try --source %s", first);
    else
        add(msg, sizeof(msg), "; choose years with --from and --to");
    return tr_err_set(e, TR_EFAIL, "%s", msg);
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
                  "WHEN 'baci' THEN 1 ELSE 2 END LIMIT 1",
                  e);
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
        return no_data(db, r, 0, e);
    return s == SQLITE_ROW ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

static int load_years(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT year, a_exports_to_b, a_imports_from_b, b_exports_to_a, "
                  "b_imports_from_a, turnover_a_reported, turnover_b_reported, turnover_best, "
                  "best_side, goods_partial FROM v_bilateral_annual WHERE source = ?1 "
                  "AND a = ?2 AND b = ?3 AND year BETWEEN ?4 AND ?5 ORDER BY year",
                  e);
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
        y->goods_partial = sqlite3_column_int(st, 9);
        const char *side = (const char *)sqlite3_column_text(st, 8);
        snprintf(y->best_side, sizeof(y->best_side), "%s",
                 !side                     ? ""
                 : strcmp(side, r->a) == 0 ? "A"
                 : strcmp(side, r->b) == 0 ? "B"
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
        return no_data(db, r, 1, e); /* only a --source given can leave the pair no row */
    r->from_year = r->years[0].year;
    r->to_year = r->years[r->n_years - 1].year;
    return TR_OK;
}

/* The sources of the monthly rows, ",comtrade,imf," for instr() in load_sources. */
static void monthly_sources(const struct tr_report *r, char *buf, size_t n)
{
    snprintf(buf, n, ",");
    for (size_t i = 0; i < r->n_monthly; i++) {
        char item[40];
        snprintf(item, sizeof(item), ",%s,", r->monthly[i].source);
        if (!strstr(buf, item) && strlen(buf) + strlen(item) < n)
            strcat(buf, item + 1);
    }
}

/* Only the files behind the figures: loads with a partition still live (not replaced) of the
 * briefing's source (annual), or of a monthly row's source (monthly), in the years asked for; that source's
 * reference files (format "baci-countries" for "baci"); the claims files when claims are
 * shown. A Comtrade briefing does not list BACI files. Read after every other section. */
static int load_sources(sqlite3 *db, struct tr_report *r, int from, int to, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    char monthly[512];
    monthly_sources(r, monthly, sizeof(monthly));
    int rc = prep(db, &st,
                  "SELECT load_id, file_name, format, sha256, coalesce(release, ''), "
                  "finished_at, rows_loaded FROM load_log l WHERE status = 'committed' AND ("
                  " EXISTS (SELECT 1 FROM load_partition p JOIN dim_source s USING (source_id)"
                  "  WHERE p.load_id = l.load_id AND p.year BETWEEN ?2 AND ?3"
                  "  AND ((s.source = ?1 AND p.month = 0)"
                  "   OR (p.month > 0 AND instr(?4, ',' || s.source || ',')))"
                  "  AND NOT EXISTS (SELECT 1 FROM load_replacement x"
                  "   WHERE x.replaced_load_id = p.load_id AND x.source_id = p.source_id"
                  "   AND x.classification = p.classification AND x.year = p.year"
                  "   AND x.month = p.month AND x.reporter_id = p.reporter_id))"
                  " OR substr(l.format, 1, length(?1) + 1) = ?1 || '-'"
                  " OR (l.format = 'claims' AND ?5)) "
                  "ORDER BY load_id",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, from);
    sqlite3_bind_int(st, 3, to);
    sqlite3_bind_text(st, 4, monthly, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, r->n_claims > 0);
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

/* A's and B's exports to each other by HS section: the exporter's own declaration (flow X);
 * for BACI the reconciled flow. Sections in HS order, "NS" (not specified) last. */
static int load_composition(sqlite3 *db, struct tr_report *r, int from, int to, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT v.year, v.reporter, v.code, v.name, v.value_usd, v.share_pct, "
                  "v.baseline_usd, v.change_pct FROM v_composition v "
                  "LEFT JOIN hs_section s ON s.section = v.code "
                  "WHERE v.source = ?1 AND v.grouping = 'section' AND v.flow = 'X' "
                  "AND ((v.reporter = ?2 AND v.partner = ?3) "
                  "OR (v.reporter = ?3 AND v.partner = ?2)) "
                  "AND v.year BETWEEN ?4 AND ?5 "
                  "ORDER BY v.year, v.reporter <> ?2, coalesce(s.ordinal, 99), v.code",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    bind_pair(st, r, from, to);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        void *p = reserve(r->composition, r->n_composition, &cap, sizeof(*r->composition));
        if (!p) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->composition = p;
        struct tr_composition_row *c = &r->composition[r->n_composition++];
        memset(c, 0, sizeof(*c));
        c->year = sqlite3_column_int(st, 0);
        copy_col(st, 1, c->exporter, sizeof(c->exporter));
        copy_col(st, 2, c->code, sizeof(c->code));
        c->value_usd = col_or_nan(st, 4);
        c->share_pct = col_or_nan(st, 5);
        c->baseline_usd = col_or_nan(st, 6);
        c->change_pct = col_or_nan(st, 7);
        if (!(c->name = dup_col(st, 3))) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
    }
    return done(db, st, s, e);
}

/* Each declared flow of A and of B beside the other's mirror declaration. v_mirror_gap has no
 * BACI rows (one reconciled figure per flow), so a BACI briefing gets none. */
static int load_mirror(sqlite3 *db, struct tr_report *r, int from, int to, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT year, reporter, partner, flow, reported_usd, mirror_usd, gap_usd, "
                  "ratio, flag FROM v_mirror_gap WHERE source = ?1 "
                  "AND ((reporter = ?2 AND partner = ?3) OR (reporter = ?3 AND partner = ?2)) "
                  "AND year BETWEEN ?4 AND ?5 ORDER BY year, reporter <> ?2, flow DESC",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    bind_pair(st, r, from, to);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        void *p = reserve(r->mirror, r->n_mirror, &cap, sizeof(*r->mirror));
        if (!p) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->mirror = p;
        struct tr_mirror_row *m = &r->mirror[r->n_mirror++];
        memset(m, 0, sizeof(*m));
        m->year = sqlite3_column_int(st, 0);
        copy_col(st, 1, m->reporter, sizeof(m->reporter));
        copy_col(st, 2, m->partner, sizeof(m->partner));
        copy_col(st, 3, m->flow, sizeof(m->flow));
        m->reported_usd = col_or_nan(st, 4);
        m->mirror_usd = col_or_nan(st, 5);
        m->gap_usd = col_or_nan(st, 6);
        m->ratio = col_or_nan(st, 7);
        copy_col(st, 8, m->flag, sizeof(m->flag));
    }
    return done(db, st, s, e);
}

/* The pair's monthly rows from every source that has them: monthly data often comes from
 * another source than the annual series (BACI is annual only), so each row names its own. */
static int load_monthly(sqlite3 *db, struct tr_report *r, int from, int to, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT year, month, reporter, partner, flow, value_usd, ytd_usd, "
                  "ytd_growth_pct, r12_usd, r12_growth_pct, source FROM v_trade_monthly_ytd "
                  "WHERE ((reporter = ?2 AND partner = ?3) OR (reporter = ?3 AND partner = ?2)) "
                  "AND year BETWEEN ?4 AND ?5 "
                  "ORDER BY reporter <> ?2, flow DESC, source, year, month",
                  e);
    if (rc)
        return rc;
    bind_pair(st, r, from, to);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        void *p = reserve(r->monthly, r->n_monthly, &cap, sizeof(*r->monthly));
        if (!p) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->monthly = p;
        struct tr_monthly_row *m = &r->monthly[r->n_monthly++];
        memset(m, 0, sizeof(*m));
        m->year = sqlite3_column_int(st, 0);
        m->month = sqlite3_column_int(st, 1);
        copy_col(st, 2, m->reporter, sizeof(m->reporter));
        copy_col(st, 3, m->partner, sizeof(m->partner));
        copy_col(st, 4, m->flow, sizeof(m->flow));
        m->value_usd = col_or_nan(st, 5);
        m->ytd_usd = col_or_nan(st, 6);
        m->ytd_growth_pct = col_or_nan(st, 7);
        m->r12_usd = col_or_nan(st, 8);
        m->r12_growth_pct = col_or_nan(st, 9);
        copy_col(st, 10, m->source, sizeof(m->source));
    }
    return done(db, st, s, e);
}

/* CHPL goods shipped to A or B (the view knows RUS and IRN as destinations), from the
 * briefing's source. Routes in a fixed order: 'all' first, the watched countries, 'other'. */
static int load_baskets(sqlite3 *db, struct tr_report *r, int from, int to, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT year, tier, destination, exporter, declared_by, value_usd, "
                  "baseline_usd, change_pct FROM v_basket_flows "
                  "WHERE source = ?1 AND basket = ?6 AND destination IN (?2, ?3) "
                  "AND year BETWEEN ?4 AND ?5 "
                  "ORDER BY destination <> ?2, tier, "
                  "CASE exporter WHEN 'all' THEN 0 WHEN 'other' THEN 2 ELSE 1 END, exporter, "
                  "declared_by, year",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    bind_pair(st, r, from, to);
    sqlite3_bind_text(st, 6, "CHPL", -1, SQLITE_STATIC);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        void *p = reserve(r->baskets, r->n_baskets, &cap, sizeof(*r->baskets));
        if (!p) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->baskets = p;
        struct tr_basket_row *k = &r->baskets[r->n_baskets++];
        memset(k, 0, sizeof(*k));
        k->year = sqlite3_column_int(st, 0);
        copy_col(st, 1, k->tier, sizeof(k->tier));
        copy_col(st, 2, k->destination, sizeof(k->destination));
        copy_col(st, 3, k->exporter, sizeof(k->exporter));
        copy_col(st, 4, k->declared_by, sizeof(k->declared_by));
        k->value_usd = col_or_nan(st, 5);
        k->baseline_usd = col_or_nan(st, 6);
        k->change_pct = col_or_nan(st, 7);
    }
    return done(db, st, s, e);
}

/* Claims about the pair, from every source: (a, b) is (A, B) or (B, A), where either side may
 * be a group that the country belonged to in the claim's year (EAEU for RUS). A claim about a
 * group and a third country (EAEU-CHN) is not about this pair and is left out. Per claim the
 * closest definition comes first; ties go to the briefing's own source. */
static int load_claims(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc =
        prep(db, &st,
             TR_REPORT_CLAIMS_ABOUT_CTE
             " SELECT claim_id, paraphrase, article, definition, source, unit, verdict, note,"
             " metric, year, computed_value, stated_value, diff_pct, is_closest"
             " FROM v_claim_check WHERE claim_id IN (SELECT claim_id FROM about)"
             " ORDER BY claim_id, is_closest DESC, source IS ?1 DESC, source IS NULL,"
             " source, definition",
             e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->b, -1, SQLITE_STATIC);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        void *p = reserve(r->claims, r->n_claims, &cap, sizeof(*r->claims));
        if (!p) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->claims = p;
        struct tr_claim_row *c = &r->claims[r->n_claims++];
        memset(c, 0, sizeof(*c));
        c->claim_id = sqlite3_column_int(st, 0);
        c->paraphrase = dup_col(st, 1);
        c->article = dup_col(st, 2);
        c->definition = dup_col(st, 3);
        c->source = dup_col(st, 4);
        c->unit = dup_col(st, 5);
        c->verdict = dup_col(st, 6);
        c->note = dup_col(st, 7);
        c->metric = dup_col(st, 8);
        c->year = sqlite3_column_int(st, 9); /* 0 when the claim names no year */
        c->computed_value = col_or_nan(st, 10);
        c->stated_value = col_or_nan(st, 11);
        c->diff_pct = col_or_nan(st, 12);
        c->is_closest = sqlite3_column_int(st, 13);
        if (!c->paraphrase || !c->article || !c->definition || !c->source || !c->unit ||
            !c->verdict || !c->note || !c->metric) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
    }
    return done(db, st, s, e);
}

/* --source as given, in any case, checked against dim_source: an unknown name is a usage
 * error that lists the names there are. */
static int resolve_source(sqlite3 *db, const char *given, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st,
                  "SELECT (SELECT source FROM dim_source WHERE source = lower(?1)), "
                  "(SELECT group_concat(source, ', ') FROM "
                  "(SELECT source FROM dim_source ORDER BY source))",
                  e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, given, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        copy_col(st, 0, r->source, sizeof(r->source));
    } else if (s == SQLITE_ROW) {
        const unsigned char *names = sqlite3_column_text(st, 1);
        tr_err_set(e, TR_EUSAGE,
                   "unknown source '%s' for --source: choose one of %s "
                   "(in any case)",
                   given, names ? (const char *)names : "none");
        sqlite3_finalize(st);
        return TR_EUSAGE;
    }
    return done(db, st, s == SQLITE_ROW ? SQLITE_DONE : s, e);
}

static int source_label(sqlite3 *db, struct tr_report *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT label FROM dim_source WHERE source = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        tr_utf8_copy(r->source_label, sizeof(r->source_label),
                     (const char *)sqlite3_column_text(st, 0));
    else
        snprintf(r->source_label, sizeof(r->source_label), "%s", r->source);
    sqlite3_finalize(st);
    return TR_OK;
}

/* Test hook, for tests only (tests/cli/test_hardening_db.sh): TR_TEST_REPORT_BETWEEN_READS
 * is a shell command run between the briefing's SELECTs, e.g. an import, to show that the
 * briefing still reads one state of the database. Its outcome is ignored. */
static void test_between_reads(void)
{
    const char *cmd = getenv("TR_TEST_REPORT_BETWEEN_READS");
    if (cmd && *cmd && system(cmd) == -1)
        fprintf(stderr, "tradereport: TR_TEST_REPORT_BETWEEN_READS: cannot run '%s'\n", cmd);
}

/* Every section, inside the caller's snapshot. */
static int load_sections(sqlite3 *db, const char *source, struct tr_report *r, struct tr_err *e)
{
    int rc, lo = r->from_year, hi = r->to_year;
    if ((rc = country_name(db, r->a, r->a_name, sizeof(r->a_name), e)) ||
        (rc = country_name(db, r->b, r->b_name, sizeof(r->b_name), e)))
        return rc;
    if (source) {
        if ((rc = resolve_source(db, source, r, e)))
            return rc;
    } else if ((rc = pick_source(db, r, e)))
        return rc;
    if ((rc = source_label(db, r, e)) || (rc = load_years(db, r, e)))
        return rc;
    test_between_reads();
    /* The sections below keep the range asked for, not the years the bilateral series
     * covers: monthly and basket data may run past the last complete annual year. */
    if ((rc = load_composition(db, r, lo, hi, e)) || (rc = load_mirror(db, r, lo, hi, e)) ||
        (rc = load_monthly(db, r, lo, hi, e)) || (rc = load_baskets(db, r, lo, hi, e)) ||
        (rc = load_claims(db, r, e)) || (rc = load_sources(db, r, lo, hi, e)))
        return rc;
    return TR_OK;
}

int tr_report_load(sqlite3 *db, const char *a, const char *b, int from, int to,
                   const char *source, struct tr_report *r, struct tr_err *e)
{
    struct tr_snapshot snap;
    memset(r, 0, sizeof(*r));
    snprintf(r->a, sizeof(r->a), "%s", a);
    snprintf(r->b, sizeof(r->b), "%s", b);
    r->from_year = from ? from : 0;
    r->to_year = to ? to : 9999;
    tr_now_iso(r->generated_at);
    snprintf(r->tool_version, sizeof(r->tool_version), "%s", TR_VERSION);
    /* one read transaction for the whole briefing: an import committed while it is read
     * (WAL lets it) must not give a bilateral total from before and a composition or a list
     * of sources from after */
    int rc = tr_snapshot_begin(&snap, db, e);
    if (!rc)
        rc = load_sections(db, source, r, e);
    tr_snapshot_end(&snap);
    return rc;
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
    for (size_t i = 0; i < r->n_composition; i++)
        free(r->composition[i].name);
    free(r->composition);
    free(r->mirror);
    free(r->monthly);
    free(r->baskets);
    for (size_t i = 0; i < r->n_claims; i++) {
        struct tr_claim_row *c = &r->claims[i];
        free(c->paraphrase);
        free(c->article);
        free(c->definition);
        free(c->source);
        free(c->unit);
        free(c->verdict);
        free(c->note);
        free(c->metric);
    }
    free(r->claims);
    memset(r, 0, sizeof(*r));
}
