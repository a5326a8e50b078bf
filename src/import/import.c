/*
 * The import pipeline shared by every format: one file as one transaction, from the scan and
 * the format's detection through the record loop to the commit, or the rollback and the
 * failed load's lineage. Its parts are beside it: import_scan.c (the file scan),
 * import_facts.c (facts to the writer), import_partitions.c (what a file replaces),
 * import_lineage.c (load_log, rejects). What a row of a format means is import_<format>.c's.
 */
#include "tr/import_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/clock.h"
#include "tr/db.h"
#include "tr/hs_reference.h"
#include "tr/signals.h"
#include "tr/stmt.h"
#include "tr/summary.h"
#include "tr/utf8.h"

/* ---------- small accessors for formats ---------- */

void *tr_import_state(struct tr_import *imp)
{
    return imp->state;
}
sqlite3 *tr_import_db(struct tr_import *imp)
{
    return imp->db;
}
struct tr_codes *tr_import_codes(struct tr_import *imp)
{
    return imp->codes;
}
const char *tr_import_path(struct tr_import *imp)
{
    return imp->path;
}
const char *tr_import_file_name(struct tr_import *imp)
{
    return imp->file_name;
}
long tr_import_load_id(struct tr_import *imp)
{
    return imp->load_id;
}
const struct tr_import_opts *tr_import_options(struct tr_import *imp)
{
    return imp->opts;
}
void tr_import_expect_fields(struct tr_import *imp, size_t n)
{
    imp->expect_fields = n;
}
void tr_import_set_classification(struct tr_import *imp, int c)
{
    imp->classification = c;
}
void tr_import_set_year(struct tr_import *imp, int year)
{
    imp->year = year;
}
void tr_import_count_loaded(struct tr_import *imp)
{
    imp->rows_loaded++;
}
void tr_import_add_replaced(struct tr_import *imp, long n)
{
    imp->rows_replaced += n;
}

void tr_import_set_release(struct tr_import *imp, const char *release)
{
    snprintf(imp->release, sizeof(imp->release), "%s", release);
}

const char *tr_field(const struct tr_csv_record *rec, size_t i)
{
    if (i >= rec->n || !rec->f[i])
        return "";
    const char *s = rec->f[i];
    while (*s == ' ' || *s == '\t')
        s++;
    return s; /* trailing spaces are handled by the number parsers and code lookups */
}

static int field_eq(const struct tr_csv_record *rec, size_t i, const char *name)
{
    const char *s = tr_field(rec, i);
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strlen(name) == n && strncmp(s, name, n) == 0;
}

int tr_header_index(const struct tr_csv_record *header, const char *name)
{
    for (size_t i = 0; i < header->n; i++)
        if (field_eq(header, i, name))
            return (int)i;
    return -1;
}

int tr_header_is(const struct tr_csv_record *header, const char *const *names, size_t n)
{
    if (header->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!field_eq(header, i, names[i]))
            return 0;
    return 1;
}

/* ---------- statements ---------- */

int tr_import_prepare(struct tr_import *imp, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v3(imp->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(imp->db));
    return TR_OK;
}

int tr_import_db_fail(struct tr_import *imp, int rc, struct tr_err *e)
{
    return tr_err_set(e, tr_stmt_code(rc), "database error loading '%s': %s", imp->path,
                      sqlite3_errmsg(imp->db));
}

/* ---------- the record loop ---------- */

static void show_progress(void *ctx, long long done)
{
    struct tr_import *imp = ctx;
    if (!imp->progress)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - imp->last_progress.tv_sec) +
                   (double)(now.tv_nsec - imp->last_progress.tv_nsec) / 1e9;
    if (since < 0.5 && done < imp->file_bytes)
        return;
    imp->last_progress = now;
    double el = (double)(now.tv_sec - imp->t0.tv_sec) +
                (double)(now.tv_nsec - imp->t0.tv_nsec) / 1e9;
    double rate = el > 0 ? (double)imp->rows_read / el : 0;
    double eta = done > 0 ? el * (double)(imp->file_bytes - done) / (double)done : 0;
    fprintf(stderr, "\r%s: %3.0f%%  %.0f of %.0f MB  %.0f rows/s  ETA %.0f s   ", imp->file_name,
            imp->file_bytes ? 100.0 * (double)done / (double)imp->file_bytes : 100.0,
            (double)done / 1e6, (double)imp->file_bytes / 1e6, rate, eta);
}

static const struct tr_format *detect_format(const struct tr_csv_record *header,
                                             const char *file_name)
{
    const struct tr_format *best = NULL;
    int best_score = 0;
    for (size_t i = 0; tr_formats[i]; i++) {
        int s = tr_formats[i]->detect(header, file_name);
        if (s > best_score)
            best = tr_formats[i], best_score = s;
    }
    return best;
}

static int unknown_format_error(struct tr_import *imp, const struct tr_csv_record *h,
                                struct tr_err *e)
{
    char tried[256] = "", found[160];
    for (size_t i = 0; tr_formats[i]; i++)
        snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%s", i ? ", " : "",
                 tr_formats[i]->name);
    snprintf(found, sizeof(found), "%.*s",
             (int)(h->raw_len <= 150 ? h->raw_len : tr_utf8_floor(h->raw, 150)), h->raw);
    return tr_err_set_at(e, TR_EINPUT, imp->path, h->line,
                         "unknown file layout: header \"%s\" matches none of the formats tried "
                         "(%s)",
                         found, tried);
}

static int on_record(void *ctx, const struct tr_csv_record *rec, struct tr_err *e)
{
    struct tr_import *imp = ctx;
    imp->last_fields = rec->n;
    imp->last_line = rec->line;
    if (!imp->header_seen) {
        imp->header_seen = 1;
        if (rec->bad_encoding)
            return tr_err_set_at(e, TR_EINPUT, imp->path, rec->line,
                                 "invalid UTF-8 in the header (byte %lld) of a UTF-8 file",
                                 rec->bad_offset);
        if (!imp->fmt && !(imp->fmt = detect_format(rec, imp->file_name)))
            return unknown_format_error(imp, rec, e);
        if (imp->fmt->state_size && !(imp->state = calloc(1, imp->fmt->state_size)))
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        return imp->fmt->begin(imp, rec, e);
    }
    if (tr_signal_caught)
        return tr_err_set(e, TR_EFAIL,
                          "interrupted by signal %d: '%s' rolled back, nothing "
                          "committed",
                          (int)tr_signal_caught, imp->path);
    imp->rows_read++;
    if (imp->die_after && imp->rows_read > imp->die_after)
        raise(SIGKILL);    /* test hook for crash tests, see tests/faults */
    if (rec->bad_encoding) /* the file is UTF-8 (it has UTF-8 characters): this line is not */
        return tr_import_reject(imp, rec, NULL, "BAD_ENCODING",
                                "invalid UTF-8 at byte %lld of the file (a character in another "
                                "encoding in a UTF-8 file)",
                                rec->bad_offset);
    if (imp->expect_fields && rec->n != imp->expect_fields)
        return tr_import_reject(imp, rec, NULL, "FIELD_COUNT", "%zu fields, expected %zu", rec->n,
                                imp->expect_fields);
    return imp->fmt->row(imp, rec, e);
}

static void release(struct tr_import *imp)
{
    tr_import_free_rejects(imp);
    tr_factwriter_free(imp->writer);
    imp->writer = NULL;
    tr_replace_free(imp->replace);
    imp->replace = NULL;
    tr_strmap_free(imp->partitions);
    free(imp->part_keys);
    free(imp->part_rows);
    free(imp->fact_part_key);
    free(imp->fact_part_idx);
    free(imp->state);
    tr_codes_free(imp->codes);
}

/* The input as opened once: the scan and the parse both read this descriptor, so the bytes
 * hashed are the bytes parsed whatever happens to the name meanwhile. */
struct input {
    int fd;
    struct tr_file_id id;
    const struct tr_import_member *member; /* NULL for a loose file */
};

static int import_file(sqlite3 *db, const char *path, const struct input *in,
                       const struct tr_import_opts *o, struct tr_import_result *res,
                       struct tr_err *e, int parallel);

int tr_import_file(sqlite3 *db, const char *path, const struct tr_import_opts *o,
                   struct tr_import_result *res, struct tr_err *e)
{
    memset(res, 0, sizeof(*res));
    res->status = TR_LOAD_FAILED;
    struct input in = {.member = NULL};
    int rc = tr_input_open(path, &in.fd, &in.id, e); /* a FIFO or device: refused at once */
    if (rc)
        return rc;
    int parallel = tr_import_scan_parallel(db, in.id.size);
    rc = import_file(db, path, &in, o, res, e, parallel);
    if (rc == TR_RESTART_LATIN1) {
        /* the parallel scan found a Windows-1252 file: parse it again, converted */
        tr_err_init(e);
        rc = import_file(db, path, &in, o, res, e, 0);
    }
    res->file = in.id;
    close(in.fd);
    return rc;
}

int tr_import_member(sqlite3 *db, int fd, const struct tr_import_member *m,
                     const struct tr_import_opts *o, struct tr_import_result *res,
                     struct tr_err *e)
{
    memset(res, 0, sizeof(*res));
    res->status = TR_LOAD_FAILED;
    struct stat sb;
    struct input in = {.fd = fd, .member = m};
    if (fstat(fd, &sb) != 0)
        return tr_err_set(e, TR_EIO, "cannot stat the unpacked %s: %s", m->label,
                          strerror(errno));
    in.id = (struct tr_file_id){(unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                                (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
                                (long long)sb.st_mtim.tv_nsec};
    int parallel = tr_import_scan_parallel(db, in.id.size);
    int rc = import_file(db, m->label, &in, o, res, e, parallel);
    if (rc == TR_RESTART_LATIN1) {
        tr_err_init(e);
        rc = import_file(db, m->label, &in, o, res, e, 0);
    }
    return rc;
}

/* ---------- detection only ---------- */

struct detect_ctx {
    const char *file_name;
    const struct tr_format *fmt;
    int seen;
};

static int detect_first(void *ctx, const struct tr_csv_record *rec, struct tr_err *e)
{
    (void)e;
    struct detect_ctx *d = ctx;
    d->seen = 1;
    d->fmt = rec->bad_encoding ? NULL : detect_format(rec, d->file_name);
    return TR_EFAIL; /* the header is all it takes: stop the read */
}

int tr_import_detect(int fd, const char *label, const char *file_name,
                     const struct tr_format **fmt, struct tr_err *e)
{
    struct detect_ctx d = {.file_name = file_name};
    struct tr_csv_opts copts = {.cp1252 = 0};
    struct tr_err quiet;
    int ended;
    tr_err_init(&quiet);
    int rc = tr_csv_read(fd, label, &copts, detect_first, &d, &ended, &quiet);
    *fmt = d.fmt;
    if (rc == TR_EIO || rc == TR_ENOMEM)
        return tr_err_set(e, rc, "%s", quiet.msg);
    return TR_OK; /* a file whose first record cannot be read is no known format */
}

/* Test-only hooks (tests/cli/test_input_files.sh), between the scan and the parse of a small
 * file: TR_TEST_SWAP_AFTER_SCAN=FILE renames FILE over the input's name (a delivery replaced
 * after it was hashed); TR_TEST_APPEND_AFTER_SCAN=TEXT appends TEXT to the input (a file still
 * being written). Unset in production: both are plain getenv checks. */
static void test_hooks_after_scan(const char *path)
{
    const char *swap = getenv("TR_TEST_SWAP_AFTER_SCAN");
    const char *append = getenv("TR_TEST_APPEND_AFTER_SCAN");
    if (swap && *swap && rename(swap, path) != 0)
        perror("TR_TEST_SWAP_AFTER_SCAN");
    if (append && *append) {
        FILE *fp = fopen(path, "a");
        if (fp) {
            fputs(append, fp);
            fclose(fp);
        }
    }
}

/* One run of import_file: the import's state and what its steps share. */
struct run {
    struct tr_import imp;
    struct tr_file_scan scan;
    struct tr_import_scan_job job;
    char started[32];
    int in_tx;
};

static int run_init(struct run *r, sqlite3 *db, const char *path, const struct input *in,
                    const struct tr_import_opts *o, struct tr_err *e)
{
    static const struct tr_import_opts no_opts;
    struct tr_import *imp = &r->imp;
    memset(r, 0, sizeof(*r));
    imp->db = db;
    imp->path = path;
    const char *slash = strrchr(path, '/');
    imp->file_name = in->member ? in->member->file_name : slash ? slash + 1 : path;
    imp->member = in->member;
    imp->classification = -1;
    imp->facts_cls = imp->facts_year = -1;
    imp->opts = o ? o : &no_opts;
    imp->progress = o && o->progress;
    if (o)
        imp->replace_opts = (struct tr_replace_opts){o->allow_older_release, o->accept_shrink};
    const char *die = getenv("TR_TEST_DIE_AFTER_ROWS");
    imp->die_after = die ? atol(die) : 0;
    tr_now_iso(r->started);
    clock_gettime(CLOCK_MONOTONIC, &imp->t0);
    imp->last_progress = imp->t0;
    if (o && o->format && strcmp(o->format, "auto") != 0 &&
        !(imp->fmt = tr_format_find(o->format)))
        return tr_err_set(e, TR_EUSAGE, "unknown format '%s'", o->format);
    return TR_OK;
}

/* Starts the scan beside the parse, or scans first; *done when the same bytes were loaded
 * before (res says which load). A file the scan refuses is left to the caller's check. */
static int run_scan(struct run *r, const struct input *in, int parallel,
                    struct tr_import_result *res, int *done, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    if (parallel && tr_import_scan_start(&r->job, in->fd, imp->path)) {
        /* parsed as UTF-8; the scan's verdict comes before the commit */
        r->scan.valid_utf8 = 1;
        r->scan.bytes = in->id.size;
        imp->file_bytes = r->scan.bytes;
        imp->threaded = tr_import_writer_threaded(imp->file_bytes);
        return TR_OK;
    }
    int rc = tr_file_scan(in->fd, imp->path, &r->scan, e);
    if (rc)
        return rc;
    test_hooks_after_scan(imp->path);
    imp->file_bytes = r->scan.bytes;
    imp->threaded = tr_import_writer_threaded(imp->file_bytes);
    long earlier = 0;
    if ((rc = tr_import_already_loaded(imp, r->scan.sha256, &earlier, e)))
        return rc;
    if (earlier) {
        res->status = TR_LOAD_ALREADY;
        res->load_id = earlier;
        *done = 1;
    }
    return TR_OK;
}

/* Every record through the format; a file with no header or cut in its last record fails. */
static int run_parse(struct run *r, const struct input *in, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    struct tr_csv_opts copts = {.cp1252 = tr_file_scan_cp1252(&r->scan),
                                .progress = show_progress};
    imp->latin1 = copts.cp1252;
    int rc = tr_csv_read(in->fd, imp->path, &copts, on_record, imp, &imp->ended_with_newline, e);
    if (imp->progress)
        fputc('\n', stderr);
    if (rc)
        return rc;
    if (!imp->header_seen)
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1, "empty file: no header, no data");
    if (!imp->ended_with_newline && imp->expect_fields && imp->last_fields < imp->expect_fields &&
        imp->rows_read > 0)
        return tr_err_set_at(e, TR_EINPUT, imp->path, imp->last_line,
                             "truncated file: the last record has %zu of %zu fields and no "
                             "line end",
                             imp->last_fields, imp->expect_fields);
    return TR_OK;
}

/* After the last record: the writer and the format finish, the scan's verdict, the file
 * unchanged since it was opened, the rejects within --max-rejects. */
static int run_finish_rows(struct run *r, const struct input *in, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    int rc;
    if ((rc = tr_import_finish_facts(imp, e)) || (imp->fmt->end && (rc = imp->fmt->end(imp, e))))
        return rc;
    if (r->job.running && (rc = tr_import_scan_finish(imp, &r->job, &r->scan, e)))
        return rc;
    if ((rc = tr_input_unchanged(in->fd, imp->path, &in->id, e))) /* appended or rewritten */
        return rc;
    long max = imp->opts->max_rejects;
    if (imp->rows_rejected > max) {
        const struct tr_import_rejected *j = imp->n_rejects ? &imp->rejects[0] : NULL;
        return tr_err_set_at(e, TR_EINPUT, imp->path, j ? j->line : 0,
                             "%ld row%s rejected, more than --max-rejects %ld allowed; first: "
                             "%s%s%s",
                             imp->rows_rejected, imp->rows_rejected == 1 ? "" : "s", max,
                             j ? j->type : "", j ? ": " : "", j ? j->msg : "");
    }
    return TR_OK;
}

/* What the load changes besides the facts: replacements, sums, partitions, summaries, its
 * load_log row (last) and its rejects. */
static int run_write_lineage(struct run *r, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    int rc;
    /* a file of one HS revision (or one year) says so in load_log, named or not */
    if (imp->classification < 0 && imp->facts_cls >= 0)
        imp->classification = imp->facts_cls;
    if (!imp->year && imp->facts_year >= 0)
        imp->year = imp->facts_year;
    struct tr_import_timings *t = &imp->timings;
    double t0 = tr_clock_seconds(), t1, t2;
    if ((imp->replace && (rc = tr_replace_before_sums(imp->replace, e))) ||
        (imp->writer && (rc = tr_factwriter_write_sums(imp->writer, e))) ||
        (imp->replace && (rc = tr_replace_finish(imp->replace, e))) ||
        (rc = tr_import_write_partitions(imp, e)))
        return rc;
    t->sums = (t1 = tr_clock_seconds()) - t0;
    if ((tr_import_has_facts(imp) && (rc = tr_summary_refresh_load(imp->db, imp->load_id, e))) ||
        (tr_import_has_facts(imp) && (rc = tr_hs_reference_ensure_all(imp->db, e))))
        return rc;
    t->summaries = (t2 = tr_clock_seconds()) - t1;
    if ((rc = tr_import_insert_load_log(imp, &r->scan, "committed", NULL, r->started, e)) ||
        (rc = tr_import_write_rejects(imp, e)))
        return rc;
    t->lineage = tr_clock_seconds() - t2;
    return TR_OK;
}

/* The transaction: begin, every record, the lineage, commit. */
static int run_load(struct run *r, const struct input *in, struct tr_import_result *res,
                    struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    int rc;
    if (!(imp->partitions = tr_strmap_new()))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    if ((rc = tr_stmt_script(imp->db, "BEGIN IMMEDIATE", e)))
        return rc;
    r->in_tx = 1;
    struct tr_import_timings *t = &imp->timings;
    double t0 = tr_clock_seconds(), t1;
    if ((rc = tr_stmt_script(imp->db, "PRAGMA defer_foreign_keys = ON", e)) ||
        (rc = tr_codes_open(imp->db, &imp->codes, e)) ||
        (rc = tr_import_reserve_load_id(imp, e)) || (rc = run_parse(r, in, e)))
        return rc;
    t->rows = (t1 = tr_clock_seconds()) - t0;
    if ((rc = run_finish_rows(r, in, e)))
        return rc;
    t->finish = tr_clock_seconds() - t1;
    if (imp->member && imp->member->after_rows)
        imp->member->after_rows(imp->member->after_rows_ctx);
    if ((rc = run_write_lineage(r, e)))
        return rc;
    if (tr_signal_caught)
        return tr_err_set(e, TR_EFAIL,
                          "interrupted by signal %d: '%s' rolled back, nothing "
                          "committed",
                          (int)tr_signal_caught, imp->path);
    double c0 = tr_clock_seconds();
    if ((rc = tr_stmt_script(imp->db, "COMMIT", e)))
        return rc;
    r->in_tx = 0;
    t->commit = tr_clock_seconds() - c0;
    t->partner_sums = imp->writer ? tr_factwriter_partner_sums_seconds(imp->writer) : 0;
    res->status = TR_LOAD_COMMITTED;
    tr_import_fill_result(imp, res);
    res->sorted_first = imp->writer && tr_factwriter_sorted(imp->writer);
    return TR_OK;
}

/* A failed file: nothing committed, so nothing replaced either; its lineage (a failed
 * load_log row and its rejects) is written if it can be, else the error above stands. */
static void run_failed(struct run *r, struct tr_import_result *res, int rc, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    imp->rows_replaced = 0;
    res->refused_by = tr_replace_refused(imp->replace);
    tr_replace_free(imp->replace);
    imp->replace = NULL;
    tr_import_fill_result(imp, res);
    res->status = TR_LOAD_FAILED;
    res->rows_loaded = 0;
    res->load_id = 0;
    if (rc == TR_EINPUT && tr_import_record_failure(imp, &r->scan, r->started, e) == TR_OK)
        res->load_id = imp->load_id;
}

/* Ends a run whatever its outcome rc: the writer's thread stopped before the transaction
 * ends, a rollback, the scan joined; frees the run's state and returns rc (or the scan's). */
static int run_end(struct run *r, struct tr_import_result *res, int rc, struct tr_err *e)
{
    struct tr_import *imp = &r->imp;
    if (imp->writer) {
        tr_codes_set_gate(imp->codes, NULL, NULL, NULL);
        tr_factwriter_free(imp->writer);
        imp->writer = NULL;
    }
    if (r->in_tx)
        sqlite3_exec(imp->db, "ROLLBACK", NULL, NULL, NULL);
    if (r->job.running) {
        /* a parse error in a file the scan calls binary, gzip or mis-encoded is reported as
         * what the scan found: that is the cause */
        struct tr_err why;
        tr_err_init(&why);
        int src = tr_import_scan_finish(imp, &r->job, &r->scan, &why);
        if (src) {
            *e = why;
            rc = src;
        }
    }
    if (rc && rc != TR_EUSAGE && rc != TR_RESTART_LATIN1)
        run_failed(r, res, rc, e);
    release(imp);
    return rc;
}

static int import_file(sqlite3 *db, const char *path, const struct input *in,
                       const struct tr_import_opts *o, struct tr_import_result *res,
                       struct tr_err *e, int parallel)
{
    struct run r;
    int done = 0;
    memset(res, 0, sizeof(*res));
    int rc = run_init(&r, db, path, in, o, e);
    if (rc || (rc = run_scan(&r, in, parallel, res, &done, e)) || done)
        return rc;
    if (!r.job.running && (rc = tr_import_check_scan(&r.imp, &r.scan, e)))
        return run_end(&r, res, rc, e);
    return run_end(&r, res, run_load(&r, in, res, e), e);
}
