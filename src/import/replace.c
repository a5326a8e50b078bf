/*
 * Replacement by what a file brings (tr/replace.h). A scope unit is an extract's (group,
 * product level) or a year file's (source, year, month, revision); the first row of a unit
 * moves the unit's earlier facts and breakdown rows to the history tables, after checking
 * their release. At the end: the shrink guard, sums of touched groups, lineage.
 * Which rows a format's file brings is decided by the format (struct tr_format.scope).
 */
#include "tr/replace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/codes.h"
#include "tr/factkey.h"
#include "tr/stmt.h"

#define SHRINK_LIMIT_PCT 20 /* a replacement may remove at most this share of its scope */
#define N_REPORTERS 1024    /* country ids fit in the key's 10 bits */
#define LEVEL_BITS 4

struct set { /* open addressing; -1 = empty */
    int64_t *key;
    unsigned char *val;
    size_t cap, n;
};

struct tally {
    long rows;
    double usd;
};

struct tr_replace {
    sqlite3 *db;
    long load_id;
    enum tr_scope scope;
    char release[64];
    const char *path;
    struct tr_replace_opts o;
    void (*enter)(void *), (*leave)(void *);
    void *gate;
    struct set units; /* unit -> 1 when it replaced earlier rows */
    struct set resum; /* groups (key >> TR_KEY_GROUP_SHIFT) to sum again; 1 = kept */
    int64_t last_unit;
    int last_replaced, have_last;
    sqlite3_stmt *old_facts, *old_breakdown, *has_sum;
    struct tally old_by[N_REPORTERS], new_by[N_REPORTERS];
    long rows_moved;
    int any_replaced;
    long line;   /* of the row being claimed, for messages */
    int refused; /* TR_REFUSED_* */
};

/* ---------- a set of int64 ---------- */

static size_t set_slot(const struct set *s, int64_t k)
{
    size_t i = (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 29) & (s->cap - 1);
    while (s->key[i] != -1 && s->key[i] != k)
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* 1 and *val when present. */
static int set_get(const struct set *s, int64_t k, int *val)
{
    if (!s->cap)
        return 0;
    size_t i = set_slot(s, k);
    if (s->key[i] != k)
        return 0;
    *val = s->val[i];
    return 1;
}

static int set_put(struct set *s, int64_t k, int val)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct set g = {.cap = s->cap ? s->cap * 2 : 256};
        g.key = malloc(g.cap * sizeof(*g.key));
        g.val = malloc(g.cap);
        if (!g.key || !g.val) {
            free(g.key), free(g.val);
            return TR_ENOMEM;
        }
        memset(g.key, 0xff, g.cap * sizeof(*g.key));
        for (size_t i = 0; i < s->cap; i++)
            if (s->key[i] != -1) {
                size_t j = set_slot(&g, s->key[i]);
                g.key[j] = s->key[i], g.val[j] = s->val[i];
            }
        g.n = s->n;
        free(s->key), free(s->val);
        *s = g;
    }
    size_t i = set_slot(s, k);
    if (s->key[i] != k)
        s->n++;
    s->key[i] = k;
    s->val[i] = (unsigned char)val;
    return TR_OK;
}

static void set_free(struct set *s)
{
    free(s->key), free(s->val);
    memset(s, 0, sizeof(*s));
}

/* ---------- life ---------- */

struct tr_replace *tr_replace_new(sqlite3 *db, long load_id, enum tr_scope scope,
                                  const char *release, const char *path,
                                  const struct tr_replace_opts *o, void (*gate_enter)(void *),
                                  void (*gate_leave)(void *), void *gate)
{
    struct tr_replace *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->db = db;
    r->load_id = load_id;
    r->scope = scope;
    snprintf(r->release, sizeof(r->release), "%s", release ? release : "");
    r->path = path;
    if (o)
        r->o = *o;
    r->enter = gate_enter, r->leave = gate_leave, r->gate = gate;
    return r;
}

void tr_replace_free(struct tr_replace *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->old_facts);
    sqlite3_finalize(r->old_breakdown);
    sqlite3_finalize(r->has_sum);
    set_free(&r->units);
    set_free(&r->resum);
    free(r);
}

long tr_replace_rows(const struct tr_replace *r)
{
    return r ? r->rows_moved : 0;
}
int tr_replace_refused(const struct tr_replace *r)
{
    return r ? r->refused : 0;
}

/* ---------- a unit's conditions ---------- */

/* The facts of a unit: a key range, narrowed by product level (extract) or revision (year). */
static const char FACTS_EXTRACT[] = "trade_key BETWEEN ?2 AND ?3 AND (trade_key & ?5) IN "
                                    "(SELECT product_id FROM dim_product WHERE level = ?4)";
static const char FACTS_YEAR[] = "trade_key BETWEEN ?2 AND ?3 AND ((trade_key >> ?5) & 7) = ?4";
static const char BREAKDOWN_EXTRACT[] =
    "source_id = ?2 AND year = ?3 AND month = ?4 AND classification = ?5 AND reporter_id = ?6 "
    "AND partner_id = ?7 AND flow = ?8 AND product_id IN "
    "(SELECT product_id FROM dim_product WHERE level = ?9)";
static const char BREAKDOWN_YEAR[] =
    "source_id = ?2 AND year = ?3 AND month = ?4 AND classification = ?5";

static int64_t unit_of(const struct tr_replace *r, int64_t key, int level)
{
    if (r->scope == TR_SCOPE_YEAR)
        return ((key >> TR_KEY_PERIOD_SHIFT) << 3) | ((key >> TR_KEY_PARTITION_SHIFT) & 7);
    return ((key >> TR_KEY_GROUP_SHIFT) << LEVEL_BITS) | (level & ((1 << LEVEL_BITS) - 1));
}

/* The key range of the unit of key. */
static void unit_range(const struct tr_replace *r, int64_t key, int64_t *lo, int64_t *hi)
{
    int shift = r->scope == TR_SCOPE_YEAR ? TR_KEY_PERIOD_SHIFT : TR_KEY_GROUP_SHIFT;
    *lo = (key >> shift) << shift;
    *hi = *lo | (((int64_t)1 << shift) - 1);
}

/* Binds ?1 (this load) and the unit's facts condition ?2..?5. */
static void bind_facts(const struct tr_replace *r, sqlite3_stmt *st, int64_t key, int level)
{
    int64_t lo, hi;
    unit_range(r, key, &lo, &hi);
    sqlite3_bind_int64(st, 1, r->load_id);
    sqlite3_bind_int64(st, 2, lo);
    sqlite3_bind_int64(st, 3, hi);
    if (r->scope == TR_SCOPE_YEAR) {
        sqlite3_bind_int64(st, 4, (key >> TR_KEY_PARTITION_SHIFT) & 7);
        sqlite3_bind_int(st, 5, TR_KEY_PARTITION_SHIFT);
    } else {
        sqlite3_bind_int(st, 4, level);
        sqlite3_bind_int64(st, 5, ((int64_t)1 << TR_KEY_GROUP_SHIFT) - 1);
    }
}

/* Binds ?1 (this load) and the unit's breakdown condition ?2..?9. */
static void bind_breakdown(const struct tr_replace *r, sqlite3_stmt *st, int64_t key, int level)
{
    struct tr_factkey k;
    tr_factkey_unpack(key, &k);
    sqlite3_bind_int64(st, 1, r->load_id);
    sqlite3_bind_int(st, 2, k.source);
    sqlite3_bind_int(st, 3, k.year);
    sqlite3_bind_int(st, 4, k.month);
    sqlite3_bind_text(st, 5, tr_classification_name(k.classification), -1, SQLITE_STATIC);
    if (r->scope == TR_SCOPE_YEAR)
        return;
    sqlite3_bind_int(st, 6, k.reporter);
    sqlite3_bind_int(st, 7, k.partner);
    sqlite3_bind_text(st, 8, tr_flow_name(k.flow), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, level);
}

static int prepare_kept(struct tr_replace *r, sqlite3_stmt **st, const char *sql,
                        struct tr_err *e)
{
    if (*st) {
        sqlite3_reset(*st);
        return TR_OK;
    }
    int rc = sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? TR_OK : tr_stmt_fail(r->db, rc, e);
}

/* Runs one statement over the unit of key: facts or breakdown condition spliced in. */
static int unit_exec(struct tr_replace *r, const char *head, int breakdown, int64_t key,
                     int level, long *changes, struct tr_err *e)
{
    const char *cond = breakdown
                           ? (r->scope == TR_SCOPE_YEAR ? BREAKDOWN_YEAR : BREAKDOWN_EXTRACT)
                           : (r->scope == TR_SCOPE_YEAR ? FACTS_YEAR : FACTS_EXTRACT);
    char *sql = sqlite3_mprintf("%s WHERE %s", head, cond);
    if (!sql)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return tr_stmt_fail(r->db, rc, e);
    if (breakdown)
        bind_breakdown(r, st, key, level);
    else
        bind_facts(r, st, key, level);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return tr_stmt_fail(r->db, rc, e);
    if (changes)
        *changes = sqlite3_changes(r->db);
    return TR_OK;
}

/* ---------- the release guard ---------- */

static int check_release(struct tr_replace *r, long old_load, struct tr_err *e)
{
    if (!r->release[0] || r->o.allow_older_release)
        return TR_OK;
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(r->db, &st, e, "SELECT release FROM load_log WHERE load_id = ?1",
                             "i", (int64_t)old_load);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    const char *old = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    /* CEPII's release names sort as they were published: V202401 < V202401b < V202501 */
    if (old && strcmp(r->release, old) < 0 && (r->refused = TR_REFUSED_OLDER_RELEASE))
        rc = tr_err_set_at(e, TR_EINPUT, r->path, r->line,
                           "release %s is older than release %s "
                           "of load %ld, whose rows this row would replace: nothing committed "
                           "(--allow-older-release takes it)",
                           r->release, old, old_load);
    else if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = tr_stmt_fail(r->db, s, e);
    sqlite3_finalize(st);
    return rc;
}

/* ---------- claiming a unit ---------- */

/* Counts the unit's earlier facts per reporter and load (checking each load's release) and
 * its breakdown rows; *n gets the total. */
static int count_old(struct tr_replace *r, int64_t key, int level, long *n, struct tr_err *e)
{
    char sql[512];
    int rc, s;
    snprintf(sql, sizeof(sql),
             "SELECT (trade_key >> ?6) & ?7, load_id, count(*), "
             "total(value_usd) FROM fact_trade_packed WHERE %s GROUP BY 1, 2",
             r->scope == TR_SCOPE_YEAR ? FACTS_YEAR : FACTS_EXTRACT);
    if ((rc = prepare_kept(r, &r->old_facts, sql, e)))
        return rc;
    bind_facts(r, r->old_facts, key, level);
    sqlite3_bind_int(r->old_facts, 6, TR_KEY_REPORTER_SHIFT);
    sqlite3_bind_int(r->old_facts, 7, N_REPORTERS - 1);
    *n = 0;
    long last_load = -1;
    while (!rc && (s = sqlite3_step(r->old_facts)) == SQLITE_ROW) {
        int rep = sqlite3_column_int(r->old_facts, 0);
        long load = (long)sqlite3_column_int64(r->old_facts, 1);
        r->old_by[rep].rows += sqlite3_column_int64(r->old_facts, 2);
        r->old_by[rep].usd += sqlite3_column_double(r->old_facts, 3);
        *n += (long)sqlite3_column_int64(r->old_facts, 2);
        if (load != last_load)
            rc = check_release(r, last_load = load, e);
    }
    if (!rc && s != SQLITE_DONE)
        rc = tr_stmt_fail(r->db, s, e);
    sqlite3_reset(r->old_facts);
    if (rc)
        return rc;
    snprintf(sql, sizeof(sql),
             "SELECT load_id, count(*) FROM fact_trade_breakdown WHERE %s "
             "GROUP BY 1",
             r->scope == TR_SCOPE_YEAR ? BREAKDOWN_YEAR : BREAKDOWN_EXTRACT);
    if ((rc = prepare_kept(r, &r->old_breakdown, sql, e)))
        return rc;
    bind_breakdown(r, r->old_breakdown, key, level);
    while (!rc && (s = sqlite3_step(r->old_breakdown)) == SQLITE_ROW) {
        *n += (long)sqlite3_column_int64(r->old_breakdown, 1);
        rc = check_release(r, (long)sqlite3_column_int64(r->old_breakdown, 0), e);
    }
    if (!rc && s != SQLITE_DONE)
        rc = tr_stmt_fail(r->db, s, e);
    sqlite3_reset(r->old_breakdown);
    return rc;
}

/* The sum_trade condition of a group g (key >> TR_KEY_GROUP_SHIFT), values from ?2. */
#define GROUP_COND                                                 \
    "reporter_id = ?2 AND partner_id = ?3 AND source_id = ?4 AND " \
    "classification = ?5 AND year = ?6 AND month = ?7 AND flow = ?8"

static int group_exec(struct tr_replace *r, const char *head, int64_t g, struct tr_err *e)
{
    struct tr_factkey k;
    tr_factkey_unpack(g << TR_KEY_GROUP_SHIFT, &k);
    char sql[256];
    snprintf(sql, sizeof(sql), "%s WHERE " GROUP_COND, head);
    return tr_stmt_exec(r->db, NULL, e, sql, "iiiitiit", (int64_t)r->load_id, (int64_t)k.reporter,
                        (int64_t)k.partner, (int64_t)k.source,
                        tr_classification_name(k.classification), (int64_t)k.year,
                        (int64_t)k.month, tr_flow_name(k.flow));
}

/* Does sum_trade hold the group of key (from rows at other levels)? */
static int group_summed(struct tr_replace *r, int64_t key, int *yes, struct tr_err *e)
{
    int rc = prepare_kept(r, &r->has_sum, "SELECT 1 FROM sum_trade WHERE " GROUP_COND, e);
    if (rc)
        return rc;
    struct tr_factkey k;
    tr_factkey_unpack(key, &k);
    sqlite3_stmt *st = r->has_sum;
    sqlite3_bind_int(st, 2, k.reporter);
    sqlite3_bind_int(st, 3, k.partner);
    sqlite3_bind_int(st, 4, k.source);
    sqlite3_bind_text(st, 5, tr_classification_name(k.classification), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, k.year);
    sqlite3_bind_int(st, 7, k.month);
    sqlite3_bind_text(st, 8, tr_flow_name(k.flow), -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *yes = s == SQLITE_ROW;
    sqlite3_reset(st);
    return s == SQLITE_ROW || s == SQLITE_DONE ? TR_OK : tr_stmt_fail(r->db, s, e);
}

/* The sums of what moves: a year's rows go to sum_trade_replaced and leave sum_trade; an
 * extract's group is kept once in sum_trade_replaced and summed again at the end. */
static int move_sums(struct tr_replace *r, int64_t key, struct tr_err *e)
{
    if (r->scope == TR_SCOPE_YEAR) {
        struct tr_factkey k;
        tr_factkey_unpack(key, &k);
        const char *cls = tr_classification_name(k.classification);
        static const char cond[] = " WHERE source_id = ?2 AND year = ?3 AND month = ?4 AND "
                                   "classification = ?5";
        char sql[256];
        snprintf(sql, sizeof(sql), "INSERT INTO sum_trade_replaced SELECT ?1, * FROM sum_trade%s",
                 cond);
        int rc = tr_stmt_exec(r->db, NULL, e, sql, "iiiit", (int64_t)r->load_id,
                              (int64_t)k.source, (int64_t)k.year, (int64_t)k.month, cls);
        snprintf(sql, sizeof(sql), "DELETE FROM sum_trade%s", cond);
        return rc ? rc
                  : tr_stmt_exec(r->db, NULL, e, sql, "iiiit", (int64_t)r->load_id,
                                 (int64_t)k.source, (int64_t)k.year, (int64_t)k.month, cls);
    }
    int64_t g = key >> TR_KEY_GROUP_SHIFT;
    int kept = 0;
    if (set_get(&r->resum, g, &kept) && kept)
        return TR_OK;
    int rc = group_exec(r, "INSERT INTO sum_trade_replaced SELECT ?1, * FROM sum_trade", g, e);
    return rc ? rc : set_put(&r->resum, g, 1) ? tr_err_set(e, TR_ENOMEM, "out of memory") : 0;
}

/* Moves the unit's earlier rows to the history tables. */
static int move_unit(struct tr_replace *r, int64_t key, int level, struct tr_err *e)
{
    long n = 0, m = 0;
    int rc;
    if ((rc = move_sums(r, key, e)) ||
        (rc = unit_exec(r,
                        "INSERT INTO fact_trade_history (replaced_by, trade_key, value_usd, "
                        "net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id) "
                        "SELECT ?1, trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, "
                        "fob_usd, flags, load_id FROM fact_trade_packed",
                        0, key, level, NULL, e)) ||
        (rc = unit_exec(r, "DELETE FROM fact_trade_packed", 0, key, level, &n, e)) ||
        (rc = unit_exec(r,
                        "INSERT INTO fact_trade_breakdown_history SELECT ?1, * FROM "
                        "fact_trade_breakdown",
                        1, key, level, NULL, e)) ||
        (rc = unit_exec(r, "DELETE FROM fact_trade_breakdown", 1, key, level, &m, e)))
        return rc;
    r->rows_moved += n + m;
    return TR_OK;
}

static int claim(struct tr_replace *r, int64_t key, int level, int *replaced, struct tr_err *e)
{
    long old = 0;
    int rc = count_old(r, key, level, &old, e);
    *replaced = old > 0;
    if (!rc && old > 0) {
        r->any_replaced = 1;
        rc = move_unit(r, key, level, e);
    } else if (!rc && r->scope == TR_SCOPE_EXTRACT) {
        /* a new level of a group other files brought: its sums are added up again */
        int yes = 0, kept;
        int64_t g = key >> TR_KEY_GROUP_SHIFT;
        if (!(rc = group_summed(r, key, &yes, e)) && yes && !set_get(&r->resum, g, &kept) &&
            set_put(&r->resum, g, 0))
            rc = tr_err_set(e, TR_ENOMEM, "out of memory");
    }
    return rc;
}

int tr_replace_row(struct tr_replace *r, int64_t key, int level, int64_t value_usd, int breakdown,
                   long line, struct tr_err *e)
{
    r->line = line;
    int64_t unit = unit_of(r, key, level);
    int replaced;
    if (!r->have_last || unit != r->last_unit) {
        if (!set_get(&r->units, unit, &replaced)) {
            if (r->enter)
                r->enter(r->gate);
            int rc = claim(r, key, level, &replaced, e);
            if (r->leave)
                r->leave(r->gate);
            if (rc)
                return rc;
            if (set_put(&r->units, unit, replaced))
                return tr_err_set(e, TR_ENOMEM, "out of memory");
        }
        r->last_unit = unit, r->last_replaced = replaced, r->have_last = 1;
    }
    if (r->last_replaced && !breakdown) {
        struct tally *t = &r->new_by[(key >> TR_KEY_REPORTER_SHIFT) & (N_REPORTERS - 1)];
        t->rows++;
        t->usd += (double)value_usd;
    }
    return TR_OK;
}

/* ---------- the shrink guard ---------- */

static int loses(const struct tally *old, const struct tally *new)
{
    return (double)new->rows * 100 < (double)old->rows *(100 - SHRINK_LIMIT_PCT) ||
           new->usd * 100 < old->usd *(100 - SHRINK_LIMIT_PCT);
}

static void append(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
    size_t k = strlen(buf);
    if (k + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + k, n - k, fmt, ap);
    va_end(ap);
}

/* "RUS 40 -> 2 rows, US$ 68,012.1 -> 0.3 m" for the reporters that lose most value. */
static void name_losers(struct tr_replace *r, char *buf, size_t n)
{
    int shown[3] = {-1, -1, -1};
    for (int k = 0; k < 3; k++) {
        double worst = 0;
        for (int i = 0; i < N_REPORTERS; i++) {
            double loss = r->old_by[i].usd - r->new_by[i].usd;
            int taken = i == shown[0] || i == shown[1];
            if (!taken && loses(&r->old_by[i], &r->new_by[i]) && (shown[k] < 0 || loss > worst))
                shown[k] = i, worst = loss;
        }
        if (shown[k] < 0)
            break;
        sqlite3_stmt *st;
        struct tr_err ignore;
        tr_err_init(&ignore);
        const char *iso = NULL;
        if (!tr_stmt_prepare(r->db, &st, &ignore,
                             "SELECT iso3 FROM dim_country WHERE "
                             "country_id = ?1",
                             "i", (int64_t)shown[k])) {
            if (sqlite3_step(st) == SQLITE_ROW)
                iso = (const char *)sqlite3_column_text(st, 0);
            append(buf, n, "%s%s %ld -> %ld rows, US$ %.1f -> %.1f m", k ? "; " : "",
                   iso ? iso : "?", r->old_by[shown[k]].rows, r->new_by[shown[k]].rows,
                   r->old_by[shown[k]].usd / 1e6, r->new_by[shown[k]].usd / 1e6);
            sqlite3_finalize(st);
        }
    }
}

static int shrink_guard(struct tr_replace *r, struct tr_err *e)
{
    struct tally old = {0, 0}, new = {0, 0};
    for (int i = 0; i < N_REPORTERS; i++) {
        old.rows += r->old_by[i].rows, old.usd += r->old_by[i].usd;
        new.rows += r->new_by[i].rows, new.usd += r->new_by[i].usd;
    }
    if (!r->any_replaced || r->o.accept_shrink || !loses(&old, &new))
        return TR_OK;
    char who[300] = "";
    name_losers(r, who, sizeof(who));
    r->refused = TR_REFUSED_SHRINK;
    return tr_err_set_at(e, TR_EINPUT, r->path, 0,
                         "the file would remove more than %d%% of "
                         "what it replaces: %ld rows and US$ %.1f m before, %ld rows and US$ "
                         "%.1f m after (%s); nothing committed (--accept-shrink takes it)",
                         SHRINK_LIMIT_PCT, old.rows, old.usd / 1e6, new.rows, new.usd / 1e6, who);
}

int tr_replace_before_sums(struct tr_replace *r, struct tr_err *e)
{
    int rc = shrink_guard(r, e);
    for (size_t i = 0; !rc && i < r->resum.cap; i++)
        if (r->resum.key[i] != -1)
            rc = group_exec(r, "DELETE FROM sum_trade", r->resum.key[i], e);
    return rc;
}

/* ---------- after the sums ---------- */

int tr_replace_resum(sqlite3 *db, int64_t lo, int64_t hi, struct tr_err *e)
{
    return tr_stmt_exec(
        db, NULL, e,
        "INSERT INTO sum_trade (reporter_id, partner_id, source_id, classification, year, "
        "month, flow, total_usd, sum6_usd, sum4_usd, sum2_usd, n_rows) "
        "SELECT f.reporter_id, f.partner_id, f.source_id, f.classification, f.year, f.month, "
        "f.flow, sum(CASE p.level WHEN 0 THEN f.value_usd END), "
        "sum(CASE p.level WHEN 6 THEN f.value_usd END), "
        "sum(CASE p.level WHEN 4 THEN f.value_usd END), "
        "sum(CASE p.level WHEN 2 THEN f.value_usd END), count(*) "
        "FROM fact_trade f JOIN dim_product p ON p.product_id = f.product_id "
        "WHERE f.trade_key BETWEEN ?1 AND ?2 "
        "GROUP BY f.reporter_id, f.partner_id, f.source_id, f.classification, f.year, f.month, "
        "f.flow",
        "ii", lo, hi);
}

/* One row of lineage: load old lost n rows (usd) of partition part to this load. */
static int note_replaced(struct tr_replace *r, long old, int64_t part, long n, double usd,
                         struct tr_err *e)
{
    struct tr_factkey k;
    tr_factkey_unpack(part << TR_KEY_PARTITION_SHIFT, &k);
    const char *cls = tr_classification_name(k.classification);
    int rc = tr_stmt_exec(
        r->db, NULL, e,
        "INSERT INTO load_replacement (load_id, replaced_load_id, source_id, classification, "
        "year, month, reporter_id, old_rows, old_value_usd) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) "
        "ON CONFLICT DO UPDATE SET old_rows = old_rows + excluded.old_rows, "
        "old_value_usd = coalesce(old_value_usd, 0) + excluded.old_value_usd",
        "iiitiiiii", (int64_t)r->load_id, (int64_t)old, (int64_t)k.source, cls, (int64_t)k.year,
        (int64_t)k.month, (int64_t)k.reporter, (int64_t)n, (int64_t)usd);
    if (rc)
        return rc;
    return tr_stmt_exec(r->db, NULL, e,
                        "UPDATE load_partition SET rows = rows - ?1 WHERE load_id = ?2 AND "
                        "source_id = ?3 AND classification = ?4 AND year = ?5 AND month = ?6 "
                        "AND reporter_id = ?7",
                        "iiitiii", (int64_t)n, (int64_t)old, (int64_t)k.source, cls,
                        (int64_t)k.year, (int64_t)k.month, (int64_t)k.reporter);
}

/* Each (earlier load, partition) that lost rows to history: facts grouped by the key's
 * partition prefix, breakdown rows by their columns. */
static int lineage_rows(struct tr_replace *r, int breakdown, struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc =
        breakdown
            ? tr_stmt_prepare(r->db, &st, e,
                              "SELECT load_id, source_id, year, month, reporter_id, "
                              "classification, "
                              "count(*) FROM fact_trade_breakdown_history WHERE replaced_by = ?1 "
                              "GROUP BY 1, 2, 3, 4, 5, 6",
                              "i", (int64_t)r->load_id)
            : tr_stmt_prepare(r->db, &st, e,
                              "SELECT load_id, trade_key >> ?2, count(*), total(value_usd) FROM "
                              "fact_trade_history WHERE replaced_by = ?1 GROUP BY 1, 2",
                              "ii", (int64_t)r->load_id, (int64_t)TR_KEY_PARTITION_SHIFT);
    if (rc)
        return rc;
    int s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        long old = (long)sqlite3_column_int64(st, 0);
        if (!breakdown) {
            rc = note_replaced(r, old, sqlite3_column_int64(st, 1),
                               (long)sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3),
                               e);
            continue;
        }
        struct tr_factkey k = {sqlite3_column_int(st, 1),
                               sqlite3_column_int(st, 2),
                               sqlite3_column_int(st, 3),
                               sqlite3_column_int(st, 4),
                               tr_classification_id((const char *)sqlite3_column_text(st, 5)),
                               1,
                               1,
                               1};
        rc = note_replaced(r, old, tr_factkey_pack(&k) >> TR_KEY_PARTITION_SHIFT,
                           (long)sqlite3_column_int64(st, 6), 0, e);
    }
    if (!rc && s != SQLITE_DONE)
        rc = tr_stmt_fail(r->db, s, e);
    sqlite3_finalize(st);
    return rc;
}

/* load_replacement and the earlier loads' partitions, from what moved to history. */
static int write_lineage(struct tr_replace *r, struct tr_err *e)
{
    int rc;
    if ((rc = lineage_rows(r, 0, e)) || (rc = lineage_rows(r, 1, e)))
        return rc;
    if ((rc = tr_stmt_exec(r->db, NULL, e,
                           "DELETE FROM load_partition WHERE rows <= 0 AND load_id IN (SELECT "
                           "replaced_load_id FROM load_replacement WHERE load_id = ?1)",
                           "i", (int64_t)r->load_id)))
        return rc;
    return tr_stmt_exec(r->db, NULL, e,
                        "UPDATE load_log SET status = 'superseded' WHERE load_id IN (SELECT "
                        "replaced_load_id FROM load_replacement WHERE load_id = ?1) AND NOT "
                        "EXISTS (SELECT 1 FROM load_partition p WHERE p.load_id = "
                        "load_log.load_id)",
                        "i", (int64_t)r->load_id);
}

/* Combinations that had rows and have none now read as not reported, never as 0. */
static int note_withdrawn(struct tr_replace *r, struct tr_err *e)
{
    return tr_stmt_exec(
        r->db, NULL, e,
        "INSERT OR IGNORE INTO trade_withdrawn (source_id, year, reporter_id, partner_id, flow, "
        "load_id) SELECT DISTINCT x.source_id, x.year, x.reporter_id, x.partner_id, x.flow, ?1 "
        "FROM sum_trade_replaced x WHERE x.load_id = ?1 AND NOT EXISTS (SELECT 1 FROM sum_trade "
        "s WHERE s.reporter_id = x.reporter_id AND s.partner_id = x.partner_id AND s.source_id "
        "= x.source_id AND s.year = x.year AND s.flow = x.flow)",
        "i", (int64_t)r->load_id);
}

int tr_replace_finish(struct tr_replace *r, struct tr_err *e)
{
    int rc = TR_OK;
    for (size_t i = 0; !rc && i < r->resum.cap; i++) {
        int64_t g = r->resum.key[i];
        if (g == -1)
            continue;
        rc = group_exec(r, "DELETE FROM sum_trade", g, e);
        if (!rc)
            rc = tr_replace_resum(r->db, g << TR_KEY_GROUP_SHIFT,
                                  ((g + 1) << TR_KEY_GROUP_SHIFT) - 1, e);
    }
    if (rc || !r->any_replaced)
        return rc;
    if ((rc = write_lineage(r, e)))
        return rc;
    return note_withdrawn(r, e);
}
