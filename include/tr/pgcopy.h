/*
 * Rows from SQLite into a PostgreSQL table through COPY: in text format, any statement's
 * columns as they are; in binary format, fields written one by one by the caller (the facts,
 * pgfactrows.c), which spares both sides the formatting and parsing of numbers.
 * Ownership: a struct tr_pgcopy owns its buffer from tr_pgcopy_begin until tr_pgcopy_end or
 * tr_pgcopy_abort, which free it; the connection stays the caller's.
 */
#ifndef TR_PGCOPY_H
#define TR_PGCOPY_H

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "tr/pgconn.h"

struct tr_pgcopy {
    struct tr_pg *pg;
    char *buf;
    size_t len, cap;
    long long rows;
    int binary; /* 1: tr_pgcopy_end writes the binary trailer */
};

/* Starts "COPY ... FROM STDIN" (copy_sql, text format). */
int tr_pgcopy_begin(struct tr_pgcopy *c, struct tr_pg *pg, const char *copy_sql,
                    struct tr_err *e);
/* Starts "COPY ... FROM STDIN (FORMAT binary)" (copy_sql) and writes the format's header. */
int tr_pgcopy_begin_binary(struct tr_pgcopy *c, struct tr_pg *pg, const char *copy_sql,
                           struct tr_err *e);
/* Room for at least `bytes` more; the tr_pgcopy_put_* writers below write without checking. */
int tr_pgcopy_reserve(struct tr_pgcopy *c, size_t bytes, struct tr_err *e);
/* Ends a row written field by field: counts it and sends a full block. */
int tr_pgcopy_row_end(struct tr_pgcopy *c, struct tr_err *e);

/* Binary format: network byte order; a field is its length (int32, -1 for NULL) and bytes */
static inline void tr_pgcopy_put_u16(struct tr_pgcopy *c, unsigned v)
{
    c->buf[c->len++] = (char)(v >> 8 & 0xff);
    c->buf[c->len++] = (char)(v & 0xff);
}

static inline void tr_pgcopy_put_u32(struct tr_pgcopy *c, uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        c->buf[c->len++] = (char)(v >> s & 0xff);
}

static inline void tr_pgcopy_put_null(struct tr_pgcopy *c)
{
    tr_pgcopy_put_u32(c, 0xffffffffu);
}

static inline void tr_pgcopy_put_int8(struct tr_pgcopy *c, int64_t v)
{
    tr_pgcopy_put_u32(c, 8);
    tr_pgcopy_put_u32(c, (uint32_t)((uint64_t)v >> 32));
    tr_pgcopy_put_u32(c, (uint32_t)((uint64_t)v & 0xffffffffu));
}

static inline void tr_pgcopy_put_float8(struct tr_pgcopy *c, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof(v)); /* IEEE 754, as float8recv reads it */
    tr_pgcopy_put_int8(c, (int64_t)v);
}

/* text (UTF-8, as the server checks): its bytes, no escaping; s NULL is SQL NULL */
static inline void tr_pgcopy_put_text(struct tr_pgcopy *c, const char *s, size_t n)
{
    if (!s) {
        tr_pgcopy_put_null(c);
        return;
    }
    tr_pgcopy_put_u32(c, (uint32_t)n);
    memcpy(c->buf + c->len, s, n);
    c->len += n;
}

/* Sends the current row of st, columns 0..ncol-1, in order (text format). */
int tr_pgcopy_row(struct tr_pgcopy *c, sqlite3_stmt *st, int ncol, struct tr_err *e);
/* Finishes the COPY and checks the server accepted every row. */
int tr_pgcopy_end(struct tr_pgcopy *c, struct tr_err *e);
/* Ends a COPY that failed on our side; the server discards its rows. */
void tr_pgcopy_abort(struct tr_pgcopy *c);

#endif
