/*
 * Delivery archives: zip through libarchive (read through its central directory, every
 * member's CRC checked by the library) and gzip through zlib (gunzip.c; libarchive's gzip
 * filter does not check the CRC). A member is
 * appended to a memfd in blocks, with the bomb limits checked as it grows. Nothing here knows
 * formats or the database: import_archive.c decides what each member is and loads it.
 */
#include "tr/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tr/gunzip.h"
#include "tr/input.h"
#include "tr/sha256.h"
#include "tr/signals.h"

#define BLOCK (256 << 10)
#define READ_BLOCK (64 << 10)

struct tr_archive {
    struct archive *ar;   /* zip */
    struct tr_gunzip *gz; /* gzip */
    int gz_given;         /* its one member was handed out */
    int kind;
    int fd;
    const char *path;
    struct tr_file_id id;
    char sha256[65];
    long long bytes;
    char gz_name[256];           /* a .gz's one member: the file name without .gz */
    struct archive_entry *entry; /* the current member */
    long long member_bytes;      /* its bytes given out so far */
    long long member_start;      /* compressed bytes consumed when it began */
    int member_done;
    unsigned char *buf;
};

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int tr_archive_kind(const char *path)
{
    return ends_with_ci(path, ".zip") ? 'z' : ends_with_ci(path, ".gz") ? 'g' : 0;
}

static int hash_file(struct tr_archive *a, struct tr_err *e)
{
    struct tr_sha256 sha;
    tr_sha256_init(&sha);
    for (;;) {
        long got = tr_input_read_at(a->fd, a->buf, BLOCK, a->bytes);
        if (got < 0)
            return tr_err_set(e, TR_EIO, "read error on '%s': %s", a->path, strerror(errno));
        if (got == 0)
            break;
        tr_sha256_update(&sha, a->buf, (size_t)got);
        a->bytes += got;
    }
    tr_sha256_final_hex(&sha, a->sha256);
    return TR_OK;
}

static void gz_member_name(struct tr_archive *a)
{
    const char *slash = strrchr(a->path, '/');
    const char *base = slash ? slash + 1 : a->path;
    size_t n = strlen(base) - 3; /* without ".gz" */
    if (n >= sizeof(a->gz_name))
        n = sizeof(a->gz_name) - 1;
    memcpy(a->gz_name, base, n);
    a->gz_name[n] = '\0';
}

static int start_gunzip(struct tr_archive *a, struct tr_err *e)
{
    unsigned char magic[2];
    if (tr_input_read_at(a->fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
        return tr_err_set(e, TR_EINPUT, "'%s' is named .gz but holds no gzip data", a->path);
    gz_member_name(a);
    a->gz_given = 0;
    return tr_gunzip_open(a->fd, &a->gz, e);
}

static int start_reader(struct tr_archive *a, struct tr_err *e)
{
    if (a->kind == 'g')
        return start_gunzip(a, e);
    if (!(a->ar = archive_read_new()))
        return tr_err_set(e, TR_ENOMEM, "out of memory opening '%s'", a->path);
    archive_read_support_format_zip(a->ar);
    if (archive_read_open_fd(a->ar, a->fd, READ_BLOCK) != ARCHIVE_OK)
        return tr_err_set(e, TR_EINPUT, "'%s' is not a readable zip archive: %s", a->path,
                          archive_error_string(a->ar));
    return TR_OK;
}

static void stop_reader(struct tr_archive *a)
{
    if (a->ar)
        archive_read_free(a->ar);
    tr_gunzip_free(a->gz);
    a->ar = NULL;
    a->gz = NULL;
    a->entry = NULL;
}

int tr_archive_open(const char *path, struct tr_archive **out, struct tr_err *e)
{
    struct tr_archive *a = calloc(1, sizeof(*a));
    *out = NULL;
    if (!a || !(a->buf = malloc(BLOCK))) {
        free(a);
        return tr_err_set(e, TR_ENOMEM, "out of memory opening '%s'", path);
    }
    a->path = path;
    a->kind = tr_archive_kind(path);
    a->fd = -1;
    int rc = tr_input_open(path, &a->fd, &a->id, e);
    if (!rc)
        rc = hash_file(a, e);
    if (!rc)
        rc = start_reader(a, e);
    if (rc) {
        tr_archive_close(a);
        return rc;
    }
    *out = a;
    return TR_OK;
}

void tr_archive_close(struct tr_archive *a)
{
    if (!a)
        return;
    stop_reader(a);
    if (a->fd >= 0)
        close(a->fd);
    free(a->buf);
    free(a);
}

const char *tr_archive_sha256(const struct tr_archive *a)
{
    return a->sha256;
}
long long tr_archive_bytes(const struct tr_archive *a)
{
    return a->bytes;
}
const struct tr_file_id *tr_archive_file_id(const struct tr_archive *a)
{
    return &a->id;
}

int tr_archive_rewind(struct tr_archive *a, struct tr_err *e)
{
    stop_reader(a);
    if (lseek(a->fd, 0, SEEK_SET) != 0)
        return tr_err_set(e, TR_EIO, "cannot read '%s' again: %s", a->path, strerror(errno));
    return start_reader(a, e);
}

/* A compressed-bytes position: what a member has consumed is the difference. */
static long long packed_position(struct tr_archive *a)
{
    return a->gz ? tr_gunzip_consumed(a->gz) : archive_filter_bytes(a->ar, -1);
}

int tr_archive_next(struct tr_archive *a, const char **name, struct tr_err *e)
{
    *name = NULL;
    a->member_bytes = 0;
    a->member_done = 0;
    a->member_start = 0;
    if (a->gz) {
        if (!a->gz_given)
            *name = a->gz_name;
        a->gz_given = 1;
        return TR_OK;
    }
    for (;;) {
        int r = archive_read_next_header(a->ar, &a->entry);
        if (r == ARCHIVE_EOF)
            return TR_OK;
        if (r < ARCHIVE_WARN)
            return tr_err_set(e, TR_EINPUT, "'%s': damaged archive: %s", a->path,
                              archive_error_string(a->ar));
        if (archive_entry_filetype(a->entry) != AE_IFREG)
            continue; /* folders and links carry no data */
        a->member_start = archive_filter_bytes(a->ar, -1);
        const char *n = archive_entry_pathname(a->entry);
        *name = n ? n : "";
        return TR_OK;
    }
}

/* The bomb limits, checked as the member grows: its size, and from TR_ARCHIVE_RATIO_FROM on
 * its size against the compressed bytes read for it (read-ahead makes that an overestimate,
 * so the check never refuses too early). */
static int check_limits(struct tr_archive *a, const char *label,
                        const struct tr_archive_limits *l, struct tr_err *e)
{
    if (a->member_bytes > l->max_member)
        return tr_err_set(e, TR_EINPUT,
                          "%s: more than %lld bytes uncompressed, the limit for "
                          "one member (--max-uncompressed): refused as a possible "
                          "decompression bomb",
                          label, l->max_member);
    long long packed = packed_position(a) - a->member_start;
    if (a->member_bytes >= TR_ARCHIVE_RATIO_FROM && packed > 0 &&
        (double)a->member_bytes > l->max_ratio * (double)packed)
        return tr_err_set(e, TR_EINPUT,
                          "%s: %lld bytes unpacked from about %lld compressed, a "
                          "ratio above the limit of %.0f (--max-ratio): refused as a possible "
                          "decompression bomb",
                          label, a->member_bytes, packed, l->max_ratio);
    return TR_OK;
}

static int write_all(int fd, const unsigned char *p, size_t n, const char *label,
                     struct tr_err *e)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR && !tr_signal_caught)
            continue;
        if (w < 0)
            return tr_err_set(e, errno == ENOSPC || errno == ENOMEM ? TR_ENOMEM : TR_EIO,
                              "%s: cannot hold the unpacked member in memory: %s", label,
                              strerror(errno));
        p += w;
        n -= (size_t)w;
    }
    return TR_OK;
}

static int first_checks(struct tr_archive *a, const char *label,
                        const struct tr_archive_limits *l, struct tr_err *e)
{
    if (!a->entry)
        return TR_OK;
    if (archive_entry_is_encrypted(a->entry))
        return tr_err_set(e, TR_EINPUT, "%s: encrypted member: cannot be read", label);
    if (archive_entry_size_is_set(a->entry) && archive_entry_size(a->entry) > l->max_member)
        return tr_err_set(e, TR_EINPUT,
                          "%s: %lld bytes uncompressed, more than the limit of "
                          "%lld for one member (--max-uncompressed): refused",
                          label, (long long)archive_entry_size(a->entry), l->max_member);
    return TR_OK;
}

int tr_archive_fill(struct tr_archive *a, int fd, long long upto, const char *label,
                    const struct tr_archive_limits *l, tr_archive_progress_fn progress, void *ctx,
                    int *complete, struct tr_err *e)
{
    int rc = a->member_bytes == 0 ? first_checks(a, label, l, e) : TR_OK;
    while (!rc && !a->member_done && a->member_bytes < upto) {
        if (tr_signal_caught)
            return tr_err_set(e, TR_EFAIL, "interrupted by signal %d while unpacking %s",
                              (int)tr_signal_caught, label);
        long long want = upto - a->member_bytes;
        size_t n = want < BLOCK ? (size_t)want : BLOCK;
        long got;
        if (a->gz) {
            if ((got = tr_gunzip_read(a->gz, a->buf, n, label, e)) < 0)
                return e->code;
        } else if ((got = (long)archive_read_data(a->ar, a->buf, n)) < 0) {
            return tr_err_set(e, TR_EINPUT, "%s: damaged member: %s", label,
                              archive_error_string(a->ar));
        }
        if (got == 0) {
            a->member_done = 1;
            break;
        }
        a->member_bytes += got;
        if (!(rc = check_limits(a, label, l, e)))
            rc = write_all(fd, a->buf, (size_t)got, label, e);
        if (progress)
            progress(ctx, a->member_bytes, packed_position(a), a->bytes);
    }
    *complete = a->member_done;
    return rc;
}

int tr_archive_memfd(int *fd, struct tr_err *e)
{
    *fd = memfd_create("tradereport-member", MFD_CLOEXEC);
    if (*fd < 0)
        return tr_err_set(e, TR_EIO, "cannot make a memory file for an archive member: %s",
                          strerror(errno));
    return TR_OK;
}

int tr_archive_name_ok(const char *name, const char **why)
{
    if (!*name)
        return *why = "an empty name", 0;
    if (name[0] == '/' || name[0] == '\\' || (isalpha((unsigned char)name[0]) && name[1] == ':'))
        return *why = "an absolute path", 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return *why = "a control character", 0;
    for (const char *p = name; *p;) { /* each component between / or \ */
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return *why = "a '..' component", 0;
        p += n + (p[n] != '\0');
    }
    return 1;
}

char *tr_archive_member_label(const char *path, const char *name)
{
    size_t n = strlen(path) + strlen(name) + 2;
    char *label = malloc(n);
    if (label)
        snprintf(label, n, "%s:%s", path, name);
    return label;
}
