/*
 * Summaries by partition (tr/pgsums.h). A summary row of (source, year, reporter) changes
 * only when facts of that partition change (an import refreshes the partitions its load
 * touched, an unload those it gives back: summary.c, sql/refresh), except when a migration
 * recomputes every summary or the tool computes them otherwise: the basis, recorded on the
 * server beside each summary sent whole, tells those cases apart, and then it is sent whole.
 */
#include <stdio.h>
#include <string.h>

#include "tr/pgcopy.h"
#include "tr/pgsums.h"
#include "tr/pgtable.h"
#include "tr/sha256.h"

#define KEYS(col, schema)                                                             \
    "(" col ", source_id, year) IN (SELECT reporter_id, source_id, year FROM " schema \
    "pub_changed)"

/* each summary and its rows of the changed partitions, in SQLite and on the server (the
 * same rows SQLite's refresh deletes: sum_bilateral's pairs with either side changed) */
static const struct {
    const char *name, *local, *server;
} SUMS[] = {
    {"sum_trade", KEYS("reporter_id", "temp."), KEYS("reporter_id", "pg_temp.")},
    {"sum_annual", KEYS("reporter_id", "temp."), KEYS("reporter_id", "pg_temp.")},
    {"sum_bilateral", KEYS("a_id", "temp.") " OR " KEYS("b_id", "temp."),
     KEYS("a_id", "pg_temp.") " OR " KEYS("b_id", "pg_temp.")},
};
#define N_SUMS (sizeof(SUMS) / sizeof(SUMS[0]))

static const char TABLE_DDL[] =
    "CREATE TABLE IF NOT EXISTS publish_table (name text PRIMARY KEY, basis text NOT NULL)";

static int find(const char *table)
{
    for (size_t i = 0; i < N_SUMS; i++)
        if (strcmp(SUMS[i].name, table) == 0)
            return (int)i;
    return -1;
}

/* The tool, the store's schema version and the table's and its indexes' definitions */
static int basis(sqlite3 *db, const char *table, char hex[65], struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    struct tr_sha256 h;
    tr_sha256_init(&h);
    tr_sha256_update(&h, TR_VERSION, sizeof(TR_VERSION));
    int rc = sqlite3_prepare_v2(db,
                                "SELECT (SELECT user_version FROM pragma_user_version) "
                                "UNION ALL SELECT sql FROM (SELECT sql FROM main.sqlite_master "
                                "WHERE tbl_name = ?1 AND sql IS NOT NULL ORDER BY name)",
                                -1, &st, NULL),
        step;
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
    while (rc == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        tr_sha256_update(&h, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
    if (rc == SQLITE_OK && step != SQLITE_DONE)
        rc = step;
    sqlite3_finalize(st);
    tr_sha256_final_hex(&h, hex);
    return rc == SQLITE_OK ? TR_OK : tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

int tr_pgsums_partial(struct tr_pg *pg, sqlite3 *db, const char *table, int *partial,
                      struct tr_err *e)
{
    char hex[65], qt[256];
    PGresult *r = NULL;
    *partial = 0;
    if (find(table) < 0)
        return TR_OK;
    int rc = basis(db, table, hex, e);
    if (!rc)
        rc = tr_pg_ident(table, qt, sizeof(qt), e);
    const char *p[] = {table, hex, qt};
    if (!rc)
        rc = tr_pg_exec(pg, TABLE_DDL, e);
    if (!rc)
        rc = tr_pg_query(pg,
                         "SELECT 1 FROM publish_table WHERE name = $1 AND basis = $2 "
                         "AND to_regclass($3) IS NOT NULL",
                         3, p, &r, e);
    *partial = !rc && PQntuples(r) == 1;
    PQclear(r);
    return rc;
}

int tr_pgsums_record(struct tr_pg *pg, sqlite3 *db, const char *table, struct tr_err *e)
{
    char hex[65];
    if (find(table) < 0)
        return TR_OK;
    int rc = basis(db, table, hex, e);
    const char *p[] = {table, hex};
    if (!rc)
        rc = tr_pg_exec(pg, TABLE_DDL, e);
    if (!rc)
        rc = tr_pg_query(pg,
                         "INSERT INTO publish_table VALUES ($1, $2) ON CONFLICT (name) "
                         "DO UPDATE SET basis = $2",
                         2, p, NULL, e);
    return rc;
}

/* temp.pub_changed to the server's pg_temp.pub_changed (gone at commit) */
static int send_keys(struct tr_pg *pg, sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    struct tr_pgcopy c;
    int rc = tr_pg_exec(pg,
                        "CREATE TEMP TABLE IF NOT EXISTS pub_changed (source_id bigint, "
                        "year bigint, reporter_id bigint) ON COMMIT DROP;"
                        "TRUNCATE pg_temp.pub_changed",
                        e),
        step = SQLITE_DONE;
    if (!rc && sqlite3_prepare_v2(db, "SELECT source_id, year, reporter_id FROM temp.pub_changed",
                                  -1, &st, NULL))
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (!rc)
        rc = tr_pgcopy_begin(&c, pg, "COPY pg_temp.pub_changed FROM STDIN", e);
    int started = !rc;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = tr_pgcopy_row(&c, st, 3, e);
    if (!rc && step != SQLITE_DONE)
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (started && rc)
        tr_pgcopy_abort(&c);
    else if (started)
        rc = tr_pgcopy_end(&c, e);
    return rc ? rc : tr_pg_exec(pg, "ANALYZE pg_temp.pub_changed", e);
}

int tr_pgsums_send(struct tr_pg *pg, sqlite3 *db, const char *table, long long *rows,
                   struct tr_err *e)
{
    int i = find(table);
    char qt[256], sql[1024];
    *rows = 0;
    if (i < 0)
        return tr_err_set(e, TR_EIO, "'%s' is not a summary sent by partition", table);
    int rc = tr_pg_ident(table, qt, sizeof(qt), e);
    if (!rc)
        rc = send_keys(pg, db, e);
    if (!rc) {
        snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s", qt, SUMS[i].server);
        rc = tr_pg_exec(pg, sql, e);
    }
    if (!rc)
        rc = tr_pgtable_append(pg, db, table, SUMS[i].local, rows, e);
    if (!rc) { /* a new year can double a summary: plans need the new statistics */
        snprintf(sql, sizeof(sql), "ANALYZE %s", qt);
        rc = tr_pg_exec(pg, sql, e);
    }
    return rc;
}
