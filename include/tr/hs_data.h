/*
 * The HS reference data compiled into the binary: the HS 2022 nomenclature, its sections and
 * the UNSD correlation tables HS2022 <-> HS2017 ... HS1992 with each pair's concordance group.
 * Generated at build time from the CSV files of data/hs/ by tools/hs_compile.c (build/hs_data.c).
 * Ownership: every array is static, read-only data; nothing is allocated.
 */
#ifndef TR_HS_DATA_H
#define TR_HS_DATA_H

#include <stddef.h>
#include <stdint.h>

/* One row of a UNSD correlation table. Codes are six-digit numbers (leading zeros dropped:
 * printed with %06d). older_rev 0..5 = H0 (HS1992) .. H5 (HS2017); relation 0..3 = '1:1',
 * 'n:1', '1:n', 'n:n'. group = the smallest HS2022 code of the pair's connected set of codes
 * within its file; chain = the same over all six files at once (a series across several
 * revisions). Sorted by (older_rev, h6, older). */
struct tr_hs_pair {
    int32_t h6, older, group, chain;
    uint8_t older_rev, relation;
};

/* One row of HS2022.csv as shipped. */
struct tr_hs_heading {
    const char *code, *parent, *section, *description;
    int level;
};

struct tr_hs_section {
    const char *section, *name;
};

extern const struct tr_hs_pair tr_hs_pairs[];
extern const size_t tr_hs_n_pairs;
extern const size_t tr_hs_file_rows[6]; /* rows per older revision, as shipped */
extern const struct tr_hs_heading tr_hs_headings[];
extern const size_t tr_hs_n_headings;
extern const struct tr_hs_section tr_hs_sections[];
extern const size_t tr_hs_n_sections;
extern const char tr_hs_fingerprint[]; /* changes whenever any input file does */

#endif
