/*
 * The data behind one briefing, gathered once from the views and handed to the writers
 * (xlsx.c, pdf.c). Writers only read it; nothing here touches the database.
 * Ownership: tr_report_load() fills a struct the caller owns; tr_report_release() frees
 * every string and array inside it. Missing figures are NAN, never 0.
 */
#ifndef TR_REPORT_H
#define TR_REPORT_H

#include <stddef.h>
#include <sqlite3.h>

#include "tr/err.h"

/* One year of the pair's trade, both declarations side by side (v_bilateral_annual). */
struct tr_bilateral_year {
    int year;
    double a_exports_to_b;   /* as A reports, US$; NAN when A did not report */
    double a_imports_from_b;
    double b_exports_to_a;   /* as B reports */
    double b_imports_from_a;
    double turnover_a;       /* A's exports + imports as A reports them */
    double turnover_b;       /* the same trade as B reports it */
    double turnover_best;    /* the figure the report quotes */
    char best_side[16];      /* "A", "B" or "reconciled" (BACI) — whose figure turnover_best is */
    double growth_pct;       /* turnover_best change on the previous year, %; NAN if unknown */
};

/* One input file behind the numbers (load_log). */
struct tr_source_file {
    long load_id;
    char *file_name;
    char *format;
    char *sha256;
    char *release;     /* release or publication tag from the file name; may be "" */
    char *loaded_at;   /* ISO 8601 UTC */
    long rows_loaded;
};

struct tr_report {
    char a[8], b[8];             /* ISO3 codes as given: "RUS", "IRN" */
    char a_name[128], b_name[128];
    char source[32];             /* data source used for the series: "baci", "comtrade", ... */
    char source_label[128];      /* human name: "CEPII BACI (reconciled, FOB)" */
    int from_year, to_year;      /* inclusive range actually covered */
    char generated_at[32];       /* ISO 8601 UTC; fixed by SOURCE_DATE_EPOCH for tests */
    char tool_version[32];

    size_t n_years;
    struct tr_bilateral_year *years;   /* ascending by year */

    size_t n_sources;
    struct tr_source_file *sources;
};

/* Reads the pair's figures from the views. Returns TR_EFAIL with a message when the pair has
 * no data in the range; from/to of 0 mean "all years". source NULL picks the richest source. */
int tr_report_load(sqlite3 *db, const char *a, const char *b, int from, int to,
                   const char *source, struct tr_report *r, struct tr_err *e);
void tr_report_release(struct tr_report *r);

#endif
