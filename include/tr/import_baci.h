/*
 * What a BACI trade file's name tells (HS revision, year, release:
 * BACI_HS17_Y2021_V202401b.csv) and the import options that say it for a renamed file.
 * Ownership: the caller owns every buffer; nothing is allocated.
 */
#ifndef TR_IMPORT_BACI_H
#define TR_IMPORT_BACI_H

#include <stddef.h>

#include "tr/err.h"
#include "tr/import.h"

/* Checks the values of --hs-revision, --year and --release (those given): TR_EUSAGE with a
 * message for a revision that is not H0..H6 / HS92..HS22, a year outside 1988..2100 or a
 * release not written like V202401b. */
int tr_baci_options_check(const struct tr_import_opts *o, struct tr_err *e);

/* For a file whose name tells revision, year and release: TR_EUSAGE when a given option says
 * otherwise (naming both). TR_OK for other names and when the options agree. */
int tr_baci_name_check(const char *path, const struct tr_import_opts *o, struct tr_err *e);

#endif
