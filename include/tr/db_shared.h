/*
 * Reading a database someone else writes: in a folder or on a mount the reader cannot write
 * to. A WAL-mode database needs its -shm file beside it, which SQLite creates on first read;
 * where it cannot, the database is still safe to read as immutable when nobody can write it
 * (no -wal file, no write permission on the file or its folder for anyone), and otherwise the
 * reader is told exactly why not and what the owner can do. Nothing is allocated.
 * Root ignores permission bits: an import run as root into a published (chmod a-w) file
 * would write under immutable readers; the owner makes it writable, imports, publishes again.
 */
#ifndef TR_DB_SHARED_H
#define TR_DB_SHARED_H

#include <stddef.h>

#include "tr/err.h"

/* Decides how a reader opens path. Leaves uri "" when SQLite can open it as it is; writes a
 * "file:...?mode=ro&immutable=1" URI into uri (open it with SQLITE_OPEN_URI) when it is a
 * published, unwritable WAL database; returns TR_EIO with the reason and the owner's remedies
 * when it cannot be read safely. */
int tr_db_shared_plan(const char *path, char *uri, size_t n, struct tr_err *e);

#endif
