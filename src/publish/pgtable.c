/*
 * Whole tables to the server: the column list and types read from SQLite's own description
 * (PRAGMA table_info), so a migration that adds a column needs no change here. The primary
 * key and the table's own indexes (CREATE INDEX on plain columns) are built after the rows
 * are in (one index build instead of one insert per row), so the views' lookups find on the
 * server the access paths they have in SQLite.
 */
#include <stdio.h>
#include <string.h>

#include "tr/pgcopy.h"
#include "tr/pgtable.h"
#include "tr/stmt.h"

#define SQL_MAX 8192

/* SQLite's declared type, by its affinity rules, as a server type */
static const char *pg_type(const char *decl)
{
    char up[64];
    size_t i;
    for (i = 0; decl && decl[i] && i + 1 < sizeof(up); i++)
        up[i] = (char)(decl[i] >= 'a' && decl[i] <= 'z' ? decl[i] - 32 : decl[i]);
    up[i] = '\0';
    if (strstr(up, "INT"))
        return "bigint";
    if (strstr(up, "REAL") || strstr(up, "FLOA") || strstr(up, "DOUB"))
        return "double precision";
    return "text";
}

static int append(char *buf, size_t *len, struct tr_err *e, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > SQL_MAX)
        return tr_err_set(e, TR_ENOMEM, "table definition too long");
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return TR_OK;
}

/* create: "CREATE TABLE t (c type [NOT NULL], ...)"; cols: "c, ..."; pk: "c, ..." in key order */
static int describe(sqlite3 *db, const char *qt, const char *table, char *create, char *cols,
                    char *pk, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    size_t lc = 0, lo = 0, lp = 0;
    char q[256], line[512];
    int rc = sqlite3_prepare_v2(db,
                                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) "
                                "ORDER BY cid",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (tr_stmt_bind_text(st, 1, table))
        return tr_stmt_bind_failed(st, e);
    snprintf(line, sizeof(line), "CREATE TABLE %s (", qt);
    rc = append(create, &lc, e, line);
    cols[0] = pk[0] = '\0';
    char pkcol[16][256];
    int npk = 0, step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = tr_pg_ident((const char *)sqlite3_column_text(st, 0), q, sizeof(q), e);
        if (rc)
            break;
        snprintf(line, sizeof(line), "%s%s %s%s", lo ? ", " : "", q,
                 pg_type((const char *)sqlite3_column_text(st, 1)),
                 sqlite3_column_int(st, 2) ? " NOT NULL" : "");
        rc = append(create, &lc, e, line) || append(cols, &lo, e, lo ? ", " : "") ||
             append(cols, &lo, e, q);
        int k = sqlite3_column_int(st, 3);
        if (k >= 1 && k <= 16) {
            snprintf(pkcol[k - 1], sizeof(pkcol[0]), "%s", q);
            npk = k > npk ? k : npk;
        }
    }
    if (!rc && step != SQLITE_DONE) /* a column list cut short would make a wrong table */
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    for (int k = 0; !rc && k < npk; k++)
        rc = append(pk, &lp, e, k ? ", " : "") || append(pk, &lp, e, pkcol[k]);
    if (!rc && lo == 0)
        rc = tr_err_set(e, TR_EIO, "database: no table '%s'", table);
    return rc ? (e->code ? e->code : TR_EIO) : append(create, &lc, e, ")");
}

/* where: SQLite SQL over the table's columns, or "1" */
static int send_rows(struct tr_pg *pg, sqlite3 *db, const char *table, const char *where,
                     const char *qt, const char *cols, long long *rows, struct tr_err *e)
{
    char sql[SQL_MAX + 64];
    sqlite3_stmt *st = NULL;
    struct tr_pgcopy c;
    /* SQLite's own quoting of the name for the read; the server's for the COPY */
    char *sel = sqlite3_mprintf("SELECT * FROM main.\"%w\" WHERE %s", table, where);
    int rc = sel ? sqlite3_prepare_v2(db, sel, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sel);
    if (rc != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    snprintf(sql, sizeof(sql), "COPY %s (%s) FROM STDIN", qt, cols);
    rc = tr_pgcopy_begin(&c, pg, sql, e);
    int started = !rc, ncol = sqlite3_column_count(st), step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = tr_pgcopy_row(&c, st, ncol, e);
    if (!rc && step != SQLITE_DONE)
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (started && rc) {
        tr_pgcopy_abort(&c);
        return rc;
    }
    if (!rc)
        rc = tr_pgcopy_end(&c, e);
    *rows = started ? c.rows : 0;
    return rc;
}

/* One server index per index of table made by CREATE INDEX on plain columns (a partial or
 * expression index, which the SQL dialects write differently, is left to the views' files). */
static int copy_indexes(struct tr_pg *pg, sqlite3 *db, const char *table, const char *qt,
                        struct tr_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT l.name, group_concat(i.name, char(31)), count(i.name) = "
                           "count(*) FROM pragma_index_list(?1) l, pragma_index_info(l.name) i "
                           "WHERE l.origin = 'c' AND l.partial = 0 GROUP BY l.name "
                           "ORDER BY l.name",
                           -1, &st, NULL) != SQLITE_OK)
        return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    if (tr_stmt_bind_text(st, 1, table))
        return tr_stmt_bind_failed(st, e);
    int rc = TR_OK, step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!sqlite3_column_int(st, 2))
            continue; /* an expression column */
        char cols[SQL_MAX] = "", q[256], sql[SQL_MAX + 512];
        size_t len = 0;
        const char *names = (const char *)sqlite3_column_text(st, 1);
        for (const char *p = names; !rc && p && *p;) {
            char col[256];
            size_t n = strcspn(p, "\x1f");
            snprintf(col, sizeof(col), "%.*s", (int)n, p);
            p += n + (p[n] != '\0');
            if (!(rc = tr_pg_ident(col, q, sizeof(q), e)) &&
                !(rc = append(cols, &len, e, len ? ", " : "")))
                rc = append(cols, &len, e, q);
        }
        if (!rc) {
            snprintf(sql, sizeof(sql), "CREATE INDEX ON %s (%s)", qt, cols);
            rc = tr_pg_exec(pg, sql, e);
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int tr_pgtable_copy(struct tr_pg *pg, sqlite3 *db, const char *table, long long *rows,
                    struct tr_err *e)
{
    char qt[256], create[SQL_MAX], cols[SQL_MAX], pk[SQL_MAX], sql[SQL_MAX + 300];
    int rc = tr_pg_ident(table, qt, sizeof(qt), e);
    if (!rc)
        rc = describe(db, qt, table, create, cols, pk, e);
    if (rc)
        return rc;
    snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %s CASCADE", qt);
    if ((rc = tr_pg_exec(pg, sql, e)) || (rc = tr_pg_exec(pg, create, e)))
        return rc;
    if ((rc = send_rows(pg, db, table, "1", qt, cols, rows, e)))
        return rc;
    if (pk[0]) {
        snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD PRIMARY KEY (%s)", qt, pk);
        if ((rc = tr_pg_exec(pg, sql, e)))
            return rc;
    }
    if ((rc = copy_indexes(pg, db, table, qt, e)))
        return rc;
    /* statistics now, so the first reader's plans do not guess */
    snprintf(sql, sizeof(sql), "ANALYZE %s", qt);
    return tr_pg_exec(pg, sql, e);
}

int tr_pgtable_append(struct tr_pg *pg, sqlite3 *db, const char *table, const char *where,
                      long long *rows, struct tr_err *e)
{
    char qt[256], create[SQL_MAX], cols[SQL_MAX], pk[SQL_MAX];
    int rc = tr_pg_ident(table, qt, sizeof(qt), e);
    *rows = 0;
    if (!rc)
        rc = describe(db, qt, table, create, cols, pk, e);
    return rc ? rc : send_rows(pg, db, table, where, qt, cols, rows, e);
}
