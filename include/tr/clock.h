/*
 * The monotonic clock in seconds, for the import's account of where its time went.
 */
#ifndef TR_CLOCK_H
#define TR_CLOCK_H

#include <time.h>

static inline double tr_clock_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A CLOCK_MONOTONIC reading taken earlier, in the same seconds. */
static inline double tr_clock_at(const struct timespec *t)
{
    return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

#endif
