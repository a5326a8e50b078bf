/*
 * The fact writer: takes the rows an import produces and inserts them into fact_trade (a chunk
 * of up to 4,000 rows per statement, through tr/factfeed.h) or fact_trade_breakdown, keeps the
 * sum_trade groups of what it inserted and the rows that collided with an earlier row of the
 * same file.
 *
 * With a thread, the parsing thread fills chunks of rows and the writer inserts them on the
 * second core; the database connection is shared, so any other SQL the parsing thread runs
 * while the writer is active goes between tr_factwriter_db_enter() and _leave(), which make the
 * writer step aside after its current statement. Without a thread, a full chunk is inserted at
 * once by the caller: the same code, the same order, the same result.
 */
#ifndef TR_FACTWRITER_H
#define TR_FACTWRITER_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"
#include "tr/fact.h"

enum tr_factrow_kind { TR_ROW_FACT, TR_ROW_BREAKDOWN };

struct tr_factrow { /* one row waiting to be inserted; owns copies of its strings */
    enum tr_factrow_kind kind;
    int64_t key;      /* packed natural key (facts only) */
    int part_idx;     /* its partition, to take a duplicate back out of the count */
    int level;        /* product level for the sums: 0 TOTAL, 2, 4, 6; -1 other */
    int chapter;      /* its chapter 0..99, -1 none (the sums over partners) */
    struct tr_fact f; /* string pointers cleared: see the copies below */
    char qty_unit[16], customs_code[16], mot_code[16];
    long line;
    long long offset; /* where its record starts: its text is read back if needed */
};

struct tr_duprow { /* a fact whose key an earlier row of the file already had */
    int64_t key;   /* with its value and level, to take it back out of the sums */
    int64_t value_usd;
    double net_wgt_kg;
    int level, chapter;
    long line;
    long long offset;
    int part_idx;
    char *raw; /* the record's text, read back from the file */
};

struct tr_factwriter;

/* threaded: insert on a second thread (falls back to inline when it cannot start). latin1: the
 * file's encoding, to quote a duplicate row's line read back from path. */
int tr_factwriter_open(sqlite3 *db, const char *path, int latin1, long load_id, int threaded,
                       struct tr_factwriter **out, struct tr_err *e);
/* The next free row to fill. */
struct tr_factrow *tr_factwriter_next(struct tr_factwriter *w);
/* Hands over the row returned by tr_factwriter_next; inserts a full chunk inline, or gives it
 * to the thread, waiting while every chunk is in flight. Returns the writer's first error. */
int tr_factwriter_push(struct tr_factwriter *w, struct tr_err *e);
/* Inserts what is left and stops the thread; returns the first error either side had. */
int tr_factwriter_finish(struct tr_factwriter *w, struct tr_err *e);
/* Results, valid after tr_factwriter_finish: the sum_trade rows of what was inserted
 * (written by _write_sums in the file's transaction), the duplicates, the sort. */
int tr_factwriter_has_sums(const struct tr_factwriter *w);
int tr_factwriter_write_sums(struct tr_factwriter *w, struct tr_err *e);
const struct tr_duprow *tr_factwriter_duplicates(const struct tr_factwriter *w, size_t *n);
/* 1 when the file came far from key order and its facts went through the external sort. */
int tr_factwriter_sorted(const struct tr_factwriter *w);
/* Seconds the parsing thread spent counting and spilling the sums over partners. */
double tr_factwriter_partner_sums_seconds(const struct tr_factwriter *w);
/* Stops a running thread without inserting the rest (after an error elsewhere) and frees. */
void tr_factwriter_free(struct tr_factwriter *w);

/* Around SQL run on the connection by the parsing thread while the writer may be active. */
void tr_factwriter_db_enter(struct tr_factwriter *w);
void tr_factwriter_db_leave(struct tr_factwriter *w);

#endif
