/*
 * Streaming CSV records through libcsv with what diagnostics need: the physical line and byte
 * offset where each record starts and its raw text. BOM stripped, CRLF/CR/LF accepted, UTF-8
 * checked line by line or Windows-1252 converted to UTF-8 on the fly. Memory does not grow with
 * the file: a record longer than the limit fails the read.
 * Ownership: a struct tr_csv_record and everything it points to lives only during the callback.
 */
#ifndef TR_CSVREAD_H
#define TR_CSVREAD_H

#include <stddef.h>

#include "tr/err.h"
#include "tr/input.h"

struct tr_csv_record {
    size_t n;             /* number of fields */
    const char *const *f; /* NUL-terminated fields; NULL for an empty unquoted field */
    const size_t *len;    /* field lengths (0 for NULL fields) */
    long line;            /* 1-based physical line where the record starts */
    long long offset;     /* byte offset of that line in the file */
    const char *raw;      /* the record's text as read (UTF-8), without the line end;
                                 invalid bytes shown as U+FFFD */
    size_t raw_len;
    int bad_encoding;     /* a UTF-8 file's record with invalid bytes (reject the row) */
    long long bad_offset; /* the file offset of its first invalid byte */
};

/* Returns TR_OK to go on; anything else stops the read and is returned by tr_csv_read. */
typedef int (*tr_csv_record_fn)(void *ctx, const struct tr_csv_record *rec, struct tr_err *e);

#define TR_CSV_MAX_RECORD (1u << 20) /* default record limit: 1 MiB */

struct tr_csv_opts {
    int cp1252;        /* decode Windows-1252 to UTF-8; else check UTF-8 */
    size_t max_record; /* a longer record fails the read (0 = TR_CSV_MAX_RECORD) */
    /* Called after each chunk with bytes done; may be NULL. */
    void (*progress)(void *ctx, long long bytes_done);
};

/* Reads the file open on fd (from offset 0, by pread) record by record; path names it in
 * messages. Structural errors (unterminated quote, stray quote, a final record cut short by
 * the end of the file, a record longer than the limit) fail with TR_EINPUT and the line; SIGINT
 * or SIGTERM stops it with TR_EFAIL. The header is delivered as the first record like any
 * other. *ended_with_newline tells whether the file's last byte was a line end (for truncation
 * checks by the caller). */
int tr_csv_read(int fd, const char *path, const struct tr_csv_opts *o, tr_csv_record_fn fn,
                void *ctx, int *ended_with_newline, struct tr_err *e);

#define TR_CSV_RAW_KEEP 4096 /* bytes of a record's raw text kept */

/* The record starting at byte offset of the file open on fd, as tr_csv_read gives its raw
 * text: its physical lines (more than one where a quoted field goes on) without their line
 * ends, joined by "\n", converted from Windows-1252 when cp1252, cut to n - 1 bytes on a
 * character; "" and TR_EIO when unreadable. Rows waiting to be inserted keep only their
 * offset: a duplicate's text is read back. */
int tr_csv_raw_at(int fd, long long offset, int cp1252, char *out, size_t n);

#endif
