/*
 * Opening the database, bringing its schema up to date, and the single-writer lock.
 * Ownership: tr_db_open returns a connection the caller closes with tr_db_close; the writer
 * lock is held by the struct tr_db and released by tr_db_close (or by the process dying).
 */
#ifndef TR_DB_H
#define TR_DB_H

#include <sqlite3.h>

#include "tr/err.h"

enum tr_db_mode {
    TR_DB_READ,  /* existing database, read-only: query, report, loads, claims, check */
    TR_DB_WRITE, /* create or upgrade, take the writer lock: init, import, nightly */
};

struct tr_db {
    sqlite3 *db;
    char path[4096];
    int lock_fd; /* -1 when not holding the writer lock */
};

/* Opens path (creating and migrating it in TR_DB_WRITE mode). A second writer gets TR_EBUSY
 * at once, naming the pid that holds the lock. A missing database in TR_DB_READ mode is TR_EIO.
 * The writer lock is REAL.lock beside the file the path resolves to (symlinks followed), so
 * every name of one database shares it; a lock file that is a symlink, not a regular file,
 * another user's or hard-linked is refused (TR_EIO). "" and ":memory:" are TR_EUSAGE. */
int tr_db_open(struct tr_db *d, const char *path, enum tr_db_mode mode, struct tr_err *e);
void tr_db_close(struct tr_db *d);

/* Applies pending migrations (PRAGMA user_version) and recreates every view, in one transaction. */
int tr_db_migrate(sqlite3 *db, struct tr_err *e);
/* The schema version this binary brings a database to. */
int tr_db_schema_version(void);
/* The --db default: $TRADEREPORT_DB (even when set to ""), else "trade.db". */
const char *tr_db_default_path(void);
/* TR_EUSAGE for a name that is no database file: "" (an empty --db or $TRADEREPORT_DB) and
 * ":memory:". tr_db_open checks it first; commands may check it before touching anything. */
int tr_db_check_path(const char *path, struct tr_err *e);

/* Current UTC time as ISO 8601 ("2026-11-21T23:59:00Z"); honours SOURCE_DATE_EPOCH. */
void tr_now_iso(char buf[32]);

#endif
