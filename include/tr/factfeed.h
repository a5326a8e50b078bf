/*
 * The fact feed: a virtual table, tr_fact_feed, registered on the import's connection only,
 * that shows the chunk of facts the writer is inserting as rows, so that one
 * INSERT INTO fact_trade_packed ... SELECT ... FROM tr_fact_feed moves a whole chunk.
 * Why: a multi-row INSERT ... VALUES binds every value and runs once per 50 rows (a statement
 * journal each time); the feed hands SQLite the values where they are, once per chunk.
 * Nothing of it is stored in the database: the schema and the views never see it.
 */
#ifndef TR_FACTFEED_H
#define TR_FACTFEED_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"
#include "tr/factwriter.h"

/* One fact as the feed shows it: the columns every row has, packed close together (the rows
 * themselves are large; reading them in key order cost a cache miss per row), and the row for
 * the optional columns. */
struct tr_feedrow {
    int64_t key;
    int64_t value_usd;
    double net_wgt_kg;            /* NAN: NULL */
    const struct tr_factrow *row; /* qty, qty_unit, cif_usd, fob_usd, flags */
    int lean;                     /* 1: none of those is set */
};

struct tr_factfeed;

/* Registers tr_fact_feed on db; the feed lives until tr_factfeed_drop. */
int tr_factfeed_register(sqlite3 *db, struct tr_factfeed **out, struct tr_err *e);
/* The rows the next statement reads; they must outlive its step. */
void tr_factfeed_set(struct tr_factfeed *f, const struct tr_feedrow *rows, int n);
/* Puts rows in key order, file order (their order in rows) among equal keys; tmp holds n rows.
 * A stable radix sort on the key's distance from the smallest: a chunk of a file sorted as BACI
 * ships it spans a few partners, so only a few 11-bit digits differ, and no comparison is made. */
void tr_feedrows_sort(struct tr_feedrow *rows, int n, struct tr_feedrow *tmp);
/* Unregisters the module (every statement that reads it must be finalized first). */
void tr_factfeed_drop(sqlite3 *db, struct tr_factfeed *f);

#endif
