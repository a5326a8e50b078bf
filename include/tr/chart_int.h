/*
 * The chart drawer's own declarations, shared by its files (chart.c: the plot, series, marks
 * and tr_chart_draw; chart_text.c: measured and wrapped text; chart_axes.c: tick steps and
 * labels, the y axis and the x labels). Not for other modules: they use tr/chart.h.
 * Ownership: nothing here allocates or keeps what it is given.
 */
#ifndef TR_CHART_INT_H
#define TR_CHART_INT_H

#include <math.h>
#include <stddef.h>

#include <cairo.h>

#include "tr/chart.h"

#define FONT "DejaVu Sans"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Sizes in user units: points on a PDF page; write_png scales so a chart is ~500 units wide. */
#define TITLE_SIZE 11.0
#define LEGEND_SIZE 8.0
#define AXIS_SIZE 7.5
#define NOTE_SIZE 7.0
#define LINE_GAP 1.3 /* line height as a multiple of the font size */
#define MAX_TITLE_LINES 2
#define MAX_NOTE_LINES 6
#define MAX_INTERVALS 5
#define PNG_UNITS 500.0 /* write_png draws in a 500-unit-wide user space */

#define C_TEXT 0x1A1A1A
#define C_LABEL 0x4D4D4D
#define C_NOTE 0x6B6B6B
#define C_GRID 0xDCDCDC
#define C_AXIS 0x7F7F7F

/* Where the plot lies and how values map into it. */
static inline void set_hex(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

static inline void set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static inline double line_height(double size)
{
    return size * LINE_GAP;
}

struct frame {
    double px, py, pw, ph; /* plot rectangle */
    long klo, khi;         /* axis runs from klo*step to khi*step */
    double step;
    double slot; /* width of one category */
};

static inline double map_y(const struct frame *f, double v)
{
    double t = (v / f->step - (double)f->klo) / (double)(f->khi - f->klo);
    return f->py + f->ph - t * f->ph;
}

static inline double map_x(const struct frame *f, size_t i)
{
    return f->px + (i + 0.5) * f->slot;
}

void tr_chart_draw_y_axis(cairo_t *cr, const struct tr_chart *c, const struct frame *f,
                          double label_right);
int tr_chart_consecutive_periods(const struct tr_chart *c, long *first);
size_t tr_chart_x_label_lines(cairo_t *cr, const struct tr_chart *c, double slot);
void tr_chart_draw_x_labels(cairo_t *cr, const struct tr_chart *c, const struct frame *f,
                            double top, size_t lines);

#endif
