/*
 * The fact table on the server: partitioned by year, readable key columns beside the packed
 * key, and kept in step with SQLite load by load.
 * Ownership: nothing is allocated for the caller; temp tables it makes in SQLite are dropped.
 */
#ifndef TR_PGFACTS_H
#define TR_PGFACTS_H

#include <sqlite3.h>

#include "tr/pgconn.h"

/* fact_trade's columns, on the coordinator and on every shard (pgshard.c): one definition */
#define TR_PGFACTS_COLUMNS                                                                    \
    " trade_key bigint NOT NULL, value_usd bigint NOT NULL, net_wgt_kg double precision,"     \
    " qty double precision, qty_unit text, cif_usd bigint, fob_usd bigint,"                   \
    " flags bigint NOT NULL, load_id bigint NOT NULL,"                                        \
    " source_id bigint NOT NULL, year bigint NOT NULL, month bigint NOT NULL,"                \
    " reporter_id bigint NOT NULL, classification text NOT NULL, partner_id bigint NOT NULL," \
    " flow text, product_id bigint NOT NULL,"                                                 \
    " source text, reporter text, partner text, product text"

/* Which years the coordinator's own partitions do not hold (they live on shards), and which
 * years came back from a shard (their loads are sent again, since the coordinator's record of
 * a load counted rows it did not hold). NULL lists: every year is local, none came back. */
struct tr_pgfacts_scope {
    const int *remote;
    int n_remote;
    const int *returned;
    int n_returned;
};

struct tr_pgfacts_result {
    long loads_sent;    /* loads whose rows were (re)copied */
    long loads_dropped; /* loads whose rows left the server (unloaded or wholly replaced) */
    long long rows_sent;
};

/* Brings fact_trade (and publish_load, the server's record of each load's row count) in step
 * with SQLite's: a load that is new or whose row count changed (a replacement took rows, an
 * unload gave them back) is deleted and copied again; a load SQLite no longer has is deleted.
 * Only the years scope leaves local are deleted or copied. Runs inside the caller's
 * transaction. Leaves in SQLite's temp.pub_changed (source_id, year, reporter_id) every
 * partition whose facts changed (rows sent or deleted), for the summaries (pgsums.c); the
 * next call replaces it. */
int tr_pgfacts_sync(struct tr_pg *pg, sqlite3 *db, const struct tr_pgfacts_scope *scope,
                    struct tr_pgfacts_result *r, struct tr_err *e);

/* Copies every fact of year (any load) into table (a name as SQL writes it, qualified or
 * not); *rows receives the rows sent. For a shard's table (pgshard.c). */
int tr_pgfacts_copy_year(struct tr_pg *pg, sqlite3 *db, int year, const char *table,
                         long long *rows, struct tr_err *e);

#endif
