/*
 * Columns recognised by name rather than by position: the same column is spelled differently
 * by the versions of a source ("Trade Value (US$)", "TradeValueUS", "trade_value_usd"), so a
 * format lists each column it reads with its known spellings, compared after normalising case,
 * spaces and punctuation. Ownership: nothing is allocated; tables are the caller's.
 */
#ifndef TR_IMPORT_COLUMNS_H
#define TR_IMPORT_COLUMNS_H

#include <stddef.h>

#include "tr/csvread.h"

/* One column a format reads. */
struct tr_column {
    const char *name;           /* the reference spelling, shown in messages */
    const char *const *aliases; /* other spellings, NULL-terminated; or NULL */
    int required;               /* the file is refused without it */
};

/* The comparison key of a header name: ASCII letters (lower-cased) and digits only, with "US$"
 * read as "usd" ("Trade Value (US$)", "trade_value_usd" -> "tradevalueusd"). Cut to n - 1. */
void tr_column_key(const char *s, size_t len, char *out, size_t n);

/* What a header holds of a format's columns. */
struct tr_column_match {
    size_t found; /* columns present */
    size_t required, required_found;
    int duplicate;    /* a column named twice: its index in the table, else -1 */
    int duplicate_at; /* the header position of its second name */
};

/* Fills col[i] with the header position of column i (-1 when absent; the first of two names
 * of one column is used and the match records the second). */
void tr_columns_map(const struct tr_csv_record *header, const struct tr_column *cols, size_t n,
                    int *col, struct tr_column_match *m);

/* The names of the required columns absent from col, ", "-separated, into buf. */
void tr_columns_missing(const struct tr_column *cols, size_t n, const int *col, char *buf,
                        size_t size);

/* A detection score for a header against a format's columns: 100 when every required column
 * is there (and none is named twice); 1..50 for a near miss (at least half of the required
 * columns), so that the format's begin() can say which columns are missing; else 0. */
int tr_columns_score(const struct tr_column_match *m, size_t n);

/* 1 when header field i is empty or a spreadsheet's unnamed index ("Unnamed: 0"). */
int tr_column_is_index(const struct tr_csv_record *header, size_t i);

/* A whole-number code that pandas wrote as a float because its column has empty cells
 * ("156.0", "-1.0"): cuts the ".0" in place. Anything else is left as it is. */
void tr_column_whole_code(char *code);

#endif
