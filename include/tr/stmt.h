/*
 * One SQL statement with its values bound in one call: the pattern every store-level module
 * repeats (prepare, bind, step to the end, finalize). Values are bound, never pasted into SQL.
 * Ownership: nothing is kept after a call; text values are copied by SQLite (SQLITE_TRANSIENT).
 */
#ifndef TR_STMT_H
#define TR_STMT_H

#include <stdarg.h>
#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"

/* Runs sql, one statement or several (no results expected); on failure sets e with TR_EIO and the SQLite message. */
int tr_stmt_script(sqlite3 *db, const char *sql, struct tr_err *e);
/* Maps an SQLite result code to a TR_E* code (SQLITE_BUSY -> TR_EBUSY, NOMEM -> TR_ENOMEM,
 * FULL/IOERR/READONLY/CORRUPT... -> TR_EIO). */
int tr_stmt_code(int sqlite_rc);

/* Runs sql to its end with ?1..?n bound from the arguments that follow, one per letter of
 * types: 'i' int64_t, 't' const char * (NULL binds NULL). *changes (may be NULL) gets
 * sqlite3_changes. A failure sets e with the SQLite message. */
int tr_stmt_exec(sqlite3 *db, long *changes, struct tr_err *e, const char *sql, const char *types,
                 ...);

/* Prepares sql and binds the arguments as tr_stmt_exec does; the caller steps the rows and
 * finalizes *st. */
int tr_stmt_prepare(sqlite3 *db, sqlite3_stmt **st, struct tr_err *e, const char *sql,
                    const char *types, ...);

/* Binds a copy of s (NULL binds NULL) to parameter i and returns SQLite's code: SQLITE_NOMEM
 * when the copy could not be made. A failed bind leaves the parameter NULL, which an INSERT OR
 * IGNORE would drop without a word, so every caller checks it. */
int tr_stmt_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Finalizes st (may be NULL) and sets e for a value that could not be bound; returns e->code. */
int tr_stmt_bind_failed(sqlite3_stmt *st, struct tr_err *e);

/* The message for a failed step of st's statement (TR_E* from the SQLite code). */
int tr_stmt_fail(sqlite3 *db, int sqlite_rc, struct tr_err *e);

#endif
