/*
 * The HS reference data a database carries: rows of the HS 2022 nomenclature and of the UNSD
 * correlation tables HS2022 <-> HS2017 ... HS1992 (compiled into the binary, tr/hs_data.h),
 * written into hs_nomenclature, hs_nomenclature_section and hs_correlation (sql/0009).
 * Ownership: nothing is allocated for the caller; the connection stays the caller's.
 */
#ifndef TR_HS_REFERENCE_H
#define TR_HS_REFERENCE_H

#include <sqlite3.h>

#include "tr/err.h"

/* Writes the rows the data needs and the database lacks: every correlation row that names a
 * six-digit code of dim_product (in its own revision, or an HS2022 code in any table), the
 * nomenclature rows of those HS2022 codes and their headings and chapters, the 21 sections.
 * Codes already looked up (hs_reference_code) are skipped, so a call with no new code costs
 * one query. A copy from another binary's data is replaced. Runs inside the caller's
 * transaction; *added (may be NULL) gets the number of correlation rows written. */
int tr_hs_reference_need(sqlite3 *db, long *added, struct tr_err *e);

/* Writes every row of the compiled data (the whole nomenclature, all six tables) and marks
 * the database as holding all of it (meta 'hs_reference_all'). Inside the caller's
 * transaction; *added (may be NULL) gets the number of correlation rows written. */
int tr_hs_reference_load_all(sqlite3 *db, long *added, struct tr_err *e);

#endif
