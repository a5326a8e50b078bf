/*
 * The workbook's native charts and the Chart data sheet they plot. Every chart reads its own
 * block of Chart data, never the table of the sheet it sits on: filtering a table hides rows,
 * and a chart plots visible cells only. What the blocks hold (years, sections, claims marked)
 * is the briefing's (briefing.c); this file only lays it out and styles the series.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr/xlsx_int.h"

/* Turnover block columns; Mirror, Composition and Baskets blocks use the first three. */
enum { CD_CAT, CD_1, CD_2, CD_3, CD_STATED, CD_COMPUTED, CD_NCOLS };

#define C_BEST 0x0072B2
#define C_SIDE_A 0xE69F00
#define C_SIDE_B 0x009E73
#define DATA_CAT_WIDTH 24 /* Chart data's first column (years, sections, tiers) */
#define DATA_WIDTH 18     /* and its value columns */

#define C_STATED 0xCC79A7
#define C_CLAIM 0xD55E00

static lxw_row_t block(struct xw_block *b, lxw_row_t at, size_t n)
{
    b->n = n;
    b->title = at;
    b->first = at + 2;
    return n ? at + 3 + (lxw_row_t)n : at;
}

/* Is b a CHPL row the tier charts count: declared by the exporter, all exporters together? */
static int basket_all(const struct tr_basket_row *b)
{
    return strcmp(b->declared_by, "exporter") == 0 && strcmp(b->exporter, "all") == 0;
}

/* The tiers met for any destination, in their natural order (1, 2, 3.A ...), so that the
 * destinations' charts compare. */
static void plan_tiers(struct xw *x)
{
    struct xw_charts *cp = &x->cp;
    for (size_t i = 0; i < x->r->n_baskets; i++) {
        const struct tr_basket_row *b = &x->r->baskets[i];
        size_t j = 0;
        while (j < cp->n_tiers && strcmp(cp->tiers[j], b->tier) != 0)
            j++;
        if (!basket_all(b) || j < cp->n_tiers || cp->n_tiers == XW_TIERS)
            continue;
        for (j = cp->n_tiers++; j > 0 && strcmp(cp->tiers[j - 1], b->tier) > 0; j--)
            cp->tiers[j] = cp->tiers[j - 1];
        cp->tiers[j] = b->tier;
    }
}

void xw_plan_charts(struct xw *x)
{
    const struct tr_report *r = x->r;
    struct xw_charts *cp = &x->cp;
    memset(cp, 0, sizeof(*cp));
    lxw_row_t at = block(&cp->turnover, 0, r->n_years);
    size_t n = 0;
    for (size_t i = 0; i < r->n_mirror; i++)
        n += strcmp(r->mirror[i].reporter, r->a) == 0 && strcmp(r->mirror[i].flow, "X") == 0;
    at = block(&cp->mirror, at, n);
    for (size_t k = 0; k < x->bf->n_comp; k++)
        at = block(&cp->comp[k], at, x->bf->comp[k].n_cat);
    plan_tiers(x);
    const char *dest[2] = {r->a, r->b};
    for (size_t k = 0, d = 0; d < 2; d++) {
        if (cp->n_tiers == 0 ||
            !(cp->n_basket_years[k] = tr_briefing_basket_years(r, dest[d], cp->basket_years[k])))
            continue;
        cp->basket_dest[k] = dest[d];
        at = block(&cp->basket[k++], at, cp->n_tiers);
    }
    cp->rows = at;
}

/* A new chart of type with a title, or NULL (the error is in x). */
static lxw_chart *new_chart(struct xw *x, uint8_t type, const char *title)
{
    if (x->rc)
        return NULL;
    lxw_chart *chart = workbook_add_chart(x->wb, type);
    if (!chart) {
        xw_out_of_memory(x, "a chart");
        return NULL;
    }
    chart_title_set_name(chart, title);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    return chart;
}

/* A series over column col of block b, named by the block's header cell. */
static lxw_chart_series *add_series(struct xw *x, lxw_chart *chart, const struct xw_block *b,
                                    lxw_col_t col)
{
    lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
    if (!s) {
        xw_out_of_memory(x, "a chart series");
        return NULL;
    }
    lxw_row_t last = b->first + (lxw_row_t)b->n - 1;
    chart_series_set_name_range(s, SHEET_CHART_DATA, b->first - 1, col);
    chart_series_set_categories(s, SHEET_CHART_DATA, b->first, CD_CAT, last, CD_CAT);
    chart_series_set_values(s, SHEET_CHART_DATA, b->first, col, last, col);
    return s;
}

/* Line and marker of one series: the line may be none (claims are points only). */
static void style(lxw_chart_series *s, unsigned rgb, double width, uint8_t dash, uint8_t marker,
                  uint8_t size)
{
    lxw_chart_line line = {.color = rgb, .width = width, .dash_type = dash, .none = width == 0};
    chart_series_set_line(s, &line);
    chart_series_set_marker_type(s, marker);
    chart_series_set_marker_size(s, size);
    lxw_chart_line border = {.color = rgb, .width = 1.25};
    lxw_chart_fill fill = {.color = rgb};
    chart_series_set_marker_line(s, &border);
    chart_series_set_marker_fill(s, &fill);
}

static void insert(struct xw *x, lxw_worksheet *ws, lxw_chart *chart, lxw_row_t row)
{
    /* Sized to one landscape page; it keeps its place and size when the table above is
     * filtered (hidden rows would otherwise shrink it). */
    lxw_chart_options opt = {.x_offset = 4,
                             .y_offset = 4,
                             .x_scale = 1.5,
                             .y_scale = 1.5,
                             .object_position = LXW_OBJECT_DONT_MOVE_DONT_SIZE};
    xw_check(x, worksheet_insert_chart_opt(ws, row, 0, chart, &opt), ws->name);
}

static void money_axes(lxw_chart *chart, const char *x_name, const char *y_name)
{
    chart_axis_set_name(chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X), x_name);
    lxw_chart_axis *ya = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_name(ya, y_name);
    chart_axis_set_num_format(ya, "#,##0");
}

/* Turnover as each side reports it and the best figure, every point marked: a year after a
 * gap shows as a lone marker. The claims the briefing marks are points in two colours: the
 * stated figure and the computed figure it is checked against (a hollow marker does not show
 * in LibreOffice, which draws no marker border). */
void xw_chart_turnover(struct xw *x, lxw_worksheet *ws, lxw_row_t row)
{
    const struct xw_block *b = &x->cp.turnover;
    char title[128];
    snprintf(title, sizeof(title), "Trade turnover, %s" EN_DASH "%s", x->r->a, x->r->b);
    lxw_chart *chart = b->n ? new_chart(x, LXW_CHART_LINE, title) : NULL;
    if (!chart)
        return;
    /* the best figure first, wide and solid, so each side's dashed line shows on top of it */
    static const struct {
        lxw_col_t col;
        unsigned rgb;
        double width;
        uint8_t dash, marker, size;
    } st[] = {
        {CD_3, C_BEST, 3.5, LXW_CHART_LINE_DASH_SOLID, LXW_CHART_MARKER_CIRCLE, 8},
        {CD_1, C_SIDE_A, 1.5, LXW_CHART_LINE_DASH_DASH, LXW_CHART_MARKER_SQUARE, 6},
        {CD_2, C_SIDE_B, 1.5, LXW_CHART_LINE_DASH_ROUND_DOT, LXW_CHART_MARKER_TRIANGLE, 7},
        {CD_STATED, C_STATED, 0, 0, LXW_CHART_MARKER_DIAMOND, 10},
        {CD_COMPUTED, C_CLAIM, 0, 0, LXW_CHART_MARKER_DIAMOND, 8},
    };
    size_t n = x->bf->n_marks > 0 ? 5 : 3;
    for (size_t i = 0; i < n; i++) {
        lxw_chart_series *s = add_series(x, chart, b, st[i].col);
        if (!s)
            return;
        style(s, st[i].rgb, st[i].width, st[i].dash, st[i].marker, st[i].size);
    }
    money_axes(chart, "Year", "US$ millions");
    /* A year one side did not report is a gap in its line, not a drop to zero. */
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    insert(x, ws, chart, row);
}

void xw_chart_mirror(struct xw *x, lxw_worksheet *ws, lxw_row_t row)
{
    const struct xw_block *b = &x->cp.mirror;
    char title[128];
    snprintf(title, sizeof(title), "%s exports to %s: %s's figure against %s's mirror", x->r->a,
             x->r->b, x->r->a, x->r->b);
    lxw_chart *chart = b->n ? new_chart(x, LXW_CHART_COLUMN, title) : NULL;
    if (!chart)
        return;
    for (lxw_col_t c = CD_1; c <= CD_2; c++)
        if (!add_series(x, chart, b, c))
            return;
    money_axes(chart, "Year", "US$ millions");
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    insert(x, ws, chart, row);
}

int xw_chart_composition(struct xw *x, lxw_worksheet *ws, size_t k, lxw_row_t row)
{
    if (k >= x->bf->n_comp)
        return 0;
    if (!ws)
        return 1;
    const struct tr_brief_comp *m = &x->bf->comp[k];
    char title[200];
    if (m->n_years == 2)
        snprintf(title, sizeof(title), "%s exports to %s by HS section, share %d and %d",
                 m->exporter, m->importer, m->years[0], m->years[1]);
    else
        snprintf(title, sizeof(title), "%s exports to %s by HS section, share %d", m->exporter,
                 m->importer, m->years[0]);
    lxw_chart *chart = new_chart(x, LXW_CHART_COLUMN, title);
    if (!chart)
        return 1;
    for (size_t s = 0; s < m->n_years; s++)
        if (!add_series(x, chart, &x->cp.comp[k], (lxw_col_t)(CD_1 + s)))
            return 1;
    chart_axis_set_name(chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X), "HS section");
    lxw_chart_axis *ya = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_name(ya, "Share of exports");
    chart_axis_set_num_format(ya, "0%");
    insert(x, ws, chart, row);
    return 1;
}

/* The CHPL tier chart of the k-th destination, with its source on the row above. */
int xw_chart_basket(struct xw *x, lxw_worksheet *ws, size_t k, lxw_row_t row)
{
    const struct xw_block *b = &x->cp.basket[k];
    if (k >= 2 || b->n == 0)
        return 0;
    if (!ws)
        return 1;
    const char *dest = x->cp.basket_dest[k];
    const int *y = x->cp.basket_years[k];
    size_t n_y = x->cp.n_basket_years[k];
    char title[160], note[512];
    snprintf(title, sizeof(title), "CHPL goods shipped to %s, by tier, US$ m", dest);
    snprintf(note, sizeof(note),
             "Common High Priority List goods shipped to %s: every exporter's declared exports, "
             "by tier, %d to %d. Source: %s (view v_basket_flows); the Baskets sheet has "
             "every route.",
             dest, y[0], y[n_y - 1], x->r->source_label);
    /* the note wraps across the chart's width, two lines tall */
    if (!x->rc) {
        xw_check(x,
                 worksheet_merge_range(ws, row, 0, row, XW_CHART_COLS - 1, note, x->f.note_wrap),
                 ws->name);
        xw_check(x, worksheet_set_row(ws, row, 2 * ROW_HEIGHT, NULL), ws->name);
    }
    lxw_chart *chart = new_chart(x, LXW_CHART_COLUMN, title);
    if (!chart)
        return 1;
    for (size_t s = 0; s < n_y; s++)
        if (!add_series(x, chart, b, (lxw_col_t)(CD_1 + s)))
            return 1;
    money_axes(chart, "CHPL tier", "US$ millions");
    insert(x, ws, chart, row + 1);
    return 1;
}

/* A block's title and header row. */
static void block_head(struct xw *x, lxw_worksheet *ws, const struct xw_block *b,
                       const char *title, const char *const *heads, int n)
{
    xw_put_str(x, ws, b->title, 0, title, x->f.label);
    double h = ROW_HEIGHT; /* headers wrap in the block's columns */
    for (int c = 0; c < n; c++) {
        xw_put_str(x, ws, b->first - 1, (lxw_col_t)c, heads[c], x->f.header);
        xw_row_for_text(x, ws, b->first - 1, heads[c], c == 0 ? DATA_CAT_WIDTH : DATA_WIDTH, &h);
    }
}

static void data_turnover(struct xw *x, lxw_worksheet *ws)
{
    const struct tr_report *r = x->r;
    const struct xw_block *b = &x->cp.turnover;
    if (!b->n)
        return;
    char ha[64], hb[64];
    snprintf(ha, sizeof(ha), "Turnover as %s reports", r->a);
    snprintf(hb, sizeof(hb), "Turnover as %s reports", r->b);
    const char *heads[CD_NCOLS] = {"Year",           ha, hb, "Turnover (best)", "Claim, stated",
                                   "Claim, computed"};
    block_head(x, ws, b, "Trade turnover (Bilateral), US$ m", heads,
               x->bf->n_marks ? CD_NCOLS : CD_STATED);
    for (size_t i = 0; i < b->n; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        lxw_row_t row = b->first + (lxw_row_t)i;
        xw_put_num(x, ws, row, CD_CAT, y->year, x->f.year);
        xw_put_money(x, ws, row, CD_1, y->turnover_a);
        xw_put_money(x, ws, row, CD_2, y->turnover_b);
        xw_put_money(x, ws, row, CD_3, y->turnover_best);
    }
    /* one claim a year: a second claim about the same year is on Claims only */
    for (size_t i = 0; i < x->bf->n_marks; i++) {
        const struct tr_brief_mark *m = &x->bf->marks[i];
        lxw_row_t row = b->first + (lxw_row_t)m->x;
        xw_put_money(x, ws, row, CD_STATED, m->claim->stated_value);
        xw_put_money(x, ws, row, CD_COMPUTED, m->computed->computed_value);
    }
}

static void data_mirror(struct xw *x, lxw_worksheet *ws)
{
    const struct tr_report *r = x->r;
    const struct xw_block *b = &x->cp.mirror;
    if (!b->n)
        return;
    char h1[96], h2[96];
    snprintf(h1, sizeof(h1), "As %s reports (its exports, FOB)", r->a);
    snprintf(h2, sizeof(h2), "As %s reports (its imports, CIF)", r->b);
    const char *heads[] = {"Year", h1, h2};
    block_head(x, ws, b, "Mirror, US$ m", heads, 3);
    lxw_row_t row = b->first;
    for (size_t i = 0; i < r->n_mirror; i++) {
        const struct tr_mirror_row *m = &r->mirror[i];
        if (strcmp(m->reporter, r->a) != 0 || strcmp(m->flow, "X") != 0)
            continue;
        xw_put_num(x, ws, row, CD_CAT, m->year, x->f.year);
        xw_put_money(x, ws, row, CD_1, m->reported_usd);
        xw_put_money(x, ws, row++, CD_2, m->mirror_usd);
    }
}

static void data_composition(struct xw *x, lxw_worksheet *ws, size_t k)
{
    const struct tr_brief_comp *m = &x->bf->comp[k];
    const struct xw_block *b = &x->cp.comp[k];
    char title[160], y[2][16];
    snprintf(title, sizeof(title), "Composition: %s exports to %s, share by HS section",
             m->exporter, m->importer);
    snprintf(y[0], sizeof(y[0]), "%d", m->years[0]);
    snprintf(y[1], sizeof(y[1]), "%d", m->years[1]);
    const char *heads[] = {"HS section", y[0], y[1]};
    block_head(x, ws, b, title, heads, 1 + (int)m->n_years);
    for (size_t i = 0; i < m->n_cat; i++) {
        lxw_row_t row = b->first + (lxw_row_t)i;
        xw_put_str(x, ws, row, CD_CAT, m->cat[i], NULL);
        for (size_t s = 0; s < m->n_years; s++)
            xw_put_pct(x, ws, row, (lxw_col_t)(CD_1 + s), m->share[s][i]);
    }
}

static void data_basket(struct xw *x, lxw_worksheet *ws, size_t k)
{
    const struct xw_charts *cp = &x->cp;
    const struct xw_block *b = &cp->basket[k];
    const int *y = cp->basket_years[k];
    size_t n_ser = cp->n_basket_years[k];
    char title[160], h[TR_BRIEF_BASKET_YEARS][16];
    snprintf(title, sizeof(title), "Baskets: CHPL goods to %s by tier, every exporter, US$ m",
             cp->basket_dest[k]);
    const char *heads[1 + TR_BRIEF_BASKET_YEARS] = {"CHPL tier"};
    for (size_t s = 0; s < n_ser; s++) {
        snprintf(h[s], sizeof(h[s]), "%d", y[s]);
        heads[1 + s] = h[s];
    }
    block_head(x, ws, b, title, heads, 1 + (int)n_ser);
    for (size_t t = 0; t < cp->n_tiers; t++) {
        lxw_row_t row = b->first + (lxw_row_t)t;
        xw_put_str(x, ws, row, CD_CAT, cp->tiers[t], NULL);
        for (size_t s = 0; s < n_ser; s++) {
            /* a tier with no row in a year that has rows: nothing of it was shipped, 0; a
             * year with no row of any tier: not reported, an empty cell */
            double v = 0;
            int year_has = 0;
            for (size_t i = 0; i < x->r->n_baskets; i++) {
                const struct tr_basket_row *r = &x->r->baskets[i];
                if (!basket_all(r) || r->year != y[s] ||
                    strcmp(r->destination, cp->basket_dest[k]) != 0 || !isfinite(r->value_usd))
                    continue;
                year_has = 1;
                if (strcmp(r->tier, cp->tiers[t]) == 0)
                    v += r->value_usd;
            }
            xw_put_money(x, ws, row, (lxw_col_t)(CD_1 + s), year_has ? v : NAN);
        }
    }
}

void xw_sheet_chart_data(struct xw *x)
{
    if (x->cp.rows == 0)
        return;
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_CHART_DATA);
    if (!ws)
        return;
    data_turnover(x, ws);
    data_mirror(x, ws);
    for (size_t k = 0; k < x->bf->n_comp; k++)
        data_composition(x, ws, k);
    for (size_t k = 0; k < 2; k++)
        if (x->cp.basket[k].n)
            data_basket(x, ws, k);
    xw_set_width(x, ws, 0, DATA_CAT_WIDTH, NULL);
    for (lxw_col_t c = 1; c < CD_NCOLS; c++)
        xw_set_width(x, ws, c, DATA_WIDTH, NULL);
}
