/*
 * Line and grouped-column charts drawn with Cairo's toy text API ("DejaVu Sans") on any
 * cairo_t, so the same code draws on a PDF page and on a PNG. The layout is measured, not
 * guessed: the title and footnote wrap, legend rows wrap, x labels thin out when crowded.
 * It keeps nothing it is given and draws nothing outside the rectangle it is handed; colours
 * follow the Okabe-Ito palette in series order and carry no meaning of their own.
 */
#include "tr/chart.h"
#include "tr/fmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/chart_int.h"

/* Okabe & Ito (2008), safe for the common colour-vision deficiencies. */
static const unsigned palette[] = {0x0072B2, 0xE69F00, 0x009E73, 0xD55E00,
                                   0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))

/* ---- the chart --------------------------------------------------------------------------- */

static double series_value(const struct tr_chart *c, size_t s, size_t i)
{
    const double *y = c->series[s].y;
    return y ? y[i] : NAN;
}

/* Finds the data range (marks included); returns 0 when there is no finite value. */
static int data_range(const struct tr_chart *c, double *lo, double *hi)
{
    int any = 0;
    double mn = 0, mx = 0; /* 0 always inside: the axis starts at zero */
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i < c->n_x; i++) {
            double v = series_value(c, s, i);
            if (isfinite(v)) {
                any = 1;
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
        }
    for (size_t m = 0; m < c->n_marks; m++) {
        double v = c->marks[m].y;
        if (c->marks[m].x < c->n_x && isfinite(v)) {
            any = 1;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
    }
    *lo = mn;
    *hi = mx;
    return any;
}

static void axis_scale(double lo, double hi, struct frame *f)
{
    double range = hi - lo;
    if (!isfinite(range))
        range = DBL_MAX;
    if (!(range > 0))
        range = fabs(hi) > 0 ? fabs(hi) : 1.0;
    f->step = tr_chart_nice_step(range, MAX_INTERVALS);
    double klo = floor(lo / f->step), khi = ceil(hi / f->step);
    if (!isfinite(klo) || klo < -1000)
        klo = -1000;
    if (!isfinite(khi) || khi > 1000)
        khi = 1000;
    if (klo > 0)
        klo = 0;
    if (khi < 0)
        khi = 0;
    if (khi <= klo)
        khi = klo + 1;
    f->klo = (long)klo;
    f->khi = (long)khi;
}

static void draw_marker(cairo_t *cr, enum tr_chart_kind kind, double x, double y, unsigned rgb)
{
    if (kind == TR_CHART_LINE) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, 2.4, 0, 2 * M_PI);
        set_hex(cr, rgb);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    } else {
        set_hex(cr, rgb);
        cairo_rectangle(cr, x - 4, y - 4, 8, 8);
        cairo_fill(cr);
    }
}

static int is_band(const struct tr_chart *c, size_t s)
{
    return c->kind == TR_CHART_LINE && c->highlight == s + 1;
}

static void set_band(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                          (rgb & 0xFF) / 255.0, 0.35);
    cairo_set_line_width(cr, 7);
}

/* The marks' diamond: hollow (white inside) or filled, centred on (x, y). */
static void draw_diamond(cairo_t *cr, double x, double y, double r, int filled)
{
    cairo_new_path(cr);
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r, y);
    cairo_line_to(cr, x, y + r);
    cairo_line_to(cr, x - r, y);
    cairo_close_path(cr);
    if (filled)
        set_hex(cr, C_TEXT);
    else
        cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_hex(cr, C_TEXT);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
}

/* Whether some mark of this style (0 hollow, 1 filled) is drawn and named in the legend. */
static int mark_entry(const struct tr_chart *c, int filled)
{
    if (!c->mark_names[filled] || !*c->mark_names[filled])
        return 0;
    for (size_t m = 0; m < c->n_marks; m++)
        if ((c->marks[m].filled != 0) == filled && c->marks[m].x < c->n_x &&
            isfinite(c->marks[m].y))
            return 1;
    return 0;
}

/* Lays out the legend in rows of width w from (x, top): one entry per series, then one per
 * style of mark that has a name. Returns the height used. */
static double legend(cairo_t *cr, const struct tr_chart *c, double x, double top, double w,
                     int draw)
{
    const double swatch = c->kind == TR_CHART_LINE ? 16 : 8, gap = 4, sep = 14;
    double lh = line_height(LEGEND_SIZE), cx = x, rows = 1;
    size_t n = c->n_series + 2;
    int any = 0;
    set_font(cr, LEGEND_SIZE, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    for (size_t s = 0; s < n; s++) {
        int mark = s >= c->n_series ? (int)(s - c->n_series) : -1;
        if (mark >= 0 && !mark_entry(c, mark))
            continue;
        any = 1;
        const char *name = mark >= 0           ? c->mark_names[mark]
                           : c->series[s].name ? c->series[s].name
                                               : "";
        double sw = mark >= 0 ? 10 : swatch;
        double tw = tr_chart_text_width(cr, name, strlen(name));
        if (sw + gap + tw > w)
            tw = w - sw - gap; /* a name wider than the chart gets cut below */
        double iw = sw + gap + tw;
        if (cx > x && cx + iw > x + w) {
            cx = x;
            rows++;
        }
        if (draw) {
            double mid = top + (rows - 1) * lh + lh / 2;
            unsigned rgb = palette[s % N_PALETTE];
            if (mark >= 0) {
                draw_diamond(cr, cx + sw / 2, mid, 3.8, mark);
            } else if (is_band(c, s)) {
                set_band(cr, rgb);
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
                cairo_move_to(cr, cx + 2, mid);
                cairo_line_to(cr, cx + sw - 2, mid);
                cairo_stroke(cr);
            } else if (c->kind == TR_CHART_LINE) {
                set_hex(cr, rgb);
                cairo_set_line_width(cr, 1.6);
                cairo_move_to(cr, cx, mid);
                cairo_line_to(cr, cx + sw, mid);
                cairo_stroke(cr);
                draw_marker(cr, c->kind, cx + sw / 2, mid, rgb);
            } else {
                draw_marker(cr, c->kind, cx + sw / 2, mid, rgb);
            }
            set_hex(cr, C_LABEL);
            cairo_save(cr);
            cairo_rectangle(cr, cx + sw + gap, mid - lh, tw + 1, 2 * lh);
            cairo_clip(cr);
            cairo_move_to(cr, cx + sw + gap, mid + (fe.ascent - fe.descent) / 2);
            cairo_show_text(cr, name);
            cairo_restore(cr);
        }
        cx += iw + sep;
    }
    return any ? rows * lh : 0;
}

/* Strokes series s as one path broken at missing values. */
static void stroke_series(cairo_t *cr, const struct tr_chart *c, const struct frame *f, size_t s)
{
    int down = 0;
    cairo_new_path(cr);
    for (size_t i = 0; i < c->n_x; i++) {
        double v = series_value(c, s, i);
        if (!isfinite(v)) {
            down = 0;
            continue;
        }
        if (down)
            cairo_line_to(cr, map_x(f, i), map_y(f, v));
        else
            cairo_move_to(cr, map_x(f, i), map_y(f, v));
        down = 1;
    }
    cairo_stroke(cr);
}

static void draw_lines(cairo_t *cr, const struct tr_chart *c, const struct frame *f)
{
    int markers = f->slot >= 14; /* dense series read better as a plain line */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    /* The highlighted series goes first, underneath, so the others stay readable on it. */
    for (size_t s = 0; s < c->n_series; s++)
        if (is_band(c, s)) {
            set_band(cr, palette[s % N_PALETTE]);
            stroke_series(cr, c, f, s);
            for (size_t i = 0; i < c->n_x; i++) { /* a lone point needs a dot to be seen */
                double v = series_value(c, s, i);
                if (isfinite(v) && (i == 0 || !isfinite(series_value(c, s, i - 1))) &&
                    (i + 1 >= c->n_x || !isfinite(series_value(c, s, i + 1)))) {
                    cairo_new_path(cr);
                    cairo_arc(cr, map_x(f, i), map_y(f, v), 3.5, 0, 2 * M_PI);
                    cairo_fill(cr);
                }
            }
        }
    for (size_t s = 0; s < c->n_series; s++) {
        if (is_band(c, s))
            continue;
        unsigned rgb = palette[s % N_PALETTE];
        set_hex(cr, rgb);
        cairo_set_line_width(cr, 1.6);
        stroke_series(cr, c, f, s);
        for (size_t i = 0; i < c->n_x; i++) {
            double v = series_value(c, s, i);
            if (!isfinite(v))
                continue;
            /* A point with no neighbour is invisible without its marker. */
            int alone = (i == 0 || !isfinite(series_value(c, s, i - 1))) &&
                        (i + 1 >= c->n_x || !isfinite(series_value(c, s, i + 1)));
            if (markers || alone)
                draw_marker(cr, c->kind, map_x(f, i), map_y(f, v), rgb);
        }
    }
}

static void draw_columns(cairo_t *cr, const struct tr_chart *c, const struct frame *f)
{
    if (c->n_series == 0)
        return;
    double group = f->slot * 0.78, bw = group / c->n_series;
    double inner = bw > 4 ? 0.6 : 0, y0 = map_y(f, 0);
    for (size_t s = 0; s < c->n_series; s++) {
        set_hex(cr, palette[s % N_PALETTE]);
        for (size_t i = 0; i < c->n_x; i++) {
            double v = series_value(c, s, i);
            if (!isfinite(v))
                continue;
            double x0 = map_x(f, i) - group / 2 + s * bw, yv = map_y(f, v);
            cairo_rectangle(cr, x0 + inner / 2, yv < y0 ? yv : y0, bw - inner, fabs(y0 - yv));
        }
        cairo_fill(cr);
    }
    set_hex(cr, C_AXIS);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, f->px, y0);
    cairo_line_to(cr, f->px + f->pw, y0);
    cairo_stroke(cr);
}

/* A mark's label as placed: baseline (tx, ty), bytes shown and whether an ellipsis follows. */
struct placed {
    double tx, ty, tw;
    size_t len;
    int cut;
};

/* Whether the segment (x0, y0)-(x1, y1) meets the box [bx0, bx1] x [by0, by1]
 * (Liang-Barsky clipping). */
static int segment_meets_box(double x0, double y0, double x1, double y1, double bx0, double by0,
                             double bx1, double by1)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - bx0, bx1 - x0, y0 - by0, by1 - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0) {
            if (t > t1)
                return 0;
            t0 = t > t0 ? t : t0;
        } else {
            if (t < t0)
                return 0;
            t1 = t < t1 ? t : t1;
        }
    }
    return 1;
}

/* Whether a line series passes through the box. */
static int box_crosses_lines(const struct tr_chart *c, const struct frame *f, double bx0,
                             double by0, double bx1, double by1)
{
    if (c->kind != TR_CHART_LINE)
        return 0;
    for (size_t s = 0; s < c->n_series; s++)
        for (size_t i = 0; i + 1 < c->n_x; i++) {
            double a = series_value(c, s, i), b = series_value(c, s, i + 1);
            if (isfinite(a) && isfinite(b) &&
                segment_meets_box(map_x(f, i), map_y(f, a), map_x(f, i + 1), map_y(f, b), bx0,
                                  by0, bx1, by1))
                return 1;
        }
    return 0;
}

/* Places a mark's label beside its diamond: on the side where it fits whole and crosses no
 * line (right first), else where most of it fits without crossing, else where it fits whole,
 * else on the wider side; cut with an ellipsis to the room it has. */
static void place_label(cairo_t *cr, const struct tr_chart *c, const struct frame *f, double xx,
                        double yy, double r, const char *label, double ascent, double descent,
                        struct placed *p)
{
    double ell = tr_chart_text_width(cr, "\xE2\x80\xA6", 3);
    double room[2] = {f->px + f->pw - (xx + r + 3), xx - r - 3 - f->px}; /* right, left */
    double full = tr_chart_text_width(cr, label, strlen(label));
    double ty = yy + (ascent - descent) / 2;
    int fits[2], clear[2], most[2];
    for (int k = 0; k < 2; k++) {
        double w = full < room[k] ? full : room[k] > 0 ? room[k] : 0;
        double x0 = k == 0 ? xx + r + 3 : xx - r - 3 - w;
        fits[k] = full <= room[k];
        most[k] = room[k] >= 0.6 * full; /* a light cut reads better than a crossed line */
        clear[k] = !box_crosses_lines(c, f, x0, ty - ascent, x0 + w, ty + descent);
    }
    int side = fits[0] && clear[0]   ? 0
               : fits[1] && clear[1] ? 1
               : most[0] && clear[0] ? 0
               : most[1] && clear[1] ? 1
               : fits[0]             ? 0
               : fits[1]             ? 1
               : room[0] >= room[1]  ? 0
                                     : 1;
    p->len = strlen(label);
    p->cut = 0;
    p->tw = full;
    if (p->tw > room[side]) {
        while (p->len > 0 && tr_chart_text_width(cr, label, p->len) + ell > room[side])
            p->len = tr_chart_utf8_floor(label, p->len - 1);
        p->cut = 1;
        p->tw = tr_chart_text_width(cr, label, p->len) + ell;
    }
    p->tx = side == 0 ? xx + r + 3 : xx - r - 3 - p->tw;
    p->ty = ty;
}

#define MAX_LABELLED 64 /* marks whose labels are kept apart; more are drawn as they fall */

static void draw_marks(cairo_t *cr, const struct tr_chart *c, const struct frame *f)
{
    const double r = 4.5;
    set_font(cr, AXIS_SIZE, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double lh = fe.ascent + fe.descent + 1.5;

    /* Dotted links first, under the diamonds. */
    static const double dots[] = {1.2, 1.8};
    for (size_t m = 0; m < c->n_marks; m++) {
        const struct tr_chart_mark *a = &c->marks[m];
        if (a->link == 0 || a->link > c->n_marks)
            continue;
        const struct tr_chart_mark *b = &c->marks[a->link - 1];
        if (a->x >= c->n_x || b->x >= c->n_x || !isfinite(a->y) || !isfinite(b->y))
            continue;
        set_hex(cr, C_TEXT);
        cairo_set_line_width(cr, 0.9);
        cairo_set_dash(cr, dots, 2, 0);
        cairo_move_to(cr, map_x(f, a->x), map_y(f, a->y));
        cairo_line_to(cr, map_x(f, b->x), map_y(f, b->y));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }

    struct placed pl[MAX_LABELLED];
    size_t idx[MAX_LABELLED], n = 0;
    for (size_t m = 0; m < c->n_marks; m++) {
        const struct tr_chart_mark *mk = &c->marks[m];
        if (mk->x >= c->n_x || !isfinite(mk->y))
            continue;
        double xx = map_x(f, mk->x), yy = map_y(f, mk->y);
        draw_diamond(cr, xx, yy, r, mk->filled);
        if (mk->label && *mk->label && n < MAX_LABELLED) {
            place_label(cr, c, f, xx, yy, r, mk->label, fe.ascent, fe.descent, &pl[n]);
            idx[n++] = m;
        }
    }

    /* Keep labels apart: in order from the top, a label that meets one above it (the two
     * overlap sideways and are closer than a line) moves down; then the whole run moves up if
     * it left the plot at the bottom. */
    for (size_t a = 1; a < n; a++) /* insertion sort by baseline */
        for (size_t b = a; b > 0 && pl[b].ty < pl[b - 1].ty; b--) {
            struct placed t = pl[b];
            size_t ti = idx[b];
            pl[b] = pl[b - 1], idx[b] = idx[b - 1];
            pl[b - 1] = t, idx[b - 1] = ti;
        }
    double top = f->py + fe.ascent, bottom = f->py + f->ph - fe.descent;
    for (size_t a = 0; a < n; a++) {
        if (pl[a].ty < top)
            pl[a].ty = top;
        for (size_t b = 0; b < a; b++)
            if (pl[b].tx < pl[a].tx + pl[a].tw && pl[a].tx < pl[b].tx + pl[b].tw &&
                pl[a].ty < pl[b].ty + lh)
                pl[a].ty = pl[b].ty + lh;
    }
    for (size_t a = n; a-- > 0;) {
        if (pl[a].ty > bottom)
            pl[a].ty = bottom;
        for (size_t b = a + 1; b < n; b++)
            if (pl[b].tx < pl[a].tx + pl[a].tw && pl[a].tx < pl[b].tx + pl[b].tw &&
                pl[a].ty > pl[b].ty - lh)
                pl[a].ty = pl[b].ty - lh;
    }

    for (size_t a = 0; a < n; a++) {
        const char *label = c->marks[idx[a]].label;
        /* A pale backing keeps the label readable where it crosses a line or a gridline. */
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, pl[a].tx - 1, pl[a].ty - fe.ascent - 0.5, pl[a].tw + 2,
                        fe.ascent + fe.descent + 1);
        cairo_fill(cr);
        set_hex(cr, C_TEXT);
        cairo_move_to(cr, pl[a].tx, pl[a].ty);
        tr_chart_show_text_n(cr, label, pl[a].len);
        if (pl[a].cut)
            cairo_show_text(cr, "\xE2\x80\xA6");
    }
}

/* Width of the widest y tick label of frame f (0 without data). */
static double tick_label_width(cairo_t *cr, const struct tr_chart *c, const struct frame *f,
                               int any)
{
    double label_w = 0;
    char buf[64];
    set_font(cr, AXIS_SIZE, 0);
    for (long k = f->klo; any && k <= f->khi; k++) {
        double v = k == 0 ? 0 : k * f->step;
        tr_chart_format_tick(c, v, f->step, buf, sizeof(buf));
        double tw = tr_chart_text_width(cr, buf, strlen(buf));
        label_w = tw > label_w ? tw : label_w;
    }
    return label_w;
}

/* The plot inside its frame: the y axis, the series and marks (or "No data"), the x labels
 * from x_labels_top (x_lines lines) and the x-axis title at x_title_top. */
static void draw_plot(cairo_t *cr, const struct tr_chart *c, const struct frame *f, int any,
                      double x_labels_top, size_t x_lines, double x_title_top)
{
    if (any) {
        tr_chart_draw_y_axis(cr, c, f, f->px - 5);
        cairo_save(cr);
        cairo_rectangle(cr, f->px - 6, f->py - 6, f->pw + 12, f->ph + 12);
        cairo_clip(cr);
        if (c->kind == TR_CHART_COLUMNS)
            draw_columns(cr, c, f);
        else
            draw_lines(cr, c, f);
        draw_marks(cr, c, f);
        cairo_restore(cr);
    } else {
        set_hex(cr, C_AXIS);
        cairo_set_line_width(cr, 0.8);
        cairo_move_to(cr, f->px, f->py + f->ph);
        cairo_line_to(cr, f->px + f->pw, f->py + f->ph);
        cairo_stroke(cr);
        set_font(cr, LEGEND_SIZE, 0);
        set_hex(cr, C_NOTE);
        tr_chart_text_block(cr, f->px, f->py + f->ph / 2 - LEGEND_SIZE, f->pw, 0,
                            "No data for this period", 1, 1, 1);
    }
    tr_chart_draw_x_labels(cr, c, f, x_labels_top, x_lines);
    if (c->x_label && *c->x_label) {
        set_font(cr, AXIS_SIZE, 0);
        set_hex(cr, C_LABEL);
        tr_chart_text_block(cr, f->px, x_title_top, f->pw, 0, c->x_label, 1, 1, 1);
    }
}

int tr_chart_draw(cairo_t *cr, double x, double y, double w, double h, const struct tr_chart *c,
                  struct tr_err *e)
{
    if (!cr || !c)
        return tr_err_set(e, TR_ENOMEM, "chart: no drawing context or no chart");
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return tr_err_set(e, TR_EIO, "chart '%s': cairo: %s", c->title ? c->title : "",
                          cairo_status_to_string(cairo_status(cr)));
    if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
        return 0;

    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_new_path(cr);

    double top = y, bottom = y + h;

    /* Title, legend and y label from the top down. */
    if (c->title && *c->title) {
        set_font(cr, TITLE_SIZE, 1);
        set_hex(cr, C_TEXT);
        size_t n = tr_chart_text_block(cr, x, top, w, line_height(TITLE_SIZE), c->title,
                                       MAX_TITLE_LINES, 0, 1);
        top += n * line_height(TITLE_SIZE) + 3;
    }
    double lg = legend(cr, c, x, top, w, 1);
    if (lg > 0)
        top += lg + 4;

    /* Footnote, x-axis title and x labels from the bottom up. */
    if (c->note && *c->note) {
        set_font(cr, NOTE_SIZE, 0);
        size_t n = tr_chart_text_block(cr, x, 0, w, line_height(NOTE_SIZE), c->note,
                                       MAX_NOTE_LINES, 0, 0);
        bottom -= n * line_height(NOTE_SIZE);
        set_hex(cr, C_NOTE);
        tr_chart_text_block(cr, x, bottom, w, line_height(NOTE_SIZE), c->note, MAX_NOTE_LINES, 0,
                            1);
        bottom -= 6;
    }
    double x_title_top = 0;
    if (c->x_label && *c->x_label) {
        bottom -= line_height(AXIS_SIZE);
        x_title_top = bottom;
        bottom -= 5; /* apart from the labels, so it does not read as one of them */
    }

    struct frame f;
    double lo, hi;
    int any = data_range(c, &lo, &hi);
    axis_scale(lo, hi, &f);

    /* The y label sits above the tick labels, left-aligned with them. */
    if (any && c->y_label && *c->y_label) {
        set_font(cr, AXIS_SIZE, 0);
        set_hex(cr, C_LABEL);
        tr_chart_text_block(cr, x, top, w, 0, c->y_label, 1, 0, 1);
        top += line_height(AXIS_SIZE) + 4;
    }

    double label_w = tick_label_width(cr, c, &f, any);
    f.px = x + (label_w > 0 ? label_w + 5 : 0);
    f.pw = x + w - f.px - 2;
    f.slot = c->n_x > 0 ? f.pw / (double)c->n_x : f.pw;
    /* The x labels' height depends on the slot width: they may need two lines. */
    size_t x_lines = tr_chart_x_label_lines(cr, c, f.slot);
    bottom -= x_lines * line_height(AXIS_SIZE) + 4;
    double x_labels_top = bottom + 5;
    f.py = top + AXIS_SIZE * 0.6; /* room for half of the top tick label */
    f.ph = bottom - f.py;

    if (f.pw > 10 && f.ph > 10)
        draw_plot(cr, c, &f, any, x_labels_top, x_lines, x_title_top);
    cairo_restore(cr);

    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return tr_err_set(e, TR_EIO, "chart '%s': cairo: %s", c->title ? c->title : "",
                          cairo_status_to_string(cairo_status(cr)));
    return 0;
}

int tr_chart_write_png(const struct tr_chart *c, int w, int h, const char *path, struct tr_err *e)
{
    int rc = 0;
    cairo_t *cr = NULL;
    if (w <= 0 || h <= 0)
        return tr_err_set(e, TR_EUSAGE, "chart png '%s': bad size %dx%d", path, w, h);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        rc = tr_err_set(e, TR_ENOMEM, "chart png '%s': cairo: %s", path,
                        cairo_status_to_string(cairo_surface_status(s)));
        goto out;
    }
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    /* Draw in a 500-unit-wide space so text keeps its proportions at any pixel size. */
    double k = w / PNG_UNITS;
    cairo_scale(cr, k, k);
    const double pad = 12;
    rc = tr_chart_draw(cr, pad, pad, PNG_UNITS - 2 * pad, h / k - 2 * pad, c, e);
    if (rc)
        goto out;
    cairo_surface_flush(s);
    cairo_status_t st = cairo_surface_write_to_png(s, path);
    if (st != CAIRO_STATUS_SUCCESS)
        rc = tr_err_set(e, TR_EIO, "cannot write chart png '%s': %s", path,
                        cairo_status_to_string(st));
out:
    if (cr)
        cairo_destroy(cr);
    cairo_surface_destroy(s);
    return rc;
}
