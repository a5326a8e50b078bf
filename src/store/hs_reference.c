/*
 * HS reference rows into the database, from the arrays compiled into the binary
 * (tr/hs_data.h). Loaded lazily: an empty database holds none (init stays as cheap as without
 * them); an import writes the rows its codes need, `tradereport reference load` all of them.
 * A code's correlation rows are always written together, so every view reads complete rows
 * for every code the data holds. It does not interpret the tables: the views do.
 */
#include "tr/hs_reference.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/hs_data.h"
#include "tr/stmt.h"

#define CODE_SPACE 1000000 /* six-digit codes */
#define N_OLDER 6          /* H0 .. H5 */

/* Which codes are wanted: bit sets over six-digit codes. */
struct want {
    uint8_t *h6;             /* HS2022 codes whose correlation rows are wanted */
    uint8_t *older[N_OLDER]; /* older codes, per revision */
    uint8_t *named;          /* HS2022 codes whose nomenclature rows are wanted */
    uint8_t heading[10000 / 8 + 1], chapter[100 / 8 + 1];
    int all; /* every row */
};

static int bit(const uint8_t *set, int i)
{
    return (set[i >> 3] >> (i & 7)) & 1;
}
static void set_bit(uint8_t *set, int i)
{
    set[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static void want_free(struct want *w)
{
    free(w->h6);
    free(w->named);
    for (int i = 0; i < N_OLDER; i++)
        free(w->older[i]);
}

static int want_init(struct want *w, struct tr_err *e)
{
    memset(w, 0, sizeof(*w));
    int ok = (w->h6 = calloc(CODE_SPACE / 8, 1)) && (w->named = calloc(CODE_SPACE / 8, 1));
    for (int i = 0; ok && i < N_OLDER; i++)
        ok = (w->older[i] = calloc(CODE_SPACE / 8, 1)) != NULL;
    if (!ok) {
        want_free(w);
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    }
    return TR_OK;
}

static int six_digit_code(const char *s)
{
    if (!s || strlen(s) != 6 || strspn(s, "0123456789") != 6)
        return -1;
    return atoi(s);
}

/* Marks the six-digit codes of dim_product not looked up before; *n counts them. */
static int mark_new_codes(sqlite3 *db, struct want *w, long *n, struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "SELECT classification, code FROM dim_product p "
                             "WHERE level = 6 AND classification BETWEEN 'H0' AND 'H6' "
                             "AND NOT EXISTS (SELECT 1 FROM hs_reference_code r WHERE "
                             "r.classification = p.classification AND r.code = p.code)",
                             "");
    if (rc)
        return rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cls = (const char *)sqlite3_column_text(st, 0);
        int code = six_digit_code((const char *)sqlite3_column_text(st, 1));
        int rev = cls ? cls[1] - '0' : -1;
        ++*n;
        if (code < 0 || rev < 0 || rev > N_OLDER)
            continue; /* national codes, 9999AA: in no table */
        set_bit(rev == N_OLDER ? w->h6 : w->older[rev], code);
        if (rev == N_OLDER)
            set_bit(w->named, code);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? TR_OK : tr_stmt_fail(db, rc, e);
}

static int step_reset(sqlite3 *db, sqlite3_stmt *st, struct tr_err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? TR_OK : tr_stmt_fail(db, rc, e);
}

/* Correlation rows that name a wanted code, with their HS2022 codes marked for naming. */
static int write_pairs(sqlite3 *db, struct want *w, long *added, struct tr_err *e)
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
        if (!w->all && !bit(w->h6, p->h6) && !bit(w->older[p->older_rev], p->older))
            continue;
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
        if ((rc = step_reset(db, st, e)) == TR_OK) {
            *added += sqlite3_changes(db);
            set_bit(w->named, p->h6);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Nomenclature rows of the named HS2022 codes, their headings and chapters; the sections. */
static int write_headings(sqlite3 *db, struct want *w, struct tr_err *e)
{
    for (int byte = 0; byte < CODE_SPACE / 8; byte++) /* most bytes are 0: skip them */
        for (int code = byte * 8; w->named[byte] && code < byte * 8 + 8; code++)
            if (bit(w->named, code)) {
                set_bit(w->heading, code / 100);
                set_bit(w->chapter, code / 10000);
            }
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "INSERT OR IGNORE INTO hs_nomenclature (classification, code, "
                             "level, parent, section, description) "
                             "VALUES ('H6', ?1, ?2, ?3, ?4, ?5)",
                             "");
    for (size_t i = 0; rc == TR_OK && i < tr_hs_n_headings; i++) {
        const struct tr_hs_heading *h = &tr_hs_headings[i];
        int n = atoi(h->code);
        int wanted = w->all || (h->level == 6 && bit(w->named, n)) ||
                     (h->level == 4 && bit(w->heading, n)) ||
                     (h->level == 2 && bit(w->chapter, n)) || h->level == 5;
        if (!wanted)
            continue;
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

static int write_wanted(sqlite3 *db, struct want *w, long *added, struct tr_err *e)
{
    long n = 0;
    int rc = write_pairs(db, w, &n, e);
    if (!rc)
        rc = write_headings(db, w, e);
    if (!rc)
        rc = tr_stmt_script(db,
                            "INSERT OR IGNORE INTO hs_reference_code (classification, code) "
                            "SELECT classification, code FROM dim_product "
                            "WHERE level = 6 AND classification BETWEEN 'H0' AND 'H6'",
                            e);
    if (!rc)
        rc = tr_stmt_exec(db, NULL, e,
                          "INSERT OR REPLACE INTO meta (key, value) "
                          "VALUES ('hs_reference', ?1)",
                          "t", tr_hs_fingerprint);
    if (added)
        *added = n;
    return rc;
}

int tr_hs_reference_need(sqlite3 *db, long *added, struct tr_err *e)
{
    if (added)
        *added = 0;
    int all = meta_is_current(db, "hs_reference_all", e);
    if (all < 0)
        return e->code ? e->code : TR_EIO;
    if (all)
        return TR_OK;
    struct want w;
    long n_new = 0;
    int rc = drop_stale(db, e);
    if (rc || (rc = want_init(&w, e)))
        return rc;
    if ((rc = mark_new_codes(db, &w, &n_new, e)) == TR_OK && n_new > 0)
        rc = write_wanted(db, &w, added, e);
    want_free(&w);
    return rc;
}

int tr_hs_reference_load_all(sqlite3 *db, long *added, struct tr_err *e)
{
    struct want w;
    int rc = drop_stale(db, e);
    if (rc || (rc = want_init(&w, e)))
        return rc;
    w.all = 1;
    rc = write_wanted(db, &w, added, e);
    want_free(&w);
    if (rc == TR_OK)
        rc = tr_stmt_exec(db, NULL, e,
                          "INSERT OR REPLACE INTO meta (key, value) "
                          "VALUES ('hs_reference_all', ?1)",
                          "t", tr_hs_fingerprint);
    return rc;
}
