/*
 * Fact rows to the server: read from fact_trade_packed by key range, the key decoded in C and
 * the readable codes looked up in tables read once, sent by binary COPY in fact_trade's
 * column order (TR_PGFACTS_COLUMNS).
 * Ownership: a struct tr_pgfactrows owns its lookups and load list from tr_pgfactrows_new
 * until tr_pgfactrows_free; the connections stay the caller's.
 */
#ifndef TR_PGFACTROWS_H
#define TR_PGFACTROWS_H

#include <sqlite3.h>
#include <stdint.h>

#include "tr/pgconn.h"

struct tr_pgfactrows_load {
    int64_t id;
    long long want; /* the store's row count of the load */
    long long sent; /* rows sent by the last tr_pgfactrows_copy */
};

struct tr_pgfactrows {
    char *source[8];     /* dim_source.source by source id; NULL: none */
    char *country[1024]; /* dim_country.iso3 by country id */
    char **product;      /* dim_product.code by product id, n_product of them */
    size_t n_product;
    size_t max_code;                  /* the longest of them, for a row's room in the buffer */
    struct tr_pgfactrows_load *loads; /* sorted by id; NULL with all_loads: every load */
    size_t n_loads;
    int all_loads;
    unsigned char skip_year[256]; /* by year - 1900: 1 = not sent (held by a shard) */
    unsigned char *touched;       /* a bit per (source, year, reporter) a sent row has */
};

/* The bit of touched for a (source, year - 1900, reporter) */
#define TR_PGFACTROWS_TOUCHED(source, year_off, reporter) \
    (((size_t)(source) << 18) | ((size_t)(year_off) << 10) | (size_t)(reporter))
#define TR_PGFACTROWS_N_TOUCHED ((size_t)8 << 18)

/* Reads the lookups from db; every load, every year until told otherwise. */
int tr_pgfactrows_new(sqlite3 *db, struct tr_pgfactrows **out, struct tr_err *e);
void tr_pgfactrows_free(struct tr_pgfactrows *f);

/* Sends only the loads of the query q (columns: load_id, the store's row count), no more
 * the other loads. */
int tr_pgfactrows_only_loads(struct tr_pgfactrows *f, sqlite3 *db, const char *q,
                             struct tr_err *e);

/* Sends, with "COPY table FROM STDIN (FORMAT binary)", the facts whose trade_key lies in one
 * of the n ranges [range[2i], range[2i+1]] (ascending, disjoint), of the loads asked for and
 * of years not skipped; *rows receives the rows sent and each load its count. */
int tr_pgfactrows_copy(struct tr_pgfactrows *f, struct tr_pg *pg, sqlite3 *db, const char *table,
                       const int64_t *range, size_t n, long long *rows, struct tr_err *e);

#endif
