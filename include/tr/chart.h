/*
 * Charts drawn with Cairo on any cairo_t: the PDF writer draws them on a page, tests draw them
 * on a PNG surface. The chart never owns the data it is given; it only reads it while drawing.
 */
#ifndef TR_CHART_H
#define TR_CHART_H

#include <stddef.h>
#include <cairo.h>

#include "tr/err.h"

enum tr_chart_kind { TR_CHART_LINE, TR_CHART_COLUMNS };

struct tr_chart_series {
    const char *name; /* legend text */
    const double *y;  /* n_x values; NAN = no point (the line breaks) */
};

/* A labelled point, e.g. a published claim: drawn as a diamond with its label beside it. */
struct tr_chart_mark {
    size_t x; /* category index */
    double y;
    const char *label; /* cut with an ellipsis when it does not fit; labels that would meet
                             are moved apart vertically */
    int filled;        /* 0 = hollow diamond (e.g. a stated figure), 1 = filled (computed) */
    size_t link;       /* 1 + index of another mark joined to this one by a dotted line
                             (e.g. stated to computed); 0 = none */
};

struct tr_chart {
    enum tr_chart_kind kind;
    const char *title;
    const char *x_label;
    const char *y_label;
    const char *note; /* footnote: definition and source */
    size_t n_x;
    const char *const *x_labels; /* category labels, e.g. years */
    size_t n_series;
    const struct tr_chart_series *series;
    size_t n_marks;
    const struct tr_chart_mark *marks;
    int y_money;               /* format the y axis as $k / $m / $bn */
    size_t highlight;          /* line charts: 1 + index of a series drawn as a wide pale
                                     band under the others, so it shows even where it equals
                                     one of them (e.g. the quoted figure); 0 = none */
    int y_percent;             /* format the y axis as "20%" (values are percent already);
                                     ignored when y_money is set */
    const char *mark_names[2]; /* legend text for hollow and filled marks; NULL = none */
};

/* Draws c inside the rectangle (x, y, w, h) in the current user units (points for PDF). */
int tr_chart_draw(cairo_t *cr, double x, double y, double w, double h, const struct tr_chart *c,
                  struct tr_err *e);
/* Renders c alone to a PNG of w x h pixels (used by tests and for previews). */
int tr_chart_write_png(const struct tr_chart *c, int w, int h, const char *path,
                       struct tr_err *e);

/* Axis helpers, exported for tests. A 1-2-5 step giving at most max_ticks intervals. */
double tr_chart_nice_step(double range, int max_ticks);
/* "$0", "$850", "$12k", "$1.5m", "$3.3bn": money with k/m/bn, at most 3 significant digits. */
void tr_chart_format_money(double v, char *buf, size_t n);
/* A y-axis tick label for v on an axis of the given step, as c draws it: money, percent
 * ("20%", "2.5%": as many decimals as the step needs) or a plain number with k/m/bn. */
void tr_chart_format_tick(const struct tr_chart *c, double v, double step, char *buf, size_t n);

/* Text helpers shared with pdf.c; they measure with cr's current font. */
struct tr_text_span {
    size_t off, len; /* bytes of one line inside the wrapped text */
};
/* Wraps UTF-8 text to width ('\n' forces a break; a word wider than width is split between
 * characters). Fills at most max spans and returns how many lines the whole text needs. */
size_t tr_chart_wrap_text(cairo_t *cr, const char *text, double width, struct tr_text_span *lines,
                          size_t max);
/* Largest n <= len that does not cut a UTF-8 sequence of s. */
size_t tr_chart_utf8_floor(const char *s, size_t len);
/* Width of the first len bytes of s, and drawing them at the current point. */
double tr_chart_text_width(cairo_t *cr, const char *s, size_t len);
void tr_chart_show_text_n(cairo_t *cr, const char *s, size_t len);
/* Draws text wrapped to width from top-left (x, top), lines lh apart; at most max_lines (at
 * most 16), the last one ending in an ellipsis when the text needs more. align: 0 left,
 * 1 centre. With draw 0 it only measures. Returns the number of lines (drawn or needed). */
size_t tr_chart_text_block(cairo_t *cr, double x, double top, double width, double lh,
                           const char *text, size_t max_lines, int align, int draw);

#endif
