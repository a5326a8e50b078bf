/*
 * publish --shard: each shard year's facts go to a new table on its shard, named after the
 * publish (fact_trade_y2015_g<coordinator txid>) and committed there first; the coordinator's
 * transaction then points its foreign partition at that table and records it, so readers of
 * the coordinator see the old tables or the new ones, never a mixture. Tables the coordinator
 * no longer reads are dropped after it committed: only those of older publishes, since a
 * publish that starts once the coordinator's lock is free names its tables after a later
 * txid. What changed in a year is decided as for loads (pgfacts.c): each load's row count in
 * that year, hashed with the shard's identity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/pgcopy.h"
#include "tr/pgshard.h"
#include "tr/sha256.h"

struct tr_pgshard_year {
    int year, shard;
    char fp[65];    /* the year's loads and counts, and the shard's identity */
    char table[64]; /* the shard table the coordinator is to read */
    int send;       /* 1: copied by this publish */
};

#define SQL_MAX 4096

static const char RECORD_DDL[] =
    "CREATE TABLE IF NOT EXISTS publish_shard (year bigint PRIMARY KEY, shard text NOT NULL,"
    " server name NOT NULL, table_name text NOT NULL, fingerprint text NOT NULL)";

/* the shard's error, named by its years (its URL may hold a password) */
static int shard_fail(const struct tr_publish_shard *sh, const struct tr_err *in,
                      struct tr_err *e)
{
    return tr_err_set(e, in->code, "shard %s: %s", sh->label, in->msg);
}

int tr_pgshard_connect(struct tr_pgshard *s, const struct tr_publish_opts *o, const char *schema,
                       struct tr_err *e)
{
    s->o = o;
    s->schema = schema;
    for (int i = 0; i < o->n_shards; i++) {
        struct tr_err in;
        tr_err_init(&in);
        int rc = tr_pg_connect(&s->conns[i], o->shards[i].url, &in);
        if (rc == TR_EUSAGE)
            return tr_err_set(e, rc,
                              "--shard %s: not a libpq connection string or "
                              "postgresql:// URL",
                              o->shards[i].label);
        if (rc)
            return shard_fail(&o->shards[i], &in, e);
    }
    return TR_OK;
}

void tr_pgshard_close(struct tr_pgshard *s)
{
    for (int i = 0; i < TR_PUBLISH_MAX_SHARDS; i++)
        tr_pg_close(&s->conns[i]);
    free(s->years);
    free(s->remote);
    free(s->returned);
    s->years = NULL;
    s->remote = s->returned = NULL;
    s->n_years = s->cap_years = s->n_returned = 0;
}

/* host:port/database of shard i's connection */
static void identity(const struct tr_pgshard *s, int i, char *buf, size_t size)
{
    PGconn *c = s->conns[i].conn;
    const char *h = PQhost(c), *p = PQport(c), *d = PQdb(c);
    snprintf(buf, size, "%s:%s/%s", h ? h : "", p ? p : "", d ? d : "");
}

int tr_pgshard_layout(const struct tr_pgshard *s, char *buf, size_t size, struct tr_err *e)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; s->o && i < s->o->n_shards; i++) {
        char id[400];
        identity(s, i, id, sizeof(id));
        int n = snprintf(buf + len, size - len, "%s@%s;", s->o->shards[i].label, id);
        if (n < 0 || (size_t)n >= size - len)
            return tr_err_set(e, TR_ENOMEM, "shard layout too long");
        len += (size_t)n;
    }
    return TR_OK;
}

static int shard_of(const struct tr_publish_opts *o, int year)
{
    for (int i = 0; i < o->n_shards; i++)
        if (year >= o->shards[i].from && year <= o->shards[i].to)
            return i;
    return -1;
}

static struct tr_pgshard_year *add_year(struct tr_pgshard *s, int year, int shard,
                                        struct tr_err *e)
{
    if (s->n_years == s->cap_years) {
        int cap = s->cap_years ? s->cap_years * 2 : 16;
        struct tr_pgshard_year *y = realloc(s->years, (size_t)cap * sizeof(*y));
        if (!y) {
            tr_err_set(e, TR_ENOMEM, "out of memory planning the shards");
            return NULL;
        }
        s->years = y;
        s->cap_years = cap;
    }
    struct tr_pgshard_year *y = &s->years[s->n_years++];
    memset(y, 0, sizeof(*y));
    y->year = year;
    y->shard = shard;
    return y;
}

/* The plan: every year with facts in a shard's range, with its fingerprint. One pass over
 * the store, as pgfacts.c counts loads. */
static int plan_years(struct tr_pgshard *s, sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    struct tr_sha256 h;
    struct tr_pgshard_year *cur = NULL;
    int rc = TR_OK, step;
    if (!s->o || s->o->n_shards == 0)
        return TR_OK; /* no shard: no year to plan, and the pass costs seconds on 10 M rows */
    if (sqlite3_prepare_v2(db,
                           "SELECT year, load_id, count(*) FROM main.fact_trade "
                           "GROUP BY year, load_id ORDER BY year, load_id",
                           -1, &st, NULL))
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0), shard = shard_of(s->o, year);
        if (shard < 0)
            continue;
        if (!cur || cur->year != year) {
            if (cur)
                tr_sha256_final_hex(&h, cur->fp);
            if (!(cur = add_year(s, year, shard, e))) {
                rc = e->code;
                break;
            }
            char id[400];
            identity(s, shard, id, sizeof(id));
            tr_sha256_init(&h);
            tr_sha256_update(&h, id, strlen(id) + 1);
            tr_sha256_update(&h, s->schema, strlen(s->schema) + 1);
        }
        char pair[64];
        int n = snprintf(pair, sizeof(pair), "%lld:%lld;", sqlite3_column_int64(st, 1),
                         sqlite3_column_int64(st, 2));
        tr_sha256_update(&h, pair, (size_t)n);
    }
    if (!rc && step != SQLITE_DONE)
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (!rc && cur)
        tr_sha256_final_hex(&h, cur->fp);
    sqlite3_finalize(st);
    return rc;
}

/* *exists: the coordinator has a publish_shard table (a sharded publish ran before) */
static int record_exists(struct tr_pg *coord, int *exists, struct tr_err *e)
{
    PGresult *r = NULL;
    int rc = tr_pg_query(coord, "SELECT to_regclass('publish_shard') IS NOT NULL", 0, NULL, &r,
                         e);
    *exists = !rc && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return rc;
}

/* The coordinator's record (year, server, table_name, fingerprint); *r NULL when it has none */
static int read_record(struct tr_pg *coord, PGresult **r, struct tr_err *e)
{
    int exists = 0;
    int rc = record_exists(coord, &exists, e);
    *r = NULL;
    if (!rc && exists)
        rc = tr_pg_query(coord, "SELECT year, server, table_name, fingerprint FROM publish_shard",
                         0, NULL, r, e);
    return rc;
}

/* Each planned year's table as the coordinator last recorded it, kept when its fingerprint
 * is unchanged; the others are marked to send under a name of this publish (gen). */
static int compare_recorded(struct tr_pgshard *s, struct tr_pg *coord, const char *gen,
                            struct tr_err *e)
{
    PGresult *r = NULL;
    int rc = read_record(coord, &r, e);
    for (int i = 0; !rc && i < s->n_years; i++) {
        struct tr_pgshard_year *y = &s->years[i];
        y->send = 1;
        for (int k = 0; r && k < PQntuples(r); k++)
            if (atoi(PQgetvalue(r, k, 0)) == y->year && strcmp(PQgetvalue(r, k, 3), y->fp) == 0) {
                snprintf(y->table, sizeof(y->table), "%s", PQgetvalue(r, k, 2));
                y->send = 0;
            }
        if (y->send)
            snprintf(y->table, sizeof(y->table), "fact_trade_y%d_g%s", y->year, gen);
    }
    PQclear(r);
    return rc;
}

/* One year into its new table on the shard, in one shard transaction: a publish that dies
 * here leaves no table behind */
static int send_year(struct tr_pgshard *s, sqlite3 *db, const struct tr_pgshard_year *y,
                     const char *qs, long long *rows, struct tr_err *e)
{
    struct tr_pg *pg = &s->conns[y->shard];
    char sql[SQL_MAX];
    snprintf(sql, sizeof(sql),
             "BEGIN; CREATE SCHEMA IF NOT EXISTS %s; "
             "CREATE TABLE %s.%s (" TR_PGFACTS_COLUMNS ")",
             qs, qs, y->table);
    int rc = tr_pg_exec(pg, sql, e);
    if (!rc) {
        snprintf(sql, sizeof(sql), "%s.%s", qs, y->table);
        rc = tr_pgfacts_copy_year(pg, db, y->year, sql, rows, e);
    }
    if (!rc) {
        /* the coordinator's indexes but the load index: a shard table is never deleted from */
        snprintf(sql, sizeof(sql),
                 "SET LOCAL maintenance_work_mem = '256MB';"
                 "CREATE INDEX ON %s.%s (trade_key);"
                 "CREATE INDEX ON %s.%s (reporter_id, partner_id, year);"
                 "ANALYZE %s.%s; COMMIT",
                 qs, y->table, qs, y->table, qs, y->table);
        rc = tr_pg_exec(pg, sql, e);
    }
    if (rc)
        PQclear(PQexec(pg->conn, "ROLLBACK"));
    return rc;
}

int tr_pgshard_send(struct tr_pgshard *s, struct tr_pg *coord, sqlite3 *db, struct tr_err *e)
{
    PGresult *r = NULL;
    char qs[200];
    int rc = tr_pg_ident(s->schema, qs, sizeof(qs), e);
    if (!rc)
        rc = plan_years(s, db, e);
    if (!rc)
        rc = tr_pg_query(coord, "SELECT txid_current()", 0, NULL, &r, e);
    if (rc)
        return rc;
    snprintf(s->gen, sizeof(s->gen), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if ((rc = compare_recorded(s, coord, s->gen, e)))
        return rc;
    for (int i = 0; i < s->n_years; i++) {
        struct tr_pgshard_year *y = &s->years[i];
        struct tr_err in;
        long long rows = 0;
        tr_err_init(&in);
        if (!y->send)
            continue;
        if (send_year(s, db, y, qs, &rows, &in))
            return shard_fail(&s->o->shards[y->shard], &in, e);
        s->years_sent++;
        s->rows_sent += rows;
    }
    return TR_OK;
}

static int in_plan(const struct tr_pgshard *s, int year)
{
    for (int i = 0; i < s->n_years; i++)
        if (s->years[i].year == year)
            return 1;
    return 0;
}

/* DROP ... for each row of the query q (its first column a name), on the coordinator */
static int drop_each(struct tr_pg *coord, const char *q, const char *drop, struct tr_err *e)
{
    PGresult *r = NULL;
    int rc = tr_pg_query(coord, q, 0, NULL, &r, e);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        char qn[200], sql[400];
        rc = tr_pg_ident(PQgetvalue(r, i, 0), qn, sizeof(qn), e);
        snprintf(sql, sizeof(sql), "%s %s CASCADE", drop, qn);
        if (!rc)
            rc = tr_pg_exec(coord, sql, e);
    }
    PQclear(r);
    return rc;
}

/* The years the last sharded publish put on shards that no shard holds now */
static int find_returned(struct tr_pgshard *s, struct tr_pg *coord, struct tr_err *e)
{
    PGresult *r = NULL;
    int rc = read_record(coord, &r, e);
    int n = r ? PQntuples(r) : 0;
    if (!rc && n && !(s->returned = malloc((size_t)n * sizeof(int))))
        rc = tr_err_set(e, TR_ENOMEM, "out of memory planning the shards");
    for (int i = 0; !rc && i < n; i++) {
        int year = atoi(PQgetvalue(r, i, 0));
        if (!in_plan(s, year))
            s->returned[s->n_returned++] = year;
    }
    if (!rc && r)
        rc = drop_each(coord, "SELECT DISTINCT server FROM publish_shard",
                       "DROP SERVER IF EXISTS", e);
    PQclear(r);
    return rc;
}

int tr_pgshard_detach(struct tr_pgshard *s, struct tr_pg *coord, struct tr_pgfacts_scope *scope,
                      struct tr_err *e)
{
    PGresult *r = NULL;
    memset(scope, 0, sizeof(*scope));
    int rc = tr_pg_query(coord, "SELECT to_regclass('fact_trade') IS NOT NULL", 0, NULL, &r, e);
    int exists = !rc && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!rc && exists)
        rc = drop_each(coord,
                       "SELECT c.relname FROM pg_inherits i JOIN pg_class c "
                       "ON c.oid = i.inhrelid WHERE i.inhparent = 'fact_trade'::regclass "
                       "AND c.relkind = 'f'",
                       "DROP FOREIGN TABLE IF EXISTS", e);
    if (!rc)
        rc = find_returned(s, coord, e);
    if (!rc && s->n_years && !(s->remote = malloc((size_t)s->n_years * sizeof(int))))
        rc = tr_err_set(e, TR_ENOMEM, "out of memory planning the shards");
    for (int i = 0; !rc && i < s->n_years; i++) {
        char sql[200];
        s->remote[i] = s->years[i].year;
        /* a year that moves to a shard leaves the coordinator's own partition */
        snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS fact_trade_y%d", s->years[i].year);
        if (exists)
            rc = tr_pg_exec(coord, sql, e);
    }
    scope->remote = s->remote;
    scope->n_remote = s->n_years;
    scope->returned = s->returned;
    scope->n_returned = s->n_returned;
    return rc;
}

/* "<schema>_shard_<from>_<to>": servers are per database, so the schema is in the name */
static int server_name(const struct tr_pgshard *s, int i, char *buf, size_t size,
                       struct tr_err *e)
{
    const struct tr_publish_shard *sh = &s->o->shards[i];
    int n = snprintf(buf, size, "%s_shard_%d_%d", s->schema, sh->from, sh->to);
    if (n < 0 || (size_t)n >= size || n > 63)
        return tr_err_set(e, TR_EUSAGE,
                          "--schema '%s' is too long to name its shard servers "
                          "(at most 48 characters with --shard)",
                          s->schema);
    return TR_OK;
}

/* ", key 'value'" appended to sql, value as a literal quoted by the coordinator's libpq */
static int add_option(struct tr_pg *coord, char *sql, size_t size, const char *key,
                      const char *value, struct tr_err *e)
{
    if (!value || !*value)
        return TR_OK;
    char *lit = PQescapeLiteral(coord->conn, value, strlen(value));
    if (!lit)
        return tr_err_set(e, TR_ENOMEM, "out of memory quoting a shard option");
    size_t len = strlen(sql);
    int n = snprintf(sql + len, size - len, "%s%s %s", sql[len - 1] == '(' ? "" : ", ", key, lit);
    PQfreemem(lit);
    if (n < 0 || (size_t)n >= size - len)
        return tr_err_set(e, TR_ENOMEM, "shard options too long");
    return TR_OK;
}

static int close_options(char *sql, size_t size, struct tr_err *e)
{
    size_t len = strlen(sql);
    if (sql[len - 1] == '(') { /* no option at all: drop "OPTIONS (" */
        sql[len - strlen(" OPTIONS (")] = '\0';
        return TR_OK;
    }
    if (len + 2 > size)
        return tr_err_set(e, TR_ENOMEM, "shard options too long");
    memcpy(sql + len, ")", 2);
    return TR_OK;
}

/* The server, from the shard connection's own settings (what libpq used, defaults resolved),
 * and the publishing role's user mapping with the user and password that logged in */
static int create_server(struct tr_pgshard *s, struct tr_pg *coord, int i, const char *srv,
                         struct tr_err *e)
{
    static const char *const keys[] = {"host",    "hostaddr",    "port", "dbname",
                                       "sslmode", "sslrootcert", NULL};
    PGconn *c = s->conns[i].conn;
    PQconninfoOption *info = PQconninfo(c);
    char sql[SQL_MAX];
    if (!info)
        return tr_err_set(e, TR_ENOMEM, "out of memory reading a shard's settings");
    snprintf(sql, sizeof(sql), "CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (",
             srv);
    int rc = TR_OK;
    for (PQconninfoOption *opt = info; !rc && opt->keyword; opt++)
        for (int k = 0; !rc && keys[k]; k++)
            if (strcmp(opt->keyword, keys[k]) == 0)
                rc = add_option(coord, sql, sizeof(sql), keys[k], opt->val, e);
    PQconninfoFree(info);
    /* rows in batches of 10000 (the default 100 costs a round trip each); the shards scanned
     * at once where the coordinator can (PostgreSQL 14 and later) */
    if (!rc)
        rc = add_option(coord, sql, sizeof(sql), "fetch_size", "10000", e);
    if (!rc && PQserverVersion(coord->conn) >= 140000)
        rc = add_option(coord, sql, sizeof(sql), "async_capable", "true", e);
    if (!rc)
        rc = close_options(sql, sizeof(sql), e);
    if (!rc)
        rc = tr_pg_exec(coord, sql, e);
    if (rc)
        return rc;
    snprintf(sql, sizeof(sql), "CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (", srv);
    rc = add_option(coord, sql, sizeof(sql), "user", PQuser(c), e);
    if (!rc)
        rc = add_option(coord, sql, sizeof(sql), "password", PQpass(c), e);
    if (!rc)
        rc = close_options(sql, sizeof(sql), e);
    return rc ? rc : tr_pg_exec(coord, sql, e);
}

/* The year's foreign partition and its line of publish_shard */
static int attach_year(struct tr_pgshard *s, struct tr_pg *coord, const struct tr_pgshard_year *y,
                       const char *srv, struct tr_err *e)
{
    char sql[SQL_MAX], year[16];
    snprintf(sql, sizeof(sql),
             "CREATE FOREIGN TABLE fact_trade_y%d PARTITION OF fact_trade "
             "FOR VALUES FROM (%d) TO (%d) SERVER %s OPTIONS (schema_name '%s', "
             "table_name '%s')",
             y->year, y->year, y->year + 1, srv, s->schema, y->table);
    int rc = tr_pg_exec(coord, sql, e);
    snprintf(year, sizeof(year), "%d", y->year);
    const char *p[] = {year, s->o->shards[y->shard].label, srv, y->table, y->fp};
    if (!rc)
        rc = tr_pg_query(coord, "INSERT INTO publish_shard VALUES ($1, $2, $3, $4, $5)", 5, p,
                         NULL, e);
    return rc;
}

int tr_pgshard_attach(struct tr_pgshard *s, struct tr_pg *coord, struct tr_err *e)
{
    int exists = 0;
    int rc = record_exists(coord, &exists, e);
    if (rc || (!exists && !s->n_years))
        return rc; /* never sharded: the schema gains nothing */
    if ((rc = tr_pg_exec(coord, RECORD_DDL, e)) ||
        (rc = tr_pg_exec(coord, "DELETE FROM publish_shard", e)))
        return rc;
    if (s->n_years && (rc = tr_pg_exec(coord,
                                       "CREATE EXTENSION IF NOT EXISTS postgres_fdw "
                                       "SCHEMA public",
                                       e)))
        return rc;
    for (int i = 0; !rc && i < s->o->n_shards; i++) {
        char srv[128];
        int made = 0;
        rc = server_name(s, i, srv, sizeof(srv), e);
        for (int k = 0; !rc && k < s->n_years; k++) {
            if (s->years[k].shard != i)
                continue;
            if (!made && !(rc = create_server(s, coord, i, srv, e)))
                made = 1;
            if (!rc)
                rc = attach_year(s, coord, &s->years[k], srv, e);
        }
    }
    return rc;
}

/* "{t1,t2,...}": the shard tables the coordinator reads (names of [a-z0-9_] only) */
static char *current_tables(const struct tr_pgshard *s)
{
    size_t size = (size_t)s->n_years * 65 + 3, len = 1;
    char *a = malloc(size);
    if (!a)
        return NULL;
    a[0] = '{';
    for (int i = 0; i < s->n_years; i++)
        len += (size_t)sprintf(a + len, "%s%s", i ? "," : "", s->years[i].table);
    memcpy(a + len, "}", 2);
    return a;
}

void tr_pgshard_cleanup(struct tr_pgshard *s)
{
    struct tr_err e;
    char *keep = s->gen[0] ? current_tables(s) : NULL;
    if (!keep)
        return; /* the next publish drops them */
    for (int i = 0; s->o && i < s->o->n_shards; i++) {
        PGresult *r = NULL;
        const char *p[] = {s->schema, keep, s->gen};
        tr_err_init(&e);
        if (tr_pg_query(&s->conns[i],
                        "SELECT quote_ident(n.nspname) || '.' || "
                        "quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n "
                        "ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' "
                        "AND c.relname ~ '^fact_trade_y[0-9]+_g[0-9]+$' "
                        "AND NOT c.relname = ANY ($2::text[]) "
                        "AND substring(c.relname from '_g([0-9]+)$')::bigint < $3::bigint",
                        3, p, &r, &e))
            continue;
        for (int k = 0; k < PQntuples(r); k++) {
            char sql[300];
            snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %s", PQgetvalue(r, k, 0));
            tr_pg_exec(&s->conns[i], sql, &e);
        }
        PQclear(r);
    }
    free(keep);
}
