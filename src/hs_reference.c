/*
 * Loads the HS reference data (data/hs/ CSV files, embedded by tools/embed_data.sh) into the tables
 * of sql/0010: the HS 2022 nomenclature, its sections and the six UNSD correlation tables, each
 * as shipped. Parsed with libcsv from memory and inserted with one prepared statement per table
 * inside the caller's (init's) transaction, so a fresh database costs a few tens of ms.
 * Also computes each correlation row's concordance group (connected codes of the two revisions).
 * It does not interpret the tables: the views do (sql/views/v_hs_*.sql, v_basket_flows.sql).
 */
#include "tr/hs_reference.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_embed.h"
#include "tr/codes.h"
#include "tr/db.h"

#define MAX_FIELDS 6
#define FIELD_MAX 1024        /* longest HS2022 description is under 400 bytes */
#define CODE_SPACE 1000000    /* six-digit codes: one union-find node per code and revision */

/* ---- records from an embedded CSV file ---------------------------------------------------- */

struct rec {
    const char *file;
    long line;                           /* record number, header = 1 */
    size_t nf;
    int overflow;                        /* too many or too long fields */
    char f[MAX_FIELDS][FIELD_MAX];
};

typedef int (*rec_fn)(void *ctx, const struct rec *r, struct tr_err *e);

struct parse {
    struct rec r;
    rec_fn fn;
    void *ctx;
    struct tr_err *e;
    int rc;                              /* first failure: later records are skipped */
};

static void on_field(void *s, size_t len, void *data)
{
    struct parse *p = data;
    if (p->r.nf >= MAX_FIELDS || len >= FIELD_MAX) {
        p->r.overflow = 1;
        return;
    }
    memcpy(p->r.f[p->r.nf], s, len);
    p->r.f[p->r.nf++][len] = '\0';
}

static void on_record(int c, void *data)
{
    (void)c;
    struct parse *p = data;
    p->r.line++;
    if (p->rc == TR_OK && p->r.overflow)
        p->rc = tr_err_set(p->e, TR_ENOMEM, "hs reference data: %s record %ld: field too long "
                           "or too many fields", p->r.file, p->r.line);
    if (p->rc == TR_OK)
        p->rc = p->fn(p->ctx, &p->r, p->e);
    p->r.nf = 0;
    p->r.overflow = 0;
}

/* Feeds one embedded file to fn record by record (the header included, as record 1). */
static int parse_file(const struct tr_data_file *df, rec_fn fn, void *ctx, struct tr_err *e)
{
    struct parse *p = calloc(1, sizeof(*p));
    if (!p)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    p->r.file = df->name;
    p->fn = fn;
    p->ctx = ctx;
    p->e = e;
    const char *text = df->text;
    size_t len = df->len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {   /* sections.csv has a BOM */
        text += 3;
        len -= 3;
    }
    struct csv_parser cp;
    int rc = TR_OK;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(p);
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    }
    if (csv_parse(&cp, text, len, on_field, on_record, p) != len ||
        csv_fini(&cp, on_field, on_record, p) != 0)
        rc = tr_err_set(e, TR_ENOMEM, "hs reference data: %s: %s", df->name,
                        csv_strerror(csv_error(&cp)));
    csv_free(&cp);
    if (rc == TR_OK)
        rc = p->rc;
    free(p);
    return rc;
}

/* The record's fields are exactly the header's names (record 1) or n fields (the others). */
static int expect_fields(const struct rec *r, const char *const *names, size_t n,
                         struct tr_err *e)
{
    int ok = r->nf == n;
    for (size_t i = 0; ok && r->line == 1 && i < n; i++)
        ok = strcmp(r->f[i], names[i]) == 0;
    if (!ok)
        return tr_err_set(e, TR_ENOMEM, "hs reference data: %s record %ld: unexpected %s",
                          r->file, r->line, r->line == 1 ? "header" : "number of fields");
    return TR_OK;
}

static int six_digits(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[6] == '\0';
}

/* ---- nomenclature and sections -------------------------------------------------------------- */

struct ins {
    sqlite3 *db;
    sqlite3_stmt *st;
};

static int step_reset(struct ins *in, struct tr_err *e)
{
    int rc = sqlite3_step(in->st);
    sqlite3_reset(in->st);
    if (rc != SQLITE_DONE)
        return tr_err_set(e, tr_db_code(rc), "database: %s", sqlite3_errmsg(in->db));
    return TR_OK;
}

static int nomenclature_row(void *ctx, const struct rec *r, struct tr_err *e)
{
    static const char *const h[] = {"section", "hscode", "description", "parent", "level"};
    struct ins *in = ctx;
    int rc = expect_fields(r, h, 5, e);
    if (rc || r->line == 1)
        return rc;
    int level = atoi(r->f[4]);
    if (level < 2 || level > 6)
        return tr_err_set(e, TR_ENOMEM, "hs reference data: %s record %ld: level '%s'",
                          r->file, r->line, r->f[4]);
    sqlite3_bind_text(in->st, 1, r->f[1], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(in->st, 2, level);
    sqlite3_bind_text(in->st, 3, r->f[3], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(in->st, 4, r->f[0], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(in->st, 5, r->f[2], -1, SQLITE_TRANSIENT);
    return step_reset(in, e);
}

static int section_row(void *ctx, const struct rec *r, struct tr_err *e)
{
    static const char *const h[] = {"section", "name"};
    struct ins *in = ctx;
    int rc = expect_fields(r, h, 2, e);
    if (rc || r->line == 1)
        return rc;
    sqlite3_bind_text(in->st, 1, r->f[0], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(in->st, 2, r->f[1], -1, SQLITE_TRANSIENT);
    return step_reset(in, e);
}

/* Loads one file through sql with fn binding each record. */
static int load_simple(sqlite3 *db, const struct tr_data_file *df, const char *sql, rec_fn fn,
                       struct tr_err *e)
{
    struct ins in = {db, NULL};
    int rc = sqlite3_prepare_v2(db, sql, -1, &in.st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_db_code(rc), "database: %s", sqlite3_errmsg(db));
    rc = parse_file(df, fn, &in, e);
    sqlite3_finalize(in.st);
    return rc;
}

/* ---- correlation tables and their concordance groups ------------------------------------- */

struct pair {
    char h6[7], cls[3], old[7], rel[4], group[12];
};

struct corr {
    struct pair *p;
    size_t n, cap;
    size_t first;       /* the current file's first pair */
    char cls[3];        /* the current file's older revision */
    int *parent;        /* union-find over 2 * CODE_SPACE nodes: HS2022 codes, then older;
                         * 0 = a root, else parent + 1 */
    int *min6;          /* per root: smallest HS2022 code of its set, + 1 */
};

static int corr_row(void *ctx, const struct rec *r, struct tr_err *e)
{
    struct corr *c = ctx;
    if (r->nf != 3 || (r->line == 1 && strncmp(r->f[0], "hs2022", 6) != 0))
        return tr_err_set(e, TR_ENOMEM, "hs reference data: %s record %ld: unexpected %s",
                          r->file, r->line, r->line == 1 ? "header" : "number of fields");
    if (r->line == 1)
        return TR_OK;
    const char *rel = r->f[2];
    if (!six_digits(r->f[0]) || !six_digits(r->f[1]) ||
        (strcmp(rel, "1:1") && strcmp(rel, "n:1") && strcmp(rel, "1:n") && strcmp(rel, "n:n")))
        return tr_err_set(e, TR_ENOMEM, "hs reference data: %s record %ld: bad row", r->file,
                          r->line);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16384;
        struct pair *q = realloc(c->p, cap * sizeof(*q));
        if (!q)
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        c->p = q;
        c->cap = cap;
    }
    struct pair *p = &c->p[c->n++];
    memcpy(p->cls, c->cls, 3);
    memcpy(p->h6, r->f[0], 7);
    memcpy(p->old, r->f[1], 7);
    memcpy(p->rel, rel, 4);
    return TR_OK;
}

static int uf_find(int *parent, int x)
{
    int root = x;
    while (parent[root])
        root = parent[root] - 1;
    while (parent[x]) {   /* path compression: later finds are short */
        int next = parent[x] - 1;
        parent[x] = root + 1;
        x = next;
    }
    return root;
}

/* Joins each pair's two codes (the current file's pairs); names every set by its smallest
 * HS2022 code; then clears the nodes, so the next file starts from single codes. */
static void corr_groups(struct corr *c)
{
    for (size_t i = c->first; i < c->n; i++) {
        int a = uf_find(c->parent, atoi(c->p[i].h6));
        int b = uf_find(c->parent, CODE_SPACE + atoi(c->p[i].old));
        if (a != b)
            c->parent[b] = a + 1;
    }
    for (size_t i = c->first; i < c->n; i++) {
        int h = atoi(c->p[i].h6), root = uf_find(c->parent, h);
        if (c->min6[root] == 0 || c->min6[root] > h + 1)
            c->min6[root] = h + 1;
    }
    for (size_t i = c->first; i < c->n; i++)
        snprintf(c->p[i].group, sizeof(c->p[i].group), "%06d",
                 (c->min6[uf_find(c->parent, atoi(c->p[i].h6))] - 1) % CODE_SPACE);
    for (size_t i = c->first; i < c->n; i++) {
        int a = atoi(c->p[i].h6), b = CODE_SPACE + atoi(c->p[i].old);
        c->parent[a] = c->parent[b] = c->min6[a] = c->min6[b] = 0;
    }
    c->first = c->n;
}

/* Table order (HS2022 code, revision, older code): the B-tree is only appended to. */
static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    int d = strcmp(x->h6, y->h6);
    if (!d)
        d = strcmp(x->cls, y->cls);
    return d ? d : strcmp(x->old, y->old);
}

static int corr_insert(sqlite3 *db, struct corr *c, struct tr_err *e)
{
    struct ins in = {db, NULL};
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO hs_correlation (from_classification, from_code, "
                                "to_classification, to_code, relationship, concordance_group) "
                                "VALUES ('H6', ?1, ?2, ?3, ?4, ?5)",
                                -1, &in.st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_db_code(rc), "database: %s", sqlite3_errmsg(db));
    for (size_t i = 0; i < c->n && rc == TR_OK; i++) {
        const struct pair *p = &c->p[i];
        sqlite3_bind_text(in.st, 1, p->h6, 6, SQLITE_STATIC);
        sqlite3_bind_text(in.st, 2, p->cls, 2, SQLITE_STATIC);
        sqlite3_bind_text(in.st, 3, p->old, 6, SQLITE_STATIC);
        sqlite3_bind_text(in.st, 4, p->rel, 3, SQLITE_STATIC);
        sqlite3_bind_text(in.st, 5, p->group, 6, SQLITE_STATIC);
        rc = step_reset(&in, e);
    }
    sqlite3_finalize(in.st);
    return rc;
}

/* HS2022toHS2017.csv -> "H5"; NULL for any other name. */
static const char *corr_classification(const char *name)
{
    char hs[16];
    int year;
    if (sscanf(name, "HS2022toHS%4d.csv", &year) != 1 || year < 1992 || year > 2017)
        return NULL;
    snprintf(hs, sizeof(hs), "HS%d", year);
    int id = tr_classification_id(hs);
    return id >= 0 && id < 6 ? tr_classification_name(id) : NULL;
}

/* ---- the whole load ------------------------------------------------------------------------ */

/* A fingerprint of the embedded copy: names and sizes (the files change only as a whole). */
static void fingerprint(char *buf, size_t n)
{
    size_t off = (size_t)snprintf(buf, n, "data/hs");
    for (size_t i = 0; i < tr_data_n_files && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, " %s:%zu", tr_data_files[i].name,
                                tr_data_files[i].len);
}

/* 1 when meta says this copy is loaded and the tables hold rows. */
static int loaded_already(sqlite3 *db, const char *fp)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT value FROM meta WHERE key = 'hs_reference') = ?1 "
                           "AND EXISTS (SELECT 1 FROM hs_correlation) "
                           "AND EXISTS (SELECT 1 FROM hs_nomenclature)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    }
    sqlite3_finalize(st);
    return yes;
}

static int load_file(sqlite3 *db, const struct tr_data_file *df, struct corr *c,
                     struct tr_err *e)
{
    if (strcmp(df->name, "HS2022.csv") == 0)
        return load_simple(db, df,
                           "INSERT INTO hs_nomenclature (classification, code, level, parent, "
                           "section, description) VALUES ('H6', ?1, ?2, ?3, ?4, ?5)",
                           nomenclature_row, e);
    if (strcmp(df->name, "sections.csv") == 0)
        return load_simple(db, df,
                           "INSERT INTO hs_nomenclature_section (section, name) VALUES (?1, ?2)",
                           section_row, e);
    const char *cls = corr_classification(df->name);
    if (!cls)
        return tr_err_set(e, TR_ENOMEM, "hs reference data: unknown file '%s'", df->name);
    memcpy(c->cls, cls, 3);
    int rc = parse_file(df, corr_row, c, e);
    if (rc == TR_OK)
        corr_groups(c);
    return rc;
}

int tr_hs_reference_load(sqlite3 *db, struct tr_err *e)
{
    char fp[1024];
    fingerprint(fp, sizeof(fp));
    if (loaded_already(db, fp))
        return TR_OK;
    struct corr c = {0};
    c.parent = calloc(2 * CODE_SPACE, sizeof(int));
    c.min6 = calloc(2 * CODE_SPACE, sizeof(int));
    int rc = TR_OK;
    if (!c.parent || !c.min6) {
        rc = tr_err_set(e, TR_ENOMEM, "out of memory");
        goto out;
    }
    /* the index is built once after the rows (a sort), not row by row: half the load time */
    if ((rc = tr_db_exec(db, "DELETE FROM hs_nomenclature; DELETE FROM hs_nomenclature_section; "
                             "DELETE FROM hs_correlation; DROP INDEX IF EXISTS hs_correlation_to;",
                         e)))
        goto out;
    for (size_t i = 0; i < tr_data_n_files && rc == TR_OK; i++)
        rc = load_file(db, &tr_data_files[i], &c, e);
    if (rc == TR_OK) {
        qsort(c.p, c.n, sizeof(*c.p), pair_cmp);
        if (!(rc = corr_insert(db, &c, e)))
            rc = tr_db_exec(db, "CREATE INDEX hs_correlation_to "
                                "ON hs_correlation(to_classification, to_code)", e);
    }
    if (rc == TR_OK) {
        sqlite3_stmt *st = NULL;
        int s = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta (key, value) "
                                       "VALUES ('hs_reference', ?1)", -1, &st, NULL);
        if (s == SQLITE_OK) {
            sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
            s = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
        }
        sqlite3_finalize(st);
        if (s != SQLITE_OK)
            rc = tr_err_set(e, tr_db_code(s), "database: %s", sqlite3_errmsg(db));
    }
out:
    free(c.p);
    free(c.parent);
    free(c.min6);
    return rc;
}
