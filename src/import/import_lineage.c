/*
 * The lineage of a load: its load_log row (written last, with the final figures), the rows it
 * rejected (load_reject, with line, offset, column and reason), the row of a failed load in a
 * transaction of its own, and the check that a file was loaded before. The figures themselves
 * are counted by the pipeline (import.c); this file only records them.
 */
#include "tr/import_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/db.h"
#include "tr/stmt.h"
#include "tr/utf8.h"

#define REJECTS_KEPT 10000 /* rejects stored per file; all are counted */

/* ---------- rejects ---------- */

int tr_import_reject(struct tr_import *imp, const struct tr_csv_record *rec, const char *column,
                     const char *type, const char *fmt, ...)
{
    imp->rows_rejected++;
    if (imp->n_rejects >= REJECTS_KEPT)
        return TR_OK;
    if (imp->n_rejects == imp->cap_rejects) {
        size_t cap = imp->cap_rejects ? imp->cap_rejects * 2 : 64;
        struct tr_import_rejected *r = realloc(imp->rejects, cap * sizeof(*r));
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
    tr_utf8_trim_partial(msg); /* a quoted name cut to the buffer keeps whole characters */
    struct tr_import_rejected *r = &imp->rejects[imp->n_rejects];
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

void tr_import_free_rejects(struct tr_import *imp)
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

/* ---------- load_log ---------- */

/* The id the file's load_log row will have: the row itself is written last, with its final
 * figures, under the write lock taken by BEGIN IMMEDIATE (the facts carry the id meanwhile;
 * foreign keys are checked at COMMIT). Why last: a page written early in a large transaction
 * is spilled to the WAL and, changed again at the end, rewritten in place, after which SQLite
 * reads the whole WAL back at COMMIT to chain its checksums anew (0.3 GB for a BACI year). */
int tr_import_reserve_load_id(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_import_prepare(imp, &st, "SELECT coalesce(max(load_id), 0) + 1 FROM load_log", e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        imp->load_id = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return s == SQLITE_ROW ? TR_OK : tr_import_db_fail(imp, s, e);
}

int tr_import_insert_load_log(struct tr_import *imp, const struct tr_file_scan *scan,
                              const char *status, const char *message, const char *started,
                              struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    char finished[32];
    tr_now_iso(finished);
    int rc = tr_import_prepare(
        imp, &st,
        "INSERT INTO load_log (load_id, source, format, path, file_name, sha256, "
        "bytes, encoding, classification, data_year, release, rows_read, "
        "rows_loaded, rows_rejected, rows_replaced, status, message, started_at, "
        "finished_at, tool_version) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        e);
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
    if (brc != SQLITE_OK) { /* TRANSIENT binds copy: they can run out of memory */
        sqlite3_finalize(st);
        return tr_err_set(e, TR_ENOMEM, "out of memory recording the load of '%s'", imp->path);
    }
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_import_db_fail(imp, s, e);
    imp->load_id = (long)sqlite3_last_insert_rowid(imp->db);
    return imp->member ? tr_import_record_member(imp->db, imp->load_id, imp->member, e) : TR_OK;
}

int tr_import_write_rejects(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc =
        tr_import_prepare(imp, &st,
                          "INSERT INTO load_reject (load_id, line, byte_offset, column_name, "
                          "error_type, raw_line, message) VALUES (?,?,?,?,?,?,?)",
                          e);
    for (size_t i = 0; i < imp->n_rejects && !rc; i++) {
        const struct tr_import_rejected *r = &imp->rejects[i];
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
            rc = tr_import_db_fail(imp, s, e);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* After a rollback: the failed load's lineage row and its rejects, in their own transaction,
 * so the facts stay exactly as they were before the file. */
int tr_import_record_failure(struct tr_import *imp, const struct tr_file_scan *scan,
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
    if (tr_import_insert_load_log(imp, scan, "failed", msg, started, &e2) ||
        tr_import_write_rejects(imp, &e2)) {
        sqlite3_exec(imp->db, "ROLLBACK", NULL, NULL, NULL);
        return e2.code;
    }
    return tr_stmt_script(imp->db, "COMMIT", &e2);
}

int tr_import_already_loaded(struct tr_import *imp, const char *sha, long *load_id,
                             struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_import_prepare(imp, &st,
                               "SELECT load_id FROM load_log WHERE sha256 = ? AND status IN "
                               "('committed', 'superseded') AND load_id NOT IN (SELECT load_id "
                               "FROM load_unload) ORDER BY load_id LIMIT 1",
                               e);
    if (rc)
        return rc;
    if (tr_stmt_bind_text(st, 1, sha)) /* NULL would match nothing: "not loaded yet" */
        return tr_stmt_bind_failed(st, e);
    int s = sqlite3_step(st);
    *load_id = s == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return tr_import_db_fail(imp, s, e);
    return TR_OK;
}

void tr_import_fill_result(struct tr_import *imp, struct tr_import_result *res)
{
    res->load_id = imp->load_id;
    snprintf(res->format, sizeof(res->format), "%s", imp->fmt ? imp->fmt->name : "unknown");
    res->rows_read = imp->rows_read;
    res->rows_loaded = imp->rows_loaded;
    res->rows_rejected = imp->rows_rejected;
    res->rows_replaced = imp->rows_replaced + tr_replace_rows(imp->replace);
    res->time = imp->timings;
    res->rejects_shown = 0;
    for (size_t i = 0; i < imp->n_rejects && i < 5; i++) {
        const struct tr_import_rejected *r = &imp->rejects[i];
        snprintf(res->first_rejects[i], sizeof(res->first_rejects[i]), "%s:%ld: %s%s%s: %s",
                 imp->path, r->line, r->type, r->column ? " in " : "", r->column ? r->column : "",
                 r->msg);
        tr_utf8_trim_partial(res->first_rejects[i]);
        res->rejects_shown++;
    }
}
