/*
 * Write-behind VFS (see tr/writebehind.h). Each main database and WAL file gets two 1 MiB
 * buffers and a thread: SQLite's thread fills one buffer with a run of adjacent writes while
 * the file's thread writes the other out. A write that does not continue the run starts a new
 * run when it cannot overlap anything still pending and is a page or follows on from the last
 * write (WAL frames, the checkpoint's pages); otherwise (a frame header rewritten in place)
 * everything pending is written first and the write is done at once. All other calls on the
 * file wait for the pending writes; the first failed write is returned by the next write, read,
 * sync, truncate or size call, at the latest by the sync before a commit or a checkpoint counts
 * (file controls and unlocks wait for the pending writes but leave a failure to the calls whose
 * errors SQLite acts on). Its correctness rests on SQLite syncing before a commit counts:
 * the VFS refuses `PRAGMA synchronous` below FULL on its files, so it never runs without that.
 */
#include "tr/writebehind.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RUN_BYTES (1u << 20)
#define PIECE_BYTES (64u << 10) /* the unix VFS writes at most 128 KiB - 1 per call */
#define VFS_NAME "tradereport-writebehind"

struct wb_file {
    sqlite3_file base;
    sqlite3_file *real; /* the default VFS's file, allocated right after this one */
    int behind;         /* 0: every call goes straight through */
    /* owned by SQLite's thread */
    unsigned char *buf[2];
    unsigned char *fill; /* the run being filled */
    sqlite3_int64 fill_off, last_end;
    size_t fill_len;
    /* shared with the file's thread, under mx */
    pthread_t thread;
    pthread_mutex_t mx;
    pthread_cond_t cv;           /* a run handed over, a run written, or stop */
    const unsigned char *queued; /* the run the thread writes; NULL when it is idle */
    sqlite3_int64 queued_off;
    size_t queued_len;
    int err; /* the first failed write's code, until reported */
    int stop;
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs wb_vfs;
static const sqlite3_io_methods wb_methods;

/* ---------- the file's thread ---------- */

static void *wb_main(void *arg)
{
    struct wb_file *f = arg;
    pthread_mutex_lock(&f->mx);
    for (;;) {
        while (!f->queued && !f->stop)
            pthread_cond_wait(&f->cv, &f->mx);
        if (!f->queued)
            break;
        const unsigned char *p = f->queued;
        sqlite3_int64 off = f->queued_off;
        size_t len = f->queued_len;
        pthread_mutex_unlock(&f->mx);
        int rc = SQLITE_OK;
        for (size_t done = 0; done < len && rc == SQLITE_OK; done += PIECE_BYTES) {
            size_t n = len - done < PIECE_BYTES ? len - done : PIECE_BYTES;
            rc = f->real->pMethods->xWrite(f->real, p + done, (int)n, off + (sqlite3_int64)done);
        }
        pthread_mutex_lock(&f->mx);
        if (rc != SQLITE_OK && f->err == SQLITE_OK)
            f->err = rc;
        f->queued = NULL;
        pthread_cond_broadcast(&f->cv);
    }
    pthread_mutex_unlock(&f->mx);
    return NULL;
}

/* Gives the filled run to the thread, once it is done with the one before. */
static void hand_over(struct wb_file *f)
{
    if (!f->fill_len)
        return;
    pthread_mutex_lock(&f->mx);
    while (f->queued)
        pthread_cond_wait(&f->cv, &f->mx);
    f->queued = f->fill;
    f->queued_off = f->fill_off;
    f->queued_len = f->fill_len;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mx);
    f->fill = f->fill == f->buf[0] ? f->buf[1] : f->buf[0];
    f->fill_len = 0;
}

/* Waits until every write so far is in the file. */
static void wait_written(struct wb_file *f)
{
    if (!f->behind)
        return;
    hand_over(f);
    pthread_mutex_lock(&f->mx);
    while (f->queued)
        pthread_cond_wait(&f->cv, &f->mx);
    pthread_mutex_unlock(&f->mx);
}

/* Returns (and forgets) the code of a write that failed. Only the calls whose errors SQLite
 * always acts on (write, read, sync, truncate, size) take it: a file control or an unlock
 * would let it pass unseen, and SQLite would then count a commit whose pages are missing. */
static int take_error(struct wb_file *f)
{
    if (!f->behind)
        return SQLITE_OK;
    pthread_mutex_lock(&f->mx);
    int rc = f->err;
    f->err = SQLITE_OK;
    pthread_mutex_unlock(&f->mx);
    return rc;
}

/* Waits for the pending writes; returns a failed one's code. */
static int drain(struct wb_file *f)
{
    wait_written(f);
    return take_error(f);
}

/* 1 when [off, off + n) meets a write still pending. */
static int overlaps_pending(struct wb_file *f, sqlite3_int64 off, int n)
{
    sqlite3_int64 end = off + n;
    if (f->fill_len && off < f->fill_off + (sqlite3_int64)f->fill_len && f->fill_off < end)
        return 1;
    pthread_mutex_lock(&f->mx);
    int hit = f->queued && off < f->queued_off + (sqlite3_int64)f->queued_len &&
              f->queued_off < end;
    pthread_mutex_unlock(&f->mx);
    return hit;
}

/* ---------- io methods ---------- */

static int wb_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
    struct wb_file *f = (struct wb_file *)file;
    if (!f->behind)
        return f->real->pMethods->xWrite(f->real, p, n, off);
    int rc = take_error(f);
    if (rc != SQLITE_OK)
        return rc;
    int follows = f->fill_len && off == f->fill_off + (sqlite3_int64)f->fill_len;
    if (follows && f->fill_len + (size_t)n <= RUN_BYTES) {
        memcpy(f->fill + f->fill_len, p, (size_t)n);
        f->fill_len += (size_t)n;
        f->last_end = off + n;
        return SQLITE_OK;
    }
    int may_start = (size_t)n <= PIECE_BYTES && (follows || off == f->last_end || n >= 4096) &&
                    !overlaps_pending(f, off, n);
    if (!may_start) { /* in place or too large: after everything pending, at once */
        if ((rc = drain(f)) != SQLITE_OK)
            return rc;
        f->last_end = off + n;
        return f->real->pMethods->xWrite(f->real, p, n, off);
    }
    hand_over(f);
    memcpy(f->fill, p, (size_t)n);
    f->fill_off = off;
    f->fill_len = (size_t)n;
    f->last_end = off + n;
    return SQLITE_OK;
}

static int wb_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
    struct wb_file *f = (struct wb_file *)file;
    int rc = drain(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, p, n, off);
}

static int wb_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    struct wb_file *f = (struct wb_file *)file;
    int rc = drain(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wb_sync(sqlite3_file *file, int flags)
{
    struct wb_file *f = (struct wb_file *)file;
    int rc = drain(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wb_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    struct wb_file *f = (struct wb_file *)file;
    int rc = drain(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wb_lock(sqlite3_file *file, int level)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int wb_unlock(sqlite3_file *file, int level)
{
    struct wb_file *f = (struct wb_file *)file;
    wait_written(f); /* another process may read what this one wrote once unlocked */
    return f->real->pMethods->xUnlock(f->real, level);
}

static int wb_check_reserved(sqlite3_file *file, int *out)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

/* The precondition of writing behind: SQLite syncs before a commit counts (synchronous FULL
 * or EXTRA). A pragma that would lower it on one of our files is refused with the reason. */
static int refuse_low_sync(void *arg)
{
    char **a = arg; /* SQLITE_FCNTL_PRAGMA: [0] error out, [1] name, [2] value or NULL */
    const char *v = a[2];
    if (!a[1] || sqlite3_stricmp(a[1], "synchronous") != 0 || !v ||
        sqlite3_stricmp(v, "full") == 0 || sqlite3_stricmp(v, "extra") == 0 ||
        strcmp(v, "2") == 0 || strcmp(v, "3") == 0)
        return SQLITE_NOTFOUND;
    a[0] = sqlite3_mprintf("the write-behind VFS needs synchronous = FULL, not %s", v);
    return SQLITE_ERROR;
}

static int wb_file_control(sqlite3_file *file, int op, void *arg)
{
    struct wb_file *f = (struct wb_file *)file;
    wait_written(f);
    if (op == SQLITE_FCNTL_PRAGMA && refuse_low_sync(arg) == SQLITE_ERROR)
        return SQLITE_ERROR;
    if (op == SQLITE_FCNTL_VFSNAME) { /* say what this layer is, then what it is over */
        int inner = f->real->pMethods->xFileControl(f->real, op, arg);
        char *under = inner == SQLITE_OK ? *(char **)arg : NULL;
        *(char **)arg = sqlite3_mprintf("%s/%s", VFS_NAME, under ? under : real_vfs->zName);
        sqlite3_free(under);
        return SQLITE_OK;
    }
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wb_sector_size(sqlite3_file *file)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int wb_device_characteristics(sqlite3_file *file)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int wb_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **p)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xShmMap(f->real, region, size, extend, p);
}

static int wb_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *file)
{
    struct wb_file *f = (struct wb_file *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int wb_shm_unmap(sqlite3_file *file, int delete_flag)
{
    struct wb_file *f = (struct wb_file *)file;
    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static void stop_thread(struct wb_file *f)
{
    pthread_mutex_lock(&f->mx);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mx);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mx);
    pthread_cond_destroy(&f->cv);
    free(f->buf[0]);
    free(f->buf[1]);
    f->behind = 0;
}

static int wb_close(sqlite3_file *file)
{
    struct wb_file *f = (struct wb_file *)file;
    int rc = SQLITE_OK;
    if (f->behind) {
        rc = drain(f);
        stop_thread(f);
    }
    int crc = f->real->pMethods->xClose(f->real);
    return rc != SQLITE_OK ? rc : crc;
}

/* Version 2: no memory-mapped reads (xFetch), which would bypass the pending writes. */
static const sqlite3_io_methods wb_methods = {
    .iVersion = 2,
    .xClose = wb_close,
    .xRead = wb_read,
    .xWrite = wb_write,
    .xTruncate = wb_truncate,
    .xSync = wb_sync,
    .xFileSize = wb_file_size,
    .xLock = wb_lock,
    .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved,
    .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size,
    .xDeviceCharacteristics = wb_device_characteristics,
    .xShmMap = wb_shm_map,
    .xShmLock = wb_shm_lock,
    .xShmBarrier = wb_shm_barrier,
    .xShmUnmap = wb_shm_unmap,
};

/* ---------- the VFS ---------- */

/* The buffers and the thread; without them the file works straight through. */
static void start_behind(struct wb_file *f)
{
    f->buf[0] = malloc(RUN_BYTES);
    f->buf[1] = malloc(RUN_BYTES);
    if (!f->buf[0] || !f->buf[1])
        goto none;
    if (pthread_mutex_init(&f->mx, NULL) != 0)
        goto none;
    if (pthread_cond_init(&f->cv, NULL) != 0) {
        pthread_mutex_destroy(&f->mx);
        goto none;
    }
    if (pthread_create(&f->thread, NULL, wb_main, f) != 0) {
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mx);
        goto none;
    }
    f->fill = f->buf[0];
    f->behind = 1;
    return;
none:
    free(f->buf[0]);
    free(f->buf[1]);
    f->buf[0] = f->buf[1] = NULL;
}

static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                   int *out_flags)
{
    (void)vfs;
    struct wb_file *f = (struct wb_file *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods) /* a failed open may still need its close */
            f->real->pMethods->xClose(f->real);
        f->base.pMethods = NULL;
        return rc;
    }
    if (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL))
        start_behind(f);
    f->base.pMethods = &wb_methods;
    return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *wb_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void wb_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    real_vfs->xDlError(real_vfs, n, out);
}

static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void wb_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    real_vfs->xDlClose(real_vfs, h);
}

static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}

static int wb_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static const char *registered;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void register_vfs(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs || real_vfs->iVersion < 2)
        return;
    wb_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct wb_file) + real_vfs->szOsFile,
        .mxPathname = real_vfs->mxPathname,
        .zName = VFS_NAME,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_full_pathname,
        .xDlOpen = wb_dlopen,
        .xDlError = wb_dlerror,
        .xDlSym = wb_dlsym,
        .xDlClose = wb_dlclose,
        .xRandomness = wb_randomness,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_current_time,
        .xGetLastError = wb_last_error,
        .xCurrentTimeInt64 = wb_current_time64,
    };
    if (sqlite3_vfs_register(&wb_vfs, 0) == SQLITE_OK)
        registered = VFS_NAME;
}

const char *tr_writebehind_vfs(void)
{
    const char *off = getenv("TR_WRITEBEHIND"); /* 0: SQLite's own VFS (make bench compares) */
    if (off && strcmp(off, "0") == 0)
        return NULL;
    pthread_once(&once, register_vfs);
    return registered;
}
