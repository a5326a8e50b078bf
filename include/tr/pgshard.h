/*
 * publish --shard: fact partitions of chosen years on other PostgreSQL servers, read by the
 * coordinator through postgres_fdw foreign tables that are partitions of its fact_trade.
 * Ownership: struct tr_pgshard owns its shard connections and its plan; tr_pgshard_close
 * frees them (safe on a zeroed struct). The coordinator's connection stays the caller's.
 */
#ifndef TR_PGSHARD_H
#define TR_PGSHARD_H

#include <sqlite3.h>

#include "tr/pgconn.h"
#include "tr/pgfacts.h"
#include "tr/publish.h"

struct tr_pgshard_year; /* one year of the plan (pgshard.c) */

struct tr_pgshard {
    const struct tr_publish_opts *o;
    const char *schema;
    struct tr_pg conns[TR_PUBLISH_MAX_SHARDS];
    struct tr_pgshard_year *years; /* the years with facts in a shard's range */
    int n_years, cap_years;
    int *remote, *returned; /* the scope handed to tr_pgfacts_sync */
    int n_returned;
    char gen[32]; /* this publish's coordinator txid; "" before send */
    int years_sent;
    long long rows_sent;
};

/* Connects to every shard of o (a zeroed s first). TR_EUSAGE for a URL libpq cannot read,
 * TR_EIO when a shard cannot be reached, refuses the login or is older than PostgreSQL 13;
 * messages name the shard by its years, never by its URL. */
int tr_pgshard_connect(struct tr_pgshard *s, const struct tr_publish_opts *o, const char *schema,
                       struct tr_err *e);
void tr_pgshard_close(struct tr_pgshard *s);

/* The shards' years and servers (host:port/database) as text for the publish fingerprint;
 * empty without shards. TR_ENOMEM when it does not fit size bytes. */
int tr_pgshard_layout(const struct tr_pgshard *s, char *buf, size_t size, struct tr_err *e);

/* Before the coordinator changes anything (inside its transaction, holding its lock): each
 * shard year whose facts differ from what the coordinator last recorded is copied into a new
 * table on its shard, named after this publish, and committed there. */
int tr_pgshard_send(struct tr_pgshard *s, struct tr_pg *coord, sqlite3 *db, struct tr_err *e);

/* Drops the coordinator's foreign partitions and shard servers, and its local partitions of
 * years now on a shard; fills scope for tr_pgfacts_sync. */
int tr_pgshard_detach(struct tr_pgshard *s, struct tr_pg *coord, struct tr_pgfacts_scope *scope,
                      struct tr_err *e);

/* After tr_pgfacts_sync: one foreign server per shard, a user mapping for the publishing role,
 * a foreign partition per shard year, and the coordinator's record (publish_shard). */
int tr_pgshard_attach(struct tr_pgshard *s, struct tr_pg *coord, struct tr_err *e);

/* After the coordinator committed: drops the shard tables it no longer reads that older
 * publishes made (a later publish may already be making its own). Best effort: a failure
 * leaves tables the next publish drops. Does nothing unless tr_pgshard_send ran. */
void tr_pgshard_cleanup(struct tr_pgshard *s);

#endif
