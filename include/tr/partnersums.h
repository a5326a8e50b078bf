/*
 * The facts of one file summed over partners, as the import reads them: per (source, year,
 * month, reporter, revision, flow, product) for sum_product and per chapter and level for
 * sum_chapter (sql/0013_partner_sums.sql). Counted on the parsing thread beside sum_trade's
 * groups; written out (added to what the tables hold) whenever the product sums reach a bound,
 * so memory stays flat however large the file, and once more at its end.
 */
#ifndef TR_PARTNERSUMS_H
#define TR_PARTNERSUMS_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"

struct tr_partnersums;

/* Sums for an import on db, whose connection gets the sums feed (tr/psumfeed.h). */
int tr_partnersums_new(sqlite3 *db, struct tr_partnersums **out, struct tr_err *e);
/* Adds (sign 1) or takes back (sign -1, a duplicate) one fact: its packed key, product level
 * and chapter (0..99, -1 none), value and weight (NaN: not reported). Returns TR_ENOMEM, or
 * TR_EINPUT when a sum would leave 64 bits. */
int tr_partnersums_add(struct tr_partnersums *s, int64_t key, int level, int chapter,
                       int64_t value_usd, double net_wgt_kg, int sign);
/* 1 when the sums should be written out before more facts are counted. */
int tr_partnersums_full(const struct tr_partnersums *s);
/* Adds every sum held to sum_product and sum_chapter, in key order, and empties the counts. */
int tr_partnersums_write(struct tr_partnersums *s, struct tr_err *e);
void tr_partnersums_free(struct tr_partnersums *s);

#endif
