/*
 * Moving the nightly job's files: inbox -> archive/YYYY-MM-DD or quarantine, under a name that
 * is never an existing one (NAME, NAME.1.csv, ...), by rename or, across filesystems, by a
 * synced copy under an O_EXCL temporary name. It never replaces or writes through an existing
 * name. What becomes of a file, and what is printed, is cmd_nightly.c's business.
 */
#include "tr/filemove.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/durable.h"
#include "tr/safe_name.h"
#include "tr/tmpfile.h"

#define PATH_BUF 4352
#define MAX_SUFFIX 10000 /* NAME.1.csv ... in archive and quarantine */

int tr_filemove_mkdir_p(const char *path, struct tr_err *e)
{
    char buf[PATH_BUF];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return tr_err_set(e, TR_EIO, "path too long: '%s'", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return tr_err_set(e, TR_EIO, "cannot create directory '%s': %s", buf,
                              strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return tr_err_set(e, TR_EIO, "'%s' is not a directory", path);
    return TR_OK;
}

/* rename() that never replaces an existing name: fails with EEXIST instead. */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    /* the filesystem has no RENAME_NOREPLACE: link() refuses an existing name too */
    if (link(from, to) == 0)
        return unlink(from);
    if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS)
        return -1;
    if (access(to, F_OK) == 0) { /* last resort; racy only against other writers of DIR */
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

/* The k-th name tried for name in dir: NAME, then STEM.1.EXT, STEM.2.EXT, ... A name that
 * would not fit under NAME_MAX with its suffix (and room for ".reason.txt") is shortened
 * (tr_safe_fit_name): a 254-byte delivery still finds a place. */
static int candidate(char *out, size_t n, const char *dir, const char *name, int k,
                     size_t reserve)
{
    char fit[NAME_MAX + 1], num[16];
    int m = k ? snprintf(num, sizeof(num), ".%d", k) : 0;
    if (!k)
        num[0] = '\0';
    tr_safe_fit_name(fit, name, reserve + (size_t)m);
    const char *dot = strrchr(fit, '.');
    if (!dot || dot == fit || !k)
        dot = fit + strlen(fit);
    int w = snprintf(out, n, "%s/%.*s%s%s", dir, (int)(dot - fit), fit, num, dot);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Renames from into dir under the first free candidate name for name (with_reason: NAME and
 * NAME.reason.txt both free). -1 with errno on failure; EEXIST never escapes. */
static int place(const char *from, const char *dir, const char *name, int with_reason, char *dest,
                 size_t n)
{
    char reason[PATH_BUF + 16];
    for (int k = 0; k < MAX_SUFFIX; k++) {
        if (candidate(dest, n, dir, name, k, with_reason ? strlen(".reason.txt") : 0)) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (with_reason) {
            int w = snprintf(reason, sizeof(reason), "%s.reason.txt", dest);
            if (w < 0 || (size_t)w >= sizeof(reason)) {
                errno = ENAMETOOLONG;
                return -1;
            }
            if (exists(reason))
                continue;
        }
        if (rename_noreplace(from, dest) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

/* Copies src to a new temporary file in dir, synced to disk, for a move across filesystems. */
static int copy_to_dir(const char *src, const char *dir, char *tmp, size_t n, struct tr_err *e)
{
    int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = TR_OK;
    struct stat sb;
    tmp[0] = '\0';
    if (in < 0 || fstat(in, &sb) != 0) {
        rc = tr_err_set(e, TR_EIO, "cannot read '%s': %s", src, strerror(errno));
        goto out;
    }
    /* a random name made with O_EXCL: nothing planted in dir is written through; the
     * delivered name is not part of it, so a long name still fits */
    if ((rc = tr_tmpfile_create(dir, "tradereport-copy", (int)(sb.st_mode & 0666), tmp, n, &out,
                                e)))
        goto out;
    char buf[65536];
    for (;;) {
        ssize_t got = read(in, buf, sizeof(buf));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = tr_err_set(e, TR_EIO, "cannot read '%s': %s", src, strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        for (ssize_t off = 0; off < got;) {
            ssize_t put = write(out, buf + off, (size_t)(got - off));
            if (put < 0 && errno == EINTR)
                continue;
            if (put < 0) {
                rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
                goto out;
            }
            off += put;
        }
    }
    if (fsync(out) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot sync '%s': %s", tmp, strerror(errno));
out:
    if (out >= 0 && close(out) != 0 && !rc)
        rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (in >= 0)
        close(in);
    if (rc && tmp[0])
        unlink(tmp);
    return rc;
}

/* TR_TEST_EXDEV=1 takes the copy path on one filesystem (tests). */
int tr_filemove_into(const char *src, const char *src_dir, const char *dir, const char *name,
                     int with_reason, char *dest, size_t n, struct tr_err *e)
{
    const char *force = getenv("TR_TEST_EXDEV");
    int rc;
    if (!(force && *force == '1')) {
        if (place(src, dir, name, with_reason, dest, n) == 0)
            goto synced;
        if (errno != EXDEV) {
            dest[0] = '\0';
            return tr_err_set(e, TR_EIO, "cannot move '%s' into '%s': %s", src, dir,
                              strerror(errno));
        }
    }
    char tmp[PATH_BUF];
    dest[0] = '\0';
    if ((rc = copy_to_dir(src, dir, tmp, sizeof(tmp), e)))
        return rc;
    if (place(tmp, dir, name, with_reason, dest, n) != 0) {
        rc = tr_err_set(e, TR_EIO, "cannot move '%s' into '%s': %s", src, dir, strerror(errno));
        dest[0] = '\0';
        unlink(tmp);
        return rc;
    }
    if (unlink(src) != 0)
        return tr_err_set(e, TR_EIO,
                          "copied '%s' to '%s' but cannot remove it from the inbox: "
                          "%s",
                          src, dest, strerror(errno));
synced:
    if ((rc = tr_durable_sync_dir(dir, e)))
        return rc;
    return tr_durable_sync_dir(src_dir, e);
}

int tr_filemove_own_dir(const char *path, struct tr_err *e)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return tr_err_set(e, TR_EIO, "cannot open folder '%s': %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid())
        return tr_err_set(e, TR_EIO,
                          "'%s' is %s, not a folder the job made: refusing to move "
                          "files into it",
                          path,
                          S_ISLNK(sb.st_mode)    ? "a symbolic link"
                          : !S_ISDIR(sb.st_mode) ? "not a folder"
                                                 : "another user's folder");
    return TR_OK;
}
