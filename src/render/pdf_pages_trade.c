/*
 * The PDF briefing's chart pages about the pair's trade: trade over time (with the claims the
 * briefing marks), composition by HS section (the briefing's sections and years) and mirror
 * statistics. Each page is left out when it has nothing to draw.
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
        char money[32], article[64], defn[MARK_LABEL - 64]; /* the label holds them all */
        tr_fmt_money(c->stated_value, money, sizeof(money));
        cut_chars(pdf_str_or(c->article, "article"), 34, article, sizeof(article));
        snprintf(mk->label[mk->n], MARK_LABEL, "stated %s (%s)", money, article);
        mk->m[mk->n] = (struct tr_chart_mark){k->x, c->stated_value, mk->label[mk->n], 0,
                                              mk->n + 2};
        mk->n++;
        tr_fmt_money(best->computed_value, money, sizeof(money));
        strip_year(pdf_str_or(best->definition, "computed"), c->year, defn, sizeof(defn));
        if (k->same_source)
            snprintf(mk->label[mk->n], MARK_LABEL, "computed %s: %s", money, defn);
        else
            snprintf(mk->label[mk->n], MARK_LABEL, "computed %s: %s [%s]", money, defn,
                     pdf_str_or(best->source, "?"));
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
        pdf_set_font(cr, 9.5, 1);
        pdf_set_hex(cr, C_TEXT);
        pdf_text_at(cr, MARGIN, top + 10, LEFT, "Mirror statistics");
    }
    pdf_set_font(cr, 8, 0);
    pdf_set_hex(cr, C_MUTED);
    return h + pdf_paragraph(cr, MARGIN, top + h, CONTENT_W, 11, buf, draw);
}

/* The second chart of the trade page: each country's exports to the other. */
struct exports_chart {
    char x_a[200], x_b[200], title[200], note[1000];
    struct tr_chart_series ser[2];
    struct tr_chart c;
};

static void exports_chart(const struct doc *d, int rec, const struct labels *lab,
                          const double *a_x, const double *b_x, struct exports_chart *k)
{
    const struct tr_report *r = d->r;
    snprintf(k->x_a, sizeof(k->x_a), rec ? "%s exports to %s" : "%s exports to %s, as %s reports",
             d->a, d->b, d->a);
    snprintf(k->x_b, sizeof(k->x_b), rec ? "%s exports to %s" : "%s exports to %s, as %s reports",
             d->b, d->a, d->b);
    const char *names2[] = {k->x_a, k->x_b};
    const double *vals2[] = {a_x, b_x};
    size_t ns2 = pdf_add_series(k->ser, names2, vals2, 2, r->n_years);
    snprintf(k->title, sizeof(k->title), "%s",
             rec ? "Exports in each direction"
                 : "Exports in each direction, as the exporter "
                   "reports");
    snprintf(k->note, sizeof(k->note),
             "%s The difference between the two columns is the bilateral balance. Gaps: not "
             "reported. %s%s%sCurrent US$. Source: %s.",
             rec ? "Each country" APOS "s exports to the other, valued FOB, as the source "
                   "reconciled them."
                 : "Each country" APOS "s exports to the other as that country declares them "
                   "(exports are valued FOB).",
             *d->bf->partial_note ? "* " : "", d->bf->partial_note,
             *d->bf->partial_note ? " " : "", d->src);
    k->c = (struct tr_chart){
        .kind = TR_CHART_COLUMNS,
        .title = k->title,
        .x_label = "Year",
        .y_label = "US$, current prices",
        .note = k->note,
        .n_x = r->n_years,
        .x_labels = lab->ptr,
        .n_series = ns2,
        .series = k->ser,
        .y_money = 1,
    };
}

/* The turnover chart's note: what turnover is for this source, the claim marks, the partial
 * years. */
static void turnover_note(const struct doc *d, int rec, int marked, char *note, size_t size)
{
    size_t off = 0;
    if (rec)
        pdf_append(note, size, &off,
                   "Turnover = exports + imports between %s and %s, one figure per flow that the "
                   "source reconciled from both countries" APOS
                   " declarations. Gaps: not reported. ",
                   d->a_name, d->b_name);
    else
        pdf_append(note, size, &off,
                   "Turnover = exports + imports between %s and %s as one country declares them. "
                   "Best figure = the turnover this briefing quotes (whose declaration: see Key "
                   "figures). Gaps: not reported. ",
                   d->a_name, d->b_name);
    if (marked)
        pdf_append(note, size, &off,
                   "Diamonds: a turnover figure stated in an article (hollow) and the figure "
                   "computed from the data that it is checked against (filled; see Claim "
                   "checks). ");
    if (*d->bf->partial_note)
        pdf_append(note, size, &off, "* %s ", d->bf->partial_note);
    pdf_append(note, size, &off, "Current US$. Source: %s.", d->src);
}

int pdf_page_trade(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    size_t n = r->n_years ? r->n_years : 1;
    struct labels lab = {0};
    struct marks mk = {0};
    double *v = calloc(5 * n, sizeof(*v));
    int rc = pdf_labels_new(&lab, n, e);
    if (!rc && !v)
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for chart data");
    if (!rc)
        rc = turnover_marks(d, &mk, e);
    if (rc)
        goto out;
    for (size_t i = 0; i < r->n_years; i++) {
        const struct tr_bilateral_year *y = &r->years[i];
        snprintf(lab.text[i], sizeof(lab.text[i]), y->goods_partial ? "%d *" : "%d", y->year);
        v[0 * n + i] = y->turnover_a;
        v[1 * n + i] = y->turnover_b;
        v[2 * n + i] = y->turnover_best;
        v[3 * n + i] = y->a_exports_to_b;
        v[4 * n + i] = y->b_exports_to_a;
    }

    pdf_begin_page(d, "Trade over time");
    double y = pdf_page_heading(d, CONTENT_TOP, "Trade over time", NULL);

    char n_a[200], n_b[200], title[400], note[1600];
    /* A reconciled source (BACI) has one figure per flow: one line, named for what it is. */
    int rec = reconciled(r);
    snprintf(n_a, sizeof(n_a), "Turnover as %s reports", d->a_name);
    snprintf(n_b, sizeof(n_b), "Turnover as %s reports", d->b_name);
    const char *names[] = {n_a, n_b, rec ? "Turnover (reconciled by the source)" : "Best figure"};
    const double *vals[] = {v, v + n, v + 2 * n};
    struct tr_chart_series ser[3];
    size_t ns = rec ? pdf_add_series(ser, names + 2, vals + 2, 1, r->n_years)
                    : pdf_add_series(ser, names, vals, 3, r->n_years);
    size_t band = 0; /* the quoted figure: a pale band under the two declarations */
    for (size_t i = 0; ns > 1 && i < ns; i++) /* alone, it is just a line */
        if (ser[i].y == vals[2])
            band = i + 1;
    snprintf(title, sizeof(title), "Turnover by year, %s", d->pair);
    turnover_note(d, rec, mk.n > 0, note, sizeof(note));
    struct tr_chart c1 = {
        .kind = TR_CHART_LINE,
        .title = title,
        .x_label = "Year",
        .y_label = "US$, current prices",
        .note = note,
        .n_x = r->n_years,
        .x_labels = lab.ptr,
        .n_series = ns,
        .series = ser,
        .n_marks = mk.n,
        .marks = mk.m,
        .y_money = 1,
        .highlight = band,
        .mark_names = {"stated in an article", "computed from the data"},
    };

    struct exports_chart c2;
    exports_chart(d, rec, &lab, v + 3 * n, v + 4 * n, &c2);

    /* Without mirror figures, a paragraph says why, under the charts. */
    double foot = r->n_mirror == 0 ? mirror_absent(d, 0, 0) + 22 : 0;
    const double avail = CONTENT_BOTTOM - foot - y - 26;
    double h1 = avail * 0.55;
    if ((rc = tr_chart_draw(d->cr, MARGIN, y, CONTENT_W, h1, &c1, e)))
        goto out;
    if ((rc = tr_chart_draw(d->cr, MARGIN, y + h1 + 26, CONTENT_W, avail - h1, &c2.c, e)))
        goto out;
    if (r->n_mirror == 0)
        mirror_absent(d, CONTENT_BOTTOM - foot + 22, 1);
    rc = pdf_end_page(d, e);
out:
    pdf_labels_free(&lab);
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
    const char *ex = pdf_country_name(d, exporter), *im = pdf_country_name(d, importer);
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
        snprintf(k->title, sizeof(k->title), "What %s exports to %s, by HS section, %d", ex, im,
                 base);
    snprintf(k->y_label, sizeof(k->y_label), "%% of %s" APOS "s exports to %s", exporter,
             importer);
    size_t off = 0;
    pdf_append(k->note, sizeof(k->note), &off,
               "Share of each HS section in %s" APOS "s goods exports to %s, %% of the year" APOS
               "s total (",
               ex, im);
    if (n_ser == 2)
        pdf_append(k->note, sizeof(k->note), &off, "%d: %s; %d: %s). ", base, t0, latest, t1);
    else
        pdf_append(k->note, sizeof(k->note), &off, "%d: %s). ", base, t0);
    if (n_ser == 2 && base != d->bf->baseline_year)
        pdf_append(k->note, sizeof(k->note), &off, "%s ", d->bf->comp_note);
    if (m->n_codes > m->n_cat)
        pdf_append(k->note, sizeof(k->note), &off,
                   "The %d largest sections of %d are shown; Other sections = the rest. ",
                   TR_BRIEF_COMP_SHOWN, latest);
    pdf_append(k->note, sizeof(k->note), &off,
               "Not specified = the part of the total the product detail does not cover. Shares "
               "are built from the coarsest HS level the data has (chapters where present), "
               "latest HS revision of each year. Source: %s.",
               d->src);
    k->c = (struct tr_chart){
        .kind = TR_CHART_COLUMNS,
        .title = k->title,
        .x_label = "HS section (short names)",
        .y_label = k->y_label,
        .note = k->note,
        .n_x = m->n_cat,
        .x_labels = m->cat,
        .n_series = n_ser,
        .series = k->ser,
        .y_percent = 1,
    };
}

int pdf_page_composition(struct doc *d, struct tr_err *e)
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
        pdf_begin_page(d, "What is traded");
        char sub[500];
        snprintf(sub, sizeof(sub),
                 "Each country" APOS "s exports to the other by section of "
                 "the Harmonized System (HS): %s",
                 d->bf->comp_note);
        double y = pdf_page_heading(d, CONTENT_TOP, "What is traded", sub);
        rc = pdf_chart_stack(d, y, charts, NULL, n, e);
        if (!rc)
            rc = pdf_end_page(d, e);
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
size_t pdf_unique_ints(int *ys, size_t n)
{
    qsort(ys, n, sizeof(*ys), cmp_int);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || ys[m - 1] != ys[i])
            ys[m++] = ys[i];
    return m;
}

size_t pdf_find_int(const int *ys, size_t n, int v)
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
    size_t ns = pdf_add_series(m->ser, names, vals, 2, ny);
    snprintf(m->title, sizeof(m->title), "%s" APOS "s exports to %s, declared by both sides",
             pdf_country_name(d, m->from), pdf_country_name(d, m->to));
    size_t off = 0;
    pdf_append(m->note, sizeof(m->note), &off,
               "The same goods as the exporter declares them (FOB: valued at its border) and as "
               "the "
               "importer declares them (CIF: with freight and insurance, so usually somewhat "
               "higher). Import side / export side:");
    size_t first = ny > 12 ? ny - 12 : 0;
    if (first > 0)
        pdf_append(m->note, sizeof(m->note), &off, " " ELLIPSIS);
    for (size_t i = first; i < ny; i++) {
        if (isfinite(m->ratio[i]))
            pdf_append(m->note, sizeof(m->note), &off, " %d %.2f%s", ys[i], m->ratio[i],
                       i + 1 < ny ? "," : ".");
        else
            pdf_append(m->note, sizeof(m->note), &off, " %d " EN_DASH "%s", ys[i],
                       i + 1 < ny ? "," : ".");
    }
    pdf_append(m->note, sizeof(m->note), &off,
               " Between 0.95 and 1.15 is within the usual CIF/FOB margin. Gaps: that side did "
               "not declare its trade with the other. Current US$. Source: %s.",
               d->src);
    m->c = (struct tr_chart){
        .kind = TR_CHART_LINE,
        .title = m->title,
        .x_label = "Year",
        .y_label = "US$, current prices",
        .note = m->note,
        .n_x = ny,
        .x_labels = labels,
        .n_series = ns,
        .series = m->ser,
        .y_money = 1,
    };
}

int pdf_page_mirror(struct doc *d, struct tr_err *e)
{
    const struct tr_report *r = d->r;
    if (r->n_mirror == 0)
        return 0; /* the trade page says why */
    int rc = 0;
    size_t n = r->n_mirror;
    struct labels lab = {0};
    int *ys = calloc(n, sizeof(*ys));
    double *v = malloc(6 * n * sizeof(*v));
    struct mirror_dir *m = calloc(2, sizeof(*m));
    if ((rc = pdf_labels_new(&lab, n, e)))
        goto out;
    if (!ys || !v || !m) {
        rc = tr_err_set(e, TR_ENOMEM, "pdf: out of memory for the mirror charts");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        ys[i] = r->mirror[i].year;
    size_t ny = pdf_unique_ints(ys, n);
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
        size_t yi = pdf_find_int(ys, ny, row->year);
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
        pdf_begin_page(d, "Mirror statistics");
        double y =
            pdf_page_heading(d, CONTENT_TOP, "Mirror statistics",
                             "Every flow between the two countries is declared twice: by the "
                             "exporter and, as a mirror, by the importer. A gap wider than "
                             "freight and insurance points to timing, goods routed through "
                             "third countries, or trade one side leaves out or books "
                             "elsewhere.");
        if (!(rc = pdf_chart_stack(d, y, charts, NULL, nc, e)))
            rc = pdf_end_page(d, e);
    }
out:
    pdf_labels_free(&lab);
    free(ys);
    free(v);
    free(m);
    return rc;
}
