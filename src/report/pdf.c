/*
 * The PDF briefing: an A4 portrait document drawn with Cairo's PDF surface. Page 1 is the
 * cover; then the key figures (continued over more pages when the years do not fit) and the
 * claim checks; then one page per chart section: trade over time (with claims marked),
 * composition by HS section, mirror statistics, CHPL goods by destination, monthly trade.
 * A section without data is left out, never drawn as an empty page. The document is laid out
 * twice: once on a surface that writes nothing, to count the pages for "Page N of M", then for
 * real. Every page is laid out by measuring text, so long names wrap or are cut with an
 * ellipsis instead of running off the page.
 * It reads a filled struct tr_report and writes to the path it is given; the temporary name,
 * fsync and rename are the caller's. Fonts are embedded (subset) by Cairo's PDF backend.
 */
#include "tr/pdf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "tr/baseline.h"
#include "tr/briefing.h"
#include "tr/chart.h"
#include "tr/fmt.h"

#define FONT "DejaVu Sans"
#define EN_DASH "\xE2\x80\x93"
#define ELLIPSIS "\xE2\x80\xA6"
#define LQ "\xE2\x80\x9C"
#define RQ "\xE2\x80\x9D"
#define APOS "\xE2\x80\x99"

/* A4 in points, and the frame every page shares. */
#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 56.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define CONTENT_TOP 76.0             /* below the running header */
#define CONTENT_BOTTOM (PAGE_H - 62.0)
#define HEADER_BASE 42.0
#define FOOTER_BASE (PAGE_H - 34.0)

#define C_TEXT 0x1A1A1A
#define C_MUTED 0x5F5F5F
#define C_RULE 0x333333
#define C_HAIR 0xBDBDBD
#define C_ZEBRA 0xF3F5F8
#define C_ACCENT 0x0072B2

#define N_COLS 10
#define CELL_MAX 48
#define MAX_SOURCES_LISTED 40

struct doc {
    cairo_t *cr;
    cairo_surface_t *surface;
    const struct tr_report *r;
    const struct tr_briefing *bf; /* what the reader sees, decided once (briefing.c) */
    const char *a, *b;            /* ISO3 codes, or "A"/"B" when the report has none */
    const char *a_name, *b_name;  /* names, or the codes */
    const char *src;              /* the data source's human name */
    char pair[300];               /* "Russian Federation – Iran" */
    char period[32];              /* "2019–2022" */
    int page;                     /* the page being drawn, from 1 */
    int n_pages;                  /* known in the second pass; 0 while counting */
};

/* ---- small helpers ----------------------------------------------------------------------- */

static void set_hex(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

static void set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s)
{
    return tr_chart_text_width(cr, s, strlen(s));
}

enum align { LEFT, RIGHT, CENTRE };

/* Draws s with its baseline at y; x is the left edge, right edge or centre per align. */
static void text_at(cairo_t *cr, double x, double y, enum align al, const char *s)
{
    double w = al == LEFT ? 0 : text_w(cr, s);
    cairo_move_to(cr, al == LEFT ? x : al == RIGHT ? x - w : x - w / 2, y);
    cairo_show_text(cr, s);
}

/* Copies s into out, cut with an ellipsis to fit width. */
static void fit_text(cairo_t *cr, const char *s, double width, char *out, size_t n)
{
    snprintf(out, n, "%s", s);
    if (text_w(cr, out) <= width)
        return;
    double ell = text_w(cr, ELLIPSIS);
    size_t len = strlen(out);
    while (len > 0) {
        len--;
        while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80)
            len--;
        if (tr_chart_text_width(cr, out, len) + ell <= width)
            break;
    }
    if (len + sizeof(ELLIPSIS) <= n)
        memcpy(out + len, ELLIPSIS, sizeof(ELLIPSIS));
    else
        out[len] = '\0';
}

/* Like fit_text, but keeps both ends ("baci_hs17_y20…v202401b.csv"): file names differ at the
 * end as often as at the start. */
static void fit_text_middle(cairo_t *cr, const char *s, double width, char *out, size_t n)
{
    size_t len = strlen(s);
    if (text_w(cr, s) <= width || len + sizeof(ELLIPSIS) > n) {
        fit_text(cr, s, width, out, n);
        return;
    }
    double ell = text_w(cr, ELLIPSIS);
    size_t head = len / 2, tail = len - head;  /* drop bytes from the middle until it fits */
    for (;;) {
        while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
            head--;
        while (tail < len && ((unsigned char)s[tail] & 0xC0) == 0x80)
            tail++;
        if (head == 0 || tail >= len ||
            tr_chart_text_width(cr, s, head) + ell + tr_chart_text_width(cr, s + tail, len - tail)
                <= width)
            break;
        if (head > len - tail)
            head--;
        else
            tail++;
    }
    memcpy(out, s, head);
    memcpy(out + head, ELLIPSIS, sizeof(ELLIPSIS) - 1);
    memcpy(out + head + sizeof(ELLIPSIS) - 1, s + tail, len - tail);
    out[head + sizeof(ELLIPSIS) - 1 + len - tail] = '\0';
}

/* Wrapped paragraph from top-left (x, top) in the current font; returns the height it takes.
 * With draw 0 it only measures. */
static double paragraph(cairo_t *cr, double x, double top, double width, double lh,
                        const char *text, int draw)
{
    struct tr_text_span sp[64];
    size_t n = tr_chart_wrap_text(cr, text, width, sp, 64);
    if (n > 64)
        n = 64;
    if (draw) {
        cairo_font_extents_t fe;
        cairo_font_extents(cr, &fe);
        for (size_t i = 0; i < n; i++) {
            cairo_move_to(cr, x, top + i * lh + fe.ascent);
            tr_chart_show_text_n(cr, text + sp[i].off, sp[i].len);
        }
    }
    return n * lh;
}

/* "2024-05-01T12:00:00Z" -> "2024-05-01 12:00 UTC"; anything else verbatim. */
static void fmt_timestamp(const char *iso, char *buf, size_t n)
{
    int y, mo, d, h, mi;
    char z = 0;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%*2d%c", &y, &mo, &d, &h, &mi, &z) == 6 && z == 'Z')
        snprintf(buf, n, "%04d-%02d-%02d %02d:%02d UTC", y, mo, d, h, mi);
    else
        snprintf(buf, n, "%s", iso);
}

static const char *side_label(const struct doc *d, const char *side)
{
    if (strcmp(side, "A") == 0)
        return d->a;
    if (strcmp(side, "B") == 0)
        return d->b;
    return side;
}

/* ---- page furniture ---------------------------------------------------------------------- */

static void running_header(const struct doc *d)
{
    cairo_t *cr = d->cr;
    char left[400], fitted[400];
    set_font(cr, 7.5, 0);
    set_hex(cr, C_MUTED);
    const char *right = "Trade briefing";
    double rw = text_w(cr, right);
    snprintf(left, sizeof(left), "%s, %s", d->pair, d->period);
    fit_text(cr, left, CONTENT_W - rw - 24, fitted, sizeof(fitted));
    text_at(cr, MARGIN, HEADER_BASE, LEFT, fitted);
    text_at(cr, PAGE_W - MARGIN, HEADER_BASE, RIGHT, right);
    set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, HEADER_BASE + 7);
    cairo_line_to(cr, PAGE_W - MARGIN, HEADER_BASE + 7);
    cairo_stroke(cr);
}

static void footer(const struct doc *d)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "Page %d of %d", d->page, d->n_pages);
    set_font(d->cr, 7.5, 0);
    set_hex(d->cr, C_MUTED);
    text_at(d->cr, PAGE_W / 2, FOOTER_BASE, CENTRE, buf);
}

/* Page title and a muted subtitle under it; returns the y where content may start. */
static double page_heading(const struct doc *d, double top, const char *title, const char *sub)
{
    cairo_t *cr = d->cr;
    set_font(cr, 16, 1);
    set_hex(cr, C_TEXT);
    text_at(cr, MARGIN, top + 16, LEFT, title);
    double y = top + 26;
    if (sub && *sub) {
        set_font(cr, 9, 0);
        set_hex(cr, C_MUTED);
        y += paragraph(cr, MARGIN, y, CONTENT_W, 12.5, sub, 1);
    }
    return y + 14;
}

/* Opens a page with the running header; outline, when given, names it in the PDF's
 * bookmarks. */
static void begin_page(struct doc *d, const char *outline)
{
    running_header(d);
    if (outline && *outline) {
        char dest[32];
        snprintf(dest, sizeof(dest), "page=%d", d->page);
        cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, outline, dest, 0);
    }
}

static int end_page(struct doc *d, struct tr_err *e)
{
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS)
        return tr_err_set(e, TR_EIO, "pdf page %d: cairo: %s", d->page - 1,
                          cairo_status_to_string(cairo_status(d->cr)));
    return 0;
}

/* ---- page 1: cover ----------------------------------------------------------------------- */

/* A label in the left column and a wrapped value beside it; returns the height used. */
static double cover_field(cairo_t *cr, double top, const char *label, const char *value)
{
    const double key_w = 96, lh = 14;
    set_font(cr, 8.5, 1);
    set_hex(cr, C_MUTED);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    text_at(cr, MARGIN, top + fe.ascent + 0.8, LEFT, label);
    set_font(cr, 10, 0);
    set_hex(cr, C_TEXT);
    double h = paragraph(cr, MARGIN + key_w, top, CONTENT_W - key_w, lh, value, 1);
    return (h > lh ? h : lh) + 5;
}

static double cover_sources(const struct doc *d, double top)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    const double rows_w = 64, rel_w = 92, lh = 14;
    const double file_w = CONTENT_W - rows_w - rel_w - 12;
    char buf[512], fitted[512];

    set_font(cr, 11, 1);
    set_hex(cr, C_TEXT);
    text_at(cr, MARGIN, top + 11, LEFT, "Source files");
    top += 22;
    if (r->n_sources == 0) {
        set_font(cr, 9, 0);
        set_hex(cr, C_MUTED);
        text_at(cr, MARGIN, top + 9, LEFT, "No source files are recorded for these figures.");
        return top + lh;
    }

    set_font(cr, 8, 1);
    set_hex(cr, C_MUTED);
    text_at(cr, MARGIN, top + 8, LEFT, "File");
    text_at(cr, MARGIN + file_w + 12, top + 8, LEFT, "Release");
    text_at(cr, PAGE_W - MARGIN, top + 8, RIGHT, "Rows loaded");
    top += 12;
    set_hex(cr, C_RULE);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, MARGIN, top);
    cairo_line_to(cr, PAGE_W - MARGIN, top);
    cairo_stroke(cr);
    top += 3;

    /* List what fits above the footer, keeping a line for "… and N more". */
    double fits = (CONTENT_BOTTOM - top - lh) / lh;
    size_t room = fits > 1 ? (size_t)fits : 1;
    if (room > MAX_SOURCES_LISTED)
        room = MAX_SOURCES_LISTED;
    size_t shown = r->n_sources <= room + 1 ? r->n_sources : room;
    set_font(cr, 8.5, 0);
    for (size_t i = 0; i < shown; i++) {
        const struct tr_source_file *s = &r->sources[i];
        double base = top + 10.5;
        set_hex(cr, C_TEXT);
        fit_text_middle(cr, s->file_name ? s->file_name : "", file_w, fitted, sizeof(fitted));
        text_at(cr, MARGIN, base, LEFT, fitted);
        set_hex(cr, C_MUTED);
        fit_text(cr, s->release && *s->release ? s->release : EN_DASH, rel_w, fitted,
                 sizeof(fitted));
        text_at(cr, MARGIN + file_w + 12, base, LEFT, fitted);
        set_hex(cr, C_TEXT);
        tr_fmt_count(s->rows_loaded, buf, sizeof(buf));
        text_at(cr, PAGE_W - MARGIN, base, RIGHT, buf);
        top += lh;
    }
    if (shown < r->n_sources) {
        set_hex(cr, C_MUTED);
        snprintf(buf, sizeof(buf),
                 ELLIPSIS " and %zu more files (tradereport loads lists them all)",
                 r->n_sources - shown);
        text_at(cr, MARGIN, top + 10.5, LEFT, buf);
        top += lh;
    }
    set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, top + 3);
    cairo_line_to(cr, PAGE_W - MARGIN, top + 3);
    cairo_stroke(cr);
    return top + 3;
}

static void page_cover(const struct doc *d)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    char buf[256];

    set_hex(cr, C_ACCENT);
    cairo_rectangle(cr, MARGIN, 150, 44, 4);
    cairo_fill(cr);

    set_font(cr, 30, 1);
    set_hex(cr, C_TEXT);
    text_at(cr, MARGIN, 196, LEFT, "Trade briefing");

    set_font(cr, 19, 0);
    double y = 212;
    y += paragraph(cr, MARGIN, y, CONTENT_W, 25, d->pair, 1);
    set_font(cr, 13, 0);
    set_hex(cr, C_MUTED);
    y += paragraph(cr, MARGIN, y + 4, CONTENT_W, 17, d->period, 1) + 4;

    set_font(cr, 9.5, 0);
    y += 14;
    snprintf(buf, sizeof(buf),
             "Annual merchandise trade between %s and %s in current US dollars, as each country "
             "declares it and as this briefing quotes it.",
             d->a_name, d->b_name);
    y += paragraph(cr, MARGIN, y, CONTENT_W, 13.5, buf, 1);

    y += 22;
    set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, y);
    cairo_line_to(cr, PAGE_W - MARGIN, y);
    cairo_stroke(cr);
    y += 12;

    y += cover_field(cr, y, "Data source", *r->source_label ? r->source_label : r->source);
    snprintf(buf, sizeof(buf), "%s (%s), %s (%s)", d->a_name, d->a, d->b_name, d->b);
    y += cover_field(cr, y, "Countries", buf);
    y += cover_field(cr, y, "Period", d->period);
    fmt_timestamp(r->generated_at, buf, sizeof(buf));
    y += cover_field(cr, y, "Generated", *buf ? buf : EN_DASH);
    snprintf(buf, sizeof(buf), "tradereport %s", *r->tool_version ? r->tool_version : "");
    y += cover_field(cr, y, "Tool", buf);

    y += 24;
    cover_sources(d, y);
}

/* ---- page 2+: key figures ---------------------------------------------------------------- */

struct table {
    double font, lh, row_h, pad;
    double w[N_COLS];
    char head[N_COLS][64];
    double head_h, group_h;
    double top;               /* where the table starts under the page heading */
    double note_h;
    size_t rows_per_page, n_pages;
    char sub[512], note[1400];
};

/* Column groups drawn above the column heads. */
struct group {
    int first, last;
    char label[64];
};

static void make_groups(const struct doc *d, struct group g[3])
{
    g[0].first = 1, g[0].last = 2;
    snprintf(g[0].label, sizeof(g[0].label), "Reported by %s", d->a);
    g[1].first = 3, g[1].last = 4;
    snprintf(g[1].label, sizeof(g[1].label), "Reported by %s", d->b);
    g[2].first = 5, g[2].last = 8;
    snprintf(g[2].label, sizeof(g[2].label), "Turnover");
}

static void cell_text(const struct doc *d, const struct tr_bilateral_year *y, int col, char *buf,
                      size_t n)
{
    switch (col) {
    case 0: snprintf(buf, n, "%d", y->year); break;
    case 1: tr_fmt_musd(y->a_exports_to_b, buf, n); break;
    case 2: tr_fmt_musd(y->a_imports_from_b, buf, n); break;
    case 3: tr_fmt_musd(y->b_exports_to_a, buf, n); break;
    case 4: tr_fmt_musd(y->b_imports_from_a, buf, n); break;
    case 5: tr_fmt_musd(y->turnover_a, buf, n); break;
    case 6: tr_fmt_musd(y->turnover_b, buf, n); break;
    case 7: tr_fmt_musd(y->turnover_best, buf, n); break;
    case 8:
        snprintf(buf, n, "%s",
                 isfinite(y->turnover_best) && *y->best_side ? side_label(d, y->best_side)
                                                              : EN_DASH);
        break;
    default: tr_fmt_growth(y->growth_pct, buf, n); break;
    }
}

static enum align col_align(int col)
{
    return col == 0 || col == 8 ? LEFT : RIGHT;
}

/* The narrowest width that sets s on at most two lines (split at one of its spaces). */
static double two_line_width(cairo_t *cr, const char *s)
{
    size_t len = strlen(s);
    double best = tr_chart_text_width(cr, s, len);
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ')
            continue;
        double a = tr_chart_text_width(cr, s, i);
        double b = tr_chart_text_width(cr, s + i + 1, len - i - 1);
        double w = a > b ? a : b;
        best = w < best ? w : best;
    }
    return best;
}

/* Sizes the columns to their content, shrinking the font until the table fits the width. */
static void table_layout(const struct doc *d, struct table *t)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    char buf[CELL_MAX];

    snprintf(t->head[0], 64, "Year");
    snprintf(t->head[1], 64, "Exports to %s", d->b);
    snprintf(t->head[2], 64, "Imports from %s", d->b);
    snprintf(t->head[3], 64, "Exports to %s", d->a);
    snprintf(t->head[4], 64, "Imports from %s", d->a);
    snprintf(t->head[5], 64, "As %s reports", d->a);
    snprintf(t->head[6], 64, "As %s reports", d->b);
    snprintf(t->head[7], 64, "Best figure");
    snprintf(t->head[8], 64, "Side");
    snprintf(t->head[9], 64, "YoY growth");

    t->pad = 5;
    double total = 0;
    for (t->font = 8.0;; t->font -= 0.25) {
        total = 0;
        for (int c = 0; c < N_COLS; c++) {
            set_font(cr, t->font, 1);
            double w = two_line_width(cr, t->head[c]);
            set_font(cr, t->font, 0);
            for (size_t i = 0; i < r->n_years; i++) {
                cell_text(d, &r->years[i], c, buf, sizeof(buf));
                double cw = text_w(cr, buf);
                w = cw > w ? cw : w;
            }
            t->w[c] = w + 2 * t->pad;
            total += t->w[c];
        }
        if (total <= CONTENT_W || t->font <= 5.5)
            break;
    }
    /* Spare width goes to the money columns, so the numbers breathe evenly. */
    if (total < CONTENT_W)
        for (int c = 1; c <= 7; c++)
            t->w[c] += (CONTENT_W - total) / 7;
    else if (total > CONTENT_W)  /* absurd values: squeeze rather than run off the page */
        for (int c = 0; c < N_COLS; c++)
            t->w[c] *= CONTENT_W / total;

    t->lh = t->font * 1.25;
    t->row_h = t->font * 2.0;
    set_font(cr, t->font, 1);
    size_t max_lines = 1;
    for (int c = 0; c < N_COLS; c++) {
        struct tr_text_span sp[4];
        size_t n = tr_chart_wrap_text(cr, t->head[c], t->w[c] - 2 * t->pad, sp, 4);
        max_lines = n > max_lines ? n : max_lines;
    }
    if (max_lines > 4)
        max_lines = 4;
    t->head_h = max_lines * t->lh + 8;
    t->group_h = t->lh + 8;

    snprintf(t->sub, sizeof(t->sub),
             "Trade between %s (A, %s) and %s (B, %s), %s. US$ million at current prices. "
             "Source: %s.",
             d->a_name, d->a, d->b_name, d->b, d->period,
             *r->source_label ? r->source_label : r->source);
    snprintf(t->note, sizeof(t->note),
             LQ "Reported by %s" RQ ": %s" APOS "s exports to %s and "
             "imports from %s as %s declares them; " LQ "Reported by %s" RQ ": the same two flows "
             "as %s declares them. "
             "The two declarations of one flow rarely match (exports are valued FOB, imports "
             "CIF; timing, re-exports and confidential trade differ). Turnover = exports + "
             "imports as one country declares them. Best figure = the turnover this briefing "
             "quotes; Side = whose declaration it is (%s or %s; reconciled = one value that "
             "the source reconciled from both declarations). YoY growth = change in the best "
             "figure on the previous year; when Side changes between two years the rate "
             "compares two declarations. " EN_DASH " = not reported.",
             d->a, d->a, d->b, d->b, d->a, d->b, d->b, d->a, d->b);

    /* Heading height is the same on every table page: measure it once. */
    set_font(cr, 9, 0);
    t->top = CONTENT_TOP + 26 + paragraph(cr, MARGIN, 0, CONTENT_W, 12.5, t->sub, 0) + 14;
    set_font(cr, 7.5, 0);
    t->note_h = paragraph(cr, MARGIN, 0, CONTENT_W, 10, t->note, 0);
    double room = CONTENT_BOTTOM - t->top - t->group_h - t->head_h - 4 - 14 - t->note_h;
    t->rows_per_page = room > t->row_h ? (size_t)(room / t->row_h) : 1;
    t->n_pages = r->n_years == 0 ? 1
                                 : (r->n_years + t->rows_per_page - 1) / t->rows_per_page;
}

static void rule(cairo_t *cr, double x0, double x1, double y, double width, unsigned rgb)
{
    set_hex(cr, rgb);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

static double table_head(const struct doc *d, const struct table *t, double y)
{
    cairo_t *cr = d->cr;
    struct group g[3];
    make_groups(d, g);
    double x[N_COLS + 1];
    x[0] = MARGIN;
    for (int c = 0; c < N_COLS; c++)
        x[c + 1] = x[c] + t->w[c];

    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
    cairo_font_extents_t fe;
    set_font(cr, t->font, 1);
    cairo_font_extents(cr, &fe);
    set_hex(cr, C_TEXT);
    for (int i = 0; i < 3; i++) {
        double x0 = x[g[i].first] + t->pad, x1 = x[g[i].last + 1] - t->pad;
        char fitted[128];
        set_hex(cr, C_TEXT);
        fit_text(cr, g[i].label, x1 - x0, fitted, sizeof(fitted));
        text_at(cr, (x0 + x1) / 2, y + 5 + fe.ascent, CENTRE, fitted);
        rule(cr, x0, x1, y + t->group_h - 1, 0.5, C_HAIR);
    }
    y += t->group_h;

    set_font(cr, t->font, 1);
    set_hex(cr, C_TEXT);
    for (int c = 0; c < N_COLS; c++) {
        struct tr_text_span sp[4];
        double cw = t->w[c] - 2 * t->pad;
        size_t n = tr_chart_wrap_text(cr, t->head[c], cw, sp, 4);
        if (n > 4)
            n = 4;
        /* Bottom-aligned, so the last line of every head sits on one baseline. */
        double base = y + t->head_h - 6 - fe.descent - (n - 1) * t->lh;
        for (size_t i = 0; i < n; i++) {
            double lw = tr_chart_text_width(cr, t->head[c] + sp[i].off, sp[i].len);
            double lx = col_align(c) == RIGHT ? x[c + 1] - t->pad - lw : x[c] + t->pad;
            cairo_move_to(cr, lx, base + i * t->lh);
            tr_chart_show_text_n(cr, t->head[c] + sp[i].off, sp[i].len);
        }
    }
    y += t->head_h;
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 0.6, C_RULE);
    return y;
}

/* Draws table page `page` on the open page; returns the y under its note. */
static double page_key_figures(const struct doc *d, const struct table *t, size_t page)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    char buf[CELL_MAX];

    double y = page_heading(d, CONTENT_TOP, page == 0 ? "Key figures" : "Key figures (continued)",
                            t->sub);
    y = table_head(d, t, y);

    size_t first = page * t->rows_per_page, last = first + t->rows_per_page;
    if (last > r->n_years)
        last = r->n_years;
    cairo_font_extents_t fe;
    set_font(cr, t->font, 0);
    cairo_font_extents(cr, &fe);
    if (r->n_years == 0) {
        set_hex(cr, C_MUTED);
        text_at(cr, MARGIN + t->pad, y + t->row_h / 2 + (fe.ascent - fe.descent) / 2, LEFT,
                "No figures for this pair in this period.");
        y += t->row_h;
    }
    for (size_t i = first; i < last; i++) {
        if ((i - first) % 2 == 1) {
            set_hex(cr, C_ZEBRA);
            cairo_rectangle(cr, MARGIN, y, CONTENT_W, t->row_h);
            cairo_fill(cr);
        }
        double base = y + t->row_h / 2 + (fe.ascent - fe.descent) / 2, x = MARGIN;
        for (int c = 0; c < N_COLS; c++) {
            cell_text(d, &r->years[i], c, buf, sizeof(buf));
            /* The quoted figure is the one readers look for: set it in bold. */
            set_font(cr, t->font, c == 7);
            set_hex(cr, strcmp(buf, EN_DASH) == 0 || c == 8 ? C_MUTED : C_TEXT);
            if (col_align(c) == RIGHT)
                text_at(cr, x + t->w[c] - t->pad, base, RIGHT, buf);
            else
                text_at(cr, x + t->pad, base, LEFT, buf);
            x += t->w[c];
        }
        y += t->row_h;
    }
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);

    set_font(cr, 7.5, 0);
    set_hex(cr, C_MUTED);
    return y + 14 + paragraph(cr, MARGIN, y + 14, CONTENT_W, 10, t->note, 1);
}

/* ---- claim checks (after the key figures) ------------------------------------------------ */

static const char *str_or(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

/* A run of text in one style inside a table cell. */
struct piece {
    const char *text;
    double size;
    int bold;
    unsigned rgb;
    size_t max_lines;
};

#define CLAIM_COLS 4
#define CLAIM_PIECES 3
#define CLAIM_PAD 4.0

static const double claim_w[CLAIM_COLS] = {185, 62, 128, 108};  /* sum: CONTENT_W */

/* Draws (or with draw 0 measures) the pieces top-down from (x, top); returns the height. */
static double pieces(cairo_t *cr, const struct piece *p, size_t n, double x, double top,
                     double width, int draw)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].text || !*p[i].text)
            continue;
        double lh = p[i].size * 1.3;
        set_font(cr, p[i].size, p[i].bold);
        set_hex(cr, p[i].rgb);
        if (h > 0)
            h += 1.5;
        h += tr_chart_text_block(cr, x, top + h, width, lh, p[i].text, p[i].max_lines, 0, draw) *
             lh;
    }
    return h;
}

/* The texts of one claim's row. */
struct claim_cells {
    char stated[48], year[24], computed[48], defn[400], verdict[80];
    struct piece p[CLAIM_COLS][CLAIM_PIECES];
};

static void claim_cells(const struct doc *d, const struct tr_brief_claim *l, struct claim_cells *k)
{
    const struct tr_claim_row *c = l->shown;
    snprintf(k->stated, sizeof(k->stated), "%s", l->stated);
    if (c->year > 0)
        snprintf(k->year, sizeof(k->year), "in %d", c->year);
    else
        k->year[0] = '\0';
    snprintf(k->computed, sizeof(k->computed), "%s", l->computed);
    size_t off = (size_t)snprintf(k->defn, sizeof(k->defn), "%s", str_or(c->definition, ""));
    if (c->source && *c->source && strcmp(c->source, d->r->source) != 0 && off < sizeof(k->defn))
        off += (size_t)snprintf(k->defn + off, sizeof(k->defn) - off, " [%s]", c->source);
    if (l->n_defs > 1 && off < sizeof(k->defn))
        snprintf(k->defn + off, sizeof(k->defn) - off, "%s(%s of %zu definitions tried)",
                 off > 0 ? " " : "", c->is_closest ? "closest" : "first", l->n_defs);
    if (isfinite(c->diff_pct))
        snprintf(k->verdict, sizeof(k->verdict), "%s, %s", str_or(c->verdict, EN_DASH),
                 l->diff);
    else
        snprintf(k->verdict, sizeof(k->verdict), "%s", str_or(c->verdict, EN_DASH));

    const struct piece cells[CLAIM_COLS][CLAIM_PIECES] = {
        {{str_or(c->paraphrase, EN_DASH), 7.5, 0, C_TEXT, 8},
         {str_or(c->article, ""), 6.5, 0, C_MUTED, 2}},
        {{k->stated, 7.5, 1, C_TEXT, 1}, {k->year, 6.5, 0, C_MUTED, 1}},
        {{k->computed, 7.5, 1, C_TEXT, 1}, {k->defn, 6.5, 0, C_MUTED, 4}},
        {{k->verdict, 7.5, 1, C_TEXT, 2}, {str_or(c->note, ""), 6.5, 0, C_MUTED, 4}},
    };
    memcpy(k->p, cells, sizeof(cells));
}

static double claim_row(cairo_t *cr, struct claim_cells *k, double top, int draw)
{
    double h = 0, x = MARGIN;
    for (int c = 0; c < CLAIM_COLS; c++) {
        double ch = pieces(cr, k->p[c], CLAIM_PIECES, x + CLAIM_PAD, top + 5,
                           claim_w[c] - 2 * CLAIM_PAD, draw);
        h = ch > h ? ch : h;
        x += claim_w[c];
    }
    return h + 10;
}

static double claim_head(cairo_t *cr, double y)
{
    static const char *const head[CLAIM_COLS] = {"Claim", "Stated", "Closest computed figure",
                                                 "Verdict"};
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
    set_font(cr, 7.5, 1);
    set_hex(cr, C_TEXT);
    double x = MARGIN;
    for (int c = 0; c < CLAIM_COLS; c++) {
        text_at(cr, x + CLAIM_PAD, y + 13, LEFT, head[c]);
        x += claim_w[c];
    }
    y += 19;
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 0.6, C_RULE);
    return y;
}

static void outline(const struct doc *d, const char *name)
{
    char dest[32];
    snprintf(dest, sizeof(dest), "page=%d", d->page);
    cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, name, dest, 0);
}

/* The claim checks, from y on the open page (or a new one when not even their start fits);
 * closes the last page they use. */
static int claim_checks(struct doc *d, double y, struct tr_err *e)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    int rc = 0;
    if (r->n_claims == 0)
        return end_page(d, e);
    const struct tr_brief_claim *lines = d->bf->claims;
    struct claim_cells *k = malloc(sizeof(*k));
    if (!k) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the claim checks");
        goto out;
    }
    size_t n = d->bf->n_claims;

    char intro[1200];
    snprintf(intro, sizeof(intro),
             "Figures printed in articles about %s and %s, set against the data. Each claim is "
             "computed under every definition that fits it (as %s reports, as %s reports, the "
             "best figure); the table shows the one closest to the stated figure. Verdict: "
             "consistent = within the claim" APOS "s tolerance (5%% unless set); overstated / "
             "understated = the stated figure is above / below it, by (stated " EN_DASH
             " computed) / computed, or in percentage points (pp) for a share or a rate; no data = "
             "nothing to compare with; not measurable = trade "
             "data cannot test it. " LQ "tradereport claims" RQ " lists every definition.",
             d->a_name, d->b_name, d->a, d->b);
    set_font(cr, 8, 0);
    double intro_h = paragraph(cr, MARGIN, 0, CONTENT_W, 11, intro, 0);
    /* Start under the key figures when the whole table fits there, or when it would not
     * fit on a page of its own either (then at least two rows must); else on a new page. */
    double rows_h[2] = {0, 0}, all_h = 0;
    for (size_t i = 0; i < n; i++) {
        claim_cells(d, &lines[i], k);
        double h = claim_row(cr, k, 0, 0);
        all_h += h;
        if (i < 2)
            rows_h[i] = h;
    }
    const double lead_in = 22 + 20 + intro_h + 8 + 19;  /* gap, title, intro, head */
    const double fresh = CONTENT_BOTTOM - (CONTENT_TOP + 26 + 4) - intro_h - 8 - 19;
    int here = y + lead_in + all_h <= CONTENT_BOTTOM ||
               (all_h > fresh && y + lead_in + rows_h[0] + rows_h[1] <= CONTENT_BOTTOM);
    if (!here) {
        if ((rc = end_page(d, e)))
            goto out;
        begin_page(d, "Claim checks");
        y = page_heading(d, CONTENT_TOP, "Claim checks", NULL) - 10;  /* intro as subtitle */
    } else {
        outline(d, "Claim checks");
        y += 22;
        set_font(cr, 12, 1);
        set_hex(cr, C_TEXT);
        text_at(cr, MARGIN, y + 12, LEFT, "Claim checks");
        y += 20;
    }
    set_font(cr, 8, 0);
    set_hex(cr, C_MUTED);
    y += paragraph(cr, MARGIN, y, CONTENT_W, 11, intro, 1) + 8;
    y = claim_head(cr, y);

    for (size_t i = 0; i < n; i++) {
        claim_cells(d, &lines[i], k);
        double h = claim_row(cr, k, y, 0);
        if (y + h > CONTENT_BOTTOM) {
            rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
            if ((rc = end_page(d, e)))
                goto out;
            begin_page(d, NULL);
            y = page_heading(d, CONTENT_TOP, "Claim checks (continued)", NULL);
            y = claim_head(cr, y);
        }
        claim_row(cr, k, y, 1);
        y += h;
        if (i + 1 < n)
            rule(cr, MARGIN, PAGE_W - MARGIN, y, 0.4, C_HAIR);
    }
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
    rc = end_page(d, e);
out:
    free(k);
    return rc;
}

static int section_key_figures(struct doc *d, struct tr_err *e)
{
    struct table t;
    table_layout(d, &t);
    double y = 0;
    for (size_t p = 0; p < t.n_pages; p++) {
        int rc;
        if (p > 0 && (rc = end_page(d, e)))
            return rc;
        begin_page(d, p == 0 ? "Key figures" : NULL);
        y = page_key_figures(d, &t, p);
    }
    return claim_checks(d, y, e);
}

/* ---- shared by the chart pages ----------------------------------------------------------- */

/* Category labels ("2019", "2023-01") for a chart, and the pointers chart.c reads. */
struct labels {
    char (*text)[32];
    const char **ptr;
};

static int labels_new(struct labels *l, size_t n, struct tr_err *e)
{
    n = n ? n : 1;
    l->text = calloc(n, sizeof(*l->text));
    l->ptr = calloc(n, sizeof(*l->ptr));
    if (!l->text || !l->ptr)
        return tr_err_set(e, TR_ENOMEM, "pdf: out of memory for chart labels");
    for (size_t i = 0; i < n; i++)
        l->ptr[i] = l->text[i];
    return 0;
}

static void labels_free(struct labels *l)
{
    free(l->text);
    free(l->ptr);
}

static int any_finite(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i]))
            return 1;
    return 0;
}

/* Adds the series whose data is not all missing; returns how many. */
static size_t add_series(struct tr_chart_series *out, const char *const names[],
                         const double *v[], size_t k, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (any_finite(v[i], n)) {
            out[m].name = names[i];
            out[m].y = v[i];
            m++;
        }
    return m;
}

/* How many leading categories no series has a value for (n when none has any). */
static size_t leading_gap(const struct tr_chart_series *s, size_t ns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ns; k++)
            if (s[k].y && isfinite(s[k].y[i]))
                return i;
    return n;
}

/* Draws the charts one under the other from top to the bottom of the content area, with
 * heights in proportion to weight (NULL: equal). */
static int chart_stack(const struct doc *d, double top, const struct tr_chart *const charts[],
                       const double *weight, size_t n, struct tr_err *e)
{
    const double gap = 26;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += weight ? weight[i] : 1;
    double room = CONTENT_BOTTOM - top - gap * (double)(n > 0 ? n - 1 : 0);
    for (size_t i = 0; i < n; i++) {
        double h = room * (weight ? weight[i] : 1) / sum;
        int rc = tr_chart_draw(d->cr, MARGIN, top, CONTENT_W, h, charts[i], e);
        if (rc)
            return rc;
        top += h + gap;
    }
    return 0;
}

/* Appends printf-style text to buf (of size n) at *off, never past its end. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t n, size_t *off,
                                                         const char *fmt, ...)
{
    if (*off >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *off, n - *off, fmt, ap);
    va_end(ap);
    if (k > 0)
        *off = *off + (size_t)k < n ? *off + (size_t)k : n;
}

/* The country's name when it is one of the pair, else its code. */
static const char *country_name(const struct doc *d, const char *iso3)
{
    if (strcmp(iso3, d->a) == 0)
        return d->a_name;
    if (strcmp(iso3, d->b) == 0)
        return d->b_name;
    return iso3;
}

/* ---- trade over time, with the turnover claims marked ------------------------------------ */

#define MARK_LABEL 160

struct marks {
    struct tr_chart_mark *m;
    char (*label)[MARK_LABEL];
    size_t n;
};

/* Copies at most max characters of s (UTF-8), with an ellipsis when it was longer; the cut
 * falls between words when one ends in the second half. */
static void cut_chars(const char *s, size_t max, char *out, size_t n)
{
    size_t i = 0, chars = 0, space = 0;
    while (s[i] && chars < max) {
        i++;
        while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
        if (s[i] == ' ' && chars > max / 2)
            space = i;
    }
    if (s[i] && s[i] != ' ' && space > 0)
        i = space;
    while (s[i] && i > 0 && (s[i - 1] == ' ' || s[i - 1] == ',' || s[i - 1] == ';'))
        i--;
    snprintf(out, n, "%.*s%s", (int)i, s, s[i] ? ELLIPSIS : "");
}

/* "best turnover, 2021" -> "best turnover": the year is on the axis already. */
static void strip_year(const char *defn, int year, char *out, size_t n)
{
    char tail[16];
    snprintf(out, n, "%s", defn);
    snprintf(tail, sizeof(tail), ", %d", year);
    size_t lo = strlen(out), lt = strlen(tail);
    if (lo > lt && strcmp(out + lo - lt, tail) == 0)
        out[lo - lt] = '\0';
}

/* Marks on the turnover chart for each claim the briefing marks: the stated figure (hollow)
 * joined to the computed figure it is checked against (filled). */
static int turnover_marks(const struct doc *d, struct marks *mk, struct tr_err *e)
{
    const struct tr_briefing *bf = d->bf;
    mk->n = 0;
    mk->m = calloc(2 * bf->n_marks + 1, sizeof(*mk->m));
    mk->label = calloc(2 * bf->n_marks + 1, sizeof(*mk->label));
    if (!mk->m || !mk->label)
        return tr_err_set(e, TR_ENOMEM, "pdf: out of memory for claim marks");
    for (size_t i = 0; i < bf->n_marks; i++) {
        const struct tr_brief_mark *k = &bf->marks[i];
        const struct tr_claim_row *c = k->claim, *best = k->computed;
        char money[32], article[64], defn[MARK_LABEL - 64];  /* the label holds them all */
        tr_fmt_money(c->stated_value, money, sizeof(money));
        cut_chars(str_or(c->article, "article"), 34, article, sizeof(article));
        snprintf(mk->label[mk->n], MARK_LABEL, "stated %s (%s)", money, article);
        mk->m[mk->n] = (struct tr_chart_mark){k->x, c->stated_value, mk->label[mk->n], 0,
                                              mk->n + 2};
        mk->n++;
        tr_fmt_money(best->computed_value, money, sizeof(money));
        strip_year(str_or(best->definition, "computed"), c->year, defn, sizeof(defn));
        if (k->same_source)
            snprintf(mk->label[mk->n], MARK_LABEL, "computed %s: %s", money, defn);
        else
            snprintf(mk->label[mk->n], MARK_LABEL, "computed %s: %s [%s]", money, defn,
                     str_or(best->source, "?"));
        mk->m[mk->n] = (struct tr_chart_mark){k->x, best->computed_value, mk->label[mk->n], 1, 0};
        mk->n++;
    }
    return 0;
}

/* Whether every quoted figure is one the source reconciled from both declarations. */
static int reconciled(const struct tr_report *r)
{
    int any = 0;
    for (size_t i = 0; i < r->n_years; i++) {
        if (!isfinite(r->years[i].turnover_best))
            continue;
        if (strcmp(r->years[i].best_side, "reconciled") != 0)
            return 0;
        any = 1;
    }
    return any;
}

/* Why there is no mirror chart: drawn under the trade charts; returns the height. */
static double mirror_absent(const struct doc *d, double top, int draw)
{
    cairo_t *cr = d->cr;
    char buf[800];
    if (strcmp(d->r->source, "baci") == 0 || reconciled(d->r))
        snprintf(buf, sizeof(buf),
                 "Not shown for %s. BACI reconciles the two declarations of every flow (the "
                 "exporter" APOS "s and the importer" APOS "s) into one figure per flow, so "
                 "there is no second declaration to set against the first. Comparing the two "
                 "needs a source that keeps both, such as UN Comtrade.",
                 d->src);
    else
        snprintf(buf, sizeof(buf), "No mirror figures for this pair in these years (%s).",
                 d->src);
    double h = 14;
    if (draw) {
        set_font(cr, 9.5, 1);
        set_hex(cr, C_TEXT);
        text_at(cr, MARGIN, top + 10, LEFT, "Mirror statistics");
    }
    set_font(cr, 8, 0);
    set_hex(cr, C_MUTED);
    return h + paragraph(cr, MARGIN, top + h, CONTENT_W, 11, buf, draw);
}

static int page_trade(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    size_t n = r->n_years ? r->n_years : 1;
    struct labels lab = {0};
    struct marks mk = {0};
    double *v = calloc(5 * n, sizeof(*v));
    int rc = labels_new(&lab, n, e);
    if (!rc && !v)
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for chart data");
    if (!rc)
        rc = turnover_marks(d, &mk, e);
    if (rc)
        goto out;
    for (size_t i = 0; i < r->n_years; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        snprintf(lab.text[i], sizeof(lab.text[i]), "%d", y->year);
        v[0 * n + i] = y->turnover_a;
        v[1 * n + i] = y->turnover_b;
        v[2 * n + i] = y->turnover_best;
        v[3 * n + i] = y->a_exports_to_b;
        v[4 * n + i] = y->b_exports_to_a;
    }

    begin_page(d, "Trade over time");
    double y = page_heading(d, CONTENT_TOP, "Trade over time", NULL);

    char n_a[200], n_b[200], title[400], note[1200], x_a[200], x_b[200], title2[200],
        note2[600];
    /* A reconciled source (BACI) has one figure per flow: one line, named for what it is. */
    int rec = reconciled(r);
    snprintf(n_a, sizeof(n_a), "Turnover as %s reports", d->a_name);
    snprintf(n_b, sizeof(n_b), "Turnover as %s reports", d->b_name);
    const char *names[] = {n_a, n_b, rec ? "Turnover (reconciled by the source)" : "Best figure"};
    const double *vals[] = {v, v + n, v + 2 * n};
    struct tr_chart_series ser[3];
    size_t ns = rec ? add_series(ser, names + 2, vals + 2, 1, r->n_years)
                    : add_series(ser, names, vals, 3, r->n_years);
    size_t band = 0;  /* the quoted figure: a pale band under the two declarations */
    for (size_t i = 0; ns > 1 && i < ns; i++)  /* alone, it is just a line */
        if (ser[i].y == vals[2])
            band = i + 1;
    snprintf(title, sizeof(title), "Turnover by year, %s", d->pair);
    size_t off = 0;
    if (rec)
        append(note, sizeof(note), &off,
               "Turnover = exports + imports between %s and %s, one figure per flow that the "
               "source reconciled from both countries" APOS " declarations. Gaps: not reported. ",
               d->a_name, d->b_name);
    else
        append(note, sizeof(note), &off,
               "Turnover = exports + imports between %s and %s as one country declares them. "
               "Best figure = the turnover this briefing quotes (whose declaration: see Key "
               "figures). Gaps: not reported. ",
               d->a_name, d->b_name);
    if (mk.n > 0)
        append(note, sizeof(note), &off,
               "Diamonds: a turnover figure stated in an article (hollow) and the figure "
               "computed from the data that it is checked against (filled; see Claim checks). ");
    append(note, sizeof(note), &off, "Current US$. Source: %s.", d->src);
    struct tr_chart c1 = {
        .kind = TR_CHART_LINE, .title = title, .x_label = "Year",
        .y_label = "US$, current prices", .note = note, .n_x = r->n_years,
        .x_labels = lab.ptr, .n_series = ns, .series = ser, .n_marks = mk.n, .marks = mk.m,
        .y_money = 1, .highlight = band,
        .mark_names = {"stated in an article", "computed from the data"},
    };

    snprintf(x_a, sizeof(x_a), rec ? "%s exports to %s" : "%s exports to %s, as %s reports",
             d->a, d->b, d->a);
    snprintf(x_b, sizeof(x_b), rec ? "%s exports to %s" : "%s exports to %s, as %s reports",
             d->b, d->a, d->b);
    const char *names2[] = {x_a, x_b};
    const double *vals2[] = {v + 3 * n, v + 4 * n};
    struct tr_chart_series ser2[2];
    size_t ns2 = add_series(ser2, names2, vals2, 2, r->n_years);
    snprintf(title2, sizeof(title2),
             rec ? "Exports in each direction" : "Exports in each direction, as the exporter "
                                                 "reports");
    snprintf(note2, sizeof(note2),
             "%s The difference between the two columns is the bilateral balance. Gaps: not "
             "reported. Current US$. Source: %s.",
             rec ? "Each country" APOS "s exports to the other, valued FOB, as the source "
                   "reconciled them."
                 : "Each country" APOS "s exports to the other as that country declares them "
                   "(exports are valued FOB).",
             d->src);
    struct tr_chart c2 = {
        .kind = TR_CHART_COLUMNS, .title = title2, .x_label = "Year",
        .y_label = "US$, current prices", .note = note2, .n_x = r->n_years,
        .x_labels = lab.ptr, .n_series = ns2, .series = ser2, .y_money = 1,
    };

    /* Without mirror figures, a paragraph says why, under the charts. */
    double foot = r->n_mirror == 0 ? mirror_absent(d, 0, 0) + 22 : 0;
    const double avail = CONTENT_BOTTOM - foot - y - 26;
    double h1 = avail * 0.55;
    if ((rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, h1, &c1, e)))
        goto out;
    if ((rc = tr_chart_draw(d->cr, MARGIN, y + h1 + 26, CONTENT_W, avail - h1, &c2, e)))
        goto out;
    if (r->n_mirror == 0)
        mirror_absent(d, CONTENT_BOTTOM - foot + 22, 1);
    rc = end_page(d, e);
out:
    labels_free(&lab);
    free(mk.m);
    free(mk.label);
    free(v);
    return rc;
}

/* ---- composition by HS section ----------------------------------------------------------- */

/* One exporter's composition chart, drawn from the briefing's figures. */
struct comp {
    const struct tr_brief_comp *m;
    double v[2][TR_BRIEF_COMP_CATS];
    char ser_name[2][16], title[400], y_label[200], note[1400];
    struct tr_chart_series ser[2];
    struct tr_chart c;
};

/* Builds the chart of the briefing's composition m. */
static void comp_build(const struct doc *d, const struct tr_brief_comp *m, struct comp *k)
{
    memset(k, 0, sizeof(*k));
    k->m = m;
    const char *exporter = m->exporter, *importer = m->importer;
    int base = m->years[0], latest = m->years[1];
    size_t n_ser = m->n_years;
    memcpy(k->v, m->share, sizeof(k->v));
    const char *ex = country_name(d, exporter), *im = country_name(d, importer);
    char t0[32], t1[32];
    tr_fmt_money(m->total[0], t0, sizeof(t0));
    tr_fmt_money(m->total[n_ser - 1], t1, sizeof(t1));
    for (size_t s = 0; s < n_ser; s++) {
        snprintf(k->ser_name[s], sizeof(k->ser_name[s]), "%d", m->years[s]);
        k->ser[s].name = k->ser_name[s];
        k->ser[s].y = k->v[s];
    }
    if (n_ser == 2)
        snprintf(k->title, sizeof(k->title), "What %s exports to %s, by HS section, %d and %d",
                 ex, im, base, latest);
    else
        snprintf(k->title, sizeof(k->title), "What %s exports to %s, by HS section, %d", ex,
                 im, base);
    snprintf(k->y_label, sizeof(k->y_label), "%% of %s" APOS "s exports to %s", exporter,
             importer);
    size_t off = 0;
    append(k->note, sizeof(k->note), &off,
           "Share of each HS section in %s" APOS "s goods exports to %s, %% of the year" APOS
           "s total (",
           ex, im);
    if (n_ser == 2)
        append(k->note, sizeof(k->note), &off, "%d: %s; %d: %s). ", base, t0, latest, t1);
    else
        append(k->note, sizeof(k->note), &off, "%d: %s). ", base, t0);
    if (n_ser == 2 && base != d->bf->baseline_year)
        append(k->note, sizeof(k->note), &off, "%s ", d->bf->comp_note);
    if (m->n_codes > m->n_cat)
        append(k->note, sizeof(k->note), &off,
               "The %d largest sections of %d are shown; Other sections = the rest. ",
               TR_BRIEF_COMP_SHOWN, latest);
    append(k->note, sizeof(k->note), &off,
           "Not specified = the part of the total the product detail does not cover. Shares "
           "are built from the coarsest HS level the data has (chapters where present), "
           "latest HS revision of each year. Source: %s.",
           d->src);
    k->c = (struct tr_chart){
        .kind = TR_CHART_COLUMNS, .title = k->title, .x_label = "HS section (short names)",
        .y_label = k->y_label, .note = k->note, .n_x = m->n_cat, .x_labels = m->cat,
        .n_series = n_ser, .series = k->ser, .y_percent = 1,
    };
}

static int page_composition(struct doc *d, struct tr_err *e)
{
    struct comp *k = calloc(2, sizeof(*k));
    if (!k)
        return tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the composition charts");
    const struct tr_chart *charts[2];
    size_t n = 0;
    for (; n < d->bf->n_comp; n++) {
        comp_build(d, &d->bf->comp[n], &k[n]);
        charts[n] = &k[n].c;
    }
    int rc = 0;
    if (n > 0) {
        begin_page(d, "What is traded");
        char sub[500];
        snprintf(sub, sizeof(sub), "Each country" APOS "s exports to the other by section of "
                 "the Harmonized System (HS): %s", d->bf->comp_note);
        double y = page_heading(d, CONTENT_TOP, "What is traded", sub);
        rc = chart_stack(d, y, charts, NULL, n, e);
        if (!rc)
            rc = end_page(d, e);
    }
    free(k);
    return rc;
}

/* ---- mirror statistics ------------------------------------------------------------------- */

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* Sorted distinct values of ys[0..n); returns how many are left. */
static size_t unique_ints(int *ys, size_t n)
{
    qsort(ys, n, sizeof(*ys), cmp_int);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || ys[m - 1] != ys[i])
            ys[m++] = ys[i];
    return m;
}

static size_t find_int(const int *ys, size_t n, int v)
{
    size_t i = 0;
    while (i < n && ys[i] != v)
        i++;
    return i;
}

/* One direction of trade declared twice: values per year as the exporter and as the importer
 * declares it, and the ratio import side / export side. */
struct mirror_dir {
    const char *from, *to;
    double *exp, *imp, *ratio;
    char n_exp[160], n_imp[160], title[300], note[1400];
    struct tr_chart_series ser[2];
    struct tr_chart c;
};

static void mirror_chart(const struct doc *d, struct mirror_dir *m, const int *ys, size_t ny,
                         const char *const *labels)
{
    snprintf(m->n_exp, sizeof(m->n_exp), "As %s declares its exports (FOB)", m->from);
    snprintf(m->n_imp, sizeof(m->n_imp), "As %s declares its imports (CIF)", m->to);
    const char *names[] = {m->n_exp, m->n_imp};
    const double *vals[] = {m->exp, m->imp};
    size_t ns = add_series(m->ser, names, vals, 2, ny);
    snprintf(m->title, sizeof(m->title), "%s" APOS "s exports to %s, declared by both sides",
             country_name(d, m->from), country_name(d, m->to));
    size_t off = 0;
    append(m->note, sizeof(m->note), &off,
           "The same goods as the exporter declares them (FOB: valued at its border) and as the "
           "importer declares them (CIF: with freight and insurance, so usually somewhat "
           "higher). Import side / export side:");
    size_t first = ny > 12 ? ny - 12 : 0;
    if (first > 0)
        append(m->note, sizeof(m->note), &off, " " ELLIPSIS);
    for (size_t i = first; i < ny; i++) {
        if (isfinite(m->ratio[i]))
            append(m->note, sizeof(m->note), &off, " %d %.2f%s", ys[i], m->ratio[i],
                   i + 1 < ny ? "," : ".");
        else
            append(m->note, sizeof(m->note), &off, " %d " EN_DASH "%s", ys[i],
                   i + 1 < ny ? "," : ".");
    }
    append(m->note, sizeof(m->note), &off,
           " Between 0.95 and 1.15 is within the usual CIF/FOB margin. Gaps: that side did "
           "not declare its trade with the other. Current US$. Source: %s.",
           d->src);
    m->c = (struct tr_chart){
        .kind = TR_CHART_LINE, .title = m->title, .x_label = "Year",
        .y_label = "US$, current prices", .note = m->note, .n_x = ny, .x_labels = labels,
        .n_series = ns, .series = m->ser, .y_money = 1,
    };
}

static int page_mirror(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    if (r->n_mirror == 0)
        return 0;  /* the trade page says why */
    int rc = 0;
    size_t n = r->n_mirror;
    struct labels lab = {0};
    int *ys = calloc(n, sizeof(*ys));
    double *v = malloc(6 * n * sizeof(*v));
    struct mirror_dir *m = calloc(2, sizeof(*m));
    if ((rc = labels_new(&lab, n, e)))
        goto out;
    if (!ys || !v || !m) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the mirror charts");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ys[i] = r->mirror[i].year;
    size_t ny = unique_ints(ys, n);
    for (size_t i = 0; i < 6 * n; i++)
        v[i] = NAN;
    for (int k = 0; k < 2; k++) {
        m[k].from = k == 0 ? d->a : d->b;
        m[k].to = k == 0 ? d->b : d->a;
        m[k].exp = v + (size_t)(3 * k) * n;
        m[k].imp = v + (size_t)(3 * k + 1) * n;
        m[k].ratio = v + (size_t)(3 * k + 2) * n;
    }
    for (size_t i = 0; i < ny; i++)
        snprintf(lab.text[i], sizeof(lab.text[i]), "%d", ys[i]);
    for (size_t i = 0; i < n; i++) {
        const struct tr_mirror_row *row = &r->mirror[i];
        int x = strcmp(row->flow, "X") == 0, is_a = strcmp(row->reporter, d->a) == 0;
        if ((!x && strcmp(row->flow, "M") != 0) || (!is_a && strcmp(row->reporter, d->b) != 0))
            continue;
        /* The reporter's exports are the A->B leg when A reports; its imports the other. */
        struct mirror_dir *dir = &m[(is_a == x) ? 0 : 1];
        double exp = x ? row->reported_usd : row->mirror_usd;
        double imp = x ? row->mirror_usd : row->reported_usd;
        size_t yi = find_int(ys, ny, row->year);
        if (!isfinite(dir->exp[yi]))
            dir->exp[yi] = exp;
        if (!isfinite(dir->imp[yi]))
            dir->imp[yi] = imp;
        if (!isfinite(dir->ratio[yi]))
            dir->ratio[yi] = row->ratio;
    }
    const struct tr_chart *charts[2];
    size_t nc = 0;
    for (int k = 0; k < 2; k++) {
        mirror_chart(d, &m[k], ys, ny, lab.ptr);
        if (m[k].c.n_series > 0)
            charts[nc++] = &m[k].c;
    }
    if (nc > 0) {
        begin_page(d, "Mirror statistics");
        double y = page_heading(d, CONTENT_TOP, "Mirror statistics",
                                "Every flow between the two countries is declared twice: by the "
                                "exporter and, as a mirror, by the importer. A gap wider than "
                                "freight and insurance points to timing, goods routed through "
                                "third countries, or trade one side leaves out or books "
                                "elsewhere.");
        if (!(rc = chart_stack(d, y, charts, NULL, nc, e)))
            rc = end_page(d, e);
    }
out:
    labels_free(&lab);
    free(ys);
    free(v);
    free(m);
    return rc;
}

/* ---- tariff coverage (not wired yet) ----------------------------------------------------- */

/* One importer's tariff on the other's goods in one year. struct tr_report has no tariff
 * figures yet: when it does (fact_tariff, sql/0004_tariff.sql), fill these rows from it and
 * pass them to page_tariff_coverage() in render(). Until then the section draws nothing. */
struct tariff_year {
    int year;
    char importer[8];          /* whose tariff: r->a or r->b */
    double pref_lines_pct;     /* % of HS6 lines where the preferential rate is below MFN */
};

static int page_tariff_coverage(struct doc *d, const struct tariff_year *t, size_t n,
                                struct tr_err *e)
{
    if (n == 0)
        return 0;  /* no data: no chart */
    int rc = 0;
    struct labels lab = {0};
    int *ys = calloc(n, sizeof(*ys));
    double *v = malloc(2 * n * sizeof(*v));
    if ((rc = labels_new(&lab, n, e)))
        goto out;
    if (!ys || !v) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the tariff chart");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ys[i] = t[i].year;
    size_t ny = unique_ints(ys, n);
    for (size_t i = 0; i < 2 * n; i++)
        v[i] = NAN;
    for (size_t i = 0; i < ny; i++)
        snprintf(lab.text[i], sizeof(lab.text[i]), "%d", ys[i]);
    for (size_t i = 0; i < n; i++) {
        int k = strcmp(t[i].importer, d->a) == 0 ? 0 : strcmp(t[i].importer, d->b) == 0 ? 1 : -1;
        if (k >= 0)
            v[(size_t)k * n + find_int(ys, ny, t[i].year)] = t[i].pref_lines_pct;
    }
    char n_a[200], n_b[200], title[360], note[800];
    snprintf(n_a, sizeof(n_a), "%s" APOS "s tariff on goods from %s", d->a, d->b);
    snprintf(n_b, sizeof(n_b), "%s" APOS "s tariff on goods from %s", d->b, d->a);
    const char *names[] = {n_a, n_b};
    const double *vals[] = {v, v + n};
    struct tr_chart_series ser[2];
    size_t ns = add_series(ser, names, vals, 2, ny);
    snprintf(title, sizeof(title), "Tariff lines with a preference, %s", d->pair);
    snprintf(note, sizeof(note),
             "Share of the importer" APOS "s HS six-digit tariff lines where the preferential "
             "rate for the partner is below the MFN rate, %%. Source: WITS/TRAINS.");
    struct tr_chart c = {
        .kind = TR_CHART_COLUMNS, .title = title, .x_label = "Year",
        .y_label = "% of tariff lines", .note = note, .n_x = ny, .x_labels = lab.ptr,
        .n_series = ns, .series = ser, .y_percent = 1,
    };
    begin_page(d, "Tariff coverage");
    double y = page_heading(d, CONTENT_TOP, "Tariff coverage", NULL);
    if (!(rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, (CONTENT_BOTTOM - y) * 0.55, &c, e)))
        rc = end_page(d, e);
out:
    labels_free(&lab);
    free(ys);
    free(v);
    return rc;
}

/* ---- CHPL goods by destination ----------------------------------------------------------- */

/* The route countries v_basket_flows watches, in its order. */
static const struct {
    const char *code, *name;
} routes[] = {
    {"CHN", "China"},      {"TUR", "T\xC3\xBCrkiye"}, {"ARE", "UAE"},   {"KAZ", "Kazakhstan"},
    {"KGZ", "Kyrgyzstan"}, {"ARM", "Armenia"},         {"other", "Other"},
};
#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))
#define BASKET_CATS 16   /* tiers (6) or routes (7), with room to spare */

struct basket_chart {
    size_t n_cat;
    char cat[BASKET_CATS][24];
    const char *cat_ptr[BASKET_CATS];
    double v[2][BASKET_CATS];
    char ser_name[2][16], title[300], note[1200];
    struct tr_chart_series ser[2];
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
    if (j == k->n_cat && k->n_cat < BASKET_CATS)
        snprintf(k->cat[k->n_cat++], sizeof(k->cat[0]), "%s", name);
    return j;
}

/* Fills the tier chart (by_route 0: exporter 'all', by tier) or the route chart (by_route 1:
 * each route's exports of every tier) for dest, years base and latest. A category with no
 * row in a year that has rows is 0: nothing of it was shipped. */
static void basket_chart(const struct doc *d, const char *dest, int by_route, int base,
                         int latest, struct basket_chart *k)
{
    const struct tr_report *r = d->r;
    size_t n_ser = base == latest ? 1 : 2;
    memset(k, 0, sizeof(*k));
    if (by_route)
        for (size_t j = 0; j < N_ROUTES; j++)
            basket_cat(k, routes[j].code);
    /* Every tier met for any destination, so that the destinations' pages compare. */
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *b = &r->baskets[i];
        if (!by_route && strcmp(b->declared_by, "exporter") == 0 &&
            strcmp(b->exporter, "all") == 0)
            basket_cat(k, b->tier);
    }
    if (!by_route)  /* tiers in their natural order: 1, 2, 3.A ... */
        for (size_t a = 1; a < k->n_cat; a++)
            for (size_t p = a; p > 0 && strcmp(k->cat[p - 1], k->cat[p]) > 0; p--) {
                char t[24];
                memcpy(t, k->cat[p], sizeof(t));
                memcpy(k->cat[p], k->cat[p - 1], sizeof(t));
                memcpy(k->cat[p - 1], t, sizeof(t));
            }
    int has[2] = {0, 0};
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *b = &r->baskets[i];
        if (!basket_row_used(b, dest) || (strcmp(b->exporter, "all") == 0) == by_route)
            continue;
        size_t s = b->year == latest && n_ser == 2 ? 1 : b->year == base ? 0 : 2;
        if (s == 2 || !isfinite(b->value_usd))
            continue;
        size_t j = basket_cat(k, by_route ? b->exporter : b->tier);
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
        for (size_t q = 0; by_route && q < N_ROUTES; q++)
            if (strcmp(k->cat[j], routes[q].code) == 0)
                k->cat_ptr[j] = routes[q].name;
    }
    for (size_t s = 0; s < n_ser; s++) {
        snprintf(k->ser_name[s], sizeof(k->ser_name[s]), "%d", s == 0 ? base : latest);
        k->ser[s].name = k->ser_name[s];
        k->ser[s].y = k->v[s];
    }
    const char *dn = country_name(d, dest);
    size_t off = 0;
    if (by_route) {
        snprintf(k->title, sizeof(k->title), "CHPL goods shipped to %s, by exporter", dn);
        append(k->note, sizeof(k->note), &off,
               "Each route country" APOS "s own declared exports to %s of CHPL goods, all "
               "tiers together; Other = every other exporter. ",
               dn);
    } else {
        snprintf(k->title, sizeof(k->title), "CHPL goods shipped to %s, by tier", dn);
        append(k->note, sizeof(k->note), &off,
               "Tiers: 1 integrated circuits; 2 electronics for communication and navigation, "
               "capacitors; 3.A other electronic components; 3.B bearings, aircraft parts, "
               "optics, navigation instruments; 4.A equipment to make and test electronics; "
               "4.B machine tools for metal. Values: every exporter" APOS "s declared exports "
               "to %s. ",
               dn);
    }
    if (n_ser == 2 && base != TR_BASELINE_YEAR)
        append(k->note, sizeof(k->note), &off, "%d, the baseline year, is %s: the first year "
               "is set against the latest. ", TR_BASELINE_YEAR,
               latest == TR_BASELINE_YEAR ? "the latest year here" : "not in the data");
    append(k->note, sizeof(k->note), &off, "Current US$. Source: %s.", d->src);
    k->c = (struct tr_chart){
        .kind = TR_CHART_COLUMNS, .title = k->title,
        .x_label = by_route ? "Exporter" : "CHPL tier", .y_label = "US$, current prices",
        .note = k->note, .n_x = k->n_cat, .x_labels = k->cat_ptr, .n_series = n_ser,
        .series = k->ser, .y_money = 1,
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
    int base, latest;
    if (!tr_briefing_basket_years(r, dest, &base, &latest))
        goto out;
    basket_chart(d, dest, 0, base, latest, &k[0]);
    basket_chart(d, dest, 1, base, latest, &k[1]);
    const struct tr_chart *charts[] = {&k[0].c, &k[1].c};
    char title[300], outl[300];
    snprintf(title, sizeof(title), "High-priority goods to %s", country_name(d, dest));
    snprintf(outl, sizeof(outl), "CHPL goods to %s", country_name(d, dest));
    begin_page(d, outl);
    double y = page_heading(
        d, CONTENT_TOP, title,
        "Goods on the Common High Priority List (CHPL: dual-use items found in Russian weapons, "
        "listed by the US, EU, UK and Japan), shipped to the destination by every exporter. "
        "The list is in HS2022; years reported in HS2017 are matched through a conversion "
        "table: 854810 and 854890 " "\xE2\x86\x92" " 854800, 852580 " "\xE2\x86\x92"
        " 852589 (all of it counted: a small overstatement), 880330 " "\xE2\x86\x92"
        " 880730, 854150 " "\xE2\x86\x92" " 854159. HS2017 has no match for 854149, which "
        "those years miss.");
    if (!(rc = chart_stack(d, y, charts, NULL, 2, e)))
        rc = end_page(d, e);
out:
    free(k);
    return rc;
}

static int pages_baskets(struct doc *d, struct tr_err *e)
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

#define MONTHLY_SERIES 4   /* each side's exports and imports */

static int page_monthly(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    if (r->n_monthly == 0)
        return 0;
    int rc = 0;
    size_t n = r->n_monthly;
    struct labels lab = {0};
    int *ms = calloc(n, sizeof(*ms));
    double *v = malloc(3 * MONTHLY_SERIES * n * sizeof(*v));
    if ((rc = labels_new(&lab, n, e)))
        goto out;
    if (!ms || !v) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the monthly charts");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ms[i] = r->monthly[i].year * 12 + r->monthly[i].month - 1;
    size_t nm = unique_ints(ms, n);
    for (size_t i = 0; i < nm; i++)
        snprintf(lab.text[i], sizeof(lab.text[i]), "%04d-%02d", ms[i] / 12, ms[i] % 12 + 1);
    for (size_t i = 0; i < 3 * MONTHLY_SERIES * n; i++)
        v[i] = NAN;

    /* Series: (reporter, flow) in the order met; values r12, then value, then YTD growth. */
    char key[MONTHLY_SERIES][24], name[MONTHLY_SERIES][200];
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
                     x ? "exports to" : strcmp(row->flow, "M") == 0 ? "imports from" : row->flow,
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
    const char *names[MONTHLY_SERIES];
    const double *r12[MONTHLY_SERIES], *val[MONTHLY_SERIES], *ytd[MONTHLY_SERIES];
    for (size_t s = 0; s < ns; s++) {
        names[s] = name[s];
        r12[s] = v + (0 * MONTHLY_SERIES + s) * n;
        val[s] = v + (1 * MONTHLY_SERIES + s) * n;
        ytd[s] = v + (2 * MONTHLY_SERIES + s) * n;
    }
    struct tr_chart_series s1[MONTHLY_SERIES], s2[MONTHLY_SERIES];
    size_t n1 = add_series(s1, names, r12, ns, nm);
    int rolling = n1 > 0;
    if (!rolling)  /* under 12 months of data: the months themselves */
        n1 = add_series(s1, names, val, ns, nm);
    size_t n2 = add_series(s2, names, ytd, ns, nm);
    /* Both charts start at the first month either has a value for, so they line up. */
    size_t skip = leading_gap(s1, n1, nm), skip2 = leading_gap(s2, n2, nm);
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
        .title = rolling ? "Trade over the last 12 months, month by month"
                         : "Trade by month",
        .x_label = "Month", .y_label = "US$, current prices", .note = note1, .n_x = nm - skip,
        .x_labels = lab.ptr + skip, .n_series = n1, .series = s1, .y_money = 1,
    };
    struct tr_chart c2 = {
        .kind = TR_CHART_LINE, .title = "Year-to-date change on a year earlier",
        .x_label = "Month", .y_label = "% change", .note = note2, .n_x = nm - skip,
        .x_labels = lab.ptr + skip, .n_series = n2, .series = s2, .y_percent = 1,
    };
    const struct tr_chart *charts[] = {&c1, &c2};
    if (n1 > 0) {
        begin_page(d, "Monthly trade");
        double y = page_heading(d, CONTENT_TOP, "Monthly trade",
                                "The latest months, before a full year is published.");
        if (!(rc = chart_stack(d, y, charts, NULL, n2 > 0 ? 2 : 1, e)))
            rc = end_page(d, e);
    }
out:
    labels_free(&lab);
    free(ms);
    free(v);
    return rc;
}

/* ---- the document ------------------------------------------------------------------------ */

static void doc_init(struct doc *d, cairo_t *cr, cairo_surface_t *s,
                     const struct tr_briefing *bf)
{
    const struct tr_report *r = bf->r;
    memset(d, 0, sizeof(*d));
    d->cr = cr;
    d->surface = s;
    d->r = r;
    d->bf = bf;
    d->a = *r->a ? r->a : "A";
    d->b = *r->b ? r->b : "B";
    d->a_name = *r->a_name ? r->a_name : d->a;
    d->b_name = *r->b_name ? r->b_name : d->b;
    d->src = *r->source_label ? r->source_label : r->source;
    snprintf(d->pair, sizeof(d->pair), "%s " EN_DASH " %s", d->a_name, d->b_name);
    snprintf(d->period, sizeof(d->period), "%s", d->bf->period);
    d->page = 1;
}

static void set_metadata(cairo_surface_t *s, const struct doc *d)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "Trade briefing: %s, %s", d->pair, d->period);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, buf);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "tradereport");
    snprintf(buf, sizeof(buf), "Bilateral trade figures, %s", d->r->source_label);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, buf);
    snprintf(buf, sizeof(buf), "tradereport %s", d->r->tool_version);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, buf);
    /* A fixed date (SOURCE_DATE_EPOCH upstream) keeps the file byte-for-byte reproducible. */
    if (*d->r->generated_at) {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, d->r->generated_at);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, d->r->generated_at);
    }
}

/* Every page in order; a section without data adds none. */
static int render(struct doc *d, struct tr_err *e)
{
    int rc;
    cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, "Cover", "page=1", 0);
    page_cover(d);
    if ((rc = end_page(d, e)) || (rc = section_key_figures(d, e)) || (rc = page_trade(d, e)) ||
        (rc = page_composition(d, e)) || (rc = page_mirror(d, e)) ||
        (rc = page_tariff_coverage(d, NULL, 0, e)) || (rc = pages_baskets(d, e)) ||
        (rc = page_monthly(d, e)))
        return rc;
    return 0;
}

/* Lays the document out on a PDF surface: the file at path, or with path NULL one that writes
 * nothing. n_pages is the total for the footers (0 while counting); *pages gets the count. */
/* Our own sink for the PDF bytes: Cairo 1.16 does not report a failed fwrite of a file-backed
 * PDF surface, so a full disk would leave a cut file that looks complete. Every write is
 * checked here; the first error is kept and Cairo is always told all went well, so it never
 * enters its own error paths. */
struct pdf_sink {
    FILE *fp;
    int err;              /* errno of the first failed write, 0 if none */
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct pdf_sink *k = closure;
    if (k->fp && !k->err && n && fwrite(data, 1, n, k->fp) != n)
        k->err = errno ? errno : EIO;
    return CAIRO_STATUS_SUCCESS;
}

static int render_to(const struct tr_briefing *bf, const char *path, int n_pages, int *pages,
                     struct tr_err *e)
{
    int rc = 0;
    cairo_t *cr = NULL;
    struct doc d;
    struct pdf_sink sink = {NULL, 0};
    if (path && !(sink.fp = fopen(path, "wb")))
        return tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", path, strerror(errno));
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(path ? sink_write : NULL, &sink,
                                                             PAGE_W, PAGE_H);
    const char *name = path ? path : "(page count)";
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        rc = tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", name,
                        cairo_status_to_string(cairo_surface_status(s)));
        goto out;
    }
    cr = cairo_create(s);
    doc_init(&d, cr, s, bf);
    d.n_pages = n_pages;
    set_metadata(s, &d);
    rc = render(&d, e);
    *pages = d.page - 1;
out:
    if (cr)
        cairo_destroy(cr);
    cairo_surface_finish(s);
    if (!rc && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", name,
                        cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    if (sink.fp) {
        /* fsync is the caller's, once the file is closed (report_write.c, durable.c) */
        if (fflush(sink.fp) != 0 && !sink.err)
            sink.err = errno ? errno : EIO;
        if (fclose(sink.fp) != 0 && !sink.err)
            sink.err = errno ? errno : EIO;
        if (!rc && sink.err)
            rc = tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", path, strerror(sink.err));
    }
    return rc;
}

int tr_pdf_write(const struct tr_report *r, const char *path, struct tr_err *e)
{
    int counted = 0, drawn = 0;
    struct tr_briefing bf;
    int rc = tr_briefing_build(r, &bf, e);
    if (rc)
        return rc;
    /* Count the pages first, so that every footer can say "Page N of M". */
    rc = render_to(&bf, NULL, 0, &counted, e);
    if (!rc)
        rc = render_to(&bf, path, counted, &drawn, e);
    if (!rc && drawn != counted)
        rc = tr_err_set(e, TR_ENOMEM, "pdf '%s': %d pages drawn, %d counted", path, drawn,
                        counted);
    tr_briefing_release(&bf);
    return rc;
}

void tr_pdf_release_caches(void)
{
    cairo_debug_reset_static_data();
}
