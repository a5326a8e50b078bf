/*
 * UN Comtrade Plus CSV (portal and API downloads, REFERENCE.md §1): the 47 columns found by name;
 * data rows with a trailing comma; every value quoted; annual (freqCode A) and monthly (M) rows.
 * The same data saved by the official Python client (getFinalData, then pandas to_csv) loads
 * too: an unnamed index column first, True/False, whole numbers written as floats (1420000000.0
 * is exactly 1,420,000,000), empty cells where the API said N/A.
 * Countries are resolved by Comtrade's numeric codes (842 USA, 699 India ...), the ISO-like
 * column only when the number is unknown. Breakdown rows (2nd partner, customs procedure,
 * transport mode) go to fact_trade_breakdown. Services files (typeCode S) are not read.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tr/import.h"
#include "tr/import_columns.h"
#include "tr/num.h"
#include "tr/utf8.h"

#define COMTRADE_SOURCE_ID 2

enum col {
    C_TYPE,
    C_FREQ,
    C_REF_PERIOD,
    C_REF_YEAR,
    C_REF_MONTH,
    C_PERIOD,
    C_REPORTER,
    C_REPORTER_ISO,
    C_REPORTER_DESC,
    C_FLOW,
    C_FLOW_DESC,
    C_PARTNER,
    C_PARTNER_ISO,
    C_PARTNER_DESC,
    C_PARTNER2,
    C_PARTNER2_ISO,
    C_PARTNER2_DESC,
    C_CLASS,
    C_CLASS_SEARCH,
    C_IS_ORIGINAL_CLASS,
    C_CMD,
    C_CMD_DESC,
    C_AGGR_LEVEL,
    C_IS_LEAF,
    C_CUSTOMS,
    C_CUSTOMS_DESC,
    C_MOS,
    C_MOT,
    C_MOT_DESC,
    C_QTY_UNIT,
    C_QTY_ABBR,
    C_QTY,
    C_QTY_EST,
    C_ALT_QTY_UNIT,
    C_ALT_QTY_ABBR,
    C_ALT_QTY,
    C_ALT_QTY_EST,
    C_NET_WGT,
    C_NET_WGT_EST,
    C_GROSS_WGT,
    C_GROSS_WGT_EST,
    C_CIF,
    C_FOB,
    C_PRIMARY,
    C_LEGACY_EST,
    C_IS_REPORTED,
    C_IS_AGGREGATE,
    N_COLS
};

static const char *const HEADER[N_COLS] = {
    "typeCode",
    "freqCode",
    "refPeriodId",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "flowDesc",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "partner2Code",
    "partner2ISO",
    "partner2Desc",
    "classificationCode",
    "classificationSearchCode",
    "isOriginalClassification",
    "cmdCode",
    "cmdDesc",
    "aggrLevel",
    "isLeaf",
    "customsCode",
    "customsDesc",
    "mosCode",
    "motCode",
    "motDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "isQtyEstimated",
    "altQtyUnitCode",
    "altQtyUnitAbbr",
    "altQty",
    "isAltQtyEstimated",
    "netWgt",
    "isNetWgtEstimated",
    "grossWgt",
    "isGrossWgtEstimated",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "legacyEstimationFlag",
    "isReported",
    "isAggregate",
};

/* The last code seen in a column and its id: files are sorted by reporter, and a reporter
 * has a handful of partners, so most rows repeat a key. */
struct code_cache {
    char code[16];
    int year, id;
};

/* The columns without which a row means nothing; the others may be absent (read as empty). */
static const enum col REQUIRED[] = {
    C_FREQ, C_REF_YEAR, C_PERIOD, C_REPORTER, C_FLOW, C_PARTNER, C_CLASS, C_CMD, C_PRIMARY,
};

struct comtrade_state {
    int col[N_COLS]; /* header position of each column; -1 when absent */
    size_t width;    /* header fields, without an empty one after a trailing comma */
    struct code_cache reporter, partner, partner2;
};

/* One data row being read, for the reject helper. */
struct row_ctx {
    struct tr_import *imp;
    const struct tr_csv_record *r;
    struct tr_err *e;
    const struct comtrade_state *s;
};

/* The column table: the reference names, no other spellings (the API has kept its names). */
static void columns(struct tr_column *cols)
{
    for (int c = 0; c < N_COLS; c++)
        cols[c] = (struct tr_column){HEADER[c], NULL, 0};
    for (size_t i = 0; i < sizeof(REQUIRED) / sizeof(REQUIRED[0]); i++)
        cols[REQUIRED[i]].required = 1;
}

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    struct tr_column cols[N_COLS];
    struct tr_column_match m;
    int col[N_COLS];
    (void)file_name;
    columns(cols);
    tr_columns_map(h, cols, N_COLS, col, &m);
    return tr_columns_score(&m, N_COLS);
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct comtrade_state *s = tr_import_state(imp);
    struct tr_column cols[N_COLS];
    struct tr_column_match m;
    columns(cols);
    tr_columns_map(h, cols, N_COLS, s->col, &m);
    if (m.duplicate >= 0)
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "Comtrade Plus header names the column %s twice (columns %d and "
                             "%d)",
                             HEADER[m.duplicate], s->col[m.duplicate] + 1, m.duplicate_at + 1);
    if (m.required_found < m.required) {
        char missing[400];
        tr_columns_missing(cols, N_COLS, s->col, missing, sizeof(missing));
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a Comtrade Plus file: required columns missing: %s (found "
                             "%zu of the %zu required)",
                             missing, m.required_found, m.required);
    }
    /* an export may write a trailing comma after the header as after the data rows */
    s->width = h->n > 1 && !*tr_field(h, h->n - 1) ? h->n - 1 : h->n;
    /* The field count is fixed by the first data row (see check_width), not here. */
    return TR_OK;
}

/* Column col of the row ("" when the file lacks the column). */
static const char *fld(const struct row_ctx *x, int col)
{
    return x->s->col[col] < 0 ? "" : tr_field(x->r, (size_t)x->s->col[col]);
}

/* Rejects the row; only a failure to record the reject stops the file. */
static int reject(const struct row_ctx *x, int col, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int reject(const struct row_ctx *x, int col, const char *type, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tr_utf8_trim_partial(msg);
    int rc = tr_import_reject(x->imp, x->r, col >= 0 ? HEADER[col] : NULL, type, "%s", msg);
    return rc ? tr_err_set(x->e, rc, "out of memory recording a rejected row") : TR_OK;
}

static int reject_number(const struct row_ctx *x, int col, int status)
{
    return reject(x, col,
                  status == TR_NUM_EMPTY   ? "MISSING_VALUE"
                  : status == TR_NUM_RANGE ? "OUT_OF_RANGE"
                                           : "BAD_NUMBER",
                  "%s '%s': %s", HEADER[col], fld(x, col), tr_num_strerror(status));
}

/* Column col without surrounding spaces, cut to n - 1 bytes. A code pandas wrote as a float
 * ("156.0", in a column with empty cells) is read as the whole number it is. */
static const char *text(const struct row_ctx *x, int col, char *buf, size_t n)
{
    const char *s = fld(x, col);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), s);
    tr_utf8_trim_partial(buf); /* a cut never halves a character */
    if (col != C_CMD)
        tr_column_whole_code(buf);
    return buf;
}

/* "true"/"false" (any case); empty is false. -1 for anything else. */
static int parse_bool(const char *s)
{
    if (!*s || strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
        return 0;
    if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
        return 1;
    return -1;
}

/* Data rows are 48 fields: 47 and the empty one after the trailing comma every Comtrade Plus
 * export writes. A file written without it (47 fields, e.g. re-saved by a spreadsheet or by
 * pandas, which adds its index column in front) is accepted too. The first data row decides
 * which for the whole file; from then on the pipeline rejects any other count as FIELD_COUNT
 * (and can spot a truncated last line). */
static int check_width(const struct row_ctx *x, int *ok)
{
    const struct tr_csv_record *r = x->r;
    size_t w = x->s->width;
    *ok = 0;
    if (r->n != w && r->n != w + 1)
        return reject(x, -1, "FIELD_COUNT",
                      "%zu fields, expected %zu (%zu and a trailing "
                      "comma)",
                      r->n, w + 1, w);
    if (r->n == w + 1 && *tr_field(r, w))
        return reject(x, -1, "FIELD_COUNT",
                      "%zu fields with a value after the %zuth column: '%.40s'", r->n, w,
                      tr_field(r, w));
    tr_import_expect_fields(x->imp, r->n);
    *ok = 1;
    return TR_OK;
}

/* Country id of a numeric Comtrade code valid in year; the ISO-like code (W00, S19, EU2, RUS)
 * only when the number is unknown. 0 when neither is known. */
static int country(struct tr_import *imp, struct code_cache *c, const char *code, const char *iso,
                   int year)
{
    if (c->id && c->year == year && strcmp(c->code, code) == 0)
        return c->id;
    int id = tr_codes_country(tr_import_codes(imp), "comtrade", code, year);
    if (id && strlen(code) < sizeof(c->code)) {
        snprintf(c->code, sizeof(c->code), "%s", code);
        c->year = year;
        c->id = id;
    }
    if (!id && *iso)
        id = tr_codes_country(tr_import_codes(imp), "iso3", iso, year);
    return id;
}

/* A mandatory text field, trimmed into buf; *ok = 0 after rejecting an empty one. */
static int need(const struct row_ctx *x, int col, char *buf, size_t n, int *ok)
{
    *ok = *text(x, col, buf, n) != '\0';
    if (*ok)
        return TR_OK;
    return reject(x, col, "MISSING_VALUE", "%s is empty", HEADER[col]);
}

/* Year and month of the row: refYear, and for monthly rows the month of period YYYYMM. */
static int period(const struct row_ctx *x, int *year, int *month, int *ok)
{
    char freq[8], per[16], buf[16], refm[8];
    int rc;
    int64_t y;
    *ok = 0;
    if ((rc = need(x, C_FREQ, freq, sizeof(freq), ok)) || !*ok)
        return rc;
    if ((rc = need(x, C_PERIOD, per, sizeof(per), ok)) || !*ok)
        return rc;
    *ok = 0;
    const char *ys = text(x, C_REF_YEAR, buf, sizeof(buf));
    int st = tr_parse_int(ys, strlen(ys), &y);
    if (st)
        return reject_number(x, C_REF_YEAR, st);
    if (y < 1900 || y > 2155)
        return reject(x, C_REF_YEAR, "OUT_OF_RANGE", "refYear %lld", (long long)y);
    *year = (int)y;
    size_t pn = strlen(per);
    if (strspn(per, "0123456789") != pn || (pn != 4 && pn != 6) || strncmp(per, ys, 4) != 0 ||
        strlen(ys) != 4)
        return reject(x, C_PERIOD, "BAD_PERIOD",
                      "period '%s' is not YYYY or YYYYMM of refYear %d", per, *year);
    text(x, C_REF_MONTH, refm, sizeof(refm));
    if (strcmp(freq, "A") == 0) {
        if (pn != 4)
            return reject(x, C_PERIOD, "BAD_PERIOD", "annual row with period '%s'", per);
        *month = 0;
    } else if (strcmp(freq, "M") == 0) {
        int m = pn == 6 ? (per[4] - '0') * 10 + (per[5] - '0') : 0;
        if (m < 1 || m > 12)
            return reject(x, C_PERIOD, "BAD_PERIOD", "monthly row with period '%s'", per);
        int64_t rm;
        if (*refm && (tr_parse_int(refm, strlen(refm), &rm) || rm != m))
            return reject(x, C_REF_MONTH, "BAD_PERIOD", "refMonth '%s' but period '%s'", refm,
                          per);
        *month = m;
    } else {
        return reject(x, C_FREQ, "UNKNOWN_CODE", "freqCode '%s' is neither A nor M", freq);
    }
    *ok = 1;
    return TR_OK;
}

/* An optional number: NAN when empty. */
static int opt_double(const struct row_ctx *x, int col, double *v, int *ok)
{
    const char *s = fld(x, col);
    int st = tr_parse_double(s, strlen(s), v);
    *ok = st == TR_NUM_OK || st == TR_NUM_EMPTY;
    if (st == TR_NUM_EMPTY)
        *v = NAN;
    return *ok ? TR_OK : reject_number(x, col, st);
}

/* An optional whole-dollar value: TR_MISSING_INT when empty; decimals are rounded. */
static int opt_dollars(const struct row_ctx *x, int col, int64_t *v, int *ok)
{
    const char *s = fld(x, col);
    int st = tr_parse_scaled(s, strlen(s), 0, v);
    *ok = st == TR_NUM_OK || st == TR_NUM_EMPTY;
    if (st == TR_NUM_EMPTY)
        *v = TR_MISSING_INT;
    return *ok ? TR_OK : reject_number(x, col, st);
}

static int flag(const struct row_ctx *x, int col, int *v, int *ok)
{
    char buf[16];
    *v = parse_bool(text(x, col, buf, sizeof(buf)));
    *ok = *v >= 0;
    if (*ok)
        return TR_OK;
    return reject(x, col, "BAD_VALUE", "%s '%s' is neither true nor false", HEADER[col], buf);
}

/* The figures of the row into f: primaryValue (required, never negative), CIF and FOB values,
 * quantity and net weight with their estimation flags; unit (n bytes) holds the quantity unit
 * f points to. *ok = 0 after rejecting the row. */
static int values(const struct row_ctx *x, struct tr_fact *f, char *unit, size_t n, int *ok)
{
    char unit_code[16];
    const char *pv = fld(x, C_PRIMARY);
    int rc, qty_est, wgt_est, st = tr_parse_scaled(pv, strlen(pv), 0, &f->value_usd);
    *ok = 0;
    if (st)
        return reject_number(x, C_PRIMARY, st);
    if (f->value_usd < 0 || tr_num_is_negative(pv, strlen(pv)))
        return reject(x, C_PRIMARY, "NEGATIVE_VALUE", "primaryValue '%s' is negative", pv);
    if ((rc = opt_dollars(x, C_CIF, &f->cif_usd, ok)) || !*ok)
        return rc;
    if ((rc = opt_dollars(x, C_FOB, &f->fob_usd, ok)) || !*ok)
        return rc;

    /* "No quantity" is written as unit -1 / N/A with qty 0: missing, not zero. */
    if ((rc = opt_double(x, C_QTY, &f->qty, ok)) || !*ok)
        return rc;
    if ((rc = flag(x, C_QTY_EST, &qty_est, ok)) || !*ok)
        return rc;
    text(x, C_QTY_UNIT, unit_code, sizeof(unit_code));
    text(x, C_QTY_ABBR, unit, n);
    if (strcmp(unit_code, "-1") == 0 || strcmp(unit, "N/A") == 0 || f->qty == 0)
        f->qty = NAN;
    /* TOTAL rows carry netWgt 0 flagged as estimated: no weight was reported. */
    if ((rc = opt_double(x, C_NET_WGT, &f->net_wgt_kg, ok)) || !*ok)
        return rc;
    if ((rc = flag(x, C_NET_WGT_EST, &wgt_est, ok)) || !*ok)
        return rc;
    if (f->net_wgt_kg == 0 && wgt_est)
        f->net_wgt_kg = NAN;
    f->qty_unit = isnan(f->qty) || !*unit ? NULL : unit;
    /* an estimation flag is kept only on a value that is there */
    f->flags = (qty_est && !isnan(f->qty) ? 1 : 0) | (wgt_est && !isnan(f->net_wgt_kg) ? 2 : 0);
    return TR_OK;
}

/* One data row: a fact, a breakdown fact, or a reject. */
static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct comtrade_state *s = tr_import_state(imp);
    struct row_ctx x = {imp, r, e, s};
    char type[8], flow_s[8], cls_s[16], rep_s[16], rep_iso[16], par_s[16], par_iso[16];
    char p2_s[16], p2_iso[16], cmd[16], customs[16], mot[16], unit[16];
    int rc, ok, year = 0, month = 0; /* set by period() when ok */

    if ((rc = check_width(&x, &ok)) || !ok)
        return rc;
    if (*text(&x, C_TYPE, type, sizeof(type)) && strcmp(type, "C") != 0)
        return reject(&x, C_TYPE, "UNKNOWN_CODE",
                      "typeCode '%s': only goods (C) are imported, not services", type);
    if ((rc = period(&x, &year, &month, &ok)) || !ok)
        return rc;

    if ((rc = need(&x, C_CLASS, cls_s, sizeof(cls_s), &ok)) || !ok)
        return rc;
    int cls = tr_classification_id(cls_s);
    if (cls < 0)
        return reject(&x, C_CLASS, "UNKNOWN_CODE",
                      "classificationCode '%s' is not an HS revision (H0..H6)", cls_s);

    if ((rc = need(&x, C_REPORTER, rep_s, sizeof(rep_s), &ok)) || !ok)
        return rc;
    int reporter = country(imp, &s->reporter, rep_s,
                           text(&x, C_REPORTER_ISO, rep_iso, sizeof(rep_iso)), year);
    if (!reporter)
        return reject(&x, C_REPORTER, "UNKNOWN_CODE",
                      "reporter code '%s' (ISO '%s') is not a known Comtrade country code in %d",
                      rep_s, rep_iso, year);
    if ((rc = need(&x, C_PARTNER, par_s, sizeof(par_s), &ok)) || !ok)
        return rc;
    int partner = country(imp, &s->partner, par_s,
                          text(&x, C_PARTNER_ISO, par_iso, sizeof(par_iso)), year);
    if (!partner)
        return reject(&x, C_PARTNER, "UNKNOWN_CODE",
                      "partner code '%s' (ISO '%s') is not a known Comtrade country code in %d",
                      par_s, par_iso, year);

    if ((rc = need(&x, C_FLOW, flow_s, sizeof(flow_s), &ok)) || !ok)
        return rc;
    int flow = tr_flow_id(flow_s);
    if (!flow)
        return reject(&x, C_FLOW, "UNKNOWN_CODE",
                      "flowCode '%s' is not one of M X RM RX MIP XIP MOP XOP DX FM", flow_s);

    if ((rc = need(&x, C_CMD, cmd, sizeof(cmd), &ok)) || !ok)
        return rc;
    int level = tr_product_level(cmd);
    if (level != 0 && level != 2 && level != 4 && level != 6)
        return reject(&x, C_CMD, "BAD_PRODUCT", "cmdCode '%s' is neither TOTAL nor an HS code",
                      cmd);

    /* Totals over the breakdowns are partner2Code 0, customsCode C00, motCode 0; an empty
     * field means the file has no such breakdown, which is the total too. */
    text(&x, C_PARTNER2, p2_s, sizeof(p2_s));
    text(&x, C_CUSTOMS, customs, sizeof(customs));
    text(&x, C_MOT, mot, sizeof(mot));
    int p2_total = !*p2_s || strcmp(p2_s, "0") == 0;
    int breakdown = !p2_total || (*customs && strcmp(customs, "C00") != 0) ||
                    (*mot && strcmp(mot, "0") != 0);
    int partner2 = 0;
    if (!p2_total) {
        partner2 = country(imp, &s->partner2, p2_s,
                           text(&x, C_PARTNER2_ISO, p2_iso, sizeof(p2_iso)), year);
        if (!partner2)
            return reject(&x, C_PARTNER2, "UNKNOWN_CODE",
                          "2nd partner code '%s' (ISO '%s') is not a known Comtrade country "
                          "code in %d",
                          p2_s, p2_iso, year);
    }

    struct tr_fact f = {
        .source_id = COMTRADE_SOURCE_ID,
        .classification = cls,
        .year = year,
        .month = month,
        .reporter = reporter,
        .partner = partner,
        .flow = flow,
        .breakdown = breakdown,
        .partner2 = partner2,
        .customs_code = *customs ? customs : NULL,
        .mot_code = *mot ? mot : NULL,
    };
    if ((rc = values(&x, &f, unit, sizeof(unit), &ok)) || !ok)
        return rc;
    if ((rc = tr_codes_product(tr_import_codes(imp), cls, cmd, fld(&x, C_CMD_DESC), &f.product,
                               e)))
        return rc;
    return tr_import_fact(imp, &f, r, e);
}

const struct tr_format tr_format_comtrade = {
    .name = "comtrade",
    .source = "comtrade",
    .description = "UN Comtrade Plus CSV (typeCode..isAggregate by name; pandas to_csv too)",
    .detect = detect,
    .begin = begin,
    .row = row,
    .state_size = sizeof(struct comtrade_state),
};
