/*
 * Header columns by normalised name (src/import/import_columns.c): the comparison key, the
 * mapping with aliases and duplicates, the missing-column list, the detection score and codes
 * pandas wrote as floats. Expected values are worked out by hand from the rules in the header.
 */
#include "tr/import_columns.h"
#include "tr_test.h"

/* A header record over fields (NULL-terminated). */
static struct tr_csv_record header(const char *const *f, size_t *len)
{
    size_t n = 0;
    for (; f[n]; n++)
        len[n] = strlen(f[n]);
    return (struct tr_csv_record){.n = n, .f = f, .len = len, .line = 1};
}

#define ALIASES(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct tr_column COLS[] = {
    {"Trade Flow Code", ALIASES("rgCode"), 1},
    {"Trade Value (US$)", ALIASES("TradeValueUS", "TradeValue"), 1},
    {"Netweight (kg)", NULL, 0},
    {"Commodity Code", NULL, 1},
};
#define N_COLS (sizeof(COLS) / sizeof(COLS[0]))

TR_TEST(column_key_ignores_case_spaces_punctuation)
{
    char k[32];
    tr_column_key("Trade Value (US$)", 17, k, sizeof(k));
    TR_CHECK_STR(k, "tradevalueusd");
    tr_column_key("trade_value_usd", 15, k, sizeof(k));
    TR_CHECK_STR(k, "tradevalueusd");
    tr_column_key(" TRADE VALUE US$ ", 17, k, sizeof(k));
    TR_CHECK_STR(k, "tradevalueusd");
    tr_column_key("TradeValueUS", 12, k, sizeof(k));
    TR_CHECK_STR(k, "tradevalueus"); /* no "$": an alias, not the same key */
    tr_column_key("Netweight (kg)", 14, k, sizeof(k));
    TR_CHECK_STR(k, "netweightkg");
    tr_column_key("Price $", 7, k, sizeof(k));
    TR_CHECK_STR(k, "price"); /* "$" counts only after "us" */
    tr_column_key("Netweight (kg)", 14, k, 5);
    TR_CHECK_STR(k, "netw"); /* cut to n - 1 */
}

TR_TEST(columns_map_by_name_in_any_order)
{
    const char *f[] = {"", "commodity_code", "NetWeight", "rgCode", "TradeValueUS", NULL};
    size_t len[8];
    struct tr_csv_record h = header(f, len);
    int col[N_COLS];
    struct tr_column_match m;
    tr_columns_map(&h, COLS, N_COLS, col, &m);
    TR_CHECK_INT(col[0], 3);
    TR_CHECK_INT(col[1], 4);
    TR_CHECK_INT(col[2], -1); /* "NetWeight" is no spelling of Netweight (kg) */
    TR_CHECK_INT(col[3], 1);
    TR_CHECK_INT(m.found, 3);
    TR_CHECK_INT(m.required_found, 3);
    TR_CHECK_INT(m.duplicate, -1);
    TR_CHECK_INT(tr_columns_score(&m, N_COLS), 100);
    TR_CHECK(tr_column_is_index(&h, 0));
    TR_CHECK(!tr_column_is_index(&h, 1));
}

TR_TEST(columns_missing_and_duplicates)
{
    const char *f[] = {"Trade Flow Code", "Netweight (kg)", "Commodity Code", NULL};
    size_t len[8];
    struct tr_csv_record h = header(f, len);
    int col[N_COLS];
    struct tr_column_match m;
    char buf[128];
    tr_columns_map(&h, COLS, N_COLS, col, &m);
    tr_columns_missing(COLS, N_COLS, col, buf, sizeof(buf));
    TR_CHECK_STR(buf, "Trade Value (US$)");
    /* 2 of 3 required: a near miss, 1 + 49 * 3 found / 4 columns = 37 */
    TR_CHECK_INT(tr_columns_score(&m, N_COLS), 37);

    const char *g[] = {"Netweight (kg)", "Commodity Code", NULL};
    h = header(g, len);
    tr_columns_map(&h, COLS, N_COLS, col, &m);
    tr_columns_missing(COLS, N_COLS, col, buf, sizeof(buf));
    TR_CHECK_STR(buf, "Trade Flow Code, Trade Value (US$)");
    TR_CHECK_INT(tr_columns_score(&m, N_COLS), 0); /* 1 of 3 required: not this format */

    const char *d[] = {"Trade Flow Code", "TradeValue", "Commodity Code", "Trade Value (US$)",
                       NULL};
    h = header(d, len);
    tr_columns_map(&h, COLS, N_COLS, col, &m);
    TR_CHECK_INT(m.duplicate, 1);
    TR_CHECK_INT(m.duplicate_at, 3);
    TR_CHECK_INT(col[1], 1); /* the first name is the one kept */
    TR_CHECK(tr_columns_score(&m, N_COLS) < 100);
}

TR_TEST(column_whole_code_cuts_only_a_float_zero)
{
    char a[] = "156.0", b[] = "-1.0", c[] = "10.5", d[] = "TOTAL", e[] = ".0", f[] = "1.00";
    tr_column_whole_code(a);
    tr_column_whole_code(b);
    tr_column_whole_code(c);
    tr_column_whole_code(d);
    tr_column_whole_code(e);
    tr_column_whole_code(f);
    TR_CHECK_STR(a, "156");
    TR_CHECK_STR(b, "-1");
    TR_CHECK_STR(c, "10.5");
    TR_CHECK_STR(d, "TOTAL");
    TR_CHECK_STR(e, ".0");
    TR_CHECK_STR(f, "1.00");
}
