/*
 * Write-behind for the files of a writing connection: a VFS over SQLite's default one whose
 * xWrite hands runs of adjacent writes to a thread of the file's own, so that the kernel's copy
 * of each page into the page cache (on a small VM a fifth of a large import's time: the pages
 * spilled to the WAL, then the checkpoint's copy into the database) runs on the other core.
 * Every other call first waits until what was written before it is in the file: a read sees
 * its writes, a sync makes them durable and reports a write that failed, so SQLite's ordering
 * and durability hold exactly as on the default VFS (SQLite relies on nothing but syncs for the
 * order in which writes reach the disk).
 */
#ifndef TR_WRITEBEHIND_H
#define TR_WRITEBEHIND_H

/* The VFS name to open a writing connection with, registered on first use; NULL (SQLite's
 * default VFS) if it could not be registered or TR_WRITEBEHIND=0. Its files refuse
 * PRAGMA synchronous below FULL: writing behind is safe only when SQLite syncs each commit. */
const char *tr_writebehind_vfs(void);

#endif
