/*
 * The HS reference data every database carries: the HS 2022 nomenclature and the UNSD
 * correlation tables HS2022 <-> HS2017 ... HS1992 (data/hs/, embedded at build time).
 * Ownership: nothing is allocated for the caller; the connection stays the caller's.
 */
#ifndef TR_HS_REFERENCE_H
#define TR_HS_REFERENCE_H

#include <sqlite3.h>

#include "tr/err.h"

/* Fills hs_nomenclature, hs_nomenclature_section and hs_correlation (sql/0010) from the
 * embedded files, with each correlation row's concordance group, unless the database already
 * holds this binary's copy (meta 'hs_reference'). Runs inside the caller's transaction. */
int tr_hs_reference_load(sqlite3 *db, struct tr_err *e);

#endif
