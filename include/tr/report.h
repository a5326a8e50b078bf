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
    double a_exports_to_b; /* as A reports, US$; NAN when A did not report */
    double a_imports_from_b;
    double b_exports_to_a; /* as B reports */
    double b_imports_from_a;
    double turnover_a;    /* A's exports + imports as A reports them */
    double turnover_b;    /* the same trade as B reports it */
    double turnover_best; /* the figure the report quotes */
    char best_side[16];   /* "A", "B" or "reconciled" (BACI) — whose figure turnover_best is */
    double growth_pct;    /* turnover_best change on the previous year, %; NAN if unknown */
    int goods_partial;    /* 1: a declaration behind these figures lists some products and
                                no all-goods total (v_bilateral_annual.goods_partial) */
};

/* One input file behind the numbers (load_log). */
struct tr_source_file {
    long load_id;
    char *file_name;
    char *format;
    char *sha256;
    char *release;   /* release or publication tag from the file name; may be "" */
    char *loaded_at; /* ISO 8601 UTC */
    long rows_loaded;
};

/* A's (or B's) exports to the other as a share by HS section (v_composition, grouping
 * 'section'), for one year and exporter, with the change against the 2021 baseline. */
struct tr_composition_row {
    int year;
    char exporter[8]; /* ISO3 of the exporting side: r->a or r->b */
    char code[8];     /* section I..XXI, or "NS" = not specified */
    char *name;
    double value_usd, share_pct;
    double baseline_usd, change_pct; /* NAN when no 2021 figure */
};

/* One declared flow beside its mirror (v_mirror_gap), reporter = A or B. */
struct tr_mirror_row {
    int year;
    char reporter[8], partner[8];
    char flow[4];                                    /* X or M, as the reporter declares */
    double reported_usd, mirror_usd, gap_usd, ratio; /* NAN when missing */
    char flag[40];
};

/* Monthly trade of the pair (v_trade_monthly_ytd), as one side declares it. */
struct tr_monthly_row {
    int year, month;
    char reporter[8], partner[8];
    char flow[4];
    double value_usd, ytd_usd, ytd_growth_pct, r12_usd, r12_growth_pct; /* NAN when unknown */
    char source[32]; /* whose monthly data: may differ from tr_report.source */
};

/* CHPL goods shipped to A or B (v_basket_flows, exporter 'all' and the watched routes). */
struct tr_basket_row {
    int year;
    char tier[8];
    char destination[8];
    char exporter[8];     /* 'all', a route country's ISO3, or 'other' */
    char declared_by[16]; /* 'exporter' or 'importer' */
    double value_usd, baseline_usd, change_pct;
};

/* One definition tried for one claim (v_claim_check); only claims about this pair (either
 * orientation, or its group such as EAEU) are gathered. */
struct tr_claim_row {
    int claim_id;
    char *paraphrase, *article, *definition, *source, *unit, *verdict, *note, *metric;
    int year;
    double computed_value, stated_value, diff_pct; /* NAN when missing */
    int is_closest;
};

struct tr_report {
    char a[8], b[8]; /* ISO3 codes as given: "RUS", "IRN" */
    char a_name[128], b_name[128];
    char source[32];        /* data source used for the series: "baci", "comtrade", ... */
    char source_label[128]; /* human name: "CEPII BACI (reconciled, FOB)" */
    int from_year, to_year; /* inclusive range actually covered */
    char generated_at[32];  /* ISO 8601 UTC; fixed by SOURCE_DATE_EPOCH for tests */
    char tool_version[32];

    size_t n_years;
    struct tr_bilateral_year *years; /* ascending by year */

    size_t n_sources;
    struct tr_source_file *sources;

    size_t n_composition;
    struct tr_composition_row *composition; /* by year, exporter, section */
    size_t n_mirror;
    struct tr_mirror_row *mirror; /* by year, reporter, flow; empty for BACI */
    size_t n_monthly;
    struct tr_monthly_row *monthly; /* by reporter, flow, year, month; may be empty */
    size_t n_baskets;
    struct tr_basket_row *baskets; /* by destination, tier, exporter, year */
    size_t n_claims;
    struct tr_claim_row *claims; /* by claim_id, closest first */
};

/* The claims about a pair, bound as ?2 and ?3 (ISO3): the pair either way, or a group one side
 * belonged to in the claim's year (EAEU) with the other side. A WITH clause defining
 * about(claim_id), shared by the briefing and `claims --pair`. */
#define TR_REPORT_CLAIMS_ABOUT_CTE                                            \
    "WITH cover(code, iso3, joined, left_year) AS ("                          \
    " SELECT iso3, iso3, NULL, NULL FROM dim_country WHERE iso3 IN (?2, ?3)"  \
    " UNION ALL SELECT g.group_code, c.iso3, g.joined, g.left_year"           \
    " FROM country_group g JOIN dim_country c ON c.country_id = g.country_id" \
    " WHERE c.iso3 IN (?2, ?3)),"                                             \
    " about(claim_id) AS (SELECT DISTINCT k.claim_id FROM claim k"            \
    " JOIN cover ca ON ca.code = k.a JOIN cover cb ON cb.code = k.b"          \
    " WHERE ca.iso3 <> cb.iso3 AND (k.year IS NULL"                           \
    " OR (coalesce(ca.joined, k.year) <= k.year"                              \
    " AND coalesce(ca.left_year, k.year) >= k.year"                           \
    " AND coalesce(cb.joined, k.year) <= k.year"                              \
    " AND coalesce(cb.left_year, k.year) >= k.year)))"

/* Reads the pair's figures from the views. Returns TR_EFAIL with a message when the pair has
 * no data in the range; from/to of 0 mean "all years". source NULL picks the richest source. */
int tr_report_load(sqlite3 *db, const char *a, const char *b, int from, int to,
                   const char *source, struct tr_report *r, struct tr_err *e);
void tr_report_release(struct tr_report *r);

#endif
