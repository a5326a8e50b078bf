/*
 * The one radix sort of the load: records that begin with a non-negative int64_t key, put in
 * key order by a stable LSD sort over 11-bit digits of (key - smallest key), skipping the
 * digits every record shares (a chunk's or a run's keys differ only in their low bits: source,
 * year and month are usually one). Stable, so equal keys keep their arrival order.
 * Used by the chunk sort (factfeed.c, 40-byte rows) and the external sort's runs (factsort.c,
 * 16-byte entries). static inline so that each caller's record size is a constant and the
 * record copies compile to moves, not calls to memcpy.
 * Ownership: the caller owns rows and tmp (as large as rows); nothing is allocated.
 */
#ifndef TR_RADIXSORT_H
#define TR_RADIXSORT_H

#include <stdint.h>
#include <string.h>

#define TR_RADIX_BITS 11
#define TR_RADIX (1u << TR_RADIX_BITS)

static inline uint64_t tr_radix_key(const unsigned char *rec)
{
    int64_t k;
    memcpy(&k, rec, sizeof(k));
    return (uint64_t)k; /* keys are never negative: their unsigned order is their order */
}

/* Sorts n records of size bytes; returns the array that holds them in order: rows or tmp. */
static inline void *tr_radix_sort(void *rows, size_t n, size_t size, void *tmp)
{
    unsigned char *src = rows, *dst = tmp;
    if (n < 2)
        return rows;
    uint64_t min = tr_radix_key(src), max = min;
    for (size_t i = 1; i < n; i++) {
        uint64_t k = tr_radix_key(src + i * size);
        min = k < min ? k : min;
        max = k > max ? k : max;
    }
    uint64_t span = max - min;
    for (unsigned shift = 0; shift < 64 && (span >> shift) != 0; shift += TR_RADIX_BITS) {
        size_t start[TR_RADIX] = {0};
        for (size_t i = 0; i < n; i++)
            start[((tr_radix_key(src + i * size) - min) >> shift) & (TR_RADIX - 1)]++;
        if (start[((tr_radix_key(src) - min) >> shift) & (TR_RADIX - 1)] == n)
            continue; /* one digit for every record: this pass would move nothing */
        for (size_t d = 0, at = 0; d < TR_RADIX; d++) {
            size_t c = start[d];
            start[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t to = start[((tr_radix_key(src + i * size) - min) >> shift) & (TR_RADIX - 1)]++;
            memcpy(dst + to * size, src + i * size, size);
        }
        unsigned char *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

#endif
