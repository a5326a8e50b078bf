/*
 * One publish: connect, take the schema's publish lock, check who owns the schema, and, when
 * the store changed since the server's last publish, replace the tables, bring the facts in
 * step load by load and recreate the views — all in one server transaction, so readers see the
 * previous state or the new one and an interrupted publish leaves the previous one. The
 * store's side is recorded in publish_log after the server committed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tr/db.h"
#include "tr/pgfacts.h"
#include "tr/pgshard.h"
#include "tr/pgsums.h"
#include "tr/pgtable.h"
#include "tr/pgviews.h"
#include "tr/publish.h"
#include "tr/sha256.h"
#include "tr/stmt.h"
#include "sql_embed.h"

static const char TABLES_SQL[] = TR_PUBLISH_TABLES_SQL;

static const char STATE_DDL[] =
    "CREATE TABLE IF NOT EXISTS publish_state (id int PRIMARY KEY CHECK (id = 1),"
    " fingerprint text NOT NULL, tool_version text NOT NULL, published_at timestamptz NOT NULL);"
    "CREATE TABLE IF NOT EXISTS publish_grant (role name PRIMARY KEY)";

int tr_publish_check_schema(const char *s, struct tr_err *e)
{
    size_t n = strlen(s);
    int ok = n > 0 && n < 64 && (islower((unsigned char)s[0]) || s[0] == '_');
    for (size_t i = 0; ok && i < n; i++)
        ok = islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_';
    return ok ? TR_OK
              : tr_err_set(e, TR_EUSAGE, "--schema: '%s' is not a lower-case SQL name", s);
}

/* The store's lineage, unloads, schema and the views' text, as one sha256: equal means the
 * server already mirrors this store. `reference load` writes HS reference rows outside any
 * load (and they are only ever added), so their counts stand for them. */
static int fingerprint(sqlite3 *db, const char *layout, char hex[65], struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    struct tr_sha256 h;
    tr_sha256_init(&h);
    int rc = tr_stmt_prepare(
        db, &st, e,
        "SELECT load_id || ',' || status || ',' || rows_loaded || ',' || rows_replaced "
        "FROM main.load_log UNION ALL SELECT 'u' || load_id FROM main.load_unload "
        "UNION ALL SELECT 'v' || user_version FROM pragma_user_version "
        "UNION ALL SELECT 'h' || (SELECT count(*) FROM main.hs_correlation) || ',' || "
        "(SELECT count(*) FROM main.hs_nomenclature)",
        "");
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        tr_sha256_update(&h, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0) + 1);
    if (!rc && step != SQLITE_DONE)
        rc = tr_stmt_fail(db, step, e);
    sqlite3_finalize(st);
    for (size_t i = 0; i < tr_sql_n_pg_views; i++)
        tr_sha256_update(&h, tr_sql_pg_views[i].text, strlen(tr_sql_pg_views[i].text));
    tr_sha256_update(&h, TR_VERSION, sizeof(TR_VERSION));
    tr_sha256_update(&h, layout, strlen(layout)); /* empty unless --shard */
    tr_sha256_final_hex(&h, hex);
    return rc;
}

/* The schema is ours to write: absent (then created) or owned by a role we are a member of */
static int claim_schema(struct tr_pg *pg, const char *schema, const char *qs, struct tr_err *e)
{
    PGresult *r = NULL;
    const char *p[] = {schema};
    int rc = tr_pg_query(pg,
                         "SELECT pg_get_userbyid(nspowner), "
                         "pg_has_role(current_user, nspowner, 'MEMBER'), current_user "
                         "FROM pg_namespace WHERE nspname = $1",
                         1, p, &r, e);
    if (rc)
        return rc;
    if (PQntuples(r) == 1 && PQgetvalue(r, 0, 1)[0] != 't')
        rc = tr_err_set(e, TR_EIO,
                        "schema '%s' belongs to role '%s', not to '%s': "
                        "publish as its owner or choose another --schema",
                        schema, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2));
    int exists = PQntuples(r) == 1;
    PQclear(r);
    if (rc)
        return rc;
    char sql[300];
    if (!exists) {
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", qs);
        if ((rc = tr_pg_exec(pg, sql, e)))
            return rc;
    }
    snprintf(sql, sizeof(sql), "SET LOCAL search_path TO %s", qs);
    return tr_pg_exec(pg, sql, e);
}

/* One publish per schema at a time; the lock ends with the transaction (or the connection) */
static int lock_schema(struct tr_pg *pg, const char *schema, struct tr_err *e)
{
    PGresult *r = NULL;
    const char *p[] = {schema};
    int rc = tr_pg_query(pg,
                         "SELECT pg_try_advisory_xact_lock(hashtext('tradereport publish "
                         "' || $1))",
                         1, p, &r, e);
    if (!rc && PQgetvalue(r, 0, 0)[0] != 't')
        rc = tr_err_set(e, TR_EBUSY, "another publish to schema '%s' is running", schema);
    PQclear(r);
    return rc;
}

/* 1 when the server's state is this fingerprint and no new read role was asked for */
static int is_current(struct tr_pg *pg, const char *hex, const char *role, int *current,
                      struct tr_err *e)
{
    PGresult *r = NULL;
    const char *p[] = {hex, role ? role : ""};
    int rc = tr_pg_query(pg,
                         "SELECT (SELECT fingerprint = $1 FROM publish_state) AND "
                         "($2 = '' OR EXISTS (SELECT 1 FROM publish_grant "
                         "WHERE role = $2::name))",
                         2, p, &r, e);
    *current = !rc && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return rc;
}

/* Summaries the server already holds on this basis wait for the facts (tr_pgsums_send) */
struct deferred {
    char name[8][64];
    int n;
};

/* Every table whole, but the summaries that can go by partition (none with --shard: the
 * coordinator's record of changed facts leaves out the shards') */
static int send_tables(struct tr_pg *pg, sqlite3 *db, int by_partition, struct deferred *d,
                       struct tr_publish_result *r, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_stmt_prepare(db, &st, e, TABLES_SQL, ""), step;
    d->n = 0;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        long long n = 0;
        int partial = 0;
        if (by_partition)
            rc = tr_pgsums_partial(pg, db, name, &partial, e);
        if (!rc && partial && d->n < 8 && strlen(name) < sizeof(d->name[0])) {
            snprintf(d->name[d->n++], sizeof(d->name[0]), "%s", name);
            continue;
        }
        if (!rc)
            rc = tr_pgtable_copy(pg, db, name, &n, e);
        if (!rc)
            rc = tr_pgsums_record(pg, db, name, e);
        r->table_rows += n;
        r->tables++;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The deferred summaries' rows of the partitions whose facts changed */
static int send_sums(struct tr_pg *pg, sqlite3 *db, const struct deferred *d,
                     struct tr_publish_result *r, struct tr_err *e)
{
    int rc = TR_OK;
    for (int i = 0; !rc && i < d->n; i++) {
        long long n = 0;
        rc = tr_pgsums_send(pg, db, d->name[i], &n, e);
        r->table_rows += n;
        r->tables++;
    }
    return rc;
}

/* Read access for every role ever granted (tables are recreated, so grants are renewed) */
static int grant_read(struct tr_pg *pg, const char *qs, const char *role, struct tr_err *e)
{
    PGresult *r = NULL;
    const char *p[] = {role};
    int rc = role
                 ? tr_pg_query(pg, "INSERT INTO publish_grant VALUES ($1) ON CONFLICT DO NOTHING",
                               1, p, NULL, e)
                 : TR_OK;
    if (!rc)
        rc = tr_pg_query(pg, "SELECT role FROM publish_grant ORDER BY role", 0, NULL, &r, e);
    for (int i = 0; !rc && r && i < PQntuples(r); i++) {
        char qr[200], sql[1000];
        rc = tr_pg_ident(PQgetvalue(r, i, 0), qr, sizeof(qr), e);
        snprintf(sql, sizeof(sql),
                 "GRANT USAGE ON SCHEMA %s TO %s;"
                 "GRANT SELECT ON ALL TABLES IN SCHEMA %s TO %s",
                 qs, qr, qs, qr);
        if (!rc)
            rc = tr_pg_exec(pg, sql, e);
    }
    PQclear(r);
    return rc;
}

/* The shards first (each commits its new tables), then the coordinator in its transaction */
static int send_all(struct tr_pg *pg, struct tr_pgshard *sh, sqlite3 *db, const char *qs,
                    const char *hex, const struct tr_publish_opts *o, struct tr_publish_result *r,
                    struct tr_err *e)
{
    struct tr_pgfacts_result f;
    struct tr_pgfacts_scope scope;
    struct deferred sums;
    const char *p[] = {hex, TR_VERSION};
    int rc = tr_pgshard_send(sh, pg, db, e);
    r->shard_years_sent = sh->years_sent;
    r->shard_rows_sent = sh->rows_sent;
    if (!rc)
        rc = tr_pgviews_drop(pg, e);
    if (!rc)
        rc = send_tables(pg, db, o->n_shards == 0, &sums, r, e);
    if (!rc)
        rc = tr_pgshard_detach(sh, pg, &scope, e);
    if (!rc)
        rc = tr_pgfacts_sync(pg, db, &scope, &f, e);
    if (!rc)
        rc = send_sums(pg, db, &sums, r, e);
    if (!rc)
        rc = tr_pgshard_attach(sh, pg, e);
    if (!rc) {
        r->loads_sent = f.loads_sent;
        r->loads_dropped = f.loads_dropped;
        r->rows_sent = f.rows_sent;
        rc = tr_pgviews_create(pg, &r->views, e);
    }
    if (!rc)
        rc = grant_read(pg, qs, o->grant_read, e);
    if (!rc)
        rc = tr_pg_query(pg,
                         "INSERT INTO publish_state VALUES (1, $1, $2, now()) ON CONFLICT "
                         "(id) DO UPDATE SET fingerprint = $1, tool_version = $2, "
                         "published_at = now()",
                         2, p, NULL, e);
    return rc;
}

static void describe_target(struct tr_pg *pg, const char *schema, struct tr_publish_result *r)
{
    const char *host = PQhost(pg->conn), *port = PQport(pg->conn), *db = PQdb(pg->conn);
    snprintf(r->target, sizeof(r->target), "%s:%s/%s/%s", host ? host : "", port ? port : "",
             db ? db : "", schema);
}

static int record(sqlite3 *db, const struct tr_publish_result *r, const char *hex,
                  const char *started, struct tr_err *e)
{
    char now[32];
    tr_now_iso(now);
    return tr_stmt_exec(db, NULL, e,
                        "INSERT INTO publish_log (target, fingerprint, status, loads_sent, "
                        "loads_dropped, rows_sent, started_at, finished_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        "tttiiitt", r->target, hex, r->up_to_date ? "up to date" : "published",
                        (int64_t)r->loads_sent, (int64_t)r->loads_dropped, (int64_t)r->rows_sent,
                        started, now);
}

int tr_publish_run(sqlite3 *db, const struct tr_publish_opts *o, struct tr_publish_result *r,
                   struct tr_err *e)
{
    struct tr_pg pg = {0};
    struct tr_pgshard sh = {0};
    const char *schema = o->schema ? o->schema : TR_PUBLISH_SCHEMA;
    char qs[200], hex[65], started[32], layout[TR_PUBLISH_MAX_SHARDS * 480];
    int current = 0;
    memset(r, 0, sizeof(*r));
    tr_now_iso(started);
    int rc = tr_publish_check_schema(schema, e);
    if (!rc)
        rc = tr_publish_check_shards(o, e);
    if (!rc) /* before the coordinator: a shard that refuses leaves it untouched */
        rc = tr_pgshard_connect(&sh, o, schema, e);
    if (!rc)
        rc = tr_pgshard_layout(&sh, layout, sizeof(layout), e);
    if (!rc)
        rc = fingerprint(db, layout, hex, e);
    if (!rc)
        rc = tr_pg_connect(&pg, o->target, e);
    if (rc)
        goto out;
    describe_target(&pg, schema, r);
    if ((rc = tr_pg_ident(schema, qs, sizeof(qs), e)) ||
        (rc = tr_pg_exec(&pg, "BEGIN ISOLATION LEVEL READ COMMITTED", e)) ||
        (rc = lock_schema(&pg, schema, e)) || (rc = claim_schema(&pg, schema, qs, e)) ||
        (rc = tr_pg_exec(&pg, STATE_DDL, e)) ||
        (rc = is_current(&pg, hex, o->grant_read, &current, e)))
        goto out;
    r->up_to_date = current;
    rc = current ? TR_OK : send_all(&pg, &sh, db, qs, hex, o, r, e);
    if (!rc)
        rc = tr_pg_exec(&pg, current ? "ROLLBACK" : "COMMIT", e);
    if (!rc && !current) /* committed: shard tables of earlier publishes are unread now */
        tr_pgshard_cleanup(&sh);
    if (!rc && !current) /* a re-run that finds the server current writes nothing */
        rc = record(db, r, hex, started, e);
out:
    tr_pgshard_close(&sh);
    tr_pg_close(&pg); /* an open transaction ends with the connection: rolled back */
    return rc;
}
