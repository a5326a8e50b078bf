/*
 * The file scan of the import pipeline: sha256, encoding and structure (empty, UTF-16, gzip,
 * NUL bytes) checked before anything commits. A large new file is scanned on the second core
 * while the first one parses it; a small one, or one whose size was loaded before, first.
 * What the scan measures is tr_file_scan's (src/input/input.c); here is only when and how.
 */
#include "tr/import_internal.h"

#include <stdlib.h>
#include <string.h>

/* From this size on the scan runs beside the parse and the writer inserts on its own thread. */
#define PARALLEL_SCAN_MIN (4 << 20)

int tr_import_check_scan(struct tr_import *imp, const struct tr_file_scan *scan, struct tr_err *e)
{
    if (scan->bytes == 0 || (scan->bom && scan->bytes == 3))
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1, "empty file: no header, no data");
    if (scan->utf16) /* Excel's "Unicode Text": tab-separated UTF-16, not CSV */
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1,
                             "UTF-16 text (%s), not CSV: save it as \"CSV UTF-8\"",
                             scan->utf16 == 'L' ? "little-endian" : "big-endian");
    if (scan->gzip)
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1,
                             "gzip-compressed data, not CSV: decompress it first (gunzip)");
    if (scan->first_nul >= 0)
        return tr_err_set_at(e, TR_EINPUT, imp->path, scan->nul_line,
                             "binary data: NUL byte at offset %lld; not a CSV text file",
                             scan->first_nul);
    return TR_OK;
}

static void *scan_main(void *arg)
{
    struct tr_import_scan_job *j = arg;
    j->rc = tr_file_scan(j->fd, j->path, &j->scan, &j->err);
    return NULL;
}

int tr_import_scan_start(struct tr_import_scan_job *j, int fd, const char *path)
{
    memset(j, 0, sizeof(*j));
    j->fd = fd;
    j->path = path;
    tr_err_init(&j->err);
    j->running = pthread_create(&j->thread, NULL, scan_main, j) == 0;
    return j->running;
}

/* Waits for the scan; copies its outcome into *scan and, on a read error, into e. */
static int scan_finish(struct tr_import_scan_job *j, struct tr_file_scan *scan, struct tr_err *e)
{
    if (!j->running)
        return TR_OK;
    pthread_join(j->thread, NULL);
    j->running = 0;
    *scan = j->scan;
    if (j->rc) {
        tr_err_set(e, j->err.code, "%s", j->err.msg);
        return j->rc;
    }
    return TR_OK;
}

/* Could the file be one loaded before? Same bytes means the same size, so only then does the
 * sha256 have to be known before parsing. */
static int size_seen_before(sqlite3 *db, long long bytes)
{
    sqlite3_stmt *st = NULL;
    int seen = 1; /* when in doubt, scan first */
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM load_log WHERE bytes = ? AND status IN "
                           "('committed', 'superseded')",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, bytes);
        if (sqlite3_step(st) == SQLITE_ROW)
            seen = sqlite3_column_int(st, 0) > 0;
    }
    sqlite3_finalize(st);
    return seen;
}

/* Joins the scan and applies its verdict: a structural problem fails the file, a Windows-1252
 * file asks for a second, converting parse (TR_RESTART_LATIN1). */
int tr_import_scan_finish(struct tr_import *imp, struct tr_import_scan_job *job,
                          struct tr_file_scan *scan, struct tr_err *e)
{
    int rc = scan_finish(job, scan, e);
    if (rc)
        return rc;
    if ((rc = tr_import_check_scan(imp, scan, e)))
        return rc;
    return tr_file_scan_cp1252(scan) ? TR_RESTART_LATIN1 : TR_OK;
}

int tr_import_scan_parallel(sqlite3 *db, long long bytes)
{
    return bytes >= PARALLEL_SCAN_MIN && !getenv("TR_SERIAL_SCAN") &&
           !size_seen_before(db, bytes);
}

/* Inserting on the second core pays from a few MB on; TR_WRITER_THREAD=1 or 0 forces it
 * either way (the tests run both). */
int tr_import_writer_threaded(long long bytes)
{
    const char *force = getenv("TR_WRITER_THREAD");
    if (force && *force)
        return strcmp(force, "0") != 0;
    return bytes >= PARALLEL_SCAN_MIN;
}
