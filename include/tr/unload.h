/*
 * Taking a load back: its facts removed and the rows it replaced restored from the history
 * tables, with sums, summaries and lineage as they were before the load, in one transaction.
 * Ownership: nothing is allocated for the caller; the result is filled in place.
 */
#ifndef TR_UNLOAD_H
#define TR_UNLOAD_H

#include <sqlite3.h>

#include "tr/err.h"

struct tr_unload_result {
    int already;         /* the load was unloaded before: nothing changed */
    long rows_removed;   /* the load's own rows */
    long rows_restored;  /* rows of earlier loads put back */
    long loads_restored; /* earlier loads that got rows back */
};

/* Unloads load_id. TR_EUSAGE when there is no such load; TR_EFAIL when it cannot be taken
 * back (a failed load, a reference file, or rows of it replaced by a later load that is still
 * loaded: unload that one first); TR_EIO/TR_ENOMEM otherwise. Runs its own transaction. */
int tr_unload(sqlite3 *db, long load_id, struct tr_unload_result *res, struct tr_err *e);

#endif
