/*
 * The PDF briefing's text pages: the cover (pair, period, source, the files behind the
 * figures), the key figures table (continued over more pages when the years do not fit) and
 * the claim checks. Figures and verdicts come as the briefing formatted them (briefing.c).
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

/* ---- page 1: cover ----------------------------------------------------------------------- */

/* A label in the left column and a wrapped value beside it; returns the height used. */
static double cover_field(cairo_t *cr, double top, const char *label, const char *value)
{
    const double key_w = 96, lh = 14;
    pdf_set_font(cr, 8.5, 1);
    pdf_set_hex(cr, C_MUTED);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    pdf_text_at(cr, MARGIN, top + fe.ascent + 0.8, LEFT, label);
    pdf_set_font(cr, 10, 0);
    pdf_set_hex(cr, C_TEXT);
    double h = pdf_paragraph(cr, MARGIN + key_w, top, CONTENT_W - key_w, lh, value, 1);
    return (h > lh ? h : lh) + 5;
}

static double cover_sources(const struct doc *d, double top)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    const double rows_w = 64, rel_w = 92, lh = 14;
    const double file_w = CONTENT_W - rows_w - rel_w - 12;
    char buf[512], fitted[512];

    pdf_set_font(cr, 11, 1);
    pdf_set_hex(cr, C_TEXT);
    pdf_text_at(cr, MARGIN, top + 11, LEFT, "Source files");
    top += 22;
    if (r->n_sources == 0) {
        pdf_set_font(cr, 9, 0);
        pdf_set_hex(cr, C_MUTED);
        pdf_text_at(cr, MARGIN, top + 9, LEFT, "No source files are recorded for these figures.");
        return top + lh;
    }

    pdf_set_font(cr, 8, 1);
    pdf_set_hex(cr, C_MUTED);
    pdf_text_at(cr, MARGIN, top + 8, LEFT, "File");
    pdf_text_at(cr, MARGIN + file_w + 12, top + 8, LEFT, "Release");
    pdf_text_at(cr, PAGE_W - MARGIN, top + 8, RIGHT, "Rows loaded");
    top += 12;
    pdf_set_hex(cr, C_RULE);
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
    pdf_set_font(cr, 8.5, 0);
    for (size_t i = 0; i < shown; i++) {
        const struct tr_source_file *s = &r->sources[i];
        double base = top + 10.5;
        pdf_set_hex(cr, C_TEXT);
        pdf_fit_text_middle(cr, s->file_name ? s->file_name : "", file_w, fitted, sizeof(fitted));
        pdf_text_at(cr, MARGIN, base, LEFT, fitted);
        pdf_set_hex(cr, C_MUTED);
        pdf_fit_text(cr, s->release && *s->release ? s->release : EN_DASH, rel_w, fitted,
                     sizeof(fitted));
        pdf_text_at(cr, MARGIN + file_w + 12, base, LEFT, fitted);
        pdf_set_hex(cr, C_TEXT);
        tr_fmt_count(s->rows_loaded, buf, sizeof(buf));
        pdf_text_at(cr, PAGE_W - MARGIN, base, RIGHT, buf);
        top += lh;
    }
    if (shown < r->n_sources) {
        pdf_set_hex(cr, C_MUTED);
        snprintf(buf, sizeof(buf),
                 ELLIPSIS " and %zu more files (tradereport loads lists them all)",
                 r->n_sources - shown);
        pdf_text_at(cr, MARGIN, top + 10.5, LEFT, buf);
        top += lh;
    }
    pdf_set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, top + 3);
    cairo_line_to(cr, PAGE_W - MARGIN, top + 3);
    cairo_stroke(cr);
    return top + 3;
}

void pdf_page_cover(const struct doc *d)
{
    cairo_t *cr = d->cr;
    const struct tr_report *r = d->r;
    char buf[768];

    pdf_set_hex(cr, C_ACCENT);
    cairo_rectangle(cr, MARGIN, 150, 44, 4);
    cairo_fill(cr);

    pdf_set_font(cr, 30, 1);
    pdf_set_hex(cr, C_TEXT);
    pdf_text_at(cr, MARGIN, 196, LEFT, "Trade briefing");

    pdf_set_font(cr, 19, 0);
    double y = 212;
    y += pdf_paragraph(cr, MARGIN, y, CONTENT_W, 25, d->pair, 1);
    pdf_set_font(cr, 13, 0);
    pdf_set_hex(cr, C_MUTED);
    y += pdf_paragraph(cr, MARGIN, y + 4, CONTENT_W, 17, d->period, 1) + 4;

    pdf_set_font(cr, 9.5, 0);
    y += 14;
    snprintf(buf, sizeof(buf),
             "Annual merchandise trade between %s and %s in current US dollars, as each country "
             "declares it and as this briefing quotes it.%s%s%s",
             d->a_name, d->b_name, *d->bf->partial_years ? " Not all goods in " : "",
             d->bf->partial_years, *d->bf->partial_years ? ": see Key figures." : "");
    y += pdf_paragraph(cr, MARGIN, y, CONTENT_W, 13.5, buf, 1);

    y += 22;
    pdf_set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, y);
    cairo_line_to(cr, PAGE_W - MARGIN, y);
    cairo_stroke(cr);
    y += 12;

    y += cover_field(cr, y, "Data source", *r->source_label ? r->source_label : r->source);
    snprintf(buf, sizeof(buf), "%s (%s), %s (%s)", d->a_name, d->a, d->b_name, d->b);
    y += cover_field(cr, y, "Countries", buf);
    y += cover_field(cr, y, "Period", d->period);
    pdf_fmt_timestamp(r->generated_at, buf, sizeof(buf));
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
    double top; /* where the table starts under the page heading */
    double note_h;
    size_t rows_per_page, n_pages;
    char sub[512], note[1800];
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
    case 0: snprintf(buf, n, y->goods_partial ? "%d *" : "%d", y->year); break;
    case 1: tr_fmt_musd(y->a_exports_to_b, buf, n); break;
    case 2: tr_fmt_musd(y->a_imports_from_b, buf, n); break;
    case 3: tr_fmt_musd(y->b_exports_to_a, buf, n); break;
    case 4: tr_fmt_musd(y->b_imports_from_a, buf, n); break;
    case 5: tr_fmt_musd(y->turnover_a, buf, n); break;
    case 6: tr_fmt_musd(y->turnover_b, buf, n); break;
    case 7: tr_fmt_musd(y->turnover_best, buf, n); break;
    case 8:
        snprintf(buf, n, "%s",
                 isfinite(y->turnover_best) && *y->best_side ? pdf_side_label(d, y->best_side)
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
            pdf_set_font(cr, t->font, 1);
            double w = two_line_width(cr, t->head[c]);
            pdf_set_font(cr, t->font, 0);
            for (size_t i = 0; i < r->n_years; i++) {
                cell_text(d, &r->years[i], c, buf, sizeof(buf));
                double cw = pdf_text_w(cr, buf);
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
    else if (total > CONTENT_W) /* absurd values: squeeze rather than run off the page */
        for (int c = 0; c < N_COLS; c++)
            t->w[c] *= CONTENT_W / total;

    t->lh = t->font * 1.25;
    t->row_h = t->font * 2.0;
    pdf_set_font(cr, t->font, 1);
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
                "imports from %s as %s declares them; " LQ "Reported by %s" RQ
                ": the same two flows "
                "as %s declares them. "
                "The two declarations of one flow rarely match (exports are valued FOB, imports "
                "CIF; timing, re-exports and confidential trade differ). Turnover = exports + "
                "imports as one country declares them. Best figure = the turnover this briefing "
                "quotes; Side = whose declaration it is (%s or %s; reconciled = one value that "
                "the source reconciled from both declarations). YoY growth = change in the best "
                "figure on the previous year; when Side changes between two years the rate "
                "compares two declarations. " EN_DASH " = not reported.",
             d->a, d->a, d->b, d->b, d->a, d->b, d->b, d->a, d->b);
    if (*d->bf->partial_note) {
        size_t off = strlen(t->note);
        snprintf(t->note + off, sizeof(t->note) - off, " * %s", d->bf->partial_note);
    }

    /* Heading height is the same on every table page: measure it once. */
    pdf_set_font(cr, 9, 0);
    t->top = CONTENT_TOP + 26 + pdf_paragraph(cr, MARGIN, 0, CONTENT_W, 12.5, t->sub, 0) + 14;
    pdf_set_font(cr, 7.5, 0);
    t->note_h = pdf_paragraph(cr, MARGIN, 0, CONTENT_W, 10, t->note, 0);
    double room = CONTENT_BOTTOM - t->top - t->group_h - t->head_h - 4 - 14 - t->note_h;
    t->rows_per_page = room > t->row_h ? (size_t)(room / t->row_h) : 1;
    t->n_pages = r->n_years == 0 ? 1 : (r->n_years + t->rows_per_page - 1) / t->rows_per_page;
}

static void rule(cairo_t *cr, double x0, double x1, double y, double width, unsigned rgb)
{
    pdf_set_hex(cr, rgb);
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
    pdf_set_font(cr, t->font, 1);
    cairo_font_extents(cr, &fe);
    pdf_set_hex(cr, C_TEXT);
    for (int i = 0; i < 3; i++) {
        double x0 = x[g[i].first] + t->pad, x1 = x[g[i].last + 1] - t->pad;
        char fitted[128];
        pdf_set_hex(cr, C_TEXT);
        pdf_fit_text(cr, g[i].label, x1 - x0, fitted, sizeof(fitted));
        pdf_text_at(cr, (x0 + x1) / 2, y + 5 + fe.ascent, CENTRE, fitted);
        rule(cr, x0, x1, y + t->group_h - 1, 0.5, C_HAIR);
    }
    y += t->group_h;

    pdf_set_font(cr, t->font, 1);
    pdf_set_hex(cr, C_TEXT);
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

    double y = pdf_page_heading(d, CONTENT_TOP,
                                page == 0 ? "Key figures" : "Key figures (continued)", t->sub);
    y = table_head(d, t, y);

    size_t first = page * t->rows_per_page, last = first + t->rows_per_page;
    if (last > r->n_years)
        last = r->n_years;
    cairo_font_extents_t fe;
    pdf_set_font(cr, t->font, 0);
    cairo_font_extents(cr, &fe);
    if (r->n_years == 0) {
        pdf_set_hex(cr, C_MUTED);
        pdf_text_at(cr, MARGIN + t->pad, y + t->row_h / 2 + (fe.ascent - fe.descent) / 2, LEFT,
                    "No figures for this pair in this period.");
        y += t->row_h;
    }
    for (size_t i = first; i < last; i++) {
        if ((i - first) % 2 == 1) {
            pdf_set_hex(cr, C_ZEBRA);
            cairo_rectangle(cr, MARGIN, y, CONTENT_W, t->row_h);
            cairo_fill(cr);
        }
        double base = y + t->row_h / 2 + (fe.ascent - fe.descent) / 2, x = MARGIN;
        for (int c = 0; c < N_COLS; c++) {
            cell_text(d, &r->years[i], c, buf, sizeof(buf));
            /* The quoted figure is the one readers look for: set it in bold. */
            pdf_set_font(cr, t->font, c == 7);
            pdf_set_hex(cr, strcmp(buf, EN_DASH) == 0 || c == 8 ? C_MUTED : C_TEXT);
            if (col_align(c) == RIGHT)
                pdf_text_at(cr, x + t->w[c] - t->pad, base, RIGHT, buf);
            else
                pdf_text_at(cr, x + t->pad, base, LEFT, buf);
            x += t->w[c];
        }
        y += t->row_h;
    }
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);

    pdf_set_font(cr, 7.5, 0);
    pdf_set_hex(cr, C_MUTED);
    return y + 14 + pdf_paragraph(cr, MARGIN, y + 14, CONTENT_W, 10, t->note, 1);
}

/* ---- claim checks (after the key figures) ------------------------------------------------ */

const char *pdf_str_or(const char *s, const char *dflt)
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

static const double claim_w[CLAIM_COLS] = {185, 62, 128, 108}; /* sum: CONTENT_W */

/* Draws (or with draw 0 measures) the pieces top-down from (x, top); returns the height. */
static double pieces(cairo_t *cr, const struct piece *p, size_t n, double x, double top,
                     double width, int draw)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].text || !*p[i].text)
            continue;
        double lh = p[i].size * 1.3;
        pdf_set_font(cr, p[i].size, p[i].bold);
        pdf_set_hex(cr, p[i].rgb);
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

static void claim_cells(const struct doc *d, const struct tr_brief_claim *l,
                        struct claim_cells *k)
{
    const struct tr_claim_row *c = l->shown;
    snprintf(k->stated, sizeof(k->stated), "%s", l->stated);
    if (c->year > 0)
        snprintf(k->year, sizeof(k->year), "in %d", c->year);
    else
        k->year[0] = '\0';
    snprintf(k->computed, sizeof(k->computed), "%s", l->computed);
    size_t off = (size_t)snprintf(k->defn, sizeof(k->defn), "%s", pdf_str_or(c->definition, ""));
    if (c->source && *c->source && strcmp(c->source, d->r->source) != 0 && off < sizeof(k->defn))
        off += (size_t)snprintf(k->defn + off, sizeof(k->defn) - off, " [%s]", c->source);
    if (l->n_defs > 1 && off < sizeof(k->defn))
        snprintf(k->defn + off, sizeof(k->defn) - off, "%s(%s of %zu definitions tried)",
                 off > 0 ? " " : "", c->is_closest ? "closest" : "first", l->n_defs);
    if (isfinite(c->diff_pct))
        snprintf(k->verdict, sizeof(k->verdict), "%s, %s", pdf_str_or(c->verdict, EN_DASH),
                 l->diff);
    else
        snprintf(k->verdict, sizeof(k->verdict), "%s", pdf_str_or(c->verdict, EN_DASH));

    const struct piece cells[CLAIM_COLS][CLAIM_PIECES] = {
        {{pdf_str_or(c->paraphrase, EN_DASH), 7.5, 0, C_TEXT, 8},
         {pdf_str_or(c->article, ""), 6.5, 0, C_MUTED, 2}},
        {{k->stated, 7.5, 1, C_TEXT, 1}, {k->year, 6.5, 0, C_MUTED, 1}},
        {{k->computed, 7.5, 1, C_TEXT, 1}, {k->defn, 6.5, 0, C_MUTED, 4}},
        {{k->verdict, 7.5, 1, C_TEXT, 2}, {pdf_str_or(c->note, ""), 6.5, 0, C_MUTED, 4}},
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
    pdf_set_font(cr, 7.5, 1);
    pdf_set_hex(cr, C_TEXT);
    double x = MARGIN;
    for (int c = 0; c < CLAIM_COLS; c++) {
        pdf_text_at(cr, x + CLAIM_PAD, y + 13, LEFT, head[c]);
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
        return pdf_end_page(d, e);
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
             " computed) / computed, or in percentage points (pp) for a share or a rate; no data "
             "= "
             "nothing to compare with; not measurable = trade "
             "data cannot test it. " LQ "tradereport claims" RQ " lists every definition.",
             d->a_name, d->b_name, d->a, d->b);
    pdf_set_font(cr, 8, 0);
    double intro_h = pdf_paragraph(cr, MARGIN, 0, CONTENT_W, 11, intro, 0);
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
    const double lead_in = 22 + 20 + intro_h + 8 + 19; /* gap, title, intro, head */
    const double fresh = CONTENT_BOTTOM - (CONTENT_TOP + 26 + 4) - intro_h - 8 - 19;
    int here = y + lead_in + all_h <= CONTENT_BOTTOM ||
               (all_h > fresh && y + lead_in + rows_h[0] + rows_h[1] <= CONTENT_BOTTOM);
    if (!here) {
        if ((rc = pdf_end_page(d, e)))
            goto out;
        pdf_begin_page(d, "Claim checks");
        y = pdf_page_heading(d, CONTENT_TOP, "Claim checks", NULL) - 10; /* intro as subtitle */
    } else {
        outline(d, "Claim checks");
        y += 22;
        pdf_set_font(cr, 12, 1);
        pdf_set_hex(cr, C_TEXT);
        pdf_text_at(cr, MARGIN, y + 12, LEFT, "Claim checks");
        y += 20;
    }
    pdf_set_font(cr, 8, 0);
    pdf_set_hex(cr, C_MUTED);
    y += pdf_paragraph(cr, MARGIN, y, CONTENT_W, 11, intro, 1) + 8;
    y = claim_head(cr, y);

    for (size_t i = 0; i < n; i++) {
        claim_cells(d, &lines[i], k);
        double h = claim_row(cr, k, y, 0);
        if (y + h > CONTENT_BOTTOM) {
            rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
            if ((rc = pdf_end_page(d, e)))
                goto out;
            pdf_begin_page(d, NULL);
            y = pdf_page_heading(d, CONTENT_TOP, "Claim checks (continued)", NULL);
            y = claim_head(cr, y);
        }
        claim_row(cr, k, y, 1);
        y += h;
        if (i + 1 < n)
            rule(cr, MARGIN, PAGE_W - MARGIN, y, 0.4, C_HAIR);
    }
    rule(cr, MARGIN, PAGE_W - MARGIN, y, 1.0, C_RULE);
    rc = pdf_end_page(d, e);
out:
    free(k);
    return rc;
}

int pdf_section_key_figures(struct doc *d, struct tr_err *e)
{
    struct table t;
    table_layout(d, &t);
    double y = 0;
    for (size_t p = 0; p < t.n_pages; p++) {
        int rc;
        if (p > 0 && (rc = pdf_end_page(d, e)))
            return rc;
        pdf_begin_page(d, p == 0 ? "Key figures" : NULL);
        y = page_key_figures(d, &t, p);
    }
    return claim_checks(d, y, e);
}
