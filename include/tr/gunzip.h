/*
 * A gzip stream (RFC 1952) read through zlib from a file descriptor: every member's CRC-32 and
 * length are checked by zlib, concatenated members are read on, and data that is neither a
 * member nor the end is an error. The archive reader's .gz half (archive.c).
 * Ownership: tr_gunzip_open returns a reader the caller frees with tr_gunzip_free; the
 * descriptor stays the caller's.
 */
#ifndef TR_GUNZIP_H
#define TR_GUNZIP_H

#include <stddef.h>

#include "tr/err.h"

struct tr_gunzip;

/* A reader of the gzip data open on fd, from offset 0 (pread). TR_ENOMEM when out of memory. */
int tr_gunzip_open(int fd, struct tr_gunzip **out, struct tr_err *e);
void tr_gunzip_free(struct tr_gunzip *g);

/* Up to n bytes of the uncompressed stream into buf: the count, 0 at its end, or -1 with e
 * set (TR_EINPUT for damaged, truncated or non-gzip data, naming label; TR_EIO). */
long tr_gunzip_read(struct tr_gunzip *g, void *buf, size_t n, const char *label,
                    struct tr_err *e);

/* Compressed bytes consumed so far. */
long long tr_gunzip_consumed(const struct tr_gunzip *g);

#endif
