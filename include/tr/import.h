/*
 * Importing one file: the interface every format implements, and the shared pipeline that
 * gives every format the same guarantees (one transaction per file, lineage, rejects with line
 * numbers, idempotent re-runs, replacement of corrected partitions, summary tables).
 * Ownership: records and facts handed to the pipeline are copied as needed; the pipeline
 * owns its state and frees it before tr_import_file returns.
 */
#ifndef TR_IMPORT_H
#define TR_IMPORT_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/codes.h"
#include "tr/csvread.h"
#include "tr/err.h"
#include "tr/fact.h"
#include "tr/replace.h"

struct tr_import; /* one file being loaded */

struct tr_format {
    const char *name;        /* --format name: "baci", "comtrade", ... */
    const char *source;      /* dim_source.source, or "reference" */
    const char *description; /* for help and "formats tried" messages */
    /* How well the header (first record) and the file name fit, 0..100; 0 = not this format. */
    int (*detect)(const struct tr_csv_record *header, const char *file_name);
    /* The header has been read; set metadata and expected field count here. */
    int (*begin)(struct tr_import *imp, const struct tr_csv_record *header, struct tr_err *e);
    /* One data record: add facts, or reject the row (tr_import_reject) and return TR_OK.
     * Anything else than TR_OK stops the file. */
    int (*row)(struct tr_import *imp, const struct tr_csv_record *rec, struct tr_err *e);
    /* After the last record, still inside the transaction; may be NULL. */
    int (*end)(struct tr_import *imp, struct tr_err *e);
    size_t state_size; /* bytes of zeroed per-file state (tr_import_state) */
    /* What the file's trade rows replace: TR_SCOPE_EXTRACT (the default) only the
     * combinations it brings, TR_SCOPE_YEAR the whole year of its revision. */
    enum tr_scope scope;
};

struct tr_import_opts {
    const char *format;      /* NULL or "auto" = detect */
    long max_rejects;        /* rows that may be rejected before the file fails */
    int progress;            /* print progress on stderr */
    int allow_older_release; /* replace rows of a newer release */
    int accept_shrink;       /* replace although > 20% of the scope's rows or value go */
    /* What a BACI trade file's name would tell, for a renamed file (import_baci.h): NULL / 0
     * when not given. */
    const char *hs_revision; /* "H5", "HS17" or "HS2017" */
    int year;
    const char *release; /* "V202401b" */
    int timings;         /* say where each load's time went (tr_import_result.time) */
};

/* Where a load's time went, in seconds of wall clock on the importing thread. The writer
 * thread's inserts overlap `rows`; the rest runs alone, in this order. */
struct tr_import_timings {
    double unpack;       /* an archive member decompressed before its load; loose: 0 */
    double rows;         /* records read, parsed, checked and handed to the writer */
    double partner_sums; /* of `rows`: the sums over partners counted (sum_product, ...) */
    double finish;       /* the writer's last chunks, the file scan's verdict */
    double sums;         /* sum_trade and the last sums over partners written; partitions */
    double summaries;    /* sum_annual and sum_bilateral refreshed, HS reference rows */
    double lineage;      /* the load_log row and the rejects */
    double commit;
};

enum tr_import_status { TR_LOAD_COMMITTED, TR_LOAD_ALREADY, TR_LOAD_FAILED };

struct tr_import_result {
    enum tr_import_status status;
    long load_id; /* the new load, or the earlier one for TR_LOAD_ALREADY */
    char format[32];
    long rows_read, rows_loaded, rows_rejected, rows_replaced;
    long rejects_shown; /* first rejects are also in e->msg-style lines below */
    int sorted_first;   /* the rows came far from key order and were sorted first */
    int refused_by;     /* a delivery guard refused the file: TR_REFUSED_* (replace.h) */
    char first_rejects[5][320];
    /* The file the import read (device, inode, size, times at open; zero when it could not be
     * opened): a caller about to move the file by its name checks the name still means it. */
    struct tr_file_id file;
    struct tr_import_timings time;
};

/* Imports one file. Returns TR_OK for committed or already-loaded files; TR_EINPUT when the file
 * was rejected (its failed load_log row and rejects are kept; a FIFO, device or directory is
 * refused before anything is read or recorded); TR_EIO/TR_ENOMEM otherwise. */
int tr_import_file(sqlite3 *db, const char *path, const struct tr_import_opts *o,
                   struct tr_import_result *res, struct tr_err *e);

/* A member of a delivery archive, already unpacked into a memory file: where it came from,
 * for messages and lineage (load_archive). */
struct tr_import_member {
    const char *label;      /* "ARCHIVE:MEMBER": messages, load_log.path */
    const char *shown_name; /* load_log.file_name: "archive.zip:member" */
    const char *file_name;  /* the member's last name component: format detection */
    const char *member;     /* its name inside the archive */
    const char *archive;    /* the archive's file name */
    const char *archive_sha256;
    long long archive_bytes;
    /* Called once every row is in, before the load's sums, summaries and commit (NULL: none):
     * the archive reader starts unpacking the next member then, as the parse's core is free. */
    void (*after_rows)(void *ctx);
    void *after_rows_ctx;
};

/* Imports the member open on fd (a memfd holding all of it) exactly as tr_import_file imports
 * a loose file: same scan, parse, guarantees and results; its sha256 and bytes are the
 * uncompressed member's, so the same data loose or archived is one load. */
int tr_import_member(sqlite3 *db, int fd, const struct tr_import_member *m,
                     const struct tr_import_opts *o, struct tr_import_result *res,
                     struct tr_err *e);

/* Records in load_archive where the load's member came from (import_archive.c). */
int tr_import_record_member(sqlite3 *db, long load_id, const struct tr_import_member *m,
                            struct tr_err *e);

/* The format the first record of the file open on fd and file_name say (NULL: none), without
 * loading anything: the archive importer orders members by it. */
int tr_import_detect(int fd, const char *label, const char *file_name,
                     const struct tr_format **fmt, struct tr_err *e);

/* The formats, in detection order; NULL-terminated. */
extern const struct tr_format *const tr_formats[];
const struct tr_format *tr_format_find(const char *name);

/* --- for format implementations --- */
void *tr_import_state(struct tr_import *imp);
sqlite3 *tr_import_db(struct tr_import *imp);
struct tr_codes *tr_import_codes(struct tr_import *imp);
const char *tr_import_path(struct tr_import *imp);
const char *tr_import_file_name(struct tr_import *imp);
long tr_import_load_id(struct tr_import *imp);
/* The options the import was given (never NULL: zeroed options when the caller gave none). */
const struct tr_import_opts *tr_import_options(struct tr_import *imp);
/* Rows with another field count are rejected as FIELD_COUNT before reaching row(). */
void tr_import_expect_fields(struct tr_import *imp, size_t n);
/* What the file name or content says about the file, for load_log. */
void tr_import_set_classification(struct tr_import *imp, int classification);
void tr_import_set_year(struct tr_import *imp, int year);
void tr_import_set_release(struct tr_import *imp, const char *release);
/* Records a rejected row (type e.g. BAD_NUMBER, UNKNOWN_CODE); column may be NULL. */
int tr_import_reject(struct tr_import *imp, const struct tr_csv_record *rec, const char *column,
                     const char *type, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Adds one trade fact. A duplicate natural key within the file is rejected (DUPLICATE_KEY). */
int tr_import_fact(struct tr_import *imp, const struct tr_fact *f,
                   const struct tr_csv_record *rec, struct tr_err *e);
/* Counts a row loaded by a format that writes its own tables (code lists, tariffs, claims). */
void tr_import_count_loaded(struct tr_import *imp);
/* Registers a partition of a non-trade table for replacement bookkeeping: returns in *replaced
 * whether an earlier committed load held it (the format deletes the old rows itself). */
int tr_import_claim_partition(struct tr_import *imp, int source_id, const char *classification,
                              int year, int month, int reporter, long *old_rows,
                              struct tr_err *e);
/* Adds to rows_replaced (for formats that replace their own tables' rows). */
void tr_import_add_replaced(struct tr_import *imp, long n);

/* Field helpers: the trimmed text of field i ("" for NULL), and field lookup by header name. */
const char *tr_field(const struct tr_csv_record *rec, size_t i);
int tr_header_index(const struct tr_csv_record *header, const char *name);
/* 1 when the header's fields equal names exactly (after trimming), in order. */
int tr_header_is(const struct tr_csv_record *header, const char *const *names, size_t n);

#endif
