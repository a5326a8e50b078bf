/*
 * The fact table on the server: partitioned by year, readable key columns beside the packed
 * key, and kept in step with SQLite load by load.
 * Ownership: nothing is allocated for the caller; temp tables it makes in SQLite are dropped.
 */
#ifndef TR_PGFACTS_H
#define TR_PGFACTS_H

#include <sqlite3.h>

#include "tr/pgconn.h"

struct tr_pgfacts_result {
    long loads_sent;        /* loads whose rows were (re)copied */
    long loads_dropped;     /* loads whose rows left the server (unloaded or wholly replaced) */
    long long rows_sent;
};

/* Brings fact_trade (and publish_load, the server's record of each load's row count) in step
 * with SQLite's: a load that is new or whose row count changed (a replacement took rows, an
 * unload gave them back) is deleted and copied again; a load SQLite no longer has is deleted.
 * Runs inside the caller's transaction. */
int tr_pgfacts_sync(struct tr_pg *pg, sqlite3 *db, struct tr_pgfacts_result *r,
                    struct tr_err *e);

#endif
