/*
 * The sum_trade groups of a file (see tr/groupsums.h): an open-addressing table keyed by the
 * fact key shifted past its product.
 */
#include "tr/groupsums.h"

#include <stdlib.h>

#include "tr/codes.h"
#include "tr/factkey.h"
#include "tr/stmt.h"

struct tr_groupsum { /* one sum_trade row: the facts of a key without its product */
    int64_t gkey;    /* fact key >> TR_KEY_GROUP_SHIFT */
    int64_t total, sum6, sum4, sum2;
    int has_total, has6, has4, has2; /* facts at each level: NULL in sum_trade when 0 */
    long n;
};

struct tr_groupsums {
    struct tr_groupsum *groups;
    size_t cap, n;
};

int tr_groupsums_new(struct tr_groupsums **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? TR_OK : TR_ENOMEM;
}

/* Fibonacci hashing: the high bits of the product, which depend on every bit of the key. */
static size_t group_slot(int64_t gkey, size_t cap)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < cap)
        bits++;
    return (size_t)(((uint64_t)gkey * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

static struct tr_groupsum *group_find(struct tr_groupsums *s, int64_t gkey)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        struct tr_groupsum *g = calloc(cap, sizeof(*g));
        if (!g)
            return NULL;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->groups[i].n)
                continue;
            size_t j = group_slot(s->groups[i].gkey, cap);
            while (g[j].n)
                j = (j + 1) & (cap - 1);
            g[j] = s->groups[i];
        }
        free(s->groups);
        s->groups = g;
        s->cap = cap;
    }
    size_t j = group_slot(gkey, s->cap);
    while (s->groups[j].n && s->groups[j].gkey != gkey)
        j = (j + 1) & (s->cap - 1);
    if (!s->groups[j].n) {
        s->groups[j].gkey = gkey;
        s->n++;
    }
    return &s->groups[j];
}

/* A duplicate's key is its original's, so the level it takes back from stays present. Values
 * are at most 10^15 each, so only a group of thousands of such rows leaves 64 bits. */
int tr_groupsums_add(struct tr_groupsums *s, int64_t key, int level, int64_t value, int sign)
{
    struct tr_groupsum *g = group_find(s, key >> TR_KEY_GROUP_SHIFT);
    if (!g)
        return TR_ENOMEM;
    int64_t *sum = NULL, next;
    int *has = NULL;
    switch (level) {
    case 0: sum = &g->total, has = &g->has_total; break;
    case 6: sum = &g->sum6, has = &g->has6; break;
    case 4: sum = &g->sum4, has = &g->has4; break;
    case 2: sum = &g->sum2, has = &g->has2; break;
    default: break; /* special codes (9999AA) are counted in n but in no level sum */
    }
    if (sum && __builtin_add_overflow(*sum, sign > 0 ? value : -value, &next))
        return TR_EINPUT;
    if (sum)
        *sum = next;
    g->n += sign;
    if (has)
        *has += sign;
    return TR_OK;
}

int tr_groupsums_any(const struct tr_groupsums *s)
{
    return s->n > 0;
}

static int by_group_key(const void *a, const void *b)
{
    const struct tr_groupsum *x = a, *y = b;
    return (x->gkey > y->gkey) - (x->gkey < y->gkey);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int has, int64_t v)
{
    if (has)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Written in key order: reporter then partner for one file, the order of sum_trade's primary
 * key, so its B-tree grows at the edge instead of at a random place per row (the hash table's
 * order). The table is packed for it: no group is looked up after this. */
int tr_groupsums_write(struct tr_groupsums *s, sqlite3 *db, const char *path, struct tr_err *e)
{
    size_t n = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->groups[i].n)
            s->groups[n++] = s->groups[i];
    s->cap = n;
    if (n)
        qsort(s->groups, n, sizeof(s->groups[0]), by_group_key);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db,
                           "INSERT INTO sum_trade (reporter_id, partner_id, source_id, "
                           "classification, year, month, flow, total_usd, sum6_usd, "
                           "sum4_usd, sum2_usd, n_rows) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, 0, &st, NULL) != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(sqlite3_errcode(db)), "database: %s",
                          sqlite3_errmsg(db));
    int rc = TR_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const struct tr_groupsum *g = &s->groups[i];
        struct tr_factkey k;
        tr_factkey_unpack(g->gkey << TR_KEY_GROUP_SHIFT, &k);
        sqlite3_bind_int(st, 1, k.reporter);
        sqlite3_bind_int(st, 2, k.partner);
        sqlite3_bind_int(st, 3, k.source);
        sqlite3_bind_text(st, 4, tr_classification_name(k.classification), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, k.year);
        sqlite3_bind_int(st, 6, k.month);
        sqlite3_bind_text(st, 7, tr_flow_name(k.flow), -1, SQLITE_STATIC);
        bind_opt_int(st, 8, g->has_total, g->total);
        bind_opt_int(st, 9, g->has6, g->sum6);
        bind_opt_int(st, 10, g->has4, g->sum4);
        bind_opt_int(st, 11, g->has2, g->sum2);
        sqlite3_bind_int64(st, 12, g->n);
        int step = sqlite3_step(st);
        if (step != SQLITE_DONE)
            rc = tr_err_set(e, tr_stmt_code(step), "database error loading '%s': %s", path,
                            sqlite3_errmsg(db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

void tr_groupsums_free(struct tr_groupsums *s)
{
    if (!s)
        return;
    free(s->groups);
    free(s);
}
