/*
 * The facts' rows to the server by binary COPY. SQLite reads only the stored columns of
 * fact_trade_packed by key range; the key's parts are decoded here (tr/factkey.h, as the
 * fact_trade view decodes them) and the readable codes come from lookups read once, so a row
 * costs no SQL expression, no join and no number formatting, and the server parses none.
 * Which loads and key ranges to send is the caller's decision (pgfacts.c, pgshard.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/factkey.h"
#include "tr/pgcopy.h"
#include "tr/pgfactrows.h"

#define N_COLUMNS 21 /* TR_PGFACTS_COLUMNS */

static const char ROWS_SQL[] =
    "SELECT trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id "
    "FROM main.fact_trade_packed WHERE trade_key BETWEEN ?1 AND ?2";

/* the fact_trade view's flow names, by the key's flow number; others read as NULL */
static const char *const FLOW_NAMES[] = {NULL, TR_KEY_FLOWS};
#define N_FLOW_NAMES (sizeof(FLOW_NAMES) / sizeof(FLOW_NAMES[0]))

static int sqlite_fail(sqlite3 *db, struct tr_err *e)
{
    return tr_err_set(e, TR_EIO, "database: %s", sqlite3_errmsg(db));
}

/* Fills table[id] = code for each row of q (id, code) with 0 <= id < n (NULL codes stay
 * NULL); *max grows to the longest code */
static int read_codes(sqlite3 *db, const char *q, char **table, size_t n, size_t *max,
                      struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, q, -1, &st, NULL) ? sqlite_fail(db, e) : TR_OK, step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (id < 0 || (size_t)id >= n || !code)
            continue; /* an id no key can hold */
        free(table[id]);
        if (!(table[id] = strdup(code)))
            rc = tr_err_set(e, TR_ENOMEM, "out of memory reading codes");
        else if (strlen(code) > *max)
            *max = strlen(code);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    sqlite3_finalize(st);
    return rc;
}

int tr_pgfactrows_new(sqlite3 *db, struct tr_pgfactrows **out, struct tr_err *e)
{
    struct tr_pgfactrows *f = calloc(1, sizeof(*f));
    *out = NULL;
    if (!f)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    f->all_loads = 1;
    f->n_product = (size_t)TR_KEY_PRODUCT_MASK + 1;
    f->product = calloc(f->n_product, sizeof(*f->product));
    f->touched = calloc(TR_PGFACTROWS_N_TOUCHED / 8, 1);
    int rc = f->product && f->touched ? TR_OK : tr_err_set(e, TR_ENOMEM, "out of memory");
    if (!rc)
        rc = read_codes(db, "SELECT source_id, source FROM main.dim_source", f->source, 8,
                        &f->max_code, e);
    if (!rc)
        rc = read_codes(db, "SELECT country_id, iso3 FROM main.dim_country", f->country, 1024,
                        &f->max_code, e);
    if (!rc)
        rc = read_codes(db, "SELECT product_id, code FROM main.dim_product", f->product,
                        f->n_product, &f->max_code, e);
    if (rc) {
        tr_pgfactrows_free(f);
        return rc;
    }
    *out = f;
    return TR_OK;
}

void tr_pgfactrows_free(struct tr_pgfactrows *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < 8; i++)
        free(f->source[i]);
    for (size_t i = 0; i < 1024; i++)
        free(f->country[i]);
    for (size_t i = 0; f->product && i < f->n_product; i++)
        free(f->product[i]);
    free(f->product);
    free(f->loads);
    free(f->touched);
    free(f);
}

int tr_pgfactrows_only_loads(struct tr_pgfactrows *f, sqlite3 *db, const char *q,
                             struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(db, q, -1, &st, NULL) ? sqlite_fail(db, e) : TR_OK, step;
    f->all_loads = 0;
    f->n_loads = 0;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->n_loads == cap) {
            cap = cap ? cap * 2 : 64;
            void *p = realloc(f->loads, cap * sizeof(*f->loads));
            if (!p) {
                rc = tr_err_set(e, TR_ENOMEM, "out of memory");
                break;
            }
            f->loads = p;
        }
        struct tr_pgfactrows_load *l = &f->loads[f->n_loads++];
        l->id = sqlite3_column_int64(st, 0);
        l->want = sqlite3_column_int64(st, 1);
        l->sent = 0;
        if (l > f->loads && l[-1].id >= l->id)
            rc = tr_err_set(e, TR_EIO, "database: loads to send are not in order");
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    sqlite3_finalize(st);
    return rc;
}

/* The load's entry, or NULL when it is not sent (every load's: a dummy entry) */
static struct tr_pgfactrows_load *find_load(struct tr_pgfactrows *f, int64_t id,
                                            struct tr_pgfactrows_load *last)
{
    static struct tr_pgfactrows_load any;
    if (f->all_loads)
        return &any;
    if (last && last->id == id)
        return last; /* a load's rows lie together: most rows hit the last one */
    size_t lo = 0, hi = f->n_loads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->loads[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n_loads && f->loads[lo].id == id ? &f->loads[lo] : NULL;
}

static int not_number(sqlite3_stmt *st, int i, struct tr_err *e)
{
    return tr_err_set(e, TR_EIO, "database: fact %lld: %s is not a number",
                      (long long)sqlite3_column_int64(st, 0), sqlite3_column_name(st, i));
}

/* An INTEGER column (NULL allowed): anything else the server would refuse in text too */
static int put_int(struct tr_pgcopy *c, sqlite3_stmt *st, int i, struct tr_err *e)
{
    int t = sqlite3_column_type(st, i);
    if (t == SQLITE_NULL)
        tr_pgcopy_put_null(c);
    else if (t == SQLITE_INTEGER)
        tr_pgcopy_put_int8(c, sqlite3_column_int64(st, i));
    else
        return not_number(st, i, e);
    return TR_OK;
}

static int put_real(struct tr_pgcopy *c, sqlite3_stmt *st, int i, struct tr_err *e)
{
    int t = sqlite3_column_type(st, i);
    if (t == SQLITE_NULL)
        tr_pgcopy_put_null(c);
    else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
        tr_pgcopy_put_float8(c, sqlite3_column_double(st, i));
    else
        return not_number(st, i, e);
    return TR_OK;
}

static size_t len0(const char *s)
{
    return s ? strlen(s) : 0;
}

/* The decoded key and the readable codes: fact_trade's columns 10 to 21 */
static void put_key(const struct tr_pgfactrows *f, struct tr_pgcopy *c, int64_t key)
{
    struct tr_factkey k;
    tr_factkey_unpack(key, &k);
    char cls[2] = {'H', (char)('0' + k.classification)};
    const char *flow = (size_t)k.flow < N_FLOW_NAMES ? FLOW_NAMES[k.flow] : NULL;
    const char *src = f->source[k.source], *rep = f->country[k.reporter];
    const char *par = f->country[k.partner], *prod = f->product[k.product];
    tr_pgcopy_put_int8(c, k.source);
    tr_pgcopy_put_int8(c, k.year);
    tr_pgcopy_put_int8(c, k.month);
    tr_pgcopy_put_int8(c, k.reporter);
    tr_pgcopy_put_text(c, cls, 2);
    tr_pgcopy_put_int8(c, k.partner);
    tr_pgcopy_put_text(c, flow, len0(flow));
    tr_pgcopy_put_int8(c, k.product);
    tr_pgcopy_put_text(c, src, len0(src));
    tr_pgcopy_put_text(c, rep, len0(rep));
    tr_pgcopy_put_text(c, par, len0(par));
    tr_pgcopy_put_text(c, prod, len0(prod));
}

/* One row of ROWS_SQL, all 21 columns */
static int put_row(const struct tr_pgfactrows *f, struct tr_pgcopy *c, sqlite3_stmt *st,
                   int64_t key, struct tr_err *e)
{
    int unit = sqlite3_column_type(st, 4) != SQLITE_NULL;
    const char *qty_unit = unit ? (const char *)sqlite3_column_text(st, 4) : NULL;
    size_t n_unit = unit ? (size_t)sqlite3_column_bytes(st, 4) : 0;
    /* every field's length and number, the texts: unit, classification, flow, four codes */
    if (tr_pgcopy_reserve(c, 2 + N_COLUMNS * 12 + n_unit + 2 + 4 + 4 * f->max_code, e))
        return e->code;
    if (unit && !qty_unit)
        return tr_err_set(e, TR_ENOMEM, "out of memory reading a fact");
    tr_pgcopy_put_u16(c, N_COLUMNS);
    tr_pgcopy_put_int8(c, key);
    int rc = put_int(c, st, 1, e);
    if (!rc && sqlite3_column_type(st, 1) == SQLITE_NULL)
        rc = not_number(st, 1, e); /* NOT NULL on both sides */
    if (!rc)
        rc = put_real(c, st, 2, e);
    if (!rc)
        rc = put_real(c, st, 3, e);
    if (rc)
        return rc;
    tr_pgcopy_put_text(c, qty_unit, n_unit);
    for (int i = 5; !rc && i <= 8; i++)
        rc = put_int(c, st, i, e);
    if (!rc)
        put_key(f, c, key);
    return rc;
}

/* Rows of one key range; *last is the load of the latest row sent */
static int copy_range(struct tr_pgfactrows *f, struct tr_pgcopy *c, sqlite3 *db, sqlite3_stmt *st,
                      const int64_t *range, long long die_after, struct tr_pgfactrows_load **last,
                      struct tr_err *e)
{
    int rc = TR_OK, step;
    if (sqlite3_reset(st) || sqlite3_bind_int64(st, 1, range[0]) ||
        sqlite3_bind_int64(st, 2, range[1]))
        return sqlite_fail(db, e);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t key = sqlite3_column_int64(st, 0);
        if (f->skip_year[key >> TR_KEY_YEAR_SHIFT & TR_KEY_YEAR_MASK])
            continue;
        struct tr_pgfactrows_load *l = find_load(f, sqlite3_column_int64(st, 8), *last);
        if (!l)
            continue;
        *last = l;
        l->sent++;
        size_t bit = TR_PGFACTROWS_TOUCHED(key >> TR_KEY_SOURCE_SHIFT & TR_KEY_SOURCE_MASK,
                                           key >> TR_KEY_YEAR_SHIFT & TR_KEY_YEAR_MASK,
                                           key >> TR_KEY_REPORTER_SHIFT & TR_KEY_COUNTRY_MASK);
        f->touched[bit >> 3] |= (unsigned char)(1u << (bit & 7));
        if (!(rc = put_row(f, c, st, key, e)))
            rc = tr_pgcopy_row_end(c, e);
        if (die_after >= 0 && c->rows >= die_after)
            raise(SIGKILL); /* test hook: a publish killed in the middle of its COPY */
    }
    if (!rc && step != SQLITE_DONE)
        rc = sqlite_fail(db, e);
    return rc;
}

int tr_pgfactrows_copy(struct tr_pgfactrows *f, struct tr_pg *pg, sqlite3 *db, const char *table,
                       const int64_t *range, size_t n, long long *rows, struct tr_err *e)
{
    const char *die = getenv("TR_TEST_PUBLISH_DIE_AFTER_ROWS");
    long long die_after = die ? atoll(die) : -1;
    struct tr_pgfactrows_load *last = NULL;
    struct tr_pgcopy c;
    sqlite3_stmt *st = NULL;
    char sql[300];
    *rows = 0;
    for (size_t i = 0; i < f->n_loads; i++)
        f->loads[i].sent = 0;
    if (sqlite3_prepare_v2(db, ROWS_SQL, -1, &st, NULL))
        return sqlite_fail(db, e);
    snprintf(sql, sizeof(sql), "COPY %s FROM STDIN (FORMAT binary)", table);
    int rc = tr_pgcopy_begin_binary(&c, pg, sql, e);
    int started = !rc;
    for (size_t i = 0; !rc && i < n; i++)
        rc = copy_range(f, &c, db, st, range + 2 * i, die_after, &last, e);
    sqlite3_finalize(st);
    if (started && rc)
        tr_pgcopy_abort(&c);
    else if (started)
        rc = tr_pgcopy_end(&c, e);
    *rows = started ? c.rows : 0;
    return rc;
}
