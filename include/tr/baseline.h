/*
 * The baseline year every comparison "against before the sanctions" uses: the last full year
 * before the 2022 sanctions. One definition for C and SQL: tools/embed_sql.sh puts it in place
 * of @TR_BASELINE_YEAR@ in the views. Ownership: a constant only.
 */
#ifndef TR_BASELINE_H
#define TR_BASELINE_H

#define TR_BASELINE_YEAR 2021

#endif
