/*
 * The import pipeline's own state, shared by the files of src/import/ that make it up:
 * import.c (the run of one file), import_lineage.c (load_log, rejects), import_partitions.c
 * (load_partition and what a file replaces), import_facts.c (facts to the writer) and
 * import_scan.c (the file scan, beside the parse for a large file). Formats never include it:
 * they see struct tr_import only through tr/import.h.
 * Ownership: struct tr_import owns everything it points to except db, fmt, opts, path and
 * member, which the caller of tr_import_file keeps alive; import.c frees it all.
 */
#ifndef TR_IMPORT_INTERNAL_H
#define TR_IMPORT_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "tr/factwriter.h"
#include "tr/import.h"
#include "tr/input.h"
#include "tr/replace.h"
#include "tr/strmap.h"

#define TR_RESTART_LATIN1 100 /* internal: parse the file again as Latin-1 */

struct tr_import_rejected {
    long line;
    long long offset;
    char *column, *type, *raw, *msg;
};

struct tr_import {
    sqlite3 *db;
    struct tr_codes *codes;
    const struct tr_format *fmt;
    const struct tr_import_opts *opts; /* never NULL */
    void *state;
    const char *path;
    const char *file_name;
    const struct tr_import_member *member; /* an archive member: its lineage; else NULL */
    long load_id;
    size_t expect_fields;
    int classification, year;  /* set by the format (file name), else below */
    int facts_cls, facts_year; /* what every fact shares: -1 none yet, -2 several */
    char release[64];
    long rows_read, rows_loaded, rows_rejected, rows_replaced;
    int header_seen;
    int ended_with_newline;
    size_t last_fields;
    long last_line;
    /* rejects */
    struct tr_import_rejected *rejects;
    size_t n_rejects, cap_rejects;
    /* facts go through the writer, on the second core for large files */
    struct tr_factwriter *writer;
    int threaded;
    int latin1; /* the file is parsed as Windows-1252, converted */
    /* partitions seen in this file: "source:class:year:month:reporter" -> rows */
    struct tr_strmap *partitions;
    char (*part_keys)[48];
    long *part_rows;
    size_t n_parts, cap_parts;
    int last_part[6]; /* the partition of the previous fact: most rows repeat it */
    int last_part_idx;
    int64_t *fact_part_key; /* facts' partitions by packed number -> index (-1 = empty) */
    int *fact_part_idx;
    size_t fact_part_cap, fact_part_n;
    long replaced_loads[64];
    int n_replaced_loads;
    struct tr_replace *replace; /* trade rows: what the file's scope replaces */
    struct tr_replace_opts replace_opts;
    /* progress */
    int progress;
    long long file_bytes;
    struct timespec t0, last_progress;
    long die_after; /* test hook: SIGKILL after this many rows (0 = off) */
    struct tr_import_timings timings;
};

/* import.c: statements on the import's connection, errors naming the file */
int tr_import_prepare(struct tr_import *imp, sqlite3_stmt **st, const char *sql,
                      struct tr_err *e);
int tr_import_db_fail(struct tr_import *imp, int rc, struct tr_err *e);

/* import_lineage.c: load_log and load_reject */
void tr_import_free_rejects(struct tr_import *imp);
int tr_import_reserve_load_id(struct tr_import *imp, struct tr_err *e);
int tr_import_write_rejects(struct tr_import *imp, struct tr_err *e);
int tr_import_record_failure(struct tr_import *imp, const struct tr_file_scan *scan,
                             const char *started, const struct tr_err *why);
int tr_import_already_loaded(struct tr_import *imp, const char *sha, long *load_id,
                             struct tr_err *e);
/* The committed load's row, with its final figures (status "committed" or "failed"). */
int tr_import_insert_load_log(struct tr_import *imp, const struct tr_file_scan *scan,
                              const char *status, const char *message, const char *started,
                              struct tr_err *e);
void tr_import_fill_result(struct tr_import *imp, struct tr_import_result *res);

/* import_partitions.c: load_partition, load_replacement */
int tr_import_claim_fact_partition(struct tr_import *imp, const struct tr_fact *f,
                                   struct tr_err *e);
int tr_import_write_partitions(struct tr_import *imp, struct tr_err *e);

/* import_facts.c: what the writer still holds, and whether the file brought trade facts */
int tr_import_finish_facts(struct tr_import *imp, struct tr_err *e);
int tr_import_has_facts(const struct tr_import *imp);

/* import_scan.c: the file scan (sha256, encoding, NUL), beside the parse for a large file */
struct tr_import_scan_job {
    pthread_t thread;
    int running;
    int fd;
    const char *path;
    struct tr_file_scan scan;
    struct tr_err err;
    int rc;
};

int tr_import_check_scan(struct tr_import *imp, const struct tr_file_scan *scan,
                         struct tr_err *e);
/* 1 when a file of this size is scanned beside the parse: large, new, TR_SERIAL_SCAN unset */
int tr_import_scan_parallel(sqlite3 *db, long long bytes);
/* 1 when the second core scans (a thread started), else 0: scan before parsing */
int tr_import_scan_start(struct tr_import_scan_job *j, int fd, const char *path);
/* Joins the scan and applies its verdict: a structural problem fails the file, a
 * Windows-1252 file asks for a second, converting parse (TR_RESTART_LATIN1). */
int tr_import_scan_finish(struct tr_import *imp, struct tr_import_scan_job *job,
                          struct tr_file_scan *scan, struct tr_err *e);
/* Inserting on the second core pays from a few MB on; TR_WRITER_THREAD=1 or 0 forces it. */
int tr_import_writer_threaded(long long bytes);

#endif
