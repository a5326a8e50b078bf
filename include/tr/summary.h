/*
 * The summary tables the views read (sum_annual, sum_bilateral), rebuilt from sum_trade for
 * the partitions a load touched, and the sums over partners (sum_product, sum_chapter) read
 * again from the facts where facts left a partition (the import adds the rest), inside the
 * caller's transaction. Owns nothing.
 */
#ifndef TR_SUMMARY_H
#define TR_SUMMARY_H

#include <sqlite3.h>

#include "tr/err.h"

/* Rebuilds the summaries for the (source, year, reporter) partitions of load_id. */
int tr_summary_refresh_load(sqlite3 *db, long load_id, struct tr_err *e);
/* Rebuilds them for the (source_id, year, reporter_id) rows of table (a fixed name of ours,
 * never user input). */
int tr_summary_refresh_from(sqlite3 *db, const char *table, struct tr_err *e);
/* Rebuilds them for everything in sum_trade (after a schema upgrade). */
int tr_summary_refresh_all(sqlite3 *db, struct tr_err *e);

#endif
