/*
 * fsync of a finished file and of its directory, the two halves of a durable
 * "write to a temporary name, then rename": used for both files of a report. It does not
 * write, rename or remove anything; report_write.c decides the order.
 */
#include "tr/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* open + fsync + close. EINVAL from fsync means the file system cannot sync this kind of
 * object, not that data was lost; EROFS is let be for directories only. */
static int sync_path(const char *path, int flags, int ignore_erofs, const char *what,
                     struct tr_err *e)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return tr_err_set(e, TR_EIO, "cannot open %s '%s' to sync it: %s", what, path,
                          strerror(errno));
    int err = 0;
    if (fsync(fd) != 0 && errno != EINVAL && !(ignore_erofs && errno == EROFS))
        err = errno;
    if (close(fd) != 0 && !err && errno != EINTR)
        err = errno;
    if (err)
        return tr_err_set(e, TR_EIO, "cannot sync %s '%s': %s", what, path, strerror(err));
    return TR_OK;
}

int tr_durable_sync_file(const char *path, struct tr_err *e)
{
    /* never through a link: the files synced are ours, by their own names; a folder may be
     * the operator's symlink to one */
    return sync_path(path, O_RDONLY | O_NOFOLLOW, 0, "file", e);
}

int tr_durable_sync_dir(const char *dir, struct tr_err *e)
{
    return sync_path(dir, O_RDONLY | O_DIRECTORY, 1, "directory", e);
}
