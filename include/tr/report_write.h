/*
 * Writing a briefing's files atomically, for `report` and `nightly`: DIR/A-B.xlsx and
 * DIR/A-B.pdf are written under temporary names in DIR, synced, and renamed only when both are
 * complete; DIR is synced after the renames.
 * Ownership: nothing is allocated; the final paths are written into the caller's struct.
 */
#ifndef TR_REPORT_WRITE_H
#define TR_REPORT_WRITE_H

#include "tr/report.h"

struct tr_report_paths {
    char xlsx[4200];
    char pdf[4200];
};

/* Parses "A:B" (2-4 letters or digits each, upper-cased into a and b); 0 ok, -1 malformed,
 * -2 the same code twice (a pair is two countries). */
int tr_report_parse_pair(const char *s, char a[8], char b[8]);

/* Creates dir when missing (one level), writes both files of r into it and fills out with their
 * paths. On failure no temporary file is left and no final name is touched by a partial file.
 * TR_EIO when dir is not a writable directory. */
int tr_report_write(const struct tr_report *r, const char *dir, struct tr_report_paths *out,
                    struct tr_err *e);

#endif
