/*
 * The sum_trade rows of one file's facts: per group (the fact key without its product: source,
 * year, month, reporter, revision, partner, flow) the facts' count and their value at each HS
 * level. Counted on the parsing thread as facts are handed over (a duplicate found later is
 * taken back out) and written once, in key order, in the file's transaction.
 */
#ifndef TR_GROUPSUMS_H
#define TR_GROUPSUMS_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"

struct tr_groupsums;

int tr_groupsums_new(struct tr_groupsums **out);
/* Adds (sign 1) or takes back (sign -1, a duplicate) one fact of product level level (0 TOTAL,
 * 2, 4, 6; other levels count in no level sum). Returns TR_ENOMEM, or TR_EINPUT when a sum
 * would leave 64 bits. */
int tr_groupsums_add(struct tr_groupsums *s, int64_t key, int level, int64_t value, int sign);
/* 1 when any fact was counted. */
int tr_groupsums_any(const struct tr_groupsums *s);
/* Inserts the rows into sum_trade in key order; path names the file in a message. No group
 * may be added after. */
int tr_groupsums_write(struct tr_groupsums *s, sqlite3 *db, const char *path, struct tr_err *e);
void tr_groupsums_free(struct tr_groupsums *s);

#endif
