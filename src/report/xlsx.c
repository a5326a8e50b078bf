/*
 * The Excel workbook of a briefing (libxlsxwriter): Summary (key figures, claim verdicts),
 * Bilateral (table and a native line chart), Monthly (only when there are monthly rows), Mirror
 * (with a column chart), Composition (with column charts of section shares), Baskets, Claims,
 * Sources and Definitions; one function per sheet over one set of shared formats and headers.
 * Money cells hold US$ millions (value / 1e6, #,##0.0); a missing figure (NAN) is an empty cell,
 * never 0; percentages are fractions shown as 0.0%. No database, no printing, no rename (the
 * caller writes to a temporary name and renames); on failure it removes what it wrote at path.
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

#include "tr/briefing.h"

#define EN_DASH "\xe2\x80\x93"
#define MINUS "\xe2\x88\x92"
#define MILLION 1e6
#define HEAD_MAX 192
#define MAX_COLS 16        /* columns of the widest table */
#define WRAP_WIDTH 60      /* long text columns wrap at this width */

#define SHEET_SUMMARY "Summary"
#define SHEET_BILATERAL "Bilateral"
#define SHEET_MONTHLY "Monthly"
#define SHEET_MIRROR "Mirror"
#define SHEET_COMPOSITION "Composition"
#define SHEET_BASKETS "Baskets"
#define SHEET_CLAIMS "Claims"
#define SHEET_SOURCES "Sources"
#define SHEET_DEFINITIONS "Definitions"

/* Bilateral columns, in sheet order. */
enum {
    BI_YEAR, BI_A_X, BI_A_M, BI_B_X, BI_B_M, BI_TURN_A, BI_TURN_B, BI_TURN_BEST, BI_SIDE,
    BI_GROWTH, BI_NCOLS
};

/* Key figures on Summary, in sheet order. */
enum { SU_TURN_BEST, SU_SIDE, SU_GROWTH, SU_A_X, SU_A_M, SU_B_X, SU_B_M, SU_NROWS };

/* Summary's labelled facts above the key figures. */
static const char *const SUMMARY_FACTS[] = {"Period", "Data source", "Generated at",
                                            "Tool version"};
#define SU_NFACTS (sizeof(SUMMARY_FACTS) / sizeof(SUMMARY_FACTS[0]))

/* Summary's table of claim verdicts: one row per claim, its closest definition. */
enum { SC_CLAIM, SC_STATED, SC_COMPUTED, SC_VERDICT, SC_DEF, SC_NCOLS };
static const char *const SC_HEADS[SC_NCOLS] = {
    "Claim", "Stated", "Closest computed", "Verdict", "Closest definition (source)",
};

enum {
    MO_YEAR, MO_MONTH, MO_REPORTER, MO_PARTNER, MO_FLOW, MO_VALUE, MO_YTD, MO_YTD_GROWTH,
    MO_R12, MO_R12_GROWTH, MO_SOURCE, MO_NCOLS
};
static const char *const MO_HEADS[MO_NCOLS] = {
    "Year", "Month", "Reporter", "Partner", "Flow", "Value, US$ m", "Year to date, US$ m",
    "Year-to-date growth %", "Rolling 12 months, US$ m", "Rolling 12 months growth %",
    "Source",
};

enum {
    MI_YEAR, MI_REPORTER, MI_PARTNER, MI_FLOW, MI_REPORTED, MI_MIRROR, MI_GAP, MI_RATIO,
    MI_FLAG, MI_NCOLS
};
static const char *const MI_HEADS[MI_NCOLS] = {
    "Year", "Reporter", "Partner", "Flow (as the reporter declares)", "Reported, US$ m",
    "Mirror (as the partner declares), US$ m", "Gap (import side " MINUS " export side), US$ m",
    "Ratio (import side / export side)", "Flag",
};

enum {
    CO_YEAR, CO_EXPORTER, CO_CODE, CO_NAME, CO_VALUE, CO_SHARE, CO_BASELINE, CO_CHANGE,
    CO_NCOLS
};
static const char *const CO_HEADS[CO_NCOLS] = {
    "Year", "Exporter", "HS section", "Section name", "Exports, US$ m", "Share of exports %",
    "2021 baseline, US$ m", "Change on 2021 %",
};

enum {
    BA_YEAR, BA_TIER, BA_DEST, BA_EXPORTER, BA_DECLARED, BA_VALUE, BA_BASELINE, BA_CHANGE,
    BA_NCOLS
};
static const char *const BA_HEADS[BA_NCOLS] = {
    "Year", "CHPL tier", "Destination", "Exporter (route)", "Declared by", "Value, US$ m",
    "2021 baseline, US$ m", "Change on 2021 %",
};

enum {
    CL_ID, CL_CLAIM, CL_DEF, CL_SOURCE, CL_COMPUTED, CL_STATED, CL_UNIT, CL_DIFF, CL_VERDICT,
    CL_CLOSEST, CL_NOTE, CL_ARTICLE, CL_NCOLS
};
static const char *const CL_HEADS[CL_NCOLS] = {
    "Claim id", "Claim (paraphrase)", "Definition tried", "Source", "Computed", "Stated",
    "Unit", "Difference %", "Verdict", "Closest", "Note", "Article",
};

enum { SO_ID, SO_FILE, SO_FORMAT, SO_RELEASE, SO_ROWS, SO_LOADED_AT, SO_SHA, SO_NCOLS };
static const char *const SOURCE_HEADS[SO_NCOLS] = {
    "Load id", "File name", "Format", "Release", "Rows loaded", "Loaded at (UTC)", "SHA-256",
};

/* The chart data of one exporter on Composition: section shares in two years side by side
 * (the sheet's own rows list one year after another, which a chart cannot pair up). */
#define COMP_MAX_CODES 32
enum { CC_CODE, CC_Y1, CC_Y2, CC_NCOLS };
struct comp_plan {
    const char *exporter, *partner;
    int y1, y2;                          /* y1 == y2: one year only, one series */
    size_t n;                            /* sections, in HS order, "NS" last */
    const char *codes[COMP_MAX_CODES];
    lxw_col_t col;                       /* first column of the block */
    char head[CC_NCOLS][HEAD_MAX];
};

struct formats {
    lxw_format *title, *label, *header, *money, *pct, *year, *count, *ratio, *wrap, *note;
};

/* Everything the sheet writers share. The first library error sticks in rc; later writes are
 * skipped, so a sheet function reads straight through and the caller checks rc once. */
struct xw {
    lxw_workbook *wb;
    const struct tr_report *r;
    const struct tr_briefing *bf;        /* what the reader sees, decided once (briefing.c) */
    const char *path;
    struct tr_err *e;
    int rc;
    struct formats f;
    char bi_head[BI_NCOLS][HEAD_MAX];    /* Bilateral headers, also used by Definitions */
    char su_label[SU_NROWS][HEAD_MAX];   /* Summary key-figure labels, likewise */
    size_t n_comp;                       /* exporters with composition rows: 0, 1 or 2 */
    struct comp_plan comp[2];
};

/* A table being written: its sheet and the width each column needs so far. */
struct table {
    lxw_worksheet *ws;
    int ncols;
    double w[MAX_COLS];
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

/* Width of a number as shown with `decimals` decimals, thousands separators when `commas`,
 * and a trailing % when `pct`: enough for the cell never to show ####. */
static double num_width(double v, int decimals, int commas, int pct)
{
    if (!isfinite(v))
        return 0;
    double a = fabs(v);
    int digits = a < 1 ? 1 : (int)floor(log10(a)) + 1;
    double n = digits + (commas ? (digits - 1) / 3 : 0) + (decimals ? decimals + 1 : 0) +
               (v < 0) + (pct != 0) + 3;
    return n;
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

/* Writes a header row at row 0 of ws and starts the widths from the header texts. */
static void tab_begin(struct xw *x, struct table *t, lxw_worksheet *ws,
                      const char *const *heads, int ncols)
{
    t->ws = ws;
    t->ncols = ncols;
    for (int c = 0; c < ncols && c < MAX_COLS; c++) {
        put_str(x, ws, 0, (lxw_col_t)c, heads[c], x->f.header);
        t->w[c] = text_width(heads[c]);
    }
}

static void tab_grow(struct table *t, lxw_col_t col, double w)
{
    if (col < MAX_COLS && w > t->w[col])
        t->w[col] = w;
}

static void tab_str(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s)
{
    put_str(x, t->ws, row, col, s, NULL);
    tab_grow(t, col, text_width(s));
}

/* Long text: wrapped in a column at most WRAP_WIDTH wide. */
static void tab_text(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s)
{
    put_str(x, t->ws, row, col, s, x->f.wrap);
    double w = text_width(s);
    tab_grow(t, col, w > WRAP_WIDTH ? WRAP_WIDTH : w);
}

static void tab_year(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, int year)
{
    put_num(x, t->ws, row, col, year, x->f.year);
}

static void tab_money(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double usd)
{
    put_money(x, t->ws, row, col, usd);
    tab_grow(t, col, num_width(usd / MILLION, 1, 1, 0));
}

static void tab_pct(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double pct)
{
    put_pct(x, t->ws, row, col, pct);
    tab_grow(t, col, num_width(pct, 1, 0, 1));
}

/* Widths, a frozen header row and an autofilter over rows 0..last. */
static void tab_end(struct xw *x, struct table *t, lxw_row_t last)
{
    for (int c = 0; c < t->ncols && c < MAX_COLS; c++)
        set_width(x, t->ws, (lxw_col_t)c, t->w[c], NULL);
    if (x->rc)
        return;
    worksheet_freeze_panes(t->ws, 1, 0);
    check(x, worksheet_autofilter(t->ws, 0, 0, last, (lxw_col_t)(t->ncols - 1)), t->ws->name);
}

/* A sheet with nothing to show says why in one line. */
static void empty_sheet(struct xw *x, lxw_worksheet *ws, const char *why)
{
    put_str(x, ws, 0, 0, why, x->f.note);
    set_width(x, ws, 0, text_width(why), NULL);
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

static int is_baci(const struct tr_report *r)
{
    return strcmp(r->source, "baci") == 0;
}

/* A claim's figures are percentages (growth, share of tariff lines) or US$. The unit column
 * says which; when a claim states no figure (and so no unit) the metric decides. */
static int claim_is_pct(const struct tr_claim_row *c)
{
    return tr_briefing_claim_unit(c) == TR_UNIT_PCT;
}

static const char *claim_unit(const struct tr_claim_row *c)
{
    if (claim_is_pct(c))
        return "%";
    if (tr_briefing_claim_unit(c) == TR_UNIT_USD)
        return "US$ m";
    return "";
}

/* A claim figure in its unit: US$ millions or a percentage shown as 0.0%. */
static void put_claim_value(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                            const struct tr_claim_row *c, double v)
{
    if (claim_is_pct(c))
        put_pct(x, ws, row, col, v);
    else
        put_money(x, ws, row, col, v);
}

static double claim_value_width(const struct tr_claim_row *c, double v)
{
    return claim_is_pct(c) ? num_width(v, 1, 0, 1) : num_width(v / MILLION, 1, 1, 0);
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
    if ((f->ratio = new_format(x)))
        format_set_num_format(f->ratio, "0.00");
    if ((f->wrap = new_format(x))) {
        format_set_text_wrap(f->wrap);
        format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->note = new_format(x))) {
        format_set_italic(f->note);
        format_set_font_color(f->note, 0x595959);
    }
}

/* Order of an HS section code: I..XXI by value, "NS" (not specified) and anything else last. */
static int section_order(const char *code)
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V", "VI", "VII",
                                        "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
                                        "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"};
    for (int i = 0; i < 21; i++)
        if (strcmp(code, roman[i]) == 0)
            return i;
    return 99;
}

/* Which years and sections each exporter's composition chart shows: 2021 (the views'
 * baseline) against the latest year when both exist, else the first year against the latest. */
static void plan_composition(struct xw *x)
{
    const struct tr_report *r = x->r;
    const char *sides[2][2] = {{r->a, r->b}, {r->b, r->a}};
    lxw_col_t col = CO_NCOLS + 1;   /* one empty column after the table */
    x->n_comp = 0;
    for (int s = 0; s < 2; s++) {
        int any = 0;
        for (size_t i = 0; i < r->n_composition; i++)
            any |= strcmp(r->composition[i].exporter, sides[s][0]) == 0;
        if (!any || !x->bf->comp_years[1])
            continue;
        struct comp_plan *p = &x->comp[x->n_comp++];
        memset(p, 0, sizeof(*p));
        p->exporter = sides[s][0];
        p->partner = sides[s][1];
        /* the briefing's years: both exporters' charts compare the same two */
        p->y1 = x->bf->comp_years[0];
        p->y2 = x->bf->comp_years[1];
        p->col = col;
        col += CC_NCOLS + 1;
        /* sections of either year, in HS order (insertion into a short sorted list) */
        for (size_t i = 0; i < r->n_composition; i++) {
            const struct tr_composition_row *c = &r->composition[i];
            if (strcmp(c->exporter, p->exporter) != 0 || (c->year != p->y1 && c->year != p->y2))
                continue;
            size_t k = 0;
            while (k < p->n && strcmp(p->codes[k], c->code) != 0)
                k++;
            if (k < p->n || p->n == COMP_MAX_CODES)
                continue;
            k = p->n++;
            while (k > 0 && section_order(p->codes[k - 1]) > section_order(c->code)) {
                p->codes[k] = p->codes[k - 1];
                k--;
            }
            p->codes[k] = c->code;
        }
        snprintf(p->head[CC_CODE], HEAD_MAX, "Chart: %s exports to %s, HS section", p->exporter,
                 p->partner);
        snprintf(p->head[CC_Y1], HEAD_MAX, "Chart: %s share %d %%", p->exporter, p->y1);
        snprintf(p->head[CC_Y2], HEAD_MAX, "Chart: %s share %d %%", p->exporter, p->y2);
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
    snprintf(s[SU_B_X], HEAD_MAX, "%s exports to %s (as %s reports)", b, a, b);
    snprintf(s[SU_B_M], HEAD_MAX, "%s imports from %s (as %s reports)", b, a, b);
    plan_composition(x);
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
    put_money(x, ws, top + 1 + SU_B_X, col, y->b_exports_to_a);
    put_money(x, ws, top + 1 + SU_B_M, col, y->b_imports_from_a);
}

/* The claim verdicts under the key figures: per claim its first row, which report.c orders
 * closest first (ties: the briefing's source). w holds the column widths so far. */
static void summary_claims(struct xw *x, lxw_worksheet *ws, lxw_row_t row, double *w)
{
    const struct tr_report *r = x->r;
    put_str(x, ws, row++, 0, "Headline claims about the pair, checked against the data",
            x->f.label);
    if (r->n_claims == 0) {
        put_str(x, ws, row, 0, "No recorded claim is about this pair.", x->f.note);
        return;
    }
    for (int c = 0; c < SC_NCOLS; c++) {
        put_str(x, ws, row, (lxw_col_t)c, SC_HEADS[c], x->f.header);
        w[c] = wider(w[c], SC_HEADS[c]);
    }
    row++;
    for (size_t i = 0; i < r->n_claims; i++) {
        const struct tr_claim_row *c = &r->claims[i];
        if (i > 0 && r->claims[i - 1].claim_id == c->claim_id)
            continue;
        char def[512];
        if (*c->source)
            snprintf(def, sizeof(def), "%s (%s)", c->definition, c->source);
        else
            snprintf(def, sizeof(def), "%s", c->definition);
        put_str(x, ws, row, SC_CLAIM, c->paraphrase, x->f.wrap);
        put_claim_value(x, ws, row, SC_STATED, c, c->stated_value);
        put_claim_value(x, ws, row, SC_COMPUTED, c, c->computed_value);
        put_str(x, ws, row, SC_VERDICT, c->verdict, NULL);
        put_str(x, ws, row, SC_DEF, def, x->f.wrap);
        double wv = claim_value_width(c, c->stated_value);
        w[SC_STATED] = wv > w[SC_STATED] ? wv : w[SC_STATED];
        wv = claim_value_width(c, c->computed_value);
        w[SC_COMPUTED] = wv > w[SC_COMPUTED] ? wv : w[SC_COMPUTED];
        w[SC_VERDICT] = wider(w[SC_VERDICT], c->verdict);
        wv = text_width(def);
        wv = wv > WRAP_WIDTH ? WRAP_WIDTH : wv;
        w[SC_DEF] = wv > w[SC_DEF] ? wv : w[SC_DEF];
        row++;
    }
    put_str(x, ws, row, 0,
            "Every definition tried, for every source, is on the Claims sheet.", x->f.note);
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

    double w[SC_NCOLS] = {0, 14, 14, 8, 8};
    period_text(r, period, sizeof(period));
    const char *facts[SU_NFACTS] = {period, r->source_label, r->generated_at, r->tool_version};
    lxw_row_t row = 2;
    for (size_t i = 0; i < SU_NFACTS; i++, row++) {
        put_str(x, ws, row, 0, SUMMARY_FACTS[i], x->f.label);
        put_str(x, ws, row, 1, facts[i], NULL);
        w[0] = wider(w[0], SUMMARY_FACTS[i]);
    }
    w[1] = wider(w[1], r->source_label);

    row++;
    lxw_row_t top = row;
    put_str(x, ws, top, 0, "Key figure", x->f.header);
    put_str(x, ws, top, 3, "Unit", x->f.header);
    static const char *const units[SU_NROWS] = {"US$ m", "", "%", "US$ m", "US$ m", "US$ m",
                                                "US$ m"};
    for (int i = 0; i < SU_NROWS; i++) {
        put_str(x, ws, top + 1 + (lxw_row_t)i, 0, x->su_label[i], x->f.label);
        put_str(x, ws, top + 1 + (lxw_row_t)i, 3, units[i], NULL);
        w[0] = wider(w[0], x->su_label[i]);
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
    put_str(x, ws, row++, 0,
            "Values in US$ millions; an empty cell means not reported. See Definitions.",
            x->f.note);
    row++;
    summary_claims(x, ws, row, w);

    for (int c = 0; c < SC_NCOLS; c++)
        set_width(x, ws, (lxw_col_t)c, w[c], NULL);
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

static void sheet_monthly(struct xw *x)
{
    const struct tr_report *r = x->r;
    if (r->n_monthly == 0)   /* most sources are annual: no sheet rather than an empty one */
        return;
    lxw_worksheet *ws = add_sheet(x, SHEET_MONTHLY);
    if (!ws)
        return;
    struct table t;
    tab_begin(x, &t, ws, MO_HEADS, MO_NCOLS);
    for (size_t i = 0; i < r->n_monthly; i++) {
        const struct tr_monthly_row *m = &r->monthly[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        tab_year(x, &t, row, MO_YEAR, m->year);
        put_num(x, ws, row, MO_MONTH, m->month, x->f.year);
        tab_str(x, &t, row, MO_REPORTER, m->reporter);
        tab_str(x, &t, row, MO_PARTNER, m->partner);
        tab_str(x, &t, row, MO_FLOW, m->flow);
        tab_money(x, &t, row, MO_VALUE, m->value_usd);
        tab_money(x, &t, row, MO_YTD, m->ytd_usd);
        tab_pct(x, &t, row, MO_YTD_GROWTH, m->ytd_growth_pct);
        tab_money(x, &t, row, MO_R12, m->r12_usd);
        tab_pct(x, &t, row, MO_R12_GROWTH, m->r12_growth_pct);
        tab_str(x, &t, row, MO_SOURCE, m->source);
    }
    tab_end(x, &t, (lxw_row_t)r->n_monthly);
}

/* Reported against mirror for A's exports to B: the first rows of the sheet (see below). */
static void mirror_chart(struct xw *x, lxw_worksheet *ws, lxw_row_t n)
{
    const struct tr_report *r = x->r;
    if (x->rc || n == 0)
        return;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
    if (!chart) {
        out_of_memory(x, "a chart");
        return;
    }
    char title[128], name[2][HEAD_MAX];
    snprintf(title, sizeof(title), "%s exports to %s: %s's figure against %s's mirror", r->a,
             r->b, r->a, r->b);
    chart_title_set_name(chart, title);
    snprintf(name[0], HEAD_MAX, "As %s reports (its exports, FOB)", r->a);
    snprintf(name[1], HEAD_MAX, "As %s reports (its imports, CIF)", r->b);
    static const lxw_col_t cols[2] = {MI_REPORTED, MI_MIRROR};
    for (int i = 0; i < 2; i++) {
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        if (!s) {
            out_of_memory(x, "a chart series");
            return;
        }
        chart_series_set_name(s, name[i]);
        chart_series_set_categories(s, SHEET_MIRROR, 1, MI_YEAR, n, MI_YEAR);
        chart_series_set_values(s, SHEET_MIRROR, 1, cols[i], n, cols[i]);
    }
    chart_axis_set_name(chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X), "Year");
    lxw_chart_axis *ya = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_name(ya, "US$ millions");
    chart_axis_set_num_format(ya, "#,##0");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    lxw_chart_options opt = {.x_offset = 16, .y_offset = 8, .x_scale = 1.5, .y_scale = 1.5};
    check(x, worksheet_insert_chart_opt(ws, 0, MI_NCOLS + 1, chart, &opt), ws->name);
}

static void mirror_row(struct xw *x, struct table *t, lxw_row_t row, const struct tr_mirror_row *m)
{
    tab_year(x, t, row, MI_YEAR, m->year);
    tab_str(x, t, row, MI_REPORTER, m->reporter);
    tab_str(x, t, row, MI_PARTNER, m->partner);
    tab_str(x, t, row, MI_FLOW, m->flow);
    tab_money(x, t, row, MI_REPORTED, m->reported_usd);
    tab_money(x, t, row, MI_MIRROR, m->mirror_usd);
    tab_money(x, t, row, MI_GAP, m->gap_usd);
    put_num(x, t->ws, row, MI_RATIO, m->ratio, x->f.ratio);
    tab_str(x, t, row, MI_FLAG, m->flag);
}

/* Rows go by declaration, then year: A's exports, A's imports, B's exports, B's imports. So
 * A's exports to B over the years are one block at the top, which the chart draws. */
static void sheet_mirror(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_MIRROR);
    if (!ws)
        return;
    if (r->n_mirror == 0) {
        char why[512];
        if (is_baci(r))
            snprintf(why, sizeof(why),
                     "%s is reconciled: one figure per flow, no mirror. For both declarations "
                     "side by side, make the report with --source comtrade.", r->source_label);
        else
            snprintf(why, sizeof(why),
                     "No mirror figures: neither %s nor %s declared their trade with the other "
                     "in %s for this period.", r->a, r->b, r->source_label);
        empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    tab_begin(x, &t, ws, MI_HEADS, MI_NCOLS);
    const char *groups[4][2] = {{r->a, "X"}, {r->a, "M"}, {r->b, "X"}, {r->b, "M"}};
    lxw_row_t row = 1, n_chart = 0;
    for (int g = 0; g <= 4; g++) {
        for (size_t i = 0; i < r->n_mirror; i++) {
            const struct tr_mirror_row *m = &r->mirror[i];
            int k = 0;
            while (k < 4 && !(strcmp(m->reporter, groups[k][0]) == 0 &&
                              strcmp(m->flow, groups[k][1]) == 0))
                k++;
            if (k != g)   /* g == 4 catches rows of no group, so every row is written */
                continue;
            mirror_row(x, &t, row++, m);
        }
        if (g == 0)
            n_chart = row - 1;
    }
    tab_end(x, &t, row - 1);
    mirror_chart(x, ws, n_chart);
}

static void composition_chart(struct xw *x, lxw_worksheet *ws, const struct comp_plan *p,
                              lxw_row_t at_row, lxw_col_t at_col)
{
    if (x->rc || p->n == 0)
        return;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
    if (!chart) {
        out_of_memory(x, "a chart");
        return;
    }
    char title[160];
    if (p->y1 == p->y2)
        snprintf(title, sizeof(title), "%s exports to %s by HS section, share %d", p->exporter,
                 p->partner, p->y2);
    else
        snprintf(title, sizeof(title), "%s exports to %s by HS section, share %d vs %d",
                 p->exporter, p->partner, p->y1, p->y2);
    chart_title_set_name(chart, title);
    lxw_row_t last = (lxw_row_t)p->n;
    for (int c = p->y1 == p->y2 ? CC_Y2 : CC_Y1; c <= CC_Y2; c++) {
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        if (!s) {
            out_of_memory(x, "a chart series");
            return;
        }
        char name[16];
        snprintf(name, sizeof(name), "%d", c == CC_Y1 ? p->y1 : p->y2);
        chart_series_set_name(s, name);
        chart_series_set_categories(s, SHEET_COMPOSITION, 1, p->col + CC_CODE, last,
                                    p->col + CC_CODE);
        chart_series_set_values(s, SHEET_COMPOSITION, 1, (lxw_col_t)(p->col + c), last,
                                (lxw_col_t)(p->col + c));
    }
    chart_axis_set_name(chart_axis_get(chart, LXW_CHART_AXIS_TYPE_X),
                        "HS section (names in the table)");
    lxw_chart_axis *ya = chart_axis_get(chart, LXW_CHART_AXIS_TYPE_Y);
    chart_axis_set_name(ya, "Share of exports");
    chart_axis_set_num_format(ya, "0%");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_offset = 16, .y_offset = 8, .x_scale = 1.5, .y_scale = 1.25};
    check(x, worksheet_insert_chart_opt(ws, at_row, at_col, chart, &opt), ws->name);
}

/* The share of one section in one year of the plan's exporter; NAN when it has no row. */
static double comp_share(const struct tr_report *r, const struct comp_plan *p, int year,
                         const char *code)
{
    for (size_t i = 0; i < r->n_composition; i++) {
        const struct tr_composition_row *c = &r->composition[i];
        if (c->year == year && strcmp(c->exporter, p->exporter) == 0 &&
            strcmp(c->code, code) == 0)
            return c->share_pct;
    }
    return NAN;
}

static void sheet_composition(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_COMPOSITION);
    if (!ws)
        return;
    if (r->n_composition == 0) {
        char why[512];
        snprintf(why, sizeof(why),
                 "No product detail for trade between %s and %s in %s for this period.", r->a,
                 r->b, r->source_label);
        empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    tab_begin(x, &t, ws, CO_HEADS, CO_NCOLS);
    for (size_t i = 0; i < r->n_composition; i++) {
        const struct tr_composition_row *c = &r->composition[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        tab_year(x, &t, row, CO_YEAR, c->year);
        tab_str(x, &t, row, CO_EXPORTER, c->exporter);
        tab_str(x, &t, row, CO_CODE, c->code);
        tab_text(x, &t, row, CO_NAME, c->name);
        tab_money(x, &t, row, CO_VALUE, c->value_usd);
        tab_pct(x, &t, row, CO_SHARE, c->share_pct);
        tab_money(x, &t, row, CO_BASELINE, c->baseline_usd);
        tab_pct(x, &t, row, CO_CHANGE, c->change_pct);
    }
    tab_end(x, &t, (lxw_row_t)r->n_composition);

    /* Chart data beside the table, then the charts under it. */
    lxw_row_t below = 0;
    for (size_t k = 0; k < x->n_comp; k++) {
        const struct comp_plan *p = &x->comp[k];
        for (int c = 0; c < CC_NCOLS; c++) {
            if (c == CC_Y1 && p->y1 == p->y2)
                continue;
            put_str(x, ws, 0, (lxw_col_t)(p->col + c), p->head[c], x->f.header);
            set_width(x, ws, (lxw_col_t)(p->col + c), text_width(p->head[c]), NULL);
        }
        for (size_t i = 0; i < p->n; i++) {
            lxw_row_t row = (lxw_row_t)(i + 1);
            put_str(x, ws, row, (lxw_col_t)(p->col + CC_CODE), p->codes[i], NULL);
            if (p->y1 != p->y2)
                put_pct(x, ws, row, (lxw_col_t)(p->col + CC_Y1),
                        comp_share(r, p, p->y1, p->codes[i]));
            put_pct(x, ws, row, (lxw_col_t)(p->col + CC_Y2),
                    comp_share(r, p, p->y2, p->codes[i]));
        }
        if (p->n + 2 > below)
            below = (lxw_row_t)p->n + 2;
    }
    /* One chart under the other: side by side they would overlap the wide blocks. */
    for (size_t k = 0; k < x->n_comp; k++)
        composition_chart(x, ws, &x->comp[k], below + (lxw_row_t)k * 20, x->comp[0].col);
}

static void sheet_baskets(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_BASKETS);
    if (!ws)
        return;
    if (r->n_baskets == 0) {
        char why[512];
        snprintf(why, sizeof(why),
                 "No Common High Priority List goods shipped to %s or %s in %s for this period "
                 "(the basket view follows shipments to RUS and IRN only).", r->a, r->b,
                 r->source_label);
        empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    tab_begin(x, &t, ws, BA_HEADS, BA_NCOLS);
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *k = &r->baskets[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        tab_year(x, &t, row, BA_YEAR, k->year);
        tab_str(x, &t, row, BA_TIER, k->tier);
        tab_str(x, &t, row, BA_DEST, k->destination);
        tab_str(x, &t, row, BA_EXPORTER, k->exporter);
        tab_str(x, &t, row, BA_DECLARED, k->declared_by);
        tab_money(x, &t, row, BA_VALUE, k->value_usd);
        tab_money(x, &t, row, BA_BASELINE, k->baseline_usd);
        tab_pct(x, &t, row, BA_CHANGE, k->change_pct);
    }
    tab_end(x, &t, (lxw_row_t)r->n_baskets);
}

static void sheet_claims(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_CLAIMS);
    if (!ws)
        return;
    if (r->n_claims == 0) {
        char why[256];
        snprintf(why, sizeof(why),
                 "No recorded claim is about %s and %s (add claims with `tradereport import "
                 "--format claims`).", r->a, r->b);
        empty_sheet(x, ws, why);
        return;
    }
    struct table t;
    tab_begin(x, &t, ws, CL_HEADS, CL_NCOLS);
    for (size_t i = 0; i < r->n_claims; i++) {
        const struct tr_claim_row *c = &r->claims[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        put_num(x, ws, row, CL_ID, c->claim_id, x->f.year);
        tab_text(x, &t, row, CL_CLAIM, c->paraphrase);
        tab_text(x, &t, row, CL_DEF, c->definition);
        tab_str(x, &t, row, CL_SOURCE, c->source);
        put_claim_value(x, ws, row, CL_COMPUTED, c, c->computed_value);
        tab_grow(&t, CL_COMPUTED, claim_value_width(c, c->computed_value));
        put_claim_value(x, ws, row, CL_STATED, c, c->stated_value);
        tab_grow(&t, CL_STATED, claim_value_width(c, c->stated_value));
        tab_str(x, &t, row, CL_UNIT, claim_unit(c));
        tab_pct(x, &t, row, CL_DIFF, c->diff_pct);
        tab_str(x, &t, row, CL_VERDICT, c->verdict);
        tab_str(x, &t, row, CL_CLOSEST, c->is_closest ? "yes" : "no");
        tab_text(x, &t, row, CL_NOTE, c->note);
        tab_text(x, &t, row, CL_ARTICLE, c->article);
    }
    tab_end(x, &t, (lxw_row_t)r->n_claims);
}

static void sheet_sources(struct xw *x)
{
    const struct tr_report *r = x->r;
    lxw_worksheet *ws = add_sheet(x, SHEET_SOURCES);
    if (!ws)
        return;
    struct table t;
    tab_begin(x, &t, ws, SOURCE_HEADS, SO_NCOLS);
    for (size_t i = 0; i < r->n_sources; i++) {
        const struct tr_source_file *s = &r->sources[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        put_num(x, ws, row, SO_ID, (double)s->load_id, x->f.year);
        tab_str(x, &t, row, SO_FILE, s->file_name);
        tab_str(x, &t, row, SO_FORMAT, s->format);
        tab_str(x, &t, row, SO_RELEASE, s->release);
        put_num(x, ws, row, SO_ROWS, (double)s->rows_loaded, x->f.count);
        tab_str(x, &t, row, SO_LOADED_AT, s->loaded_at);
        tab_str(x, &t, row, SO_SHA, s->sha256);
    }
    tab_end(x, &t, (lxw_row_t)r->n_sources);
}

/* How every money column is stored and shown; Definitions repeats it where it applies. */
static const char MONEY_DEF[] =
    "Unit: US$ millions; the cell holds US$ / 1,000,000, shown with one decimal. Values "
    "are stored in whole US$; CEPII BACI's reconciled values are FOB in thousands of US$ "
    "and are converted to US$ (x 1,000) on import. Empty when not reported, never 0.";

/* How every percentage column is stored and shown. */
static const char PCT_DEF[] =
    "The cell holds a fraction (0.12 = 12%) shown as a percentage with one decimal; empty "
    "when it cannot be computed.";

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
    define(x, ws, row, S, l[SU_B_X], "As Bilateral: %s exports to %s (as %s reports).", b, a, b);
    define(x, ws, row, S, l[SU_B_M], "As Bilateral: %s imports from %s (as %s reports).", b, a,
           b);
    define(x, ws, row, S, "Unit", "US$ m = US$ millions; %% = percent.");
    define(x, ws, row, S, SC_HEADS[SC_CLAIM],
           "A headline figure printed about this pair (or a group one of them belongs to, such "
           "as the EAEU), in our paraphrase; one row per claim. The Claims sheet has every "
           "definition tried.");
    define(x, ws, row, S, SC_HEADS[SC_STATED],
           "The figure the claim states, in its unit: US$ millions, or a percentage.");
    define(x, ws, row, S, SC_HEADS[SC_COMPUTED],
           "The figure computed from the data under the closest definition (the one with the "
           "smallest difference to the stated figure; ties go to this briefing's source). "
           "Empty when the data cannot give it.");
    define(x, ws, row, S, SC_HEADS[SC_VERDICT],
           "consistent = within the claim's tolerance of the computed figure; overstated / "
           "understated = the claim is above / below the data; not measurable = trade data "
           "cannot test it; no data = nothing to compute it from.");
    define(x, ws, row, S, SC_HEADS[SC_DEF],
           "How the computed figure was obtained (which declaration, which year) and the data "
           "source it comes from.");
}

static void define_bilateral(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *a = x->r->a, *b = x->r->b, *B = SHEET_BILATERAL;
    char(*h)[HEAD_MAX] = x->bi_head;
    const char *money = MONEY_DEF;
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

static void define_monthly(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_MONTHLY;
    const char *const *h = MO_HEADS;
    define(x, ws, row, S, h[MO_YEAR], "Calendar year of the month.");
    define(x, ws, row, S, h[MO_MONTH], "Calendar month: 1 = January ... 12 = December.");
    define(x, ws, row, S, h[MO_REPORTER], "The country whose declaration this row is (ISO3).");
    define(x, ws, row, S, h[MO_PARTNER], "The other country of the pair (ISO3).");
    define(x, ws, row, S, h[MO_FLOW],
           "X = the reporter's exports to the partner (FOB), M = its imports from the partner "
           "(CIF).");
    define(x, ws, row, S, h[MO_VALUE], "All goods traded in the month. %s", MONEY_DEF);
    define(x, ws, row, S, h[MO_YTD],
           "January to this month of the same year; empty unless every month so far is "
           "present. %s", MONEY_DEF);
    define(x, ws, row, S, h[MO_YTD_GROWTH],
           "Year to date against the same months of the previous year: ytd / ytd(previous "
           "year) - 1. %s", PCT_DEF);
    define(x, ws, row, S, h[MO_R12],
           "The 12 months ending this month; empty unless all 12 are present. %s", MONEY_DEF);
    define(x, ws, row, S, h[MO_R12_GROWTH],
           "Rolling 12 months against the 12 months ending the same month a year earlier. %s",
           PCT_DEF);
    define(x, ws, row, S, h[MO_SOURCE],
           "Data source of the monthly figures; it can differ from the briefing's annual source "
           "(CEPII BACI is annual only).");
}

static void define_mirror(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_MIRROR;
    const char *const *h = MI_HEADS;
    define(x, ws, row, S, h[MI_YEAR], "Calendar year; complete years only.");
    define(x, ws, row, S, h[MI_REPORTER], "The country whose declaration is compared (ISO3).");
    define(x, ws, row, S, h[MI_PARTNER], "The other country, whose declaration is the mirror.");
    define(x, ws, row, S, h[MI_FLOW],
           "X = the reporter's exports to the partner, M = its imports from the partner.");
    define(x, ws, row, S, h[MI_REPORTED],
           "The flow as the reporter declares it. Empty when the reporter declared no partner "
           "detail that year. %s", MONEY_DEF);
    define(x, ws, row, S, h[MI_MIRROR],
           "The same flow as the partner declares it: its imports for X, its exports for M. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[MI_GAP],
           "Import-side value minus export-side value of the same flow (for X: mirror - "
           "reported; for M: reported - mirror). Imports are valued CIF, exports FOB, so a "
           "small positive gap is normal. %s", MONEY_DEF);
    define(x, ws, row, S, h[MI_RATIO],
           "Import-side value / export-side value (CIF over FOB); about 1.00 to 1.10 is usual "
           "(freight and insurance). Shown with two decimals; empty when either side is "
           "missing or zero.");
    define(x, ws, row, S, h[MI_FLAG],
           "within CIF/FOB margin = ratio 0.95 to 1.15; import side higher / export side higher "
           "= beyond it; only reporter declared / only partner declared = one side gave no "
           "partner detail that year.");
}

static void define_composition(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_COMPOSITION;
    const char *const *h = CO_HEADS;
    define(x, ws, row, S, h[CO_YEAR], "Calendar year; annual data, complete years only.");
    define(x, ws, row, S, h[CO_EXPORTER],
           "The exporting country (ISO3); the partner is the other country of the pair. The "
           "figures are the exporter's own declaration of its exports (with CEPII BACI, the "
           "reconciled flow).");
    define(x, ws, row, S, h[CO_CODE],
           "Harmonized System section, I to XXI; NS = not specified: the part of the total "
           "that the product detail does not cover, so shares sum to 100%%.");
    define(x, ws, row, S, h[CO_NAME], "Name of the HS section.");
    define(x, ws, row, S, h[CO_VALUE],
           "Exports in the section, summed from the coarsest HS level the data has. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[CO_SHARE],
           "Section value / the exporter's total exports to the partner that year. %s", PCT_DEF);
    define(x, ws, row, S, h[CO_BASELINE],
           "The same section's exports in 2021, the last year before the 2022 sanctions. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[CO_CHANGE], "Value / 2021 baseline - 1. %s", PCT_DEF);
    for (size_t k = 0; k < x->n_comp; k++) {
        const struct comp_plan *p = &x->comp[k];
        char years[32];
        if (p->y1 == p->y2)
            snprintf(years, sizeof(years), "%d", p->y2);
        else
            snprintf(years, sizeof(years), "%d and %d", p->y1, p->y2);
        define(x, ws, row, S, p->head[CC_CODE],
               "Chart data: the HS sections of %s's exports to %s in %s, in HS order; the "
               "chart below the blocks plots the share columns beside it. %s",
               p->exporter, p->partner, years, x->bf->comp_note);
        if (p->y1 != p->y2)
            define(x, ws, row, S, p->head[CC_Y1],
                   "Chart data: as Share of exports %%, for %s in %d; empty when the section "
                   "has no row that year.", p->exporter, p->y1);
        define(x, ws, row, S, p->head[CC_Y2],
               "Chart data: as Share of exports %%, for %s in %d; empty when the section has "
               "no row that year.", p->exporter, p->y2);
    }
}

static void define_baskets(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_BASKETS;
    const char *const *h = BA_HEADS;
    define(x, ws, row, S, h[BA_YEAR], "Calendar year; annual data at six-digit HS codes.");
    define(x, ws, row, S, h[BA_TIER],
           "Tier of the Common High Priority List (CHPL; US BIS, EU, UK and Japan, version of "
           "February 2024): dual-use goods found in Russian weapons. 1 = the most critical "
           "(integrated circuits), then 2, 3.A, 3.B, 4.A, 4.B. Codes are HS2022; HS2017 data "
           "is matched through the HS conversion table.");
    define(x, ws, row, S, h[BA_DEST], "Where the goods went: RUS or IRN.");
    define(x, ws, row, S, h[BA_EXPORTER],
           "all = every exporter; CHN, TUR, ARE, KAZ, KGZ, ARM = that country's own shipments "
           "(the routes watched for circumvention); other = every other exporter.");
    define(x, ws, row, S, h[BA_DECLARED],
           "exporter = the exporters' declared exports (CEPII BACI: reconciled flows); "
           "importer = the destination's own declared imports.");
    define(x, ws, row, S, h[BA_VALUE], "CHPL goods of the tier shipped that year. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[BA_BASELINE], "The same cell in 2021. %s", MONEY_DEF);
    define(x, ws, row, S, h[BA_CHANGE], "Value / 2021 baseline - 1. %s", PCT_DEF);
}

static void define_claims(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_CLAIMS;
    const char *const *h = CL_HEADS;
    define(x, ws, row, S, h[CL_ID],
           "Number of the claim (table claim); built-in claims come from articles, others from "
           "`tradereport import --format claims`.");
    define(x, ws, row, S, h[CL_CLAIM], "What the article says, in our paraphrase.");
    define(x, ws, row, S, h[CL_DEF],
           "One defensible reading of the claim: whose declaration (as A reports, as B reports "
           "= the mirror, or the best figure), which year or growth period.");
    define(x, ws, row, S, h[CL_SOURCE], "Data source of the computed figure; empty when none.");
    define(x, ws, row, S, h[CL_COMPUTED],
           "The figure the data give under that definition, in the claim's unit (see Unit). "
           "Empty when there is no data.");
    define(x, ws, row, S, h[CL_STATED], "The figure the claim states, in the same unit.");
    define(x, ws, row, S, h[CL_UNIT],
           "US$ m = the cells hold US$ millions (#,##0.0); %% = the cells hold a fraction "
           "shown as a percentage (81%% is 0.81).");
    define(x, ws, row, S, h[CL_DIFF],
           "(stated - computed) / computed: positive when the claim is above the data. %s",
           PCT_DEF);
    define(x, ws, row, S, h[CL_VERDICT],
           "consistent = |difference| within the claim's tolerance; overstated / understated "
           "beyond it; not measurable = trade data cannot test it (or the claim gives no "
           "figure); no data = nothing to compute it from.");
    define(x, ws, row, S, h[CL_CLOSEST],
           "yes on the definition(s) with the smallest |difference| for the claim, across "
           "sources; Summary quotes the first of them.");
    define(x, ws, row, S, h[CL_NOTE], "Why a claim cannot be measured, or what to watch.");
    define(x, ws, row, S, h[CL_ARTICLE], "Where the claim was published.");
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
    if (x->r->n_monthly > 0)
        define_monthly(x, ws, &row);
    if (x->r->n_mirror > 0)   /* otherwise the sheet is one line saying why */
        define_mirror(x, ws, &row);
    if (x->r->n_composition > 0)
        define_composition(x, ws, &row);
    if (x->r->n_baskets > 0)
        define_baskets(x, ws, &row);
    if (x->r->n_claims > 0)
        define_claims(x, ws, &row);
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
    struct tr_briefing bf;
    struct xw x = {.r = r, .bf = &bf, .path = path, .e = e};
    time_t created;
    int rc = tr_briefing_build(r, &bf, e);
    if (rc)
        return rc;

    if (parse_utc(r->generated_at, &created) != 0) {
        rc = tr_err_set(e, TR_ENOMEM,
                        "report time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ (1980 or later)",
                        r->generated_at);
        goto out_keep;
    }
    /* libxlsxwriter opens path only in workbook_close(), where a failure gets a generic
     * message and a line of its own on stderr; trying first names the real cause. */
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        rc = tr_err_set(e, TR_EIO, "cannot create \"%s\": %s", path, strerror(errno));
        goto out_keep;
    }
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
    sheet_monthly(&x);
    sheet_mirror(&x);
    sheet_composition(&x);
    sheet_baskets(&x);
    sheet_claims(&x);
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
out_keep:
    tr_briefing_release(&bf);
    return rc;
}
