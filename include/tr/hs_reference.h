/*
 * The HS reference data a database carries: rows of the HS 2022 nomenclature and of the UNSD
 * correlation tables HS2022 <-> HS2017 ... HS1992 (compiled into the binary, tr/hs_data.h),
 * written into hs_nomenclature, hs_nomenclature_section and hs_correlation (sql/0011).
 * Ownership: nothing is allocated for the caller; the connection stays the caller's.
 */
#ifndef TR_HS_REFERENCE_H
#define TR_HS_REFERENCE_H

#include <sqlite3.h>

#include "tr/err.h"

/* Writes every row of the compiled data the database lacks (the whole nomenclature, all six
 * tables), after removing rows of another binary's data, and marks the database as holding all
 * of it (meta 'hs_reference_all'). Inside the caller's transaction; *added (may be NULL) gets
 * the number of correlation rows written. */
int tr_hs_reference_load_all(sqlite3 *db, long *added, struct tr_err *e);

/* One query when the database holds this binary's rows already (every database made by it);
 * otherwise tr_hs_reference_load_all. For importers: a database made by an earlier version,
 * or from another copy of data/hs, is completed at its next import. */
int tr_hs_reference_ensure_all(sqlite3 *db, struct tr_err *e);

#endif
