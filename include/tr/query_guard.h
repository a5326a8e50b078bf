/*
 * The guard on users' SQL (`tradereport query`): an authorizer that lets a statement read
 * tables, views and a short list of read-only pragmas and nothing else, and a check that a
 * prepared statement is read-only. Ownership: nothing is allocated; the authorizer stays
 * installed on the connection until it is closed.
 */
#ifndef TR_QUERY_GUARD_H
#define TR_QUERY_GUARD_H

#include <sqlite3.h>

#include "tr/err.h"

/* Installs the authorizer on db: every statement prepared afterwards that would write, attach,
 * vacuum, change a pragma or call a function outside the database is refused at prepare time
 * (SQLITE_AUTH, "not authorized"). */
int tr_query_guard_install(sqlite3 *db, struct tr_err *e);
/* TR_OK when st only reads (sqlite3_stmt_readonly); else TR_EFAIL with a message. */
int tr_query_guard_check(sqlite3_stmt *st, struct tr_err *e);

#endif
