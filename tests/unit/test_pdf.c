/*
 * pdf.c: a briefing from a hand-built report, checked by independent readers (poppler's
 * pdfinfo, pdftotext, pdffonts; install poppler-utils). The expected strings are the report's
 * numbers formatted by hand: 3.07e9 US$ = "$3,070.0m"; growth 29.41176% = "+29.4%".
 */
#include "tr_test.h"

#include <stdarg.h>
#include <stdlib.h>

#include "tr/pdf.h"

static struct tr_source_file sources[] = {
    {1, "comtrade_RUS_2019-2022.csv", "comtrade", "00ff", "2024-03-15", "2024-04-01T10:00:00Z",
     1234567},
    {2, "comtrade_IRN_2019-2022.csv", "comtrade", "ff00", "", "2024-04-01T10:00:00Z", 42},
};

/* RUS/IRN 2019-2022. RUS did not report 2022, IRN did not report 2020. Turnover = X + M:
 * 2019 A 1.2e9 + 0.5e9 = 1.7e9, B 0.45e9 + 1.3e9 = 1.75e9; 2021 A 2.37e9 + 0.7e9 = 3.07e9;
 * 2022 B 0.9e9 + 3.0e9 = 3.9e9. Growth of best: 2.2/1.7 - 1 = 29.41%, 3.07/2.2 - 1 = 39.55%,
 * 3.9/3.07 - 1 = 27.04%. */
static struct tr_bilateral_year years[] = {
    {2019, 1.2e9, 0.5e9, 0.45e9, 1.3e9, 1.7e9, 1.75e9, 1.7e9, "A", NAN, 0},
    {2020, 1.5e9, 0.7e9, NAN, NAN, 2.2e9, NAN, 2.2e9, "A", 29.41176, 0},
    {2021, 2.37e9, 0.7e9, 0.6e9, 2.4e9, 3.07e9, 3.0e9, 3.07e9, "A", 39.54545, 0},
    {2022, NAN, NAN, 0.9e9, 3.0e9, NAN, 3.9e9, 3.9e9, "B", 27.03583, 0},
};

static void sample_report(struct tr_report *r)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->a, sizeof(r->a), "RUS");
    snprintf(r->b, sizeof(r->b), "IRN");
    snprintf(r->a_name, sizeof(r->a_name), "Russian Federation");
    snprintf(r->b_name, sizeof(r->b_name), "Iran");
    snprintf(r->source, sizeof(r->source), "comtrade");
    snprintf(r->source_label, sizeof(r->source_label), "UN Comtrade");
    snprintf(r->generated_at, sizeof(r->generated_at), "2024-05-01T12:00:00Z");
    snprintf(r->tool_version, sizeof(r->tool_version), "0.1.0");
    r->from_year = 2019;
    r->to_year = 2022;
    r->years = years;
    r->n_years = sizeof(years) / sizeof(years[0]);
    r->sources = sources;
    r->n_sources = sizeof(sources) / sizeof(sources[0]);
}

/* Reads a whole file; NULL when it cannot. Caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Runs a shell command and returns its stdout (caller frees); NULL when it failed. */
__attribute__((format(printf, 1, 2))) static char *run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap + 1);
    while (buf && (k = fread(buf + n, 1, cap - n, p)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int st = pclose(p);
    if (!buf || st != 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int write_sample(const struct tr_report *r, const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", tr_test_tmpdir(), name);
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_pdf_write(r, path, &e);
    if (rc)
        fprintf(stderr, "# tr_pdf_write: %s\n", e.msg);
    return rc;
}

TR_TEST(pdf_writes_valid_file)
{
    struct tr_report r;
    char path[512];
    sample_report(&r);
    TR_CHECK_INT(write_sample(&r, "RUS-IRN.pdf", path, sizeof(path)), 0);
    size_t len = 0;
    char *data = slurp(path, &len);
    TR_CHECK(data != NULL);
    int head = len > 5 && memcmp(data, "%PDF-", 5) == 0;
    int tail = len > 6 && strstr(data + len - 6, "%%EOF") != NULL;
    free(data);
    TR_CHECK(len > 5000);
    TR_CHECK(head);
    TR_CHECK(tail);
}

TR_TEST(pdf_info_and_fonts)
{
    struct tr_report r;
    char path[512];
    sample_report(&r);
    TR_CHECK_INT(write_sample(&r, "info.pdf", path, sizeof(path)), 0);
    char *info = run("pdfinfo '%s'", path);
    TR_CHECK(info != NULL); /* needs poppler-utils */
    int pages = strstr(info, "Pages:           3\n") != NULL;
    int a4 = strstr(info, "595 x 842 pts (A4)") != NULL;
    int title = strstr(info, "Title:           Trade briefing: Russian Federation \xE2\x80\x93 "
                             "Iran, 2019\342\200\2232022\n") != NULL;
    int author = strstr(info, "Author:          tradereport\n") != NULL;
    int date = strstr(info, "CreationDate:    Wed May  1 12:00:00 2024") != NULL;
    free(info);
    TR_CHECK(pages);
    TR_CHECK(a4);
    TR_CHECK(title);
    TR_CHECK(author);
    TR_CHECK(date);

    /* Column 4 from the right of each font line is "emb": every font embedded. */
    char *emb = run("pdffonts '%s' | awk 'NR > 2 { print $(NF-4) }' | sort | uniq -c", path);
    TR_CHECK(emb != NULL);
    int all_yes = strstr(emb, " yes\n") != NULL && strstr(emb, " no\n") == NULL;
    free(emb);
    TR_CHECK(all_yes);
}

TR_TEST(pdf_text_has_figures)
{
    struct tr_report r;
    char path[512];
    sample_report(&r);
    TR_CHECK_INT(write_sample(&r, "text.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext -layout '%s' -", path);
    TR_CHECK(t != NULL);
    const char *want[] = {
        /* "\342\200\223" is the en dash in octal: a hex escape would swallow "2022" */
        "Trade briefing",
        "Russian Federation \342\200\223 Iran",
        "2019\342\200\2232022",
        "UN Comtrade",
        "2024-05-01 12:00 UTC",
        "tradereport 0.1.0",
        "comtrade_RUS_2019-2022.csv",
        "1,234,567", /* cover: source files */
        "Key figures",
        "$1,200.0m",
        "$500.0m",
        "$1,750.0m", /* 2019 */
        "$3,070.0m",
        "$2,370.0m",
        "$3,900.0m", /* 2021, 2022 */
        "+29.4%",
        "+39.5%",
        "+27.0%", /* YoY */
        "Turnover as Russian Federation reports",
        "Turnover as Iran reports",
        "Best figure",
        "Page 1 of 3",
        "Page 2 of 3",
        "Page 3 of 3",
    };
    const char *missing = NULL;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && !missing; i++)
        if (!strstr(t, want[i]))
            missing = want[i];
    /* A figure nobody reported is a dash, never zero. */
    int zero = strstr(t, "$0.0m") != NULL;
    /* The 2020 row: IRN's two columns are dashes. */
    const char *row = strstr(t, "2020 ");
    int dashes = 0;
    for (const char *p = row; p && *p && *p != '\n'; p++)
        if (memcmp(p, "\xE2\x80\x93", 3) == 0)
            dashes++;
    free(t);
    if (missing)
        tr_test_fail(__FILE__, __LINE__, "pdftotext lacks \"%s\"", missing);
    TR_CHECK(!missing);
    TR_CHECK(!zero);
    TR_CHECK_INT(dashes, 3); /* IRN exports, IRN imports, turnover as IRN reports */
}

TR_TEST(pdf_is_deterministic)
{
    struct tr_report r;
    char p1[512], p2[512];
    sample_report(&r);
    TR_CHECK_INT(write_sample(&r, "one.pdf", p1, sizeof(p1)), 0);
    TR_CHECK_INT(write_sample(&r, "two.pdf", p2, sizeof(p2)), 0);
    size_t n1 = 0, n2 = 0;
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    int same = a && b && n1 == n2 && memcmp(a, b, n1) == 0;
    free(a);
    free(b);
    TR_CHECK(same);
}

TR_TEST(pdf_empty_report)
{
    struct tr_report r;
    char path[512];
    sample_report(&r);
    r.n_years = 0;
    r.years = NULL;
    r.n_sources = 0;
    r.sources = NULL;
    r.from_year = r.to_year = 0;
    r.a_name[0] = '\0';
    r.generated_at[0] = '\0';
    TR_CHECK_INT(write_sample(&r, "empty.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext '%s' -", path);
    TR_CHECK(t != NULL);
    int nofig = strstr(t, "No figures for this pair") != NULL;
    int nodata = strstr(t, "No data for this period") != NULL;
    int pages = strstr(t, "Page 3 of 3") != NULL;
    free(t);
    TR_CHECK(nofig);
    TR_CHECK(nodata);
    TR_CHECK(pages);
}

TR_TEST(pdf_long_table_continues)
{
    enum { N = 60 };
    static struct tr_bilateral_year ys[N];
    struct tr_report r;
    char path[512];
    sample_report(&r);
    for (int i = 0; i < N; i++) {
        ys[i] = years[i % 4];
        ys[i].year = 1962 + i;
    }
    r.years = ys;
    r.n_years = N;
    r.from_year = 1962;
    r.to_year = 2021;
    TR_CHECK_INT(write_sample(&r, "long.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext -layout '%s' -", path);
    TR_CHECK(t != NULL);
    int cont = strstr(t, "Key figures (continued)") != NULL;
    int missing_year = 0;
    for (int y = 1962; y <= 2021 && !missing_year; y++) {
        char buf[16];
        snprintf(buf, sizeof(buf), "%d ", y);
        if (!strstr(t, buf))
            missing_year = y;
    }
    free(t);
    TR_CHECK(cont);
    TR_CHECK_INT(missing_year, 0);
}

TR_TEST(pdf_money_format)
{
    struct tr_bilateral_year y[] = {
        /* 1.2345678e12 US$ = 1,234,567.8 m; 999e3 = 0.999 m -> 1.0; 123.44e6 -> 123.4 */
        {2020, 1.2345678e12, 999e3, 123.44e6, NAN, NAN, NAN, NAN, "", -4.5},
    };
    struct tr_report r;
    char path[512];
    sample_report(&r);
    r.years = y;
    r.n_years = 1;
    r.from_year = r.to_year = 2020;
    TR_CHECK_INT(write_sample(&r, "money.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext -layout '%s' -", path);
    TR_CHECK(t != NULL);
    int big = strstr(t, "$1,234,567.8m") != NULL;
    int small = strstr(t, "$1.0m") != NULL;
    int mid = strstr(t, "$123.4m") != NULL;
    int neg = strstr(t, "-4.5%") != NULL;
    free(t);
    TR_CHECK(big);
    TR_CHECK(small);
    TR_CHECK(mid);
    TR_CHECK(neg);
}

TR_TEST(pdf_unwritable_path)
{
    struct tr_report r;
    sample_report(&r);
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_pdf_write(&r, "/nonexistent-dir/RUS-IRN.pdf", &e);
    TR_CHECK_INT(rc, TR_EIO);
    TR_CHECK(strstr(e.msg, "/nonexistent-dir/RUS-IRN.pdf") != NULL);
}

/* ---- the full briefing: every section filled ----------------------------------------------
 * Composition: RUS's exports to IRN, 2021 (total 2.37e9 = A's exports in `years`) and 2022
 * (total 2.5e9): II 1.422e9 + XV 0.948e9 = 2.37e9; II 1.25e9 + XV 1.0e9 + XVI 0.25e9 = 2.5e9.
 * Claims: turnover 2021 stated $3.3bn against 3.07e9 (RUS reports; 100 * 0.23 / 3.07 = +7.5%)
 * and 3.0e9 (IRN reports, +10.0%); growth 2021 on 2020 stated 81% against best
 * 100 * (3.07 / 2.2 - 1) = 39.5%, 81 - 39.5454 = +41.5 pp; one not measurable. */
static struct tr_composition_row composition[] = {
    {2021, "RUS", "II", "Vegetable products", 1.422e9, 60, NAN, NAN},
    {2021, "RUS", "XV", "Base metals", 0.948e9, 40, NAN, NAN},
    {2022, "RUS", "II", "Vegetable products", 1.25e9, 50, 1.422e9, -12.1},
    {2022, "RUS", "XV", "Base metals", 1.0e9, 40, 0.948e9, 5.5},
    {2022, "RUS", "XVI", "Machinery", 0.25e9, 10, NAN, NAN},
    {2021, "IRN", "II", "Vegetable products", 0.6e9, 100, NAN, NAN},
    {2022, "IRN", "II", "Vegetable products", 0.9e9, 100, 0.6e9, 50},
};

static struct tr_mirror_row mirror[] = {
    {2019, "RUS", "IRN", "X", 1.2e9, 1.3e9, 0.1e9, 1.0833, "within CIF/FOB margin"},
    {2019, "RUS", "IRN", "M", 0.5e9, 0.45e9, 0.05e9, 1.1111, "within CIF/FOB margin"},
    {2021, "RUS", "IRN", "X", 2.37e9, 2.4e9, 0.03e9, 1.0127, "within CIF/FOB margin"},
    {2021, "RUS", "IRN", "M", 0.7e9, 0.6e9, 0.1e9, 1.1667, "import side higher"},
};

static struct tr_basket_row baskets[] = {
    {2021, "1", "RUS", "all", "exporter", 2.0e9, 2.0e9, 0},
    {2022, "1", "RUS", "all", "exporter", 2.6e9, 2.0e9, 30},
    {2021, "2", "RUS", "all", "exporter", 1.0e9, 1.0e9, 0},
    {2022, "2", "RUS", "all", "exporter", 0.8e9, 1.0e9, -20},
    {2021, "1", "RUS", "CHN", "exporter", 1.5e9, 1.5e9, 0},
    {2022, "1", "RUS", "CHN", "exporter", 2.4e9, 1.5e9, 60},
    {2021, "1", "RUS", "all", "importer", 1.9e9, 1.9e9, 0},
    {2021, "1", "IRN", "all", "exporter", 0.1e9, 0.1e9, 0},
    {2022, "1", "IRN", "all", "exporter", 0.2e9, 0.1e9, 100},
};

static struct tr_claim_row claims[] = {
    {1, "Goods trade between Russia and Iran grew by about 81% in 2021 compared with 2020.",
     "Explainer on the Iran-Russia relationship", "best turnover, growth 2021 on 2020",
     "comtrade", "pct", "overstated", NULL, "turnover_growth_pct", 2021, 39.5454, 81, 104.83, 1},
    {2, "Russia-Iran goods trade reached a record of about US$3.3 billion in 2021.",
     "Explainer on the Iran-Russia relationship", "turnover as RUS reports, 2021", "comtrade",
     "USD", "overstated", NULL, "turnover", 2021, 3.07e9, 3.3e9, 7.49, 1},
    {2, "Russia-Iran goods trade reached a record of about US$3.3 billion in 2021.",
     "Explainer on the Iran-Russia relationship", "turnover as IRN reports (mirror), 2021",
     "comtrade", "USD", "overstated", NULL, "turnover", 2021, 3.0e9, 3.3e9, 10.0, 0},
    {5, "Russia has become the biggest foreign investor in Iran.",
     "Explainer on the Iran-Russia relationship", "not measurable from trade data", NULL, NULL,
     "not measurable", "investment, not trade: trade data cannot measure it", "not_measurable", 0,
     NAN, NAN, NAN, 0},
};

enum { N_MONTHS = 18 };
static struct tr_monthly_row monthly[N_MONTHS];

/* sample_report with every section: cover, key figures and claims, trade, composition,
 * mirror, CHPL to RUS, CHPL to IRN, monthly = 8 pages. */
static void full_report(struct tr_report *r)
{
    sample_report(r);
    r->composition = composition;
    r->n_composition = sizeof(composition) / sizeof(composition[0]);
    r->mirror = mirror;
    r->n_mirror = sizeof(mirror) / sizeof(mirror[0]);
    r->baskets = baskets;
    r->n_baskets = sizeof(baskets) / sizeof(baskets[0]);
    r->claims = claims;
    r->n_claims = sizeof(claims) / sizeof(claims[0]);
    for (int i = 0; i < N_MONTHS; i++) { /* IRN's exports to RUS, 2022-01 .. 2023-06 */
        struct tr_monthly_row *m = &monthly[i];
        memset(m, 0, sizeof(*m));
        m->year = 2022 + i / 12;
        m->month = i % 12 + 1;
        snprintf(m->reporter, sizeof(m->reporter), "IRN");
        snprintf(m->partner, sizeof(m->partner), "RUS");
        snprintf(m->flow, sizeof(m->flow), "X");
        m->value_usd = 75e6;
        m->r12_usd = i >= 11 ? 900e6 : NAN;
        m->ytd_usd = NAN;
        m->ytd_growth_pct = i >= 12 ? 5.0 : NAN;
        m->r12_growth_pct = NAN;
    }
    r->monthly = monthly;
    r->n_monthly = N_MONTHS;
}

/* The "Pages:" count pdfinfo reports; -1 when it cannot be read. */
static int pdf_pages(const char *path)
{
    char *info = run("pdfinfo '%s'", path);
    const char *p = info ? strstr(info, "Pages:") : NULL;
    int n = p ? atoi(p + 6) : -1;
    free(info);
    return n;
}

/* Joins the lines of pdftotext's output with spaces, so a phrase wrapped across lines of a
 * paragraph is found. */
static void join_lines(char *t)
{
    for (; t && *t; t++)
        if (*t == '\n')
            *t = ' ';
}

/* The first of want[] that text lacks, or NULL. */
static const char *first_missing(const char *text, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strstr(text, want[i]))
            return want[i];
    return NULL;
}

TR_TEST(pdf_full_pages_and_fonts)
{
    struct tr_report r;
    char path[512];
    full_report(&r);
    TR_CHECK_INT(write_sample(&r, "full.pdf", path, sizeof(path)), 0);
    TR_CHECK_INT(pdf_pages(path), 8);
    char *emb = run("pdffonts '%s' | awk 'NR > 2 { print $(NF-4) }' | sort | uniq -c", path);
    TR_CHECK(emb != NULL);
    int all_yes = strstr(emb, " yes\n") != NULL && strstr(emb, " no\n") == NULL;
    free(emb);
    TR_CHECK(all_yes);
}

TR_TEST(pdf_full_text)
{
    struct tr_report r;
    char path[512];
    full_report(&r);
    TR_CHECK_INT(write_sample(&r, "full_text.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext '%s' -", path);
    TR_CHECK(t != NULL);
    join_lines(t);
    const char *want[] = {
        /* sections, in page order */
        "Key figures",
        "Claim checks",
        "Trade over time",
        "What is traded",
        "Mirror statistics",
        "High-priority goods to Russian Federation",
        "High-priority goods to Iran",
        "Monthly trade",
        /* claim checks: stated, closest computed with its definition, verdict and gap */
        "$3.3bn",
        "$3.07bn",
        "turnover as RUS reports, 2021",
        "overstated, +7.5%",
        "closest of 2 definitions tried",
        "81%",
        "39.5%",
        "overstated, +41.5 pp",
        "not measurable",
        "investment, not trade",
        /* the turnover chart marks the stated and the computed figure */
        "stated $3.3bn",
        "computed $3.07bn: turnover as RUS reports",
        "stated in an article",
        "computed from the data",
        /* composition: section names and the year totals from the rows */
        "Base metals",
        "2021: $2.37bn",
        "2022: $2.5bn",
        "% of RUS\xE2\x80\x99s exports to IRN",
        /* mirror: the ratio import side / export side */
        "2019 1.08",
        "2021 1.01",
        "As RUS declares its exports (FOB)",
        /* CHPL: tiers, routes, the HS2017 matching */
        "CHPL goods shipped to Russian Federation, by tier",
        "China",
        "HS2017",
        /* monthly, and page numbers counted before drawing */
        "Trade over the last 12 months",
        "Year-to-date change",
        "Page 1 of 8",
        "Page 8 of 8",
    };
    const char *missing = first_missing(t, want, sizeof(want) / sizeof(want[0]));
    /* BACI's absence note belongs only to reports without mirror rows; no empty tariff page. */
    int baci = strstr(t, "BACI reconciles") != NULL;
    int tariff = strstr(t, "Tariff coverage") != NULL;
    free(t);
    if (missing)
        tr_test_fail(__FILE__, __LINE__, "pdftotext lacks \"%s\"", missing);
    TR_CHECK(!missing);
    TR_CHECK(!baci);
    TR_CHECK(!tariff);
}

TR_TEST(pdf_empty_sections_skipped)
{
    /* Only composition: cover, key figures, trade, composition = 4 pages; a BACI report
     * explains the missing mirror on the trade page instead of drawing an empty chart. */
    struct tr_report r;
    char path[512];
    sample_report(&r);
    r.composition = composition;
    r.n_composition = sizeof(composition) / sizeof(composition[0]);
    snprintf(r.source, sizeof(r.source), "baci");
    TR_CHECK_INT(write_sample(&r, "some.pdf", path, sizeof(path)), 0);
    TR_CHECK_INT(pdf_pages(path), 4);
    char *t = run("pdftotext '%s' -", path);
    TR_CHECK(t != NULL);
    int why = strstr(t, "BACI reconciles the two declarations") != NULL;
    int claims_ = strstr(t, "Claim checks") != NULL;
    int monthly_ = strstr(t, "Monthly trade") != NULL;
    int chpl = strstr(t, "High-priority goods") != NULL;
    int last = strstr(t, "Page 4 of 4") != NULL;
    free(t);
    TR_CHECK(why);
    TR_CHECK(!claims_);
    TR_CHECK(!monthly_);
    TR_CHECK(!chpl);
    TR_CHECK(last);
}

TR_TEST(pdf_composition_without_2021)
{
    /* Only 2019 and 2022: the first year stands in for the baseline, and the note says so. */
    static struct tr_composition_row rows[] = {
        {2019, "RUS", "II", "Vegetable products", 1.0e9, 100, NAN, NAN},
        {2022, "RUS", "II", "Vegetable products", 2.0e9, 100, NAN, NAN},
    };
    struct tr_report r;
    char path[512];
    sample_report(&r);
    r.composition = rows;
    r.n_composition = 2;
    TR_CHECK_INT(write_sample(&r, "no2021.pdf", path, sizeof(path)), 0);
    char *t = run("pdftotext '%s' -", path);
    TR_CHECK(t != NULL);
    join_lines(t);
    int note = strstr(t, "2021 is not in the data for both exporters with a later year: the "
                         "first year, 2019, against the latest, 2022") != NULL;
    int years_ = strstr(t, "2019: $1bn; 2022: $2bn") != NULL;
    free(t);
    TR_CHECK(note);
    TR_CHECK(years_);
}

TR_TEST(pdf_many_claims_continue)
{
    /* 30 claims do not fit under the key figures: they continue, and every footer's total is
     * the real page count. */
    enum { N = 30 };
    static struct tr_claim_row many[N];
    for (int i = 0; i < N; i++) {
        many[i] = claims[1];
        many[i].claim_id = 100 + i;
    }
    struct tr_report r;
    char path[512];
    sample_report(&r);
    r.claims = many;
    r.n_claims = N;
    TR_CHECK_INT(write_sample(&r, "claims.pdf", path, sizeof(path)), 0);
    int pages = pdf_pages(path);
    TR_CHECK(pages >= 5);
    char *t = run("pdftotext '%s' -", path);
    TR_CHECK(t != NULL);
    char last[32], beyond[32];
    snprintf(last, sizeof(last), "Page %d of %d", pages, pages);
    snprintf(beyond, sizeof(beyond), "of %d", pages + 1);
    int cont = strstr(t, "Claim checks (continued)") != NULL;
    int has_last = strstr(t, last) != NULL, wrong_total = strstr(t, beyond) != NULL;
    size_t rows = 0;
    for (const char *p = t; (p = strstr(p, "overstated, +7.5%")) != NULL; p++)
        rows++;
    free(t);
    TR_CHECK(cont);
    TR_CHECK(has_last);
    TR_CHECK(!wrong_total);
    TR_CHECK_INT(rows, N);
}

TR_TEST(pdf_full_is_deterministic)
{
    struct tr_report r;
    char p1[512], p2[512];
    full_report(&r);
    TR_CHECK_INT(write_sample(&r, "full1.pdf", p1, sizeof(p1)), 0);
    TR_CHECK_INT(write_sample(&r, "full2.pdf", p2, sizeof(p2)), 0);
    size_t n1 = 0, n2 = 0;
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    int same = a && b && n1 == n2 && memcmp(a, b, n1) == 0;
    free(a);
    free(b);
    TR_CHECK(same);
}
