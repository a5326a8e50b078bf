/*
 * Unit tests of xlsx.c: a hand-built RUS/IRN report (2019-2022, with unreported figures, and
 * every section: monthly, mirror, composition, baskets, claims) is written and then read back
 * by an independent reader, tests/tools/xlsx_dump.py (openpyxl under /usr/bin/python3).
 * Expected numbers and cell references are worked out by hand below, never taken from xlsx.c.
 * Run from the repository root.
 */
#include "tr_test.h"
#include "tr/xlsx.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DUMP "/usr/bin/python3 tests/tools/xlsx_dump.py"

static char out[1 << 18]; /* the reader's stdout of the last dump() */

/* Runs the reader on file with the given arguments; returns its exit status (-1: no exit). */
static int dump(const char *file, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), DUMP " '%s' %s", file, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The value of cell ref in out ("A1\tvalue" lines), or NULL when the cell is empty. */
static const char *cell(const char *ref)
{
    static char val[4096];
    size_t k = strlen(ref);
    for (const char *l = out; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        if (strncmp(l, ref, k) == 0 && l[k] == '\t') {
            const char *v = l + k + 1, *end = strchr(v, '\n');
            size_t n = end ? (size_t)(end - v) : strlen(v);
            if (n >= sizeof(val))
                n = sizeof(val) - 1;
            memcpy(val, v, n);
            val[n] = '\0';
            return val;
        }
    }
    return NULL;
}

/* The reference ("A7") of the first cell whose whole value is text, or NULL. */
static const char *find(const char *text)
{
    static char ref[16];
    size_t k = strlen(text);
    for (const char *l = out; *l;) {
        const char *tab = strchr(l, '\t'), *end = strchr(l, '\n');
        if (!tab || (end && tab > end))
            return NULL;
        size_t n = end ? (size_t)(end - tab - 1) : strlen(tab + 1);
        if (n == k && strncmp(tab + 1, text, k) == 0 && (size_t)(tab - l) < sizeof(ref)) {
            memcpy(ref, l, (size_t)(tab - l));
            ref[tab - l] = '\0';
            return ref;
        }
        if (!end)
            break;
        l = end + 1;
    }
    return NULL;
}

static double num(const char *s)
{
    return s ? strtod(s, NULL) : NAN;
}

static char src_file[] = "BACI_HS17_Y2022_V202401b.csv";
static char src_format[] = "baci";
static char src_sha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
static char src_release[] = "V202401b";
static char src_loaded[] = "2024-03-01T10:00:00Z";

/* RUS/IRN 2019-2022 in US$. IRN reported nothing for 2021, RUS nothing for 2022. */
static struct tr_bilateral_year years[] = {
    {2019, 1234567890, 456000000, 400000000, 1100000000, 1690567890, 1500000000, 1690567890, "A",
     NAN},
    {2020, 1500000000, 500000000, 450000000, 1300000000, 2000000000, 1750000000, 2000000000, "A",
     18.3},
    {2021, 1800000000, 600000000, NAN, NAN, 2400000000, NAN, 2400000000, "A", 20.0},
    {2022, NAN, NAN, 1000000000, 2300000000, NAN, 3300000000, 3300000000, "B", 37.5},
};

/* Monthly rows from another source than the annual series (as with BACI + Comtrade). */
static struct tr_monthly_row monthly[] = {
    {.year = 2022,
     .month = 1,
     .reporter = "RUS",
     .partner = "IRN",
     .flow = "X",
     .value_usd = 250e6,
     .ytd_usd = 250e6,
     .ytd_growth_pct = NAN,
     .r12_usd = NAN,
     .r12_growth_pct = NAN,
     .source = "comtrade"},
    {.year = 2022,
     .month = 2,
     .reporter = "RUS",
     .partner = "IRN",
     .flow = "X",
     .value_usd = 300e6,
     .ytd_usd = 550e6,
     .ytd_growth_pct = 10.0,
     .r12_usd = NAN,
     .r12_growth_pct = NAN,
     .source = "comtrade"},
    {.year = 2023,
     .month = 1,
     .reporter = "IRN",
     .partner = "RUS",
     .flow = "M",
     .value_usd = 400e6,
     .ytd_usd = 400e6,
     .ytd_growth_pct = -20.5,
     .r12_usd = 4800e6,
     .r12_growth_pct = 12.25,
     .source = "comtrade"},
};

/* As report.c orders them: by year, reporter (A first), flow (X first). The sheet regroups
 * them by declaration: RUS X 2020-2021 in rows 2-3, RUS M in 4-5, IRN X in 6-7, IRN M 8-9. */
static struct tr_mirror_row mirror[] = {
    {2020, "RUS", "IRN", "X", 1500e6, 1600e6, 100e6, 1.0667, "within CIF/FOB margin"},
    {2020, "RUS", "IRN", "M", 500e6, 450e6, 50e6, 1.1111, "within CIF/FOB margin"},
    {2020, "IRN", "RUS", "X", 450e6, 500e6, 50e6, 1.1111, "within CIF/FOB margin"},
    {2020, "IRN", "RUS", "M", 1600e6, 1500e6, 100e6, 1.0667, "within CIF/FOB margin"},
    {2021, "RUS", "IRN", "X", 1800e6, NAN, NAN, NAN, "only reporter declared"},
    {2021, "RUS", "IRN", "M", 600e6, NAN, NAN, NAN, "only reporter declared"},
    {2021, "IRN", "RUS", "X", NAN, 600e6, NAN, NAN, "only partner declared"},
    {2021, "IRN", "RUS", "M", NAN, 1800e6, NAN, NAN, "only partner declared"},
};

/* RUS exports in 2020, 2021 and 2022; IRN's in 2020 and 2022 only: the years both have are
 * 2020 and 2022, so both charts compare 2020 with 2022 (2021 is not there for IRN). Shares of
 * each year sum to 100. */
static struct tr_composition_row composition[] = {
    {2020, "RUS", "II", "Vegetable products", 400e6, 40.0, 500e6, -20.0},
    {2020, "RUS", "NS", "not specified", 600e6, 60.0, 400e6, 50.0},
    {2020, "IRN", "II", "Vegetable products", 300e6, 75.0, NAN, NAN},
    {2020, "IRN", "NS", "not specified", 100e6, 25.0, NAN, NAN},
    {2021, "RUS", "II", "Vegetable products", 500e6, 50.0, 500e6, 0.0},
    {2021, "RUS", "IX", "Wood and articles of wood", 100e6, 10.0, 100e6, 0.0},
    {2021, "RUS", "NS", "not specified", 400e6, 40.0, 400e6, 0.0},
    {2022, "RUS", "II", "Vegetable products", 900e6, 45.0, 500e6, 80.0},
    {2022, "RUS", "XVI", "Machinery and mechanical appliances", 700e6, 35.0, NAN, NAN},
    {2022, "RUS", "NS", "not specified", 400e6, 20.0, 400e6, 0.0},
    {2022, "IRN", "II", "Vegetable products", 600e6, 60.0, NAN, NAN},
    {2022, "IRN", "XI", "Textiles and textile articles", 400e6, 40.0, NAN, NAN},
};

static struct tr_basket_row baskets[] = {
    {2021, "1", "RUS", "all", "exporter", 2000e6, 2000e6, 0.0},
    {2022, "1", "RUS", "all", "exporter", 3000e6, 2000e6, 50.0},
    {2022, "1", "RUS", "CHN", "exporter", 2500e6, NAN, NAN},
    {2022, "3.B", "IRN", "other", "importer", 12.5e6, 10e6, 25.0},
};

/* Claim 1 twice (closest first), a US$ claim, a claim trade data cannot test, and a claim
 * that states no figure (so no unit) while the data show a US$ flow. */
static struct tr_claim_row claims[] = {
    {1, "Trade grew by about 81% in 2021.", "Explainer", "best turnover, growth 2021 on 2020",
     "baci", "pct", "consistent", "", "turnover_growth_pct", 2021, 82.07, 81, -1.31, 1},
    {1, "Trade grew by about 81% in 2021.", "Explainer",
     "turnover as IRN reports (mirror), growth 2021 on 2020", "comtrade", "pct", "no data", "",
     "turnover_growth_pct", 2021, NAN, 81, NAN, 0},
    {2, "Trade reached a record US$3.3 billion in 2021.", "Explainer", "best turnover, 2021",
     "baci", "USD", "understated", "", "turnover", 2021, 4042e6, 3.3e9, -18.36, 1},
    {5, "Russia is the biggest foreign investor in Iran.", "Explainer",
     "not measurable from trade data", "", "", "not measurable",
     "investment, not trade: trade data cannot measure it", "not_measurable", 0, NAN, NAN, NAN,
     0},
    {6, "Iran provides drones to Russia.", "Ties", "IRN's exports of HS 8806 to RUS, 2022",
     "comtrade", "", "not measurable", "the claim states no figure; the data show this flow",
     "product_flow", 2022, 12.5e6, NAN, NAN, 0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void fixture(struct tr_report *r, struct tr_source_file *src)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->a, sizeof(r->a), "RUS");
    snprintf(r->b, sizeof(r->b), "IRN");
    snprintf(r->a_name, sizeof(r->a_name), "Russian Federation");
    snprintf(r->b_name, sizeof(r->b_name), "Iran");
    snprintf(r->source, sizeof(r->source), "baci");
    snprintf(r->source_label, sizeof(r->source_label), "CEPII BACI (reconciled, FOB)");
    r->from_year = 2019;
    r->to_year = 2022;
    snprintf(r->generated_at, sizeof(r->generated_at), "2023-01-02T03:04:05Z");
    snprintf(r->tool_version, sizeof(r->tool_version), "0.1.0");
    r->n_years = COUNT(years);
    r->years = years;
    *src = (struct tr_source_file){.load_id = 7,
                                   .file_name = src_file,
                                   .format = src_format,
                                   .sha256 = src_sha,
                                   .release = src_release,
                                   .loaded_at = src_loaded,
                                   .rows_loaded = 123456};
    r->n_sources = 1;
    r->sources = src;
    r->n_monthly = COUNT(monthly);
    r->monthly = monthly;
    r->n_mirror = COUNT(mirror);
    r->mirror = mirror;
    r->n_composition = COUNT(composition);
    r->composition = composition;
    r->n_baskets = COUNT(baskets);
    r->baskets = baskets;
    r->n_claims = COUNT(claims);
    r->claims = claims;
}

/* Writes the fixture to <tmpdir>/name; returns tr_xlsx_write's code. */
static int write_fixture(const char *name, char *path, size_t n)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    fixture(&r, &src);
    tr_err_init(&e);
    snprintf(path, n, "%s/%s", tr_test_tmpdir(), name);
    return tr_xlsx_write(&r, path, &e);
}

TR_TEST(xlsx_sheets_in_order)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "sheets"), 0);
    TR_CHECK_STR(out, "Summary\nBilateral\nMonthly\nMirror\nComposition\nBaskets\n"
                      "Baskets charts\nClaims\nSources\nDefinitions\nChart data\n");
}

TR_TEST(xlsx_bilateral_headers)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Bilateral"), 0);
    TR_CHECK_STR(cell("A1"), "Year");
    TR_CHECK_STR(cell("B1"), "RUS exports to IRN (as RUS reports), US$ m");
    TR_CHECK_STR(cell("C1"), "RUS imports from IRN (as RUS reports), US$ m");
    TR_CHECK_STR(cell("D1"), "IRN exports to RUS (as IRN reports), US$ m");
    TR_CHECK_STR(cell("E1"), "IRN imports from RUS (as IRN reports), US$ m");
    TR_CHECK_STR(cell("F1"), "Turnover as RUS reports, US$ m");
    TR_CHECK_STR(cell("G1"), "Turnover as IRN reports, US$ m");
    TR_CHECK_STR(cell("H1"), "Turnover (best), US$ m");
    TR_CHECK_STR(cell("I1"), "Best side");
    TR_CHECK_STR(cell("J1"), "YoY growth %");
    TR_CHECK_STR(cell("K1"), "Goods covered");
    TR_CHECK_STR(cell("K2"), "all goods"); /* the fixture's years are all goods */
    TR_CHECK(cell("L1") == NULL);
}

TR_TEST(xlsx_bilateral_values_in_millions)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Bilateral"), 0);
    TR_CHECK_STR(cell("A2"), "2019");
    TR_CHECK_STR(cell("A5"), "2022");
    TR_CHECK(cell("A6") == NULL);
    /* 1,234,567,890 US$ = 1234.56789 US$ m */
    TR_CHECK_NEAR(num(cell("B2")), 1234.56789, 1e-9);
    TR_CHECK_NEAR(num(cell("C2")), 456.0, 1e-9);
    TR_CHECK_NEAR(num(cell("F2")), 1690.56789, 1e-9);
    TR_CHECK_NEAR(num(cell("H5")), 3300.0, 1e-9);
    TR_CHECK_STR(cell("I2"), "RUS");
    TR_CHECK_STR(cell("I5"), "IRN");
    /* growth 18.3 % and 37.5 % are stored as fractions */
    TR_CHECK_NEAR(num(cell("J3")), 0.183, 1e-12);
    TR_CHECK_NEAR(num(cell("J5")), 0.375, 1e-12);
}

TR_TEST(xlsx_missing_figures_are_empty_not_zero)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Bilateral"), 0);
    TR_CHECK(cell("J2") == NULL); /* no growth for the first year */
    TR_CHECK(cell("D4") == NULL); /* IRN silent in 2021 */
    TR_CHECK(cell("E4") == NULL);
    TR_CHECK(cell("G4") == NULL);
    TR_CHECK(cell("B5") == NULL); /* RUS silent in 2022 */
    TR_CHECK(cell("F5") == NULL);
    TR_CHECK_NEAR(num(cell("D5")), 1000.0, 1e-9); /* its neighbours are there */
}

TR_TEST(xlsx_line_chart_of_turnover)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "charts Bilateral"), 0);
    TR_CHECK_STR(out, "lineChart\t5\n");
    TR_CHECK_INT(dump(path, "charts Summary"), 0);
    TR_CHECK_STR(out, "");
    /* the best figure wide and solid, each side's figure dashed or dotted over it, every
     * point marked (a year after a gap is a lone marker); claim 2 (US$ turnover, 2021) as
     * two points without a line, in two colours: stated 3,300, computed 4,042 */
    TR_CHECK_INT(dump(path, "style Bilateral"), 0);
    TR_CHECK_STR(out, "1\t'Chart data'!$D$2\tmarker circle\tline solid 3.50\n"
                      "1\t'Chart data'!$B$2\tmarker square\tline dash 1.50\n"
                      "1\t'Chart data'!$C$2\tmarker triangle\tline sysDot 1.50\n"
                      "1\t'Chart data'!$E$2\tmarker diamond\tline none\n"
                      "1\t'Chart data'!$F$2\tmarker diamond\tline none\n");
    TR_CHECK_INT(dump(path, "series Bilateral"), 0);
    TR_CHECK(strstr(out, "'Chart data'!$A$3:$A$6\t'Chart data'!$D$3:$D$6\n") != NULL);
    TR_CHECK_INT(dump(path, "cells 'Chart data'"), 0);
    TR_CHECK_STR(cell("B2"), "Turnover as RUS reports");
    TR_CHECK_STR(cell("D2"), "Turnover (best)");
    TR_CHECK_STR(cell("A3"), "2019");
    TR_CHECK_NEAR(num(cell("B3")), 1690.56789, 1e-9); /* as Bilateral F2 */
    TR_CHECK_NEAR(num(cell("D6")), 3300.0, 1e-9);     /* as Bilateral H5 */
    TR_CHECK_NEAR(num(cell("E5")), 3300.0, 1e-9);     /* claim 2, 2021, stated */
    TR_CHECK_NEAR(num(cell("F5")), 4042.0, 1e-9);     /* ... and computed */
    TR_CHECK(cell("E4") == NULL);
}

/* Printed: A4 landscape, one page wide, the header row on every page, each chart on a page of
 * its own under its table, anchored so that a filter does not shrink it. */
TR_TEST(xlsx_print_setup)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "print Bilateral"), 0);
    TR_CHECK(strstr(out, "orientation\tlandscape\npaper\t9\nfit\t1\t0\ntitles\t$1:$1\n") == out);
    /* 4 years in rows 2-5, the chart from row 7 (a page break after row 6), 22 rows tall */
    TR_CHECK(strstr(out, "area\t['$A$1:$L$29']\nbreaks\t6\nanchor\tA7\tabsolute\n") != NULL);
    /* the wrapped header row is as tall as its longest header needs */
    TR_CHECK(strstr(out, "height\t1\t") != NULL);
    TR_CHECK_INT(dump(path, "print Composition"), 0);
    TR_CHECK(strstr(out, "breaks\t14 37\nanchor\tA15\tabsolute\nanchor\tA38\tabsolute\n") !=
             NULL);
    TR_CHECK_INT(dump(path, "print 'Baskets charts'"), 0);
    TR_CHECK(strstr(out, "orientation\tlandscape\n") == out);
    TR_CHECK(strstr(out, "anchor\tA2\tabsolute\n") != NULL);
    TR_CHECK_INT(dump(path, "cells 'Baskets charts'"), 0);
    TR_CHECK(strstr(cell("A1"), "Source: CEPII BACI (reconciled, FOB)") != NULL);
    TR_CHECK(strstr(cell("A1"), "2021 to 2022") != NULL);
    /* Definitions and Chart data: rows with wrapped text are made taller (no overlap) */
    TR_CHECK_INT(dump(path, "print Definitions"), 0);
    TR_CHECK(strstr(out, "height\t") != NULL);
    TR_CHECK_INT(dump(path, "print 'Chart data'"), 0);
    TR_CHECK(strstr(out, "height\t2\t") != NULL); /* the turnover block's headers */
    /* Summary: each claim row tall enough for its wrapped text (no overlap) */
    TR_CHECK_INT(dump(path, "print Summary"), 0);
    TR_CHECK(strstr(out, "height\t") != NULL);
}

TR_TEST(xlsx_summary_key_figures)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    TR_CHECK_STR(cell("A1"), "Trade briefing: Russian Federation \xe2\x80\x93 Iran");
    TR_CHECK(find("CEPII BACI (reconciled, FOB)") != NULL);
    TR_CHECK(find("2019\xe2\x80\x93"
                  "2022") != NULL);

    /* The row labelled "Turnover (best)": latest year in B, first year in C. */
    const char *ref = find("Turnover (best)");
    TR_CHECK(ref != NULL && ref[0] == 'A');
    int row = atoi(ref + 1);
    char b[16], c[16];
    snprintf(b, sizeof(b), "B%d", row);
    snprintf(c, sizeof(c), "C%d", row);
    TR_CHECK_NEAR(num(cell(b)), 3300.0, 1e-9);
    TR_CHECK_NEAR(num(cell(c)), 1690.56789, 1e-9);
    snprintf(b, sizeof(b), "B%d", row - 1); /* the header row carries the years */
    snprintf(c, sizeof(c), "C%d", row - 1);
    TR_CHECK_STR(cell(b), "2022");
    TR_CHECK_STR(cell(c), "2019");

    ref = find("RUS exports to IRN (as RUS reports)");
    TR_CHECK(ref != NULL);
    snprintf(b, sizeof(b), "B%d", atoi(ref + 1));
    snprintf(c, sizeof(c), "C%d", atoi(ref + 1));
    TR_CHECK(cell(b) == NULL); /* RUS silent in 2022: empty, not 0 */
    TR_CHECK_NEAR(num(cell(c)), 1234.56789, 1e-9);

    ref = find("YoY growth of turnover (best)");
    TR_CHECK(ref != NULL);
    snprintf(b, sizeof(b), "B%d", atoi(ref + 1));
    TR_CHECK_NEAR(num(cell(b)), 0.375, 1e-12);
    ref = find("Best side (whose figure)");
    TR_CHECK(ref != NULL);
    snprintf(b, sizeof(b), "B%d", atoi(ref + 1));
    TR_CHECK_STR(cell(b), "IRN");
}

TR_TEST(xlsx_sources_sheet)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Sources"), 0);
    TR_CHECK_STR(cell("A1"), "Load id");
    TR_CHECK_STR(cell("A2"), "7");
    TR_CHECK_STR(cell("B2"), "BACI_HS17_Y2022_V202401b.csv");
    TR_CHECK_STR(cell("C2"), "baci");
    TR_CHECK_STR(cell("D2"), "V202401b");
    TR_CHECK_STR(cell("E2"), "123456");
    TR_CHECK_STR(cell("F2"), "2024-03-01T10:00:00Z");
    TR_CHECK_STR(cell("G2"), src_sha);
    TR_CHECK(cell("A3") == NULL);
}

/* Whether the Definitions dump in out has a row (sheet, column, a real definition). */
static int defined(const char *sheet, const char *column)
{
    size_t k = strlen(column);
    for (const char *l = out; *l;) {
        const char *tab = strchr(l, '\t'), *end = strchr(l, '\n');
        if (!tab || (end && tab > end))
            return 0;
        size_t n = end ? (size_t)(end - tab - 1) : strlen(tab + 1);
        if (l[0] == 'B' && n == k && strncmp(tab + 1, column, k) == 0) {
            char a[16], c[16];
            int row = atoi(l + 1);
            snprintf(a, sizeof(a), "A%d", row);
            snprintf(c, sizeof(c), "C%d", row);
            const char *va = cell(a); /* cell() reuses one buffer: test before the next */
            int same_sheet = va && strcmp(va, sheet) == 0;
            const char *vc = cell(c);
            if (same_sheet && vc && strlen(vc) > 20)
                return 1;
        }
        if (!end)
            break;
        l = end + 1;
    }
    return 0;
}

/* Every column header of every table sheet (row 1) has its row in Definitions, under its
 * own sheet's name; so do Summary's claim-table headers. */
TR_TEST(xlsx_definitions_cover_every_column)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    static const char *const sheets[] = {"Bilateral", "Monthly", "Mirror", "Composition",
                                         "Baskets",   "Claims",  "Sources"};
    int total = 0;
    for (size_t s = 0; s < COUNT(sheets); s++) {
        static char heads[32][256];
        int n = 0;
        char args[64];
        snprintf(args, sizeof(args), "cells %s", sheets[s]);
        TR_CHECK_INT(dump(path, args), 0);
        for (char col = 'A'; col <= 'Z'; col++) {
            char ref[4] = {col, '1', '\0'};
            const char *v = cell(ref);
            if (v && n < 32)
                snprintf(heads[n++], sizeof(heads[0]), "%s", v);
        }
        TR_CHECK(n >= 7);
        total += n;
        TR_CHECK_INT(dump(path, "cells Definitions"), 0);
        for (int i = 0; i < n; i++) {
            if (!defined(sheets[s], heads[i])) {
                tr_test_fail(__FILE__, __LINE__, "%s column \"%s\" is not defined", sheets[s],
                             heads[i]);
                return;
            }
        }
    }
    /* 11 + 11 + 9 + 8 + 8 + 12 + 7 columns */
    TR_CHECK_INT(total, 66);
    TR_CHECK_INT(dump(path, "cells Definitions"), 0);
    static const char *const summary[] = {"Claim",
                                          "Stated",
                                          "Closest computed",
                                          "Verdict",
                                          "Closest definition (source)",
                                          "IRN exports to RUS (as IRN reports)"};
    for (size_t i = 0; i < COUNT(summary); i++)
        if (!defined("Summary", summary[i])) {
            tr_test_fail(__FILE__, __LINE__, "Summary \"%s\" is not defined", summary[i]);
            return;
        }
    TR_CHECK(strstr(out, "US$ millions") != NULL);
    TR_CHECK(strstr(out, "thousands of US$") != NULL);
    TR_CHECK(strstr(out, "as RUS reports") != NULL);
}

TR_TEST(xlsx_properties_fixed_creation_time)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "props"), 0);
    TR_CHECK_STR(out, "title\tTrade briefing: Russian Federation \xe2\x80\x93 Iran\n"
                      "creator\ttradereport\n"
                      "created\t2023-01-02T03:04:05Z\n");
}

static long slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t k = fread(buf, 1, n, f);
    fclose(f);
    return (long)k;
}

/* Same report, another time zone: the same bytes (no wall clock, no local time). */
TR_TEST(xlsx_reproducible_bytes)
{
    char p1[512], p2[512];
    static char b1[1 << 19], b2[1 << 19];
    const char *tz = getenv("TZ");
    char saved[64] = "";
    if (tz)
        snprintf(saved, sizeof(saved), "%s", tz);
    TR_CHECK_INT(write_fixture("one.xlsx", p1, sizeof(p1)), TR_OK);
    setenv("TZ", "Asia/Tehran", 1);
    tzset();
    int rc = write_fixture("two.xlsx", p2, sizeof(p2));
    if (tz)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    TR_CHECK_INT(rc, TR_OK);
    long n1 = slurp(p1, b1, sizeof(b1)), n2 = slurp(p2, b2, sizeof(b2));
    TR_CHECK(n1 > 0 && n1 < (long)sizeof(b1));
    TR_CHECK_INT(n1, n2);
    TR_CHECK(memcmp(b1, b2, (size_t)n1) == 0);
}

TR_TEST(xlsx_no_years_no_chart)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    fixture(&r, &src);
    r.n_years = 0;
    r.years = NULL;
    tr_err_init(&e);
    snprintf(path, sizeof(path), "%s/empty.xlsx", tr_test_tmpdir());
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_OK);
    TR_CHECK_INT(dump(path, "charts Bilateral"), 0);
    TR_CHECK_STR(out, "");
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    TR_CHECK(find("No data for this pair in the period.") != NULL);
}

TR_TEST(xlsx_unwritable_path_is_eio)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    fixture(&r, &src);
    tr_err_init(&e);
    snprintf(path, sizeof(path), "%s/no/such/dir/x.xlsx", tr_test_tmpdir());
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_EIO);
    TR_CHECK_INT(e.code, TR_EIO);
    TR_CHECK(strstr(e.msg, path) != NULL);
    TR_CHECK(strstr(e.msg, "No such file") != NULL);
}

TR_TEST(xlsx_bad_report_time_writes_nothing)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    static const char *const bad[] = {"", "yesterday", "2023-02-29T00:00:00Z",
                                      "2023-01-02T03:04:05+01:00", "2023-1-02T03:04:05Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fixture(&r, &src);
        snprintf(r.generated_at, sizeof(r.generated_at), "%s", bad[i]);
        tr_err_init(&e);
        snprintf(path, sizeof(path), "%s/bad.xlsx", tr_test_tmpdir());
        TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_ENOMEM);
        TR_CHECK(strstr(e.msg, "YYYY-MM-DD") != NULL);
        TR_CHECK(access(path, F_OK) != 0);
    }
}

/* A library error mid-way (a cell over Excel's 32,767 characters) maps to TR_EIO and leaves
 * no half-written file behind. */
TR_TEST(xlsx_library_error_is_eio_and_removes_file)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    static char huge[40000];
    memset(huge, 'x', sizeof(huge) - 1);
    fixture(&r, &src);
    src.file_name = huge;
    tr_err_init(&e);
    snprintf(path, sizeof(path), "%s/huge.xlsx", tr_test_tmpdir());
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_EIO);
    TR_CHECK(strstr(e.msg, "Sources") != NULL);
    TR_CHECK(strstr(e.msg, "32,767") != NULL);
    TR_CHECK(access(path, F_OK) != 0);
}

/* The value of the cell in column col of the row whose column-A cell is text (Summary). */
static const char *beside(const char *text, char col)
{
    const char *ref = find(text);
    if (!ref || ref[0] != 'A')
        return NULL;
    char c[16];
    snprintf(c, sizeof(c), "%c%s", col, ref + 1);
    return cell(c);
}

TR_TEST(xlsx_summary_both_declarations_each_way)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    /* latest year 2022 in B: IRN reported 1,000 m exports and 2,300 m imports; RUS nothing */
    TR_CHECK_NEAR(num(beside("IRN exports to RUS (as IRN reports)", 'B')), 1000.0, 1e-9);
    TR_CHECK_NEAR(num(beside("IRN imports from RUS (as IRN reports)", 'B')), 2300.0, 1e-9);
    TR_CHECK(beside("RUS imports from IRN (as RUS reports)", 'B') == NULL);
    /* first year 2019 in C */
    TR_CHECK_NEAR(num(beside("IRN exports to RUS (as IRN reports)", 'C')), 400.0, 1e-9);
    TR_CHECK_NEAR(num(beside("IRN imports from RUS (as IRN reports)", 'C')), 1100.0, 1e-9);
}

/* One row per claim, its first (closest) definition: 81% stated vs 82.07% computed, etc. */
TR_TEST(xlsx_summary_claim_verdicts)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    const char *ref = find("Closest computed");
    TR_CHECK(ref != NULL && ref[0] == 'C');
    int h = atoi(ref + 1);
    char c[16];
#define AT(col, row) (snprintf(c, sizeof(c), "%c%d", col, row), cell(c))
    TR_CHECK_STR(AT('A', h), "Claim");
    TR_CHECK_STR(AT('B', h), "Stated");
    TR_CHECK_STR(AT('D', h), "Verdict");
    TR_CHECK_STR(AT('A', h + 1), "Trade grew by about 81% in 2021.");
    TR_CHECK_NEAR(num(AT('B', h + 1)), 0.81, 1e-12);
    TR_CHECK_NEAR(num(AT('C', h + 1)), 0.8207, 1e-12);
    TR_CHECK_STR(AT('D', h + 1), "consistent");
    TR_CHECK_STR(AT('E', h + 1), "best turnover, growth 2021 on 2020 (baci)");
    TR_CHECK_STR(AT('A', h + 2), "Trade reached a record US$3.3 billion in 2021.");
    TR_CHECK_NEAR(num(AT('B', h + 2)), 3300.0, 1e-9);
    TR_CHECK_NEAR(num(AT('C', h + 2)), 4042.0, 1e-9);
    TR_CHECK_STR(AT('D', h + 2), "understated");
    TR_CHECK_STR(AT('A', h + 3), "Russia is the biggest foreign investor in Iran.");
    TR_CHECK(AT('B', h + 3) == NULL);
    TR_CHECK(AT('C', h + 3) == NULL);
    TR_CHECK_STR(AT('D', h + 3), "not measurable");
    TR_CHECK_STR(AT('E', h + 3), "not measurable from trade data");
    TR_CHECK_STR(AT('A', h + 4), "Iran provides drones to Russia.");
    TR_CHECK(AT('B', h + 4) == NULL);
    TR_CHECK_NEAR(num(AT('C', h + 4)), 12.5, 1e-9);
    TR_CHECK(AT('A', h + 5) == NULL || strstr(AT('A', h + 5), "Claims sheet") != NULL);
#undef AT
}

TR_TEST(xlsx_monthly_sheet)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Monthly"), 0);
    TR_CHECK_STR(cell("A1"), "Year");
    TR_CHECK_STR(cell("B1"), "Month");
    TR_CHECK_STR(cell("G1"), "Year to date, US$ m");
    TR_CHECK_STR(cell("K1"), "Source");
    TR_CHECK_STR(cell("A2"), "2022");
    TR_CHECK_STR(cell("B2"), "1");
    TR_CHECK_STR(cell("C2"), "RUS");
    TR_CHECK_STR(cell("D2"), "IRN");
    TR_CHECK_STR(cell("E2"), "X");
    TR_CHECK_NEAR(num(cell("F2")), 250.0, 1e-9);
    TR_CHECK_NEAR(num(cell("G3")), 550.0, 1e-9);
    TR_CHECK(cell("H2") == NULL); /* no previous year: empty, not 0 */
    TR_CHECK_NEAR(num(cell("H3")), 0.10, 1e-12);
    TR_CHECK(cell("I3") == NULL);
    TR_CHECK_NEAR(num(cell("H4")), -0.205, 1e-12);
    TR_CHECK_NEAR(num(cell("I4")), 4800.0, 1e-9);
    TR_CHECK_NEAR(num(cell("J4")), 0.1225, 1e-12);
    TR_CHECK_STR(cell("K4"), "comtrade");
    TR_CHECK(cell("A5") == NULL);
    TR_CHECK_INT(dump(path, "charts Monthly"), 0);
    TR_CHECK_STR(out, "");
}

TR_TEST(xlsx_mirror_sheet_grouped_by_declaration)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Mirror"), 0);
    TR_CHECK_STR(cell("D1"), "Flow (as the reporter declares)");
    TR_CHECK_STR(cell("I1"), "Flag");
    /* rows 2-3: RUS's exports 2020, 2021 */
    TR_CHECK_STR(cell("A2"), "2020");
    TR_CHECK_STR(cell("B2"), "RUS");
    TR_CHECK_STR(cell("C2"), "IRN");
    TR_CHECK_STR(cell("D2"), "X");
    TR_CHECK_NEAR(num(cell("E2")), 1500.0, 1e-9);
    TR_CHECK_NEAR(num(cell("F2")), 1600.0, 1e-9);
    TR_CHECK_NEAR(num(cell("G2")), 100.0, 1e-9);
    TR_CHECK_NEAR(num(cell("H2")), 1.0667, 1e-12);
    TR_CHECK_STR(cell("I2"), "within CIF/FOB margin");
    TR_CHECK_STR(cell("A3"), "2021");
    TR_CHECK_STR(cell("D3"), "X");
    TR_CHECK_NEAR(num(cell("E3")), 1800.0, 1e-9);
    TR_CHECK(cell("F3") == NULL); /* IRN silent in 2021 */
    TR_CHECK(cell("G3") == NULL);
    TR_CHECK(cell("H3") == NULL);
    TR_CHECK_STR(cell("I3"), "only reporter declared");
    /* rows 4-5 RUS's imports, 6-7 IRN's exports, 8-9 IRN's imports */
    TR_CHECK_STR(cell("B4"), "RUS");
    TR_CHECK_STR(cell("D4"), "M");
    TR_CHECK_STR(cell("A4"), "2020");
    TR_CHECK_STR(cell("B6"), "IRN");
    TR_CHECK_STR(cell("D6"), "X");
    TR_CHECK_STR(cell("B8"), "IRN");
    TR_CHECK_STR(cell("D8"), "M");
    TR_CHECK_NEAR(num(cell("E8")), 1600.0, 1e-9);
    TR_CHECK(cell("E9") == NULL);
    TR_CHECK_NEAR(num(cell("F9")), 1800.0, 1e-9);
    TR_CHECK(cell("A10") == NULL);
}

/* The chart draws RUS's exports to IRN: reported (E) against mirror (F), years 2020-2021. */
TR_TEST(xlsx_mirror_chart_of_a_exports)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "series Mirror"), 0);
    TR_CHECK_STR(out, "1\tbarChart\t'Chart data'!$B$9\t'Chart data'!$A$10:$A$11\t"
                      "'Chart data'!$B$10:$B$11\n"
                      "1\tbarChart\t'Chart data'!$C$9\t'Chart data'!$A$10:$A$11\t"
                      "'Chart data'!$C$10:$C$11\n");
    TR_CHECK_INT(dump(path, "cells 'Chart data'"), 0);
    TR_CHECK_STR(cell("B9"), "As RUS reports (its exports, FOB)");
    TR_CHECK_STR(cell("C9"), "As IRN reports (its imports, CIF)");
}

TR_TEST(xlsx_composition_sheet)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Composition"), 0);
    TR_CHECK_STR(cell("A1"), "Year");
    TR_CHECK_STR(cell("B1"), "Exporter");
    TR_CHECK_STR(cell("C1"), "HS section");
    TR_CHECK_STR(cell("H1"), "Change on 2021 %");
    TR_CHECK_STR(cell("A2"), "2020");
    TR_CHECK_STR(cell("B2"), "RUS");
    TR_CHECK_STR(cell("C2"), "II");
    TR_CHECK_STR(cell("D2"), "Vegetable products");
    TR_CHECK_NEAR(num(cell("E2")), 400.0, 1e-9);
    TR_CHECK_NEAR(num(cell("F2")), 0.40, 1e-12);
    TR_CHECK_NEAR(num(cell("G2")), 500.0, 1e-9);
    TR_CHECK_NEAR(num(cell("H2")), -0.20, 1e-12);
    TR_CHECK_STR(cell("B4"), "IRN");
    TR_CHECK(cell("G4") == NULL); /* no 2021 figure: empty, not 0 */
    TR_CHECK(cell("H4") == NULL);
    TR_CHECK_NEAR(num(cell("H9")), 0.80, 1e-12); /* 2022 RUS II: 900 / 500 - 1 */
    TR_CHECK_STR(cell("A13"), "2022");
    TR_CHECK_STR(cell("C13"), "XI");
    TR_CHECK(cell("A14") == NULL);

    /* chart data on Chart data, not beside the table (a filter would empty the charts):
     * RUS 2020 vs 2022 (the years IRN has too), the largest sections of 2022 first, named;
     * XVI not exported in 2020 is 0 there. IRN likewise: II 60%, XI 40%, NS 0% in 2022. */
    TR_CHECK(cell("J1") == NULL);
    TR_CHECK_INT(dump(path, "cells 'Chart data'"), 0);
    TR_CHECK_STR(cell("A13"), "Composition: RUS exports to IRN, share by HS section");
    TR_CHECK_STR(cell("A14"), "HS section");
    TR_CHECK_STR(cell("B14"), "2020");
    TR_CHECK_STR(cell("C14"), "2022");
    TR_CHECK_STR(cell("A15"), "Vegetable products");
    TR_CHECK_STR(cell("A16"), "Machinery, electrical");
    TR_CHECK_STR(cell("A17"), "Not specified");
    TR_CHECK_NEAR(num(cell("B15")), 0.40, 1e-12);
    TR_CHECK_NEAR(num(cell("C15")), 0.45, 1e-12);
    TR_CHECK_NEAR(num(cell("B16")), 0.0, 1e-12);
    TR_CHECK_NEAR(num(cell("C16")), 0.35, 1e-12);
    TR_CHECK_NEAR(num(cell("B17")), 0.60, 1e-12);
    TR_CHECK_NEAR(num(cell("C17")), 0.20, 1e-12);
    TR_CHECK_STR(cell("A19"), "Composition: IRN exports to RUS, share by HS section");
    TR_CHECK_STR(cell("A21"), "Vegetable products");
    TR_CHECK_STR(cell("A22"), "Textiles");
    TR_CHECK_STR(cell("A23"), "Not specified");
    TR_CHECK_NEAR(num(cell("B21")), 0.75, 1e-12);
    TR_CHECK_NEAR(num(cell("C22")), 0.40, 1e-12);
    TR_CHECK_NEAR(num(cell("B23")), 0.25, 1e-12);
    /* the CHPL tier chart of RUS (IRN has importer-declared rows only): tier 1, 2021 vs 2022 */
    TR_CHECK_STR(cell("A25"), "Baskets: CHPL goods to RUS by tier, every exporter, US$ m");
    TR_CHECK_STR(cell("A27"), "1");
    TR_CHECK_NEAR(num(cell("B27")), 2000.0, 1e-9);
    TR_CHECK_NEAR(num(cell("C27")), 3000.0, 1e-9);
    TR_CHECK(cell("A28") == NULL);
}

TR_TEST(xlsx_composition_column_charts)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "charts Composition"), 0);
    TR_CHECK_STR(out, "barChart\t2\nbarChart\t2\n");
    TR_CHECK_INT(dump(path, "series Composition"), 0);
    TR_CHECK_STR(out, "1\tbarChart\t'Chart data'!$B$14\t'Chart data'!$A$15:$A$17\t"
                      "'Chart data'!$B$15:$B$17\n"
                      "1\tbarChart\t'Chart data'!$C$14\t'Chart data'!$A$15:$A$17\t"
                      "'Chart data'!$C$15:$C$17\n"
                      "2\tbarChart\t'Chart data'!$B$20\t'Chart data'!$A$21:$A$23\t"
                      "'Chart data'!$B$21:$B$23\n"
                      "2\tbarChart\t'Chart data'!$C$20\t'Chart data'!$A$21:$A$23\t"
                      "'Chart data'!$C$21:$C$23\n");
}

TR_TEST(xlsx_baskets_sheet)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Baskets"), 0);
    TR_CHECK_STR(cell("A1"), "Year");
    TR_CHECK_STR(cell("B1"), "CHPL tier");
    TR_CHECK_STR(cell("D1"), "Exporter (route)");
    TR_CHECK_STR(cell("H1"), "Change on 2021 %");
    TR_CHECK_STR(cell("A3"), "2022");
    TR_CHECK_STR(cell("B3"), "1");
    TR_CHECK_STR(cell("C3"), "RUS");
    TR_CHECK_STR(cell("D3"), "all");
    TR_CHECK_STR(cell("E3"), "exporter");
    TR_CHECK_NEAR(num(cell("F3")), 3000.0, 1e-9);
    TR_CHECK_NEAR(num(cell("G3")), 2000.0, 1e-9);
    TR_CHECK_NEAR(num(cell("H3")), 0.50, 1e-12);
    TR_CHECK_STR(cell("D4"), "CHN");
    TR_CHECK(cell("G4") == NULL);
    TR_CHECK(cell("H4") == NULL);
    TR_CHECK_STR(cell("B5"), "3.B");
    TR_CHECK_STR(cell("E5"), "importer");
    TR_CHECK_NEAR(num(cell("F5")), 12.5, 1e-9);
    TR_CHECK_NEAR(num(cell("H5")), 0.25, 1e-12);
    TR_CHECK(cell("A6") == NULL);
}

/* Every definition, each figure in its claim's unit: % as a fraction, US$ in millions. */
TR_TEST(xlsx_claims_sheet)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Claims"), 0);
    TR_CHECK_STR(cell("A1"), "Claim id");
    TR_CHECK_STR(cell("J1"), "Closest");
    TR_CHECK_STR(cell("A2"), "1");
    TR_CHECK_STR(cell("B2"), "Trade grew by about 81% in 2021.");
    TR_CHECK_STR(cell("C2"), "best turnover, growth 2021 on 2020");
    TR_CHECK_STR(cell("D2"), "baci");
    TR_CHECK_NEAR(num(cell("E2")), 0.8207, 1e-12);
    TR_CHECK_NEAR(num(cell("F2")), 0.81, 1e-12);
    TR_CHECK_STR(cell("G2"), "%");
    TR_CHECK_NEAR(num(cell("H2")), -0.0131, 1e-12);
    TR_CHECK_STR(cell("I2"), "consistent");
    TR_CHECK_STR(cell("J2"), "yes");
    TR_CHECK_STR(cell("L2"), "Explainer");
    TR_CHECK(cell("E3") == NULL); /* no data: empty, not 0 */
    TR_CHECK(cell("H3") == NULL);
    TR_CHECK_STR(cell("I3"), "no data");
    TR_CHECK_STR(cell("J3"), "no");
    TR_CHECK_NEAR(num(cell("E4")), 4042.0, 1e-9);
    TR_CHECK_NEAR(num(cell("F4")), 3300.0, 1e-9);
    TR_CHECK_STR(cell("G4"), "US$ m");
    TR_CHECK_NEAR(num(cell("H4")), -0.1836, 1e-12);
    TR_CHECK(cell("D5") == NULL);
    TR_CHECK(cell("E5") == NULL);
    TR_CHECK(cell("G5") == NULL); /* not measurable: no unit */
    TR_CHECK_STR(cell("K5"), "investment, not trade: trade data cannot measure it");
    TR_CHECK_NEAR(num(cell("E6")), 12.5, 1e-9); /* no stated unit: US$ by its metric */
    TR_CHECK_STR(cell("G6"), "US$ m");
    TR_CHECK(cell("F6") == NULL);
    TR_CHECK(cell("A7") == NULL);
}

static int has_line(const char *line)
{
    size_t k = strlen(line);
    for (const char *l = out; *l;) {
        const char *end = strchr(l, '\n');
        size_t n = end ? (size_t)(end - l) : strlen(l);
        if (n == k && strncmp(l, line, k) == 0)
            return 1;
        if (!end)
            break;
        l = end + 1;
    }
    return 0;
}

TR_TEST(xlsx_number_formats)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    static const char *const want[][2] = {
        {"Bilateral", "B2\t#,##0.0"}, {"Bilateral", "J3\t0.0%"},
        {"Monthly", "F2\t#,##0.0"},   {"Monthly", "H3\t0.0%"},
        {"Mirror", "E2\t#,##0.0"},    {"Mirror", "G2\t#,##0.0"},
        {"Mirror", "H2\t0.00"},       {"Composition", "E2\t#,##0.0"},
        {"Composition", "F2\t0.0%"},  {"'Chart data'", "B15\t0.0%"},
        {"Baskets", "G3\t#,##0.0"},   {"Baskets", "H3\t0.0%"},
        {"Claims", "E2\t0.0%"},       {"Claims", "E4\t#,##0.0"},
        {"Claims", "H4\t0.0%"},
    };
    for (size_t i = 0; i < COUNT(want); i++) {
        char args[64];
        snprintf(args, sizeof(args), "formats %s", want[i][0]);
        TR_CHECK_INT(dump(path, args), 0);
        if (!has_line(want[i][1])) {
            tr_test_fail(__FILE__, __LINE__, "%s has no \"%s\"", want[i][0], want[i][1]);
            return;
        }
    }
}

/* Every table sheet: header row frozen, autofilter over exactly the table, and each column
 * as wide as its header or, for a long header, at least 16 wide with the header row tall
 * enough for the header wrapped (two lines or more). */
TR_TEST(xlsx_frozen_headers_filters_widths)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    static const char *const want[][2] = {
        {"Bilateral", "A1:K5"},    {"Monthly", "A1:K4"}, {"Mirror", "A1:I9"},
        {"Composition", "A1:H13"}, {"Baskets", "A1:H5"}, {"Claims", "A1:L6"},
        {"Sources", "A1:G2"},
    };
    for (size_t i = 0; i < COUNT(want); i++) {
        char args[64], line[64];
        snprintf(args, sizeof(args), "layout %s", want[i][0]);
        TR_CHECK_INT(dump(path, args), 0);
        static char layout[sizeof(out)];
        memcpy(layout, out, sizeof(out));
        snprintf(line, sizeof(line), "filter\t%s", want[i][1]);
        if (!has_line("freeze\tA2") || !has_line(line)) {
            tr_test_fail(__FILE__, __LINE__, "%s: want freeze A2 and %s, got %s", want[i][0],
                         line, out);
            return;
        }
        snprintf(args, sizeof(args), "cells %s", want[i][0]);
        TR_CHECK_INT(dump(path, args), 0);
        for (char col = 'A'; col <= 'L'; col++) {
            char ref[4] = {col, '1', '\0'};
            const char *head = cell(ref);
            if (!head)
                continue;
            size_t len = 0; /* code points */
            for (const char *p = head; *p; p++)
                len += ((unsigned char)*p & 0xC0) != 0x80;
            char key[16];
            snprintf(key, sizeof(key), "width\t%c\t", col);
            const char *w = strstr(layout, key);
            double width = w ? strtod(w + strlen(key), NULL) : 0;
            const char *tall = strstr(layout, "height\t1\t");
            int wrapped = width >= 16 && tall && strtod(tall + 9, NULL) >= 30;
            if (!w || (width < (double)len && !wrapped)) {
                tr_test_fail(__FILE__, __LINE__, "%s column %c is narrower than \"%s\"",
                             want[i][0], col, head);
                return;
            }
        }
    }
}

/* A BACI briefing without monthly data, mirror, product detail, basket rows or claims: no
 * Monthly sheet, and each other sheet says in one line why it is empty. */
TR_TEST(xlsx_empty_sections)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    fixture(&r, &src);
    r.n_monthly = r.n_mirror = r.n_composition = r.n_baskets = r.n_claims = 0;
    r.monthly = NULL;
    r.mirror = NULL;
    r.composition = NULL;
    r.baskets = NULL;
    r.claims = NULL;
    tr_err_init(&e);
    snprintf(path, sizeof(path), "%s/empty-sections.xlsx", tr_test_tmpdir());
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_OK);
    TR_CHECK_INT(dump(path, "sheets"), 0);
    TR_CHECK_STR(out, "Summary\nBilateral\nMirror\nComposition\nBaskets\nClaims\nSources\n"
                      "Definitions\nChart data\n");
    static const char *const sheets[][2] = {
        {"Mirror", "CEPII BACI (reconciled, FOB) is reconciled: one figure per flow, no mirror"},
        {"Composition", "No product detail for trade between RUS and IRN"},
        {"Baskets", "No Common High Priority List goods shipped to RUS or IRN"},
        {"Claims", "No recorded claim is about RUS and IRN"},
    };
    for (size_t i = 0; i < COUNT(sheets); i++) {
        char args[64];
        snprintf(args, sizeof(args), "cells %s", sheets[i][0]);
        TR_CHECK_INT(dump(path, args), 0);
        if (strncmp(out, "A1\t", 3) != 0 || !strstr(out, sheets[i][1]) ||
            strchr(out, '\n') != out + strlen(out) - 1) {
            tr_test_fail(__FILE__, __LINE__, "%s: want one line with \"%s\", got \"%s\"",
                         sheets[i][0], sheets[i][1], out);
            return;
        }
        snprintf(args, sizeof(args), "charts %s", sheets[i][0]);
        TR_CHECK_INT(dump(path, args), 0);
        TR_CHECK_STR(out, "");
    }
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    TR_CHECK(find("No recorded claim is about this pair.") != NULL);
    TR_CHECK_INT(dump(path, "cells Definitions"), 0);
    TR_CHECK(strstr(out, "\tMirror\n") == NULL); /* no columns to define */
    TR_CHECK(strstr(out, "\tMonthly\n") == NULL);

    /* another source with no mirror rows says so without blaming reconciliation */
    snprintf(r.source, sizeof(r.source), "comtrade");
    snprintf(r.source_label, sizeof(r.source_label), "UN Comtrade (as reported)");
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_OK);
    TR_CHECK_INT(dump(path, "cells Mirror"), 0);
    TR_CHECK(strstr(out, "No mirror figures: neither RUS nor IRN declared") != NULL);
    TR_CHECK(strstr(out, "reconciled") == NULL);
}

/* Only RUS exported: one composition chart; a single year gives a single series. */
TR_TEST(xlsx_composition_one_exporter_one_year)
{
    struct tr_report r;
    struct tr_source_file src;
    struct tr_err e;
    char path[512];
    fixture(&r, &src);
    r.composition = &composition[7]; /* 2022 RUS: II, XVI, NS */
    r.n_composition = 3;
    tr_err_init(&e);
    snprintf(path, sizeof(path), "%s/one.xlsx", tr_test_tmpdir());
    TR_CHECK_INT(tr_xlsx_write(&r, path, &e), TR_OK);
    TR_CHECK_INT(dump(path, "series Composition"), 0);
    TR_CHECK_STR(out, "1\tbarChart\t'Chart data'!$B$14\t'Chart data'!$A$15:$A$17\t"
                      "'Chart data'!$B$15:$B$17\n");
    TR_CHECK_INT(dump(path, "cells 'Chart data'"), 0);
    TR_CHECK_STR(cell("B14"), "2022");
    TR_CHECK(cell("C14") == NULL);
    TR_CHECK_STR(cell("A16"), "Machinery, electrical");
    TR_CHECK_NEAR(num(cell("B16")), 0.35, 1e-12);
    TR_CHECK(strstr(out, "Composition: IRN") == NULL); /* no IRN block */
}
