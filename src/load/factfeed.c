/*
 * The fact feed (see tr/factfeed.h): an eponymous-only virtual table over the writer's current
 * chunk. Read-only, one full scan in array order (the writer has put the chunk in key order),
 * usable only from top-level SQL (SQLITE_VTAB_DIRECTONLY), never from the schema.
 */
#include "tr/factfeed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tr/radixsort.h"

struct tr_factfeed {
    const struct tr_feedrow *rows;
    int n;
};

struct feed_vtab {
    sqlite3_vtab base;
    struct tr_factfeed *feed;
};

struct feed_cursor {
    sqlite3_vtab_cursor base;
    const struct tr_factfeed *feed;
    int i;
};

enum { COL_KEY, COL_VALUE, COL_WGT, COL_QTY, COL_UNIT, COL_CIF, COL_FOB, COL_FLAGS };

static int feed_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **err)
{
    (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(trade_key, value_usd, net_wgt_kg, qty, "
                                      "qty_unit, cif_usd, fob_usd, flags)");
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    struct feed_vtab *v = sqlite3_malloc(sizeof(*v));
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof(*v));
    v->feed = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int feed_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int feed_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    (void)vt;
    info->estimatedCost = 4000; /* a chunk: the only way to read it is in full */
    info->estimatedRows = 4000;
    return SQLITE_OK;
}

static int feed_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    struct feed_cursor *c = sqlite3_malloc(sizeof(*c));
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof(*c));
    c->feed = ((struct feed_vtab *)vt)->feed;
    *out = &c->base;
    return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
                       sqlite3_value **argv)
{
    (void)idx, (void)idx_str, (void)argc, (void)argv;
    ((struct feed_cursor *)cur)->i = 0;
    return SQLITE_OK;
}

static int feed_next(sqlite3_vtab_cursor *cur)
{
    ((struct feed_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int feed_eof(sqlite3_vtab_cursor *cur)
{
    const struct feed_cursor *c = (const struct feed_cursor *)cur;
    return c->i >= c->feed->n;
}

/* A column left without a result is NULL. */
static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const struct feed_cursor *c = (const struct feed_cursor *)cur;
    const struct tr_feedrow *r = &c->feed->rows[c->i];
    const struct tr_fact *f = &r->row->f;
    switch (col) {
    case COL_KEY: sqlite3_result_int64(ctx, r->key); break;
    case COL_VALUE: sqlite3_result_int64(ctx, r->value_usd); break;
    case COL_WGT:
        if (!isnan(r->net_wgt_kg))
            sqlite3_result_double(ctx, r->net_wgt_kg);
        break;
    case COL_QTY:
        if (!isnan(f->qty))
            sqlite3_result_double(ctx, f->qty);
        break;
    case COL_UNIT: /* the row outlives the statement's step */
        if (r->row->qty_unit[0])
            sqlite3_result_text(ctx, r->row->qty_unit, -1, SQLITE_STATIC);
        break;
    case COL_CIF:
        if (f->cif_usd != TR_MISSING_INT)
            sqlite3_result_int64(ctx, f->cif_usd);
        break;
    case COL_FOB:
        if (f->fob_usd != TR_MISSING_INT)
            sqlite3_result_int64(ctx, f->fob_usd);
        break;
    case COL_FLAGS: sqlite3_result_int(ctx, f->flags); break;
    default: break;
    }
    return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid)
{
    *rowid = ((const struct feed_cursor *)cur)->i;
    return SQLITE_OK;
}

static const sqlite3_module feed_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE, nothing in the schema */
    .xConnect = feed_connect,
    .xBestIndex = feed_best_index,
    .xDisconnect = feed_disconnect,
    .xDestroy = feed_disconnect,
    .xOpen = feed_open,
    .xClose = feed_close,
    .xFilter = feed_filter,
    .xNext = feed_next,
    .xEof = feed_eof,
    .xColumn = feed_column,
    .xRowid = feed_rowid,
};

int tr_factfeed_register(sqlite3 *db, struct tr_factfeed **out, struct tr_err *e)
{
    struct tr_factfeed *f = calloc(1, sizeof(*f));
    *out = f;
    if (!f)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    /* on failure SQLite has already called free(f) */
    int rc = sqlite3_create_module_v2(db, "tr_fact_feed", &feed_module, f, free);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return tr_err_set(e, rc == SQLITE_NOMEM ? TR_ENOMEM : TR_EFAIL, "database: %s",
                          sqlite3_errstr(rc));
    }
    return TR_OK;
}

void tr_factfeed_set(struct tr_factfeed *f, const struct tr_feedrow *rows, int n)
{
    f->rows = rows;
    f->n = n;
}

void tr_feedrows_sort(struct tr_feedrow *rows, int n, struct tr_feedrow *tmp)
{
    struct tr_feedrow *sorted = tr_radix_sort(rows, (size_t)(n > 0 ? n : 0), sizeof(*rows), tmp);
    if (sorted != rows)
        memcpy(rows, sorted, (size_t)n * sizeof(*rows));
}

void tr_factfeed_drop(sqlite3 *db, struct tr_factfeed *f)
{
    if (f) /* the module's destructor frees f */
        sqlite3_create_module_v2(db, "tr_fact_feed", NULL, NULL, NULL);
}
