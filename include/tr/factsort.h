/*
 * An external merge sort of fact rows by key, for files that do not arrive in key order.
 * Rows are packed into a memory arena (about 32 MB); a full arena is sorted and written as one
 * run to an unlinked temporary file in $TMPDIR (else /tmp); tr_factsort_next then merges the
 * runs. Equal keys come out in the order they went in (file order), so the earlier of two
 * duplicate rows is the one inserted. Memory stays flat whatever the file's size.
 * The raw CSV text is not kept: rows come back with raw[0] == '\0' (see tr_csv_raw_at).
 */
#ifndef TR_FACTSORT_H
#define TR_FACTSORT_H

#include "tr/err.h"
#include "tr/factwriter.h"

struct tr_factsort;

int tr_factsort_open(struct tr_factsort **out, struct tr_err *e);
/* Adds one fact row (kind TR_ROW_FACT). */
int tr_factsort_add(struct tr_factsort *s, const struct tr_factrow *r, struct tr_err *e);
/* Ends the input; the merge starts. */
int tr_factsort_seal(struct tr_factsort *s, struct tr_err *e);
/* The next row in key order into *r; returns 1 with a row, 0 at the end, -1 on error (e). */
int tr_factsort_next(struct tr_factsort *s, struct tr_factrow *r, struct tr_err *e);
long tr_factsort_rows(const struct tr_factsort *s);
void tr_factsort_free(struct tr_factsort *s);

#endif
