/*
 * The Citus layout of a published schema as SQL text (publish --citus): the fact table hash-
 * distributed by reporter over TR_CITUS_SHARDS shards (a reporter's facts, every year of them,
 * on one node: the views' reads by reporter and pair stay on one shard), every other table
 * replicated to every node as a reference table (the views join them to the facts anywhere).
 * It writes text only: no connection, nothing run (Debian ships no Citus to test against).
 */
#include <stdio.h>

#include "tr/pgcitus.h"
#include "tr/pgconn.h"
#include "tr/publish.h"

static const char TABLES_SQL[] = TR_PUBLISH_TABLES_SQL; /* the tables publish sends */

static void header(sqlite3_str *s, const char *qs)
{
    sqlite3_str_appendf(
        s,
        "-- The Citus layout of schema %s, for a Citus coordinator that `tradereport publish`\n"
        "-- has filled (psql -f). fact_trade (partitioned by year) is distributed by\n"
        "-- reporter_id in %d hash shards, each shard partitioned by year like the original;\n"
        "-- every other table is a reference table, one shard copied to every node.\n"
        "SET citus.shard_count = %d;\n"
        "SELECT create_distributed_table('%q.fact_trade', 'reporter_id');\n",
        qs, TR_CITUS_SHARDS, TR_CITUS_SHARDS, qs);
}

int tr_pgcitus_ddl(sqlite3 *db, const char *schema, char **out, struct tr_err *e)
{
    char qs[200], qt[200];
    sqlite3_stmt *st = NULL;
    *out = NULL;
    int rc = tr_publish_check_schema(schema ? schema : TR_PUBLISH_SCHEMA, e);
    if (!rc)
        rc = tr_pg_ident(schema ? schema : TR_PUBLISH_SCHEMA, qs, sizeof(qs), e);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(db, TABLES_SQL, -1, &st, NULL) != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_str *s = sqlite3_str_new(db);
    header(s, qs);
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = tr_pg_ident((const char *)sqlite3_column_text(st, 0), qt, sizeof(qt), e);
        if (!rc) /* a quoted name inside a string literal (%q doubles its quotes) */
            sqlite3_str_appendf(s, "SELECT create_reference_table('%q.%q');\n", qs, qt);
    }
    if (!rc && step != SQLITE_DONE)
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (!rc && sqlite3_str_errcode(s))
        rc = tr_err_set(e, TR_ENOMEM, "out of memory writing the Citus layout");
    char *text = sqlite3_str_finish(s);
    if (rc)
        sqlite3_free(text);
    else
        *out = text;
    return rc;
}
