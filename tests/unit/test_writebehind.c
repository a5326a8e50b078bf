/*
 * Unit tests of the write-behind VFS: what is read back, and what the file holds after close,
 * equal a plain in-memory copy of the same writes (WAL-like frames over several runs, a header
 * rewritten in place, a page after a gap, 64 KiB pages across runs); a write that fails on the
 * file's thread is reported by the sync; a database opened through it works, and the writing
 * of its runs to disk is started early.
 */
#include "tr_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/writebehind.h"

#define FRAMES 700
#define FRAME (24 + 4096)
#define IMAGE (FRAME * FRAMES + 3 * 4096 * 100)

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)((i * 31u + seed * 7u) >> 3);
}

/* Writes through the file and into image alike. */
static int put(sqlite3_file *f, unsigned char *image, const unsigned char *p, int n,
               sqlite3_int64 off)
{
    memcpy(image + off, p, (size_t)n);
    return f->pMethods->xWrite(f, p, n, off);
}

TR_TEST(writebehind_reads_and_leaves_what_was_written)
{
    const char *name = tr_writebehind_vfs();
    TR_CHECK(name != NULL);
    sqlite3_vfs *vfs = sqlite3_vfs_find(name);
    TR_CHECK(vfs != NULL);
    char path[512];
    snprintf(path, sizeof(path), "%s/wb.bin", tr_test_tmpdir());
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    unsigned char *image = calloc(1, IMAGE), *page = malloc(3 * 4096 * 100);
    unsigned char *back = malloc(IMAGE);
    TR_CHECK(f && image && page && back);
    int out = 0;
    TR_CHECK(vfs->xOpen(vfs, path, f,
                        SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE,
                        &out) == SQLITE_OK);
    int rc = SQLITE_OK;
    /* frames as the WAL has them: a header, then its page, at adjacent offsets */
    for (int i = 0; i < FRAMES && rc == SQLITE_OK; i++) {
        fill(page, 4096 + 24, (unsigned)i);
        rc = put(f, image, page, 24, (sqlite3_int64)i * FRAME);
        if (rc == SQLITE_OK)
            rc = put(f, image, page + 24, 4096, (sqlite3_int64)i * FRAME + 24);
    }
    TR_CHECK_INT(rc, SQLITE_OK);
    /* a header rewritten in place, early and late; a page after a gap; 64 KiB pages (SQLite's
     * largest) filling more than a run */
    fill(page, 24, 1000);
    TR_CHECK_INT(put(f, image, page, 24, 5 * FRAME), SQLITE_OK);
    TR_CHECK_INT(put(f, image, page, 24, (FRAMES - 1) * FRAME), SQLITE_OK);
    fill(page, 4096, 1001);
    TR_CHECK_INT(put(f, image, page, 4096, (sqlite3_int64)FRAMES * FRAME + 4096), SQLITE_OK);
    fill(page, 3 * 4096 * 100, 1002);
    sqlite3_int64 big_at = (sqlite3_int64)FRAMES * FRAME + 3 * 4096;
    for (int i = 0; i < 1200000 / 65536 + 1 && rc == SQLITE_OK; i++)
        rc = put(f, image, page + i * 1000, i < 1200000 / 65536 ? 65536 : 1200000 % 65536,
                 big_at + (sqlite3_int64)i * 65536);
    TR_CHECK_INT(rc, SQLITE_OK);
    sqlite3_int64 size = 0;
    TR_CHECK_INT(f->pMethods->xFileSize(f, &size), SQLITE_OK);
    TR_CHECK_INT(size, big_at + 1200000);
    TR_CHECK_INT(f->pMethods->xRead(f, back, 4096, 5 * FRAME), SQLITE_OK);
    TR_CHECK(memcmp(back, image + 5 * FRAME, 4096) == 0);
    /* a read sees a write still in the run being filled */
    fill(page, 4096, 1003);
    TR_CHECK_INT(put(f, image, page, 4096, big_at + 1200000), SQLITE_OK);
    TR_CHECK_INT(f->pMethods->xRead(f, back, 4096, big_at + 1200000), SQLITE_OK);
    TR_CHECK(memcmp(back, page, 4096) == 0);
    TR_CHECK_INT(f->pMethods->xSync(f, SQLITE_SYNC_NORMAL), SQLITE_OK);
    TR_CHECK_INT(f->pMethods->xClose(f), SQLITE_OK);
    size_t want = (size_t)(big_at + 1200000 + 4096);
    FILE *fp = fopen(path, "rb");
    TR_CHECK(fp != NULL);
    size_t got = fread(back, 1, IMAGE, fp);
    fclose(fp);
    TR_CHECK_INT(got, want);
    TR_CHECK(memcmp(back, image, want) == 0);
    free(f), free(image), free(page), free(back);
}

TR_TEST(writebehind_sync_reports_a_failed_write)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(tr_writebehind_vfs());
    TR_CHECK(vfs != NULL);
    char path[512];
    snprintf(path, sizeof(path), "%s/ro.bin", tr_test_tmpdir());
    FILE *fp = fopen(path, "wb");
    TR_CHECK(fp != NULL);
    fputs("x", fp);
    fclose(fp);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    TR_CHECK(f != NULL);
    int out = 0;
    /* read-only: the write itself fails on the file's thread */
    TR_CHECK(vfs->xOpen(vfs, path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READONLY, &out) ==
             SQLITE_OK);
    unsigned char page[4096] = {1};
    int wrc = f->pMethods->xWrite(f, page, sizeof(page), 0);
    int src = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
    f->pMethods->xClose(f);
    free(f);
    TR_CHECK(wrc != SQLITE_OK || src != SQLITE_OK);
    TR_CHECK_INT(src == SQLITE_OK ? wrc & 0xff : src & 0xff, SQLITE_IOERR);
}

TR_TEST(writebehind_carries_a_wal_database)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/wb.db", tr_test_tmpdir());
    sqlite3 *db = NULL;
    TR_CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             tr_writebehind_vfs()) == SQLITE_OK);
    TR_CHECK(sqlite3_exec(db,
                          "PRAGMA journal_mode = WAL; PRAGMA cache_size = 20;"
                          "CREATE TABLE t(k INTEGER PRIMARY KEY, v);"
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                          "WHERE i < 20000) INSERT INTO t SELECT i, hex(randomblob(40)) "
                          "FROM n;",
                          NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    /* read back through SQLite's default VFS */
    TR_CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    char got[64];
    int rc = tr_test_sql_text(db,
                              "SELECT (SELECT count(*) FROM t) || ' ' || "
                              "(SELECT sum(k) FROM t) || ' ' || "
                              "(SELECT integrity_check FROM pragma_integrity_check)",
                              got, sizeof(got));
    sqlite3_close(db);
    TR_CHECK_INT(rc, 0);
    TR_CHECK_STR(got, "20000 200010000 ok");
}

TR_TEST(writebehind_refuses_synchronous_below_full)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/wbs.db", tr_test_tmpdir());
    sqlite3 *db = NULL;
    TR_CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             tr_writebehind_vfs()) == SQLITE_OK);
    TR_CHECK(sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) == SQLITE_OK);
    TR_CHECK(sqlite3_exec(db, "PRAGMA synchronous = EXTRA", NULL, NULL, NULL) == SQLITE_OK);
    TR_CHECK(sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK);
    TR_CHECK(strstr(sqlite3_errmsg(db), "needs synchronous = FULL") != NULL);
    TR_CHECK(sqlite3_exec(db, "PRAGMA synchronous = 0", NULL, NULL, NULL) != SQLITE_OK);
    char got[16];
    TR_CHECK_INT(tr_test_sql_text(db, "PRAGMA synchronous", got, sizeof(got)), 0);
    TR_CHECK_STR(got, "3"); /* EXTRA still: the refused pragmas changed nothing */
    sqlite3_close(db);
}
