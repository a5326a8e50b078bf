/*
 * The briefing model (src/report/briefing.c) and the one formatter (src/report/fmt.c) on a
 * struct tr_report built by hand: no database, no Cairo, no libxlsxwriter. Every expected
 * figure is worked out by hand in the comments.
 */
#include <math.h>
#include <string.h>

#include "tr/baseline.h"
#include "tr/briefing.h"
#include "tr/fmt.h"
#include "tr_test.h"

TR_TEST(fmt_money_and_percent)
{
    char b[32];
    tr_fmt_money(3070000000.0, b, sizeof(b));
    TR_CHECK_STR(b, "$3.07bn");
    tr_fmt_money(3384123456.0, b, sizeof(b)); /* 3.384 bn to 3 significant digits */
    TR_CHECK_STR(b, "$3.38bn");
    tr_fmt_money(999999.0, b, sizeof(b)); /* rounds up into the next unit */
    TR_CHECK_STR(b, "$1m");
    tr_fmt_money(NAN, b, sizeof(b)); /* not reported: a dash, never $0 */
    TR_CHECK_STR(b, "\xE2\x80\x93");
    tr_fmt_pct(90.0, b, sizeof(b)); /* a share has no sign */
    TR_CHECK_STR(b, "90%");
    tr_fmt_pct(81.66, b, sizeof(b));
    TR_CHECK_STR(b, "81.7%");
    tr_fmt_pct(-0.04, b, sizeof(b)); /* never "-0%" */
    TR_CHECK_STR(b, "0%");
    tr_fmt_change(12.5, b, sizeof(b));
    TR_CHECK_STR(b, "+12.5%");
    tr_fmt_pp(-0.3, b, sizeof(b));
    TR_CHECK_STR(b, "-0.3 pp");
    tr_fmt_value(40.0, "pct", b, sizeof(b));
    TR_CHECK_STR(b, "40%");
}

static struct tr_composition_row comp(int year, const char *exporter)
{
    struct tr_composition_row c;
    memset(&c, 0, sizeof(c));
    c.year = year;
    snprintf(c.exporter, sizeof(c.exporter), "%s", exporter);
    snprintf(c.code, sizeof(c.code), "XVI");
    return c;
}

static void pair(struct tr_report *r, struct tr_bilateral_year *ys, size_t n)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->a, sizeof(r->a), "RUS");
    snprintf(r->b, sizeof(r->b), "IRN");
    r->years = ys;
    r->n_years = n;
    r->from_year = ys[0].year;
    r->to_year = ys[n - 1].year;
}

TR_TEST(briefing_period_and_composition_years)
{
    struct tr_bilateral_year ys[4] = {{.year = 2019},
                                      {.year = 2020},
                                      {.year = 2021},
                                      {.year = 2022}};
    struct tr_report r;
    struct tr_briefing b;
    struct tr_err e = {0};
    pair(&r, ys, 4);
    /* RUS has 2019, 2021, 2022; IRN 2020, 2021, 2022: both have 2021 and 2022, so both
     * charts compare the baseline 2021 with 2022 (RUS's 2019 and IRN's 2020 are not used) */
    struct tr_composition_row c1[] = {comp(2019, "RUS"), comp(2021, "RUS"), comp(2022, "RUS"),
                                      comp(2020, "IRN"), comp(2021, "IRN"), comp(2022, "IRN")};
    r.composition = c1;
    r.n_composition = 6;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_STR(b.period, "2019\xE2\x80\x93"
                           "2022");
    TR_CHECK_INT(b.baseline_year, TR_BASELINE_YEAR);
    TR_CHECK_INT(b.comp_years[0], 2021);
    TR_CHECK_INT(b.comp_years[1], 2022);
    tr_briefing_release(&b);
    /* IRN stops in 2021: the years both have are 2019 and 2021; the baseline is the latest
     * of them, so the first (2019) is set against it, for RUS too */
    struct tr_composition_row c2[] = {comp(2019, "RUS"), comp(2021, "RUS"), comp(2022, "RUS"),
                                      comp(2019, "IRN"), comp(2021, "IRN")};
    r.composition = c2;
    r.n_composition = 5;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_INT(b.comp_years[0], 2019);
    TR_CHECK_INT(b.comp_years[1], 2021);
    TR_CHECK(strstr(b.comp_note, "2019") != NULL);
    tr_briefing_release(&b);
    /* RUS and IRN both in 2021 only: one year, said as such (not "2021 against 2021") */
    struct tr_composition_row c3[] = {comp(2021, "RUS"), comp(2021, "IRN")};
    r.composition = c3;
    r.n_composition = 2;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_INT(b.comp_years[0], 2021);
    TR_CHECK_INT(b.comp_years[1], 2021);
    TR_CHECK_STR(b.comp_note, "2021, the only year with data for both exporters.");
    tr_briefing_release(&b);
    r.composition = c2;
    /* only RUS exports: its own years decide (2021 against 2022) */
    r.n_composition = 3;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_INT(b.comp_years[0], 2021);
    TR_CHECK_INT(b.comp_years[1], 2022);
    tr_briefing_release(&b);
}

TR_TEST(briefing_partial_years)
{
    /* 2016 all goods; 2017-2019 partial (one run); 2020 all goods; 2021 partial; 2023 partial
     * after a gap (2022 absent): three runs, the gap not bridged */
    struct tr_bilateral_year ys[7] = {{.year = 2016},
                                      {.year = 2017, .goods_partial = 1},
                                      {.year = 2018, .goods_partial = 1},
                                      {.year = 2019, .goods_partial = 1},
                                      {.year = 2020},
                                      {.year = 2021, .goods_partial = 1},
                                      {.year = 2023, .goods_partial = 1}};
    struct tr_report r;
    struct tr_briefing b;
    struct tr_err e = {0};
    pair(&r, ys, 7);
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_STR(b.partial_years, "2017\xE2\x80\x93"
                                  "2019, 2021, 2023");
    TR_CHECK(strncmp(b.partial_note, "Not all goods in 2017", 21) == 0);
    tr_briefing_release(&b);
    /* every year all goods: nothing said */
    for (int i = 0; i < 7; i++)
        ys[i].goods_partial = 0;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_STR(b.partial_years, "");
    TR_CHECK_STR(b.partial_note, "");
    tr_briefing_release(&b);
    /* one partial year alone */
    ys[6].goods_partial = 1;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_STR(b.partial_years, "2023");
    tr_briefing_release(&b);
}

static struct tr_claim_row claim(int id, const char *unit, const char *metric, double stated,
                                 double computed, int closest)
{
    struct tr_claim_row c;
    memset(&c, 0, sizeof(c));
    c.claim_id = id;
    c.unit = (char *)unit;
    c.metric = (char *)metric;
    c.definition = (char *)"a definition";
    c.stated_value = stated;
    c.computed_value = computed;
    c.diff_pct = isfinite(stated) && isfinite(computed) ? 100 * (stated - computed) / computed
                                                        : NAN;
    c.is_closest = closest;
    c.year = 2021;
    return c;
}

TR_TEST(briefing_claims_closest_unit_and_text)
{
    struct tr_bilateral_year ys[1] = {{.year = 2021}};
    struct tr_report r;
    struct tr_briefing b;
    struct tr_err e = {0};
    pair(&r, ys, 1);
    struct tr_claim_row rows[] = {
        /* claim 1: stated $3.07bn; the second definition is the closest, $3.07bn - 2.9bn
         * = 5.862...% of 2.9bn */
        claim(1, "USD", "exports", 3.07e9, 2.5e9, 0),
        claim(1, "USD", "exports", 3.07e9, 2.9e9, 1),
        /* claim 2: a share with no unit: 90% stated, 87.5% computed = +2.5 pp (the view's
         * diff_pct would say +2.9%) */
        claim(2, NULL, "tariff_pref_share", 90, 87.5, 1),
        /* claim 3: nothing stated, a turnover computed as 3,384,100,000: money, not 3.38e+09 */
        claim(3, NULL, "turnover", NAN, 3384100000.0, 0),
    };
    r.claims = rows;
    r.n_claims = 4;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_STR(b.period, "2021");
    TR_CHECK_INT(b.n_claims, 3);
    TR_CHECK(b.claims[0].shown == &rows[1]);
    TR_CHECK_INT(b.claims[0].n_defs, 2);
    TR_CHECK_INT(b.claims[0].unit, TR_UNIT_USD);
    TR_CHECK_STR(b.claims[0].stated, "$3.07bn");
    TR_CHECK_STR(b.claims[0].computed, "$2.9bn");
    TR_CHECK_STR(b.claims[0].diff, "+5.9%");
    TR_CHECK_INT(b.claims[1].unit, TR_UNIT_PCT);
    TR_CHECK_STR(b.claims[1].stated, "90%");
    TR_CHECK_STR(b.claims[1].computed, "87.5%");
    TR_CHECK_STR(b.claims[1].diff, "+2.5 pp");
    TR_CHECK_INT(b.claims[2].unit, TR_UNIT_USD);
    TR_CHECK_STR(b.claims[2].stated, "\xE2\x80\x93");
    TR_CHECK_STR(b.claims[2].computed, "$3.38bn");
    tr_briefing_release(&b);
    tr_briefing_release(NULL); /* a no-op */
}

static struct tr_composition_row share(int year, const char *exporter, const char *code,
                                       double pct, double usd)
{
    struct tr_composition_row c = comp(year, exporter);
    snprintf(c.code, sizeof(c.code), "%s", code);
    c.share_pct = pct;
    c.value_usd = usd;
    return c;
}

TR_TEST(briefing_composition_charts_top_sections_and_other)
{
    struct tr_bilateral_year ys[2] = {{.year = 2021}, {.year = 2022}};
    struct tr_report r;
    struct tr_briefing b;
    struct tr_err e = {0};
    pair(&r, ys, 2);
    /* RUS: eight sections in 2022 (shares 30, 20, 15, 10, 8, 7, 6, 4 = 100); the six largest
     * are shown, IX (6) and X (4) become "Other sections" = 10. 2021 has II 60 and XV 40 and
     * IX 0: the 2021 column of "Other" is 0, of Vegetable products 60. IRN: one section. */
    struct tr_composition_row rows[] = {
        share(2021, "RUS", "II", 60, 600),  share(2021, "RUS", "XV", 40, 400),
        share(2022, "RUS", "XVI", 30, 300), share(2022, "RUS", "II", 20, 200),
        share(2022, "RUS", "V", 15, 150),   share(2022, "RUS", "XV", 10, 100),
        share(2022, "RUS", "VI", 8, 80),    share(2022, "RUS", "XVII", 7, 70),
        share(2022, "RUS", "IX", 6, 60),    share(2022, "RUS", "X", 4, 40),
        share(2021, "IRN", "II", 100, 50),  share(2022, "IRN", "II", 100, 70),
    };
    r.composition = rows;
    r.n_composition = sizeof(rows) / sizeof(rows[0]);
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_INT(b.n_comp, 2);
    const struct tr_brief_comp *k = &b.comp[0];
    TR_CHECK_STR(k->exporter, "RUS");
    TR_CHECK_STR(k->importer, "IRN");
    TR_CHECK_INT(k->n_years, 2);
    TR_CHECK_INT(k->years[0], 2021);
    TR_CHECK_INT(k->years[1], 2022);
    TR_CHECK_INT(k->n_codes, 8);
    TR_CHECK_INT(k->n_cat, 7);
    TR_CHECK_STR(k->cat[0], "Machinery, electrical");
    TR_CHECK_STR(k->cat[1], "Vegetable products");
    TR_CHECK_STR(k->cat[5], "Vehicles, aircraft");
    TR_CHECK_STR(k->cat[6], "Other sections");
    TR_CHECK_NEAR(k->share[1][6], 10.0, 1e-9);
    TR_CHECK_NEAR(k->share[0][6], 0.0, 1e-9);
    TR_CHECK_NEAR(k->share[0][1], 60.0, 1e-9);
    TR_CHECK_NEAR(k->total[0], 1000.0, 1e-9);
    TR_CHECK_NEAR(k->total[1], 1000.0, 1e-9);
    TR_CHECK_STR(b.comp[1].exporter, "IRN");
    TR_CHECK_INT(b.comp[1].n_cat, 1);
    TR_CHECK_NEAR(b.comp[1].total[1], 70.0, 1e-9);
    tr_briefing_release(&b);
    TR_CHECK_STR(tr_briefing_section_short("NS"), "Not specified");
    TR_CHECK_STR(tr_briefing_section_short("99"), "99");
}

TR_TEST(briefing_turnover_marks_and_basket_years)
{
    struct tr_bilateral_year ys[3] = {{.year = 2020}, {.year = 2021}, {.year = 2022}};
    struct tr_report r;
    struct tr_briefing b;
    struct tr_err e = {0};
    pair(&r, ys, 3);
    snprintf(r.source, sizeof(r.source), "comtrade");
    struct tr_claim_row rows[] = {
        /* claim 1, turnover $4bn in 2021: BACI's 4.04bn is nearer, but the report's source
         * (Comtrade, 3.9bn) is marked */
        claim(1, "USD", "turnover", 4e9, 4.04e9, 1),
        claim(1, "USD", "turnover", 4e9, 3.9e9, 0),
        /* claim 2: a share, not marked; claim 3: turnover with nothing computed, not marked */
        claim(2, "pct", "turnover_growth_pct", 81, 80, 1),
        claim(3, "USD", "turnover", 5e9, NAN, 1),
    };
    rows[0].source = (char *)"baci";
    rows[1].source = (char *)"comtrade";
    r.claims = rows;
    r.n_claims = 4;
    TR_CHECK_INT(tr_briefing_build(&r, &b, &e), 0);
    TR_CHECK_INT(b.n_marks, 1);
    TR_CHECK_INT(b.marks[0].x, 1);
    TR_CHECK(b.marks[0].claim == &rows[0]);
    TR_CHECK(b.marks[0].computed == &rows[1]);
    TR_CHECK_INT(b.marks[0].same_source, 1);
    tr_briefing_release(&b);

    /* CHPL years: IRN has 2019..2022 (the baseline 2021, then 2022); RUS only 2021 (the
     * baseline is the latest: 2021 alone); rows declared by importers, and years whose rows
     * have no value (no six-digit detail), do not count; KAZ 2016..2030 keeps 2021 and the
     * latest five */
    struct tr_basket_row k[] = {
        {.year = 2019, .destination = "IRN", .declared_by = "exporter"},
        {.year = 2022, .destination = "IRN", .declared_by = "exporter"},
        {.year = 2021, .destination = "IRN", .declared_by = "exporter"},
        {.year = 2021, .destination = "RUS", .declared_by = "exporter"},
        {.year = 2023, .destination = "RUS", .declared_by = "importer"},
        {.year = 2024, .destination = "RUS", .declared_by = "exporter", .value_usd = NAN},
    };
    r.baskets = k;
    r.n_baskets = 6;
    int yrs[TR_BRIEF_BASKET_YEARS];
    TR_CHECK_INT((int)tr_briefing_basket_years(&r, "IRN", yrs), 2);
    TR_CHECK_INT(yrs[0], 2021);
    TR_CHECK_INT(yrs[1], 2022);
    TR_CHECK_INT((int)tr_briefing_basket_years(&r, "RUS", yrs), 1);
    TR_CHECK_INT(yrs[0], 2021);
    TR_CHECK_INT((int)tr_briefing_basket_years(&r, "CHN", yrs), 0);
    struct tr_basket_row kaz[15];
    for (int i = 0; i < 15; i++)
        kaz[i] = (struct tr_basket_row){.year = 2016 + i,
                                        .destination = "KAZ",
                                        .declared_by = "exporter"};
    r.baskets = kaz;
    r.n_baskets = 15;
    TR_CHECK_INT((int)tr_briefing_basket_years(&r, "KAZ", yrs), TR_BRIEF_BASKET_YEARS);
    TR_CHECK_INT(yrs[0], 2021);
    TR_CHECK_INT(yrs[1], 2026);
    TR_CHECK_INT(yrs[TR_BRIEF_BASKET_YEARS - 1], 2030);
}
