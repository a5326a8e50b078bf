/*
 * Users' own headline claims (--format claims): a CSV of our design, one claim per row, stored
 * in the claim table with origin 'user' and the load_id, beside the built-in claims. It checks
 * each value (metric and unit lists, known country or group codes, strict numbers); it does not
 * compute whether a claim holds — that is v_claim_check's job. The layout (also in
 * fixtures/claims/README-format.md):
 *
 *   article,published,paraphrase,metric,a,b,year,base_year,stated_value,unit,tolerance_pct,
 *   product_code,note
 *
 *   article       required  where the figure was printed (title, outlet)
 *   published     optional  free text, e.g. 2025 or 2025-03-01
 *   paraphrase    required  the claim in our own words
 *   metric        required  turnover | turnover_growth_pct | exports | imports |
 *                           tariff_pref_share | product_flow | not_measurable
 *   a, b          ISO3 codes (RUS, IRN, also specials such as W00) or group codes (EAEU, BRICS)
 *                 known to dim_country or country_group; required unless metric is
 *                 not_measurable
 *   year          integer 1900..2155; required unless metric is not_measurable
 *   base_year     optional integer, earlier than year (the growth base)
 *   stated_value  optional strict number (no thousands separators, NaN or Inf): US$ or percent
 *   unit          USD | pct | empty; required when stated_value is given
 *   tolerance_pct optional number >= 0, default 5
 *   product_code  optional HS code of 2, 4 or 6 digits, kept as text
 *   note          optional; stored as period_note (and as why_not_measurable for
 *                 not_measurable claims)
 *
 * Re-delivery: a claims file replaces, in the same transaction, every user claim brought by an
 * earlier committed claims load with the same file name (whatever folder it came from); those
 * loads become 'superseded' and rows_replaced counts the claims removed. The replacement is by
 * file name through load_log, not through load_partition: load_partition counts fact rows, and
 * the load_accounting check compares it with fact_trade, which holds no claims.
 * A header-only file with the same name therefore empties that name's claims.
 * Statements are prepared per row: claims files hold tens of rows, and nothing may outlive a row
 * when the pipeline stops a file part-way.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "tr/db.h"
#include "tr/import.h"
#include "tr/num.h"
#include "tr/stmt.h"
#include "tr/utf8.h"

enum col {
    C_ARTICLE,
    C_PUBLISHED,
    C_PARAPHRASE,
    C_METRIC,
    C_A,
    C_B,
    C_YEAR,
    C_BASE_YEAR,
    C_STATED_VALUE,
    C_UNIT,
    C_TOLERANCE,
    C_PRODUCT,
    C_NOTE,
    N_COLS
};

static const char *const HEADER[N_COLS] = {
    "article",
    "published",
    "paraphrase",
    "metric",
    "a",
    "b",
    "year",
    "base_year",
    "stated_value",
    "unit",
    "tolerance_pct",
    "product_code",
    "note",
};

/* The claim table's CHECK list (sql/0003_reference.sql). */
static const char *const METRICS[] = {"turnover",      "turnover_growth_pct", "exports",
                                      "imports",       "tariff_pref_share",   "product_flow",
                                      "not_measurable"};

#define DEFAULT_TOLERANCE 5.0

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    (void)file_name;
    return tr_header_is(h, HEADER, N_COLS) ? 100 : 0;
}

static int db_error(struct tr_import *imp, struct tr_err *e)
{
    sqlite3 *db = tr_import_db(imp);
    return tr_err_set(e, tr_stmt_code(sqlite3_errcode(db)), "database error loading '%s': %s",
                      tr_import_path(imp), sqlite3_errmsg(db));
}

/* Runs one statement with text/int arguments; *changes gets sqlite3_changes when not NULL. */
static int exec1(struct tr_import *imp, const char *sql, const char *text, long long num,
                 long *changes, struct tr_err *e)
{
    sqlite3 *db = tr_import_db(imp);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(imp, e);
    if (tr_stmt_bind_text(st, 1, text) | sqlite3_bind_int64(st, 2, num))
        return tr_stmt_bind_failed(st, e);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_error(imp, e);
    if (changes)
        *changes = sqlite3_changes(db);
    return TR_OK;
}

/* The earlier claims loads of this file name give way to this one (see the file comment). */
static int replace_earlier(struct tr_import *imp, struct tr_err *e)
{
    const char *name = tr_import_file_name(imp);
    long long me = tr_import_load_id(imp);
    long removed = 0;
    int rc = exec1(imp,
                   "DELETE FROM claim WHERE origin = 'user' AND load_id IN (SELECT load_id "
                   "FROM load_log WHERE format = 'claims' AND status = 'committed' "
                   "AND file_name = ?1 AND load_id <> ?2)",
                   name, me, &removed, e);
    if (rc)
        return rc;
    rc = exec1(imp,
               "UPDATE load_log SET status = 'superseded' WHERE format = 'claims' "
               "AND status = 'committed' AND file_name = ?1 AND load_id <> ?2",
               name, me, NULL, e);
    if (rc)
        return rc;
    tr_import_add_replaced(imp, removed);
    return TR_OK;
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    if (!tr_header_is(h, HEADER, N_COLS))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a claims file: the header must be article,published,"
                             "paraphrase,metric,a,b,year,base_year,stated_value,unit,"
                             "tolerance_pct,product_code,note");
    tr_import_expect_fields(imp, N_COLS);
    return replace_earlier(imp, e);
}

/* Field i without its surrounding spaces, copied into out (cut at n - 1 bytes). */
static const char *field(const struct tr_csv_record *r, int i, char *out, size_t n)
{
    const char *s = tr_field(r, (size_t)i);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    snprintf(out, n, "%.*s", (int)len, s);
    tr_utf8_trim_partial(out); /* a cut never halves a character */
    return out;
}

/* 1 when code is an ISO3/special code of dim_country or a group of country_group; -1 on a
 * database error. */
static int known_code(struct tr_import *imp, const char *code)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(tr_import_db(imp),
                           "SELECT EXISTS (SELECT 1 FROM dim_country WHERE iso3 = ?1) "
                           "OR EXISTS (SELECT 1 FROM country_group WHERE group_code = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (tr_stmt_bind_text(st, 1, code)) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    int known = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return known;
}

/* Reject types for a number status: empty is MISSING_VALUE, too large OUT_OF_RANGE. */
static const char *num_type(int st)
{
    return st == TR_NUM_EMPTY   ? "MISSING_VALUE"
           : st == TR_NUM_RANGE ? "OUT_OF_RANGE"
                                : "BAD_NUMBER";
}

struct claim {
    char article[1024], published[64], paraphrase[2048], metric[32], a[16], b[16];
    char unit[8], product[16], note[2048];
    int has_year, has_base, has_value;
    int64_t year, base_year;
    double value, tolerance;
};

/* Checks a or b; returns 1 when the row was rejected, -1 on a database error. */
static int check_code(struct tr_import *imp, const struct tr_csv_record *r, int col,
                      const char *code, int required, int *rc)
{
    if (!*code) {
        if (!required)
            return 0;
        *rc = tr_import_reject(imp, r, HEADER[col], "MISSING_VALUE",
                               "%s is required for a measurable claim", HEADER[col]);
        return 1;
    }
    int known = known_code(imp, code);
    if (known < 0)
        return -1;
    if (!known) {
        *rc = tr_import_reject(imp, r, HEADER[col], "UNKNOWN_CODE",
                               "%s '%s' is neither a known ISO3 code nor a country group",
                               HEADER[col], code);
        return 1;
    }
    return 0;
}

/* The text columns, the required ones and the metric with its codes. */
static int parse_texts(struct tr_import *imp, const struct tr_csv_record *r, struct claim *c,
                       int *rc)
{
    field(r, C_ARTICLE, c->article, sizeof(c->article));
    field(r, C_PUBLISHED, c->published, sizeof(c->published));
    field(r, C_PARAPHRASE, c->paraphrase, sizeof(c->paraphrase));
    field(r, C_METRIC, c->metric, sizeof(c->metric));
    field(r, C_A, c->a, sizeof(c->a));
    field(r, C_B, c->b, sizeof(c->b));
    field(r, C_UNIT, c->unit, sizeof(c->unit));
    field(r, C_PRODUCT, c->product, sizeof(c->product));
    field(r, C_NOTE, c->note, sizeof(c->note));

    if (!c->article[0] || !c->paraphrase[0]) {
        int col = c->article[0] ? C_PARAPHRASE : C_ARTICLE;
        *rc = tr_import_reject(imp, r, HEADER[col], "MISSING_VALUE", "%s is required",
                               HEADER[col]);
        return 1;
    }
    int known_metric = 0;
    for (size_t i = 0; i < sizeof(METRICS) / sizeof(METRICS[0]); i++)
        known_metric |= strcmp(c->metric, METRICS[i]) == 0;
    if (!known_metric) {
        *rc = tr_import_reject(imp, r, "metric", "BAD_VALUE",
                               "metric '%s' is not one of turnover, turnover_growth_pct, "
                               "exports, imports, tariff_pref_share, product_flow, "
                               "not_measurable",
                               c->metric);
        return 1;
    }
    int measurable = strcmp(c->metric, "not_measurable") != 0;
    int bad = check_code(imp, r, C_A, c->a, measurable, rc);
    if (!bad)
        bad = check_code(imp, r, C_B, c->b, measurable, rc);
    return bad;
}

/* The year (required unless the claim is not measurable) and the base year before it. */
static int parse_years(struct tr_import *imp, const struct tr_csv_record *r, struct claim *c,
                       int *rc)
{
    char buf[64];
    int measurable = strcmp(c->metric, "not_measurable") != 0;
    const char *s = tr_field(r, C_YEAR);
    int st = tr_parse_int(s, strlen(s), &c->year);
    c->has_year = st == TR_NUM_OK;
    if (st != TR_NUM_OK && (st != TR_NUM_EMPTY || measurable)) {
        *rc = tr_import_reject(imp, r, "year", num_type(st), "year '%s': %s",
                               field(r, C_YEAR, buf, sizeof(buf)), tr_num_strerror(st));
        return 1;
    }
    if (c->has_year && (c->year < 1900 || c->year > 2155)) {
        *rc = tr_import_reject(imp, r, "year", "OUT_OF_RANGE", "year %lld is not 1900..2155",
                               (long long)c->year);
        return 1;
    }
    s = tr_field(r, C_BASE_YEAR);
    st = tr_parse_int(s, strlen(s), &c->base_year);
    c->has_base = st == TR_NUM_OK;
    if (st != TR_NUM_OK && st != TR_NUM_EMPTY) {
        *rc = tr_import_reject(imp, r, "base_year", num_type(st), "base year '%s': %s",
                               field(r, C_BASE_YEAR, buf, sizeof(buf)), tr_num_strerror(st));
        return 1;
    }
    if (c->has_base && (c->base_year < 1900 || (c->has_year && c->base_year >= c->year))) {
        *rc = tr_import_reject(imp, r, "base_year", "OUT_OF_RANGE",
                               "base year %lld must be earlier than the year",
                               (long long)c->base_year);
        return 1;
    }
    return 0;
}

/* The stated value with its unit, the tolerance, and the product code's level. */
static int parse_value(struct tr_import *imp, const struct tr_csv_record *r, struct claim *c,
                       int *rc)
{
    char buf[64];
    const char *s = tr_field(r, C_STATED_VALUE);
    int st = tr_parse_double(s, strlen(s), &c->value);
    c->has_value = st == TR_NUM_OK;
    if (st != TR_NUM_OK && st != TR_NUM_EMPTY) {
        *rc = tr_import_reject(imp, r, "stated_value", num_type(st), "stated value '%s': %s",
                               field(r, C_STATED_VALUE, buf, sizeof(buf)), tr_num_strerror(st));
        return 1;
    }
    if (c->unit[0] && strcmp(c->unit, "USD") != 0 && strcmp(c->unit, "pct") != 0) {
        *rc = tr_import_reject(imp, r, "unit", "BAD_VALUE",
                               "unit '%s' is not USD or pct (or empty)", c->unit);
        return 1;
    }
    if (c->has_value && !c->unit[0]) {
        *rc = tr_import_reject(imp, r, "unit", "MISSING_VALUE",
                               "a stated value needs its unit: USD or pct");
        return 1;
    }
    s = tr_field(r, C_TOLERANCE);
    st = tr_parse_double(s, strlen(s), &c->tolerance);
    if (st == TR_NUM_EMPTY) {
        c->tolerance = DEFAULT_TOLERANCE;
    } else if (st != TR_NUM_OK || c->tolerance < 0) {
        *rc = tr_import_reject(imp, r, "tolerance_pct", st ? num_type(st) : "OUT_OF_RANGE",
                               "tolerance '%s': %s", field(r, C_TOLERANCE, buf, sizeof(buf)),
                               st ? tr_num_strerror(st) : "negative");
        return 1;
    }
    if (c->product[0]) {
        int level = tr_product_level(c->product);
        if (level != 2 && level != 4 && level != 6) {
            *rc = tr_import_reject(imp, r, "product_code", "BAD_PRODUCT",
                                   "product '%s' is not an HS code of 2, 4 or 6 digits",
                                   c->product);
            return 1;
        }
    }
    return 0;
}

/* Reads and checks one row into c; returns 1 when the row was rejected (rc holds the status of
 * tr_import_reject), -1 on a database error, 0 when the claim is good. */
static int parse(struct tr_import *imp, const struct tr_csv_record *r, struct claim *c, int *rc)
{
    int bad = parse_texts(imp, r, c, rc);
    if (!bad)
        bad = parse_years(imp, r, c, rc);
    if (!bad)
        bad = parse_value(imp, r, c, rc);
    return bad;
}

/* Empty text binds NULL; SQLite's code, as tr_stmt_bind_text */
static int bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    return tr_stmt_bind_text(st, i, *s ? s : NULL);
}

static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct claim c;
    int rc = TR_OK;
    memset(&c, 0, sizeof(c));
    int bad = parse(imp, r, &c, &rc);
    if (bad < 0)
        return db_error(imp, e);
    if (bad)
        return rc;

    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(tr_import_db(imp),
                           "INSERT INTO claim (origin, article, published, paraphrase, metric, "
                           "a, b, year, base_year, period_note, stated_value, unit, "
                           "tolerance_pct, product_code, why_not_measurable, load_id) "
                           "VALUES ('user',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(imp, e);
    int b = tr_stmt_bind_text(st, 1, c.article) | bind_opt_text(st, 2, c.published) |
            tr_stmt_bind_text(st, 3, c.paraphrase) | tr_stmt_bind_text(st, 4, c.metric) |
            bind_opt_text(st, 5, c.a) | bind_opt_text(st, 6, c.b);
    if (c.has_year)
        sqlite3_bind_int64(st, 7, c.year);
    if (c.has_base)
        sqlite3_bind_int64(st, 8, c.base_year);
    b |= bind_opt_text(st, 9, c.note);
    if (c.has_value)
        sqlite3_bind_double(st, 10, c.value);
    b |= bind_opt_text(st, 11, c.unit);
    sqlite3_bind_double(st, 12, c.tolerance);
    b |= bind_opt_text(st, 13, c.product);
    if (strcmp(c.metric, "not_measurable") == 0)
        b |= bind_opt_text(st, 14, c.note);
    sqlite3_bind_int64(st, 15, tr_import_load_id(imp));
    if (b)
        return tr_stmt_bind_failed(st, e);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return db_error(imp, e);
    tr_import_count_loaded(imp);
    return TR_OK;
}

const struct tr_format tr_format_claims = {
    .name = "claims",
    .source = "reference",
    .description = "headline claims from articles (article,published,paraphrase,metric,...)",
    .detect = detect,
    .begin = begin,
    .row = row,
};
