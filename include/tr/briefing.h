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
    const struct tr_claim_row *shown; /* the definition closest to the stated figure, else
                                          the first one tried */
    size_t n_defs;                    /* definitions tried for this claim */
    enum tr_claim_unit unit;          /* what stated and computed are in */
    char stated[32], computed[32];    /* "$3.07bn", "81.7%"; an en dash when missing */
    char diff[32];                    /* stated - computed: "+2.5 pp" for percentages,
                                          "+4.3%" of the computed figure for money */
};

/* A claim about the pair's turnover in US$, marked on the turnover charts: its stated figure
 * joined to the computed figure it is checked against (the closest definition in the report's
 * source, else in any source). Claims with no computed figure are left off: only a computed
 * figure shows the claim is about this pair rather than its group (EAEU). */
struct tr_brief_mark {
    size_t x;                            /* index into r->years of the claim's year */
    const struct tr_claim_row *claim;    /* stated_value, article, paraphrase */
    const struct tr_claim_row *computed; /* computed_value, definition, source */
    int same_source;                     /* computed is in r->source */
};

#define TR_BRIEF_COMP_SHOWN 6 /* largest sections shown; the rest are "Other" */
#define TR_BRIEF_COMP_CATS (TR_BRIEF_COMP_SHOWN + 1)

/* One exporter's composition chart: section shares in comp_years, the largest sections of the
 * latest year first, the rest summed as "Other sections". */
struct tr_brief_comp {
    const char *exporter, *importer; /* ISO3, point into r */
    size_t n_years;                  /* 1 or 2: comp_years[0] only when both are equal */
    int years[2];
    size_t n_cat;
    const char *cat[TR_BRIEF_COMP_CATS]; /* short section names (static strings) */
    double share[2][TR_BRIEF_COMP_CATS]; /* % of the year's exports; 0 when absent */
    double total[2];                     /* the year's exports to the importer, US$ */
    size_t n_codes; /* sections in the data; > n_cat when "Other" holds some */
};

struct tr_briefing {
    const struct tr_report *r;
    int baseline_year;   /* TR_BASELINE_YEAR */
    char period[32];     /* "2019–2022", or one year */
    int comp_years[2];   /* the two years BOTH composition charts compare (the
                                          earlier first); equal when only one year; 0 = none */
    char comp_note[300]; /* why those years, one sentence */
    size_t n_claims;
    struct tr_brief_claim *claims; /* in the order the claims first appear in r->claims */
    size_t n_marks;
    struct tr_brief_mark *marks; /* claims marked on the turnover charts, by claim */
    size_t n_comp;
    struct tr_brief_comp comp[2]; /* A's exports to B, then B's to A; only those with data */
    char partial_years[80];       /* years whose figures are not all goods: "2018–2022",
                                          "2019, 2021"; empty when every year is all goods */
    char partial_note[400];       /* one sentence on what that means; empty likewise (the
                                          PDF marks those years "*" and prints it as a footnote) */
};

int tr_briefing_build(const struct tr_report *r, struct tr_briefing *b, struct tr_err *e);
void tr_briefing_release(struct tr_briefing *b);

/* A claim row's unit: its stated unit, else what its metric measures (a growth rate or a
 * share is a percentage; other measurable metrics are US$). */
enum tr_claim_unit tr_briefing_claim_unit(const struct tr_claim_row *c);

/* The most years a CHPL chart shows (the first and the latest always among them). */
#define TR_BRIEF_BASKET_YEARS 6

/* The years the CHPL charts for goods shipped to dest show, ascending, into years: of the
 * rows declared by the exporters with a value (NULL = no six-digit detail does not count),
 * the baseline year when it is there and earlier than the latest, else the first; then every
 * later year (the latest ones when there are more than TR_BRIEF_BASKET_YEARS). Returns how
 * many, 0 when dest has none. */
size_t tr_briefing_basket_years(const struct tr_report *r, const char *dest, int *years);

/* Whether a basket row is listed: it has a value in its year or in the baseline year. One
 * with neither says nothing (no six-digit detail either time): the demo's 2,190 rows print
 * on 63 pages, its 492 with a figure on 15. */
int tr_briefing_basket_row_shown(const struct tr_basket_row *k);

/* A short HS section name that fits under a chart column ("XVI" -> "Machinery, electrical");
 * the code itself when it is not a section. */
const char *tr_briefing_section_short(const char *code);

#endif
