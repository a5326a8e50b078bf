/*
 * The workbook's sheets of tables: Summary (key figures, claim verdicts), Bilateral, Monthly
 * (only with monthly rows), Mirror, Composition, Baskets, Claims and Sources, one function per
 * sheet. Each places its chart (xlsx_charts.c) under its table, on a page of its own when
 * printed; the chart data are on Chart data, which no filter of these tables touches.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr/xlsx_int.h"

#define SUMMARY_WRAP 44 /* width of Summary's first and last columns, where claims wrap */

const char *const SUMMARY_FACTS[SU_NFACTS] = {"Period", "Data source", "Generated at",
                                              "Tool version"};

const char *const SC_HEADS[SC_NCOLS] = {
    "Claim", "Stated", "Closest computed", "Verdict", "Closest definition (source)",
};

const char *const MO_HEADS[MO_NCOLS] = {
    "Year",
    "Month",
    "Reporter",
    "Partner",
    "Flow",
    "Value, US$ m",
    "Year to date, US$ m",
    "Year-to-date growth %",
    "Rolling 12 months, US$ m",
    "Rolling 12 months growth %",
    "Source",
};

const char *const MI_HEADS[MI_NCOLS] = {
    "Year",
    "Reporter",
    "Partner",
    "Flow (as the reporter declares)",
    "Reported, US$ m",
    "Mirror (as the partner declares), US$ m",
    "Gap (import side " MINUS " export side), US$ m",
    "Ratio (import side / export side)",
    "Flag",
};

const char *const CL_HEADS[CL_NCOLS] = {
    "Claim id", "Claim (paraphrase)", "Definition tried", "Source",  "Computed", "Stated",
    "Unit",     "Difference %",       "Verdict",          "Closest", "Note",     "Article",
};

const char *const SOURCE_HEADS[SO_NCOLS] = {
    "Load id", "File name", "Format", "Release", "Rows loaded", "Loaded at (UTC)", "SHA-256",
};

/* One column of key figures for year y on Summary, rows from `top`. */
static void summary_year(struct xw *x, lxw_worksheet *ws, lxw_row_t top, lxw_col_t col,
                         const struct tr_bilateral_year *y)
{
    xw_put_num(x, ws, top, col, y->year, x->f.header);
    xw_put_money(x, ws, top + 1 + SU_TURN_BEST, col, y->turnover_best);
    xw_put_str(x, ws, top + 1 + SU_SIDE, col, xw_side_label(x->r, y->best_side), NULL);
    xw_put_pct(x, ws, top + 1 + SU_GROWTH, col, y->growth_pct);
    xw_put_money(x, ws, top + 1 + SU_A_X, col, y->a_exports_to_b);
    xw_put_money(x, ws, top + 1 + SU_A_M, col, y->a_imports_from_b);
    xw_put_money(x, ws, top + 1 + SU_B_X, col, y->b_exports_to_a);
    xw_put_money(x, ws, top + 1 + SU_B_M, col, y->b_imports_from_a);
}

/* The claim verdicts under the key figures: per claim the row the briefing shows (the closest
 * definition), as the PDF shows it. w holds the column widths so far. */
static void summary_claims(struct xw *x, lxw_worksheet *ws, lxw_row_t row, double *w)
{
    const struct tr_report *r = x->r;
    xw_put_str(x, ws, row++, 0, "Headline claims about the pair, checked against the data",
               x->f.label);
    if (r->n_claims == 0) {
        xw_put_str(x, ws, row, 0, "No recorded claim is about this pair.", x->f.note);
        return;
    }
    for (int c = 0; c < SC_NCOLS; c++) {
        xw_put_str(x, ws, row, (lxw_col_t)c, SC_HEADS[c], x->f.header);
        w[c] = xw_wider(w[c], SC_HEADS[c]);
    }
    row++;
    for (size_t i = 0; i < x->bf->n_claims; i++) {
        const struct tr_claim_row *c = x->bf->claims[i].shown;
        char def[512];
        if (*c->source)
            snprintf(def, sizeof(def), "%s (%s)", c->definition, c->source);
        else
            snprintf(def, sizeof(def), "%s", c->definition);
        xw_put_str(x, ws, row, SC_CLAIM, c->paraphrase, x->f.wrap);
        xw_put_claim_value(x, ws, row, SC_STATED, c, c->stated_value);
        xw_put_claim_value(x, ws, row, SC_COMPUTED, c, c->computed_value);
        xw_put_str(x, ws, row, SC_VERDICT, c->verdict, NULL);
        xw_put_str(x, ws, row, SC_DEF, def, x->f.wrap);
        double h = ROW_HEIGHT; /* both wrapped columns are SUMMARY_WRAP wide */
        xw_row_for_text(x, ws, row, c->paraphrase, SUMMARY_WRAP, &h);
        xw_row_for_text(x, ws, row, def, SUMMARY_WRAP, &h);
        double wv = xw_claim_value_width(c, c->stated_value);
        w[SC_STATED] = wv > w[SC_STATED] ? wv : w[SC_STATED];
        wv = xw_claim_value_width(c, c->computed_value);
        w[SC_COMPUTED] = wv > w[SC_COMPUTED] ? wv : w[SC_COMPUTED];
        w[SC_VERDICT] = xw_wider(w[SC_VERDICT], c->verdict);

        row++;
    }
    xw_put_str(x, ws, row, 0, "Every definition tried, for every source, is on the Claims sheet.",
               x->f.note);
}

void xw_sheet_summary(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_SUMMARY);
    if (!ws)
        return;
    char buf[512], period[32];
    snprintf(buf, sizeof(buf), "Trade briefing: %s " EN_DASH " %s", r->a_name, r->b_name);
    xw_put_str(x, ws, 0, 0, buf, x->f.title);

    double w[SC_NCOLS] = {0, 14, 14, 8, 8};
    xw_period_text(r, period, sizeof(period));
    const char *facts[SU_NFACTS] = {period, r->source_label, r->generated_at, r->tool_version};
    lxw_row_t row = 2;
    for (size_t i = 0; i < SU_NFACTS; i++, row++) {
        xw_put_str(x, ws, row, 0, SUMMARY_FACTS[i], x->f.label);
        xw_put_str(x, ws, row, 1, facts[i], NULL);
        w[0] = xw_wider(w[0], SUMMARY_FACTS[i]);
    }
    w[1] = xw_wider(w[1], r->source_label);

    row++;
    lxw_row_t top = row;
    xw_put_str(x, ws, top, 0, "Key figure", x->f.header);
    xw_put_str(x, ws, top, 3, "Unit", x->f.header);
    static const char *const units[SU_NROWS] = {"US$ m", "",      "%",    "US$ m",
                                                "US$ m", "US$ m", "US$ m"};
    for (int i = 0; i < SU_NROWS; i++) {
        xw_put_str(x, ws, top + 1 + (lxw_row_t)i, 0, x->su_label[i], x->f.label);
        xw_put_str(x, ws, top + 1 + (lxw_row_t)i, 3, units[i], NULL);
        w[0] = xw_wider(w[0], x->su_label[i]);
    }
    if (r->n_years > 0) {
        summary_year(x, ws, top, 1, &r->years[r->n_years - 1]);
        if (r->n_years > 1)
            summary_year(x, ws, top, 2, &r->years[0]); /* first year, for comparison */
    }
    row = top + 1 + SU_NROWS + 1;
    xw_put_str(x, ws, row++, 0,
               r->n_years > 0
                   ? "Latest year first, then the first year of the period for comparison."
                   : "No data for this pair in the period.",
               x->f.note);
    xw_put_str(x, ws, row++, 0,
               "Values in US$ millions; an empty cell means not reported. See Definitions.",
               x->f.note);
    if (*x->bf->partial_note) /* the totals above may be a few products: said beside them */
        xw_put_str(x, ws, row++, 0, x->bf->partial_note, x->f.note);
    row++;
    summary_claims(x, ws, row, w);

    w[SC_CLAIM] = w[SC_DEF] = SUMMARY_WRAP; /* the claim texts wrap, at known widths */
    for (int c = 0; c < SC_NCOLS; c++)
        xw_set_width(x, ws, (lxw_col_t)c, w[c], NULL);
}

/* The last column a sheet prints: its table's, or the chart's when that is wider. */
static lxw_col_t last_col(int ncols)
{
    return (lxw_col_t)(ncols > XW_CHART_COLS ? ncols : XW_CHART_COLS) - 1;
}

/* Places a chart under a table that ends at row last: on a page of its own when printed, the
 * print area covering both. */
static lxw_row_t chart_below(struct xw *x, lxw_worksheet *ws, lxw_row_t last, int ncols)
{
    lxw_row_t at = last + 2;
    if (x->rc)
        return at;
    lxw_row_t breaks[] = {at, 0};
    xw_check(x, worksheet_set_h_pagebreaks(ws, breaks), ws->name);
    xw_check(x, worksheet_print_area(ws, 0, 0, at + XW_CHART_ROWS, last_col(ncols)), ws->name);
    return at;
}

/* Up to two charts (k = 0, 1) from row at down, each on a page of its own when printed. */
static void charts_from(struct xw *x, lxw_worksheet *ws, lxw_row_t at, int ncols,
                        int (*chart)(struct xw *, lxw_worksheet *, size_t, lxw_row_t))
{
    lxw_row_t breaks[3] = {0, 0, 0}; /* the list ends at a 0; no break before row 0 */
    size_t n = 0, nb = 0;
    for (size_t k = 0; k < 2; k++) {
        if (x->rc || !chart(x, NULL, k, 0)) /* a NULL sheet asks whether there is one */
            continue;
        if (at > 0)
            breaks[nb++] = at;
        chart(x, ws, k, at);
        at += XW_CHART_ROWS + 1;
        n++;
    }
    if (n == 0 || x->rc)
        return;
    if (nb > 0)
        xw_check(x, worksheet_set_h_pagebreaks(ws, breaks), ws->name);
    xw_check(x, worksheet_print_area(ws, 0, 0, at, last_col(ncols)), ws->name);
}

void xw_sheet_bilateral(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_BILATERAL);
    if (!ws)
        return;
    const char *heads[BI_NCOLS];
    for (int c = 0; c < BI_NCOLS; c++)
        heads[c] = x->bi_head[c];
    struct table t;
    xw_tab_begin(x, &t, ws, heads, BI_NCOLS);
    for (size_t i = 0; i < r->n_years; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        xw_tab_year(x, &t, row, BI_YEAR, y->year);
        xw_tab_money(x, &t, row, BI_A_X, y->a_exports_to_b);
        xw_tab_money(x, &t, row, BI_A_M, y->a_imports_from_b);
        xw_tab_money(x, &t, row, BI_B_X, y->b_exports_to_a);
        xw_tab_money(x, &t, row, BI_B_M, y->b_imports_from_a);
        xw_tab_money(x, &t, row, BI_TURN_A, y->turnover_a);
        xw_tab_money(x, &t, row, BI_TURN_B, y->turnover_b);
        xw_tab_money(x, &t, row, BI_TURN_BEST, y->turnover_best);
        xw_tab_str(x, &t, row, BI_SIDE, xw_side_label(r, y->best_side));
        xw_tab_pct(x, &t, row, BI_GROWTH, y->growth_pct);
        xw_tab_str(x, &t, row, BI_GOODS,
                   y->goods_partial ? "partial: listed products only" : "all goods");
    }
    xw_tab_end(x, &t, (lxw_row_t)r->n_years);
    if (r->n_years > 0)
        xw_chart_turnover(x, ws, chart_below(x, ws, (lxw_row_t)r->n_years, BI_NCOLS));
}

void xw_sheet_monthly(struct xw *x)
{
    const struct tr_report *r = x->r;
    if (r->n_monthly == 0) /* most sources are annual: no sheet rather than an empty one */
        return;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_MONTHLY);
    if (!ws)
        return;
    struct table t;
    xw_tab_begin(x, &t, ws, MO_HEADS, MO_NCOLS);
    for (size_t i = 0; i < r->n_monthly; i++) {
        const struct tr_monthly_row *m = &r->monthly[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        xw_tab_year(x, &t, row, MO_YEAR, m->year);
        xw_put_num(x, ws, row, MO_MONTH, m->month, x->f.year);
        xw_tab_str(x, &t, row, MO_REPORTER, m->reporter);
        xw_tab_str(x, &t, row, MO_PARTNER, m->partner);
        xw_tab_str(x, &t, row, MO_FLOW, m->flow);
        xw_tab_money(x, &t, row, MO_VALUE, m->value_usd);
        xw_tab_money(x, &t, row, MO_YTD, m->ytd_usd);
        xw_tab_pct(x, &t, row, MO_YTD_GROWTH, m->ytd_growth_pct);
        xw_tab_money(x, &t, row, MO_R12, m->r12_usd);
        xw_tab_pct(x, &t, row, MO_R12_GROWTH, m->r12_growth_pct);
        xw_tab_str(x, &t, row, MO_SOURCE, m->source);
    }
    xw_tab_end(x, &t, (lxw_row_t)r->n_monthly);
}

static void mirror_row(struct xw *x, struct table *t, lxw_row_t row,
                       const struct tr_mirror_row *m)
{
    xw_tab_year(x, t, row, MI_YEAR, m->year);
    xw_tab_str(x, t, row, MI_REPORTER, m->reporter);
    xw_tab_str(x, t, row, MI_PARTNER, m->partner);
    xw_tab_str(x, t, row, MI_FLOW, m->flow);
    xw_tab_money(x, t, row, MI_REPORTED, m->reported_usd);
    xw_tab_money(x, t, row, MI_MIRROR, m->mirror_usd);
    xw_tab_money(x, t, row, MI_GAP, m->gap_usd);
    xw_put_num(x, t->ws, row, MI_RATIO, m->ratio, x->f.ratio);
    xw_tab_str(x, t, row, MI_FLAG, m->flag);
}

/* Rows go by declaration, then year: A's exports, A's imports, B's exports, B's imports. So
 * A's exports to B over the years are one block at the top, which the chart draws. */
void xw_sheet_mirror(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_MIRROR);
    if (!ws)
        return;
    if (r->n_mirror == 0) {
        char why[512];
        if (xw_is_baci(r))
            snprintf(why, sizeof(why),
                     "%s is reconciled: one figure per flow, no mirror. For both declarations "
                     "side by side, make the report with --source comtrade.",
                     r->source_label);
        else
            snprintf(why, sizeof(why),
                     "No mirror figures: neither %s nor %s declared their trade with the other "
                     "in %s for this period.",
                     r->a, r->b, r->source_label);
        xw_empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    xw_tab_begin(x, &t, ws, MI_HEADS, MI_NCOLS);
    const char *groups[4][2] = {{r->a, "X"}, {r->a, "M"}, {r->b, "X"}, {r->b, "M"}};
    lxw_row_t row = 1, n_chart = 0;
    for (int g = 0; g <= 4; g++) {
        for (size_t i = 0; i < r->n_mirror; i++) {
            const struct tr_mirror_row *m = &r->mirror[i];
            int k = 0;
            while (k < 4 && !(strcmp(m->reporter, groups[k][0]) == 0 &&
                              strcmp(m->flow, groups[k][1]) == 0))
                k++;
            if (k != g) /* g == 4 catches rows of no group, so every row is written */
                continue;
            mirror_row(x, &t, row++, m);
        }
        if (g == 0)
            n_chart = row - 1;
    }
    xw_tab_end(x, &t, row - 1);
    if (n_chart > 0 && x->cp.mirror.n > 0)
        xw_chart_mirror(x, ws, chart_below(x, ws, row - 1, MI_NCOLS));
}

void xw_sheet_composition(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_COMPOSITION);
    if (!ws)
        return;
    if (r->n_composition == 0) {
        char why[512];
        snprintf(why, sizeof(why),
                 "No product detail for trade between %s and %s in %s for this period.", r->a,
                 r->b, r->source_label);
        xw_empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    xw_tab_begin(x, &t, ws, x->co_heads, CO_NCOLS);
    for (size_t i = 0; i < r->n_composition; i++) {
        const struct tr_composition_row *c = &r->composition[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        xw_tab_year(x, &t, row, CO_YEAR, c->year);
        xw_tab_str(x, &t, row, CO_EXPORTER, c->exporter);
        xw_tab_str(x, &t, row, CO_CODE, c->code);
        xw_tab_text(x, &t, row, CO_NAME, c->name);
        xw_tab_money(x, &t, row, CO_VALUE, c->value_usd);
        xw_tab_pct(x, &t, row, CO_SHARE, c->share_pct);
        xw_tab_money(x, &t, row, CO_BASELINE, c->baseline_usd);
        xw_tab_pct(x, &t, row, CO_CHANGE, c->change_pct);
    }
    xw_tab_end(x, &t, (lxw_row_t)r->n_composition);
    charts_from(x, ws, (lxw_row_t)r->n_composition + 2, CO_NCOLS, xw_chart_composition);
}

void xw_sheet_baskets(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_BASKETS);
    if (!ws)
        return;
    size_t shown = 0;
    for (size_t i = 0; i < r->n_baskets; i++)
        shown += (size_t)tr_briefing_basket_row_shown(&r->baskets[i]);
    if (shown == 0) {
        char why[512];
        snprintf(why, sizeof(why),
                 "No Common High Priority List goods shipped to %s or %s in %s for this period "
                 "(the basket view follows shipments to RUS and IRN only).",
                 r->a, r->b, r->source_label);
        xw_empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    xw_tab_begin(x, &t, ws, x->ba_heads, BA_NCOLS);
    lxw_row_t row = 0;
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *k = &r->baskets[i];
        if (!tr_briefing_basket_row_shown(k))
            continue;
        row++;
        xw_tab_year(x, &t, row, BA_YEAR, k->year);
        xw_tab_str(x, &t, row, BA_TIER, k->tier);
        xw_tab_str(x, &t, row, BA_DEST, k->destination);
        xw_tab_str(x, &t, row, BA_EXPORTER, k->exporter);
        xw_tab_str(x, &t, row, BA_DECLARED, k->declared_by);
        xw_tab_money(x, &t, row, BA_VALUE, k->value_usd);
        xw_tab_money(x, &t, row, BA_BASELINE, k->baseline_usd);
        xw_tab_pct(x, &t, row, BA_CHANGE, k->change_pct);
    }
    xw_tab_end(x, &t, row);
    /* The basket table runs to thousands of rows: its charts have a sheet of their own. */
    if (!xw_chart_basket(x, NULL, 0, 0))
        return;
    lxw_worksheet *charts = xw_add_sheet(x, SHEET_BASKET_CHARTS);
    if (charts)
        charts_from(x, charts, 0, 0, xw_chart_basket);
}

void xw_sheet_claims(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_CLAIMS);
    if (!ws)
        return;
    if (r->n_claims == 0) {
        char why[256];
        snprintf(why, sizeof(why),
                 "No recorded claim is about %s and %s (add claims with `tradereport import "
                 "--format claims`).",
                 r->a, r->b);
        xw_empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    xw_tab_begin(x, &t, ws, CL_HEADS, CL_NCOLS);
    for (size_t i = 0; i < r->n_claims; i++) {
        const struct tr_claim_row *c = &r->claims[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        xw_put_num(x, ws, row, CL_ID, c->claim_id, x->f.year);
        xw_tab_text(x, &t, row, CL_CLAIM, c->paraphrase);
        xw_tab_text(x, &t, row, CL_DEF, c->definition);
        xw_tab_str(x, &t, row, CL_SOURCE, c->source);
        xw_put_claim_value(x, ws, row, CL_COMPUTED, c, c->computed_value);
        xw_tab_grow(&t, CL_COMPUTED, xw_claim_value_width(c, c->computed_value));
        xw_put_claim_value(x, ws, row, CL_STATED, c, c->stated_value);
        xw_tab_grow(&t, CL_STATED, xw_claim_value_width(c, c->stated_value));
        xw_tab_str(x, &t, row, CL_UNIT, xw_claim_unit(c));
        xw_tab_pct(x, &t, row, CL_DIFF, c->diff_pct);
        xw_tab_str(x, &t, row, CL_VERDICT, c->verdict);
        xw_tab_str(x, &t, row, CL_CLOSEST, c->is_closest ? "yes" : "no");
        xw_tab_text(x, &t, row, CL_NOTE, c->note);
        xw_tab_text(x, &t, row, CL_ARTICLE, c->article);
    }
    xw_tab_end(x, &t, (lxw_row_t)r->n_claims);
}

void xw_sheet_sources(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_SOURCES);
    if (!ws)
        return;
    struct table t;
    xw_tab_begin(x, &t, ws, SOURCE_HEADS, SO_NCOLS);
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct tr_source_file *s = &r->sources[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        xw_put_num(x, ws, row, SO_ID, (double)s->load_id, x->f.year);
        xw_tab_str(x, &t, row, SO_FILE, s->file_name);
        xw_tab_str(x, &t, row, SO_FORMAT, s->format);
        xw_tab_str(x, &t, row, SO_RELEASE, s->release);
        xw_put_num(x, ws, row, SO_ROWS, (double)s->rows_loaded, x->f.count);
        xw_tab_str(x, &t, row, SO_LOADED_AT, s->loaded_at);
        xw_tab_str(x, &t, row, SO_SHA, s->sha256);
    }
    xw_tab_end(x, &t, (lxw_row_t)r->n_sources);
}
