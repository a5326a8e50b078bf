/*
 * Importing a delivery archive (.zip, .gz): every member recognised like a loose file (by its
 * name and header) and loaded as its own load in its own transaction, reference members
 * (country and product codes, claims) before the others; members that are not data are
 * skipped. Each member's outcome goes to a callback as it happens.
 * Ownership: everything handed to the callback lives only during the call.
 */
#ifndef TR_IMPORT_ARCHIVE_H
#define TR_IMPORT_ARCHIVE_H

#include <sqlite3.h>

#include "tr/archive.h"
#include "tr/err.h"
#include "tr/import.h"

enum tr_member_outcome {
    TR_MEMBER_LOADED,  /* committed, or already loaded (res->status says which) */
    TR_MEMBER_SKIPPED, /* not a data file (a readme, a PDF) */
    TR_MEMBER_FAILED,  /* refused: e says why; nothing of it committed */
};

/* Called once per member; res is NULL for a skipped member or one refused before its data
 * was read (an unsafe name, a damaged member). */
typedef void (*tr_member_fn)(void *ctx, const char *label, enum tr_member_outcome outcome,
                             const struct tr_import_result *res, const struct tr_err *e);

/* Imports the archive at path. TR_OK when every member loaded, was already loaded or was
 * skipped; TR_EINPUT when one or more members failed (e: the first failure; the members
 * that loaded stay committed); TR_EIO, TR_ENOMEM or TR_EFAIL (a signal) stop at once. *total
 * sums the members (status TR_LOAD_COMMITTED when any member was committed, else
 * TR_LOAD_ALREADY; file = the archive as opened). */
int tr_import_archive(sqlite3 *db, const char *path, const struct tr_import_opts *o,
                      const struct tr_archive_limits *l, tr_member_fn fn, void *ctx,
                      struct tr_import_result *total, struct tr_err *e);

#endif
