/*
 * HS reference rows into the database, from the arrays compiled into the binary
 * (tr/hs_data.h): every row, once per database. A new database gets them with the template
 * it is copied from (tr/db_template.h), which this code wrote at build time; a database made
 * from sql/ or upgraded gets them at init, one from another binary's data at its next import.
 * It does not interpret the tables: the views do.
 */
#include "tr/hs_reference.h"

#include <stdio.h>

#include "tr/hs_data.h"
#include "tr/stmt.h"

static int step_reset(sqlite3 *db, sqlite3_stmt *st, struct tr_err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TR_OK : tr_stmt_fail(db, rc, e);
}

/* Every correlation row of the six tables; *added counts those the database lacked. */
static int write_pairs(sqlite3 *db, long *added, struct tr_err *e)
{
    static const char *const rel[] = {"1:1", "n:1", "1:n", "n:n"};
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "INSERT OR IGNORE INTO hs_correlation (from_classification, "
                             "from_code, to_classification, to_code, relationship, "
                             "concordance_group, chained_group) "
                             "VALUES ('H6', ?1, ?2, ?3, ?4, ?5, ?6)",
                             "");
    for (size_t i = 0; rc == TR_OK && i < tr_hs_n_pairs; i++) {
        const struct tr_hs_pair *p = &tr_hs_pairs[i];
        char h6[8], older[8], group[8], chain[8], cls[3] = {'H', (char)('0' + p->older_rev), 0};
        snprintf(h6, sizeof(h6), "%06d", (int)p->h6);
        snprintf(older, sizeof(older), "%06d", (int)p->older);
        snprintf(group, sizeof(group), "%06d", (int)p->group);
        snprintf(chain, sizeof(chain), "%06d", (int)p->chain);
        /* a value not bound would be NULL, which OR IGNORE drops: a row lost without a word */
        if (tr_stmt_bind_text(st, 1, h6) | tr_stmt_bind_text(st, 2, cls) |
            tr_stmt_bind_text(st, 3, older) | tr_stmt_bind_text(st, 4, rel[p->relation & 3]) |
            tr_stmt_bind_text(st, 5, group) | tr_stmt_bind_text(st, 6, chain))
            return tr_stmt_bind_failed(st, e);
        if ((rc = step_reset(db, st, e)) == TR_OK)
            *added += sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The nomenclature: every HS2022 code with its headings and chapters; the 21 sections. */
static int write_nomenclature(sqlite3 *db, struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "INSERT OR IGNORE INTO hs_nomenclature (classification, code, "
                             "level, parent, section, description) "
                             "VALUES ('H6', ?1, ?2, ?3, ?4, ?5)",
                             "");
    for (size_t i = 0; rc == TR_OK && i < tr_hs_n_headings; i++) {
        const struct tr_hs_heading *h = &tr_hs_headings[i];
        if (tr_stmt_bind_text(st, 1, h->code) | sqlite3_bind_int(st, 2, h->level) |
            tr_stmt_bind_text(st, 3, h->parent) | tr_stmt_bind_text(st, 4, h->section) |
            tr_stmt_bind_text(st, 5, h->description))
            return tr_stmt_bind_failed(st, e);
        rc = step_reset(db, st, e);
    }
    sqlite3_finalize(st);
    if (rc == TR_OK)
        rc = tr_stmt_prepare(db, &st, e,
                             "INSERT OR IGNORE INTO hs_nomenclature_section "
                             "(section, name) VALUES (?1, ?2)",
                             "");
    else
        st = NULL;
    for (size_t i = 0; rc == TR_OK && i < tr_hs_n_sections; i++) {
        if (tr_stmt_bind_text(st, 1, tr_hs_sections[i].section) |
            tr_stmt_bind_text(st, 2, tr_hs_sections[i].name))
            return tr_stmt_bind_failed(st, e);
        rc = step_reset(db, st, e);
    }
    sqlite3_finalize(st);
    return rc;
}

/* 1 when meta's key holds this binary's fingerprint, 0 when not, -1 with e set when the
 * question could not be asked (out of memory, I/O): never taken for "not current", which would
 * delete every reference row. */
static int meta_is_current(sqlite3 *db, const char *key, struct tr_err *e)
{
    sqlite3_stmt *st;
    if (tr_stmt_prepare(db, &st, e, "SELECT 1 FROM meta WHERE key = ?1 AND value = ?2", "tt", key,
                        tr_hs_fingerprint))
        return -1;
    int rc = sqlite3_step(st);
    int yes = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (yes < 0)
        tr_stmt_fail(db, rc, e);
    sqlite3_finalize(st);
    return yes;
}

/* Rows of another binary's data (an older copy of data/hs) go before this one's come in. */
static int drop_stale(sqlite3 *db, struct tr_err *e)
{
    int current = meta_is_current(db, "hs_reference", e);
    if (current < 0)
        return e->code ? e->code : TR_EIO;
    if (current)
        return TR_OK;
    return tr_stmt_script(db,
                          "DELETE FROM hs_correlation; DELETE FROM hs_nomenclature; "
                          "DELETE FROM hs_nomenclature_section; "
                          "DELETE FROM hs_reference_code; "
                          "DELETE FROM meta WHERE key IN ('hs_reference', "
                          "'hs_reference_all');",
                          e);
}

int tr_hs_reference_load_all(sqlite3 *db, long *added, struct tr_err *e)
{
    long n = 0;
    int rc = drop_stale(db, e);
    if (!rc)
        rc = write_pairs(db, &n, e);
    if (!rc)
        rc = write_nomenclature(db, e);
    if (!rc)
        rc = tr_stmt_exec(db, NULL, e,
                          "INSERT OR REPLACE INTO meta (key, value) "
                          "VALUES ('hs_reference', ?1), ('hs_reference_all', ?1)",
                          "t", tr_hs_fingerprint);
    if (added)
        *added = n;
    return rc;
}

int tr_hs_reference_ensure_all(sqlite3 *db, struct tr_err *e)
{
    int all = meta_is_current(db, "hs_reference_all", e);
    if (all < 0)
        return e->code ? e->code : TR_EIO;
    return all ? TR_OK : tr_hs_reference_load_all(db, NULL, e);
}
