/*
 * One connection to a PostgreSQL server (libpq) and the statements a publish runs on it.
 * Ownership: struct tr_pg owns its PGconn; tr_pg_close frees it (a no-op when not open).
 * Messages never carry the connection string: it may hold a password.
 */
#ifndef TR_PGCONN_H
#define TR_PGCONN_H

#include <libpq-fe.h>

#include "tr/err.h"

/* The oldest server a publish supports (PQserverVersion form): 13 brought the partitioning
 * and COPY behaviour the fact table relies on. */
#define TR_PG_MIN_VERSION 130000

struct tr_pg {
    PGconn *conn;
};

/* Connects to target (a libpq connection string or postgresql:// URL). A string libpq cannot
 * parse is TR_EUSAGE; a server that cannot be reached, refuses the login or is older than
 * TR_PG_MIN_VERSION is TR_EIO. */
int tr_pg_connect(struct tr_pg *pg, const char *target, struct tr_err *e);
void tr_pg_close(struct tr_pg *pg);

/* Runs a statement without parameters or results. */
int tr_pg_exec(struct tr_pg *pg, const char *sql, struct tr_err *e);
/* Runs a statement with text parameters; *out (when not NULL) receives the result, which the
 * caller frees with PQclear. */
int tr_pg_query(struct tr_pg *pg, const char *sql, int n, const char *const *params,
                PGresult **out, struct tr_err *e);
/* name as a quoted identifier into buf (size bytes); TR_EUSAGE when it does not fit. Needs no
 * connection (DDL is also written as text: publish --citus). */
int tr_pg_ident(const char *name, char *buf, size_t size, struct tr_err *e);

#endif
