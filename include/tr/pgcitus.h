/*
 * publish --citus: the Citus layout of a published schema, as SQL text to run on a Citus
 * coordinator after `publish --to` into it. Ownership: the returned text is the caller's, freed
 * with sqlite3_free.
 */
#ifndef TR_PGCITUS_H
#define TR_PGCITUS_H
#include <sqlite3.h>
#include "tr/err.h"
/* Shards of the fact table (citus.shard_count for create_distributed_table) */
#define TR_CITUS_SHARDS 32
/* The DDL for schema: fact_trade distributed by reporter_id, every other published table of
 * the store (the dimensions, summaries, reference data, lineage) a reference table. */
int tr_pgcitus_ddl(sqlite3 *db, const char *schema, char **out, struct tr_err *e);
#endif
