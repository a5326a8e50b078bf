/*
 * Rows from SQLite into a PostgreSQL table through COPY (text format), and whole tables
 * copied with their columns' types mapped.
 * Ownership: a struct tr_pgcopy owns its buffer from tr_pgcopy_begin until tr_pgcopy_end or
 * tr_pgcopy_abort, which free it; the connection stays the caller's.
 */
#ifndef TR_PGCOPY_H
#define TR_PGCOPY_H

#include <sqlite3.h>

#include "tr/pgconn.h"

struct tr_pgcopy {
    struct tr_pg *pg;
    char *buf;
    size_t len, cap;
    long long rows;
};

/* Starts "COPY ... FROM STDIN" (copy_sql, text format). */
int tr_pgcopy_begin(struct tr_pgcopy *c, struct tr_pg *pg, const char *copy_sql,
                    struct tr_err *e);
/* Sends the current row of st, columns 0..ncol-1, in order. */
int tr_pgcopy_row(struct tr_pgcopy *c, sqlite3_stmt *st, int ncol, struct tr_err *e);
/* Finishes the COPY and checks the server accepted every row. */
int tr_pgcopy_end(struct tr_pgcopy *c, struct tr_err *e);
/* Ends a COPY that failed on our side; the server discards its rows. */
void tr_pgcopy_abort(struct tr_pgcopy *c);

#endif
