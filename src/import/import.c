/*
 * The import pipeline shared by every format: file checks, format detection, one transaction
 * per file with its load_log row, rejects with line numbers, multi-row fact inserts, the
 * replacement of partitions a corrected file brings again, and the sum_trade summary rows.
 * What a row of a given format means is decided in import_<format>.c, not here.
 */
#include "tr/import.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/db.h"
#include "tr/factkey.h"
#include "tr/factwriter.h"
#include "tr/replace.h"
#include "tr/strmap.h"
#include "tr/signals.h"
#include "tr/summary.h"
#include "tr/hs_reference.h"
#include "tr/stmt.h"
#include "tr/utf8.h"

#define TR_RESTART_LATIN1 100 /* internal: parse the file again as Latin-1 */
#define REJECTS_KEPT 10000    /* rejects stored per file; all are counted */

struct reject {
    long line;
    long long offset;
    char *column, *type, *raw, *msg;
};

struct tr_import {
    sqlite3 *db;
    struct tr_codes *codes;
    const struct tr_format *fmt;
    const struct tr_import_opts *opts;   /* never NULL */
    void *state;
    const char *path;
    const char *file_name;
    const struct tr_import_member *member;   /* an archive member: its lineage; else NULL */
    long load_id;
    size_t expect_fields;
    int classification, year;      /* set by the format (file name), else below */
    int facts_cls, facts_year;     /* what every fact shares: -1 none yet, -2 several */
    char release[64];
    long rows_read, rows_loaded, rows_rejected, rows_replaced;
    int header_seen;
    int ended_with_newline;
    size_t last_fields;
    long last_line;
    /* rejects */
    struct reject *rejects;
    size_t n_rejects, cap_rejects;
    /* facts go through the writer, on the second core for large files */
    struct tr_factwriter *writer;
    int threaded;
    int latin1;                /* the file is parsed as Windows-1252, converted */
    /* partitions seen in this file: "source:class:year:month:reporter" -> rows */
    struct tr_strmap *partitions;
    char (*part_keys)[48];
    long *part_rows;
    size_t n_parts, cap_parts;
    int last_part[6];          /* the partition of the previous fact: most rows repeat it */
    int last_part_idx;
    int64_t *fact_part_key;    /* facts' partitions by packed number -> index (-1 = empty) */
    int *fact_part_idx;
    size_t fact_part_cap, fact_part_n;
    long replaced_loads[64];
    int n_replaced_loads;
    struct tr_replace *replace;    /* trade rows: what the file's scope replaces */
    struct tr_replace_opts replace_opts;
    /* progress */
    int progress;
    long long file_bytes;
    struct timespec t0, last_progress;
    long die_after;           /* test hook: SIGKILL after this many rows (0 = off) */
};

/* ---------- small accessors for formats ---------- */

void *tr_import_state(struct tr_import *imp) { return imp->state; }
sqlite3 *tr_import_db(struct tr_import *imp) { return imp->db; }
struct tr_codes *tr_import_codes(struct tr_import *imp) { return imp->codes; }
const char *tr_import_path(struct tr_import *imp) { return imp->path; }
const char *tr_import_file_name(struct tr_import *imp) { return imp->file_name; }
long tr_import_load_id(struct tr_import *imp) { return imp->load_id; }
const struct tr_import_opts *tr_import_options(struct tr_import *imp) { return imp->opts; }
void tr_import_expect_fields(struct tr_import *imp, size_t n) { imp->expect_fields = n; }
void tr_import_set_classification(struct tr_import *imp, int c) { imp->classification = c; }
void tr_import_set_year(struct tr_import *imp, int year) { imp->year = year; }
void tr_import_count_loaded(struct tr_import *imp) { imp->rows_loaded++; }
void tr_import_add_replaced(struct tr_import *imp, long n) { imp->rows_replaced += n; }

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
    return s;   /* trailing spaces are handled by the number parsers and code lookups */
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

/* ---------- rejects ---------- */

int tr_import_reject(struct tr_import *imp, const struct tr_csv_record *rec, const char *column,
                     const char *type, const char *fmt, ...)
{
    imp->rows_rejected++;
    if (imp->n_rejects >= REJECTS_KEPT)
        return TR_OK;
    if (imp->n_rejects == imp->cap_rejects) {
        size_t cap = imp->cap_rejects ? imp->cap_rejects * 2 : 64;
        struct reject *r = realloc(imp->rejects, cap * sizeof(*r));
        if (!r)
            return TR_ENOMEM;
        imp->rejects = r;
        imp->cap_rejects = cap;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tr_utf8_trim_partial(msg);   /* a quoted name cut to the buffer keeps whole characters */
    struct reject *r = &imp->rejects[imp->n_rejects];
    r->line = rec ? rec->line : 0;
    r->offset = rec ? rec->offset : 0;
    r->column = column ? strdup(column) : NULL;
    r->type = strdup(type);
    r->raw = strndup(rec ? rec->raw : "", rec ? rec->raw_len : 0);
    r->msg = strdup(msg);
    if (!r->type || !r->raw || !r->msg || (column && !r->column)) {
        free(r->column), free(r->type), free(r->raw), free(r->msg);
        return TR_ENOMEM;
    }
    imp->n_rejects++;
    return TR_OK;
}

static void free_rejects(struct tr_import *imp)
{
    for (size_t i = 0; i < imp->n_rejects; i++) {
        free(imp->rejects[i].column);
        free(imp->rejects[i].type);
        free(imp->rejects[i].raw);
        free(imp->rejects[i].msg);
    }
    free(imp->rejects);
    imp->rejects = NULL;
    imp->n_rejects = imp->cap_rejects = 0;
}

/* ---------- statements ---------- */

static int prepare(struct tr_import *imp, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v3(imp->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(imp->db));
    return TR_OK;
}

static int db_fail(struct tr_import *imp, int rc, struct tr_err *e)
{
    return tr_err_set(e, tr_stmt_code(rc), "database error loading '%s': %s", imp->path,
                      sqlite3_errmsg(imp->db));
}

/* ---------- partitions and replacement ---------- */

static int exec_bound(struct tr_import *imp, const char *sql, const int64_t *args, int n,
                      const char *text_arg, long *changes, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st, sql, e);
    if (rc)
        return rc;
    int i = 0;
    for (; i < n; i++)
        sqlite3_bind_int64(st, i + 1, args[i]);
    if (text_arg)
        sqlite3_bind_text(st, i + 1, text_arg, -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return db_fail(imp, src, e);
    if (changes)
        *changes = sqlite3_changes(imp->db);
    return TR_OK;
}

static int find_replaced(struct tr_import *imp, int source_id, const char *cls, int year,
                         int month, int reporter, long *old_rows, struct tr_err *e);

/* Counts a row in its partition (source, revision, year, month, reporter) for load_partition;
 * *is_new tells whether the file had not brought that partition before. */
static int count_partition(struct tr_import *imp, int source_id, const char *cls, int year,
                           int month, int reporter, int *is_new, struct tr_err *e)
{
    char key[48];
    int idx;
    *is_new = 0;
    int cls_id = tr_classification_id(cls);
    if (imp->n_parts && imp->last_part[0] == source_id && imp->last_part[1] == cls_id &&
        imp->last_part[2] == year && imp->last_part[3] == month &&
        imp->last_part[4] == reporter && cls_id >= 0) {
        imp->part_rows[imp->last_part_idx]++;
        return TR_OK;
    }
    snprintf(key, sizeof(key), "%d:%s:%d:%d:%d", source_id, cls, year, month, reporter);
    int cached[6] = {source_id, cls_id, year, month, reporter};
    memcpy(imp->last_part, cached, sizeof(cached));
    if (tr_strmap_get(imp->partitions, key, &idx)) {
        imp->last_part_idx = idx;
        imp->part_rows[idx]++;
        return TR_OK;
    }
    if (imp->n_parts == imp->cap_parts) {
        size_t cap = imp->cap_parts ? imp->cap_parts * 2 : 256;
        char(*keys)[48] = realloc(imp->part_keys, cap * sizeof(*keys));
        if (!keys)
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        imp->part_keys = keys;
        long *rows = realloc(imp->part_rows, cap * sizeof(*rows));
        if (!rows)
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        imp->part_rows = rows;
        imp->cap_parts = cap;
    }
    idx = (int)imp->n_parts++;
    imp->last_part_idx = idx;
    memcpy(imp->part_keys[idx], key, sizeof(key));
    imp->part_rows[idx] = 1;
    if (tr_strmap_put(imp->partitions, key, idx))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    *is_new = 1;
    return TR_OK;
}

/* Tariff schedules replace whole partitions: an earlier load's rows of a partition the file
 * brings are the format's to move (it is told through *old_rows >= 0). */
int tr_import_claim_partition(struct tr_import *imp, int source_id, const char *cls, int year,
                              int month, int reporter, long *old_rows, struct tr_err *e)
{
    int is_new;
    *old_rows = -1;
    int rc = count_partition(imp, source_id, cls, year, month, reporter, &is_new, e);
    if (rc || !is_new)
        return rc;
    tr_factwriter_db_enter(imp->writer);
    rc = find_replaced(imp, source_id, cls, year, month, reporter, old_rows, e);
    tr_factwriter_db_leave(imp->writer);
    return rc;
}

/* Did an earlier committed load bring this partition? Then this file replaces it. */
static int find_replaced(struct tr_import *imp, int source_id, const char *cls, int year,
                         int month, int reporter, long *old_rows, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st,
                     "SELECT p.load_id, p.rows FROM load_partition p "
                     "JOIN load_log l ON l.load_id = p.load_id AND l.status = 'committed' "
                     "WHERE p.source_id = ? AND p.classification = ? AND p.year = ? "
                     "AND p.month = ? AND p.reporter_id = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, source_id);
    sqlite3_bind_text(st, 2, cls, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_int(st, 4, month);
    sqlite3_bind_int(st, 5, reporter);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long old = sqlite3_column_int64(st, 0);
        *old_rows = (*old_rows < 0 ? 0 : *old_rows) + sqlite3_column_int64(st, 1);
        int known = 0;
        for (int i = 0; i < imp->n_replaced_loads; i++)
            known |= imp->replaced_loads[i] == old;
        if (!known && imp->n_replaced_loads < 64)
            imp->replaced_loads[imp->n_replaced_loads++] = old;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_fail(imp, rc, e);
    if (*old_rows >= 0) {
        int64_t rep[6] = {imp->load_id, source_id, year, month, reporter};
        rc = exec_bound(imp, "INSERT INTO load_replacement (load_id, replaced_load_id, "
                        "source_id, classification, year, month, reporter_id, old_rows) "
                        "SELECT ?1, p.load_id, p.source_id, p.classification, p.year, p.month, "
                        "p.reporter_id, p.rows FROM load_partition p WHERE p.source_id = ?2 "
                        "AND p.year = ?3 AND p.month = ?4 AND p.reporter_id = ?5 "
                        "AND p.classification = ?6", rep, 5, cls, NULL, e);
        if (rc)
            return rc;
        int64_t args[5] = {source_id, year, month, reporter, 0};
        rc = exec_bound(imp, "DELETE FROM load_partition WHERE source_id = ?1 AND year = ?2 "
                        "AND month = ?3 AND reporter_id = ?4 AND classification = ?5",
                        args, 4, cls, NULL, e);
        if (rc)
            return rc;
    }
    return TR_OK;
}

static int write_partitions(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st,
                     "INSERT INTO load_partition (load_id, source_id, classification, year, "
                     "month, reporter_id, rows) VALUES (?,?,?,?,?,?,?)", e);
    if (rc)
        return rc;
    for (size_t i = 0; i < imp->n_parts && !rc; i++) {
        int src, year, month, rep;
        char cls[32];
        if (sscanf(imp->part_keys[i], "%d:%31[^:]:%d:%d:%d", &src, cls, &year, &month, &rep) != 5)
            continue;
        sqlite3_bind_int64(st, 1, imp->load_id);
        sqlite3_bind_int(st, 2, src);
        sqlite3_bind_text(st, 3, cls, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, year);
        sqlite3_bind_int(st, 5, month);
        sqlite3_bind_int(st, 6, rep);
        sqlite3_bind_int64(st, 7, imp->part_rows[i]);
        int s = sqlite3_step(st);
        if (s != SQLITE_DONE)
            rc = db_fail(imp, s, e);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* earlier loads left with no partition at all were replaced in full */
    for (int i = 0; i < imp->n_replaced_loads && !rc; i++) {
        int64_t args[1] = {imp->replaced_loads[i]};
        rc = exec_bound(imp, "UPDATE load_log SET status = 'superseded' WHERE load_id = ?1 AND "
                        "NOT EXISTS (SELECT 1 FROM load_partition WHERE load_id = ?1)",
                        args, 1, NULL, NULL, e);
    }
    return rc;
}

/* ---------- facts ---------- */

static size_t fact_part_slot(const struct tr_import *imp, int64_t key)
{
    size_t i = (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> 32) & (imp->fact_part_cap - 1);
    while (imp->fact_part_key[i] != -1 && imp->fact_part_key[i] != key)
        i = (i + 1) & (imp->fact_part_cap - 1);
    return i;
}

static int fact_part_put(struct tr_import *imp, int64_t key, int idx)
{
    if ((imp->fact_part_n + 1) * 2 > imp->fact_part_cap) {
        size_t old_cap = imp->fact_part_cap, cap = old_cap ? old_cap * 2 : 1024;
        int64_t *old_key = imp->fact_part_key;
        int *old_idx = imp->fact_part_idx;
        imp->fact_part_key = malloc(cap * sizeof(int64_t));
        imp->fact_part_idx = malloc(cap * sizeof(int));
        if (!imp->fact_part_key || !imp->fact_part_idx) {
            free(imp->fact_part_key), free(imp->fact_part_idx);
            imp->fact_part_key = old_key, imp->fact_part_idx = old_idx;
            return TR_ENOMEM;
        }
        memset(imp->fact_part_key, 0xff, cap * sizeof(int64_t));
        imp->fact_part_cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old_key[i] != -1) {
                size_t j = fact_part_slot(imp, old_key[i]);
                imp->fact_part_key[j] = old_key[i];
                imp->fact_part_idx[j] = old_idx[i];
            }
        free(old_key), free(old_idx);
    }
    size_t j = fact_part_slot(imp, key);
    imp->fact_part_key[j] = key;
    imp->fact_part_idx[j] = idx;
    imp->fact_part_n++;
    return TR_OK;
}

/* The partition of a fact, by number: a file in any row order pays the partition's name and
 * the lookup of earlier loads once, not on every row. */
static int claim_fact_partition(struct tr_import *imp, const struct tr_fact *f, struct tr_err *e)
{
    int64_t key = ((int64_t)(f->source_id & 0xFF) << 48) | ((int64_t)(f->classification & 0xF) << 44) |
                  ((int64_t)(f->year & 0xFFFF) << 28) | ((int64_t)(f->month & 0xFF) << 20) |
                  (int64_t)(f->reporter & 0xFFFFF);
    if (imp->fact_part_cap) {
        size_t j = fact_part_slot(imp, key);
        if (imp->fact_part_key[j] == key) {
            imp->last_part_idx = imp->fact_part_idx[j];
            imp->part_rows[imp->last_part_idx]++;
            return TR_OK;
        }
    }
    int is_new;
    int rc = count_partition(imp, f->source_id, tr_classification_name(f->classification),
                             f->year, f->month, f->reporter, &is_new, e);
    if (rc)
        return rc;
    if (fact_part_put(imp, key, imp->last_part_idx))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return TR_OK;
}

static void note_common(int *common, int v)
{
    if (*common == -1)
        *common = v;
    else if (*common != v)
        *common = -2;
}

static void writer_db_enter(void *w) { tr_factwriter_db_enter(w); }
static void writer_db_leave(void *w) { tr_factwriter_db_leave(w); }

/* Opened at the first fact: formats that write their own tables never start a thread. */
static int open_writer(struct tr_import *imp, struct tr_err *e)
{
    int rc = tr_factwriter_open(imp->db, imp->path, imp->latin1, imp->load_id, imp->threaded,
                                &imp->writer, e);
    if (!rc)   /* new codes are written on this thread while the writer inserts on its own */
        tr_codes_set_gate(imp->codes, writer_db_enter, writer_db_leave, imp->writer);
    return rc;
}

/* Cut to the buffer like snprintf, without its cost on every row, on a character boundary. */
static void copy_text(char *dst, size_t n, const char *src)
{
    tr_utf8_copy(dst, n, src);
}

/* Above 10^15 US$ a figure is a unit or typing error, not trade. The bound also keeps the
 * sums of a file's groups, and of the views over them, well inside a 64-bit integer. */
#define MONEY_MAX_USD 1000000000000000LL

static int money_plausible(int64_t v)
{
    return v == TR_MISSING_INT || (v >= -MONEY_MAX_USD && v <= MONEY_MAX_USD);
}

/* The row's scope unit replaces the earlier rows it holds (tr/replace.h); the replacement
 * state is made at the first row, when the format has said the file's release. */
static int replace_scope(struct tr_import *imp, const struct tr_factkey *k, int level,
                         const struct tr_fact *f, long line, struct tr_err *e)
{
    if (!tr_factkey_valid(k))   /* a breakdown row out of the key's range: no unit */
        return TR_OK;
    if (!imp->replace &&
        !(imp->replace = tr_replace_new(imp->db, imp->load_id, imp->fmt->scope, imp->release,
                                        imp->path, &imp->replace_opts, writer_db_enter,
                                        writer_db_leave, imp->writer)))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return tr_replace_row(imp->replace, tr_factkey_pack(k), level, f->value_usd, f->breakdown,
                          line, e);
}

int tr_import_fact(struct tr_import *imp, const struct tr_fact *f,
                   const struct tr_csv_record *rec, struct tr_err *e)
{
    int rc;
    /* rejected before the row counts in its partition */
    struct tr_factkey k = {f->source_id, f->year, f->month, f->reporter, f->classification,
                           f->partner, f->flow, f->product};
    if (!f->breakdown && !tr_factkey_valid(&k))
        return tr_import_reject(imp, rec, NULL, "OUT_OF_RANGE",
                                "year, month, country or product outside the supported range");
    if (!money_plausible(f->value_usd) || !money_plausible(f->cif_usd) ||
        !money_plausible(f->fob_usd))
        return tr_import_reject(imp, rec, NULL, "OUT_OF_RANGE",
                                "a value above 10^15 US$ (world trade is about 2.5 x 10^13 a "
                                "year): a unit or typing error");
    note_common(&imp->facts_cls, f->classification);
    note_common(&imp->facts_year, f->year);
    if ((rc = claim_fact_partition(imp, f, e)))
        return rc;
    if (!imp->writer && (rc = open_writer(imp, e)))
        return rc;
    int level = tr_codes_product_level(imp->codes, f->product);
    if ((rc = replace_scope(imp, &k, level, f, rec->line, e)))
        return rc;
    struct tr_factrow *r = tr_factwriter_next(imp->writer);
    r->kind = f->breakdown ? TR_ROW_BREAKDOWN : TR_ROW_FACT;
    r->key = f->breakdown ? 0 : tr_factkey_pack(&k);
    r->part_idx = imp->last_part_idx;
    r->level = level;
    r->f = *f;
    copy_text(r->qty_unit, sizeof(r->qty_unit), f->qty_unit);
    copy_text(r->customs_code, sizeof(r->customs_code), f->customs_code);
    copy_text(r->mot_code, sizeof(r->mot_code), f->mot_code);
    r->f.qty_unit = r->f.customs_code = r->f.mot_code = NULL;
    r->line = rec->line;
    r->offset = rec->offset;
    imp->rows_loaded++;
    return tr_factwriter_push(imp->writer, e);
}

/* After the writer finished: rows whose key an earlier row had become DUPLICATE_KEY rejects,
 * in line order with the others. */
static int reject_duplicates(struct tr_import *imp)
{
    size_t n;
    const struct tr_duprow *d = tr_factwriter_duplicates(imp->writer, &n);
    for (size_t i = 0; i < n; i++) {
        struct tr_csv_record rec = {.line = d[i].line, .offset = d[i].offset, .raw = d[i].raw,
                                    .raw_len = strlen(d[i].raw)};
        imp->rows_loaded--;
        imp->part_rows[d[i].part_idx]--;
        int rc = tr_import_reject(imp, &rec, NULL, "DUPLICATE_KEY",
                                  "the same reporter, partner, period, flow and product appear "
                                  "earlier in the file");
        if (rc)
            return rc;
    }
    return TR_OK;
}

static int by_line(const void *a, const void *b)
{
    const struct reject *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Inserts what the writer still holds, stops its thread, turns duplicates into rejects. */
static int finish_facts(struct tr_import *imp, struct tr_err *e)
{
    if (!imp->writer)
        return TR_OK;
    int rc = tr_factwriter_finish(imp->writer, e);
    if (rc)
        return rc;
    size_t n_dups;
    tr_factwriter_duplicates(imp->writer, &n_dups);
    if (!n_dups)
        return TR_OK;
    if ((rc = reject_duplicates(imp)))
        return tr_err_set(e, rc, "out of memory");
    qsort(imp->rejects, imp->n_rejects, sizeof(*imp->rejects), by_line);
    return TR_OK;
}

/* Did the file bring any trade facts (and so sum_trade groups)? */
static int has_facts(const struct tr_import *imp)
{
    return imp->writer && tr_factwriter_has_sums(imp->writer);
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
    double el = (double)(now.tv_sec - imp->t0.tv_sec) + (double)(now.tv_nsec - imp->t0.tv_nsec) / 1e9;
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
                         "(%s)", found, tried);
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
        return tr_err_set(e, TR_EFAIL, "interrupted by signal %d: '%s' rolled back, nothing "
                          "committed", (int)tr_signal_caught, imp->path);
    imp->rows_read++;
    if (imp->die_after && imp->rows_read > imp->die_after)
        raise(SIGKILL);   /* test hook for crash tests, see tests/faults */
    if (rec->bad_encoding)   /* the file is UTF-8 (it has UTF-8 characters): this line is not */
        return tr_import_reject(imp, rec, NULL, "BAD_ENCODING",
                                "invalid UTF-8 at byte %lld of the file (a character in another "
                                "encoding in a UTF-8 file)", rec->bad_offset);
    if (imp->expect_fields && rec->n != imp->expect_fields)
        return tr_import_reject(imp, rec, NULL, "FIELD_COUNT", "%zu fields, expected %zu",
                                rec->n, imp->expect_fields);
    return imp->fmt->row(imp, rec, e);
}

/* ---------- load_log ---------- */

/* The id the file's load_log row will have: the row itself is written last, with its final
 * figures, under the write lock taken by BEGIN IMMEDIATE (the facts carry the id meanwhile;
 * foreign keys are checked at COMMIT). Why last: a page written early in a large transaction
 * is spilled to the WAL and, changed again at the end, rewritten in place, after which SQLite
 * reads the whole WAL back at COMMIT to chain its checksums anew (0.3 GB for a BACI year). */
static int reserve_load_id(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st, "SELECT coalesce(max(load_id), 0) + 1 FROM load_log", e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        imp->load_id = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return s == SQLITE_ROW ? TR_OK : db_fail(imp, s, e);
}

static int insert_load_log(struct tr_import *imp, const struct tr_file_scan *scan,
                           const char *status, const char *message, const char *started,
                           struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    char finished[32];
    tr_now_iso(finished);
    int rc = prepare(imp, &st,
                     "INSERT INTO load_log (load_id, source, format, path, file_name, sha256, "
                     "bytes, encoding, classification, data_year, release, rows_read, "
                     "rows_loaded, rows_rejected, rows_replaced, status, message, started_at, "
                     "finished_at, tool_version) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
    if (rc)
        return rc;
    int brc = SQLITE_OK;
    if (imp->load_id)
        brc |= sqlite3_bind_int64(st, 1, imp->load_id);
    brc |= sqlite3_bind_text(st, 2, imp->fmt ? imp->fmt->source : "unknown", -1, SQLITE_STATIC);
    brc |= sqlite3_bind_text(st, 3, imp->fmt ? imp->fmt->name : "unknown", -1, SQLITE_STATIC);
    brc |= sqlite3_bind_text(st, 4, imp->path, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_text(st, 5, imp->member ? imp->member->shown_name : imp->file_name, -1,
                             SQLITE_TRANSIENT);
    brc |= sqlite3_bind_text(st, 6, scan->sha256, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_int64(st, 7, scan->bytes);
    brc |= sqlite3_bind_text(st, 8, imp->latin1 ? "windows-1252" : "utf-8", -1, SQLITE_STATIC);
    if (imp->classification >= 0)
        brc |= sqlite3_bind_text(st, 9, tr_classification_name(imp->classification), -1,
                          SQLITE_STATIC);
    if (imp->year)
        brc |= sqlite3_bind_int(st, 10, imp->year);
    if (imp->release[0])
        brc |= sqlite3_bind_text(st, 11, imp->release, -1, SQLITE_TRANSIENT);
    /* a failed file commits nothing: every row read counts as not loaded; load_reject keeps
     * the rows that had a reason of their own */
    int failed = strcmp(status, "failed") == 0;
    brc |= sqlite3_bind_int64(st, 12, imp->rows_read);
    brc |= sqlite3_bind_int64(st, 13, failed ? 0 : imp->rows_loaded);
    brc |= sqlite3_bind_int64(st, 14, failed ? imp->rows_read : imp->rows_rejected);
    brc |= sqlite3_bind_int64(st, 15, imp->rows_replaced + tr_replace_rows(imp->replace));
    brc |= sqlite3_bind_text(st, 16, status, -1, SQLITE_STATIC);
    if (message)
        brc |= sqlite3_bind_text(st, 17, message, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_text(st, 18, started, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_text(st, 19, finished, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_text(st, 20, TR_VERSION, -1, SQLITE_STATIC);
    if (brc != SQLITE_OK) {   /* TRANSIENT binds copy: they can run out of memory */
        sqlite3_finalize(st);
        return tr_err_set(e, TR_ENOMEM, "out of memory recording the load of '%s'", imp->path);
    }
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return db_fail(imp, s, e);
    imp->load_id = (long)sqlite3_last_insert_rowid(imp->db);
    return imp->member ? tr_import_record_member(imp->db, imp->load_id, imp->member, e) : TR_OK;
}

static int write_rejects(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st,
                     "INSERT INTO load_reject (load_id, line, byte_offset, column_name, "
                     "error_type, raw_line, message) VALUES (?,?,?,?,?,?,?)", e);
    for (size_t i = 0; i < imp->n_rejects && !rc; i++) {
        const struct reject *r = &imp->rejects[i];
        sqlite3_bind_int64(st, 1, imp->load_id);
        sqlite3_bind_int64(st, 2, r->line);
        sqlite3_bind_int64(st, 3, r->offset);
        if (r->column)
            sqlite3_bind_text(st, 4, r->column, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_text(st, 5, r->type, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, r->raw, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, r->msg, -1, SQLITE_STATIC);
        int s = sqlite3_step(st);
        if (s != SQLITE_DONE)
            rc = db_fail(imp, s, e);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* After a rollback: the failed load's lineage row and its rejects, in their own transaction,
 * so the facts stay exactly as they were before the file. */
static int record_failure(struct tr_import *imp, const struct tr_file_scan *scan,
                          const char *started, const struct tr_err *why)
{
    struct tr_err e2;
    tr_err_init(&e2);
    char msg[TR_ERR_MSG + 300];
    if (why->line)
        snprintf(msg, sizeof(msg), "line %ld: %s", why->line, why->msg);
    else
        snprintf(msg, sizeof(msg), "%s", why->msg);
    tr_utf8_trim_partial(msg);
    imp->load_id = 0;
    imp->rows_loaded = 0;
    if (tr_stmt_script(imp->db, "BEGIN IMMEDIATE", &e2))
        return e2.code;
    if (insert_load_log(imp, scan, "failed", msg, started, &e2) || write_rejects(imp, &e2)) {
        sqlite3_exec(imp->db, "ROLLBACK", NULL, NULL, NULL);
        return e2.code;
    }
    return tr_stmt_script(imp->db, "COMMIT", &e2);
}

static int already_loaded(struct tr_import *imp, const char *sha, long *load_id, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st, "SELECT load_id FROM load_log WHERE sha256 = ? AND status IN "
                               "('committed', 'superseded') AND load_id NOT IN (SELECT load_id "
                               "FROM load_unload) ORDER BY load_id LIMIT 1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    *load_id = s == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return db_fail(imp, s, e);
    return TR_OK;
}

static int check_scan(struct tr_import *imp, const struct tr_file_scan *scan, struct tr_err *e)
{
    if (scan->bytes == 0 || (scan->bom && scan->bytes == 3))
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1, "empty file: no header, no data");
    if (scan->utf16)   /* Excel's "Unicode Text": tab-separated UTF-16, not CSV */
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1,
                             "UTF-16 text (%s), not CSV: save it as \"CSV UTF-8\"",
                             scan->utf16 == 'L' ? "little-endian" : "big-endian");
    if (scan->gzip)
        return tr_err_set_at(e, TR_EINPUT, imp->path, 1,
                             "gzip-compressed data, not CSV: decompress it first (gunzip)");
    if (scan->first_nul >= 0)
        return tr_err_set_at(e, TR_EINPUT, imp->path, scan->nul_line,
                             "binary data: NUL byte at offset %lld; not a CSV text file",
                             scan->first_nul);
    return TR_OK;
}

static void release(struct tr_import *imp)
{
    free_rejects(imp);
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

static void fill_result(struct tr_import *imp, struct tr_import_result *res)
{
    res->load_id = imp->load_id;
    snprintf(res->format, sizeof(res->format), "%s", imp->fmt ? imp->fmt->name : "unknown");
    res->rows_read = imp->rows_read;
    res->rows_loaded = imp->rows_loaded;
    res->rows_rejected = imp->rows_rejected;
    res->rows_replaced = imp->rows_replaced + tr_replace_rows(imp->replace);
    res->rejects_shown = 0;
    for (size_t i = 0; i < imp->n_rejects && i < 5; i++) {
        const struct reject *r = &imp->rejects[i];
        snprintf(res->first_rejects[i], sizeof(res->first_rejects[i]), "%s:%ld: %s%s%s: %s",
                 imp->path, r->line, r->type, r->column ? " in " : "",
                 r->column ? r->column : "", r->msg);
        tr_utf8_trim_partial(res->first_rejects[i]);
        res->rejects_shown++;
    }
}

/* The input as opened once: the scan and the parse both read this descriptor, so the bytes
 * hashed are the bytes parsed whatever happens to the name meanwhile. */
struct input {
    int fd;
    struct tr_file_id id;
    const struct tr_import_member *member;   /* NULL for a loose file */
};

static int import_file(sqlite3 *db, const char *path, const struct input *in,
                       const struct tr_import_opts *o, struct tr_import_result *res,
                       struct tr_err *e, int parallel);

/* The file scan (sha256, UTF-8, NUL) of a large new file runs on the second core while the
 * first one parses it; its verdict is applied before anything commits. */
#define PARALLEL_SCAN_MIN (4 << 20)

struct scan_job {
    pthread_t thread;
    int running;
    int fd;
    const char *path;
    struct tr_file_scan scan;
    struct tr_err err;
    int rc;
};

static void *scan_main(void *arg)
{
    struct scan_job *j = arg;
    j->rc = tr_file_scan(j->fd, j->path, &j->scan, &j->err);
    return NULL;
}

static int scan_start(struct scan_job *j, int fd, const char *path)
{
    memset(j, 0, sizeof(*j));
    j->fd = fd;
    j->path = path;
    tr_err_init(&j->err);
    j->running = pthread_create(&j->thread, NULL, scan_main, j) == 0;
    return j->running;
}

/* Waits for the scan; copies its outcome into *scan and, on a read error, into e. */
static int scan_finish(struct scan_job *j, struct tr_file_scan *scan, struct tr_err *e)
{
    if (!j->running)
        return TR_OK;
    pthread_join(j->thread, NULL);
    j->running = 0;
    *scan = j->scan;
    if (j->rc) {
        tr_err_set(e, j->err.code, "%s", j->err.msg);
        return j->rc;
    }
    return TR_OK;
}

/* Could the file be one loaded before? Same bytes means the same size, so only then does the
 * sha256 have to be known before parsing. */
static int size_seen_before(sqlite3 *db, long long bytes)
{
    sqlite3_stmt *st = NULL;
    int seen = 1;   /* when in doubt, scan first */
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM load_log WHERE bytes = ? AND status IN "
                               "('committed', 'superseded')", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, bytes);
        if (sqlite3_step(st) == SQLITE_ROW)
            seen = sqlite3_column_int(st, 0) > 0;
    }
    sqlite3_finalize(st);
    return seen;
}

/* Joins the scan and applies its verdict: a structural problem fails the file, a Windows-1252
 * file asks for a second, converting parse (TR_RESTART_LATIN1). */
static int finish_parallel_scan(struct tr_import *imp, struct scan_job *job,
                                struct tr_file_scan *scan, struct tr_err *e)
{
    int rc = scan_finish(job, scan, e);
    if (rc)
        return rc;
    if ((rc = check_scan(imp, scan, e)))
        return rc;
    return tr_file_scan_cp1252(scan) ? TR_RESTART_LATIN1 : TR_OK;
}

int tr_import_file(sqlite3 *db, const char *path, const struct tr_import_opts *o,
                   struct tr_import_result *res, struct tr_err *e)
{
    memset(res, 0, sizeof(*res));
    res->status = TR_LOAD_FAILED;
    struct input in = {.member = NULL};
    int rc = tr_input_open(path, &in.fd, &in.id, e);   /* a FIFO or device: refused at once */
    if (rc)
        return rc;
    int parallel = in.id.size >= PARALLEL_SCAN_MIN && !getenv("TR_SERIAL_SCAN") &&
                   !size_seen_before(db, in.id.size);
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
    int parallel = in.id.size >= PARALLEL_SCAN_MIN && !getenv("TR_SERIAL_SCAN") &&
                   !size_seen_before(db, in.id.size);
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
    return TR_EFAIL;   /* the header is all it takes: stop the read */
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
    return TR_OK;   /* a file whose first record cannot be read is no known format */
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

/* Inserting on the second core pays from a few MB on; TR_WRITER_THREAD=1 or 0 forces it
 * either way (the tests run both). */
static int writer_threaded(long long bytes)
{
    const char *force = getenv("TR_WRITER_THREAD");
    if (force && *force)
        return strcmp(force, "0") != 0;
    return bytes >= PARALLEL_SCAN_MIN;
}

static int import_file(sqlite3 *db, const char *path, const struct input *in,
                       const struct tr_import_opts *o, struct tr_import_result *res,
                       struct tr_err *e, int parallel)
{
    struct tr_import imp;
    struct tr_file_scan scan;
    char started[32];
    int rc, in_tx = 0;

    memset(&imp, 0, sizeof(imp));
    memset(res, 0, sizeof(*res));
    imp.db = db;
    imp.path = path;
    const char *slash = strrchr(path, '/');
    imp.file_name = in->member ? in->member->file_name : slash ? slash + 1 : path;
    imp.member = in->member;
    imp.classification = -1;
    imp.facts_cls = imp.facts_year = -1;
    static const struct tr_import_opts no_opts;
    imp.opts = o ? o : &no_opts;
    imp.progress = o && o->progress;
    if (o)
        imp.replace_opts = (struct tr_replace_opts){o->allow_older_release, o->accept_shrink};
    const char *die = getenv("TR_TEST_DIE_AFTER_ROWS");
    imp.die_after = die ? atol(die) : 0;
    tr_now_iso(started);
    clock_gettime(CLOCK_MONOTONIC, &imp.t0);
    imp.last_progress = imp.t0;

    if (o && o->format && strcmp(o->format, "auto") != 0 &&
        !(imp.fmt = tr_format_find(o->format))) {
        return tr_err_set(e, TR_EUSAGE, "unknown format '%s'", o->format);
    }
    struct scan_job job;
    memset(&scan, 0, sizeof(scan));
    memset(&job, 0, sizeof(job));
    if (parallel && scan_start(&job, in->fd, path)) {
        /* parsed as UTF-8; the scan's verdict comes before the commit */
        scan.valid_utf8 = 1;
        scan.bytes = in->id.size;
        imp.file_bytes = scan.bytes;
        imp.threaded = writer_threaded(imp.file_bytes);
    } else {
        if ((rc = tr_file_scan(in->fd, path, &scan, e)))
            return rc;
        test_hooks_after_scan(path);
        imp.file_bytes = scan.bytes;
        imp.threaded = writer_threaded(imp.file_bytes);
        long earlier = 0;
        if ((rc = already_loaded(&imp, scan.sha256, &earlier, e)))
            return rc;
        if (earlier) {
            res->status = TR_LOAD_ALREADY;
            res->load_id = earlier;
            return TR_OK;
        }
        if ((rc = check_scan(&imp, &scan, e)))
            goto failed;
    }

    if (!(imp.partitions = tr_strmap_new())) {
        rc = tr_err_set(e, TR_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = tr_stmt_script(db, "BEGIN IMMEDIATE", e)))
        goto out;
    in_tx = 1;
    if ((rc = tr_stmt_script(db, "PRAGMA defer_foreign_keys = ON", e)) ||
        (rc = tr_codes_open(db, &imp.codes, e)) || (rc = reserve_load_id(&imp, e)))
        goto out;

    struct tr_csv_opts copts = {.cp1252 = tr_file_scan_cp1252(&scan), .progress = show_progress};
    imp.latin1 = copts.cp1252;
    rc = tr_csv_read(in->fd, path, &copts, on_record, &imp, &imp.ended_with_newline, e);
    if (imp.progress)
        fputc('\n', stderr);
    if (rc)
        goto out;
    if (!imp.header_seen) {
        rc = tr_err_set_at(e, TR_EINPUT, path, 1, "empty file: no header, no data");
        goto out;
    }
    if (!imp.ended_with_newline && imp.expect_fields && imp.last_fields < imp.expect_fields &&
        imp.rows_read > 0) {
        rc = tr_err_set_at(e, TR_EINPUT, path, imp.last_line,
                           "truncated file: the last record has %zu of %zu fields and no line "
                           "end", imp.last_fields, imp.expect_fields);
        goto out;
    }
    if ((rc = finish_facts(&imp, e)) || (imp.fmt->end && (rc = imp.fmt->end(&imp, e))))
        goto out;
    if (job.running && (rc = finish_parallel_scan(&imp, &job, &scan, e)))
        goto out;
    if ((rc = tr_input_unchanged(in->fd, path, &in->id, e)))   /* appended or rewritten */
        goto out;
    if (imp.rows_rejected > (o ? o->max_rejects : 0)) {
        const struct reject *r = imp.n_rejects ? &imp.rejects[0] : NULL;
        rc = tr_err_set_at(e, TR_EINPUT, path, r ? r->line : 0,
                           "%ld row%s rejected, more than --max-rejects %ld allowed; first: %s%s%s",
                           imp.rows_rejected, imp.rows_rejected == 1 ? "" : "s",
                           o ? o->max_rejects : 0, r ? r->type : "", r ? ": " : "",
                           r ? r->msg : "");
        goto out;
    }
    /* a file of one HS revision (or one year) says so in load_log, named or not */
    if (imp.classification < 0 && imp.facts_cls >= 0)
        imp.classification = imp.facts_cls;
    if (!imp.year && imp.facts_year >= 0)
        imp.year = imp.facts_year;
    if ((imp.replace && (rc = tr_replace_before_sums(imp.replace, e))) ||
        (imp.writer && (rc = tr_factwriter_write_sums(imp.writer, e))) ||
        (imp.replace && (rc = tr_replace_finish(imp.replace, e))) ||
        (rc = write_partitions(&imp, e)) ||
        (has_facts(&imp) && (rc = tr_summary_refresh_load(db, imp.load_id, e))) ||
        (has_facts(&imp) && (rc = tr_hs_reference_need(db, NULL, e))) ||
        (rc = insert_load_log(&imp, &scan, "committed", NULL, started, e)) ||
        (rc = write_rejects(&imp, e)))
        goto out;
    if (tr_signal_caught) {
        rc = tr_err_set(e, TR_EFAIL, "interrupted by signal %d: '%s' rolled back, nothing "
                        "committed", (int)tr_signal_caught, path);
        goto out;
    }
    if ((rc = tr_stmt_script(db, "COMMIT", e)))
        goto out;
    in_tx = 0;
    res->status = TR_LOAD_COMMITTED;
    fill_result(&imp, res);
    res->sorted_first = imp.writer && tr_factwriter_sorted(imp.writer);
out:
    if (imp.writer) {   /* its thread stops before the transaction ends */
        tr_codes_set_gate(imp.codes, NULL, NULL, NULL);
        tr_factwriter_free(imp.writer);
        imp.writer = NULL;
    }
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (job.running) {
        /* a parse error in a file the scan calls binary, gzip or mis-encoded is reported as
         * what the scan found: that is the cause */
        struct tr_err why;
        tr_err_init(&why);
        int src = finish_parallel_scan(&imp, &job, &scan, &why);
        if (src) {
            *e = why;
            rc = src;
        }
    }
    if (rc == TR_RESTART_LATIN1) {
        release(&imp);
        return rc;
    }
    if (rc && rc != TR_EUSAGE) {
failed:
        /* nothing committed: nothing was replaced either */
        imp.rows_replaced = 0;
        res->refused_by = tr_replace_refused(imp.replace);
        tr_replace_free(imp.replace);
        imp.replace = NULL;
        fill_result(&imp, res);
        res->status = TR_LOAD_FAILED;
        res->rows_loaded = 0;
        /* lineage of the failure; if even that cannot be written, the error above stands */
        res->load_id = 0;
        if (rc == TR_EINPUT && record_failure(&imp, &scan, started, e) == TR_OK)
            res->load_id = imp.load_id;
    }
    release(&imp);
    return rc;
}
