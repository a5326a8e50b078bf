/*
 * A read transaction held across several SELECTs, so that everything one command prints or
 * writes comes from one state of the database (WAL gives each reader a snapshot).
 * Ownership: the transaction belongs to the connection; tr_snapshot_end ends only one that
 * tr_snapshot_begin started.
 */
#ifndef TR_SNAPSHOT_H
#define TR_SNAPSHOT_H

#include <sqlite3.h>

#include "tr/err.h"

struct tr_snapshot {
    sqlite3 *db;
    int owned; /* 1 when tr_snapshot_begin started the transaction */
};

/* Starts a read transaction and reads once, which fixes the snapshot: imports committed later
 * are not seen until tr_snapshot_end. Inside a transaction already open, does nothing. */
int tr_snapshot_begin(struct tr_snapshot *s, sqlite3 *db, struct tr_err *e);
/* Ends the transaction started by tr_snapshot_begin (nothing to commit: it only read). */
void tr_snapshot_end(struct tr_snapshot *s);

#endif
