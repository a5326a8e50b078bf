/*
 * Text cells as the tool prints them: escaped for a terminal or a TSV line, quoted for
 * RFC 4180 CSV, and guarded against formula injection for CSV files meant for spreadsheets.
 * Ownership: nothing is allocated; the functions write to the FILE they are given.
 */
#ifndef TR_TEXTOUT_H
#define TR_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* Writes s with control characters made visible: \t \n \r \\ and \xNN for the other C0
 * controls and DEL, \u00NN for the C1 controls (U+0080..U+009F), so a value can neither
 * break a line or a column nor send an escape sequence to the terminal. */
void tr_text_put_escaped(FILE *fp, const char *s);
/* The same into buf (always NUL-terminated, cut at n - 1 bytes, never inside an escape);
 * returns the length written. */
size_t tr_text_escape(const char *s, char *buf, size_t n);
/* One RFC 4180 field: quoted when it holds a comma, quote, CR or LF. With neutralise, a text
 * that begins with '=', '+', '-', '@', tab or CR gets a leading apostrophe, so a spreadsheet
 * shows it as text instead of running it as a formula. */
void tr_text_put_csv(FILE *fp, const char *s, int neutralise);

#endif
