/*
 * The summaries (sum_trade, sum_annual, sum_bilateral) sent by partition: when the server
 * holds a summary computed on the same basis (tool version, store schema, the table's
 * definition), an incremental publish replaces only its rows of the (source, year, reporter)
 * partitions whose facts changed, as SQLite's own refresh does; otherwise it is sent whole.
 * Ownership: nothing is allocated for the caller.
 */
#ifndef TR_PGSUMS_H
#define TR_PGSUMS_H

#include <sqlite3.h>

#include "tr/pgconn.h"

/* *partial = 1 when table is a summary the server holds on this store's basis, so that
 * tr_pgsums_send can bring it in step after the facts; 0: send it whole (tr_pgtable_copy),
 * then tr_pgsums_record. */
int tr_pgsums_partial(struct tr_pg *pg, sqlite3 *db, const char *table, int *partial,
                      struct tr_err *e);

/* Records on the server the basis of table, just sent whole (nothing for a non-summary). */
int tr_pgsums_record(struct tr_pg *pg, sqlite3 *db, const char *table, struct tr_err *e);

/* Replaces the server's rows of table in the partitions of SQLite's temp.pub_changed (left
 * by tr_pgfacts_sync) with the store's; *rows receives the rows sent. */
int tr_pgsums_send(struct tr_pg *pg, sqlite3 *db, const char *table, long long *rows,
                   struct tr_err *e);

#endif
