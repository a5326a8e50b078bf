/*
 * COPY in text format: SQLite values written as PostgreSQL reads them (\N for NULL, text with
 * backslash, tab and line ends escaped, reals with every digit), sent in blocks of 256 KiB.
 * The binary format's framing (header, row end, trailer) is here too; its fields are written
 * by the caller with the inline writers of pgcopy.h (the facts: pgfactrows.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/pgcopy.h"

#define COPY_BLOCK (256 * 1024)

static int reserve(struct tr_pgcopy *c, size_t more, struct tr_err *e)
{
    if (c->len + more <= c->cap)
        return TR_OK;
    size_t cap = c->cap ? c->cap : COPY_BLOCK + 4096;
    while (cap < c->len + more)
        cap *= 2;
    char *b = realloc(c->buf, cap);
    if (!b)
        return tr_err_set(e, TR_ENOMEM, "out of memory in COPY");
    c->buf = b;
    c->cap = cap;
    return TR_OK;
}

static int flush(struct tr_pgcopy *c, struct tr_err *e)
{
    if (c->len && PQputCopyData(c->pg->conn, c->buf, (int)c->len) != 1)
        return tr_err_set(e, TR_EIO, "server: COPY: %s", PQerrorMessage(c->pg->conn));
    c->len = 0;
    return TR_OK;
}

int tr_pgcopy_begin(struct tr_pgcopy *c, struct tr_pg *pg, const char *copy_sql, struct tr_err *e)
{
    memset(c, 0, sizeof(*c));
    c->pg = pg;
    PGresult *r = PQexec(pg->conn, copy_sql);
    int ok = r && PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok) {
        char msg[300];
        snprintf(msg, sizeof(msg), "%s", r ? PQresultErrorMessage(r) : "no result");
        msg[strcspn(msg, "\n")] = '\0';
        PQclear(r);
        return tr_err_set(e, TR_EIO, "server: %s", msg);
    }
    PQclear(r);
    return TR_OK;
}

int tr_pgcopy_reserve(struct tr_pgcopy *c, size_t bytes, struct tr_err *e)
{
    return reserve(c, bytes, e);
}

int tr_pgcopy_begin_binary(struct tr_pgcopy *c, struct tr_pg *pg, const char *copy_sql,
                           struct tr_err *e)
{
    /* signature, flags (no OIDs), header extension length */
    static const char header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
    int rc = tr_pgcopy_begin(c, pg, copy_sql, e);
    if (rc)
        return rc;
    c->binary = 1;
    if ((rc = reserve(c, sizeof(header), e))) {
        tr_pgcopy_abort(c);
        return rc;
    }
    memcpy(c->buf, header, sizeof(header));
    c->len = sizeof(header);
    return TR_OK;
}

int tr_pgcopy_row_end(struct tr_pgcopy *c, struct tr_err *e)
{
    c->rows++;
    return c->len >= COPY_BLOCK ? flush(c, e) : TR_OK;
}

static int put_text(struct tr_pgcopy *c, const unsigned char *t, int n, struct tr_err *e)
{
    if (reserve(c, (size_t)n * 2 + 1, e))
        return TR_ENOMEM;
    for (int i = 0; i < n; i++) {
        char ch = (char)t[i], esc = 0;
        switch (ch) {
        case '\\': esc = '\\'; break;
        case '\t': esc = 't'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        }
        if (esc) {
            c->buf[c->len++] = '\\';
            c->buf[c->len++] = esc;
        } else {
            c->buf[c->len++] = ch;
        }
    }
    return TR_OK;
}

static int put_value(struct tr_pgcopy *c, sqlite3_stmt *st, int i, struct tr_err *e)
{
    if (reserve(c, 32, e))
        return TR_ENOMEM;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        memcpy(c->buf + c->len, "\\N", 2);
        c->len += 2;
        return TR_OK;
    case SQLITE_INTEGER:
        c->len += (size_t)sprintf(c->buf + c->len, "%lld",
                                  (long long)sqlite3_column_int64(st, i));
        return TR_OK;
    case SQLITE_FLOAT:
        c->len += (size_t)sprintf(c->buf + c->len, "%.17g", sqlite3_column_double(st, i));
        return TR_OK;
    default: return put_text(c, sqlite3_column_text(st, i), sqlite3_column_bytes(st, i), e);
    }
}

int tr_pgcopy_row(struct tr_pgcopy *c, sqlite3_stmt *st, int ncol, struct tr_err *e)
{
    for (int i = 0; i < ncol; i++) {
        if (i) {
            if (reserve(c, 1, e))
                return TR_ENOMEM;
            c->buf[c->len++] = '\t';
        }
        if (put_value(c, st, i, e))
            return e->code;
    }
    if (reserve(c, 1, e))
        return TR_ENOMEM;
    c->buf[c->len++] = '\n';
    c->rows++;
    return c->len >= COPY_BLOCK ? flush(c, e) : TR_OK;
}

int tr_pgcopy_end(struct tr_pgcopy *c, struct tr_err *e)
{
    int rc = c->binary ? reserve(c, 2, e) : TR_OK;
    if (!rc && c->binary)
        tr_pgcopy_put_u16(c, 0xffff); /* the trailer: a field count of -1 */
    if (!rc)
        rc = flush(c, e);
    free(c->buf);
    c->buf = NULL;
    if (rc) {
        PQputCopyEnd(c->pg->conn, "client error");
        PQclear(PQgetResult(c->pg->conn));
        return rc;
    }
    if (PQputCopyEnd(c->pg->conn, NULL) != 1)
        return tr_err_set(e, TR_EIO, "server: COPY: %s", PQerrorMessage(c->pg->conn));
    PGresult *r;
    while ((r = PQgetResult(c->pg->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc) {
            char msg[300];
            snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
            msg[strcspn(msg, "\n")] = '\0';
            rc = tr_err_set(e, TR_EIO, "server: COPY: %s", msg);
        }
        PQclear(r);
    }
    return rc;
}

void tr_pgcopy_abort(struct tr_pgcopy *c)
{
    free(c->buf);
    c->buf = NULL;
    if (PQputCopyEnd(c->pg->conn, "aborted by tradereport") == 1) {
        PGresult *r;
        while ((r = PQgetResult(c->pg->conn)) != NULL)
            PQclear(r);
    }
}
