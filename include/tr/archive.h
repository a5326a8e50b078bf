/*
 * Reading a delivery archive (a .zip, or a .gz of one file) as a stream with libarchive, one
 * member at a time, into an anonymous memory file (memfd): the member's bytes then go through
 * the same scan and parse as a loose file's, and nothing is ever unpacked to disk. Limits guard
 * against decompression bombs; member names are only labels and are checked, never used as
 * paths.
 * Ownership: tr_archive_open returns an archive the caller closes with tr_archive_close; a
 * member name returned by tr_archive_next lives until the next call; the caller owns and
 * closes the descriptors of tr_archive_memfd.
 */
#ifndef TR_ARCHIVE_H
#define TR_ARCHIVE_H

#include "tr/err.h"
#include "tr/input.h"

#define TR_ARCHIVE_MAX_MEMBER (4LL << 30) /* default limit on one member, uncompressed */
#define TR_ARCHIVE_MAX_RATIO 200.0        /* default limit on uncompressed / compressed */
#define TR_ARCHIVE_RATIO_FROM (1LL << 20) /* the ratio is checked from 1 MiB uncompressed on */

struct tr_archive_limits {
    long long max_member; /* bytes of one member, uncompressed */
    double max_ratio;     /* uncompressed bytes per compressed byte, per member */
};

/* What the archive reader reports while it unpacks a member (for a progress line). */
typedef void (*tr_archive_progress_fn)(void *ctx, long long member_bytes, long long archive_done,
                                       long long archive_size);

struct tr_archive;

/* 'z' for a name ending in .zip, 'g' for .gz (any case), 0 for anything else. */
int tr_archive_kind(const char *path);

/* Opens path (kind 'z' or 'g') and hashes the whole file first (sha256 and size, for
 * lineage). TR_EIO when unreadable, TR_EINPUT when it is not an archive of its kind. */
int tr_archive_open(const char *path, struct tr_archive **out, struct tr_err *e);
void tr_archive_close(struct tr_archive *a);

const char *tr_archive_sha256(const struct tr_archive *a);
long long tr_archive_bytes(const struct tr_archive *a);
/* The archive file as opened (device, inode, size, times). */
const struct tr_file_id *tr_archive_file_id(const struct tr_archive *a);

/* Starts reading the archive again from its first member (same descriptor, no second hash). */
int tr_archive_rewind(struct tr_archive *a, struct tr_err *e);

/* Moves to the next regular-file member: TR_OK with *name set, or with *name NULL at the end
 * of the archive. A damaged directory or header: TR_EINPUT. Members of a .gz are named after
 * the file without its .gz. */
int tr_archive_next(struct tr_archive *a, const char **name, struct tr_err *e);

/* Appends the current member's bytes to fd until it holds upto bytes or the member ends
 * (*complete = 1). A CRC error, a truncated member or a limit broken fails with TR_EINPUT,
 * label (ARCHIVE:MEMBER) naming it. progress may be NULL. */
int tr_archive_fill(struct tr_archive *a, int fd, long long upto, const char *label,
                    const struct tr_archive_limits *l, tr_archive_progress_fn progress, void *ctx,
                    int *complete, struct tr_err *e);

/* An empty anonymous memory file (memfd_create): not on any disk, gone when closed. */
int tr_archive_memfd(int *fd, struct tr_err *e);

/* 1 when a member name is safe to show and use as a label: no ".." component, not absolute,
 * no control character; else 0 and why says what is wrong. */
int tr_archive_name_ok(const char *name, const char **why);

/* The label of a member in messages, ARCHIVE:MEMBER, for the caller to free; NULL when out of
 * memory. An unsafe name only ever reaches an error message, escaped where it is printed. */
char *tr_archive_member_label(const char *path, const char *name);

#endif
