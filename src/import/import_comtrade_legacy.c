/*
 * UN Comtrade legacy CSV (the retired API v1 and old bulk downloads, REFERENCE.md §2): the short
 * 22-column and the full 35-column header, and the other spellings of the same columns (found
 * by name, in any order; a pandas index column is ignored). Each row names its own HS revision,
 * so one file may mix H2, H3 and H4. Flow codes 1 M, 2 X, 3 RX, 4 RM; Period YYYY (annual)
 * or YYYYMM (monthly); countries by Comtrade numeric code (97 EU-28, 0 World), the ISO column
 * only when the number is unknown. The full layout's breakdown rows (2nd partner, customs
 * procedure, transport mode) go to fact_trade_breakdown. SITC and BEC files are not read.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tr/import.h"
#include "tr/import_columns.h"
#include "tr/num.h"
#include "tr/utf8.h"

#define COMTRADE_SOURCE_ID 2

/* The columns this reader uses, by the bulk-download spelling (REFERENCE.md §2), with the
 * other spellings the same column has in files of other API versions and tools: the API v1
 * JSON field names (written to CSV by pandas), the compact names of older exports
 * ("TradeFlow Code", "TradeValueUS", "CIF TradeValue"). Case, spaces and punctuation do not
 * count ("trade_value_usd" and "Netweightkg" match), see tr_column_key. */
enum field {
    F_CLASS,
    F_YEAR,
    F_PERIOD,
    F_FLOW,
    F_REPORTER,
    F_REPORTER_ISO,
    F_PARTNER,
    F_PARTNER_ISO,
    F_PARTNER2,
    F_PARTNER2_ISO,
    F_CUSTOMS,
    F_MOT,
    F_CMD,
    F_CMD_DESC,
    F_QTY_UNIT,
    F_QTY,
    F_NET_WGT,
    F_VALUE,
    F_CIF,
    F_FOB,
    F_FLAG,
    N_FIELDS
};

#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct tr_column COLS[N_FIELDS] = {
    [F_CLASS] = {"Classification", ALIASES("pfCode"), 1},
    [F_YEAR] = {"Year", ALIASES("yr"), 1},
    [F_PERIOD] = {"Period", NULL, 1},
    [F_FLOW] = {"Trade Flow Code", ALIASES("rgCode"), 1},
    [F_REPORTER] = {"Reporter Code", ALIASES("rtCode"), 1},
    [F_REPORTER_ISO] = {"Reporter ISO", ALIASES("rt3ISO"), 0},
    [F_PARTNER] = {"Partner Code", ALIASES("ptCode"), 1},
    [F_PARTNER_ISO] = {"Partner ISO", ALIASES("pt3ISO"), 0},
    [F_PARTNER2] = {"2nd Partner Code", ALIASES("ptCode2"), 0},
    [F_PARTNER2_ISO] = {"2nd Partner ISO", ALIASES("pt3ISO2"), 0},
    [F_CUSTOMS] = {"Customs Proc. Code", ALIASES("cstCode"), 0},
    [F_MOT] = {"Mode of Transport Code", ALIASES("motCode"), 0},
    [F_CMD] = {"Commodity Code", ALIASES("cmdCode"), 1},
    [F_CMD_DESC] = {"Commodity", ALIASES("cmdDescE"), 0},
    [F_QTY_UNIT] = {"Qty Unit Code", ALIASES("qtCode"), 0},
    [F_QTY] = {"Qty", ALIASES("TradeQuantity"), 0},
    [F_NET_WGT] = {"Netweight (kg)", ALIASES("NetWeight"), 0},
    [F_VALUE] = {"Trade Value (US$)", ALIASES("TradeValueUS", "TradeValue"), 1},
    [F_CIF] = {"CIF Trade Value (US$)", ALIASES("CIF TradeValue", "CIF TradeValueUS", "CIFValue"),
               0},
    [F_FOB] = {"FOB Trade Value (US$)", ALIASES("FOB TradeValue", "FOB TradeValueUS", "FOBValue"),
               0},
    [F_FLAG] = {"Flag", ALIASES("estCode"), 0},
};
#define FIELD_NAME(f) (COLS[f].name)

/* Legacy quantity unit codes, written as Comtrade Plus abbreviates them (qtyUnitAbbr), so
 * fact_trade.qty_unit means the same whichever layout a row came from. 1 = No Quantity. */
static const char *const UNIT_ABBR[] = {
    NULL, NULL, "m²",    "1000 kWh",     "m",   "u",  "2u",
    "l",  "kg", "1000u", "u (jeu/pack)", "12u", "m³", "carat",
};

struct code_cache {
    char code[16];
    int year, id;
};

struct legacy_state {
    int col[N_FIELDS]; /* header position of each field; -1 when the layout lacks it */
    struct code_cache reporter, partner, partner2;
};

struct row_ctx {
    struct tr_import *imp;
    const struct tr_csv_record *r;
    struct tr_err *e;
    const struct legacy_state *s;
};

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    int col[N_FIELDS];
    struct tr_column_match m;
    (void)file_name;
    tr_columns_map(h, COLS, N_FIELDS, col, &m);
    return tr_columns_score(&m, N_FIELDS);
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct legacy_state *s = tr_import_state(imp);
    struct tr_column_match m;
    tr_columns_map(h, COLS, N_FIELDS, s->col, &m);
    if (m.duplicate >= 0)
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "legacy Comtrade header names the column %s twice (columns %d "
                             "and %d)",
                             COLS[m.duplicate].name, s->col[m.duplicate] + 1, m.duplicate_at + 1);
    if (m.required_found < m.required) {
        char missing[400];
        tr_columns_missing(COLS, N_FIELDS, s->col, missing, sizeof(missing));
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a legacy Comtrade file: required columns missing: %s "
                             "(found %zu of the %zu required)",
                             missing, m.required_found, m.required);
    }
    tr_import_expect_fields(imp, h->n);
    return TR_OK;
}

/* Field f of the row ("" when the layout lacks it). */
static const char *field(const struct row_ctx *x, enum field f)
{
    return x->s->col[f] < 0 ? "" : tr_field(x->r, (size_t)x->s->col[f]);
}

/* Field f without surrounding spaces, cut to n - 1 bytes. A code written as a float by pandas
 * (a column with empty cells: "156.0") is read as the whole number it is. */
static const char *text(const struct row_ctx *x, enum field f, char *buf, size_t n)
{
    const char *s = field(x, f);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), s);
    tr_utf8_trim_partial(buf); /* a cut never halves a character */
    if (f != F_CMD && f != F_CMD_DESC)
        tr_column_whole_code(buf);
    return buf;
}

static int reject(const struct row_ctx *x, int f, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int reject(const struct row_ctx *x, int f, const char *type, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tr_utf8_trim_partial(msg);
    int rc = tr_import_reject(x->imp, x->r, f >= 0 ? FIELD_NAME(f) : NULL, type, "%s", msg);
    return rc ? tr_err_set(x->e, rc, "out of memory recording a rejected row") : TR_OK;
}

static int reject_number(const struct row_ctx *x, enum field f, int status)
{
    return reject(x, (int)f,
                  status == TR_NUM_EMPTY   ? "MISSING_VALUE"
                  : status == TR_NUM_RANGE ? "OUT_OF_RANGE"
                                           : "BAD_NUMBER",
                  "%s '%s': %s", FIELD_NAME(f), field(x, f), tr_num_strerror(status));
}

static int need(const struct row_ctx *x, enum field f, char *buf, size_t n, int *ok)
{
    *ok = *text(x, f, buf, n) != '\0';
    if (*ok)
        return TR_OK;
    return reject(x, (int)f, "MISSING_VALUE", "%s is empty", FIELD_NAME(f));
}

/* Country id of a numeric Comtrade code valid in year; the ISO code (WLD, EU2, RUS) only when
 * the number is unknown. 0 when neither is known. */
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

/* "HS" means "as reported": the reporter's own revision, which the row does not name. Take the
 * revision in force in that year (H0 to 1995, H1 1996, H2 2002, H3 2007, H4 2012, H5 2017, H6
 * 2022), which is what most reporters use and what Comtrade Plus files name for the same data. */
static int classification(const char *s, int year)
{
    static const int FROM[] = {0, 1996, 2002, 2007, 2012, 2017, 2022};
    if (strcmp(s, "HS") != 0)
        return tr_classification_id(s);
    int c = 0;
    for (int i = 0; i < 7; i++)
        if (year >= FROM[i])
            c = i;
    return c;
}

/* Year and month: Year, and Period YYYY (annual, month 0) or YYYYMM of that year. */
static int period(const struct row_ctx *x, int *year, int *month, int *ok)
{
    char ys[16], per[16];
    int64_t y;
    int rc;
    *ok = 0;
    if ((rc = need(x, F_YEAR, ys, sizeof(ys), ok)) || !*ok)
        return rc;
    if ((rc = need(x, F_PERIOD, per, sizeof(per), ok)) || !*ok)
        return rc;
    *ok = 0;
    int st = tr_parse_int(ys, strlen(ys), &y);
    if (st)
        return reject_number(x, F_YEAR, st);
    if (y < 1900 || y > 2155)
        return reject(x, F_YEAR, "OUT_OF_RANGE", "Year %lld", (long long)y);
    size_t pn = strlen(per);
    int m = pn == 6 ? (per[4] - '0') * 10 + (per[5] - '0') : 0;
    if (strspn(per, "0123456789") != pn || (pn != 4 && pn != 6) || strlen(ys) != 4 ||
        strncmp(per, ys, 4) != 0 || (pn == 6 && (m < 1 || m > 12)))
        return reject(x, F_PERIOD, "BAD_PERIOD", "Period '%s' is not YYYY or YYYYMM of Year %s",
                      per, ys);
    *year = (int)y;
    *month = m;
    *ok = 1;
    return TR_OK;
}

static int opt_double(const struct row_ctx *x, enum field f, double *v, int *ok)
{
    const char *s = field(x, f);
    int st = tr_parse_double(s, strlen(s), v);
    *ok = st == TR_NUM_OK || st == TR_NUM_EMPTY;
    if (st == TR_NUM_EMPTY)
        *v = NAN;
    return *ok ? TR_OK : reject_number(x, f, st);
}

static int opt_dollars(const struct row_ctx *x, enum field f, int64_t *v, int *ok)
{
    const char *s = field(x, f);
    int st = tr_parse_scaled(s, strlen(s), 0, v);
    *ok = st == TR_NUM_OK || st == TR_NUM_EMPTY;
    if (st == TR_NUM_EMPTY)
        *v = TR_MISSING_INT;
    return *ok ? TR_OK : reject_number(x, f, st);
}

/* The figures of the row into f: Trade Value (required, never negative), CIF and FOB values,
 * quantity with its unit and net weight, and the estimation Flag; unit_s (n bytes) holds a unit
 * code the table lacks, which f may point to. *ok = 0 after rejecting the row. */
static int values(const struct row_ctx *x, struct tr_fact *f, char *unit_s, size_t n, int *ok)
{
    char flag_s[16];
    const char *vs = field(x, F_VALUE);
    int rc, st = tr_parse_scaled(vs, strlen(vs), 0, &f->value_usd);
    *ok = 0;
    if (st)
        return reject_number(x, F_VALUE, st);
    if (f->value_usd < 0 || tr_num_is_negative(vs, strlen(vs)))
        return reject(x, F_VALUE, "NEGATIVE_VALUE", "Trade Value (US$) '%s' is negative", vs);
    if ((rc = opt_dollars(x, F_CIF, &f->cif_usd, ok)) || !*ok)
        return rc;
    if ((rc = opt_dollars(x, F_FOB, &f->fob_usd, ok)) || !*ok)
        return rc;
    if ((rc = opt_double(x, F_QTY, &f->qty, ok)) || !*ok)
        return rc;
    if ((rc = opt_double(x, F_NET_WGT, &f->net_wgt_kg, ok)) || !*ok)
        return rc;
    *ok = 0;
    const char *unit = NULL;
    text(x, F_QTY_UNIT, unit_s, n);
    int64_t uc = 0;
    if (*unit_s && tr_parse_int(unit_s, strlen(unit_s), &uc))
        return reject(x, F_QTY_UNIT, "BAD_NUMBER", "Qty Unit Code '%s' is not a number", unit_s);
    if (uc == 1)
        f->qty = NAN; /* "No Quantity" */
    else if (uc > 1 && uc < (int64_t)(sizeof(UNIT_ABBR) / sizeof(UNIT_ABBR[0])))
        unit = UNIT_ABBR[uc];
    else if (*unit_s)
        unit = unit_s; /* a code this table lacks: keep the code itself */

    /* Flag is the legacy API's estimation code: 2 quantity estimated, 4 weight estimated,
     * 6 both (as the API documentation gives them; not yet seen in a real file). */
    int64_t est = 0;
    if (*text(x, F_FLAG, flag_s, sizeof(flag_s)) &&
        (st = tr_parse_int(flag_s, strlen(flag_s), &est)))
        return reject_number(x, F_FLAG, st);
    f->qty_unit = isnan(f->qty) ? NULL : unit;
    f->flags = ((est & 2) && !isnan(f->qty) ? 1 : 0) |
               ((est & 4) && !isnan(f->net_wgt_kg) ? 2 : 0);
    *ok = 1;
    return TR_OK;
}

static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct legacy_state *s = tr_import_state(imp);
    struct row_ctx x = {imp, r, e, s};
    char cls_s[16], flow_s[8], rep_s[16], rep_iso[16], par_s[16], par_iso[16], p2_s[16];
    char p2_iso[16], customs[16], mot[16], cmd[16], unit_s[16];
    int rc, ok, year = 0, month = 0; /* set by period() when ok */

    if ((rc = period(&x, &year, &month, &ok)) || !ok)
        return rc;
    if ((rc = need(&x, F_CLASS, cls_s, sizeof(cls_s), &ok)) || !ok)
        return rc;
    int cls = classification(cls_s, year);
    if (cls < 0)
        return reject(&x, F_CLASS, "UNKNOWN_CODE",
                      "Classification '%s' is not an HS revision (H0..H6, HS)", cls_s);

    if ((rc = need(&x, F_REPORTER, rep_s, sizeof(rep_s), &ok)) || !ok)
        return rc;
    int reporter = country(imp, &s->reporter, rep_s,
                           text(&x, F_REPORTER_ISO, rep_iso, sizeof(rep_iso)), year);
    if (!reporter)
        return reject(&x, F_REPORTER, "UNKNOWN_CODE",
                      "Reporter Code '%s' (ISO '%s') is not a known Comtrade country code in %d",
                      rep_s, rep_iso, year);
    if ((rc = need(&x, F_PARTNER, par_s, sizeof(par_s), &ok)) || !ok)
        return rc;
    int partner = country(imp, &s->partner, par_s,
                          text(&x, F_PARTNER_ISO, par_iso, sizeof(par_iso)), year);
    if (!partner)
        return reject(&x, F_PARTNER, "UNKNOWN_CODE",
                      "Partner Code '%s' (ISO '%s') is not a known Comtrade country code in %d",
                      par_s, par_iso, year);

    static const char *const FLOWS[] = {NULL, "M", "X", "RX", "RM"};
    if ((rc = need(&x, F_FLOW, flow_s, sizeof(flow_s), &ok)) || !ok)
        return rc;
    if (strlen(flow_s) != 1 || flow_s[0] < '1' || flow_s[0] > '4')
        return reject(&x, F_FLOW, "UNKNOWN_CODE",
                      "Trade Flow Code '%s' is not 1 (import), 2 (export), 3 (re-export) or 4 "
                      "(re-import)",
                      flow_s);
    int flow = tr_flow_id(FLOWS[flow_s[0] - '0']);

    if ((rc = need(&x, F_CMD, cmd, sizeof(cmd), &ok)) || !ok)
        return rc;
    int level = tr_product_level(cmd);
    if (level != 0 && level != 2 && level != 4 && level != 6)
        return reject(&x, F_CMD, "BAD_PRODUCT",
                      "Commodity Code '%s' is neither TOTAL nor an HS code", cmd);

    /* Full layout: the totals over the breakdowns are 2nd partner 0, customs C00 and transport
     * mode 0, or the field left empty (as the 22-column layout, which has no breakdowns). */
    text(&x, F_PARTNER2, p2_s, sizeof(p2_s));
    text(&x, F_CUSTOMS, customs, sizeof(customs));
    text(&x, F_MOT, mot, sizeof(mot));
    int p2_total = !*p2_s || strcmp(p2_s, "0") == 0;
    int breakdown = !p2_total || (*customs && strcmp(customs, "C00") != 0) ||
                    (*mot && strcmp(mot, "0") != 0);
    int partner2 = 0;
    if (!p2_total) {
        partner2 = country(imp, &s->partner2, p2_s,
                           text(&x, F_PARTNER2_ISO, p2_iso, sizeof(p2_iso)), year);
        if (!partner2)
            return reject(&x, F_PARTNER2, "UNKNOWN_CODE",
                          "2nd Partner Code '%s' (ISO '%s') is not a known Comtrade country "
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
    if ((rc = values(&x, &f, unit_s, sizeof(unit_s), &ok)) || !ok)
        return rc;
    if ((rc = tr_codes_product(tr_import_codes(imp), cls, cmd, field(&x, F_CMD_DESC), &f.product,
                               e)))
        return rc;
    return tr_import_fact(imp, &f, r, e);
}

const struct tr_format tr_format_comtrade_legacy = {
    .name = "comtrade-legacy",
    .source = "comtrade",
    .description = "UN Comtrade legacy CSV (Classification..Flag, by column name)",
    .detect = detect,
    .begin = begin,
    .row = row,
    .state_size = sizeof(struct legacy_state),
};
