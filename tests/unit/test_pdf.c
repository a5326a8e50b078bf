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
    {2019, 1.2e9, 0.5e9, 0.45e9, 1.3e9, 1.7e9, 1.75e9, 1.7e9, "A", NAN},
    {2020, 1.5e9, 0.7e9, NAN, NAN, 2.2e9, NAN, 2.2e9, "A", 29.41176},
    {2021, 2.37e9, 0.7e9, 0.6e9, 2.4e9, 3.07e9, 3.0e9, 3.07e9, "A", 39.54545},
    {2022, NAN, NAN, 0.9e9, 3.0e9, NAN, 3.9e9, 3.9e9, "B", 27.03583},
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
    TR_CHECK(info != NULL);  /* needs poppler-utils */
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
        "Trade briefing", "Russian Federation \342\200\223 Iran", "2019\342\200\2232022",
        "UN Comtrade", "2024-05-01 12:00 UTC", "tradereport 0.1.0",
        "comtrade_RUS_2019-2022.csv", "1,234,567",              /* cover: source files */
        "Key figures", "$1,200.0m", "$500.0m", "$1,750.0m",     /* 2019 */
        "$3,070.0m", "$2,370.0m", "$3,900.0m",                  /* 2021, 2022 */
        "+29.4%", "+39.5%", "+27.0%",                           /* YoY */
        "Turnover as Russian Federation reports", "Turnover as Iran reports", "Best figure",
        "Page 1 of 3", "Page 2 of 3", "Page 3 of 3",
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
    TR_CHECK_INT(dashes, 3);  /* IRN exports, IRN imports, turnover as IRN reports */
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
