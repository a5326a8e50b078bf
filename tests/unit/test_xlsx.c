/*
 * Unit tests of xlsx.c: a hand-built RUS/IRN report (2019-2022, with unreported figures) is
 * written and then read back by an independent reader, tests/tools/xlsx_dump.py (openpyxl
 * under /usr/bin/python3). Expected numbers are worked out by hand below, never taken from
 * xlsx.c. Run from the repository root.
 */
#include "tr_test.h"
#include "tr/xlsx.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DUMP "/usr/bin/python3 tests/tools/xlsx_dump.py"

static char out[1 << 17];   /* the reader's stdout of the last dump() */

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
    {2019, 1234567890, 456000000, 400000000, 1100000000, 1690567890, 1500000000, 1690567890,
     "A", NAN},
    {2020, 1500000000, 500000000, 450000000, 1300000000, 2000000000, 1750000000, 2000000000,
     "A", 18.3},
    {2021, 1800000000, 600000000, NAN, NAN, 2400000000, NAN, 2400000000, "A", 20.0},
    {2022, NAN, NAN, 1000000000, 2300000000, NAN, 3300000000, 3300000000, "B", 37.5},
};

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
    r->n_years = sizeof(years) / sizeof(years[0]);
    r->years = years;
    *src = (struct tr_source_file){.load_id = 7, .file_name = src_file, .format = src_format,
                                   .sha256 = src_sha, .release = src_release,
                                   .loaded_at = src_loaded, .rows_loaded = 123456};
    r->n_sources = 1;
    r->sources = src;
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
    TR_CHECK_STR(out, "Summary\nBilateral\nSources\nDefinitions\n");
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
    TR_CHECK(cell("K1") == NULL);
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
    TR_CHECK(cell("J2") == NULL);              /* no growth for the first year */
    TR_CHECK(cell("D4") == NULL);              /* IRN silent in 2021 */
    TR_CHECK(cell("E4") == NULL);
    TR_CHECK(cell("G4") == NULL);
    TR_CHECK(cell("B5") == NULL);              /* RUS silent in 2022 */
    TR_CHECK(cell("F5") == NULL);
    TR_CHECK_NEAR(num(cell("D5")), 1000.0, 1e-9);   /* its neighbours are there */
}

TR_TEST(xlsx_line_chart_of_turnover)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "charts Bilateral"), 0);
    TR_CHECK_STR(out, "lineChart\t3\n");
    TR_CHECK_INT(dump(path, "charts Summary"), 0);
    TR_CHECK_STR(out, "");
}

TR_TEST(xlsx_summary_key_figures)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    TR_CHECK_INT(dump(path, "cells Summary"), 0);
    TR_CHECK_STR(cell("A1"), "Trade briefing: Russian Federation \xe2\x80\x93 Iran");
    TR_CHECK(find("CEPII BACI (reconciled, FOB)") != NULL);
    TR_CHECK(find("2019\xe2\x80\x93" "2022") != NULL);

    /* The row labelled "Turnover (best)": latest year in B, first year in C. */
    const char *ref = find("Turnover (best)");
    TR_CHECK(ref != NULL && ref[0] == 'A');
    int row = atoi(ref + 1);
    char b[16], c[16];
    snprintf(b, sizeof(b), "B%d", row);
    snprintf(c, sizeof(c), "C%d", row);
    TR_CHECK_NEAR(num(cell(b)), 3300.0, 1e-9);
    TR_CHECK_NEAR(num(cell(c)), 1690.56789, 1e-9);
    snprintf(b, sizeof(b), "B%d", row - 1);   /* the header row carries the years */
    snprintf(c, sizeof(c), "C%d", row - 1);
    TR_CHECK_STR(cell(b), "2022");
    TR_CHECK_STR(cell(c), "2019");

    ref = find("RUS exports to IRN (as RUS reports)");
    TR_CHECK(ref != NULL);
    snprintf(b, sizeof(b), "B%d", atoi(ref + 1));
    snprintf(c, sizeof(c), "C%d", atoi(ref + 1));
    TR_CHECK(cell(b) == NULL);                 /* RUS silent in 2022: empty, not 0 */
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

/* Every column header of Bilateral and Sources has its row in Definitions. */
TR_TEST(xlsx_definitions_cover_every_column)
{
    char path[512];
    TR_CHECK_INT(write_fixture("RUS-IRN.xlsx", path, sizeof(path)), TR_OK);
    static const char *const sheets[] = {"Bilateral", "Sources"};
    for (size_t s = 0; s < 2; s++) {
        char heads[16][256];
        int n = 0;
        char args[64];
        snprintf(args, sizeof(args), "cells %s", sheets[s]);
        TR_CHECK_INT(dump(path, args), 0);
        for (char col = 'A'; col <= 'P'; col++) {
            char ref[4] = {col, '1', '\0'};
            const char *v = cell(ref);
            if (v)
                snprintf(heads[n++], sizeof(heads[0]), "%s", v);
        }
        TR_CHECK(n >= 7);
        TR_CHECK_INT(dump(path, "cells Definitions"), 0);
        for (int i = 0; i < n; i++) {
            const char *ref = find(heads[i]);
            if (!ref || ref[0] != 'B') {
                tr_test_fail(__FILE__, __LINE__, "%s column \"%s\" is not defined", sheets[s],
                             heads[i]);
                return;
            }
            char a[16], c[16];
            snprintf(a, sizeof(a), "A%s", ref + 1);
            snprintf(c, sizeof(c), "C%s", ref + 1);
            TR_CHECK_STR(cell(a), sheets[s]);
            TR_CHECK(cell(c) != NULL && strlen(cell(c)) > 20);
        }
    }
    TR_CHECK_INT(dump(path, "cells Definitions"), 0);
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
    static char b1[1 << 17], b2[1 << 17];
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
