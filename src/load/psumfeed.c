/*
 * The sums feed (see tr/psumfeed.h): an eponymous-only virtual table over an array of sums.
 * Read-only, one full scan in array order, usable only from top-level SQL
 * (SQLITE_VTAB_DIRECTONLY), never from the schema.
 */
#include "tr/psumfeed.h"

#include <stdlib.h>
#include <string.h>

#include "tr/codes.h"
#include "tr/factkey.h"

struct tr_psumfeed {
    const struct tr_psum *rows;
    size_t n;
};

struct feed_vtab {
    sqlite3_vtab base;
    struct tr_psumfeed *feed;
};

struct feed_cursor {
    sqlite3_vtab_cursor base;
    const struct tr_psumfeed *feed;
    size_t i;
};

enum {
    COL_SOURCE,
    COL_YEAR,
    COL_REPORTER,
    COL_MONTH,
    COL_FLOW,
    COL_PRODUCT,
    COL_CLASS,
    COL_LEVEL,
    COL_CHAPTER,
    COL_VALUE,
    COL_FACTS,
    COL_WGT,
    COL_WGT_FACTS
};

/* Chapters as text without formatting: "00".."99" */
static const char CHAPTERS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static int feed_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **err)
{
    (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(source_id, year, reporter_id, month, "
                                      "flow, product_id, classification, level, chapter, "
                                      "value_usd, facts, net_wgt_kg, facts_with_weight)");
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
    info->estimatedCost = 100000; /* read in full, the only way */
    info->estimatedRows = 100000;
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

/* The chapter of a chapter sum's key as text: two digits, or '' for none. */
static void result_chapter(sqlite3_context *ctx, int chapter)
{
    if (chapter < 0 || chapter >= 100)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    else
        sqlite3_result_text(ctx, CHAPTERS + 2 * chapter, 2, SQLITE_STATIC);
}

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const struct feed_cursor *c = (const struct feed_cursor *)cur;
    const struct tr_psum *p = &c->feed->rows[c->i];
    struct tr_factkey k;
    tr_factkey_unpack(p->key, &k);
    switch (col) {
    case COL_SOURCE: sqlite3_result_int(ctx, k.source); break;
    case COL_YEAR: sqlite3_result_int(ctx, k.year); break;
    case COL_REPORTER: sqlite3_result_int(ctx, k.reporter); break;
    case COL_MONTH: sqlite3_result_int(ctx, k.month); break;
    case COL_FLOW: sqlite3_result_text(ctx, tr_flow_name(k.flow), -1, SQLITE_STATIC); break;
    case COL_PRODUCT: sqlite3_result_int(ctx, k.product); break;
    case COL_CLASS:
        sqlite3_result_text(ctx, tr_classification_name(k.classification), -1, SQLITE_STATIC);
        break;
    case COL_LEVEL: sqlite3_result_int(ctx, k.product >> 7); break;
    case COL_CHAPTER: result_chapter(ctx, k.product & 127); break;
    case COL_VALUE: sqlite3_result_int64(ctx, p->value_usd); break;
    case COL_FACTS: sqlite3_result_int(ctx, p->facts); break;
    case COL_WGT: sqlite3_result_double(ctx, p->net_wgt_kg); break;
    case COL_WGT_FACTS: sqlite3_result_int(ctx, p->facts_with_weight); break;
    default: break;
    }
    return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid)
{
    *rowid = (sqlite_int64)((const struct feed_cursor *)cur)->i;
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

int tr_psumfeed_register(sqlite3 *db, struct tr_psumfeed **out, struct tr_err *e)
{
    struct tr_psumfeed *f = calloc(1, sizeof(*f));
    *out = f;
    if (!f)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    /* on failure SQLite has already called free(f) */
    int rc = sqlite3_create_module_v2(db, "tr_psum_feed", &feed_module, f, free);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return tr_err_set(e, rc == SQLITE_NOMEM ? TR_ENOMEM : TR_EFAIL, "database: %s",
                          sqlite3_errstr(rc));
    }
    return TR_OK;
}

void tr_psumfeed_set(struct tr_psumfeed *f, const struct tr_psum *rows, size_t n)
{
    f->rows = rows;
    f->n = n;
}

void tr_psumfeed_drop(sqlite3 *db, struct tr_psumfeed *f)
{
    if (f) /* the module's destructor frees f */
        sqlite3_create_module_v2(db, "tr_psum_feed", NULL, NULL, NULL);
}
