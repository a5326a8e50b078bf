/*
 * Facts to the server, by load. Which loads to send is decided by comparing each load's row
 * count in SQLite with the count the server recorded when it last received that load: loads
 * only ever lose rows to a replacement and regain them on an unload, so an equal count means
 * the same rows. The comparison runs in SQLite temp tables; the rows go by binary COPY
 * (pgfactrows.c), read by the key ranges of the sent loads' partitions. It also notes which
 * partitions' facts changed, for the summaries (pgsums.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/factkey.h"
#include "tr/pgfactrows.h"
#include "tr/pgfacts.h"

static const char FACT_DDL[] =
    "CREATE TABLE IF NOT EXISTS fact_trade (" TR_PGFACTS_COLUMNS ") PARTITION BY RANGE (year);"
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
    "DROP TABLE IF EXISTS temp.pub_changed;"
    "CREATE TEMP TABLE pub_changed (source_id INTEGER, year INTEGER, reporter_id INTEGER,"
    " PRIMARY KEY (source_id, year, reporter_id)) WITHOUT ROWID;";

/* what the summaries' refresh in SQLite also counts as changed: reporters whose rows a sent
 * load replaced without bringing new ones (sql/refresh, summary.c) */
static const char REPLACED_KEYS_SQL[] =
    "INSERT OR IGNORE INTO temp.pub_changed SELECT source_id, year, reporter_id"
    " FROM main.sum_trade_replaced WHERE load_id IN (SELECT load_id FROM temp.pub_send)";

/* every load whose rows differ: new, changed (sent again) or gone (n NULL: deleted only) */
static const char DIFF_SQL[] =
    "INSERT INTO pub_send SELECT l.load_id, l.n FROM pub_local l"
    " LEFT JOIN pub_remote r ON r.load_id = l.load_id WHERE r.n IS NOT l.n;"
    "INSERT INTO pub_send SELECT r.load_id, NULL FROM pub_remote r"
    " WHERE r.load_id NOT IN (SELECT load_id FROM pub_local)";

/* a year back from a shard: the coordinator holds none of its rows, so every load with rows
 * in it is sent again (its record counted them) */
static const char RETURNED_SQL[] =
    "DELETE FROM temp.pub_remote WHERE load_id IN (SELECT DISTINCT load_id FROM main.fact_trade"
    " WHERE year IN (SELECT year FROM temp.pub_returned_year))";

static int sqlite_fail(sqlite3 *db, struct tr_err *e)
{
    return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

struct tally {
    int64_t *id;
    long long *n;
    size_t len, cap;
};

/* the slot of load id in t (ids kept in order), made when new; -1 when out of memory */
static long tally_slot(struct tally *t, int64_t id)
{
    size_t lo = 0, hi = t->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->len && t->id[lo] == id)
        return (long)lo;
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        int64_t *ids = realloc(t->id, cap * sizeof(*ids));
        if (ids)
            t->id = ids;
        long long *ns = ids ? realloc(t->n, cap * sizeof(*ns)) : NULL;
        if (!ns)
            return -1;
        t->n = ns;
        t->cap = cap;
    }
    memmove(t->id + lo + 1, t->id + lo, (t->len - lo) * sizeof(*t->id));
    memmove(t->n + lo + 1, t->n + lo, (t->len - lo) * sizeof(*t->n));
    t->id[lo] = id;
    t->n[lo] = 0;
    t->len++;
    return (long)lo;
}

/* Each load's row count in the store, into temp.pub_local: one pass over the packed facts,
 * tallied here (SQLite's GROUP BY would first sort every row by load; a load's rows mostly
 * lie together, so the last slot is nearly always the one) */
static int count_local(sqlite3 *db, struct tr_err *e)
{
    struct tally t = {0};
    sqlite3_stmt *st = NULL;
    long slot = -1;
    int rc = sqlite3_prepare_v2(db, "SELECT load_id FROM main.fact_trade_packed", -1, &st, NULL)
                 ? sqlite_fail(db, e)
                 : TR_OK,
        step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (slot < 0 || t.id[slot] != id)
            slot = tally_slot(&t, id);
        if (slot < 0)
            rc = tr_err_set(e, TR_ENOMEM, "out of memory counting loads");
        else
            t.n[slot]++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    sqlite3_finalize(st);
    st = NULL;
    if (!rc &&
        sqlite3_prepare_v2(db, "INSERT INTO temp.pub_local VALUES (?1, ?2)", -1, &st, NULL))
        rc = sqlite_fail(db, e);
    for (size_t i = 0; !rc && i < t.len; i++) {
        if (sqlite3_bind_int64(st, 1, t.id[i]) || sqlite3_bind_int64(st, 2, t.n[i]) ||
            sqlite3_step(st) != SQLITE_DONE || sqlite3_reset(st))
            rc = sqlite_fail(db, e);
    }
    sqlite3_finalize(st);
    free(t.id);
    free(t.n);
    return rc;
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
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Each year the sent loads bring (load_partition names them): its partition created before
 * the rows (analyze 0), its statistics gathered after them (analyze 1) */
static int for_each_year(struct tr_pg *pg, sqlite3 *db, int analyze, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT DISTINCT year FROM main.load_partition WHERE load_id "
                                "IN (SELECT load_id FROM temp.pub_send WHERE n IS NOT NULL) "
                                "AND year NOT IN (SELECT year FROM temp.pub_remote_year)",
                                -1, &st, NULL)
                 ? sqlite_fail(db, e)
                 : TR_OK;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        int y = sqlite3_column_int(st, 0);
        char sql[200];
        if (analyze)
            snprintf(sql, sizeof(sql), "ANALYZE fact_trade_y%d", y);
        else
            snprintf(sql, sizeof(sql),
                     "CREATE TABLE IF NOT EXISTS fact_trade_y%d PARTITION OF "
                     "fact_trade FOR VALUES FROM (%d) TO (%d)",
                     y, y, y + 1);
        rc = tr_pg_exec(pg, sql, e);
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_pgfacts_copy_year(struct tr_pg *pg, sqlite3 *db, int year, const char *table,
                         long long *rows, struct tr_err *e)
{
    /* the source leads the key: a year is one key range per source */
    int64_t range[2 * (TR_KEY_SOURCE_MASK + 1)];
    size_t n = year >= TR_KEY_YEAR_MIN && year <= TR_KEY_YEAR_MAX ? TR_KEY_SOURCE_MASK + 1 : 0;
    for (int s = 0; s <= TR_KEY_SOURCE_MASK; s++) {
        range[2 * s] = (int64_t)s << TR_KEY_SOURCE_SHIFT | (int64_t)(year - TR_KEY_YEAR_MIN)
                                                               << TR_KEY_YEAR_SHIFT;
        range[2 * s + 1] = range[2 * s] + ((int64_t)1 << TR_KEY_YEAR_SHIFT) - 1;
    }
    struct tr_pgfactrows *f = NULL;
    int rc = tr_pgfactrows_new(db, &f, e);
    if (!rc)
        rc = tr_pgfactrows_copy(f, pg, db, table, range, n, rows, e);
    tr_pgfactrows_free(f);
    return rc;
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

/* The key prefix (TR_KEY_PARTITION_SHIFT) of each partition the sent loads hold, in order;
 * a partition no fact key can name (a tariff's) is left out. (SQLite's << and | bind alike,
 * left to right: hence the parentheses.) */
#define PARTITIONS_SQL                                                                        \
    "SELECT DISTINCT (source_id << %d) | ((year - %d) << %d) | (month << %d) |"               \
    " (reporter_id << %d) | CAST(substr(classification, 2) AS INTEGER) AS p"                  \
    " FROM main.load_partition"                                                               \
    " WHERE load_id IN (SELECT load_id FROM temp.pub_send WHERE n IS NOT NULL)"               \
    " AND classification GLOB 'H[0-7]' AND source_id BETWEEN 0 AND %d"                        \
    " AND year BETWEEN %d AND %d AND month BETWEEN 0 AND %d AND reporter_id BETWEEN 0 AND %d" \
    " ORDER BY p"

static int add_range(int64_t **range, size_t *n, size_t *cap, int64_t lo, int64_t hi,
                     struct tr_err *e)
{
    if (*n && (*range)[2 * *n - 1] + 1 == lo) { /* adjacent partitions: one range */
        (*range)[2 * *n - 1] = hi;
        return TR_OK;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        int64_t *p = realloc(*range, *cap * 2 * sizeof(**range));
        if (!p)
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        *range = p;
    }
    (*range)[2 * *n] = lo;
    (*range)[2 * *n + 1] = hi;
    (*n)++;
    return TR_OK;
}

/* The key ranges of the sent loads' partitions (load_partition), merged; the caller frees */
static int load_ranges(sqlite3 *db, int64_t **range, size_t *n, struct tr_err *e)
{
    char sql[1024];
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    const int64_t one = (int64_t)1 << TR_KEY_PARTITION_SHIFT;
    const int at = TR_KEY_PARTITION_SHIFT;
    snprintf(sql, sizeof(sql), PARTITIONS_SQL, TR_KEY_SOURCE_SHIFT - at, TR_KEY_YEAR_MIN,
             TR_KEY_YEAR_SHIFT - at, TR_KEY_MONTH_SHIFT - at, TR_KEY_REPORTER_SHIFT - at,
             TR_KEY_SOURCE_MASK, TR_KEY_YEAR_MIN, TR_KEY_YEAR_MAX, TR_KEY_MONTH_MASK,
             TR_KEY_COUNTRY_MASK);
    *range = NULL;
    *n = 0;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL) ? sqlite_fail(db, e) : TR_OK, step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t lo = sqlite3_column_int64(st, 0) << TR_KEY_PARTITION_SHIFT;
        rc = add_range(range, n, &cap, lo, lo + one - 1, e);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    sqlite3_finalize(st);
    return rc;
}

static int add_key(sqlite3_stmt *ins, sqlite3 *db, int64_t source, int64_t year, int64_t reporter,
                   struct tr_err *e)
{
    if (sqlite3_bind_int64(ins, 1, source) || sqlite3_bind_int64(ins, 2, year) ||
        sqlite3_bind_int64(ins, 3, reporter) || sqlite3_step(ins) != SQLITE_DONE ||
        sqlite3_reset(ins))
        return sqlite_fail(db, e);
    return TR_OK;
}

static const char ADD_KEY_SQL[] = "INSERT OR IGNORE INTO temp.pub_changed VALUES (?1, ?2, ?3)";

/* The partitions the rows sent fall in, into temp.pub_changed */
static int touched_keys(const struct tr_pgfactrows *f, sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *ins = NULL;
    int rc = sqlite3_prepare_v2(db, ADD_KEY_SQL, -1, &ins, NULL) ? sqlite_fail(db, e) : TR_OK;
    for (size_t b = 0; !rc && b < TR_PGFACTROWS_N_TOUCHED; b++)
        if (f->touched[b >> 3] >> (b & 7) & 1)
            rc = add_key(ins, db, (int64_t)(b >> 18), (int64_t)(b >> 10 & 255) + TR_KEY_YEAR_MIN,
                         (int64_t)(b & 1023), e);
    sqlite3_finalize(ins);
    return rc;
}

/* The partitions the server's rows of the loads about to be deleted fall in (their rows
 * leave them), into temp.pub_changed; found by the load index */
static int deleted_keys(struct tr_pg *pg, sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *st = NULL, *ins = NULL;
    sqlite3_str *ids = sqlite3_str_new(db);
    PGresult *r = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT load_id FROM temp.pub_send", -1, &st, NULL) ||
                     sqlite3_prepare_v2(db, ADD_KEY_SQL, -1, &ins, NULL)
                 ? sqlite_fail(db, e)
                 : TR_OK;
    int step = SQLITE_DONE;
    sqlite3_str_appendchar(ids, 1, '{');
    for (int n = 0; !rc && (step = sqlite3_step(st)) == SQLITE_ROW; n++)
        sqlite3_str_appendf(ids, "%s%lld", n ? "," : "", sqlite3_column_int64(st, 0));
    sqlite3_str_appendchar(ids, 1, '}');
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    char *list = sqlite3_str_finish(ids);
    const char *p[] = {list};
    if (!rc && !list)
        rc = tr_err_set(e, TR_ENOMEM, "out of memory");
    if (!rc)
        rc = tr_pg_query(pg,
                         "SELECT DISTINCT source_id, year, reporter_id FROM fact_trade "
                         "WHERE load_id = ANY ($1::bigint[])",
                         1, p, &r, e);
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = add_key(ins, db, strtoll(PQgetvalue(r, i, 0), NULL, 10),
                     strtoll(PQgetvalue(r, i, 1), NULL, 10),
                     strtoll(PQgetvalue(r, i, 2), NULL, 10), e);
    PQclear(r);
    sqlite3_free(list);
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    return rc;
}

/* 1 when every sent load's rows were sent: the store's count of each */
static int all_sent(const struct tr_pgfactrows *f)
{
    for (size_t i = 0; i < f->n_loads; i++)
        if (f->loads[i].sent != f->loads[i].want)
            return 0;
    return 1;
}

/* The sent loads' rows, by one pass over the store on a first publish or when shards hold
 * years (the store's counts then include rows not sent here); otherwise only the key ranges
 * of their partitions, proportional to the change. Should the partitions not list every row
 * (a count comes out short), that COPY is rolled back and the one pass sends them. */
static int send_rows(struct tr_pg *pg, sqlite3 *db, int first,
                     const struct tr_pgfacts_scope *scope, long long *rows, struct tr_err *e)
{
    static const int64_t whole[2] = {0, INT64_MAX};
    struct tr_pgfactrows *f = NULL;
    int64_t *range = NULL;
    size_t n = 0;
    int ranged = !first && !(scope && scope->n_remote);
    int rc = tr_pgfactrows_new(db, &f, e);
    for (int i = 0; !rc && scope && i < scope->n_remote; i++)
        if (scope->remote[i] >= TR_KEY_YEAR_MIN && scope->remote[i] <= TR_KEY_YEAR_MAX)
            f->skip_year[scope->remote[i] - TR_KEY_YEAR_MIN] = 1;
    if (!rc)
        rc = tr_pgfactrows_only_loads(f, db,
                                      "SELECT load_id, n FROM temp.pub_send "
                                      "WHERE n IS NOT NULL ORDER BY load_id",
                                      e);
    if (!rc && ranged)
        rc = load_ranges(db, &range, &n, e);
    if (!rc && ranged)
        rc = tr_pg_exec(pg, "SAVEPOINT tr_rows", e);
    if (!rc && ranged)
        rc = tr_pgfactrows_copy(f, pg, db, "fact_trade", range, n, rows, e);
    if (!rc && ranged && !all_sent(f))
        rc = tr_pg_exec(pg, "ROLLBACK TO SAVEPOINT tr_rows", e);
    else if (!rc && ranged)
        rc = tr_pg_exec(pg, "RELEASE SAVEPOINT tr_rows", e);
    if (!rc && (!ranged || !all_sent(f)))
        rc = tr_pgfactrows_copy(f, pg, db, "fact_trade", whole, 1, rows, e);
    if (!rc)
        rc = touched_keys(f, db, e);
    free(range);
    tr_pgfactrows_free(f);
    return rc;
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
    if ((rc = count_local(db, e)) || (rc = fill_scope(db, scope, e)) ||
        (rc = read_remote(pg, db, e)))
        goto out;
    if ((scope && scope->n_returned && sqlite3_exec(db, RETURNED_SQL, NULL, NULL, NULL)) ||
        sqlite3_exec(db, DIFF_SQL, NULL, NULL, NULL)) {
        rc = sqlite_fail(db, e);
        goto out;
    }
    if (sqlite3_exec(db, REPLACED_KEYS_SQL, NULL, NULL, NULL))
        rc = sqlite_fail(db, e);
    if (!rc)
        rc = deleted_keys(pg, db, e);
    if (!rc)
        rc = for_each(pg, db, "SELECT load_id FROM temp.pub_send",
                      "DELETE FROM fact_trade WHERE load_id = $1", &n, e);
    if (!rc)
        rc = for_each(pg, db, "SELECT load_id FROM temp.pub_send",
                      "DELETE FROM publish_load WHERE load_id = $1", &n, e);
    if (!rc)
        rc = for_each_year(pg, db, 0, e);
    if (!rc)
        rc = send_rows(pg, db, first, scope, &r->rows_sent, e);
    if (!rc)
        rc = for_each(pg, db, "SELECT load_id, n FROM temp.pub_send WHERE n IS NOT NULL",
                      "INSERT INTO publish_load (load_id, rows) VALUES ($1, $2)", &r->loads_sent,
                      e);
    if (!rc)
        r->loads_dropped = count_dropped(db);
    if (!rc && first)
        rc = tr_pg_exec(pg, FACT_INDEXES, e);
    else if (!rc && r->loads_sent) /* the partitions that changed, not the whole table */
        rc = for_each_year(pg, db, 1, e);
out:
    sqlite3_exec(db,
                 "DROP TABLE IF EXISTS temp.pub_local; DROP TABLE IF EXISTS temp.pub_remote;"
                 "DROP TABLE IF EXISTS temp.pub_send; "
                 "DROP TABLE IF EXISTS temp.pub_remote_year;"
                 "DROP TABLE IF EXISTS temp.pub_returned_year",
                 NULL, NULL, NULL);
    return rc;
}
