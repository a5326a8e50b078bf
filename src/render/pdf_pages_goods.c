/*
 * The PDF briefing's pages about goods and months: tariff coverage (not wired to the views
 * yet), CHPL goods by destination (the briefing's years) and monthly trade.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "tr/baseline.h"
#include "tr/fmt.h"
#include "tr/pdf_int.h"

/* ---- tariff coverage (not wired yet) ----------------------------------------------------- */

/* One importer's tariff on the other's goods in one year. struct tr_report has no tariff
 * figures yet: when it does (fact_tariff, sql/0004_tariff.sql), fill these rows from it and
 * pass them to pdf_page_tariff_coverage() in render(). Until then the section draws nothing. */
struct tariff_year {
    int year;
    char importer[8];      /* whose tariff: r->a or r->b */
    double pref_lines_pct; /* % of HS6 lines where the preferential rate is below MFN */
};

int pdf_page_tariff_coverage(struct doc *d, const struct tariff_year *t, size_t n,
                             struct tr_err *e)
{
    if (n == 0)
        return 0; /* no data: no chart */
    int rc = 0;
    struct labels lab = {0};
    int *ys = calloc(n, sizeof(*ys));
    double *v = malloc(2 * n * sizeof(*v));
    if ((rc = pdf_labels_new(&lab, n, e)))
        goto out;
    if (!ys || !v) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the tariff chart");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ys[i] = t[i].year;
    size_t ny = pdf_unique_ints(ys, n);
    for (size_t i = 0; i < 2 * n; i++)
        v[i] = NAN;
    for (size_t i = 0; i < ny; i++)
        snprintf(lab.text[i], sizeof(lab.text[i]), "%d", ys[i]);
    for (size_t i = 0; i < n; i++) {
        int k = strcmp(t[i].importer, d->a) == 0 ? 0 : strcmp(t[i].importer, d->b) == 0 ? 1 : -1;
        if (k >= 0)
            v[(size_t)k * n + pdf_find_int(ys, ny, t[i].year)] = t[i].pref_lines_pct;
    }
    char n_a[200], n_b[200], title[360], note[800];
    snprintf(n_a, sizeof(n_a), "%s" APOS "s tariff on goods from %s", d->a, d->b);
    snprintf(n_b, sizeof(n_b), "%s" APOS "s tariff on goods from %s", d->b, d->a);
    const char *names[] = {n_a, n_b};
    const double *vals[] = {v, v + n};
    struct tr_chart_series ser[2];
    size_t ns = pdf_add_series(ser, names, vals, 2, ny);
    snprintf(title, sizeof(title), "Tariff lines with a preference, %s", d->pair);
    snprintf(note, sizeof(note),
             "Share of the importer" APOS "s HS six-digit tariff lines where the preferential "
             "rate for the partner is below the MFN rate, %%. Source: WITS/TRAINS.");
    struct tr_chart c = {
        .kind = TR_CHART_COLUMNS,
        .title = title,
        .x_label = "Year",
        .y_label = "% of tariff lines",
        .note = note,
        .n_x = ny,
        .x_labels = lab.ptr,
        .n_series = ns,
        .series = ser,
        .y_percent = 1,
    };
    pdf_begin_page(d, "Tariff coverage");
    double y = pdf_page_heading(d, CONTENT_TOP, "Tariff coverage", NULL);
    if (!(rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, (CONTENT_BOTTOM - y) * 0.55, &c, e)))
        rc = pdf_end_page(d, e);
out:
    pdf_labels_free(&lab);
    free(ys);
    free(v);
    return rc;
}

/* ---- CHPL goods by destination ----------------------------------------------------------- */

/* The exporters v_basket_flows names (the pair's own countries aside). The first six always
 * keep a column, so "nothing via Armenia" shows as a zero; the others get one when they
 * shipped something in the years shown (a chart of eleven columns could not name them all). */
static const struct {
    const char *code, *name;
    int always;
} routes[] = {
    {"CHN", "China", 1},      {"TUR", "T\xC3\xBCrkiye", 1}, {"ARE", "UAE", 1},
    {"KAZ", "Kazakhstan", 1}, {"KGZ", "Kyrgyzstan", 1},     {"ARM", "Armenia", 1},
    {"BLR", "Belarus", 0},    {"IND", "India", 0},          {"HKG", "Hong Kong", 0},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))
#define BASKET_CATS 16 /* tiers (6) or exporters (9, the pair's two and Other) */

struct basket_chart {
    size_t n_cat;
    int closed; /* 1 once the route chart's columns are set: a lookup adds none */
    char cat[BASKET_CATS][24];
    const char *cat_ptr[BASKET_CATS];
    double v[TR_BRIEF_BASKET_YEARS][BASKET_CATS];
    char ser_name[TR_BRIEF_BASKET_YEARS][16], title[300], note[1200];
    struct tr_chart_series ser[TR_BRIEF_BASKET_YEARS];
    struct tr_chart c;
};

static int basket_row_used(const struct tr_basket_row *b, const char *dest)
{
    return strcmp(b->destination, dest) == 0 && strcmp(b->declared_by, "exporter") == 0;
}

/* Index of name in the chart's categories, added when new; BASKET_CATS when full. */
static size_t basket_cat(struct basket_chart *k, const char *name)
{
    size_t j = 0;
    while (j < k->n_cat && strcmp(k->cat[j], name) != 0)
        j++;
    if (j == k->n_cat && k->n_cat < BASKET_CATS && !k->closed)
        snprintf(k->cat[k->n_cat++], sizeof(k->cat[0]), "%s", name);
    return j;
}

/* The exporter columns of dest's route chart: the routes always shown, then every other named
 * exporter with a value in one of the n years ys, then Other. */
static void route_cats(const struct tr_report *r, const char *dest, const int *ys, size_t n,
                       struct basket_chart *k)
{
    for (size_t j = 0; j < N_ROUTES; j++)
        if (routes[j].always)
            basket_cat(k, routes[j].code);
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *b = &r->baskets[i];
        size_t s = 0;
        while (s < n && ys[s] != b->year)
            s++;
        if (s < n && basket_row_used(b, dest) && isfinite(b->value_usd) && b->value_usd > 0 &&
            strcmp(b->exporter, "all") != 0 && strcmp(b->exporter, "other") != 0)
            basket_cat(k, b->exporter);
    }
    basket_cat(k, "other");
    k->closed = 1;
}

/* The chart's title and note: what is summed, the years shown, what a missing column means. */
static void basket_chart_text(const struct doc *d, const char *dest, int by_route, const int *ys,
                              size_t n_ser, struct basket_chart *k)
{
    const char *dn = pdf_country_name(d, dest);
    size_t off = 0;
    if (by_route) {
        snprintf(k->title, sizeof(k->title), "CHPL goods shipped to %s, by exporter", dn);
        pdf_append(k->note, sizeof(k->note), &off,
                   "Each route country" APOS "s own declared exports to %s of CHPL goods, all "
                   "tiers together; Other = every other exporter. ",
                   dn);
    } else {
        snprintf(k->title, sizeof(k->title), "CHPL goods shipped to %s, by tier", dn);
        pdf_append(k->note, sizeof(k->note), &off,
                   "Tiers: 1 integrated circuits; 2 electronics for communication and "
                   "navigation, "
                   "capacitors; 3.A other electronic components; 3.B bearings, aircraft parts, "
                   "optics, navigation instruments; 4.A equipment to make and test electronics; "
                   "4.B machine tools for metal. Values: every exporter" APOS
                   "s declared exports "
                   "to %s. ",
                   dn);
    }
    if (n_ser > 1 && ys[0] != TR_BASELINE_YEAR)
        pdf_append(k->note, sizeof(k->note), &off,
                   "%d, the baseline year, is %s: every year "
                   "is shown. ",
                   TR_BASELINE_YEAR,
                   ys[n_ser - 1] == TR_BASELINE_YEAR ? "the latest year here"
                                                     : "not in the data");
    if (n_ser > 1)
        pdf_append(k->note, sizeof(k->note), &off,
                   "A year without a column for an exporter: "
                   "no six-digit detail declared, not zero. ");
    pdf_append(k->note, sizeof(k->note), &off, "Current US$. Source: %s.", d->src);
}

/* Fills the tier chart (by_route 0: exporter 'all', by tier) or the route chart (by_route 1:
 * each route's exports of every tier) for dest, one series per year of ys (n_ser of them). A
 * category with no row in a year that has rows is 0: nothing of it was shipped. */
static void basket_chart(const struct doc *d, const char *dest, int by_route, const int *ys,
                         size_t n_ser, struct basket_chart *k)
{
    const struct tr_report *r = d->r;
    memset(k, 0, sizeof(*k));
    if (by_route)
        route_cats(r, dest, ys, n_ser, k);
    /* Every tier met for any destination, so that the destinations' pages compare. */
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *b = &r->baskets[i];
        if (!by_route && strcmp(b->declared_by, "exporter") == 0 &&
            strcmp(b->exporter, "all") == 0)
            basket_cat(k, b->tier);
    }
    if (!by_route) /* tiers in their natural order: 1, 2, 3.A ... */
        for (size_t a = 1; a < k->n_cat; a++)
            for (size_t p = a; p > 0 && strcmp(k->cat[p - 1], k->cat[p]) > 0; p--) {
                char t[24];
                memcpy(t, k->cat[p], sizeof(t));
                memcpy(k->cat[p], k->cat[p - 1], sizeof(t));
                memcpy(k->cat[p - 1], t, sizeof(t));
            }
    int has[TR_BRIEF_BASKET_YEARS] = {0};
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *b = &r->baskets[i];
        if (!basket_row_used(b, dest) || (strcmp(b->exporter, "all") == 0) == by_route)
            continue;
        size_t s = 0;
        while (s < n_ser && ys[s] != b->year)
            s++;
        if (s == n_ser || !isfinite(b->value_usd))
            continue;
        /* an exporter without a column (nothing shipped in the years shown) adds to Other */
        size_t j = basket_cat(k, by_route ? b->exporter : b->tier);
        if (by_route && j == k->n_cat)
            j = basket_cat(k, "other");
        if (j < BASKET_CATS) {
            k->v[s][j] += b->value_usd;
            has[s] = 1;
        }
    }
    for (size_t s = 0; s < n_ser; s++)
        if (!has[s])
            for (size_t j = 0; j < BASKET_CATS; j++)
                k->v[s][j] = NAN;
    /* Every watched route keeps its column, so "nothing via Armenia" shows as a zero. */
    for (size_t j = 0; j < k->n_cat; j++) {
        k->cat_ptr[j] = k->cat[j];
        if (by_route) /* the pair's own countries (Russia shipping to Iran) by name too */
            k->cat_ptr[j] = strcmp(k->cat[j], "other") == 0 ? "Other"
                                                            : pdf_country_name(d, k->cat[j]);
        for (size_t q = 0; by_route && q < N_ROUTES; q++)
            if (strcmp(k->cat[j], routes[q].code) == 0)
                k->cat_ptr[j] = routes[q].name;
    }
    for (size_t s = 0; s < n_ser; s++) {
        snprintf(k->ser_name[s], sizeof(k->ser_name[s]), "%d", ys[s]);
        k->ser[s].name = k->ser_name[s];
        k->ser[s].y = k->v[s];
    }
    basket_chart_text(d, dest, by_route, ys, n_ser, k);
    k->c = (struct tr_chart){
        .kind = TR_CHART_COLUMNS,
        .title = k->title,
        .x_label = by_route ? "Exporter" : "CHPL tier",
        .y_label = "US$, current prices",
        .note = k->note,
        .n_x = k->n_cat,
        .x_labels = k->cat_ptr,
        .n_series = n_ser,
        .series = k->ser,
        .y_money = 1,
    };
}

static int page_basket(struct doc *d, const char *dest, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    struct basket_chart *k = calloc(2, sizeof(*k));
    int rc = 0;
    if (!k) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the CHPL charts");
        goto out;
    }
    int ys[TR_BRIEF_BASKET_YEARS];
    size_t n_ys = tr_briefing_basket_years(r, dest, ys);
    if (n_ys == 0)
        goto out;
    basket_chart(d, dest, 0, ys, n_ys, &k[0]);
    basket_chart(d, dest, 1, ys, n_ys, &k[1]);
    const struct tr_chart *charts[] = {&k[0].c, &k[1].c};
    char title[300], outl[300];
    snprintf(title, sizeof(title), "High-priority goods to %s", pdf_country_name(d, dest));
    snprintf(outl, sizeof(outl), "CHPL goods to %s", pdf_country_name(d, dest));
    pdf_begin_page(d, outl);
    double y = pdf_page_heading(
        d, CONTENT_TOP, title,
        "Goods on the Common High Priority List (CHPL: dual-use items found in Russian weapons, "
        "listed by the US, EU, UK and Japan), shipped to the destination by every exporter. "
        "The list is in HS2022; years reported in an older revision (HS2017) reach it through "
        "the UNSD correlation tables: an older code counts in full under its closest HS2022 "
        "successor, exactly when all its goods fall in the list, else as an upper bound "
        "(approximate: HS2017 852580, cameras, also holds goods outside HS2022 852589). "
        "v_basket_flows marks each value exact or approximate.");
    if (!(rc = pdf_chart_stack(d, y, charts, NULL, 2, e)))
        rc = pdf_end_page(d, e);
out:
    free(k);
    return rc;
}

int pdf_pages_baskets(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    /* The pair's own countries first, then any other destination in the order met. */
    const char *dest[8];
    size_t n = 0;
    const char *pair[] = {d->a, d->b};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < r->n_baskets; i++)
            if (basket_row_used(&r->baskets[i], pair[p])) {
                dest[n++] = pair[p];
                break;
            }
    for (size_t i = 0; i < r->n_baskets && n < sizeof(dest) / sizeof(dest[0]); i++) {
        const char *x = r->baskets[i].destination;
        size_t j = 0;
        while (j < n && strcmp(dest[j], x) != 0)
            j++;
        if (j == n && strcmp(r->baskets[i].declared_by, "exporter") == 0)
            dest[n++] = x;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = page_basket(d, dest[i], e);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- monthly trade ----------------------------------------------------------------------- */

#define MONTHLY_SERIES 4 /* each side's exports and imports */

/* Series of the monthly charts: (reporter, flow) in the order met, at most MONTHLY_SERIES,
 * named in name; v holds, per series, the rolling 12 months, then the month's value, then
 * the year-to-date growth, each over the nm months of ms. Returns the number of series. */
static size_t monthly_series(const struct tr_report *r, const int *ms, size_t nm, double *v,
                             char name[][200])
{
    size_t n = r->n_monthly;
    char key[MONTHLY_SERIES][24];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        const struct tr_monthly_row *row = &r->monthly[i];
        char k[24];
        snprintf(k, sizeof(k), "%s/%s", row->reporter, row->flow);
        size_t s = 0;
        while (s < ns && strcmp(key[s], k) != 0)
            s++;
        if (s == ns) {
            if (ns == MONTHLY_SERIES)
                continue;
            memcpy(key[ns], k, sizeof(k));
            int x = strcmp(row->flow, "X") == 0;
            snprintf(name[ns], sizeof(name[ns]), "%s" APOS "s %s %s", row->reporter,
                     x                             ? "exports to"
                     : strcmp(row->flow, "M") == 0 ? "imports from"
                                                   : row->flow,
                     row->partner);
            ns++;
        }
        size_t mi = 0;
        int want = row->year * 12 + row->month - 1;
        while (mi < nm && ms[mi] != want)
            mi++;
        v[(0 * MONTHLY_SERIES + s) * n + mi] = row->r12_usd;
        v[(1 * MONTHLY_SERIES + s) * n + mi] = row->value_usd;
        v[(2 * MONTHLY_SERIES + s) * n + mi] = row->ytd_growth_pct;
    }
    return ns;
}

int pdf_page_monthly(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    if (r->n_monthly == 0)
        return 0;
    int rc = 0;
    size_t n = r->n_monthly;
    struct labels lab = {0};
    int *ms = calloc(n, sizeof(*ms));
    double *v = malloc(3 * MONTHLY_SERIES * n * sizeof(*v));
    if ((rc = pdf_labels_new(&lab, n, e)))
        goto out;
    if (!ms || !v) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the monthly charts");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ms[i] = r->monthly[i].year * 12 + r->monthly[i].month - 1;
    size_t nm = pdf_unique_ints(ms, n);
    for (size_t i = 0; i < nm; i++)
        snprintf(lab.text[i], sizeof(lab.text[i]), "%04d-%02d", ms[i] / 12, ms[i] % 12 + 1);
    for (size_t i = 0; i < 3 * MONTHLY_SERIES * n; i++)
        v[i] = NAN;

    char name[MONTHLY_SERIES][200];
    size_t ns = monthly_series(r, ms, nm, v, name);
    const char *names[MONTHLY_SERIES];
    const double *r12[MONTHLY_SERIES], *val[MONTHLY_SERIES], *ytd[MONTHLY_SERIES];
    for (size_t s = 0; s < ns; s++) {
        names[s] = name[s];
        r12[s] = v + (0 * MONTHLY_SERIES + s) * n;
        val[s] = v + (1 * MONTHLY_SERIES + s) * n;
        ytd[s] = v + (2 * MONTHLY_SERIES + s) * n;
    }
    struct tr_chart_series s1[MONTHLY_SERIES], s2[MONTHLY_SERIES];
    size_t n1 = pdf_add_series(s1, names, r12, ns, nm);
    int rolling = n1 > 0;
    if (!rolling) /* under 12 months of data: the months themselves */
        n1 = pdf_add_series(s1, names, val, ns, nm);
    size_t n2 = pdf_add_series(s2, names, ytd, ns, nm);
    /* Both charts start at the first month either has a value for, so they line up. */
    size_t skip = pdf_leading_gap(s1, n1, nm), skip2 = pdf_leading_gap(s2, n2, nm);
    skip = skip2 < skip ? skip2 : skip;
    for (size_t k = 0; k < n1; k++)
        s1[k].y += skip;
    for (size_t k = 0; k < n2; k++)
        s2[k].y += skip;
    char note1[600], note2[600];
    snprintf(note1, sizeof(note1),
             "%s As each country declares its own trade with the other. Current US$. "
             "Source: %s.",
             rolling ? "Rolling 12 months = the 12 months ending in the month shown; a value "
                       "only where all 12 are reported."
                     : "Fewer than 12 consecutive months reported: monthly values.",
             d->src);
    snprintf(note2, sizeof(note2),
             "Year to date = January to the month shown, against the same months a year "
             "earlier; only where every month so far is reported in both years. Source: %s.",
             d->src);
    struct tr_chart c1 = {
        .kind = TR_CHART_LINE,
        .title = rolling ? "Trade over the last 12 months, month by month" : "Trade by month",
        .x_label = "Month",
        .y_label = "US$, current prices",
        .note = note1,
        .n_x = nm - skip,
        .x_labels = lab.ptr + skip,
        .n_series = n1,
        .series = s1,
        .y_money = 1,
    };
    struct tr_chart c2 = {
        .kind = TR_CHART_LINE,
        .title = "Year-to-date change on a year earlier",
        .x_label = "Month",
        .y_label = "% change",
        .note = note2,
        .n_x = nm - skip,
        .x_labels = lab.ptr + skip,
        .n_series = n2,
        .series = s2,
        .y_percent = 1,
    };
    const struct tr_chart *charts[] = {&c1, &c2};
    if (n1 > 0) {
        pdf_begin_page(d, "Monthly trade");
        double y = pdf_page_heading(d, CONTENT_TOP, "Monthly trade",
                                    "The latest months, before a full year is published.");
        if (!(rc = pdf_chart_stack(d, y, charts, NULL, n2 > 0 ? 2 : 1, e)))
            rc = pdf_end_page(d, e);
    }
out:
    pdf_labels_free(&lab);
    free(ms);
    free(v);
    return rc;
}
