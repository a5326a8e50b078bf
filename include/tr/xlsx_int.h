/*
 * The workbook writer's own declarations, shared by its files (xlsx.c: cells, tables, page
 * setup and the workbook; xlsx_sheets.c: one function per sheet; xlsx_charts.c: the Chart data
 * sheet and the native charts; xlsx_defs.c: the Definitions sheet). Not part of the writers'
 * interface (tr/xlsx.h). Ownership: struct xw borrows the report and the briefing; the
 * workbook owns every sheet, format and chart.
 */
#ifndef TR_XLSX_INT_H
#define TR_XLSX_INT_H

#include <stddef.h>

#include <xlsxwriter.h>

#include "tr/briefing.h"
#include "tr/report.h"

#define EN_DASH "\xe2\x80\x93"
#define MINUS "\xe2\x88\x92"
#define MILLION 1e6
#define HEAD_MAX 192
#define MAX_COLS 16     /* columns of the widest table */
#define WRAP_WIDTH 60   /* long text columns wrap at this width */
#define HEAD_WIDTH 18   /* long headers wrap at this width */
#define ROW_HEIGHT 15.0 /* points per line of text */

#define SHEET_SUMMARY "Summary"
#define SHEET_BILATERAL "Bilateral"
#define SHEET_MONTHLY "Monthly"
#define SHEET_MIRROR "Mirror"
#define SHEET_COMPOSITION "Composition"
#define SHEET_BASKETS "Baskets"
#define SHEET_CLAIMS "Claims"
#define SHEET_SOURCES "Sources"
#define SHEET_DEFINITIONS "Definitions"

/* Bilateral columns, in sheet order. */
enum {
    BI_YEAR,
    BI_A_X,
    BI_A_M,
    BI_B_X,
    BI_B_M,
    BI_TURN_A,
    BI_TURN_B,
    BI_TURN_BEST,
    BI_SIDE,
    BI_GROWTH,
    BI_GOODS, /* all goods, or a partial total (tr_bilateral_year.goods_partial) */
    BI_NCOLS
};

/* Key figures on Summary, in sheet order. */
enum { SU_TURN_BEST, SU_SIDE, SU_GROWTH, SU_A_X, SU_A_M, SU_B_X, SU_B_M, SU_NROWS };

/* Summary's labelled facts above the key figures. */
#define SU_NFACTS 4
extern const char *const SUMMARY_FACTS[SU_NFACTS];

/* Summary's table of claim verdicts: one row per claim, its closest definition. */
enum { SC_CLAIM, SC_STATED, SC_COMPUTED, SC_VERDICT, SC_DEF, SC_NCOLS };
extern const char *const SC_HEADS[SC_NCOLS];

enum {
    MO_YEAR,
    MO_MONTH,
    MO_REPORTER,
    MO_PARTNER,
    MO_FLOW,
    MO_VALUE,
    MO_YTD,
    MO_YTD_GROWTH,
    MO_R12,
    MO_R12_GROWTH,
    MO_SOURCE,
    MO_NCOLS
};
extern const char *const MO_HEADS[MO_NCOLS];

enum {
    MI_YEAR,
    MI_REPORTER,
    MI_PARTNER,
    MI_FLOW,
    MI_REPORTED,
    MI_MIRROR,
    MI_GAP,
    MI_RATIO,
    MI_FLAG,
    MI_NCOLS
};
extern const char *const MI_HEADS[MI_NCOLS];

enum {
    CO_YEAR,
    CO_EXPORTER,
    CO_CODE,
    CO_NAME,
    CO_VALUE,
    CO_SHARE,
    CO_BASELINE,
    CO_CHANGE,
    CO_NCOLS
};

enum {
    BA_YEAR,
    BA_TIER,
    BA_DEST,
    BA_EXPORTER,
    BA_DECLARED,
    BA_VALUE,
    BA_BASELINE,
    BA_CHANGE,
    BA_NCOLS
};

enum {
    CL_ID,
    CL_CLAIM,
    CL_DEF,
    CL_SOURCE,
    CL_COMPUTED,
    CL_STATED,
    CL_UNIT,
    CL_DIFF,
    CL_VERDICT,
    CL_CLOSEST,
    CL_NOTE,
    CL_ARTICLE,
    CL_NCOLS
};
extern const char *const CL_HEADS[CL_NCOLS];

enum { SO_ID, SO_FILE, SO_FORMAT, SO_RELEASE, SO_ROWS, SO_LOADED_AT, SO_SHA, SO_NCOLS };
extern const char *const SOURCE_HEADS[SO_NCOLS];

#define SHEET_CHART_DATA "Chart data"
#define SHEET_BASKET_CHARTS "Baskets charts"

/* Rows of one chart's data on Chart data: a title row, a header row, then n data rows. */
struct xw_block {
    lxw_row_t title, first; /* 0-based rows; the data are first .. first + n - 1 */
    size_t n;
};

#define XW_TIERS 16
/* Where each chart's data lies on Chart data, planned before any sheet is written (the
 * charts on earlier sheets point at it). n == 0: no chart. */
struct xw_charts {
    struct xw_block turnover, mirror, comp[2], basket[2];
    const char *basket_dest[2];
    int basket_years[2][TR_BRIEF_BASKET_YEARS]; /* ascending (tr_briefing_basket_years) */
    size_t n_basket_years[2];
    size_t n_tiers;
    const char *tiers[XW_TIERS]; /* CHPL tiers of every destination, in order */
    lxw_row_t rows;              /* rows used */
};

struct formats {
    lxw_format *title, *label, *header, *money, *pct, *year, *count, *ratio, *wrap, *note;
    lxw_format *note_wrap; /* a note that wraps inside a merged range */
    lxw_format *text;      /* plain text: what xw_put_str writes when given no format */
};

/* Everything the sheet writers share. The first library error sticks in rc; later writes are
 * skipped, so a sheet function reads straight through and the caller checks rc once. */
struct xw {
    lxw_workbook *wb;
    const struct tr_report *r;
    const struct tr_briefing *bf; /* what the reader sees, decided once (briefing.c) */
    const char *path;
    struct tr_err *e;
    int rc;
    struct formats f;
    char bi_head[BI_NCOLS][HEAD_MAX];  /* Bilateral headers, also used by Definitions */
    char su_label[SU_NROWS][HEAD_MAX]; /* Summary key-figure labels, likewise */
    char co_head[CO_NCOLS][HEAD_MAX];  /* Composition and Baskets headers: they name the */
    char ba_head[BA_NCOLS][HEAD_MAX];  /* briefing's baseline year */
    const char *co_heads[CO_NCOLS], *ba_heads[BA_NCOLS];
    struct xw_charts cp; /* where each chart's data is on Chart data */
};

/* A table being written: its sheet, the width each column needs so far, the header texts
 * (their row is as tall as the longest needs once wrapped) and the height of the row written
 * last (wrapped text makes a row taller; rows are written in order). */
struct table {
    lxw_worksheet *ws;
    int ncols;
    double w[MAX_COLS];
    const char *const *heads;
    lxw_row_t h_row;
    double h;
};

/* xlsx.c: cells, widths and tables; every function skips its work once x->rc is set. */
void xw_check(struct xw *x, lxw_error err, const char *where);
void xw_out_of_memory(struct xw *x, const char *what);
void xw_put_str(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                lxw_format *fmt);
void xw_put_num(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                lxw_format *fmt);
void xw_put_money(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double usd);
void xw_put_pct(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double pct);
void xw_set_width(struct xw *x, lxw_worksheet *ws, lxw_col_t col, double width, lxw_format *fmt);
double xw_text_width(const char *s);
double xw_wider(double w, const char *s);
double xw_num_width(double v, int decimals, int commas, int pct);
lxw_worksheet *xw_add_sheet(struct xw *x, const char *name);
void xw_tab_begin(struct xw *x, struct table *t, lxw_worksheet *ws, const char *const *heads,
                  int ncols);
void xw_tab_grow(struct table *t, lxw_col_t col, double w);
void xw_tab_str(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s);
void xw_tab_text(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, const char *s);
void xw_tab_year(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, int year);
void xw_tab_money(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double usd);
void xw_tab_pct(struct xw *x, struct table *t, lxw_row_t row, lxw_col_t col, double pct);
void xw_tab_end(struct xw *x, struct table *t, lxw_row_t last);
void xw_empty_sheet(struct xw *x, lxw_worksheet *ws, const char *why);
const char *xw_side_label(const struct tr_report *r, const char *side);
void xw_period_text(const struct tr_report *r, char *buf, size_t n);
int xw_is_baci(const struct tr_report *r);
int xw_claim_is_pct(const struct tr_claim_row *c);
const char *xw_claim_unit(const struct tr_claim_row *c);
void xw_put_claim_value(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                        const struct tr_claim_row *c, double v);
double xw_claim_value_width(const struct tr_claim_row *c, double v);
void xw_sheet_summary(struct xw *x);
void xw_sheet_bilateral(struct xw *x);
void xw_sheet_monthly(struct xw *x);
void xw_sheet_mirror(struct xw *x);
void xw_sheet_composition(struct xw *x);
void xw_sheet_baskets(struct xw *x);
void xw_sheet_claims(struct xw *x);
void xw_sheet_sources(struct xw *x);
void xw_sheet_definitions(struct xw *x);
void xw_tab_wrapped(struct xw *x, struct table *t, lxw_row_t row, const char *s, double width);
void xw_row_for_text(struct xw *x, lxw_worksheet *ws, lxw_row_t row, const char *s, double width,
                     double *h);

/* xlsx_charts.c */
void xw_plan_charts(struct xw *x);
void xw_chart_turnover(struct xw *x, lxw_worksheet *ws, lxw_row_t row);
void xw_chart_mirror(struct xw *x, lxw_worksheet *ws, lxw_row_t row);
/* Chart k of Composition (k-th exporter) or Baskets (k-th destination) at row; with ws NULL
 * only says whether that chart exists. Returns 1 when it exists. */
int xw_chart_composition(struct xw *x, lxw_worksheet *ws, size_t k, lxw_row_t row);
int xw_chart_basket(struct xw *x, lxw_worksheet *ws, size_t k, lxw_row_t row);
void xw_sheet_chart_data(struct xw *x);
/* Rows a chart inserted by the functions above covers, for page breaks and print areas. */
#define XW_CHART_ROWS 22
#define XW_CHART_COLS 12

#endif
