/*
 * The one way a briefing writes money and percentages, used by the PDF, its charts, the
 * workbook's notes and `claims`. Ownership: the caller owns buf; nothing is allocated.
 * Every function writes an en dash for NAN (a figure not reported), never "0".
 */
#ifndef TR_FMT_H
#define TR_FMT_H

#include <stddef.h>

/* "$0", "$850", "$12k", "$1.5m", "$3.38bn": US$ with k/m/bn, at most 3 significant digits. */
void tr_fmt_money(double usd, char *buf, size_t n);
/* US$ in millions for tables: "$3,070.0m", one decimal, thousands separators. */
void tr_fmt_musd(double usd, char *buf, size_t n);
/* A growth rate for a table column: "+12.5%", "-3.0%", "0.0%" (one decimal always). */
void tr_fmt_growth(double pct, char *buf, size_t n);
/* A count with thousands separators: "12,345". */
void tr_fmt_count(long v, char *buf, size_t n);
/* A plain number the same way without "$": "12k", "3.38bn". */
void tr_fmt_scaled(double v, char *buf, size_t n);
/* A percentage without a sign: "81%", "81.7%" (one decimal unless whole). */
void tr_fmt_pct(double pct, char *buf, size_t n);
/* A change in percent with its sign: "+12.5%", "-3%". */
void tr_fmt_change(double pct, char *buf, size_t n);
/* A difference between two percentages, in percentage points: "+2.5 pp", "-0.3 pp". */
void tr_fmt_pp(double pp, char *buf, size_t n);
/* A claim's figure in its unit: "USD" as money, "pct" as a percentage, else scaled. */
void tr_fmt_value(double v, const char *unit, char *buf, size_t n);

#endif
