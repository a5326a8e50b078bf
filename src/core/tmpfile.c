/*
 * Temporary names beside the files the tool writes (reports, reason files, cross-filesystem
 * copies): created with O_EXCL under a random suffix, so a link planted in a folder others can
 * write is never written through, and swept on the next run when the process that made them
 * was killed. It does not write content, sync or rename: the callers do.
 */
#include "tr/tmpfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SUFFIX_LEN 6
#define TRIES 100

/* Six characters from getrandom (time and a counter if it fails): unpredictable enough that
 * a name cannot be planted in advance; O_EXCL makes a guessed one harmless anyway. */
static void random_suffix(char out[SUFFIX_LEN + 1])
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static unsigned long counter;
    unsigned char b[SUFFIX_LEN];
    if (getrandom(b, sizeof(b), GRND_NONBLOCK) != (ssize_t)sizeof(b)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^ ++counter;
        for (int i = 0; i < SUFFIX_LEN; i++, x = x * 6364136223846793005ul + 1)
            b[i] = (unsigned char)(x >> 33);
    }
    for (int i = 0; i < SUFFIX_LEN; i++)
        out[i] = set[b[i] % (sizeof(set) - 1)];
    out[SUFFIX_LEN] = '\0';
}

/* DIR/.TAG.tmp-PID-XXXXXX into path; -1 when it does not fit. */
static int tmp_name(char *path, size_t n, const char *dir, const char *tag)
{
    char sfx[SUFFIX_LEN + 1];
    random_suffix(sfx);
    int w = snprintf(path, n, "%s/.%s.tmp-%ld-%s", dir, tag, (long)getpid(), sfx);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

int tr_tmpfile_create(const char *dir, const char *tag, int mode, char *path, size_t n, int *fd,
                      struct tr_err *e)
{
    for (int i = 0; i < TRIES; i++) {
        if (tmp_name(path, n, dir, tag))
            return tr_err_set(e, TR_EIO, "path too long in '%s'", dir);
        *fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (*fd >= 0)
            return TR_OK;
        if (errno != EEXIST)
            return tr_err_set(e, TR_EIO, "cannot create '%s': %s", path, strerror(errno));
    }
    return tr_err_set(e, TR_EIO, "cannot create a temporary file in '%s': every name taken", dir);
}

int tr_tmpdir_create(const char *dir, const char *tag, char *path, size_t n, struct tr_err *e)
{
    for (int i = 0; i < TRIES; i++) {
        if (tmp_name(path, n, dir, tag))
            return tr_err_set(e, TR_EIO, "path too long in '%s'", dir);
        if (mkdir(path, 0700) == 0) /* mkdir never follows a link: EEXIST */
            return TR_OK;
        if (errno != EEXIST)
            return tr_err_set(e, TR_EIO, "cannot create '%s': %s", path, strerror(errno));
    }
    return tr_err_set(e, TR_EIO, "cannot create a temporary folder in '%s': every name taken",
                      dir);
}

int tr_tmpfile_claim(const char *path, struct tr_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return tr_err_set(e, TR_EIO, "cannot create '%s': %s", path, strerror(errno));
    close(fd);
    return TR_OK;
}

/* The pid in a name of ours, ".*.tmp-PID" or ".*.tmp-PID-XXXXXX"; 0 when it is not one. */
static long tmp_pid(const char *name)
{
    const char *t = NULL;
    if (name[0] != '.')
        return 0;
    for (const char *p = strstr(name, ".tmp-"); p; p = strstr(p + 1, ".tmp-"))
        t = p;
    if (!t)
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(t + 5, &end, 10);
    if (end == t + 5 || errno || pid <= 0 ||
        (*end && (*end != '-' || strlen(end) != 1 + SUFFIX_LEN)))
        return 0;
    return pid;
}

static int pid_is_dead(long pid)
{
    return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Empties and removes a private folder: only regular files whose names are ours go. */
static int sweep_folder(int dfd, const char *name, const struct stat *sb)
{
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat fsb;
    if (fd < 0)
        return 0;
    if (fstat(fd, &fsb) != 0 || fsb.st_dev != sb->st_dev || fsb.st_ino != sb->st_ino) {
        close(fd); /* swapped under us: leave it */
        return 0;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    for (struct dirent *de; (de = readdir(d));) {
        struct stat esb;
        if (de->d_name[0] == '.' && strstr(de->d_name, ".tmp-") &&
            fstatat(fd, de->d_name, &esb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(esb.st_mode))
            unlinkat(fd, de->d_name, 0);
    }
    closedir(d);
    return unlinkat(dfd, name, AT_REMOVEDIR) == 0; /* not empty: left */
}

int tr_tmp_sweep(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), removed = 0;
    if (dfd < 0)
        return 0;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return 0;
    }
    uid_t me = geteuid();
    for (struct dirent *de; (de = readdir(d));) {
        struct stat sb;
        long pid = tmp_pid(de->d_name);
        if (!pid || fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || sb.st_uid != me ||
            !pid_is_dead(pid))
            continue;
        if (S_ISREG(sb.st_mode))
            removed += unlinkat(dfd, de->d_name, 0) == 0;
        else if (S_ISDIR(sb.st_mode))
            removed += sweep_folder(dfd, de->d_name, &sb);
    }
    closedir(d);
    return removed;
}
