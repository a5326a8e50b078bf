/*
 * What a trade file replaces: the earlier rows of the scope it brings, moved to the history
 * tables (so a load can be undone), with the release and shrink guards, the sums of the
 * groups it touched and the lineage of what it took over.
 * Ownership: the import pipeline creates one struct tr_replace per file and frees it; nothing
 * the caller passes is kept after a call returns (the release is copied), but the path,
 * which must outlive it.
 */
#ifndef TR_REPLACE_H
#define TR_REPLACE_H

#include <stdint.h>
#include <sqlite3.h>

#include "tr/err.h"

/* What a file of a format is: a complete partition, or an extract of one. */
enum tr_scope {
    /* an API or portal download: replaces only the (source, revision, period, reporter,
     * partner, flow, product level) combinations it contains */
    TR_SCOPE_EXTRACT = 0,
    /* a whole year of one revision and release (a BACI year file): replaces that year of that
     * revision, every reporter */
    TR_SCOPE_YEAR = 1,
};

struct tr_replace_opts {
    int allow_older_release; /* take a file of an older release than the rows it replaces */
    int accept_shrink;       /* take a replacement that removes > 20% of rows or value */
};

struct tr_replace;

/* gate_enter/gate_leave (may be NULL) bracket every database call: the pipeline's writer
 * thread shares the connection. path names the file in messages. */
struct tr_replace *tr_replace_new(sqlite3 *db, long load_id, enum tr_scope scope,
                                  const char *release, const char *path,
                                  const struct tr_replace_opts *o, void (*gate_enter)(void *),
                                  void (*gate_leave)(void *), void *gate);
void tr_replace_free(struct tr_replace *r);

/* One row of the file, before it is written: key is its packed fact key (tr/factkey.h), level
 * its product level (0 TOTAL, 2, 4, 6, 9 special), line its line in the file. The first row of a scope unit moves the
 * unit's earlier rows to history (TR_EINPUT when they are of a newer release). */
int tr_replace_row(struct tr_replace *r, int64_t key, int level, int64_t value_usd, int breakdown,
                   long line, struct tr_err *e);

/* After the last row, before the file's sum_trade rows are written: the shrink guard
 * (TR_EINPUT with the figures), and the sums of touched groups are cleared for recompute. */
int tr_replace_before_sums(struct tr_replace *r, struct tr_err *e);

/* After the file's sums are written: touched groups recomputed from the facts, lineage of
 * what was replaced (load_replacement, load_partition of the earlier loads, their status),
 * and the combinations left with no row (trade_withdrawn). */
int tr_replace_finish(struct tr_replace *r, struct tr_err *e);

/* Which guard refused the file: 0 none, TR_REFUSED_OLDER_RELEASE, TR_REFUSED_SHRINK. */
#define TR_REFUSED_OLDER_RELEASE 1
#define TR_REFUSED_SHRINK 2
int tr_replace_refused(const struct tr_replace *r);

/* Rows moved to history so far (facts and breakdown rows). */
long tr_replace_rows(const struct tr_replace *r);

/* Rebuilds the sum_trade rows of every group with a key in [lo, hi] from the facts. */
int tr_replace_resum(sqlite3 *db, int64_t lo, int64_t hi, struct tr_err *e);

#endif
