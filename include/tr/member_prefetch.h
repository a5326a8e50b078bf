/*
 * Unpacking an archive's data members one ahead of their load: a helper thread takes over the
 * archive, unpacks each wanted member into its own memory file and hands it over in archive
 * order. It unpacks the next member once the caller says the one it has is past its rows
 * (tr_prefetch_allow_next): the unpack (about a tenth of a BACI year's import) then runs
 * beside the load's sums, summaries and commit, which leave a core free, instead of before
 * the load; started any earlier it would take that core from the parse.
 * Ownership: from tr_prefetch_start to tr_prefetch_stop the helper alone reads the archive;
 * a member taken with tr_prefetch_take is the caller's until tr_prefetch_done. At most two
 * members are in memory: the one being loaded and the next.
 */
#ifndef TR_MEMBER_PREFETCH_H
#define TR_MEMBER_PREFETCH_H

#include <stddef.h>

#include "tr/archive.h"
#include "tr/err.h"

/* Whether member idx (in archive order) is to be unpacked. */
typedef int (*tr_prefetch_wanted_fn)(void *ctx, size_t idx);

struct tr_prefetched {
    int end; /* no more members: rc says whether reading the archive failed */
    int rc;  /* TR_OK, or why the member (or, with end, the archive) could not be read */
    struct tr_err e;
    char *name;      /* member name, as in the archive */
    char *label;     /* ARCHIVE:MEMBER */
    int fd;          /* the unpacked member (a memory file), -1 when rc is set */
    double seconds;  /* the unpack's wall time */
    long long bytes; /* the member, unpacked */
    long long archive_done, archive_size; /* compressed bytes read so far, of the archive */
};

struct tr_prefetch;

/* 1 when the archive's data members are worth a helper thread: more than one of them and an
 * archive of a few MB (TR_ARCHIVE_PREFETCH=1 or 0 forces it either way: the tests run both). */
int tr_prefetch_worth(long long archive_bytes, size_t data_members);

/* Starts the helper on the members before stop_at (the archive at its first member). TR_OK
 * with *out set; an error (no thread, no memory) leaves the archive to the caller. */
int tr_prefetch_start(struct tr_archive *a, const char *path, const struct tr_archive_limits *l,
                      size_t stop_at, tr_prefetch_wanted_fn wanted, void *ctx,
                      struct tr_prefetch **out, struct tr_err *e);

/* The next member in archive order, once it is unpacked (or m->end). */
void tr_prefetch_take(struct tr_prefetch *p, struct tr_prefetched *m);

/* Lets the helper unpack the member after the last one taken. Safe to call more than once. */
void tr_prefetch_allow_next(struct tr_prefetch *p);

/* Frees a member taken (closes its memory file). */
void tr_prefetch_done(struct tr_prefetched *m);

/* Stops the helper (after the member it is unpacking, if any) and frees everything. */
void tr_prefetch_stop(struct tr_prefetch *p);

#endif
