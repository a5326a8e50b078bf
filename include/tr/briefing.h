/*
 * The briefing model: from the view rows of a struct tr_report it decides once what a reader
 * sees in both the PDF and the workbook — the period, the baseline year, the years the
 * composition pages compare, each claim's closest definition, its unit and its figures as text.
 * The writers only draw it. Ownership: tr_briefing_build() fills a struct the caller owns and
 * that points into r (r must outlive it); tr_briefing_release() frees what it allocated.
 */
#ifndef TR_BRIEFING_H
#define TR_BRIEFING_H

#include <stddef.h>

#include "tr/err.h"
#include "tr/report.h"

enum tr_claim_unit { TR_UNIT_NONE, TR_UNIT_USD, TR_UNIT_PCT };

/* One claim as every page shows it. */
struct tr_brief_claim {
    const struct tr_claim_row *shown;  /* the definition closest to the stated figure, else
                                          the first one tried */
    size_t n_defs;                     /* definitions tried for this claim */
    enum tr_claim_unit unit;           /* what stated and computed are in */
    char stated[32], computed[32];     /* "$3.07bn", "81.7%"; an en dash when missing */
    char diff[32];                     /* stated - computed: "+2.5 pp" for percentages,
                                          "+4.3%" of the computed figure for money */
};

struct tr_briefing {
    const struct tr_report *r;
    int baseline_year;                 /* TR_BASELINE_YEAR */
    char period[32];                   /* "2019–2022", or one year */
    int comp_years[2];                 /* the two years BOTH composition charts compare (the
                                          earlier first); equal when only one year; 0 = none */
    char comp_note[300];               /* why those years, one sentence */
    size_t n_claims;
    struct tr_brief_claim *claims;     /* in the order the claims first appear in r->claims */
};

int tr_briefing_build(const struct tr_report *r, struct tr_briefing *b, struct tr_err *e);
void tr_briefing_release(struct tr_briefing *b);

/* A claim row's unit: its stated unit, else what its metric measures (a growth rate or a
 * share is a percentage; other measurable metrics are US$). */
enum tr_claim_unit tr_briefing_claim_unit(const struct tr_claim_row *c);

#endif
