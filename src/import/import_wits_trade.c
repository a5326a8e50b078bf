/*
 * WITS bulk trade CSV (REFERENCE.md §5): one row per reporter, partner, year, flow and product,
 * countries by ISO3 (WLD = World), TradeFlowCode 5 import / 6 export, TradeValueK in thousands
 * of US$ (stored as whole US$; Excel may have turned it into 4.00E+03). Empty Quantity or QtyUnit
 * "N.Q." is a missing quantity, not zero. Rows go to fact_trade through the shared pipeline;
 * reporter and partner names in the file are not used (the country master names countries).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tr/import.h"
#include "tr/num.h"
#include "tr/utf8.h"

#define WITS_SOURCE_ID 3

enum {
    C_NOMEN,
    C_REPORTER,
    C_PRODUCT,
    C_REPORTER_NAME,
    C_PARTNER,
    C_PARTNER_NAME,
    C_YEAR,
    C_FLOW_NAME,
    C_FLOW,
    C_VALUE,
    C_QTY,
    C_DESC,
    C_QTY_UNIT,
    C_NET_WGT,
    C_N
};

static const char *const HEADER[C_N] = {
    "Nomenclature",  "ReporterISO3", "ProductCode", "ReporterName",
    "PartnerISO3",   "PartnerName",  "Year",        "TradeFlowName",
    "TradeFlowCode", "TradeValueK",  "Quantity",    "ProductDescription",
    "QtyUnit",       "NetWeightKG",
};

/* What the rows say about the whole file, for load_log: one HS revision and year, or none. */
struct wits_trade_state {
    int classification, year; /* -1 / 0 until the first row, -2 / -1 once rows differ */
};

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    (void)file_name;
    return tr_header_is(h, HEADER, C_N) ? 100 : 0;
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct wits_trade_state *s = tr_import_state(imp);
    if (!tr_header_is(h, HEADER, C_N))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a WITS trade file: the header must be Nomenclature,"
                             "ReporterISO3,ProductCode,...,QtyUnit,NetWeightKG (14 columns)");
    s->classification = -1;
    s->year = 0;
    tr_import_expect_fields(imp, C_N);
    return TR_OK;
}

/* Field i without the spaces around it, cut to fit buf. */
static const char *field(const struct tr_csv_record *r, size_t i, char *buf, size_t n)
{
    const char *s = tr_field(r, i);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), s);
    tr_utf8_trim_partial(buf); /* a cut never halves a character */
    return buf;
}

/* The product code as stored: "TOTAL" for the all-goods row (WITS writes Total or TOTAL),
 * digits with an odd length given back the leading zero Excel took (80410 -> 080410).
 * Returns the level (tr_product_level) or -1. */
static int product_code(const char *in, char *out, size_t n)
{
    size_t len = strlen(in);
    if (strcasecmp(in, "total") == 0) {
        snprintf(out, n, "TOTAL");
        return 0;
    }
    int k = len && len % 2 == 1 && len < 6 && strspn(in, "0123456789") == len
                ? snprintf(out, n, "0%s", in)
                : snprintf(out, n, "%s", in);
    if (k < 0 || (size_t)k >= n) /* longer than any code: never judged by its cut prefix */
        return -1;
    return tr_product_level(out);
}

/* Follows the file's HS revision and year, so load_log names them when all rows agree. */
static void note_period(struct tr_import *imp, struct wits_trade_state *s, int cls, int year)
{
    if (s->classification == -1) {
        s->classification = cls;
        tr_import_set_classification(imp, cls);
    } else if (s->classification != cls && s->classification != -2) {
        s->classification = -2;
        tr_import_set_classification(imp, -1);
    }
    if (s->year == 0) {
        s->year = year;
        tr_import_set_year(imp, year);
    } else if (s->year != year && s->year != -1) {
        s->year = -1;
        tr_import_set_year(imp, 0);
    }
}

/* An optional quantity or weight: empty is missing (NAN); anything else must be a number. */
static int optional_number(const char *s, double *out)
{
    *out = NAN;
    if (!*s)
        return TR_NUM_OK;
    return tr_parse_double(s, strlen(s), out);
}

static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct wits_trade_state *s = tr_import_state(imp);
    struct tr_codes *codes = tr_import_codes(imp);
    char nomen[16], rep[16], par[16], prod[32], code[32], yr[16], flow[8], val[64], qty[64],
        unit[32], wgt[64], desc[1024];
    int64_t year, value;
    int st;

    field(r, C_NOMEN, nomen, sizeof(nomen));
    int cls = tr_classification_id(nomen);
    if (cls < 0)
        return tr_import_reject(imp, r, "Nomenclature", "BAD_CODE",
                                "nomenclature '%s' is not an HS revision (H0..H6)", nomen);
    field(r, C_YEAR, yr, sizeof(yr));
    if ((st = tr_parse_int(yr, strlen(yr), &year)) != TR_NUM_OK)
        return tr_import_reject(imp, r, "Year", "BAD_NUMBER", "year '%s': %s", yr,
                                tr_num_strerror(st));
    if (year < 1900 || year > 2155)
        return tr_import_reject(imp, r, "Year", "OUT_OF_RANGE", "year %lld", (long long)year);
    int iy = (int)year;
    int reporter = tr_codes_country(codes, "iso3", field(r, C_REPORTER, rep, sizeof(rep)), iy);
    if (!reporter)
        return tr_import_reject(imp, r, "ReporterISO3", "UNKNOWN_CODE",
                                "reporter '%s' is not a known ISO3 code in %d", rep, iy);
    int partner = tr_codes_country(codes, "iso3", field(r, C_PARTNER, par, sizeof(par)), iy);
    if (!partner)
        return tr_import_reject(imp, r, "PartnerISO3", "UNKNOWN_CODE",
                                "partner '%s' is not a known ISO3 code in %d", par, iy);
    field(r, C_FLOW, flow, sizeof(flow));
    int flow_id = strcmp(flow, "5") == 0   ? tr_flow_id("M")
                  : strcmp(flow, "6") == 0 ? tr_flow_id("X")
                                           : 0;
    if (!flow_id)
        return tr_import_reject(imp, r, "TradeFlowCode", "UNKNOWN_CODE",
                                "trade flow code '%s': WITS uses 5 (import) and 6 (export)",
                                flow);
    field(r, C_PRODUCT, prod, sizeof(prod));
    if (product_code(prod, code, sizeof(code)) < 0)
        return tr_import_reject(imp, r, "ProductCode", "BAD_PRODUCT",
                                "product '%s' is not an HS code or Total", prod);
    field(r, C_VALUE, val, sizeof(val));
    if ((st = tr_parse_scaled(val, strlen(val), 3, &value)) != TR_NUM_OK)
        return tr_import_reject(imp, r, "TradeValueK",
                                st == TR_NUM_EMPTY   ? "MISSING_VALUE"
                                : st == TR_NUM_RANGE ? "OUT_OF_RANGE"
                                                     : "BAD_NUMBER",
                                "value '%s': %s", val, tr_num_strerror(st));
    if (value < 0 || tr_num_is_negative(val, strlen(val)))
        return tr_import_reject(imp, r, "TradeValueK", "NEGATIVE_VALUE", "value '%s' is negative",
                                val);
    double q, w;
    field(r, C_QTY_UNIT, unit, sizeof(unit));
    if ((st = optional_number(field(r, C_QTY, qty, sizeof(qty)), &q)) != TR_NUM_OK)
        return tr_import_reject(imp, r, "Quantity",
                                st == TR_NUM_RANGE ? "OUT_OF_RANGE" : "BAD_NUMBER",
                                "quantity '%s': %s", qty, tr_num_strerror(st));
    if (strcmp(unit, "N.Q.") == 0 || !*unit)
        q = NAN; /* "no quantity": a number beside it would be a placeholder, not a count */
    if ((st = optional_number(field(r, C_NET_WGT, wgt, sizeof(wgt)), &w)) != TR_NUM_OK)
        return tr_import_reject(imp, r, "NetWeightKG",
                                st == TR_NUM_RANGE ? "OUT_OF_RANGE" : "BAD_NUMBER",
                                "net weight '%s': %s", wgt, tr_num_strerror(st));
    int product, rc;
    field(r, C_DESC, desc, sizeof(desc));
    if ((rc = tr_codes_product(codes, cls, code, *desc ? desc : NULL, &product, e)))
        return rc;
    note_period(imp, s, cls, iy);
    /* one value per row: dim_source states its basis (imports CIF, exports FOB); cif_usd and
     * fob_usd are kept for files that give both apart */
    struct tr_fact f = {
        .source_id = WITS_SOURCE_ID,
        .classification = cls,
        .year = iy,
        .month = 0,
        .reporter = reporter,
        .partner = partner,
        .flow = flow_id,
        .product = product,
        .value_usd = value,
        .net_wgt_kg = w,
        .qty = q,
        .qty_unit = isnan(q) ? NULL : unit,
        .cif_usd = TR_MISSING_INT,
        .fob_usd = TR_MISSING_INT,
    };
    return tr_import_fact(imp, &f, r, e);
}

const struct tr_format tr_format_wits_trade = {
    .name = "wits-trade",
    .source = "wits",
    .description = "WITS bulk trade CSV (Nomenclature,ReporterISO3,...; TradeValueK in thousands "
                   "of US$)",
    .detect = detect,
    .begin = begin,
    .row = row,
    .state_size = sizeof(struct wits_trade_state),
};
