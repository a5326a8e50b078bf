/*
 * A new database starts as a copy of the template the build makes (tools/db_template.c runs
 * the migrations of sql/ and writes every HS reference row into build/…/template.db, which
 * src/store/db_template_image.S embeds into the binary): `init` then costs a page copy instead
 * of the whole schema and 104,411 reference rows (doc/hs_revisions.md has the figures).
 * A binary linked without the image (the template maker itself, the fuzz targets) creates
 * databases from sql/ as before, as does TR_DB_TEMPLATE=0.
 * Ownership: nothing is allocated for the caller; the connection stays the caller's.
 */
#ifndef TR_DB_TEMPLATE_H
#define TR_DB_TEMPLATE_H

#include <sqlite3.h>
#include <stddef.h>

#include "tr/err.h"

/* Bytes of the embedded template (0: none linked in, or TR_DB_TEMPLATE=0). */
size_t tr_db_template_size(void);

/* When the connection's main database is new (no schema object, user_version 0) and a template
 * is linked in, copies it in whole (sqlite3_backup, one write transaction); otherwise does
 * nothing. The copy is in rollback mode, as the template is kept (an in-memory image cannot be
 * WAL): the caller sets the journal mode after. No transaction may be open on db. */
int tr_db_template_copy_if_new(sqlite3 *db, struct tr_err *e);

#endif
