/*
 * How a reader opens a database in a folder it cannot write to (tr/db_shared.h).
 * SQLite reads a WAL-mode database through its -shm file (the index of the -wal file), and
 * creates that file on first read. In a read-only folder it cannot, and every read fails with
 * "attempt to write a readonly database". Opening such a file as immutable skips the -shm and
 * the locks, which is correct only while nothing writes it: a checkpoint running during the
 * read would change pages under it. So immutable is used only when no writer can exist.
 */
#include "tr/db_shared.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when bytes 18 and 19 of the header say WAL (2): the file format's write/read versions. */
static int is_wal_file(const char *path)
{
    unsigned char h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t k = pread(fd, h, sizeof(h), 0);
    close(fd);
    return k == (ssize_t)sizeof(h) && h[18] == 2 && h[19] == 2;
}

/* The folder that holds path (its -shm and -wal files go there). */
static void folder_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

static int exists(const char *path, const char *suffix)
{
    char name[4200];
    struct stat sb;
    snprintf(name, sizeof(name), "%s%s", path, suffix);
    return stat(name, &sb) == 0;
}

static int anyone_may_write(const char *path)
{
    struct stat sb;
    return stat(path, &sb) != 0 || (sb.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0;
}

/* "file:" + path with the characters a URI gives meaning to escaped, + the read-only query. */
static int immutable_uri(const char *path, char *uri, size_t n)
{
    size_t k = (size_t)snprintf(uri, n, "file:%s", path[0] == '/' ? "//" : "");
    for (const char *p = path; *p && k + 4 < n; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            k += (size_t)snprintf(uri + k, n - k, "%%%02X", (unsigned char)*p);
        else
            uri[k++] = *p;
    }
    int w = snprintf(uri + k, n > k ? n - k : 0, "?mode=ro&immutable=1");
    return w < 0 || k + (size_t)w >= n ? -1 : 0;
}

int tr_db_shared_plan(const char *path, char *uri, size_t n, struct tr_err *e)
{
    char dir[4096];
    uri[0] = '\0';
    folder_of(path, dir, sizeof(dir));
    /* SQLite manages: a rollback-journal database, a folder we may write, an -shm present */
    if (!is_wal_file(path) || access(dir, W_OK) == 0 || exists(path, "-shm"))
        return TR_OK;
    if (!exists(path, "-wal") && !anyone_may_write(path) && !anyone_may_write(dir)) {
        if (immutable_uri(path, uri, n) != 0)
            return tr_err_set(e, TR_EIO, "database path too long: '%s'", path);
        return TR_OK;
    }
    return tr_err_set(e, TR_EIO,
                      "cannot read '%s' safely: it is in WAL mode and SQLite must create its "
                      "-shm file in '%s', which you cannot write to%s. The owner can publish a "
                      "copy for readers (sqlite3 '%s' \"VACUUM INTO 'copy.db'\", then "
                      "sqlite3 copy.db 'PRAGMA journal_mode = DELETE'), or make the database "
                      "and its folder read-only for everyone (chmod a-w) after the last import, "
                      "or let readers write to the folder; see README, \"Sharing a database\"",
                      path, dir,
                      exists(path, "-wal") ? " (and a writer is active or was stopped: its -wal "
                                             "file is there)"
                                           : " (and the file or folder can still be written)",
                      path);
}
