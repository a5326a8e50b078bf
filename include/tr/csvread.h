/*
 * Streaming CSV records through libcsv with what diagnostics need: the physical line and byte
 * offset where each record starts and its raw text. BOM stripped, CRLF/CR/LF accepted, Latin-1
 * input converted to UTF-8 on the fly. Memory does not grow with the file.
 * Ownership: a struct tr_csv_record and everything it points to lives only during the callback.
 */
#ifndef TR_CSVREAD_H
#define TR_CSVREAD_H

#include <stddef.h>

#include "tr/err.h"

struct tr_csv_record {
    size_t n;                 /* number of fields */
    const char *const *f;     /* NUL-terminated fields; NULL for an empty unquoted field */
    const size_t *len;        /* field lengths (0 for NULL fields) */
    long line;                /* 1-based physical line where the record starts */
    long long offset;         /* byte offset of that line in the file */
    const char *raw;          /* the record's text as read (UTF-8), without the line end */
    size_t raw_len;
    int long_field;           /* a field exceeded the limit and was cut (reject the row) */
};

/* Returns TR_OK to go on; anything else stops the read and is returned by tr_csv_read. */
typedef int (*tr_csv_record_fn)(void *ctx, const struct tr_csv_record *rec, struct tr_err *e);

struct tr_csv_opts {
    int latin1;               /* convert bytes >= 0x80 from Latin-1 to UTF-8 */
    size_t max_field;         /* longer fields are cut and flagged (0 = 1 MiB) */
    /* Called after each chunk with bytes done; may be NULL. */
    void (*progress)(void *ctx, long long bytes_done);
};

/* Reads path record by record. Structural errors (unterminated quote, stray quote, a final
 * record cut short by the end of the file) fail with TR_EINPUT and the line. The header is
 * delivered as the first record like any other. *ended_with_newline tells whether the file's
 * last byte was a line end (for truncation checks by the caller). */
int tr_csv_read(const char *path, const struct tr_csv_opts *o, tr_csv_record_fn fn, void *ctx,
                int *ended_with_newline, struct tr_err *e);

/* Facts gathered in one pass over a file before parsing it. */
struct tr_file_scan {
    char sha256[65];
    long long bytes;
    int gzip;                 /* starts with the gzip magic number */
    int bom;                  /* starts with a UTF-8 byte order mark */
    int valid_utf8;
    long long first_nul;      /* offset of the first NUL byte, -1 if none */
    long nul_line;            /* its line */
    long long first_bad_utf8; /* offset of the first invalid UTF-8 sequence, -1 if none */
    long bad_utf8_line;
};

int tr_file_scan(const char *path, struct tr_file_scan *s, struct tr_err *e);

#define TR_CSV_RAW_KEEP 4096   /* bytes of a record's raw text kept */

/* The record starting at byte offset of the file open on fd, as tr_csv_read gives its raw
 * text: its physical lines (more than one where a quoted field goes on) without their line
 * ends, joined by "\n", converted from Latin-1 when latin1, cut to n - 1 bytes; "" and TR_EIO
 * when unreadable. Rows waiting to be inserted keep only their offset: a duplicate's text is
 * read back. */
int tr_csv_raw_at(int fd, long long offset, int latin1, char *out, size_t n);

#endif
