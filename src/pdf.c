/*
 * The PDF briefing: an A4 portrait document drawn with Cairo's PDF surface. Page 1 is the
 * cover, then the key-figures table (continued over more pages when the years do not fit),
 * then the charts, drawn by chart.c. Every page is laid out by measuring text, so long names
 * wrap or are cut with an ellipsis instead of running off the page.
 * It reads a filled struct tr_report and writes to the path it is given; the temporary name
 * and rename are the caller's. Fonts are embedded (subset) by Cairo's PDF backend.
 */
#include "tr/pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "tr/chart.h"

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
    const struct tr_report *r;
    const char *a, *b;            /* ISO3 codes, or "A"/"B" when the report has none */
    const char *a_name, *b_name;  /* names, or the codes */
    char pair[300];               /* "Russian Federation – Iran" */
    char period[32];              /* "2019–2022" */
    int page, n_pages;
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

/* "12,345,678" */
static void group_digits(const char *digits, char *out, size_t n)
{
    size_t len = strlen(digits), k = 0;
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && k + 2 < n)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

/* US$ as "$3,070.0m": millions, one decimal, thousands separators; NAN as an en dash. */
static void fmt_musd(double usd, char *buf, size_t n)
{
    if (!isfinite(usd)) {
        snprintf(buf, n, EN_DASH);
        return;
    }
    double m = fabs(usd) / 1e6;
    if (m >= 1e15) {  /* no trade figure is this large; do not print 16 digits */
        snprintf(buf, n, "%s$%.3em", usd < 0 ? "-" : "", m);
        return;
    }
    char raw[64], whole[64];
    snprintf(raw, sizeof(raw), "%.1f", m);
    char *dot = strchr(raw, '.');
    *dot = '\0';
    group_digits(raw, whole, sizeof(whole));
    int neg = usd < 0 && strcmp(raw, "0") + strcmp(dot + 1, "0") != 0;
    snprintf(buf, n, "%s$%.30s.%.1sm", neg ? "-" : "", whole, dot + 1);  /* < 1e15: fits */
}

static void fmt_growth(double pct, char *buf, size_t n)
{
    if (!isfinite(pct))
        snprintf(buf, n, EN_DASH);
    else if (fabs(pct) < 0.05)  /* never "-0.0%" */
        snprintf(buf, n, "0.0%%");
    else
        snprintf(buf, n, "%+.1f%%", pct);
}

static void fmt_count(long v, char *buf, size_t n)
{
    char raw[32];
    snprintf(raw, sizeof(raw), "%ld", v < 0 ? -v : v);
    if (v < 0 && n > 1) {
        buf[0] = '-';
        group_digits(raw, buf + 1, n - 1);
    } else {
        group_digits(raw, buf, n);
    }
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
        fmt_count(s->rows_loaded, buf, sizeof(buf));
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
    case 1: fmt_musd(y->a_exports_to_b, buf, n); break;
    case 2: fmt_musd(y->a_imports_from_b, buf, n); break;
    case 3: fmt_musd(y->b_exports_to_a, buf, n); break;
    case 4: fmt_musd(y->b_imports_from_a, buf, n); break;
    case 5: fmt_musd(y->turnover_a, buf, n); break;
    case 6: fmt_musd(y->turnover_b, buf, n); break;
    case 7: fmt_musd(y->turnover_best, buf, n); break;
    case 8:
        snprintf(buf, n, "%s",
                 isfinite(y->turnover_best) && *y->best_side ? side_label(d, y->best_side)
                                                              : EN_DASH);
        break;
    default: fmt_growth(y->growth_pct, buf, n); break;
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

static void page_key_figures(const struct doc *d, const struct table *t, size_t page)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    char buf[CELL_MAX];

    running_header(d);
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
    paragraph(cr, MARGIN, y + 14, CONTENT_W, 10, t->note, 1);
}

/* ---- last page: charts ------------------------------------------------------------------- */

struct chart_data {
    char (*labels)[12];
    const char **label_ptr;
    double *v;   /* 5 columns of n_years: turnover A, B, best, A exports, B exports */
};

static int chart_data_new(const struct tr_report *r, struct chart_data *cd, struct tr_err *e)
{
    size_t n = r->n_years ? r->n_years : 1;
    cd->labels = calloc(n, sizeof(*cd->labels));
    cd->label_ptr = calloc(n, sizeof(*cd->label_ptr));
    cd->v = calloc(5 * n, sizeof(*cd->v));
    if (!cd->labels || !cd->label_ptr || !cd->v)
        return tr_err_set(e, TR_ENOMEM, "pdf: out of memory for chart data");
    for (size_t i = 0; i < r->n_years; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        snprintf(cd->labels[i], sizeof(cd->labels[i]), "%d", y->year);
        cd->label_ptr[i] = cd->labels[i];
        cd->v[0 * n + i] = y->turnover_a;
        cd->v[1 * n + i] = y->turnover_b;
        cd->v[2 * n + i] = y->turnover_best;
        cd->v[3 * n + i] = y->a_exports_to_b;
        cd->v[4 * n + i] = y->b_exports_to_a;
    }
    return 0;
}

static void chart_data_free(struct chart_data *cd)
{
    free(cd->labels);
    free(cd->label_ptr);
    free(cd->v);
}

static int any_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
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

static int page_charts(const struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    struct chart_data cd = {0};
    int rc = chart_data_new(r, &cd, e);
    if (rc)
        goto out;
    size_t n = r->n_years ? r->n_years : 1;
    const char *src = *r->source_label ? r->source_label : r->source;

    running_header(d);
    double y = page_heading(d, CONTENT_TOP, "Trade over time", NULL);

    char n_a[200], n_b[200], title[400], note[1000];
    snprintf(n_a, sizeof(n_a), "Turnover as %s reports", d->a_name);
    snprintf(n_b, sizeof(n_b), "Turnover as %s reports", d->b_name);
    const char *names[] = {n_a, n_b, "Best figure"};
    const double *vals[] = {cd.v, cd.v + n, cd.v + 2 * n};
    struct tr_chart_series ser[3];
    size_t ns = add_series(ser, names, vals, 3, r->n_years);
    size_t band = 0;  /* the quoted figure: a pale band under the two declarations */
    for (size_t i = 0; ns > 1 && i < ns; i++)  /* alone, it is just a line */
        if (ser[i].y == vals[2])
            band = i + 1;
    snprintf(title, sizeof(title), "Turnover by year, %s", d->pair);
    snprintf(note, sizeof(note),
             "Turnover = exports + imports between %s and %s as one country declares them. "
             "Best figure = the turnover this briefing quotes (whose declaration: see Key "
             "figures). Gaps: not reported. Current US$. Source: %s.",
             d->a_name, d->b_name, src);
    struct tr_chart c = {
        .kind = TR_CHART_LINE, .title = title, .y_label = "US$, current prices", .note = note,
        .n_x = r->n_years, .x_labels = cd.label_ptr, .n_series = ns, .series = ser,
        .y_money = 1, .highlight = band,
    };
    double h1 = 330;
    rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, h1, &c, e);
    if (rc)
        goto out;
    y += h1 + 30;

    char x_a[200], x_b[200];
    snprintf(x_a, sizeof(x_a), "%s exports to %s, as %s reports", d->a, d->b, d->a);
    snprintf(x_b, sizeof(x_b), "%s exports to %s, as %s reports", d->b, d->a, d->b);
    const char *names2[] = {x_a, x_b};
    const double *vals2[] = {cd.v + 3 * n, cd.v + 4 * n};
    struct tr_chart_series ser2[2];
    size_t ns2 = add_series(ser2, names2, vals2, 2, r->n_years);
    snprintf(title, sizeof(title), "Exports in each direction, as the exporter reports");
    snprintf(note, sizeof(note),
             "Each country's exports to the other as that country declares them (exports are "
             "valued FOB). The difference between the two columns is the bilateral balance. "
             "Gaps: not reported. Current US$. Source: %s.",
             src);
    struct tr_chart c2 = {
        .kind = TR_CHART_COLUMNS, .title = title, .y_label = "US$, current prices", .note = note,
        .n_x = r->n_years, .x_labels = cd.label_ptr, .n_series = ns2, .series = ser2,
        .y_money = 1,
    };
    rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, CONTENT_BOTTOM - y, &c2, e);
out:
    chart_data_free(&cd);
    return rc;
}

/* ---- the document ------------------------------------------------------------------------ */

static void doc_init(struct doc *d, cairo_t *cr, const struct tr_report *r)
{
    d->cr = cr;
    d->r = r;
    d->a = *r->a ? r->a : "A";
    d->b = *r->b ? r->b : "B";
    d->a_name = *r->a_name ? r->a_name : d->a;
    d->b_name = *r->b_name ? r->b_name : d->b;
    snprintf(d->pair, sizeof(d->pair), "%s " EN_DASH " %s", d->a_name, d->b_name);
    int from = r->from_year, to = r->to_year;
    if ((from == 0 || to == 0) && r->n_years > 0) {
        from = r->years[0].year;
        to = r->years[r->n_years - 1].year;
    }
    if (from == 0 && to == 0)
        snprintf(d->period, sizeof(d->period), "no data");
    else if (from == to)
        snprintf(d->period, sizeof(d->period), "%d", from);
    else
        snprintf(d->period, sizeof(d->period), "%d" EN_DASH "%d", from, to);
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

int tr_pdf_write(const struct tr_report *r, const char *path, struct tr_err *e)
{
    int rc = 0;
    cairo_t *cr = NULL;
    struct doc d;
    struct table t;
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        rc = tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", path,
                        cairo_status_to_string(cairo_surface_status(s)));
        goto out;
    }
    cr = cairo_create(s);
    doc_init(&d, cr, r);
    set_metadata(s, &d);

    table_layout(&d, &t);
    d.n_pages = 1 + (int)t.n_pages + 1;

    page_cover(&d);
    if ((rc = end_page(&d, e)))
        goto out;
    for (size_t p = 0; p < t.n_pages; p++) {
        page_key_figures(&d, &t, p);
        if ((rc = end_page(&d, e)))
            goto out;
    }
    if ((rc = page_charts(&d, e)))
        goto out;
    if ((rc = end_page(&d, e)))
        goto out;

out:
    if (cr)
        cairo_destroy(cr);
    cairo_surface_finish(s);
    if (!rc && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = tr_err_set(e, TR_EIO, "cannot write PDF '%s': %s", path,
                        cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    return rc;
}
