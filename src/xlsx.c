/*
 * The Excel workbook of a briefing (libxlsxwriter): Summary, Bilateral (table and a native line
 * chart), Sources and Definitions; one function per sheet over one set of shared formats.
 * Money cells hold US$ millions (value / 1e6, #,##0.0); a missing figure (NAN) is an empty cell,
 * never 0; growth is a fraction shown as 0.0%. No database, no printing, no rename (the caller
 * writes to a temporary name and renames); on failure it removes what it wrote at path.
 */
#include "tr/xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#define EN_DASH "\xe2\x80\x93"
#define MILLION 1e6
#define HEAD_MAX 192

#define SHEET_SUMMARY "Summary"
#define SHEET_BILATERAL "Bilateral"
#define SHEET_SOURCES "Sources"
#define SHEET_DEFINITIONS "Definitions"

/* Bilateral columns, in sheet order. */
enum {
    BI_YEAR, BI_A_X, BI_A_M, BI_B_X, BI_B_M, BI_TURN_A, BI_TURN_B, BI_TURN_BEST, BI_SIDE,
    BI_GROWTH, BI_NCOLS
};

/* Key figures on Summary, in sheet order. */
enum { SU_TURN_BEST, SU_SIDE, SU_GROWTH, SU_A_X, SU_A_M, SU_NROWS };

/* Summary's labelled facts above the key figures. */
static const char *const SUMMARY_FACTS[] = {"Period", "Data source", "Generated at",
                                            "Tool version"};
#define SU_NFACTS (sizeof(SUMMARY_FACTS) / sizeof(SUMMARY_FACTS[0]))

enum { SO_ID, SO_FILE, SO_FORMAT, SO_RELEASE, SO_ROWS, SO_LOADED_AT, SO_SHA, SO_NCOLS };
static const char *const SOURCE_HEADS[SO_NCOLS] = {
    "Load id", "File name", "Format", "Release", "Rows loaded", "Loaded at (UTC)", "SHA-256",
};

struct formats {
    lxw_format *title, *label, *header, *money, *pct, *year, *count, *wrap, *note;
};

/* Everything the sheet writers share. The first library error sticks in rc; later writes are
 * skipped, so a sheet function reads straight through and the caller checks rc once. */
struct xw {
    lxw_workbook *wb;
    const struct tr_report *r;
    const char *path;
    struct tr_err *e;
    int rc;
    struct formats f;
    char bi_head[BI_NCOLS][HEAD_MAX];    /* Bilateral headers, also used by Definitions */
    char su_label[SU_NROWS][HEAD_MAX];   /* Summary key-figure labels, likewise */
};

static void check(struct xw *x, lxw_error err, const char *where)
{
    if (err != LXW_NO_ERROR && !x->rc)
        x->rc = tr_err_set(x->e, TR_EIO, "writing \"%s\": %s: %s", x->path, where,
                           lxw_strerror(err));
}

static void out_of_memory(struct xw *x, const char *what)
{
    if (!x->rc)
        x->rc = tr_err_set(x->e, TR_ENOMEM, "writing \"%s\": cannot allocate %s", x->path, what);
}

static void put_str(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                    const char *s, lxw_format *fmt)
{
    if (!x->rc && s && *s)
        check(x, worksheet_write_string(ws, row, col, s, fmt), ws->name);
}

static void put_num(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                    lxw_format *fmt)
{
    /* A missing figure stays an empty cell: an Excel 0 would read as "no trade". */
    if (!x->rc && isfinite(v))
        check(x, worksheet_write_number(ws, row, col, v, fmt), ws->name);
}

static void put_money(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double usd)
{
    put_num(x, ws, row, col, usd / MILLION, x->f.money);
}

static void put_pct(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double pct)
{
    put_num(x, ws, row, col, pct / 100.0, x->f.pct);
}

static void set_width(struct xw *x, lxw_worksheet *ws, lxw_col_t col, double width,
                      lxw_format *fmt)
{
    if (!x->rc)
        check(x, worksheet_set_column(ws, col, col, width, fmt), ws->name);
}

/* Column width (in characters) that shows s on one line: code points, not bytes. */
static double text_width(const char *s)
{
    double n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    n += 2;
    return n < 8 ? 8 : n > 80 ? 80 : n;
}

static double wider(double w, const char *s)
{
    double t = text_width(s);
    return t > w ? t : w;
}

static lxw_worksheet *add_sheet(struct xw *x, const char *name)
{
    if (x->rc)
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws)
        out_of_memory(x, "a worksheet");
    return ws;
}

/* "A" and "B" name a side of the pair; show its ISO3 code. "reconciled" and others verbatim. */
static const char *side_label(const struct tr_report *r, const char *side)
{
    if (strcmp(side, "A") == 0)
        return r->a;
    if (strcmp(side, "B") == 0)
        return r->b;
    return side;
}

static void period_text(const struct tr_report *r, char *buf, size_t n)
{
    if (r->from_year == r->to_year)
        snprintf(buf, n, "%d", r->from_year);
    else
        snprintf(buf, n, "%d" EN_DASH "%d", r->from_year, r->to_year);
}

static lxw_format *new_format(struct xw *x)
{
    if (x->rc)
        return NULL;
    lxw_format *f = workbook_add_format(x->wb);
    if (!f)
        out_of_memory(x, "a cell format");
    return f;
}

static void make_formats(struct xw *x)
{
    struct formats *f = &x->f;
    if ((f->title = new_format(x))) {
        format_set_bold(f->title);
        format_set_font_size(f->title, 14);
    }
    if ((f->label = new_format(x)))
        format_set_bold(f->label);
    if ((f->header = new_format(x))) {
        format_set_bold(f->header);
        format_set_bg_color(f->header, 0xD9E1F2);
        format_set_bottom(f->header, LXW_BORDER_THIN);
        format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    }
    if ((f->money = new_format(x)))
        format_set_num_format(f->money, "#,##0.0");
    if ((f->pct = new_format(x)))
        format_set_num_format(f->pct, "0.0%");
    if ((f->year = new_format(x))) {
        format_set_num_format(f->year, "0");
        format_set_align(f->year, LXW_ALIGN_LEFT);
    }
    if ((f->count = new_format(x)))
        format_set_num_format(f->count, "#,##0");
    if ((f->wrap = new_format(x))) {
        format_set_text_wrap(f->wrap);
        format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->note = new_format(x))) {
        format_set_italic(f->note);
        format_set_font_color(f->note, 0x595959);
    }
}

/* Header texts are built once: the sheets and Definitions must name columns identically. */
static void make_labels(struct xw *x)
{
    const char *a = x->r->a, *b = x->r->b;
    char(*h)[HEAD_MAX] = x->bi_head;
    snprintf(h[BI_YEAR], HEAD_MAX, "Year");
    snprintf(h[BI_A_X], HEAD_MAX, "%s exports to %s (as %s reports), US$ m", a, b, a);
    snprintf(h[BI_A_M], HEAD_MAX, "%s imports from %s (as %s reports), US$ m", a, b, a);
    snprintf(h[BI_B_X], HEAD_MAX, "%s exports to %s (as %s reports), US$ m", b, a, b);
    snprintf(h[BI_B_M], HEAD_MAX, "%s imports from %s (as %s reports), US$ m", b, a, b);
    snprintf(h[BI_TURN_A], HEAD_MAX, "Turnover as %s reports, US$ m", a);
    snprintf(h[BI_TURN_B], HEAD_MAX, "Turnover as %s reports, US$ m", b);
    snprintf(h[BI_TURN_BEST], HEAD_MAX, "Turnover (best), US$ m");
    snprintf(h[BI_SIDE], HEAD_MAX, "Best side");
    snprintf(h[BI_GROWTH], HEAD_MAX, "YoY growth %%");

    char(*s)[HEAD_MAX] = x->su_label;
    snprintf(s[SU_TURN_BEST], HEAD_MAX, "Turnover (best)");
    snprintf(s[SU_SIDE], HEAD_MAX, "Best side (whose figure)");
    snprintf(s[SU_GROWTH], HEAD_MAX, "YoY growth of turnover (best)");
    snprintf(s[SU_A_X], HEAD_MAX, "%s exports to %s (as %s reports)", a, b, a);
    snprintf(s[SU_A_M], HEAD_MAX, "%s imports from %s (as %s reports)", a, b, a);
}

/* One column of key figures for year y on Summary, rows from `top`. */
static void summary_year(struct xw *x, lxw_worksheet *ws, lxw_row_t top, lxw_col_t col,
                         const struct tr_bilateral_year *y)
{
    put_num(x, ws, top, col, y->year, x->f.header);
    put_money(x, ws, top + 1 + SU_TURN_BEST, col, y->turnover_best);
    put_str(x, ws, top + 1 + SU_SIDE, col, side_label(x->r, y->best_side), NULL);
    put_pct(x, ws, top + 1 + SU_GROWTH, col, y->growth_pct);
    put_money(x, ws, top + 1 + SU_A_X, col, y->a_exports_to_b);
    put_money(x, ws, top + 1 + SU_A_M, col, y->a_imports_from_b);
}

static void sheet_summary(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_SUMMARY);
    if (!ws)
        return;
    char buf[512], period[32];
    snprintf(buf, sizeof(buf), "Trade briefing: %s " EN_DASH " %s", r->a_name, r->b_name);
    put_str(x, ws, 0, 0, buf, x->f.title);

    period_text(r, period, sizeof(period));
    const char *facts[SU_NFACTS] = {period, r->source_label, r->generated_at, r->tool_version};
    double wa = 0;
    lxw_row_t row = 2;
    for (size_t i = 0; i < SU_NFACTS; i++, row++) {
        put_str(x, ws, row, 0, SUMMARY_FACTS[i], x->f.label);
        put_str(x, ws, row, 1, facts[i], NULL);
        wa = wider(wa, SUMMARY_FACTS[i]);
    }

    row++;
    lxw_row_t top = row;
    put_str(x, ws, top, 0, "Key figure", x->f.header);
    put_str(x, ws, top, 3, "Unit", x->f.header);
    static const char *const units[SU_NROWS] = {"US$ m", "", "%", "US$ m", "US$ m"};
    for (int i = 0; i < SU_NROWS; i++) {
        put_str(x, ws, top + 1 + (lxw_row_t)i, 0, x->su_label[i], x->f.label);
        put_str(x, ws, top + 1 + (lxw_row_t)i, 3, units[i], NULL);
        wa = wider(wa, x->su_label[i]);
    }
    if (r->n_years > 0) {
        summary_year(x, ws, top, 1, &r->years[r->n_years - 1]);
        if (r->n_years > 1)
            summary_year(x, ws, top, 2, &r->years[0]);   /* first year, for comparison */
    }
    row = top + 1 + SU_NROWS + 1;
    put_str(x, ws, row++, 0,
            r->n_years > 0 ? "Latest year first, then the first year of the period for comparison."
                           : "No data for this pair in the period.",
            x->f.note);
    put_str(x, ws, row, 0,
            "Values in US$ millions; an empty cell means not reported. See Definitions.",
            x->f.note);

    set_width(x, ws, 0, wa, NULL);
    set_width(x, ws, 1, wider(14, r->source_label), NULL);
    set_width(x, ws, 2, 14, NULL);
    set_width(x, ws, 3, 8, NULL);
}

static void bilateral_chart(struct xw *x, lxw_worksheet *ws)
{
    const struct tr_report *r = x->r;
    if (x->rc || r->n_years == 0)   /* a chart over an empty range is invalid in Excel */
        return;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_LINE);
    if (!chart) {
        out_of_memory(x, "a chart");
        return;
    }
    char title[128];
    snprintf(title, sizeof(title), "Trade turnover, %s" EN_DASH "%s", r->a, r->b);
    chart_title_set_name(chart, title);

    static const int cols[] = {BI_TURN_A, BI_TURN_B, BI_TURN_BEST};
    lxw_row_t last = (lxw_row_t)r->n_years;
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        if (!s) {
            out_of_memory(x, "a chart series");
            return;
        }
        char name[HEAD_MAX];
        if (cols[i] == BI_TURN_BEST)
            snprintf(name, sizeof(name), "Turnover (best)");
        else
            snprintf(name, sizeof(name), "Turnover as %s reports",
                     cols[i] == BI_TURN_A ? r->a : r->b);
        chart_series_set_name(s, name);
        chart_series_set_categories(s, SHEET_BILATERAL, 1, BI_YEAR, last, BI_YEAR);
        chart_series_set_values(s, SHEET_BILATERAL, 1, (lxw_col_t)cols[i], last,
                                (lxw_col_t)cols[i]);
        lxw_chart_line line = {.width = cols[i] == BI_TURN_BEST ? 2.75 : 1.5,
                               .dash_type = cols[i] == BI_TURN_BEST ? LXW_CHART_LINE_DASH_SOLID
                                                                    : LXW_CHART_LINE_DASH_DASH};
        chart_series_set_line(s, &line);
    }
    lxw_chart_axis *xa = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X);
    lxw_chart_axis *ya = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_name(xa, "Year");
    chart_axis_set_name(ya, "US$ millions");
    chart_axis_set_num_format(ya, "#,##0");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    /* A year one side did not report is a gap in its line, not a drop to zero. */
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);

    lxw_chart_options opt = {.x_offset = 16, .y_offset = 8, .x_scale = 1.5, .y_scale = 1.5};
    check(x, worksheet_insert_chart_opt(ws, 0, BI_NCOLS + 1, chart, &opt), ws->name);
}

static void sheet_bilateral(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_BILATERAL);
    if (!ws)
        return;
    for (int c = 0; c < BI_NCOLS; c++)
        put_str(x, ws, 0, (lxw_col_t)c, x->bi_head[c], x->f.header);
    for (size_t i = 0; i < r->n_years; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        put_num(x, ws, row, BI_YEAR, y->year, x->f.year);
        put_money(x, ws, row, BI_A_X, y->a_exports_to_b);
        put_money(x, ws, row, BI_A_M, y->a_imports_from_b);
        put_money(x, ws, row, BI_B_X, y->b_exports_to_a);
        put_money(x, ws, row, BI_B_M, y->b_imports_from_a);
        put_money(x, ws, row, BI_TURN_A, y->turnover_a);
        put_money(x, ws, row, BI_TURN_B, y->turnover_b);
        put_money(x, ws, row, BI_TURN_BEST, y->turnover_best);
        put_str(x, ws, row, BI_SIDE, side_label(r, y->best_side), NULL);
        put_pct(x, ws, row, BI_GROWTH, y->growth_pct);
    }
    for (int c = 0; c < BI_NCOLS; c++)
        set_width(x, ws, (lxw_col_t)c, text_width(x->bi_head[c]), NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (!x->rc)
        check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->n_years, BI_NCOLS - 1), ws->name);
    bilateral_chart(x, ws);
}

static void sheet_sources(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_SOURCES);
    if (!ws)
        return;
    double w[SO_NCOLS];
    for (int c = 0; c < SO_NCOLS; c++) {
        put_str(x, ws, 0, (lxw_col_t)c, SOURCE_HEADS[c], x->f.header);
        w[c] = text_width(SOURCE_HEADS[c]);
    }
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct tr_source_file *s = &r->sources[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        const char *text[SO_NCOLS] = {
            [SO_FILE] = s->file_name, [SO_FORMAT] = s->format, [SO_RELEASE] = s->release,
            [SO_LOADED_AT] = s->loaded_at, [SO_SHA] = s->sha256,
        };
        put_num(x, ws, row, SO_ID, (double)s->load_id, x->f.year);
        put_num(x, ws, row, SO_ROWS, (double)s->rows_loaded, x->f.count);
        for (int c = 0; c < SO_NCOLS; c++) {
            if (!text[c])
                continue;
            put_str(x, ws, row, (lxw_col_t)c, text[c], NULL);
            w[c] = wider(w[c], text[c]);
        }
    }
    for (int c = 0; c < SO_NCOLS; c++)
        set_width(x, ws, (lxw_col_t)c, w[c], NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (!x->rc)
        check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->n_sources, SO_NCOLS - 1),
              ws->name);
}

/* One Definitions row: sheet, column, printf-style definition. */
__attribute__((format(printf, 6, 7))) static void define(struct xw *x, lxw_worksheet *ws,
                                                         lxw_row_t *row, const char *sheet,
                                                         const char *column, const char *fmt,
                                                         ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    put_str(x, ws, *row, 0, sheet, x->f.wrap);
    put_str(x, ws, *row, 1, column, x->f.wrap);
    put_str(x, ws, *row, 2, text, x->f.wrap);
    (*row)++;
}

static void define_summary(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *a = x->r->a, *b = x->r->b, *S = SHEET_SUMMARY;
    char(*l)[HEAD_MAX] = x->su_label;
    define(x, ws, row, S, "Period", "First and last year covered by the Bilateral table.");
    define(x, ws, row, S, "Data source",
           "Where every figure in this workbook comes from; the briefing uses one source.");
    define(x, ws, row, S, "Generated at", "When the briefing was made, ISO 8601 UTC.");
    define(x, ws, row, S, "Tool version", "Version of tradereport that wrote the workbook.");
    define(x, ws, row, S, "Key figure",
           "The column headed by the latest year shows that year; the next column shows the "
           "first year of the period for comparison. Each figure is the same cell as in "
           "Bilateral, in US$ millions.");
    define(x, ws, row, S, l[SU_TURN_BEST], "As Bilateral: Turnover (best), US$ millions.");
    define(x, ws, row, S, l[SU_SIDE],
           "As Bilateral: Best side. %s or %s = the figure as that country reports it; "
           "reconciled = CEPII BACI's single reconciled figure.", a, b);
    define(x, ws, row, S, l[SU_GROWTH], "As Bilateral: YoY growth %%.");
    define(x, ws, row, S, l[SU_A_X], "As Bilateral: %s exports to %s (as %s reports).", a, b, a);
    define(x, ws, row, S, l[SU_A_M], "As Bilateral: %s imports from %s (as %s reports).", a, b,
           a);
    define(x, ws, row, S, "Unit", "US$ m = US$ millions; %% = percent.");
}

static void define_bilateral(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *a = x->r->a, *b = x->r->b, *B = SHEET_BILATERAL;
    char(*h)[HEAD_MAX] = x->bi_head;
    static const char money[] =
        "Unit: US$ millions; the cell holds US$ / 1,000,000, shown with one decimal. Values "
        "are stored in whole US$; CEPII BACI's reconciled values are FOB in thousands of US$ "
        "and are converted to US$ (x 1,000) on import. Empty when not reported, never 0.";
    define(x, ws, row, B, h[BI_YEAR], "Calendar year; annual totals of all goods.");
    define(x, ws, row, B, h[BI_A_X],
           "Goods %s declares it exported to %s: \"as %s reports\" means the figure comes from "
           "%s's own trade declaration to the data source, not from %s's mirror figure. "
           "Exports are normally valued FOB. With CEPII BACI there is one reconciled figure "
           "per flow (see Best side). %s", a, b, a, a, b, money);
    define(x, ws, row, B, h[BI_A_M],
           "Goods %s declares it imported from %s, from %s's own declaration. Imports are "
           "normally valued CIF, so they tend to exceed the partner's FOB exports of the same "
           "goods. %s", a, b, a, money);
    define(x, ws, row, B, h[BI_B_X],
           "Goods %s declares it exported to %s, from %s's own declaration (the mirror of %s's "
           "imports from %s). %s", b, a, b, a, b, money);
    define(x, ws, row, B, h[BI_B_M],
           "Goods %s declares it imported from %s, from %s's own declaration (the mirror of "
           "%s's exports to %s). %s", b, a, b, a, b, money);
    define(x, ws, row, B, h[BI_TURN_A],
           "Total trade between the pair as %s reports it: %s's exports to %s plus %s's imports "
           "from %s. %s", a, a, b, a, b, money);
    define(x, ws, row, B, h[BI_TURN_B],
           "The same trade as %s reports it: %s's exports to %s plus %s's imports from %s. The "
           "two turnover figures differ because of timing, valuation (FOB/CIF), "
           "confidentiality and partner attribution. %s", b, b, a, b, a, money);
    define(x, ws, row, B, h[BI_TURN_BEST],
           "The turnover this briefing quotes: one of the figures above, chosen by the view "
           "v_bilateral_annual; Best side says whose figure it is. %s", money);
    define(x, ws, row, B, h[BI_SIDE],
           "Whose figure Turnover (best) is: %s = as %s reports, %s = as %s reports, "
           "reconciled = CEPII BACI, which reconciles both declarations into one FOB value per "
           "flow.", a, a, b, b);
    define(x, ws, row, B, h[BI_GROWTH],
           "Change of Turnover (best) on the previous year: best(year) / best(year - 1) - 1. "
           "The cell holds a fraction (0.12 = 12%%) shown as a percentage. Empty when either "
           "year's figure is unknown. When Best side differs between the two years the rate "
           "compares two declarations; check Best side before quoting it.");
}

static void define_sources(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_SOURCES;
    static const char *const defs[SO_NCOLS] = {
        [SO_ID] = "Row id of the file in the load_log table; every fact row carries its load id "
                  "(lineage).",
        [SO_FILE] = "Name of the file as it was imported.",
        [SO_FORMAT] = "Importer used: comtrade, comtrade-legacy, baci, wits-trade, ...",
        [SO_RELEASE] = "Release or publication tag taken from the file name; empty when the "
                       "name carries none.",
        [SO_ROWS] = "Rows of the file loaded into the database; `tradereport loads` lists rows "
                    "read and rejected.",
        [SO_LOADED_AT] = "When the file was imported, ISO 8601 UTC.",
        [SO_SHA] = "SHA-256 of the file's bytes; re-importing a file with the same SHA-256 "
                   "changes nothing.",
    };
    for (int c = 0; c < SO_NCOLS; c++)
        define(x, ws, row, S, SOURCE_HEADS[c], "%s", defs[c]);
}

static void sheet_definitions(struct xw *x)
{
    lxw_worksheet *ws = add_sheet(x, SHEET_DEFINITIONS);
    if (!ws)
        return;
    put_str(x, ws, 0, 0, "Sheet", x->f.header);
    put_str(x, ws, 0, 1, "Column", x->f.header);
    put_str(x, ws, 0, 2, "Definition", x->f.header);
    lxw_row_t row = 1;
    define_summary(x, ws, &row);
    define_bilateral(x, ws, &row);
    define_sources(x, ws, &row);
    set_width(x, ws, 0, 12, NULL);
    set_width(x, ws, 1, 44, NULL);
    set_width(x, ws, 2, 100, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (!x->rc)
        check(x, worksheet_autofilter(ws, 0, 0, row - 1, 2), ws->name);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (no timegm in C11). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SSZ" (a space for T and a missing Z accepted) to a UTC time_t. */
static int parse_utc(const char *s, time_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    if (!(s[19] == '\0' || (s[19] == 'Z' && s[20] == '\0')))
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (y < 1980 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return -1;
    *out = (time_t)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

static void set_properties(struct xw *x, time_t created)
{
    const struct tr_report *r = x->r;
    char title[300], subject[128], comments[512], period[32];
    char author[] = "tradereport", company[] = "tradereport", category[] = "Trade statistics";
    char keywords[64];
    period_text(r, period, sizeof(period));
    snprintf(title, sizeof(title), "Trade briefing: %s " EN_DASH " %s", r->a_name, r->b_name);
    snprintf(subject, sizeof(subject), "Bilateral trade %s" EN_DASH "%s, %s", r->a, r->b,
             period);
    snprintf(keywords, sizeof(keywords), "trade, %s, %s, %s", r->a, r->b, r->source);
    snprintf(comments, sizeof(comments),
             "Written by tradereport %s at %s from %s. Values in US$ millions; see the "
             "Definitions sheet.", r->tool_version, r->generated_at, r->source_label);
    /* A fixed creation time (not "now") keeps the file byte-for-byte reproducible. */
    lxw_doc_properties p = {
        .title = title, .subject = subject, .author = author, .company = company,
        .category = category, .keywords = keywords, .comments = comments, .created = created,
    };
    if (!x->rc)
        check(x, workbook_set_properties(x->wb, &p), "document properties");
}

int tr_xlsx_write(const struct tr_report *r, const char *path, struct tr_err *e)
{
    struct xw x = {.r = r, .path = path, .e = e};
    time_t created;
    int rc = 0;

    if (parse_utc(r->generated_at, &created) != 0)
        return tr_err_set(e, TR_ENOMEM,
                          "report time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ (1980 or later)",
                          r->generated_at);
    /* libxlsxwriter opens path only in workbook_close(), where a failure gets a generic
     * message and a line of its own on stderr; trying first names the real cause. */
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return tr_err_set(e, TR_EIO, "cannot create \"%s\": %s", path, strerror(errno));
    fclose(fp);

    /* glibc's tmpfile() ignores TMPDIR; pass it on so operators can move scratch files. */
    char *tmpdir = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
                                .tmpdir = tmpdir && *tmpdir ? tmpdir : NULL};
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        rc = tr_err_set(e, TR_ENOMEM, "writing \"%s\": cannot allocate the workbook", path);
        goto out;
    }
    make_formats(&x);
    make_labels(&x);
    set_properties(&x, created);
    sheet_summary(&x);
    sheet_bilateral(&x);
    sheet_sources(&x);
    sheet_definitions(&x);
    if (x.rc) {
        lxw_workbook_free(x.wb);   /* frees without writing: no half-built workbook on disk */
        rc = x.rc;
        goto out;
    }
    lxw_error err = workbook_close(x.wb);
    if (err != LXW_NO_ERROR)
        rc = tr_err_set(e, TR_EIO, "writing \"%s\": %s", path, lxw_strerror(err));
out:
    if (rc)
        remove(path);
    return rc;
}
