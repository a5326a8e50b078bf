/*
 * The Excel workbook of a briefing (libxlsxwriter, native charts).
 * Reads a filled struct tr_report; owns nothing it is given. Writes to path as it is given:
 * the caller writes to a temporary name and renames (see cmd_report.c).
 */
#ifndef TR_XLSX_H
#define TR_XLSX_H

#include "tr/report.h"

int tr_xlsx_write(const struct tr_report *r, const char *path, struct tr_err *e);

#endif
