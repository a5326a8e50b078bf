/*
 * Input files: opened once, checked to be regular files without ever blocking, and scanned
 * (sha256, gzip/NUL/encoding facts) through the same descriptor the parser reads, so the bytes
 * hashed are the bytes parsed. The identity taken at open lets a caller see that the file, or
 * the name it came under, changed afterwards.
 * Ownership: the caller owns the descriptor tr_input_open returns and closes it.
 */
#ifndef TR_INPUT_H
#define TR_INPUT_H

#include "tr/err.h"

/* What a file was when it was opened (fstat): enough to tell it from any other file or from
 * itself after a write. */
struct tr_file_id {
    unsigned long long dev, ino;
    long long size;
    long long mtime_sec, mtime_nsec;
};

/* Refuses, without opening it, a path that names anything but a regular file (FIFO, device,
 * directory, socket): TR_EINPUT. A path that cannot be stat'ed is left to tr_input_open (TR_OK):
 * the import reports it as before. For commands, before they take the writer lock. */
int tr_input_check(const char *path, struct tr_err *e);

/* Opens path for reading with O_NONBLOCK (a FIFO never blocks the open), refuses anything but a
 * regular file (TR_EINPUT), then clears O_NONBLOCK. *fd and *id on success; TR_EIO when the file
 * cannot be opened. */
int tr_input_open(const char *path, int *fd, struct tr_file_id *id, struct tr_err *e);

/* TR_OK when the file open on fd still has the size and mtime of id; else TR_EINPUT
 * "changed while it was being read". */
int tr_input_unchanged(int fd, const char *path, const struct tr_file_id *id, struct tr_err *e);

/* 1 when the name path (not followed if a symlink) is still the file id describes: same device,
 * inode, size and mtime. */
int tr_input_same(const char *path, const struct tr_file_id *id);

/* Reads up to n bytes at offset (pread, retried on EINTR): shared by threads reading one
 * descriptor. Returns the bytes read, 0 at the end, -1 with errno. */
long tr_input_read_at(int fd, void *buf, unsigned long n, long long offset);

/* Facts gathered in one pass over a file before parsing it. */
struct tr_file_scan {
    char sha256[65];
    long long bytes;
    int gzip;                 /* starts with the gzip magic number */
    int bom;                  /* starts with a UTF-8 byte order mark */
    int utf16;                /* UTF-16 text: 'L' or 'B' (byte order), by BOM or NUL pattern */
    int valid_utf8;           /* no invalid UTF-8 anywhere */
    long long utf8_multibyte; /* well-formed multi-byte UTF-8 sequences (the BOM counts) */
    long long first_nul;      /* offset of the first NUL byte, -1 if none */
    long nul_line;            /* its line */
    long long first_bad_utf8; /* offset of the first invalid UTF-8 sequence, -1 if none */
    long bad_utf8_line;
};

/* The scan of the file open on fd, from its first byte to its end (pread: the descriptor's
 * offset is not used, another thread may parse through it meanwhile). Stops with TR_EFAIL
 * when SIGINT or SIGTERM arrives (tr_signal_caught). */
int tr_file_scan(int fd, const char *path, struct tr_file_scan *s, struct tr_err *e);

/* The encoding rule: a file with a BOM or any well-formed multi-byte UTF-8 sequence is UTF-8
 * (its lines with invalid bytes are rejected); a file with high bytes and none of those is
 * Windows-1252. */
static inline int tr_file_scan_cp1252(const struct tr_file_scan *s)
{
    return !s->valid_utf8 && !s->bom && s->utf8_multibyte == 0;
}

#endif
