/*
 * Facts to the server, by load. Which loads to send is decided by comparing each load's row
 * count in SQLite with the count the server recorded when it last received that load: loads
 * only ever lose rows to a replacement and regain them on an unload, so an equal count means
 * the same rows. The comparison runs in SQLite temp tables; the rows go by COPY.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/pgcopy.h"
#include "tr/pgfacts.h"

static const char FACT_DDL[] =
    "CREATE TABLE IF NOT EXISTS fact_trade (" TR_PGFACTS_COLUMNS
    ") PARTITION BY RANGE (year);"
    "CREATE TABLE IF NOT EXISTS fact_trade_other PARTITION OF fact_trade DEFAULT;"
    "CREATE TABLE IF NOT EXISTS publish_load (load_id bigint PRIMARY KEY, rows bigint NOT NULL,"
    " published_at timestamptz NOT NULL DEFAULT now())";

/* built after the rows are in on a first publish; later partitions inherit them. A load's
 * rows arrive together, so a BRIN index finds them for deletion at a fraction of a b-tree's
 * build time and size. */
static const char FACT_INDEXES[] =
    "SET LOCAL maintenance_work_mem = '256MB';"
    "CREATE INDEX IF NOT EXISTS fact_trade_key ON fact_trade (trade_key);"
    "CREATE INDEX IF NOT EXISTS fact_trade_load ON fact_trade USING brin (load_id);"
    "CREATE INDEX IF NOT EXISTS fact_trade_pair ON fact_trade (reporter_id, partner_id, year);"
    "ANALYZE fact_trade";

static const char LOCAL_SQL[] =
    "DROP TABLE IF EXISTS temp.pub_local; DROP TABLE IF EXISTS temp.pub_remote;"
    "DROP TABLE IF EXISTS temp.pub_send;"
    "CREATE TEMP TABLE pub_local (load_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "CREATE TEMP TABLE pub_remote (load_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "CREATE TEMP TABLE pub_send (load_id INTEGER PRIMARY KEY, n INTEGER);"
    "DROP TABLE IF EXISTS temp.pub_remote_year; DROP TABLE IF EXISTS temp.pub_returned_year;"
    "CREATE TEMP TABLE pub_remote_year (year INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE pub_returned_year (year INTEGER PRIMARY KEY);"
    "INSERT INTO pub_local SELECT load_id, count(*) FROM main.fact_trade_packed GROUP BY load_id";

/* every load whose rows differ: new, changed (sent again) or gone (n NULL: deleted only) */
static const char DIFF_SQL[] =
    "INSERT INTO pub_send SELECT l.load_id, l.n FROM pub_local l"
    " LEFT JOIN pub_remote r ON r.load_id = l.load_id WHERE r.n IS NOT l.n;"
    "INSERT INTO pub_send SELECT r.load_id, NULL FROM pub_remote r"
    " WHERE r.load_id NOT IN (SELECT load_id FROM pub_local)";

#define ROWS_SELECT \
    "SELECT f.trade_key, f.value_usd, f.net_wgt_kg, f.qty, f.qty_unit, f.cif_usd, f.fob_usd," \
    " f.flags, f.load_id, f.source_id, f.year, f.month, f.reporter_id, f.classification," \
    " f.partner_id, f.flow, f.product_id, s.source, r.iso3, p.iso3, d.code" \
    " FROM main.fact_trade f" \
    " LEFT JOIN main.dim_source s ON s.source_id = f.source_id" \
    " LEFT JOIN main.dim_country r ON r.country_id = f.reporter_id" \
    " LEFT JOIN main.dim_country p ON p.country_id = f.partner_id" \
    " LEFT JOIN main.dim_product d ON d.product_id = f.product_id"

/* the sent loads' rows of the years the coordinator holds itself */
static const char ROWS_SQL[] = ROWS_SELECT
    " WHERE f.load_id IN (SELECT load_id FROM temp.pub_send WHERE n IS NOT NULL)"
    " AND f.year NOT IN (SELECT year FROM temp.pub_remote_year)";

static const char YEAR_ROWS_SQL[] = ROWS_SELECT " WHERE f.year = ?1";

/* a year back from a shard: the coordinator holds none of its rows, so every load with rows
 * in it is sent again (its record counted them) */
static const char RETURNED_SQL[] =
    "DELETE FROM temp.pub_remote WHERE load_id IN (SELECT DISTINCT load_id FROM main.fact_trade"
    " WHERE year IN (SELECT year FROM temp.pub_returned_year))";

static int sqlite_fail(sqlite3 *db, struct tr_err *e)
{
    return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

/* The server's record of what it holds, into temp.pub_remote */
static int read_remote(struct tr_pg *pg, sqlite3 *db, struct tr_err *e)
{
    PGresult *r = NULL;
    sqlite3_stmt *st = NULL;
    int rc = tr_pg_query(pg, "SELECT load_id, rows FROM publish_load", 0, NULL, &r, e);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(db, "INSERT INTO temp.pub_remote VALUES (?1, ?2)", -1, &st, NULL))
        rc = sqlite_fail(db, e);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        sqlite3_bind_int64(st, 1, strtoll(PQgetvalue(r, i, 0), NULL, 10));
        sqlite3_bind_int64(st, 2, strtoll(PQgetvalue(r, i, 1), NULL, 10));
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sqlite_fail(db, e);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    PQclear(r);
    return rc;
}

/* Runs sql on the server once per row of the SQLite query q, its columns as parameters. */
static int for_each(struct tr_pg *pg, sqlite3 *db, const char *q, const char *sql, long *n,
                    struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, q, -1, &st, NULL) ? sqlite_fail(db, e) : TR_OK;
    *n = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *p[2];
        for (int i = 0; i < 2; i++)
            p[i] = i < sqlite3_column_count(st) ? (const char *)sqlite3_column_text(st, i) : NULL;
        rc = tr_pg_query(pg, sql, sqlite3_column_count(st), p, NULL, e);
        (*n)++;
    }
    sqlite3_finalize(st);
    return rc;
}

static long count_dropped(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.pub_send WHERE n IS NULL", -1, &st,
                           NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Each year the sent loads bring (load_partition names them): its partition created before
 * the rows (analyze 0), its statistics gathered after them (analyze 1) */
static int for_each_year(struct tr_pg *pg, sqlite3 *db, int analyze, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT DISTINCT year FROM main.load_partition WHERE load_id "
                                    "IN (SELECT load_id FROM temp.pub_send WHERE n IS NOT NULL) "
                                    "AND year NOT IN (SELECT year FROM temp.pub_remote_year)",
                                -1, &st, NULL) ? sqlite_fail(db, e) : TR_OK;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        int y = sqlite3_column_int(st, 0);
        char sql[200];
        if (analyze)
            snprintf(sql, sizeof(sql), "ANALYZE fact_trade_y%d", y);
        else
            snprintf(sql, sizeof(sql), "CREATE TABLE IF NOT EXISTS fact_trade_y%d PARTITION OF "
                                       "fact_trade FOR VALUES FROM (%d) TO (%d)", y, y, y + 1);
        rc = tr_pg_exec(pg, sql, e);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Sends st's rows (ROWS_SELECT's columns) with copy_sql; finalizes st */
static int copy_rows(struct tr_pg *pg, sqlite3 *db, sqlite3_stmt *st, const char *copy_sql,
                     long long *rows, struct tr_err *e)
{
    struct tr_pgcopy c;
    const char *die = getenv("TR_TEST_PUBLISH_DIE_AFTER_ROWS");
    long long die_after = die ? atoll(die) : -1;
    int rc = tr_pgcopy_begin(&c, pg, copy_sql, e), step = SQLITE_DONE;
    int started = !rc;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = tr_pgcopy_row(&c, st, 21, e);
        if (die_after >= 0 && c.rows >= die_after)
            raise(SIGKILL);   /* test hook: a publish killed in the middle of its COPY */
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    sqlite3_finalize(st);
    if (started && rc)
        tr_pgcopy_abort(&c);
    else if (started)
        rc = tr_pgcopy_end(&c, e);
    *rows = started ? c.rows : 0;
    return rc;
}

int tr_pgfacts_copy_year(struct tr_pg *pg, sqlite3 *db, int year, const char *copy_sql,
                         long long *rows, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    *rows = 0;
    if (sqlite3_prepare_v2(db, YEAR_ROWS_SQL, -1, &st, NULL) ||
        sqlite3_bind_int(st, 1, year)) {
        sqlite3_finalize(st);
        return sqlite_fail(db, e);
    }
    return copy_rows(pg, db, st, copy_sql, rows, e);
}

/* The scope's year lists into temp.pub_remote_year and temp.pub_returned_year */
static int fill_scope(sqlite3 *db, const struct tr_pgfacts_scope *scope, struct tr_err *e)
{
    static const char *const ins[2] = {"INSERT INTO temp.pub_remote_year VALUES (?1)",
                                       "INSERT INTO temp.pub_returned_year VALUES (?1)"};
    for (int k = 0; scope && k < 2; k++) {
        const int *y = k ? scope->returned : scope->remote;
        int n = k ? scope->n_returned : scope->n_remote;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, ins[k], -1, &st, NULL))
            return sqlite_fail(db, e);
        for (int i = 0; i < n; i++) {
            if (sqlite3_bind_int(st, 1, y[i]) || sqlite3_step(st) != SQLITE_DONE ||
                sqlite3_reset(st)) {
                sqlite3_finalize(st);
                return sqlite_fail(db, e);
            }
        }
        sqlite3_finalize(st);
    }
    return TR_OK;
}

int tr_pgfacts_sync(struct tr_pg *pg, sqlite3 *db, const struct tr_pgfacts_scope *scope,
                    struct tr_pgfacts_result *r, struct tr_err *e)
{
    long n;
    memset(r, 0, sizeof(*r));
    int first = 0;
    PGresult *q = NULL;
    int rc = tr_pg_query(pg, "SELECT to_regclass('fact_trade') IS NULL", 0, NULL, &q, e);
    if (!rc)
        first = PQgetvalue(q, 0, 0)[0] == 't';
    PQclear(q);
    if (rc || (rc = tr_pg_exec(pg, FACT_DDL, e)))
        return rc;
    if (sqlite3_exec(db, LOCAL_SQL, NULL, NULL, NULL))
        return sqlite_fail(db, e);
    if ((rc = fill_scope(db, scope, e)) || (rc = read_remote(pg, db, e)))
        goto out;
    if ((scope && scope->n_returned && sqlite3_exec(db, RETURNED_SQL, NULL, NULL, NULL)) ||
        sqlite3_exec(db, DIFF_SQL, NULL, NULL, NULL)) {
        rc = sqlite_fail(db, e);
        goto out;
    }
    rc = for_each(pg, db, "SELECT load_id FROM temp.pub_send",
                  "DELETE FROM fact_trade WHERE load_id = $1", &n, e);
    if (!rc)
        rc = for_each(pg, db, "SELECT load_id FROM temp.pub_send",
                      "DELETE FROM publish_load WHERE load_id = $1", &n, e);
    if (!rc)
        rc = for_each_year(pg, db, 0, e);
    if (!rc) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, ROWS_SQL, -1, &st, NULL))
            rc = sqlite_fail(db, e);
        else
            rc = copy_rows(pg, db, st, "COPY fact_trade FROM STDIN", &r->rows_sent, e);
    }
    if (!rc)
        rc = for_each(pg, db, "SELECT load_id, n FROM temp.pub_send WHERE n IS NOT NULL",
                      "INSERT INTO publish_load (load_id, rows) VALUES ($1, $2)",
                      &r->loads_sent, e);
    if (!rc)
        r->loads_dropped = count_dropped(db);
    if (!rc && first)
        rc = tr_pg_exec(pg, FACT_INDEXES, e);
    else if (!rc && r->loads_sent)   /* the partitions that changed, not the whole table */
        rc = for_each_year(pg, db, 1, e);
out:
    sqlite3_exec(db, "DROP TABLE IF EXISTS temp.pub_local; DROP TABLE IF EXISTS temp.pub_remote;"
                     "DROP TABLE IF EXISTS temp.pub_send; "
                     "DROP TABLE IF EXISTS temp.pub_remote_year;"
                     "DROP TABLE IF EXISTS temp.pub_returned_year", NULL, NULL, NULL);
    return rc;
}
