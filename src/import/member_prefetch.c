/*
 * Archive members unpacked one ahead of their load (see tr/member_prefetch.h). One slot
 * between the helper and the caller: the helper waits until it may unpack the next member,
 * fills it, waits until the slot is free and hands it over; the caller takes members in
 * archive order. mx guards the slot, the counts and the quit flag; the archive is the
 * helper's alone.
 */
#include "tr/member_prefetch.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/clock.h"

/* Below this the unpack takes a few milliseconds: not worth a thread (the same threshold as
 * the scan beside the parse). */
#define PREFETCH_MIN_ARCHIVE (4LL << 20)

struct tr_prefetch {
    pthread_t thread;
    pthread_mutex_t mx;
    pthread_cond_t cv;
    struct tr_archive *a;
    const char *path;
    const struct tr_archive_limits *l;
    size_t stop_at;
    tr_prefetch_wanted_fn wanted;
    void *ctx;
    struct tr_prefetched slot;
    int full, quit;
    size_t taken, allowed; /* members taken; the helper may unpack member number allowed */
    long long member_bytes, done, size; /* the fill in hand, as the reader reports it */
};

int tr_prefetch_worth(long long archive_bytes, size_t data_members)
{
    const char *force = getenv("TR_ARCHIVE_PREFETCH");
    if (data_members < 2)
        return 0;
    if (force && *force)
        return strcmp(force, "0") != 0;
    return archive_bytes >= PREFETCH_MIN_ARCHIVE;
}

static void note_position(void *ctx, long long member_bytes, long long done, long long size)
{
    struct tr_prefetch *p = ctx;
    p->member_bytes = member_bytes;
    p->done = done;
    p->size = size;
}

void tr_prefetch_done(struct tr_prefetched *m)
{
    if (m->fd >= 0)
        close(m->fd);
    free(m->name);
    free(m->label);
    m->fd = -1;
    m->name = m->label = NULL;
}

static void empty_member(struct tr_prefetched *m)
{
    memset(m, 0, sizeof(*m));
    m->fd = -1;
    tr_err_init(&m->e);
}

/* Hands m over once the slot is free; 0 (and m freed) when the caller stopped the helper. */
static int put(struct tr_prefetch *p, struct tr_prefetched *m)
{
    pthread_mutex_lock(&p->mx);
    while (p->full && !p->quit)
        pthread_cond_wait(&p->cv, &p->mx);
    int handed = !p->quit;
    if (handed) {
        p->slot = *m;
        p->full = 1;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mx);
    if (!handed)
        tr_prefetch_done(m);
    return handed;
}

static int quitting(struct tr_prefetch *p)
{
    pthread_mutex_lock(&p->mx);
    int q = p->quit;
    pthread_mutex_unlock(&p->mx);
    return q;
}

/* Waits until member number q (counting wanted members) may be unpacked; 0 when stopped. */
static int may_unpack(struct tr_prefetch *p, size_t q)
{
    pthread_mutex_lock(&p->mx);
    while (q > p->allowed && !p->quit)
        pthread_cond_wait(&p->cv, &p->mx);
    int go = !p->quit;
    pthread_mutex_unlock(&p->mx);
    return go;
}

/* The current member into a new memory file; m->rc says how it went. */
static void unpack(struct tr_prefetch *p, const char *name, struct tr_prefetched *m)
{
    m->name = strdup(name);
    m->label = tr_archive_member_label(p->path, name);
    if (!m->name || !m->label) {
        m->rc = tr_err_set(&m->e, TR_ENOMEM, "out of memory reading '%s'", p->path);
        return;
    }
    double t0 = tr_clock_seconds();
    int complete = 0;
    p->member_bytes = 0;
    m->rc = tr_archive_memfd(&m->fd, &m->e);
    if (!m->rc)
        m->rc = tr_archive_fill(p->a, m->fd, LLONG_MAX, m->label, p->l, note_position, p,
                                &complete, &m->e);
    m->seconds = tr_clock_seconds() - t0;
    m->bytes = p->member_bytes;
    m->archive_done = p->done;
    m->archive_size = p->size;
    if (m->rc && m->fd >= 0) {
        close(m->fd);
        m->fd = -1;
    }
}

static void *helper_main(void *arg)
{
    struct tr_prefetch *p = arg;
    struct tr_prefetched m;
    size_t q = 0; /* wanted members unpacked */
    empty_member(&m);
    for (size_t idx = 0; idx < p->stop_at && !quitting(p); idx++) {
        const char *name = NULL;
        empty_member(&m);
        m.rc = tr_archive_next(p->a, &name, &m.e);
        if (m.rc || !name)
            break; /* the end, or a damaged directory: the end marker says which */
        if (!p->wanted(p->ctx, idx))
            continue;
        if (!may_unpack(p, q++))
            return NULL;
        unpack(p, name, &m);
        int fatal = m.rc && m.rc != TR_EINPUT; /* I/O, memory, a signal: the caller stops */
        if (!put(p, &m) || fatal)
            return NULL;
        empty_member(&m);
    }
    m.end = 1;
    put(p, &m);
    return NULL;
}

int tr_prefetch_start(struct tr_archive *a, const char *path, const struct tr_archive_limits *l,
                      size_t stop_at, tr_prefetch_wanted_fn wanted, void *ctx,
                      struct tr_prefetch **out, struct tr_err *e)
{
    struct tr_prefetch *p = calloc(1, sizeof(*p));
    if (!p)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    *p = (struct tr_prefetch){.a = a,
                              .path = path,
                              .l = l,
                              .stop_at = stop_at,
                              .wanted = wanted,
                              .ctx = ctx};
    p->slot.fd = -1;
    pthread_mutex_init(&p->mx, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, helper_main, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mx);
        free(p);
        return tr_err_set(e, TR_EIO, "cannot start a thread to unpack '%s'", path);
    }
    *out = p;
    return TR_OK;
}

void tr_prefetch_take(struct tr_prefetch *p, struct tr_prefetched *m)
{
    pthread_mutex_lock(&p->mx);
    while (!p->full)
        pthread_cond_wait(&p->cv, &p->mx);
    *m = p->slot;
    p->full = 0;
    if (!m->end)
        p->taken++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mx);
}

void tr_prefetch_allow_next(struct tr_prefetch *p)
{
    pthread_mutex_lock(&p->mx);
    if (p->allowed < p->taken) {
        p->allowed = p->taken;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mx);
}

void tr_prefetch_stop(struct tr_prefetch *p)
{
    pthread_mutex_lock(&p->mx);
    p->quit = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mx);
    pthread_join(p->thread, NULL);
    if (p->full)
        tr_prefetch_done(&p->slot);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mx);
    free(p);
}
