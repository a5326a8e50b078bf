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
#include "tr/fmt.h"
#include "tr/pdf_int.h"

/* ---- small helpers ----------------------------------------------------------------------- */

void pdf_set_hex(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

void pdf_set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double pdf_text_w(cairo_t *cr, const char *s)
{
    return tr_chart_text_width(cr, s, strlen(s));
}

/* Draws s with its baseline at y; x is the left edge, right edge or centre per align. */
void pdf_text_at(cairo_t *cr, double x, double y, enum align al, const char *s)
{
    double w = al == LEFT ? 0 : pdf_text_w(cr, s);
    cairo_move_to(cr, al == LEFT ? x : al == RIGHT ? x - w : x - w / 2, y);
    cairo_show_text(cr, s);
}

/* Copies s into out, cut with an ellipsis to fit width. */
void pdf_fit_text(cairo_t *cr, const char *s, double width, char *out, size_t n)
{
    snprintf(out, n, "%s", s);
    if (pdf_text_w(cr, out) <= width)
        return;
    double ell = pdf_text_w(cr, ELLIPSIS);
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
void pdf_fit_text_middle(cairo_t *cr, const char *s, double width, char *out, size_t n)
{
    size_t len = strlen(s);
    if (pdf_text_w(cr, s) <= width || len + sizeof(ELLIPSIS) > n) {
        pdf_fit_text(cr, s, width, out, n);
        return;
    }
    double ell = pdf_text_w(cr, ELLIPSIS);
    size_t head = len / 2, tail = len - head; /* drop bytes from the middle until it fits */
    for (;;) {
        while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
            head--;
        while (tail < len && ((unsigned char)s[tail] & 0xC0) == 0x80)
            tail++;
        if (head == 0 || tail >= len ||
            tr_chart_text_width(cr, s, head) + ell +
                    tr_chart_text_width(cr, s + tail, len - tail) <=
                width)
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
double pdf_paragraph(cairo_t *cr, double x, double top, double width, double lh, const char *text,
                     int draw)
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
void pdf_fmt_timestamp(const char *iso, char *buf, size_t n)
{
    int y, mo, d, h, mi;
    char z = 0;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%*2d%c", &y, &mo, &d, &h, &mi, &z) == 6 && z == 'Z')
        snprintf(buf, n, "%04d-%02d-%02d %02d:%02d UTC", y, mo, d, h, mi);
    else
        snprintf(buf, n, "%s", iso);
}

const char *pdf_side_label(const struct doc *d, const char *side)
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
    pdf_set_font(cr, 7.5, 0);
    pdf_set_hex(cr, C_MUTED);
    const char *right = "Trade briefing";
    double rw = pdf_text_w(cr, right);
    snprintf(left, sizeof(left), "%s, %s", d->pair, d->period);
    pdf_fit_text(cr, left, CONTENT_W - rw - 24, fitted, sizeof(fitted));
    pdf_text_at(cr, MARGIN, HEADER_BASE, LEFT, fitted);
    pdf_text_at(cr, PAGE_W - MARGIN, HEADER_BASE, RIGHT, right);
    pdf_set_hex(cr, C_HAIR);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, MARGIN, HEADER_BASE + 7);
    cairo_line_to(cr, PAGE_W - MARGIN, HEADER_BASE + 7);
    cairo_stroke(cr);
}

static void footer(const struct doc *d)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "Page %d of %d", d->page, d->n_pages);
    pdf_set_font(d->cr, 7.5, 0);
    pdf_set_hex(d->cr, C_MUTED);
    pdf_text_at(d->cr, PAGE_W / 2, FOOTER_BASE, CENTRE, buf);
}

/* Page title and a muted subtitle under it; returns the y where content may start. */
double pdf_page_heading(const struct doc *d, double top, const char *title, const char *sub)
{
    cairo_t *cr = d->cr;
    pdf_set_font(cr, 16, 1);
    pdf_set_hex(cr, C_TEXT);
    pdf_text_at(cr, MARGIN, top + 16, LEFT, title);
    double y = top + 26;
    if (sub && *sub) {
        pdf_set_font(cr, 9, 0);
        pdf_set_hex(cr, C_MUTED);
        y += pdf_paragraph(cr, MARGIN, y, CONTENT_W, 12.5, sub, 1);
    }
    return y + 14;
}

/* Opens a page with the running header; outline, when given, names it in the PDF's
 * bookmarks. */
void pdf_begin_page(struct doc *d, const char *outline)
{
    running_header(d);
    if (outline && *outline) {
        char dest[32];
        snprintf(dest, sizeof(dest), "page=%d", d->page);
        cairo_pdf_surface_add_outline(d->surface, CAIRO_PDF_OUTLINE_ROOT, outline, dest, 0);
    }
}

int pdf_end_page(struct doc *d, struct tr_err *e)
{
    footer(d);
    cairo_show_page(d->cr);
    d->page++;
    if (cairo_status(d->cr) != CAIRO_STATUS_SUCCESS)
        return tr_err_set(e, TR_EIO, "pdf page %d: cairo: %s", d->page - 1,
                          cairo_status_to_string(cairo_status(d->cr)));
    return 0;
}

/* ---- shared by the chart pages ----------------------------------------------------------- */

int pdf_labels_new(struct labels *l, size_t n, struct tr_err *e)
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

void pdf_labels_free(struct labels *l)
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
size_t pdf_add_series(struct tr_chart_series *out, const char *const names[], const double *v[],
                      size_t k, size_t n)
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
size_t pdf_leading_gap(const struct tr_chart_series *s, size_t ns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ns; k++)
            if (s[k].y && isfinite(s[k].y[i]))
                return i;
    return n;
}

/* Draws the charts one under the other from top to the bottom of the content area, with
 * heights in proportion to weight (NULL: equal). */
int pdf_chart_stack(const struct doc *d, double top, const struct tr_chart *const charts[],
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
void pdf_append(char *buf, size_t n, size_t *off, const char *fmt, ...)
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
const char *pdf_country_name(const struct doc *d, const char *iso3)
{
    if (strcmp(iso3, d->a) == 0)
        return d->a_name;
    if (strcmp(iso3, d->b) == 0)
        return d->b_name;
    return iso3;
}

/* ---- the document ------------------------------------------------------------------------ */

static void doc_init(struct doc *d, cairo_t *cr, cairo_surface_t *s, const struct tr_briefing *bf)
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
    pdf_page_cover(d);
    if ((rc = pdf_end_page(d, e)) || (rc = pdf_section_key_figures(d, e)) ||
        (rc = pdf_page_trade(d, e)) || (rc = pdf_page_composition(d, e)) ||
        (rc = pdf_page_mirror(d, e)) || (rc = pdf_page_tariff_coverage(d, NULL, 0, e)) ||
        (rc = pdf_pages_baskets(d, e)) || (rc = pdf_page_monthly(d, e)))
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
    int err; /* errno of the first failed write, 0 if none */
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
