/*
 * SQLite's pool allocator (src/sqlalloc.c), which the runner installs as the tool does: every
 * block size keeps its contents while others come and go, sizes and alignment are as SQLite
 * requires, realloc keeps the bytes across the small/large boundary, and blocks allocated on
 * one thread and freed on another (as the writer thread does) stay whole.
 */
#include "tr_test.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "tr/sqlalloc.h"

#define N_BLOCKS 2100

static unsigned char pattern(size_t block, size_t byte)
{
    return (unsigned char)(block * 31 + byte * 7 + 1);
}

static void fill(unsigned char *p, size_t block, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = pattern(block, i);
}

static int intact(const unsigned char *p, size_t block, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != pattern(block, i))
            return 0;
    return 1;
}

TR_TEST(sqlalloc_every_size_keeps_its_bytes)
{
    static unsigned char *blocks[N_BLOCKS];
    for (int round = 0; round < 3; round++) {
        for (size_t i = 1; i < N_BLOCKS; i++) {   /* sizes 1 .. 2099: small and large */
            blocks[i] = sqlite3_malloc((int)i);
            TR_CHECK(blocks[i] != NULL);
            TR_CHECK(((uintptr_t)blocks[i] & 7) == 0);
            TR_CHECK(sqlite3_msize(blocks[i]) >= i);
            TR_CHECK_INT(sqlite3_msize(blocks[i]), sqlite3_msize(blocks[i]));
            fill(blocks[i], i, i);
        }
        for (size_t i = 1; i < N_BLOCKS; i += 2) {   /* free every other one, then reuse */
            sqlite3_free(blocks[i]);
            blocks[i] = sqlite3_malloc((int)i);
            TR_CHECK(blocks[i] != NULL);
            fill(blocks[i], i, i);
        }
        for (size_t i = 1; i < N_BLOCKS; i++) {
            if (!intact(blocks[i], i, i))
                TR_CHECK_INT(i, 0);   /* names the block that was overwritten */
            sqlite3_free(blocks[i]);
        }
    }
}

TR_TEST(sqlalloc_realloc_keeps_bytes_across_sizes)
{
    static const int sizes[] = {1, 15, 16, 17, 500, 1024, 1025, 5000, 1024, 40, 3, 70000, 8};
    unsigned char *p = sqlite3_malloc(sizes[0]);
    TR_CHECK(p != NULL);
    fill(p, 5, (size_t)sizes[0]);
    for (size_t i = 1; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t keep = (size_t)(sizes[i - 1] < sizes[i] ? sizes[i - 1] : sizes[i]);
        p = sqlite3_realloc(p, sizes[i]);
        TR_CHECK(p != NULL);
        TR_CHECK(sqlite3_msize(p) >= (sqlite3_uint64)sizes[i]);
        TR_CHECK(intact(p, 5, keep));
        fill(p, 5, (size_t)sizes[i]);
    }
    sqlite3_free(p);
    TR_CHECK(sqlite3_realloc(NULL, 0) == NULL);
    sqlite3_free(NULL);
}

struct handover {
    unsigned char **blocks;
    size_t n;
};

static void *allocate_blocks(void *arg)
{
    struct handover *h = arg;
    for (size_t i = 0; i < h->n; i++) {
        size_t size = 1 + i % 1100;
        h->blocks[i] = sqlite3_malloc((int)size);
        if (h->blocks[i])
            fill(h->blocks[i], i, size);
    }
    return NULL;
}

static void *free_blocks(void *arg)
{
    struct handover *h = arg;
    for (size_t i = 0; i < h->n; i++)
        sqlite3_free(h->blocks[i]);
    return NULL;
}

TR_TEST(sqlalloc_blocks_cross_threads)
{
    enum { N = 20000 };
    unsigned char **a = calloc(N, sizeof(*a)), **b = calloc(N, sizeof(*b)),
                  **c = calloc(N, sizeof(*c));
    TR_CHECK(a && b && c);
    struct handover ha = {a, N}, hb = {b, N}, hc = {c, N};
    pthread_t t1, t2;
    /* two threads allocate at once and exit (their free lists go to the next thread); one
     * more frees the first one's blocks while this thread allocates: every block still held
     * keeps its bytes */
    TR_CHECK(pthread_create(&t1, NULL, allocate_blocks, &ha) == 0);
    TR_CHECK(pthread_create(&t2, NULL, allocate_blocks, &hb) == 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    TR_CHECK(pthread_create(&t1, NULL, free_blocks, &ha) == 0);
    allocate_blocks(&hc);
    pthread_join(t1, NULL);
    TR_CHECK(pthread_create(&t2, NULL, allocate_blocks, &ha) == 0);
    pthread_join(t2, NULL);
    int ok = 1;
    for (size_t i = 0; i < N; i++) {
        size_t size = 1 + i % 1100;
        ok = ok && a[i] && b[i] && c[i] && intact(a[i], i, size) && intact(b[i], i, size) &&
             intact(c[i], i, size);
    }
    for (size_t i = 0; i < N; i++) {
        sqlite3_free(a[i]);
        sqlite3_free(b[i]);
        sqlite3_free(c[i]);
    }
    free(a);
    free(b);
    free(c);
    TR_CHECK(ok);
}
