/*
 * The views on the server: the same names, columns and results as SQLite's, from their
 * PostgreSQL translations (sql/pg/views/, embedded at build time).
 * Ownership: nothing is allocated for the caller.
 */
#ifndef TR_PGVIEWS_H
#define TR_PGVIEWS_H

#include "tr/pgconn.h"

/* Drops every published view (before the tables they read are replaced). */
int tr_pgviews_drop(struct tr_pg *pg, struct tr_err *e);
/* Creates every view, in an order where each finds the views it reads; *n receives the count. */
int tr_pgviews_create(struct tr_pg *pg, int *n, struct tr_err *e);

#endif
