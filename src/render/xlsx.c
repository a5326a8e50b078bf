/*
 * The Excel workbook of a briefing (libxlsxwriter): the cells, tables, page setup and document
 * properties every sheet shares, and tr_xlsx_write(), which writes the sheets in order
 * (xlsx_sheets.c, xlsx_charts.c, xlsx_defs.c). Money cells hold US$ millions (value / 1e6,
 * #,##0.0); a missing figure (NAN) is an empty cell, never 0; percentages are fractions shown
 * as 0.0%. No database, no rename (the caller writes to a temporary name and renames); on
 * failure it removes what it wrote at path.
 */
#include "tr/xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tr/xlsx_int.h"

void xw_check(struct xw *x, lxw_error err, const char *where)
{
    if (err != LXW_NO_ERROR && !x->rc)
        x->rc = tr_err_set(x->e, TR_EIO, "writing \"%s\": %s: %s", x->path, where,
                           lxw_strerror(err));
}

void xw_out_of_memory(struct xw *x, const char *what)
{
    if (!x->rc)
        x->rc = tr_err_set(x->e, TR_ENOMEM, "writing \"%s\": cannot allocate %s", x->path, what);
}

void xw_put_str(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                lxw_format *fmt)
{
    if (!x->rc && s && *s)
        xw_check(x, worksheet_write_string(ws, row, col, s, fmt ? fmt : x->f.text), ws->name);
}

void xw_put_num(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                lxw_format *fmt)
{
    /* A missing figure stays an empty cell: an Excel 0 would read as "no trade". */
    if (!x->rc && isfinite(v))
        xw_check(x, worksheet_write_number(ws, row, col, v, fmt), ws->name);
}

void xw_put_money(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double usd)
{
    xw_put_num(x, ws, row, col, usd / MILLION, x->f.money);
}

void xw_put_pct(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double pct)
{
    xw_put_num(x, ws, row, col, pct / 100.0, x->f.pct);
}

void xw_set_width(struct xw *x, lxw_worksheet *ws, lxw_col_t col, double width, lxw_format *fmt)
{
    if (!x->rc)
        xw_check(x, worksheet_set_column(ws, col, col, width, fmt), ws->name);
}

/* Column width (in characters) that shows s on one line: code points, not bytes. */
double xw_text_width(const char *s)
{
    double n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    n += 2;
    return n < 8 ? 8 : n > 80 ? 80 : n;
}

double xw_wider(double w, const char *s)
{
    double t = xw_text_width(s);
    return t > w ? t : w;
}

/* Width of a number as shown with `decimals` decimals, thousands separators when `commas`,
 * and a trailing % when `pct`: enough for the cell never to show ####. */
double xw_num_width(double v, int decimals, int commas, int pct)
{
    if (!isfinite(v))
        return 0;
    double a = fabs(v);
    int digits = a < 1 ? 1 : (int)floor(log10(a)) + 1;
    double n = digits + (commas ? (digits - 1) / 3 : 0) + (decimals ? decimals + 1 : 0) +
               (v < 0) + (pct != 0) + 3;
    return n;
}

lxw_worksheet *xw_add_sheet(struct xw *x, const char *name)
{
    if (x->rc)
        return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        xw_out_of_memory(x, "a worksheet");
        return NULL;
    }
    /* Printed as an economist files it: A4 landscape, as wide as the page, any number of
     * pages down, the sheet's name and the page in the footer. */
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    worksheet_center_horizontally(ws);
    xw_check(x, worksheet_set_footer(ws, "&L&A&R&P / &N"), name);
    return ws;
}

/* Writes a header row at row 0 of ws and starts the widths from the header texts. */
void xw_tab_begin(struct xw *x, struct table *t, lxw_worksheet *ws, const char *const *heads,
                  int ncols)
{
    memset(t, 0, sizeof(*t));
    t->ws = ws;
    t->ncols = ncols;
    t->heads = heads;
    for (int c = 0; c < ncols && c < MAX_COLS; c++) {
        xw_put_str(x, ws, 0, (lxw_col_t)c, heads[c], x->f.header);
        double w = xw_text_width(heads[c]);
        t->w[c] = w > HEAD_WIDTH ? HEAD_WIDTH : w; /* long headers wrap */
    }
}

void xw_tab_grow(struct table *t, lxw_col_t col, double w)
{
    if (col < MAX_COLS && w > t->w[col])
        t->w[col] = w;
}

void xw_tab_str(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s)
{
    xw_put_str(x, t->ws, row, col, s, NULL);
    xw_tab_grow(t, col, xw_text_width(s));
}

/* Long text: wrapped in a column at most WRAP_WIDTH wide. */
void xw_tab_text(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s)
{
    xw_put_str(x, t->ws, row, col, s, x->f.wrap);
    double w = xw_text_width(s);
    xw_tab_grow(t, col, w > WRAP_WIDTH ? WRAP_WIDTH : w);
    xw_tab_wrapped(x, t, row, s, WRAP_WIDTH);
}

/* Lines s takes in a column `width` characters wide: a conservative count (a wrapped line
 * holds fewer characters than the width when words break early, and LibreOffice may set the
 * text in a wider font than Excel's). Counts code points, not xw_text_width's capped width. */
static int text_lines(const char *s, double width)
{
    double chars = 0, per = width - 4;
    int n = 1;
    for (const char *p = s; p && *p; p++) {
        n += *p == '\n';
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    }
    if (per < 4)
        per = 4;
    int wrapped = (int)ceil(chars * 1.25 / per);
    return wrapped > n ? wrapped : n;
}

/* Makes row tall enough for s wrapped at width; h is the height the row has so far. */
void xw_row_for_text(struct xw *x, lxw_worksheet *ws, lxw_row_t row, const char *s, double width,
                     double *h)
{
    double need = ROW_HEIGHT * text_lines(s, width);
    if (need <= *h || x->rc)
        return;
    *h = need;
    xw_check(x, worksheet_set_row(ws, row, need, NULL), ws->name);
}

void xw_tab_wrapped(struct xw *x, struct table *t, lxw_row_t row, const char *s, double width)
{
    if (row != t->h_row) {
        t->h_row = row;
        t->h = ROW_HEIGHT;
    }
    xw_row_for_text(x, t->ws, row, s, width, &t->h);
}

void xw_tab_year(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, int year)
{
    xw_put_num(x, t->ws, row, col, year, x->f.year);
}

void xw_tab_money(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double usd)
{
    xw_put_money(x, t->ws, row, col, usd);
    xw_tab_grow(t, col, xw_num_width(usd / MILLION, 1, 1, 0));
}

void xw_tab_pct(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double pct)
{
    xw_put_pct(x, t->ws, row, col, pct);
    xw_tab_grow(t, col, xw_num_width(pct, 1, 0, 1));
}

/* Widths, a frozen header row and an autofilter over rows 0..last. */
void xw_tab_end(struct xw *x, struct table *t, lxw_row_t last)
{
    double h = ROW_HEIGHT;
    for (int c = 0; c < t->ncols && c < MAX_COLS; c++) {
        xw_set_width(x, t->ws, (lxw_col_t)c, t->w[c], NULL);
        xw_row_for_text(x, t->ws, 0, t->heads[c], t->w[c], &h);
    }
    if (x->rc)
        return;
    worksheet_freeze_panes(t->ws, 1, 0);
    xw_check(x, worksheet_repeat_rows(t->ws, 0, 0), t->ws->name);
    xw_check(x, worksheet_autofilter(t->ws, 0, 0, last, (lxw_col_t)(t->ncols - 1)), t->ws->name);
}

/* A sheet with nothing to show says why in one line. */
void xw_empty_sheet(struct xw *x, lxw_worksheet *ws, const char *why)
{
    xw_put_str(x, ws, 0, 0, why, x->f.note);
    xw_set_width(x, ws, 0, xw_text_width(why), NULL);
}

/* "A" and "B" name a side of the pair; show its ISO3 code. "reconciled" and others verbatim. */
const char *xw_side_label(const struct tr_report *r, const char *side)
{
    if (strcmp(side, "A") == 0)
        return r->a;
    if (strcmp(side, "B") == 0)
        return r->b;
    return side;
}

void xw_period_text(const struct tr_report *r, char *buf, size_t n)
{
    if (r->from_year == r->to_year)
        snprintf(buf, n, "%d", r->from_year);
    else
        snprintf(buf, n, "%d" EN_DASH "%d", r->from_year, r->to_year);
}

int xw_is_baci(const struct tr_report *r)
{
    return strcmp(r->source, "baci") == 0;
}

/* A claim's figures are percentages (growth, share of tariff lines) or US$. The unit column
 * says which; when a claim states no figure (and so no unit) the metric decides. */
int xw_claim_is_pct(const struct tr_claim_row *c)
{
    return tr_briefing_claim_unit(c) == TR_UNIT_PCT;
}

const char *xw_claim_unit(const struct tr_claim_row *c)
{
    if (xw_claim_is_pct(c))
        return "%";
    if (tr_briefing_claim_unit(c) == TR_UNIT_USD)
        return "US$ m";
    return "";
}

/* A claim figure in its unit: US$ millions or a percentage shown as 0.0%. */
void xw_put_claim_value(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                        const struct tr_claim_row *c, double v)
{
    if (xw_claim_is_pct(c))
        xw_put_pct(x, ws, row, col, v);
    else
        xw_put_money(x, ws, row, col, v);
}

double xw_claim_value_width(const struct tr_claim_row *c, double v)
{
    return xw_claim_is_pct(c) ? xw_num_width(v, 1, 0, 1) : xw_num_width(v / MILLION, 1, 1, 0);
}

static lxw_format *new_format(struct xw *x)
{
    if (x->rc)
        return NULL;
    lxw_format *f = workbook_add_format(x->wb);
    if (!f)
        xw_out_of_memory(x, "a cell format");
    return f;
}

/* Every cell sits at the top of its row: beside a claim that wraps onto three lines, its
 * figures and verdict stay on the claim's first line instead of near the next claim's. */
static void make_formats(struct xw *x)
{
    struct formats *f = &x->f;
    if ((f->title = new_format(x))) {
        format_set_bold(f->title);
        format_set_font_size(f->title, 14);
    }
    if ((f->label = new_format(x))) {
        format_set_bold(f->label);
        format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->header = new_format(x))) {
        format_set_bold(f->header);
        format_set_text_wrap(f->header);
        format_set_bg_color(f->header, 0xD9E1F2);
        format_set_bottom(f->header, LXW_BORDER_THIN);
        format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    }
    if ((f->money = new_format(x))) {
        format_set_num_format(f->money, "#,##0.0");
        format_set_align(f->money, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->pct = new_format(x))) {
        format_set_num_format(f->pct, "0.0%");
        format_set_align(f->pct, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->year = new_format(x))) {
        format_set_num_format(f->year, "0");
        format_set_align(f->year, LXW_ALIGN_LEFT);
        format_set_align(f->year, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->count = new_format(x))) {
        format_set_num_format(f->count, "#,##0");
        format_set_align(f->count, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->ratio = new_format(x))) {
        format_set_num_format(f->ratio, "0.00");
        format_set_align(f->ratio, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->wrap = new_format(x))) {
        format_set_text_wrap(f->wrap);
        format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->note = new_format(x))) {
        format_set_italic(f->note);
        format_set_font_color(f->note, 0x595959);
        format_set_align(f->note, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->note_wrap = new_format(x))) {
        format_set_italic(f->note_wrap);
        format_set_font_color(f->note_wrap, 0x595959);
        format_set_text_wrap(f->note_wrap);
        format_set_align(f->note_wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((f->text = new_format(x)))
        format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
}

/* Header texts are built once: the sheets and Definitions must name columns identically. */
static void make_labels(struct xw *x)
{
    const char *a = x->r->a, *b = x->r->b;
    char(*h)[HEAD_MAX] = x->bi_head;
    snprintf(h[BI_YEAR], HEAD_MAX, "Year");
    snprintf(h[BI_A_X], HEAD_MAX, "%s exports to %s (as %s reports), US$ m", a, b, a);
    snprintf(h[BI_A_M], HEAD_MAX, "%s imports from %s (as %s reports), US$ m", a, b, a);
    snprintf(h[BI_B_X], HEAD_MAX, "%s exports to %s (as %s reports), US$ m", b, a, b);
    snprintf(h[BI_B_M], HEAD_MAX, "%s imports from %s (as %s reports), US$ m", b, a, b);
    snprintf(h[BI_TURN_A], HEAD_MAX, "Turnover as %s reports, US$ m", a);
    snprintf(h[BI_TURN_B], HEAD_MAX, "Turnover as %s reports, US$ m", b);
    snprintf(h[BI_TURN_BEST], HEAD_MAX, "Turnover (best), US$ m");
    snprintf(h[BI_SIDE], HEAD_MAX, "Best side");
    snprintf(h[BI_GROWTH], HEAD_MAX, "YoY growth %%");
    snprintf(h[BI_GOODS], HEAD_MAX, "Goods covered");

    char(*s)[HEAD_MAX] = x->su_label;
    snprintf(s[SU_TURN_BEST], HEAD_MAX, "Turnover (best)");
    snprintf(s[SU_SIDE], HEAD_MAX, "Best side (whose figure)");
    snprintf(s[SU_GROWTH], HEAD_MAX, "YoY growth of turnover (best)");
    snprintf(s[SU_A_X], HEAD_MAX, "%s exports to %s (as %s reports)", a, b, a);
    snprintf(s[SU_A_M], HEAD_MAX, "%s imports from %s (as %s reports)", a, b, a);
    snprintf(s[SU_B_X], HEAD_MAX, "%s exports to %s (as %s reports)", b, a, b);
    snprintf(s[SU_B_M], HEAD_MAX, "%s imports from %s (as %s reports)", b, a, b);
    static const char *const co[CO_NCOLS] =
        {"Year",           "Exporter",           "HS section", "Section name",
         "Exports, US$ m", "Share of exports %", NULL,         NULL};
    static const char *const ba[BA_NCOLS] = {"Year",        "CHPL tier",
                                             "Destination", "Exporter (route)",
                                             "Declared by", "Value, US$ m",
                                             NULL,          NULL};
    int base = x->bf->baseline_year;
    for (int c = 0; c < CO_NCOLS; c++) {
        if (co[c])
            snprintf(x->co_head[c], HEAD_MAX, "%s", co[c]);
        x->co_heads[c] = x->co_head[c];
    }
    for (int c = 0; c < BA_NCOLS; c++) {
        if (ba[c])
            snprintf(x->ba_head[c], HEAD_MAX, "%s", ba[c]);
        x->ba_heads[c] = x->ba_head[c];
    }
    snprintf(x->co_head[CO_BASELINE], HEAD_MAX, "%d baseline, US$ m", base);
    snprintf(x->co_head[CO_CHANGE], HEAD_MAX, "Change on %d %%", base);
    snprintf(x->ba_head[BA_BASELINE], HEAD_MAX, "%d baseline, US$ m", base);
    snprintf(x->ba_head[BA_CHANGE], HEAD_MAX, "Change on %d %%", base);
    xw_plan_charts(x);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (no timegm in C11). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SSZ" (a space for T and a missing Z accepted) to a UTC time_t. */
static int parse_utc(const char *s, time_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return -1;
    if (!(s[19] == '\0' || (s[19] == 'Z' && s[20] == '\0')))
        return -1;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (y < 1980 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || sec < 0 || sec > 59)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return -1;
    *out = (time_t)days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

static void set_properties(struct xw *x, time_t created)
{
    const struct tr_report *r = x->r;
    char title[300], subject[128], comments[512], period[32];
    char author[] = "tradereport", company[] = "tradereport", category[] = "Trade statistics";
    char keywords[64];
    xw_period_text(r, period, sizeof(period));
    snprintf(title, sizeof(title), "Trade briefing: %s " EN_DASH " %s", r->a_name, r->b_name);
    snprintf(subject, sizeof(subject), "Bilateral trade %s" EN_DASH "%s, %s", r->a, r->b, period);
    snprintf(keywords, sizeof(keywords), "trade, %s, %s, %s", r->a, r->b, r->source);
    snprintf(comments, sizeof(comments),
             "Written by tradereport %s at %s from %s. Values in US$ millions; see the "
             "Definitions sheet.",
             r->tool_version, r->generated_at, r->source_label);
    /* A fixed creation time (not "now") keeps the file byte-for-byte reproducible. */
    lxw_doc_properties p = {
        .title = title,
        .subject = subject,
        .author = author,
        .company = company,
        .category = category,
        .keywords = keywords,
        .comments = comments,
        .created = created,
    };
    if (!x->rc)
        xw_check(x, workbook_set_properties(x->wb, &p), "document properties");
}

int tr_xlsx_write(const struct tr_report *r, const char *path, struct tr_err *e)
{
    struct tr_briefing bf;
    struct xw x = {.r = r, .bf = &bf, .path = path, .e = e};
    time_t created;
    int rc = tr_briefing_build(r, &bf, e);
    if (rc)
        return rc;

    if (parse_utc(r->generated_at, &created) != 0) {
        rc = tr_err_set(e, TR_ENOMEM,
                        "report time \"%s\" is not YYYY-MM-DDTHH:MM:SSZ (1980 or later)",
                        r->generated_at);
        goto out_keep;
    }
    /* libxlsxwriter opens path only in workbook_close(), where a failure gets a generic
     * message and a line of its own on stderr; trying first names the real cause. */
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        rc = tr_err_set(e, TR_EIO, "cannot create \"%s\": %s", path, strerror(errno));
        goto out_keep;
    }
    fclose(fp);

    /* glibc's tmpfile() ignores TMPDIR; pass it on so operators can move scratch files. */
    char *tmpdir = getenv("TMPDIR");
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
                                .tmpdir = tmpdir && *tmpdir ? tmpdir : NULL};
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        rc = tr_err_set(e, TR_ENOMEM, "writing \"%s\": cannot allocate the workbook", path);
        goto out;
    }
    make_formats(&x);
    make_labels(&x);
    set_properties(&x, created);
    xw_sheet_summary(&x);
    xw_sheet_bilateral(&x);
    xw_sheet_monthly(&x);
    xw_sheet_mirror(&x);
    xw_sheet_composition(&x);
    xw_sheet_baskets(&x);
    xw_sheet_claims(&x);
    xw_sheet_sources(&x);
    xw_sheet_definitions(&x);
    xw_sheet_chart_data(&x);
    if (x.rc) {
        lxw_workbook_free(x.wb); /* frees without writing: no half-built workbook on disk */
        rc = x.rc;
        goto out;
    }
    lxw_error err = workbook_close(x.wb);
    if (err != LXW_NO_ERROR)
        rc = tr_err_set(e, TR_EIO, "writing \"%s\": %s", path, lxw_strerror(err));
out:
    if (rc)
        remove(path);
out_keep:
    tr_briefing_release(&bf);
    return rc;
}
