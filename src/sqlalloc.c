/*
 * A pool allocator for SQLite. Debian's SQLite is built with SQLITE_OMIT_LOOKASIDE, so every
 * node of every parse tree goes to malloc: preparing the claim-check view makes about 100,000
 * small allocations and frees, and glibc's malloc took a third of the instructions. Here a
 * block of up to 1 KiB comes off a free list of its size class (16-byte steps), refilled from
 * 64 KiB chunks; a freed block goes back onto a list of its class. Larger blocks (page cache,
 * statement programs) go to malloc. Each thread has its own lists, so the common path takes
 * no lock; a thread's lists are handed on to the next new thread when it exits. Every chunk
 * is returned to the system when SQLite shuts down. Not an allocator for anything but SQLite.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tr/sqlalloc.h"

#define STEP 16
#define SMALL_MAX 1024                 /* largest pooled payload */
#define N_CLASS (SMALL_MAX / STEP)
#define CHUNK (64 * 1024)
#define HDR 8                          /* payload size before each block; keeps 8-byte alignment */

struct chunk {                         /* a 64 KiB piece of memory, cut into blocks */
    struct chunk *next;
    uint64_t pad;                      /* the first block starts 16 bytes in */
};

struct cache {                         /* one thread's free blocks */
    void *free_list[N_CLASS + 1];      /* by class: payload / STEP */
    char *bump, *bump_end;             /* unused space in the newest chunk */
    struct cache *next;                /* in the list of all caches */
    int in_use;                        /* a live thread owns it */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct chunk *chunks;           /* every chunk, for the shutdown */
static struct cache *caches;           /* every cache, owned or spare */
static unsigned generation = 1;        /* bumped by each shutdown: older caches are gone */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static _Thread_local struct cache *my_cache;
static _Thread_local unsigned my_generation;

/* At thread exit the cache becomes a spare for the next thread; a block freed later in the
 * exit takes a cache of its own again. */
static void release_cache(void *c)
{
    my_cache = NULL;
    pthread_mutex_lock(&lock);
    ((struct cache *)c)->in_use = 0;
    pthread_mutex_unlock(&lock);
}

static void make_exit_key(void)
{
    pthread_key_create(&exit_key, release_cache);
}

static struct cache *cache_of_this_thread(void)
{
    if (my_cache && my_generation == generation)
        return my_cache;
    pthread_once(&exit_key_once, make_exit_key);
    pthread_mutex_lock(&lock);
    struct cache *c = caches;
    while (c && c->in_use)
        c = c->next;
    if (!c && (c = calloc(1, sizeof(*c)))) {
        c->next = caches;
        caches = c;
    }
    if (c)
        c->in_use = 1;
    unsigned g = generation;
    pthread_mutex_unlock(&lock);
    if (c) {
        pthread_setspecific(exit_key, c);
        my_cache = c;
        my_generation = g;
    }
    return c;
}

static struct chunk *new_chunk(void)
{
    struct chunk *k = malloc(CHUNK);
    if (!k)
        return NULL;
    pthread_mutex_lock(&lock);
    k->next = chunks;
    chunks = k;
    pthread_mutex_unlock(&lock);
    return k;
}

static size_t round_small(size_t n)
{
    return n ? (n + STEP - 1) / STEP * STEP : STEP;
}

static uint64_t *header(void *p)
{
    return (uint64_t *)((char *)p - HDR);
}

/* A block of payload SIZE (a multiple of STEP, <= SMALL_MAX). */
static void *take_small(size_t size)
{
    struct cache *c = cache_of_this_thread();
    if (!c)
        return NULL;
    size_t cls = size / STEP;
    void *p = c->free_list[cls];
    if (p) {
        c->free_list[cls] = *(void **)p;
        return p;
    }
    if ((size_t)(c->bump_end - c->bump) < HDR + size) {
        struct chunk *k = new_chunk();
        if (!k)
            return NULL;
        c->bump = (char *)(k + 1);
        c->bump_end = (char *)k + CHUNK;
    }
    *(uint64_t *)c->bump = size;
    p = c->bump + HDR;
    c->bump += HDR + size;
    return p;
}

static void *pool_malloc(int n)
{
    if (n <= 0)
        return NULL;
    size_t size = (size_t)n;
    if (size <= SMALL_MAX)
        return take_small(round_small(size));
    uint64_t *h = malloc(HDR + size);
    if (!h)
        return NULL;
    *h = size;
    return h + 1;
}

static void pool_free(void *p)
{
    if (!p)
        return;
    uint64_t size = *header(p);
    struct cache *c = size <= SMALL_MAX ? cache_of_this_thread() : NULL;
    if (!c) {
        /* a large block; or, with no cache to be had, a small one stays unused */
        if (size > SMALL_MAX)
            free(header(p));
        return;
    }
    *(void **)p = c->free_list[size / STEP];
    c->free_list[size / STEP] = p;
}

static int pool_size(void *p)
{
    return p ? (int)*header(p) : 0;
}

static int pool_roundup(int n)
{
    if (n > SMALL_MAX)
        return (n + 7) & ~7;
    return (int)round_small((size_t)(n > 0 ? n : 0));
}

static void *pool_realloc(void *p, int n)
{
    if (!p)
        return pool_malloc(n);
    size_t old = *header(p), want = (size_t)pool_roundup(n);
    if (want == old)
        return p;
    if (old > SMALL_MAX && want > SMALL_MAX) {
        uint64_t *h = realloc(header(p), HDR + want);
        if (!h)
            return NULL;
        *h = want;
        return h + 1;
    }
    void *q = pool_malloc((int)want);
    if (!q)
        return NULL;
    memcpy(q, p, old < want ? old : want);
    pool_free(p);
    return q;
}

static int pool_init(void *app)
{
    (void)app;
    return SQLITE_OK;
}

/* SQLite has freed everything it allocated: chunks and caches go back to the system, and
 * threads that still point at a cache take a new one (generation). */
static void pool_shutdown(void *app)
{
    (void)app;
    pthread_mutex_lock(&lock);
    while (chunks) {
        struct chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
    while (caches) {
        struct cache *next = caches->next;
        free(caches);
        caches = next;
    }
    generation++;
    pthread_mutex_unlock(&lock);
}

int tr_sqlalloc_install(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#if defined(__SANITIZE_ADDRESS__)
    return SQLITE_OK;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
    return SQLITE_OK;
#endif
#endif
    const char *env = getenv("TR_SQLITE_MALLOC");
    if (env && strcmp(env, "system") == 0)
        return SQLITE_OK;
    static const sqlite3_mem_methods methods = {
        pool_malloc, pool_free, pool_realloc, pool_size, pool_roundup, pool_init,
        pool_shutdown, NULL,
    };
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
