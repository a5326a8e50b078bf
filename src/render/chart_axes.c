/*
 * Chart axes: the 1-2-5 tick step, tick labels (money, percent, plain), the y axis with its
 * grid, and the x labels, which wrap, thin out when crowded, or show periods compactly.
 * Nothing here chooses what is plotted.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/chart_int.h"
#include "tr/fmt.h"

/* ---- axis helpers ------------------------------------------------------------------------ */

double tr_chart_nice_step(double range, int max_ticks)
{
    if (max_ticks < 1)
        max_ticks = 1;
    if (!(range > 0) || !isfinite(range))
        return 1.0;
    double raw = range / max_ticks;
    if (!(raw > 0))
        raw = DBL_MIN;
    double mag = pow(10.0, floor(log10(raw)));
    if (!(mag > 0) || !isfinite(mag))
        return raw;
    double norm = raw / mag;
    double step;
    if (norm <= 1.0 + 1e-9)
        step = 1;
    else if (norm <= 2.0 + 1e-9)
        step = 2;
    else if (norm <= 5.0 + 1e-9)
        step = 5;
    else
        step = 10;
    double s = step * mag;
    return isfinite(s) ? s : raw;
}

void tr_chart_format_money(double v, char *buf, size_t n)
{
    tr_fmt_money(v, buf, n);
}

void tr_chart_format_tick(const struct tr_chart *c, double v, double step, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    if (c && c->y_money) {
        tr_chart_format_money(v, buf, n);
    } else if (c && c->y_percent && isfinite(v) && fabs(v) < 1e15) {
        /* Ticks are multiples of a 1-2-5 step: its decimals are all a label needs. */
        int dec = 0;
        if (step > 0 && step < 1 && isfinite(step))
            dec = (int)ceil(-log10(step) - 1e-9);
        dec = dec < 0 ? 0 : dec > 6 ? 6 : dec;
        if (fabs(v) < 0.5 * pow(10.0, -dec))
            v = 0; /* never "-0%" */
        snprintf(buf, n, "%.*f%%", dec, v);
    } else {
        tr_fmt_scaled(v, buf, n);
    }
}

void tr_chart_draw_y_axis(cairo_t *cr, const struct tr_chart *c, const struct frame *f,
                          double label_right)
{
    char buf[64];
    set_font(cr, AXIS_SIZE, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    cairo_set_line_width(cr, 0.5);
    for (long k = f->klo; k <= f->khi; k++) {
        double v = k * f->step, yy = map_y(f, v);
        if (k == 0)
            v = 0; /* never "-$0" */
        tr_chart_format_tick(c, v, f->step, buf, sizeof(buf));
        set_hex(cr, k == 0 ? C_AXIS : C_GRID);
        cairo_set_line_width(cr, k == 0 ? 0.8 : 0.5);
        cairo_move_to(cr, f->px, yy);
        cairo_line_to(cr, f->px + f->pw, yy);
        cairo_stroke(cr);
        double tw = tr_chart_text_width(cr, buf, strlen(buf));
        set_hex(cr, C_LABEL);
        cairo_move_to(cr, label_right - tw, yy + (fe.ascent - fe.descent) / 2);
        cairo_show_text(cr, buf);
    }
}

/* Whether the labels are consecutive years ("2019") or months ("2019-01"); sets the index of
 * the first one (the year, or year * 12 + month - 1). Returns 1 for years, 12 for months, 0
 * for anything else. */
int tr_chart_consecutive_periods(const struct tr_chart *c, long *first)
{
    int per = 0;
    for (size_t i = 0; i < c->n_x; i++) {
        const char *s = c->x_labels[i];
        char *end;
        if (!s || !*s)
            return 0;
        long v = strtol(s, &end, 10), idx = v;
        int p = 1;
        if (v < 0 || v > 100000 || end == s)
            return 0;
        if (*end == '-') {
            const char *m = end + 1;
            long mo = strtol(m, &end, 10);
            if (end - m != 2 || mo < 1 || mo > 12)
                return 0;
            idx = v * 12 + mo - 1;
            p = 12;
        }
        if (*end || (i > 0 && (p != per || idx != *first + (long)i)))
            return 0;
        if (i == 0) {
            *first = idx;
            per = p;
        }
    }
    return c->n_x > 0 ? per : 0;
}

#define X_GAP (AXIS_SIZE * 0.8) /* least room between neighbouring x labels */

/* Lines the x labels take: 1, or 2 when they are too wide for their slot on one line but each
 * fits on two lines without splitting a word (e.g. "Base metals" over "Machinery, electrical");
 * otherwise they stay on one line and are thinned out. */
size_t tr_chart_x_label_lines(cairo_t *cr, const struct tr_chart *c, double slot)
{
    if (!c->x_labels || c->n_x == 0)
        return 1;
    set_font(cr, AXIS_SIZE, 0);
    double width = slot - X_GAP, maxw = 0;
    for (size_t i = 0; i < c->n_x; i++) {
        const char *s = c->x_labels[i] ? c->x_labels[i] : "";
        double tw = tr_chart_text_width(cr, s, strlen(s));
        maxw = tw > maxw ? tw : maxw;
    }
    if (maxw <= width || width <= 0)
        return 1;
    for (size_t i = 0; i < c->n_x; i++) {
        const char *s = c->x_labels[i] ? c->x_labels[i] : "";
        for (size_t p = 0, len = strlen(s); p < len;) { /* every word must fit alone */
            size_t q = p;
            while (q < len && s[q] != ' ' && s[q] != '\n')
                q++;
            if (tr_chart_text_width(cr, s + p, q - p) > width)
                return 1;
            p = q + 1;
        }
        struct tr_text_span sp[2];
        if (tr_chart_wrap_text(cr, s, width, sp, 2) > 2)
            return 1;
    }
    return 2;
}

void tr_chart_draw_x_labels(cairo_t *cr, const struct tr_chart *c, const struct frame *f,
                            double top, size_t lines)
{
    if (!c->x_labels || c->n_x == 0)
        return;
    set_font(cr, AXIS_SIZE, 0);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double maxw = 0;
    for (size_t i = 0; i < c->n_x && lines == 1; i++) {
        const char *s = c->x_labels[i] ? c->x_labels[i] : "";
        double tw = tr_chart_text_width(cr, s, strlen(s));
        maxw = tw > maxw ? tw : maxw;
    }
    /* Label every k-th category so that neighbours keep a gap of at least one "0". */
    double need = maxw + X_GAP;
    size_t k = lines > 1 ? 1 : f->slot > 0 ? (size_t)ceil(need / f->slot) : c->n_x;
    if (k < 1)
        k = 1;
    /* Consecutive periods read better thinned to round ones: 1965, 1970 ... not 1962, 1966;
     * months to quarters, half-years or Januaries. */
    long first = 0, step = (long)k;
    int per = tr_chart_consecutive_periods(c, &first);
    if (per && k > 1) {
        static const long nice_y[] = {2, 5, 10, 20, 25, 50, 100};
        static const long nice_m[] = {3, 6, 12, 24, 60, 120, 240}; /* quarters and up */
        const long *nice = per == 12 ? nice_m : nice_y;
        step = 0;
        for (size_t j = 0; j < sizeof(nice_y) / sizeof(nice_y[0]) && !step; j++)
            if (nice[j] >= (long)k)
                step = nice[j];
        if (!step || (size_t)step >= c->n_x)
            per = 0, step = (long)k;
    }
    double base = f->py + f->ph, right = f->px + f->pw + 2, prev = -DBL_MAX;
    for (size_t i = 0; i < c->n_x; i++) {
        if (per ? (first + (long)i) % step != 0 : i % (size_t)step != 0)
            continue;
        const char *s = c->x_labels[i] ? c->x_labels[i] : "";
        double xx = map_x(f, i);
        if (lines == 1) {
            /* The last label may be wider than its slot: keep it inside the chart, and leave
             * it out rather than let it touch its neighbour. */
            double tw = tr_chart_text_width(cr, s, strlen(s)), tx = xx - tw / 2;
            if (tx + tw > right)
                tx = right - tw;
            if (tx < prev + X_GAP / 2)
                continue;
            prev = tx + tw;
        }
        set_hex(cr, C_AXIS);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, xx, base);
        cairo_line_to(cr, xx, base + 3);
        cairo_stroke(cr);
        set_hex(cr, C_LABEL);
        if (lines > 1) {
            double wl = f->slot - X_GAP;
            tr_chart_text_block(cr, xx - wl / 2, top, wl, line_height(AXIS_SIZE), s, lines, 1, 1);
        } else {
            double tw = tr_chart_text_width(cr, s, strlen(s));
            cairo_move_to(cr, prev - tw, top + fe.ascent);
            cairo_show_text(cr, s);
        }
    }
}
