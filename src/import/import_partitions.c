/*
 * The partitions of a load (source, HS revision, year, month, reporter): the rows a file
 * brings to each (load_partition), which earlier loads' partitions it takes over
 * (load_replacement; a load left with none is superseded), and a fast path that finds a
 * fact's partition by number. What trade rows a file replaces row by row is replace.c's.
 */
#include "tr/import_internal.h"
#include "tr/stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/codes.h"

static int exec_bound(struct tr_import *imp, const char *sql, const int64_t *args, int n,
                      const char *text_arg, long *changes, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_import_prepare(imp, &st, sql, e);
    if (rc)
        return rc;
    int i = 0;
    for (; i < n; i++)
        sqlite3_bind_int64(st, i + 1, args[i]);
    if (text_arg && tr_stmt_bind_text(st, i + 1, text_arg))
        return tr_stmt_bind_failed(st, e);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return tr_import_db_fail(imp, src, e);
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
    int rc =
        tr_import_prepare(imp, &st,
                          "SELECT p.load_id, p.rows FROM load_partition p "
                          "JOIN load_log l ON l.load_id = p.load_id AND l.status = 'committed' "
                          "WHERE p.source_id = ? AND p.classification = ? AND p.year = ? "
                          "AND p.month = ? AND p.reporter_id = ?",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, source_id);
    if (tr_stmt_bind_text(st, 2, cls)) /* NULL would find no partition: nothing replaced */
        return tr_stmt_bind_failed(st, e);
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
        return tr_import_db_fail(imp, rc, e);
    if (*old_rows >= 0) {
        int64_t rep[6] = {imp->load_id, source_id, year, month, reporter};
        rc = exec_bound(imp,
                        "INSERT INTO load_replacement (load_id, replaced_load_id, "
                        "source_id, classification, year, month, reporter_id, old_rows) "
                        "SELECT ?1, p.load_id, p.source_id, p.classification, p.year, p.month, "
                        "p.reporter_id, p.rows FROM load_partition p WHERE p.source_id = ?2 "
                        "AND p.year = ?3 AND p.month = ?4 AND p.reporter_id = ?5 "
                        "AND p.classification = ?6",
                        rep, 5, cls, NULL, e);
        if (rc)
            return rc;
        int64_t args[5] = {source_id, year, month, reporter, 0};
        rc = exec_bound(imp,
                        "DELETE FROM load_partition WHERE source_id = ?1 AND year = ?2 "
                        "AND month = ?3 AND reporter_id = ?4 AND classification = ?5",
                        args, 4, cls, NULL, e);
        if (rc)
            return rc;
    }
    return TR_OK;
}

int tr_import_write_partitions(struct tr_import *imp, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc =
        tr_import_prepare(imp, &st,
                          "INSERT INTO load_partition (load_id, source_id, classification, year, "
                          "month, reporter_id, rows) VALUES (?,?,?,?,?,?,?)",
                          e);
    if (rc)
        return rc;
    for (size_t i = 0; i < imp->n_parts && !rc; i++) {
        int src, year, month, rep;
        char cls[32];
        if (sscanf(imp->part_keys[i], "%d:%31[^:]:%d:%d:%d", &src, cls, &year, &month, &rep) != 5)
            continue;
        sqlite3_bind_int64(st, 1, imp->load_id);
        sqlite3_bind_int(st, 2, src);
        if (tr_stmt_bind_text(st, 3, cls)) {
            rc = tr_stmt_bind_failed(NULL, e);
            break;
        }
        sqlite3_bind_int(st, 4, year);
        sqlite3_bind_int(st, 5, month);
        sqlite3_bind_int(st, 6, rep);
        sqlite3_bind_int64(st, 7, imp->part_rows[i]);
        int s = sqlite3_step(st);
        if (s != SQLITE_DONE)
            rc = tr_import_db_fail(imp, s, e);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* earlier loads left with no partition at all were replaced in full */
    for (int i = 0; i < imp->n_replaced_loads && !rc; i++) {
        int64_t args[1] = {imp->replaced_loads[i]};
        rc = exec_bound(imp,
                        "UPDATE load_log SET status = 'superseded' WHERE load_id = ?1 AND "
                        "NOT EXISTS (SELECT 1 FROM load_partition WHERE load_id = ?1)",
                        args, 1, NULL, NULL, e);
    }
    return rc;
}

/* ---------- facts' partitions by number ---------- */

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
int tr_import_claim_fact_partition(struct tr_import *imp, const struct tr_fact *f,
                                   struct tr_err *e)
{
    int64_t key = ((int64_t)(f->source_id & 0xFF) << 48) |
                  ((int64_t)(f->classification & 0xF) << 44) |
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
