/*
 * Making a file written under a temporary name survive a power cut under its final name: the
 * file's bytes are synced before the rename, the directory entry after it.
 * Ownership: nothing is allocated; every path stays the caller's.
 */
#ifndef TR_DURABLE_H
#define TR_DURABLE_H

#include "tr/err.h"

/* fsync()s the file at path, opened read-only (Linux syncs a file through any descriptor)
 * and without following a final symlink (TR_EIO on one).
 * Call it after the writer has closed the file and before renaming it. A file system that
 * cannot sync (EINVAL) is let be. TR_EIO when the file cannot be opened or synced. */
int tr_durable_sync_file(const char *path, struct tr_err *e);

/* fsync()s the directory dir, so that a rename or a new name in it is on disk. A file system
 * that cannot sync a directory (EINVAL, EROFS) is let be. TR_EIO otherwise. */
int tr_durable_sync_dir(const char *dir, struct tr_err *e);

#endif
