/*
 * The PDF briefing (A4, Cairo), charts drawn by chart.c.
 * Reads a filled struct tr_report; owns nothing it is given. Writes to path as it is given:
 * the caller writes to a temporary name and renames (see cmd_report.c).
 */
#ifndef TR_PDF_H
#define TR_PDF_H

#include "tr/report.h"

int tr_pdf_write(const struct tr_report *r, const char *path, struct tr_err *e);

/* Drops Cairo's process-long caches (font faces, scaled fonts), for leak checkers at exit. */
void tr_pdf_release_caches(void);

#endif
