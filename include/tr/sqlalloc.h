/*
 * SQLite's memory allocator for tradereport: small blocks from size-class free lists, large
 * ones from malloc. Ownership: SQLite owns every block it is given; the pool's chunks are
 * released when SQLite shuts down (sqlite3_shutdown), so leak checkers see nothing left.
 */
#ifndef TR_SQLALLOC_H
#define TR_SQLALLOC_H

/* Turns SQLite's allocation statistics off (nothing reads them, and they take a global lock
 * on every allocation) and installs the allocator (SQLITE_CONFIG_MALLOC); call before
 * SQLite's first use, once for the tool and once for the unit runner. Returns 0,
 * or an SQLite result code when SQLite refused it (the system allocator then stays). Not
 * installed when the environment sets TR_SQLITE_MALLOC=system (memory checkers see SQLite's
 * blocks one by one then) or under AddressSanitizer. */
int tr_sqlalloc_install(void);

#endif
