/*
 * Sums over partners (see tr/partnersums.h). A fact first goes to a lane: the sums of one
 * (source, year, month, reporter, revision, flow) by product id, in an array, so that a file
 * sorted as BACI ships it (reporter by reporter) adds each fact to a cell near the last one.
 * When a fact of another partition needs a lane, the least recently used lane's cells move to
 * two open-addressing tables keyed by the fact key without its partner: the product's, and
 * the chapter's, whose product bits hold the level and chapter instead. The tables are what
 * is written out, each with one statement through the sums feed (tr/psumfeed.h).
 */
#include "tr/partnersums.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tr/factkey.h"
#include "tr/psumfeed.h"
#include "tr/stmt.h"

/* Product sums written out at this many (8 MiB of table): a sorted file has finished most of
 * the reporters they belong to, so each is written about once. */
#define FLUSH_AT (1u << 17)
#define LANES 4                     /* a partition's flows (X, M, RX, RM) side by side */
#define LANE_MAX_PRODUCT (1u << 17) /* product ids above go to the table directly */

struct cell {
    int64_t value_usd;
    double net_wgt_kg;
    int32_t facts, facts_with_weight;
};

struct psum_table {
    struct tr_psum *slot; /* key 0: an empty slot (a fact key's source is never 0) */
    size_t cap, n;
};

struct lane {
    int64_t base;      /* the key without partner and product; 0: free */
    struct cell *cell; /* by product id */
    size_t cap;
    uint32_t *touched; /* product ids whose cell was zero when a fact reached it */
    size_t n_touched, cap_touched;
    unsigned long used; /* when a fact last reached it */
};

struct tr_partnersums {
    sqlite3 *db;
    struct tr_psumfeed *feed;
    struct lane lane[LANES];
    int last; /* the lane of the last fact */
    unsigned long clock;
    int16_t *code; /* by product id: level << 7 | chapter (TR_PSUM_NO_CHAPTER: none) */
    size_t cap_code;
    struct psum_table product, chapter;
};

static const int64_t PARTNER_BITS = (int64_t)TR_KEY_COUNTRY_MASK << TR_KEY_PARTNER_SHIFT;

int tr_partnersums_new(sqlite3 *db, struct tr_partnersums **out, struct tr_err *e)
{
    struct tr_partnersums *s = calloc(1, sizeof(*s));
    *out = s;
    if (!s)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    s->db = db;
    return tr_psumfeed_register(db, &s->feed, e);
}

/* ---------- the tables ---------- */

/* Fibonacci hashing: the high bits of the product, which depend on every bit of the key. */
static size_t slot_of(int64_t key, unsigned bits)
{
    return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

static unsigned log2_of(size_t cap)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < cap)
        bits++;
    return bits;
}

static int grow(struct psum_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    unsigned bits = log2_of(cap);
    struct tr_psum *slot = calloc(cap, sizeof(*slot));
    if (!slot)
        return TR_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slot[i].key)
            continue;
        size_t j = slot_of(t->slot[i].key, bits);
        while (slot[j].key)
            j = (j + 1) & (cap - 1);
        slot[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return TR_OK;
}

static struct tr_psum *find(struct psum_table *t, int64_t key)
{
    if ((t->n + 1) * 2 > t->cap && grow(t))
        return NULL;
    size_t j = slot_of(key, log2_of(t->cap));
    while (t->slot[j].key && t->slot[j].key != key)
        j = (j + 1) & (t->cap - 1);
    if (!t->slot[j].key) {
        t->slot[j].key = key;
        t->n++;
    }
    return &t->slot[j];
}

/* Adds (sign 1) or takes back (-1) one fact in a cell; TR_EINPUT past 64 bits. */
static int cell_add(struct cell *c, int64_t value, double kg, int sign)
{
    if (__builtin_add_overflow(c->value_usd, sign > 0 ? value : -value, &c->value_usd))
        return TR_EINPUT;
    c->facts += sign;
    if (!isnan(kg)) {
        c->net_wgt_kg += sign > 0 ? kg : -kg;
        c->facts_with_weight += sign;
    }
    return TR_OK;
}

/* Adds cell x to the table's sums of key. */
static int table_add(struct psum_table *t, int64_t key, const struct cell *x)
{
    struct tr_psum *p = find(t, key);
    if (!p)
        return TR_ENOMEM;
    if (__builtin_add_overflow(p->value_usd, x->value_usd, &p->value_usd))
        return TR_EINPUT;
    p->facts += x->facts;
    p->net_wgt_kg += x->net_wgt_kg;
    p->facts_with_weight += x->facts_with_weight;
    return TR_OK;
}

static int cell_is_zero(const struct cell *c)
{
    return !c->facts && !c->facts_with_weight && !c->value_usd && c->net_wgt_kg == 0;
}

/* One product's sums into both tables: by product, and by its level and chapter. */
static int table_add_product(struct tr_partnersums *s, int64_t base, uint32_t product,
                             const struct cell *x)
{
    int rc = table_add(&s->product, base | product, x);
    return rc ? rc : table_add(&s->chapter, base | (int64_t)s->code[product], x);
}

/* ---------- the lanes ---------- */

/* Moves a lane's sums into the tables and leaves it empty (for the same partition). */
static int spill(struct tr_partnersums *s, struct lane *l)
{
    int rc = TR_OK;
    for (size_t i = 0; i < l->n_touched && !rc; i++) {
        struct cell *c = &l->cell[l->touched[i]];
        if (!cell_is_zero(c)) /* a product touched twice is moved at its first visit */
            rc = table_add_product(s, l->base, l->touched[i], c);
        memset(c, 0, sizeof(*c));
    }
    l->n_touched = 0;
    return rc;
}

/* The lane of base: the last one used, another already holding it, or the least recently
 * used one, given up to the tables. */
static struct lane *lane_for(struct tr_partnersums *s, int64_t base, int *rc)
{
    if (s->lane[s->last].base == base)
        return &s->lane[s->last];
    int oldest = 0;
    for (int i = 0; i < LANES; i++) {
        if (s->lane[i].base == base) {
            s->last = i;
            return &s->lane[i];
        }
        if (s->lane[i].used < s->lane[oldest].used)
            oldest = i;
    }
    struct lane *l = &s->lane[oldest];
    if ((*rc = spill(s, l)))
        return NULL;
    l->base = base;
    s->last = oldest;
    return l;
}

/* Room in lane l for product id p, the new cells zero. */
static int lane_fit(struct lane *l, uint32_t p)
{
    if (p < l->cap)
        return TR_OK;
    size_t cap = l->cap ? l->cap : 1024;
    while (cap <= p)
        cap *= 2;
    struct cell *cell = realloc(l->cell, cap * sizeof(*cell));
    if (!cell)
        return TR_ENOMEM;
    memset(cell + l->cap, 0, (cap - l->cap) * sizeof(*cell));
    l->cell = cell;
    l->cap = cap;
    return TR_OK;
}

static int touch(struct lane *l, uint32_t p)
{
    if (l->n_touched == l->cap_touched) {
        size_t cap = l->cap_touched ? l->cap_touched * 2 : 1024;
        uint32_t *t = realloc(l->touched, cap * sizeof(*t));
        if (!t)
            return TR_ENOMEM;
        l->touched = t;
        l->cap_touched = cap;
    }
    l->touched[l->n_touched++] = p;
    return TR_OK;
}

/* Remembers a product's level and chapter, for the chapter table. */
static int note_code(struct tr_partnersums *s, uint32_t p, int level, int chapter)
{
    if (p >= s->cap_code) {
        size_t cap = s->cap_code ? s->cap_code : 4096;
        while (cap <= p)
            cap *= 2;
        int16_t *code = realloc(s->code, cap * sizeof(*code));
        if (!code)
            return TR_ENOMEM;
        s->code = code;
        s->cap_code = cap;
    }
    int ch = chapter >= 0 && chapter < 100 ? chapter : TR_PSUM_NO_CHAPTER;
    s->code[p] = (int16_t)(((level & 15) << 7) | ch);
    return TR_OK;
}

int tr_partnersums_add(struct tr_partnersums *s, int64_t key, int level, int chapter,
                       int64_t value_usd, double net_wgt_kg, int sign)
{
    uint32_t p = (uint32_t)(key & TR_KEY_PRODUCT_MASK);
    int64_t base = key & ~(PARTNER_BITS | (int64_t)TR_KEY_PRODUCT_MASK);
    int rc = note_code(s, p, level, chapter);
    if (rc)
        return rc;
    if (p >= LANE_MAX_PRODUCT) {
        struct cell one = {0};
        rc = cell_add(&one, value_usd, net_wgt_kg, sign);
        return rc ? rc : table_add_product(s, base, p, &one);
    }
    struct lane *l = lane_for(s, base, &rc);
    if (!l || (rc = lane_fit(l, p)))
        return rc ? rc : TR_ENOMEM;
    l->used = ++s->clock;
    struct cell *c = &l->cell[p];
    if (cell_is_zero(c) && (rc = touch(l, p)))
        return rc;
    return cell_add(c, value_usd, net_wgt_kg, sign);
}

int tr_partnersums_full(const struct tr_partnersums *s)
{
    return s->product.n >= FLUSH_AT;
}

static int by_key(const void *a, const void *b)
{
    const struct tr_psum *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int psum_is_zero(const struct tr_psum *p)
{
    return !p->facts && !p->facts_with_weight && !p->value_usd && p->net_wgt_kg == 0;
}

/* Packs the used slots to the front in key order (the tables' own order, so the B-tree is
 * written near where it was last written); returns how many. */
static size_t pack_sorted(struct psum_table *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].key && !psum_is_zero(&t->slot[i]))
            t->slot[n++] = t->slot[i];
    if (n)
        qsort(t->slot, n, sizeof(t->slot[0]), by_key);
    return n;
}

#define ADD_SUMS                                                                   \
    "value_usd = value_usd + excluded.value_usd, facts = facts + excluded.facts, " \
    "net_wgt_kg = net_wgt_kg + excluded.net_wgt_kg, "                              \
    "facts_with_weight = facts_with_weight + excluded.facts_with_weight"

/* WHERE true: without it SQLite would read ON CONFLICT as a join's ON */
static const char PRODUCT_INSERT[] =
    "INSERT INTO sum_product (source_id, year, reporter_id, month, flow, product_id, value_usd, "
    "facts, net_wgt_kg, facts_with_weight) SELECT source_id, year, reporter_id, month, flow, "
    "product_id, value_usd, facts, net_wgt_kg, facts_with_weight FROM tr_psum_feed WHERE true "
    "ON CONFLICT (source_id, year, reporter_id, month, flow, product_id) DO UPDATE SET " ADD_SUMS;

static const char CHAPTER_INSERT[] =
    "INSERT INTO sum_chapter (source_id, year, reporter_id, month, classification, flow, level, "
    "chapter, value_usd, facts, net_wgt_kg, facts_with_weight) SELECT source_id, year, "
    "reporter_id, month, classification, flow, level, chapter, value_usd, facts, net_wgt_kg, "
    "facts_with_weight FROM tr_psum_feed WHERE true "
    "ON CONFLICT (source_id, year, reporter_id, month, classification, flow, level, chapter) "
    "DO UPDATE SET " ADD_SUMS;

/* Adds a table's sums to their SQL table in one statement over the feed. */
static int write_table(struct tr_partnersums *s, struct psum_table *t, const char *sql,
                       struct tr_err *e)
{
    size_t n = pack_sorted(t);
    if (!n)
        return TR_OK;
    sqlite3_stmt *st = NULL;
    int rc = tr_stmt_prepare(s->db, &st, e, sql, "");
    if (!rc) {
        tr_psumfeed_set(s->feed, t->slot, n);
        int step = sqlite3_step(st);
        tr_psumfeed_set(s->feed, NULL, 0);
        if (step != SQLITE_DONE)
            rc = tr_stmt_fail(s->db, step, e);
    }
    sqlite3_finalize(st);
    return rc;
}

static void empty(struct psum_table *t)
{
    if (t->slot)
        memset(t->slot, 0, t->cap * sizeof(t->slot[0]));
    t->n = 0;
}

int tr_partnersums_write(struct tr_partnersums *s, struct tr_err *e)
{
    int rc = TR_OK;
    for (int i = 0; i < LANES && !rc; i++)
        rc = spill(s, &s->lane[i]);
    if (rc)
        return rc == TR_ENOMEM ? tr_err_set(e, rc, "out of memory")
                               : tr_err_set(e, rc,
                                            "the values of one reporter, year, flow and "
                                            "product or chapter add up beyond 9.2 x 10^18 US$");
    rc = write_table(s, &s->product, PRODUCT_INSERT, e);
    if (!rc)
        rc = write_table(s, &s->chapter, CHAPTER_INSERT, e);
    /* what was written is in the tables (or the file's transaction fails as a whole) */
    empty(&s->product);
    empty(&s->chapter);
    return rc;
}

void tr_partnersums_free(struct tr_partnersums *s)
{
    if (!s)
        return;
    for (int i = 0; i < LANES; i++) {
        free(s->lane[i].cell);
        free(s->lane[i].touched);
    }
    free(s->code);
    tr_psumfeed_drop(s->db, s->feed);
    free(s->product.slot);
    free(s->chapter.slot);
    free(s);
}
