/*
 * tradereport publish: the store copied to a PostgreSQL schema (tables, facts by load, the
 * views), in one server transaction, sending only what changed since the last publish.
 * Ownership: the caller owns the SQLite connection (opened for writing: publish records what
 * it sent) and the options; nothing is returned that needs freeing.
 */
#ifndef TR_PUBLISH_H
#define TR_PUBLISH_H

#include <sqlite3.h>

#include "tr/err.h"

#define TR_PUBLISH_SCHEMA "tradereport"

/* The tables a publish sends whole (and --citus names): every table but the packed facts
 * (published as fact_trade), the store's own record, and the summaries sum_product and
 * sum_chapter, which the server's views compute from its facts (sending them would only add
 * bytes no server reader uses); naming them before the store has them is harmless. */
#define TR_PUBLISH_TABLES_SQL                                                               \
    "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' " \
    "AND name NOT IN ('fact_trade_packed', 'publish_log', 'sum_product', 'sum_chapter') "   \
    "ORDER BY name"

/* At most this many --shard options: each is a server connection held during the publish */
#define TR_PUBLISH_MAX_SHARDS 16

/* --shard YEARS=URL: the fact partitions of years from..to live on the server url */
struct tr_publish_shard {
    int from, to;
    const char *url; /* points into the argument; never printed (may hold a password) */
    char label[24];  /* "2014-2018" or "2014": how messages name the shard */
};

struct tr_publish_opts {
    const char *target;     /* libpq connection string or postgresql:// URL */
    const char *schema;     /* NULL = TR_PUBLISH_SCHEMA */
    const char *grant_read; /* role given read access (kept for later publishes), or NULL */
    struct tr_publish_shard shards[TR_PUBLISH_MAX_SHARDS];
    int n_shards;
};

struct tr_publish_result {
    int up_to_date; /* 1: the server already held this state; nothing was written */
    int tables, views;
    long loads_sent, loads_dropped;
    long long rows_sent;  /* fact rows */
    long long table_rows; /* rows of the other tables */
    int shard_years_sent; /* years copied to a shard's new table */
    long long shard_rows_sent;
    char target[300]; /* host:port/database/schema, for messages */
};

/* TR_EUSAGE unless s is a lower-case SQL name (what --schema accepts) */
int tr_publish_check_schema(const char *s, struct tr_err *e);
/* Parses "YEARS=URL" (YEARS a year or FROM-TO) into s; TR_EUSAGE when it is malformed */
int tr_publish_shard_parse(const char *arg, struct tr_publish_shard *s, struct tr_err *e);
/* TR_EUSAGE when two shards' years overlap or a shard's URL is the target's */
int tr_publish_check_shards(const struct tr_publish_opts *o, struct tr_err *e);
/* TR_EUSAGE for a bad target or schema name, TR_EBUSY when another publish to the same schema
 * is running, TR_EIO for the server's refusals (unreachable, login, ownership, version). */
int tr_publish_run(sqlite3 *db, const struct tr_publish_opts *o, struct tr_publish_result *r,
                   struct tr_err *e);

#endif
