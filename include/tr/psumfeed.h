/*
 * The sums feed: a virtual table, tr_psum_feed, registered on the import's connection only,
 * that shows an array of sums over partners (tr/partnersums.h) as rows, their key decoded
 * (include/tr/factkey.h), so that one INSERT ... SELECT ... FROM tr_psum_feed adds them all to
 * sum_product or sum_chapter. Why: bound one by one (ten values a row), a 10 M-row file's
 * million sums cost a second more than the same statement over the feed.
 * Nothing of it is stored in the database: the schema and the views never see it.
 */
#ifndef TR_PSUMFEED_H
#define TR_PSUMFEED_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"

/* One sum: the fact key with its partner bits zero; for a chapter's sum the product bits
 * hold level << 7 | chapter (100: none). */
struct tr_psum {
    int64_t key; /* 0: an empty slot of the tables that hold them */
    int64_t value_usd;
    double net_wgt_kg;
    int32_t facts, facts_with_weight;
};

/* The chapter number that stands for "no chapter" in a chapter sum's key. */
#define TR_PSUM_NO_CHAPTER 100

struct tr_psumfeed;

/* Registers tr_psum_feed on db; the feed lives until tr_psumfeed_drop. Columns: source_id,
 * year, reporter_id, month, flow, product_id, classification, level, chapter, value_usd,
 * facts, net_wgt_kg, facts_with_weight (product_id for product sums, level and chapter for
 * chapter sums). */
int tr_psumfeed_register(sqlite3 *db, struct tr_psumfeed **out, struct tr_err *e);
/* The rows the next statement reads; they must outlive its step. */
void tr_psumfeed_set(struct tr_psumfeed *f, const struct tr_psum *rows, size_t n);
/* Unregisters the module (every statement that reads it must be finalized first). */
void tr_psumfeed_drop(sqlite3 *db, struct tr_psumfeed *f);

#endif
