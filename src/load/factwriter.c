/*
 * The fact writer (see tr/factwriter.h): chunk-at-once inserts into fact_trade, breakdown rows and
 * the duplicates, on a second thread or inline; the sum_trade groups (groupsums.c) and the sums
 * over partners (partnersums.c) are counted by the parsing thread as it hands each chunk over.
 *
 * Threads: the parsing thread owns the chunk it fills; the writer owns the chunks between
 * head and head + count. q_mx guards head, count and the flags; db_mx is held by whoever runs
 * SQL on the shared connection (opened without SQLite's own mutex).
 */
#include "tr/factwriter.h"

#include <assert.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/clock.h"
#include "tr/codes.h"
#include "tr/db.h"
#include "tr/csvread.h"
#include "tr/factfeed.h"
#include "tr/factkey.h"
#include "tr/factsort.h"
#include "tr/groupsums.h"
#include "tr/partnersums.h"
#include "tr/stmt.h"

#define CHUNK 4000 /* rows handed over at once, and inserted by one statement */
#define NCHUNK 4   /* chunks in flight: bounds the memory to about 8 MB */

struct chunk {
    int n;
    struct tr_factrow rows[CHUNK];
    /* set by the parsing thread when it hands the chunk over */
    int n_facts;
    struct tr_feedrow facts[CHUNK]; /* the fact rows, in key order unless bound for the sort */
    int merged;                     /* rows of the sort's merge: insert as they are */
    int to_sort;  /* the parser's verdict: these facts go to the external sort */
    int descents; /* facts whose group is below the previous fact's, in file order */
};

struct tr_factwriter {
    sqlite3 *db;
    const char *path;
    int latin1; /* the file's encoding, to read a duplicate's text back */
    int raw_fd; /* the file, opened at the first duplicate; -1 before */
    long load_id;
    struct tr_factfeed *feed;
    sqlite3_stmt *ins_chunk, *ins_chunk_lean, *ins_breakdown;
    /* the queue */
    struct chunk *chunks[NCHUNK];
    int n_chunks;    /* allocated: NCHUNK with a thread, 1 inline */
    int head, count; /* the writer's chunks: head .. head + count - 1 (q_mx) */
    int tail, fill;  /* the parser's: the chunk it fills and the rows in it so far */
    struct tr_feedrow sort_tmp[CHUNK]; /* the parser's: room to sort a chunk's facts */
    int threaded, done, stop, failed;
    pthread_t thread;
    pthread_mutex_t q_mx;
    pthread_cond_t not_empty, not_full;
    struct tr_err err; /* the writer's error; read by the parser after failed is seen */
    /* the connection: the writer steps aside between statements when the parser wants it */
    pthread_mutex_t db_mx, gate_mx;
    pthread_cond_t gate_cv;
    atomic_int want;
    int depth;
    /* arrival order: a file far from key order is sorted before it is inserted */
    int64_t last_group;        /* the parser's: the group of the last fact handed over */
    long facts_seen, descents; /* the parser's */
    int sorting;               /* the parser's: the file proved far from key order */
    struct tr_factsort *sort;  /* the writer's, from the first chunk bound for it */
    /* results */
    struct tr_partnersums *psums; /* the parser's: sums over partners, written as they fill */
    double psum_seconds;          /* the parser's time on them (tr_import_timings) */
    const char *overflowed;       /* which sum left 64 bits, for the message */
    struct tr_groupsums *groups;  /* the parser's: the sum_trade rows */
    struct tr_duprow *dups;
    size_t n_dups, cap_dups;
};

/* ---------- statements ---------- */

/* A chunk at once, from the feed (tr/factfeed.h); ?1 is the load id, bound once (bindings
 * outlive sqlite3_reset). The lean form leaves the optional columns to their defaults. */
static const char FACT_INSERT_CHUNK[] =
    "INSERT INTO fact_trade_packed (trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, "
    "fob_usd, flags, load_id) SELECT trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, "
    "fob_usd, flags, ?1 FROM tr_fact_feed";
static const char FACT_INSERT_CHUNK_LEAN[] =
    "INSERT INTO fact_trade_packed (trade_key, value_usd, net_wgt_kg, load_id) "
    "SELECT trade_key, value_usd, net_wgt_kg, ?1 FROM tr_fact_feed";

static int prepare(struct tr_factwriter *w, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(w->db));
    return TR_OK;
}

/* Prepares sql and binds the load id to its ?1. */
static int prepare_with_load(struct tr_factwriter *w, sqlite3_stmt **st, const char *sql,
                             struct tr_err *e)
{
    int rc = prepare(w, st, sql, e);
    if (!rc && sqlite3_bind_int64(*st, 1, w->load_id) != SQLITE_OK)
        rc = tr_err_set(e, TR_EFAIL, "database: %s", sqlite3_errmsg(w->db));
    return rc;
}

static int prepare_statements(struct tr_factwriter *w, struct tr_err *e)
{
    int rc;
    if ((rc = tr_factfeed_register(w->db, &w->feed, e)) ||
        (rc = prepare_with_load(w, &w->ins_chunk, FACT_INSERT_CHUNK, e)) ||
        (rc = prepare_with_load(w, &w->ins_chunk_lean, FACT_INSERT_CHUNK_LEAN, e)))
        return rc;
    return prepare(w, &w->ins_breakdown,
                   "INSERT INTO fact_trade_breakdown (source_id, classification, year, month, "
                   "reporter_id, partner_id, partner2_id, customs_code, mot_code, flow, "
                   "product_id, value_usd, net_wgt_kg, qty, qty_unit, load_id) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   e);
}

static int db_fail(struct tr_factwriter *w, int rc, struct tr_err *e)
{
    return tr_err_set(e, tr_stmt_code(rc), "database error loading '%s': %s", w->path,
                      sqlite3_errmsg(w->db));
}

static void bind_opt_double(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (*s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC); /* the row outlives the step */
    else
        sqlite3_bind_null(st, i);
}

/* A row whose optional columns are all empty can go through the lean statement (BACI). */
static int is_lean(const struct tr_factrow *r)
{
    return isnan(r->f.qty) && !r->qty_unit[0] && r->f.cif_usd == TR_MISSING_INT &&
           r->f.fob_usd == TR_MISSING_INT && r->f.flags == 0;
}

/* ---------- sums and duplicates ---------- */

/* One fact in (or out of) its sum_trade group, saying which sum overflowed. */
static int add_to_group_sums(struct tr_factwriter *w, int64_t key, int level, int64_t value,
                             int sign)
{
    int rc = tr_groupsums_add(w->groups, key, level, value, sign);
    if (rc == TR_EINPUT)
        w->overflowed = "one reporter, partner, year and flow";
    return rc;
}

/* One fact in (or out of) its sums over partners (tr/partnersums.h). */
static int add_to_partner_sums(struct tr_factwriter *w, int64_t key, int level, int chapter,
                               int64_t value, double net_wgt_kg, int sign)
{
    int rc = tr_partnersums_add(w->psums, key, level, chapter, value, net_wgt_kg, sign);
    if (rc == TR_EINPUT)
        w->overflowed = "one reporter, year, flow and product or chapter, over all partners,";
    return rc;
}

static int sums_error(struct tr_factwriter *w, int code, long line, struct tr_err *e)
{
    if (code == TR_ENOMEM)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return tr_err_set_at(e, TR_EINPUT, w->path, line,
                         "the values of %s add up beyond "
                         "9.2 x 10^18 US$",
                         w->overflowed);
}

static int note_duplicate(struct tr_factwriter *w, const struct tr_factrow *r)
{
    if (w->n_dups == w->cap_dups) {
        size_t cap = w->cap_dups ? w->cap_dups * 2 : 16;
        struct tr_duprow *d = realloc(w->dups, cap * sizeof(*d));
        if (!d)
            return TR_ENOMEM;
        w->dups = d;
        w->cap_dups = cap;
    }
    struct tr_duprow *d = &w->dups[w->n_dups++];
    d->key = r->key;
    d->value_usd = r->f.value_usd;
    d->level = r->level;
    d->chapter = r->chapter;
    d->net_wgt_kg = r->f.net_wgt_kg;
    d->line = r->line;
    d->offset = r->offset;
    d->part_idx = r->part_idx;
    /* rows do not carry their text (it would double a chunk's size): read it back; a file
     * that cannot be read again leaves the text empty, the line and reason stand */
    char text[TR_CSV_RAW_KEEP + 1] = "";
    if (w->raw_fd < 0)
        w->raw_fd = open(w->path, O_RDONLY | O_CLOEXEC);
    if (w->raw_fd >= 0)
        tr_csv_raw_at(w->raw_fd, r->offset, w->latin1, text, sizeof(text));
    if (!(d->raw = strdup(text))) {
        w->n_dups--;
        return TR_ENOMEM;
    }
    return TR_OK;
}

/* ---------- inserting ---------- */

/* Gives the connection to the parsing thread if it asked for it; takes it back after. */
static void step_aside(struct tr_factwriter *w)
{
    if (!atomic_load_explicit(&w->want, memory_order_acquire))
        return;
    pthread_mutex_unlock(&w->db_mx);
    pthread_mutex_lock(&w->gate_mx);
    while (atomic_load_explicit(&w->want, memory_order_acquire))
        pthread_cond_wait(&w->gate_cv, &w->gate_mx);
    pthread_mutex_unlock(&w->gate_mx);
    pthread_mutex_lock(&w->db_mx);
}

/* Rows through the feed, in one statement; its result code. */
static int step_feed(struct tr_factwriter *w, sqlite3_stmt *st, const struct tr_feedrow *rows,
                     int n)
{
    tr_factfeed_set(w->feed, rows, n);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    tr_factfeed_set(w->feed, NULL, 0);
    return s;
}

/* One fact on its own (the full statement: the feed gives every column); a key already there
 * makes it a duplicate. */
static int insert_single(struct tr_factwriter *w, const struct tr_feedrow *r, struct tr_err *e)
{
    int rc = step_feed(w, w->ins_chunk, r, 1);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return note_duplicate(w, r->row) ? tr_err_set(e, TR_ENOMEM, "out of memory") : TR_OK;
    return rc == SQLITE_DONE ? TR_OK : db_fail(w, rc, e);
}

/* The facts of a chunk, in one statement through the feed. A duplicate key undoes the
 * statement as a whole: the rows then go one by one, and the later of two equal keys becomes a
 * DUPLICATE_KEY reject. */
static int insert_facts(struct tr_factwriter *w, const struct tr_feedrow *rows, int n,
                        struct tr_err *e)
{
    int lean = 1;
    for (int i = 0; i < n && lean; i++)
        lean = rows[i].lean;
    int s = step_feed(w, lean ? w->ins_chunk_lean : w->ins_chunk, rows, n);
    if (s == SQLITE_DONE)
        return TR_OK;
    if (s != SQLITE_CONSTRAINT_PRIMARYKEY)
        return db_fail(w, s, e);
    int rc = TR_OK;
    for (int i = 0; i < n && !rc; i++)
        rc = insert_single(w, &rows[i], e);
    return rc;
}

static int insert_breakdown(struct tr_factwriter *w, const struct tr_factrow *r, struct tr_err *e)
{
    const struct tr_fact *f = &r->f;
    sqlite3_stmt *st = w->ins_breakdown;
    sqlite3_bind_int(st, 1, f->source_id);
    sqlite3_bind_text(st, 2, tr_classification_name(f->classification), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, f->year);
    sqlite3_bind_int(st, 4, f->month);
    sqlite3_bind_int(st, 5, f->reporter);
    sqlite3_bind_int(st, 6, f->partner);
    if (f->partner2)
        sqlite3_bind_int(st, 7, f->partner2);
    else
        sqlite3_bind_null(st, 7);
    bind_opt_text(st, 8, r->customs_code);
    bind_opt_text(st, 9, r->mot_code);
    sqlite3_bind_text(st, 10, tr_flow_name(f->flow), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, f->product);
    sqlite3_bind_int64(st, 12, f->value_usd);
    bind_opt_double(st, 13, f->net_wgt_kg);
    bind_opt_double(st, 14, f->qty);
    bind_opt_text(st, 15, r->qty_unit);
    sqlite3_bind_int64(st, 16, w->load_id);
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    return s == SQLITE_DONE ? TR_OK : db_fail(w, s, e);
}

/* Counts, in file order, the facts whose group (the key without the product) is below the
 * group of the fact before: a file sorted as BACI ships it descends only where a country's id
 * does not follow its code (a few times per file), a shuffled file at every other row. Past
 * one descent in eight rows the rest of the file is sorted first: inserting all over a large
 * B-tree costs far more than an external sort. The verdict comes before the chunk that gives
 * it is inserted, so a shuffled file's first chunk already goes to the sort: rows inserted
 * across the key space first would make every later insert land inside the B-tree, where a
 * full page is split in two instead of a new one being started at its right edge. */
static int far_from_key_order(const struct tr_factwriter *w)
{
    return w->descents >= CHUNK / 8 && w->descents * 8 > w->facts_seen;
}

/* The parser's verdict on a chunk it hands over (so that it knows which facts will come back
 * from the sort): once the file proved far from key order, this chunk and every later one. */
static void judge_order(struct tr_factwriter *w, struct chunk *c)
{
    w->descents += c->descents;
    w->facts_seen += c->n_facts;
    w->sorting = w->sorting || far_from_key_order(w);
    c->to_sort = w->sorting;
}

/* Inserts one chunk: breakdown rows one by one, then the facts in key order in one statement
 * or, once the file proved far from key order, into the sort. */
static int insert_chunk(struct tr_factwriter *w, const struct chunk *c, struct tr_err *e)
{
    int n = c->n_facts, rc = TR_OK;
    const struct tr_feedrow *facts = c->facts;
    pthread_mutex_lock(&w->db_mx);
    if (c->n_facts < c->n)
        for (int i = 0; i < c->n && !rc; i++)
            if (c->rows[i].kind == TR_ROW_BREAKDOWN)
                rc = insert_breakdown(w, &c->rows[i], e);
    if (!rc && c->to_sort && !w->sort)
        rc = tr_factsort_open(&w->sort, e);
    if (c->to_sort) {
        pthread_mutex_unlock(&w->db_mx);
        for (int i = 0; i < n && !rc; i++)
            rc = tr_factsort_add(w->sort, facts[i].row, e);
        return rc;
    }
    if (!rc && n)
        rc = insert_facts(w, facts, n, e);
    step_aside(w);
    pthread_mutex_unlock(&w->db_mx);
    return rc;
}

/* ---------- the thread and the queue ---------- */

static void *writer_main(void *arg)
{
    struct tr_factwriter *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->q_mx);
        while (!w->count && !w->done && !w->stop)
            pthread_cond_wait(&w->not_empty, &w->q_mx);
        if (w->stop || !w->count) {
            pthread_mutex_unlock(&w->q_mx);
            break;
        }
        struct chunk *c = w->chunks[w->head];
        pthread_mutex_unlock(&w->q_mx);

        int rc = insert_chunk(w, c, &w->err);

        pthread_mutex_lock(&w->q_mx);
        w->head = (w->head + 1) % NCHUNK;
        w->count--;
        if (rc)
            w->failed = 1;
        pthread_cond_signal(&w->not_full);
        pthread_mutex_unlock(&w->q_mx);
        if (rc)
            break;
    }
    return NULL;
}

int tr_factwriter_open(sqlite3 *db, const char *path, int latin1, long load_id, int threaded,
                       struct tr_factwriter **out, struct tr_err *e)
{
    *out = NULL;
    struct tr_factwriter *w = calloc(1, sizeof(*w));
    if (!w)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    w->db = db;
    w->path = path;
    w->latin1 = latin1;
    w->raw_fd = -1;
    w->load_id = load_id;
    tr_err_init(&w->err);
    pthread_mutex_init(&w->q_mx, NULL);
    pthread_mutex_init(&w->db_mx, NULL);
    pthread_mutex_init(&w->gate_mx, NULL);
    pthread_cond_init(&w->not_empty, NULL);
    pthread_cond_init(&w->not_full, NULL);
    pthread_cond_init(&w->gate_cv, NULL);
    atomic_init(&w->want, 0);
    *out = w;
    int rc = tr_groupsums_new(&w->groups) ? tr_err_set(e, TR_ENOMEM, "out of memory")
                                          : tr_partnersums_new(db, &w->psums, e);
    if (!rc)
        rc = prepare_statements(w, e);
    if (rc)
        return rc;
    w->n_chunks = threaded ? NCHUNK : 1;
    for (int i = 0; i < w->n_chunks; i++)
        if (!(w->chunks[i] = malloc(sizeof(struct chunk))))
            return tr_err_set(e, TR_ENOMEM, "out of memory");
    /* without a second thread the rows are inserted inline, chunk by chunk */
    w->threaded = threaded && pthread_create(&w->thread, NULL, writer_main, w) == 0;
    return TR_OK;
}

static int writer_error(struct tr_factwriter *w, struct tr_err *e)
{
    tr_err_set(e, w->err.code ? w->err.code : TR_ENOMEM, "%s", w->err.msg);
    return e->code;
}

struct tr_factrow *tr_factwriter_next(struct tr_factwriter *w)
{
    return &w->chunks[w->tail]->rows[w->fill];
}

/* The chunk's facts in their sums over partners. Facts bound for the sort are counted when
 * they come back from it, in key order: in file order, a shuffled file's facts would spread
 * over every partition at once and the sums be written out many times over. */
static int count_partner_sums(struct tr_factwriter *w, const struct chunk *c, struct tr_err *e)
{
    if (c->to_sort)
        return TR_OK;
    for (int i = 0; i < c->n_facts; i++) {
        const struct tr_factrow *r = c->facts[i].row;
        int rc = add_to_partner_sums(w, r->key, r->level, r->chapter, r->f.value_usd,
                                     r->f.net_wgt_kg, 1);
        if (rc)
            return sums_error(w, rc, r->line, e);
    }
    return TR_OK;
}

/* The parsing thread's part of a chunk: its facts found, counted in their sum_trade groups
 * (a duplicate found later is taken back out) and put in key order (sorted files' keys rise
 * within a chunk only nearly: product ids follow first sight, not the code; a B-tree appends
 * much faster than it inserts in the middle). Rows bound for the sort are left in file order.
 * Merged rows come back from the sort: in key order, and counted in sum_trade on their first
 * pass, in the sums over partners now. */
static int prepare_chunk(struct tr_factwriter *w, struct chunk *c, int n, int merged,
                         struct tr_err *e)
{
    c->n = n;
    c->merged = merged;
    c->to_sort = 0;
    c->n_facts = 0;
    c->descents = 0;
    int in_order = 1;
    for (int i = 0; i < n; i++) {
        const struct tr_factrow *r = &c->rows[i];
        if (r->kind != TR_ROW_FACT)
            continue;
        struct tr_feedrow *ref = &c->facts[c->n_facts++];
        ref->key = r->key;
        ref->value_usd = r->f.value_usd;
        ref->net_wgt_kg = r->f.net_wgt_kg;
        ref->row = r;
        ref->lean = is_lean(r);
        in_order = in_order && (c->n_facts == 1 || ref[-1].key < ref->key);
        if (merged)
            continue;
        int rc = add_to_group_sums(w, r->key, r->level, r->f.value_usd, 1);
        if (rc)
            return sums_error(w, rc, r->line, e);
        int64_t group = r->key >> TR_KEY_GROUP_SHIFT;
        c->descents += group < w->last_group;
        w->last_group = group;
    }
    if (!merged)
        judge_order(w, c);
    double t0 = tr_clock_seconds();
    int rc = count_partner_sums(w, c, e);
    w->psum_seconds += tr_clock_seconds() - t0;
    /* stable: of two duplicates, the earlier is inserted */
    if (!rc && !in_order && !c->to_sort)
        tr_feedrows_sort(c->facts, c->n_facts, w->sort_tmp);
    return rc;
}

/* Where the last fact group of a full chunk starts (the group: the key without its product),
 * or n when one group fills the chunk. Those rows wait for the next chunk: product ids follow
 * first sight, not the file's order, so the rest of a group split across two chunks would go
 * below keys already in the table, and an insert inside a B-tree splits a page and reads its
 * neighbours back where an append at the right edge only starts a new page. */
static int trailing_group_start(const struct chunk *c, int n)
{
    int64_t group = -1;
    for (int i = n - 1; i >= 0; i--) {
        if (c->rows[i].kind != TR_ROW_FACT)
            continue;
        int64_t g = c->rows[i].key >> TR_KEY_GROUP_SHIFT;
        if (group < 0)
            group = g;
        else if (g != group)
            return i + 1;
    }
    return n;
}

/* Adds the sums over partners counted so far to their tables, in the parser's turn on the
 * connection: their memory stays bounded however many (reporter, product) pairs a file has. */
static int write_partner_sums(struct tr_factwriter *w, struct tr_err *e)
{
    double t0 = tr_clock_seconds();
    tr_factwriter_db_enter(w);
    int rc = tr_partnersums_write(w->psums, e);
    tr_factwriter_db_leave(w);
    w->psum_seconds += tr_clock_seconds() - t0;
    return rc;
}

/* Gives the chunk being filled to the writer (or inserts it inline); a full chunk of the file
 * keeps its last group back for the next one (merged rows are in key order already). */
static int hand_over(struct tr_factwriter *w, int merged, int last, struct tr_err *e)
{
    struct chunk *c = w->chunks[w->threaded ? w->tail : 0];
    int n = w->fill, keep = merged || last ? n : trailing_group_start(c, n);
    int rc = prepare_chunk(w, c, keep, merged, e);
    if (!rc && tr_partnersums_full(w->psums))
        rc = write_partner_sums(w, e);
    if (rc)
        return rc;
    w->fill = n - keep;
    if (!w->threaded) {
        rc = insert_chunk(w, c, e);
        memmove(c->rows, c->rows + keep, (size_t)w->fill * sizeof(c->rows[0]));
        return rc;
    }
    w->tail = (w->tail + 1) % NCHUNK;
    pthread_mutex_lock(&w->q_mx);
    w->count++;
    pthread_cond_signal(&w->not_empty);
    while (w->count == NCHUNK && !w->failed)
        pthread_cond_wait(&w->not_full, &w->q_mx);
    int failed = w->failed;
    pthread_mutex_unlock(&w->q_mx);
    if (failed)
        return writer_error(w, e);
    /* the writer reads only the first `keep` rows of the chunk it was given */
    memcpy(w->chunks[w->tail]->rows, c->rows + keep, (size_t)w->fill * sizeof(c->rows[0]));
    return TR_OK;
}

/* Waits until the writer has inserted (or sorted) every chunk handed over. */
static int drain(struct tr_factwriter *w, struct tr_err *e)
{
    if (!w->threaded)
        return TR_OK;
    pthread_mutex_lock(&w->q_mx);
    while (w->count && !w->failed)
        pthread_cond_wait(&w->not_full, &w->q_mx);
    int failed = w->failed;
    pthread_mutex_unlock(&w->q_mx);
    return failed ? writer_error(w, e) : TR_OK;
}

/* Merges the sort's runs into chunks the writer inserts as they come, in key order. */
static int insert_sorted(struct tr_factwriter *w, struct tr_err *e)
{
    int rc = tr_factsort_seal(w->sort, e), got;
    while (!rc && (got = tr_factsort_next(w->sort, tr_factwriter_next(w), e)) != 0) {
        if (got < 0)
            return e->code;
        if (++w->fill == CHUNK)
            rc = hand_over(w, 1, 0, e);
    }
    return rc || !w->fill ? rc : hand_over(w, 1, 1, e);
}

int tr_factwriter_push(struct tr_factwriter *w, struct tr_err *e)
{
    if (++w->fill < CHUNK)
        return TR_OK;
    return hand_over(w, 0, 0, e);
}

static void stop_thread(struct tr_factwriter *w, int drain)
{
    if (!w->threaded)
        return;
    pthread_mutex_lock(&w->q_mx);
    if (drain)
        w->done = 1;
    else
        w->stop = 1;
    pthread_cond_signal(&w->not_empty);
    pthread_mutex_unlock(&w->q_mx);
    pthread_join(w->thread, NULL);
    w->threaded = 0;
}

int tr_factwriter_finish(struct tr_factwriter *w, struct tr_err *e)
{
    int rc = w->fill ? hand_over(w, 0, 1, e) : TR_OK;
    /* a sorted file: once every row is in the sort, the merge feeds the writer */
    if (!rc && !(rc = drain(w, e)) && w->sort)
        rc = insert_sorted(w, e);
    int threaded = w->threaded;
    stop_thread(w, !rc);
    if (!rc && threaded && w->failed)
        rc = writer_error(w, e);
    for (size_t i = 0; i < w->n_dups && !rc; i++)
        if ((rc = add_to_group_sums(w, w->dups[i].key, w->dups[i].level, w->dups[i].value_usd,
                                    -1)) ||
            (rc = add_to_partner_sums(w, w->dups[i].key, w->dups[i].level, w->dups[i].chapter,
                                      w->dups[i].value_usd, w->dups[i].net_wgt_kg, -1)))
            rc = sums_error(w, rc, w->dups[i].line, e);
    return rc;
}

int tr_factwriter_has_sums(const struct tr_factwriter *w)
{
    return tr_groupsums_any(w->groups);
}

int tr_factwriter_write_sums(struct tr_factwriter *w, struct tr_err *e)
{
    int rc = tr_groupsums_write(w->groups, w->db, w->path, e);
    return rc ? rc : tr_partnersums_write(w->psums, e);
}

const struct tr_duprow *tr_factwriter_duplicates(const struct tr_factwriter *w, size_t *n)
{
    *n = w->n_dups;
    return w->dups;
}

double tr_factwriter_partner_sums_seconds(const struct tr_factwriter *w)
{
    return w->psum_seconds;
}

int tr_factwriter_sorted(const struct tr_factwriter *w)
{
    return w->sort != NULL;
}

void tr_factwriter_free(struct tr_factwriter *w)
{
    if (!w)
        return;
    stop_thread(w, 0);
    sqlite3_finalize(w->ins_chunk);
    sqlite3_finalize(w->ins_chunk_lean);
    sqlite3_finalize(w->ins_breakdown);
    tr_factfeed_drop(w->db, w->feed);
    for (int i = 0; i < NCHUNK; i++)
        free(w->chunks[i]);
    tr_factsort_free(w->sort);
    tr_groupsums_free(w->groups);
    tr_partnersums_free(w->psums);
    for (size_t i = 0; i < w->n_dups; i++)
        free(w->dups[i].raw);
    free(w->dups);
    if (w->raw_fd >= 0)
        close(w->raw_fd);
    pthread_mutex_destroy(&w->q_mx);
    pthread_mutex_destroy(&w->db_mx);
    pthread_mutex_destroy(&w->gate_mx);
    pthread_cond_destroy(&w->not_empty);
    pthread_cond_destroy(&w->not_full);
    pthread_cond_destroy(&w->gate_cv);
    free(w);
}

/* ---------- the parsing thread's turn on the connection ---------- */

void tr_factwriter_db_enter(struct tr_factwriter *w)
{
    if (!w || !w->threaded || w->depth++ > 0)
        return;
    atomic_store_explicit(&w->want, 1, memory_order_release);
    pthread_mutex_lock(&w->db_mx);
}

void tr_factwriter_db_leave(struct tr_factwriter *w)
{
    if (!w || !w->threaded || --w->depth > 0)
        return;
    pthread_mutex_unlock(&w->db_mx);
    pthread_mutex_lock(&w->gate_mx);
    atomic_store_explicit(&w->want, 0, memory_order_release);
    pthread_cond_broadcast(&w->gate_cv);
    pthread_mutex_unlock(&w->gate_mx);
}
