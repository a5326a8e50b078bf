/*
 * A delivery archive, member by member. Pass one reads each member's first block to recognise
 * it (name and header, as for a loose file), loads reference members (code lists, claims) at
 * once and skips what is not data; pass two loads the data members in archive order. Every
 * member is unpacked into a memory file and handed to the ordinary pipeline (tr_import_member),
 * so it gets a loose file's guarantees, and its own transaction. In pass two a helper thread
 * unpacks the next data member while this one's sums and commit run (member_prefetch.c);
 * outcomes are still told in archive order. Reading the archive is archive.c's job; parsing
 * and loading import.c's.
 */
#include "tr/import_archive.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tr/clock.h"
#include "tr/member_prefetch.h"

#define PEEK (64 << 10) /* enough for any header line the formats know */

enum member_state { MEMBER_SEEN, MEMBER_DATA };

struct run {
    sqlite3 *db;
    const char *path, *base;
    const struct tr_import_opts *o;
    const struct tr_archive_limits *l;
    tr_member_fn fn;
    void *ctx;
    struct tr_archive *a;
    unsigned char *state; /* per member, in archive order */
    size_t n, cap;
    struct tr_import_result *total;
    struct tr_err *e; /* the first member failure */
    int failed;
    size_t stop_at;               /* members to go through in this pass */
    struct tr_prefetch *prefetch; /* the helper unpacking pass two's members, or NULL */
    /* progress while unpacking */
    const char *label;
    struct timespec t0, last;
    int shown;
    double began; /* the import of the archive (tr_clock_seconds) */
};

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void show_unpacking(void *ctx, long long member_bytes, long long done, long long size)
{
    struct run *r = ctx;
    if (seconds_since(&r->last) < 0.5)
        return;
    clock_gettime(CLOCK_MONOTONIC, &r->last);
    double el = seconds_since(&r->t0);
    double eta = done > 0 ? el * (double)(size - done) / (double)done : 0;
    fprintf(stderr, "\r%s: unpacking %.0f MB  %.0f MB/s  %3.0f%% of the archive  ETA %.0f s   ",
            r->label, (double)member_bytes / 1e6, el > 0 ? (double)done / 1e6 / el : 0,
            size ? 100.0 * (double)done / (double)size : 100.0, eta);
    r->shown = 1;
}

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static const char *last_component(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? slash + 1 : name;
}

/* Adds a member's outcome to the totals and tells the caller. */
static void note(struct run *r, const char *label, enum tr_member_outcome outcome,
                 const struct tr_import_result *res, const struct tr_err *why)
{
    if (outcome == TR_MEMBER_FAILED) {
        r->failed = 1;
        if (!r->e->code)
            *r->e = *why;
    }
    if (res) {
        r->total->rows_read += res->rows_read;
        r->total->rows_rejected += res->rows_rejected;
        if (res->status == TR_LOAD_COMMITTED) {
            r->total->status = TR_LOAD_COMMITTED;
            r->total->load_id = res->load_id;
            r->total->rows_loaded += res->rows_loaded;
            r->total->rows_replaced += res->rows_replaced;
        }
    }
    r->fn(r->ctx, label, outcome, res, why);
}

/* An error that ends the whole import (I/O, memory, a signal): it becomes the import's. */
static int stop(struct run *r, const struct tr_err *why, int rc)
{
    *r->e = *why;
    return rc;
}

static void allow_next(void *prefetch)
{
    tr_prefetch_allow_next(prefetch);
}

/* A member (or, with label the archive's path, the rest of the archive) that could not be
 * read: a damaged one (TR_EINPUT) is that member's failure, anything else stops the import. */
static int unreadable(struct run *r, const char *label, int rc, const struct tr_err *why)
{
    if (rc != TR_EINPUT)
        return stop(r, why, rc);
    note(r, label, TR_MEMBER_FAILED, NULL, why);
    return TR_OK;
}

/* Loads a member unpacked into fd (in unpacked seconds). TR_OK whatever became of the
 * member; an error that must stop the whole import otherwise. */
static int load_unpacked(struct run *r, int fd, const char *name, const char *label,
                         double unpacked)
{
    struct tr_err e;
    struct tr_import_result res;
    tr_err_init(&e);
    memset(&res, 0, sizeof(res));
    char shown[PATH_MAX];
    snprintf(shown, sizeof(shown), "%s:%s", r->base, name);
    struct tr_import_member m = {
        .label = label,
        .shown_name = shown,
        .file_name = last_component(name),
        .member = name,
        .archive = r->base,
        .archive_sha256 = tr_archive_sha256(r->a),
        .archive_bytes = tr_archive_bytes(r->a),
        .after_rows = r->prefetch ? allow_next : NULL,
        .after_rows_ctx = r->prefetch,
    };
    int rc = tr_import_member(r->db, fd, &m, r->o, &res, &e);
    res.time.unpack = unpacked;
    if (rc == TR_OK)
        note(r, label, TR_MEMBER_LOADED, &res, &e);
    else if (rc == TR_EINPUT)
        note(r, label, TR_MEMBER_FAILED, &res, &e);
    else
        return stop(r, &e, rc);
    return TR_OK;
}

/* Unpacks the rest of the member into fd and loads it. TR_OK whatever became of the member;
 * an error that must stop the whole import otherwise. */
static int load_member(struct run *r, int fd, const char *name, const char *label)
{
    struct tr_err e;
    int complete = 0;
    tr_err_init(&e);
    r->label = label;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->last = r->t0;
    r->shown = 0;
    int rc = tr_archive_fill(r->a, fd, LLONG_MAX, label, r->l,
                             r->o->progress ? show_unpacking : NULL, r, &complete, &e);
    double unpacked = tr_clock_seconds() - tr_clock_at(&r->t0);
    if (r->shown)
        fputc('\n', stderr);
    return rc ? unreadable(r, label, rc, &e) : load_unpacked(r, fd, name, label, unpacked);
}

/* What the member's first block says: its format, or NULL. A member named .csv that no format
 * recognises is still data: loading it gives the loose file's "unknown file layout" error. */
static int recognise(struct run *r, int fd, const char *name, const char *label,
                     const struct tr_format **fmt, int *data, struct tr_err *e)
{
    int rc = tr_import_detect(fd, label, last_component(name), fmt, e);
    if (rc)
        return rc;
    int csv = ends_with_ci(name, ".csv");
    if (r->o->format && strcmp(r->o->format, "auto") != 0 && (*fmt || csv))
        *fmt = tr_format_find(r->o->format);
    *data = *fmt != NULL || csv;
    return TR_OK;
}

static int remember(struct run *r, enum member_state s)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        unsigned char *p = realloc(r->state, cap);
        if (!p)
            return TR_ENOMEM;
        r->state = p;
        r->cap = cap;
    }
    r->state[r->n++] = (unsigned char)s;
    return TR_OK;
}

/* Pass one for one member: refused, skipped, loaded now (reference data) or kept for pass
 * two. */
static int first_look(struct run *r, const char *name, const char *label, int *keep)
{
    struct tr_err e;
    const char *why;
    const struct tr_format *fmt = NULL;
    int fd = -1, complete, data = 0, rc;
    tr_err_init(&e);
    *keep = 0;
    if (!tr_archive_name_ok(name, &why)) {
        tr_err_set(&e, TR_EINPUT, "%s: member name with %s: refused (nothing of it is read)",
                   label, why);
        note(r, label, TR_MEMBER_FAILED, NULL, &e);
        return TR_OK;
    }
    if ((rc = tr_archive_memfd(&fd, &e)))
        return stop(r, &e, rc);
    rc = tr_archive_fill(r->a, fd, PEEK, label, r->l, NULL, NULL, &complete, &e);
    if (!rc)
        rc = recognise(r, fd, name, label, &fmt, &data, &e);
    if (rc == TR_EINPUT)
        note(r, label, TR_MEMBER_FAILED, NULL, &e);
    else if (rc)
        stop(r, &e, rc);
    else if (!data)
        note(r, label, TR_MEMBER_SKIPPED, NULL, NULL);
    else if (fmt && strcmp(fmt->source, "reference") == 0)
        rc = load_member(r, fd, name, label);
    else
        *keep = 1;
    close(fd);
    return rc == TR_EINPUT ? TR_OK : rc;
}

typedef int (*member_step)(struct run *r, size_t idx, const char *name, const char *label);

/* Runs step on each member of the archive, in order. */
static int each_member(struct run *r, member_step step)
{
    for (size_t idx = 0; idx < r->stop_at; idx++) {
        const char *name;
        struct tr_err e;
        tr_err_init(&e);
        int rc = tr_archive_next(r->a, &name, &e);
        if (rc) /* a damaged directory: the rest cannot be read */
            return unreadable(r, r->path, rc, &e);
        if (!name)
            return TR_OK;
        char *label = tr_archive_member_label(r->path, name);
        if (!label)
            return tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
        rc = step(r, idx, name, label);
        free(label);
        if (rc)
            return rc;
    }
    return TR_OK;
}

static int pass_one(struct run *r, size_t idx, const char *name, const char *label)
{
    (void)idx;
    int keep = 0;
    int rc = first_look(r, name, label, &keep);
    if (!rc && remember(r, keep ? MEMBER_DATA : MEMBER_SEEN))
        rc = tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
    return rc;
}

static int pass_two(struct run *r, size_t idx, const char *name, const char *label)
{
    if (idx >= r->n || r->state[idx] != MEMBER_DATA)
        return TR_OK;
    int fd = -1;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_archive_memfd(&fd, &e);
    if (rc)
        return stop(r, &e, rc);
    rc = load_member(r, fd, name, label);
    close(fd);
    return rc;
}

static int wanted_in_pass_two(void *ctx, size_t idx)
{
    const struct run *r = ctx;
    return idx < r->n && r->state[idx] == MEMBER_DATA;
}

/* On a terminal: the member the helper unpacked (after the first, beside the load before it)
 * and the archive's progress: its compressed bytes up to the member before this one are
 * loaded, so the time they took says roughly how long the rest will take. */
static void show_unpacked(const struct run *r, const struct tr_prefetched *m, long long loaded,
                          int first)
{
    double el = tr_clock_seconds() - r->began;
    double size = (double)m->archive_size, part = size > 0 ? (double)loaded / size : 0;
    fprintf(stderr, "%s: %.0f MB unpacked in %.1f s (%.0f MB/s)%s; %.0f%% of the archive loaded",
            m->label, (double)m->bytes / 1e6, m->seconds,
            m->seconds > 0 ? (double)m->bytes / 1e6 / m->seconds : 0,
            first ? "" : " beside the last load", 100.0 * part);
    if (part > 0)
        fprintf(stderr, ", about %.0f s left", el * (1 - part) / part);
    fputc('\n', stderr);
}

/* Pass two with the data members unpacked one ahead by the helper: each member's outcome
 * (a CRC error, a bomb refused) is told in archive order, as in pass_two. */
static int pass_two_prefetched(struct run *r)
{
    struct tr_prefetch *p = r->prefetch;
    int rc = TR_OK;
    long long loaded = 0; /* compressed bytes up to the end of the last member loaded */
    for (int first = 1;; first = 0) {
        struct tr_prefetched m;
        tr_prefetch_take(p, &m);
        if (m.end) { /* with rc, a damaged directory: the rest cannot be read */
            rc = m.rc ? unreadable(r, r->path, m.rc, &m.e) : TR_OK;
            break;
        }
        if (m.rc)
            rc = unreadable(r, m.label, m.rc, &m.e);
        else {
            if (r->o->progress)
                show_unpacked(r, &m, loaded, first);
            rc = load_unpacked(r, m.fd, m.name, m.label, m.seconds);
        }
        if (m.archive_done > loaded)
            loaded = m.archive_done;
        tr_prefetch_allow_next(p); /* the member failed or was loaded before: no rows read */
        tr_prefetch_done(&m);
        if (rc)
            break;
    }
    tr_prefetch_stop(p);
    r->prefetch = NULL;
    return rc;
}

/* Pass two, on a helper thread's unpacks when that pays, else member by member here. */
static int run_pass_two(struct run *r)
{
    size_t data = 0;
    for (size_t i = 0; i < r->stop_at; i++)
        data += r->state[i] == MEMBER_DATA;
    struct tr_err no_thread;
    tr_err_init(&no_thread);
    if (tr_prefetch_worth(tr_archive_bytes(r->a), data) &&
        tr_prefetch_start(r->a, r->path, r->l, r->stop_at, wanted_in_pass_two, r, &r->prefetch,
                          &no_thread) == TR_OK)
        return pass_two_prefetched(r);
    return each_member(r, pass_two);
}

int tr_import_archive(sqlite3 *db, const char *path, const struct tr_import_opts *o,
                      const struct tr_archive_limits *l, tr_member_fn fn, void *ctx,
                      struct tr_import_result *total, struct tr_err *e)
{
    memset(total, 0, sizeof(*total));
    total->status = TR_LOAD_ALREADY;
    snprintf(total->format, sizeof(total->format), "archive");
    const char *slash = strrchr(path, '/');
    struct run r = {.db = db,
                    .began = tr_clock_seconds(),
                    .path = path,
                    .base = slash ? slash + 1 : path,
                    .o = o,
                    .l = l,
                    .fn = fn,
                    .ctx = ctx,
                    .total = total,
                    .e = e};
    int rc = tr_archive_open(path, &r.a, e);
    if (rc) {
        total->status = TR_LOAD_FAILED;
        if (rc == TR_EINPUT)
            fn(ctx, path, TR_MEMBER_FAILED, NULL, e);
        return rc;
    }
    total->file = *tr_archive_file_id(r.a);
    r.stop_at = SIZE_MAX;
    rc = each_member(&r, pass_one);
    for (r.stop_at = r.n; r.stop_at > 0 && r.state[r.stop_at - 1] != MEMBER_DATA;)
        r.stop_at--; /* pass two ends with the last data member */
    if (!rc && r.stop_at && !(rc = tr_archive_rewind(r.a, e)))
        rc = run_pass_two(&r);
    tr_archive_close(r.a);
    free(r.state);
    if (!rc && r.failed)
        rc = TR_EINPUT;
    if (rc && total->status != TR_LOAD_COMMITTED)
        total->status = TR_LOAD_FAILED;
    return rc;
}

int tr_import_record_member(sqlite3 *db, long load_id, const struct tr_import_member *m,
                            struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int s = sqlite3_prepare_v2(db,
                               "INSERT INTO load_archive (load_id, archive_name, "
                               "archive_sha256, archive_bytes, member_name) VALUES (?,?,?,?,?)",
                               -1, &st, NULL);
    if (s == SQLITE_OK) {
        s = sqlite3_bind_int64(st, 1, load_id);
        s |= sqlite3_bind_text(st, 2, m->archive, -1, SQLITE_TRANSIENT);
        s |= sqlite3_bind_text(st, 3, m->archive_sha256, -1, SQLITE_TRANSIENT);
        s |= sqlite3_bind_int64(st, 4, m->archive_bytes);
        s |= sqlite3_bind_text(st, 5, m->member, -1, SQLITE_TRANSIENT);
        if (s == SQLITE_OK) /* TRANSIENT binds copy: they can run out of memory */
            s = sqlite3_step(st);
        else
            s = SQLITE_NOMEM;
    }
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return TR_OK;
    return tr_err_set(e, s == SQLITE_NOMEM ? TR_ENOMEM : TR_EIO,
                      "database error recording "
                      "where '%s' came from: %s",
                      m->label, sqlite3_errmsg(db));
}
