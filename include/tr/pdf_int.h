/*
 * The PDF writer's own declarations, shared by its files (pdf.c: page furniture, text helpers
 * and the document; pdf_pages_text.c: cover, key figures, claim checks; pdf_pages_trade.c:
 * trade over time, composition, mirror; pdf_pages_goods.c: CHPL goods, monthly trade). Not
 * part of the writers' interface (tr/pdf.h). Ownership: struct doc borrows the report, the
 * briefing and the Cairo context; nothing here allocates except labels (pdf_labels_free).
 */
#ifndef TR_PDF_INT_H
#define TR_PDF_INT_H

#include <stddef.h>

#include <cairo.h>

#include "tr/briefing.h"
#include "tr/chart.h"
#include "tr/err.h"

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
#define CONTENT_TOP 76.0 /* below the running header */
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

enum align { LEFT, RIGHT, CENTRE };

/* Category labels ("2019", "2023-01") for a chart, and the pointers chart.c reads. */
struct labels {
    char (*text)[32];
    const char **ptr;
};

void pdf_fit_text(cairo_t *cr, const char *s, double width, char *out, size_t n);
const char *pdf_country_name(const struct doc *d, const char *iso3);
size_t pdf_add_series(struct tr_chart_series *out, const char *const names[], const double *v[],
                      size_t k, size_t n);
const char *pdf_side_label(const struct doc *d, const char *side);
double pdf_page_heading(const struct doc *d, double top, const char *title, const char *sub);
int pdf_labels_new(struct labels *l, size_t n, struct tr_err *e);
size_t pdf_leading_gap(const struct tr_chart_series *s, size_t ns, size_t n);
void pdf_fit_text_middle(cairo_t *cr, const char *s, double width, char *out, size_t n);
double pdf_text_w(cairo_t *cr, const char *s);
void pdf_set_font(cairo_t *cr, double size, int bold);
void pdf_begin_page(struct doc *d, const char *outline);
int pdf_end_page(struct doc *d, struct tr_err *e);
void pdf_fmt_timestamp(const char *iso, char *buf, size_t n);
int pdf_chart_stack(const struct doc *d, double top, const struct tr_chart *const charts[],
                    const double *weight, size_t n, struct tr_err *e);
void pdf_text_at(cairo_t *cr, double x, double y, enum align al, const char *s);
void pdf_labels_free(struct labels *l);
void pdf_set_hex(cairo_t *cr, unsigned rgb);
double pdf_paragraph(cairo_t *cr, double x, double top, double width, double lh, const char *text,
                     int draw);
const char *pdf_str_or(const char *s, const char *dflt);
void pdf_page_cover(const struct doc *d);
int pdf_section_key_figures(struct doc *d, struct tr_err *e);
int pdf_page_composition(struct doc *d, struct tr_err *e);
int pdf_page_trade(struct doc *d, struct tr_err *e);
size_t pdf_find_int(const int *ys, size_t n, int v);
int pdf_page_mirror(struct doc *d, struct tr_err *e);
size_t pdf_unique_ints(int *ys, size_t n);
struct tariff_year;
int pdf_page_tariff_coverage(struct doc *d, const struct tariff_year *t, size_t n,
                             struct tr_err *e);
int pdf_page_monthly(struct doc *d, struct tr_err *e);
int pdf_pages_baskets(struct doc *d, struct tr_err *e);

/* Appends printf-style text to buf (of size n) at *off, never past its end. */
__attribute__((format(printf, 4, 5))) void pdf_append(char *buf, size_t n, size_t *off,
                                                      const char *fmt, ...);

#endif
