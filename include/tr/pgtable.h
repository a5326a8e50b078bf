/*
 * A SQLite table recreated on the server with its rows: the dimensions, lineage, tariffs,
 * claims, reference data and summaries a publish sends whole.
 * Ownership: nothing is allocated for the caller.
 */
#ifndef TR_PGTABLE_H
#define TR_PGTABLE_H

#include <sqlite3.h>

#include "tr/pgconn.h"

/* Drops and recreates table (same name, in the session's search_path schema) from SQLite's,
 * copies every row, then adds its primary key. INTEGER columns become bigint, REAL double
 * precision, the rest text; NOT NULL is kept. *rows receives the rows sent. */
int tr_pgtable_copy(struct tr_pg *pg, sqlite3 *db, const char *table, long long *rows,
                    struct tr_err *e);

/* Copies the rows of table that match where (SQLite SQL over its columns) into the server's
 * table of the same name, which exists with the columns tr_pgtable_copy gives it. */
int tr_pgtable_append(struct tr_pg *pg, sqlite3 *db, const char *table, const char *where,
                      long long *rows, struct tr_err *e);

#endif
