/*
 * The one formatter of money and percentages (tr/fmt.h): every figure a reader sees in the PDF,
 * its charts, the workbook's notes and `claims` is written here, so the same value always reads
 * the same. It does not decide which figure to show; the briefing model does.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tr/fmt.h"

#define EN_DASH "\xE2\x80\x93"

/* Writes |v| rounded to 3 significant digits, without trailing zeros, with a unit suffix. */
static void format_scaled(double v, const char *prefix, char *buf, size_t n)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {
        {1e12, "tn"}, {1e9, "bn"}, {1e6, "m"}, {1e3, "k"}, {1, ""},
    };
    if (!buf || n == 0)
        return;
    if (isnan(v)) {
        snprintf(buf, n, EN_DASH);
        return;
    }
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    if (a == 0) {
        snprintf(buf, n, "%s0", prefix);
        return;
    }
    if (!isfinite(a) || a >= 1e15 || a < 1e-6) { /* beyond any trade figure: say it plainly */
        snprintf(buf, n, "%s%s%.3g", sign, prefix, a);
        return;
    }
    /* Round first, so 999,999 becomes 1.00e6 and takes the "m" unit. */
    double digits = floor(log10(a)) + 1;
    double p = pow(10.0, 3 - digits);
    double r = round(a * p) / p;
    size_t u = 0;
    while (u + 1 < sizeof(units) / sizeof(units[0]) && r < units[u].unit * (1 - 1e-12))
        u++;
    double s = r / units[u].unit;
    int idigits = s >= 1 ? (int)floor(log10(s) + 1e-9) + 1 : 0;
    int dec = s >= 1 ? 3 - idigits : 3 - (int)floor(log10(s) + 1e-9) - 1;
    if (dec < 0)
        dec = 0;
    char num[64];
    snprintf(num, sizeof(num), "%.*f", dec, s);
    if (strchr(num, '.')) {
        size_t k = strlen(num);
        while (k > 0 && num[k - 1] == '0')
            num[--k] = '\0';
        if (k > 0 && num[k - 1] == '.')
            num[--k] = '\0';
    }
    snprintf(buf, n, "%s%s%s%s", sign, prefix, num, units[u].suffix);
}

/* "12,345,678" */
static void group_digits(const char *digits, char *out, size_t n)
{
    size_t len = strlen(digits), k = 0;
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && k + 2 < n)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

/* US$ as "$3,070.0m": millions, one decimal, thousands separators; NAN as an en dash. */
void tr_fmt_musd(double usd, char *buf, size_t n)
{
    if (!isfinite(usd)) {
        snprintf(buf, n, EN_DASH);
        return;
    }
    double m = fabs(usd) / 1e6;
    if (m >= 1e15) { /* no trade figure is this large; do not print 16 digits */
        snprintf(buf, n, "%s$%.3em", usd < 0 ? "-" : "", m);
        return;
    }
    char raw[64], whole[64];
    snprintf(raw, sizeof(raw), "%.1f", m);
    char *dot = strchr(raw, '.');
    *dot = '\0';
    group_digits(raw, whole, sizeof(whole));
    int neg = usd < 0 && strcmp(raw, "0") + strcmp(dot + 1, "0") != 0;
    snprintf(buf, n, "%s$%.30s.%.1sm", neg ? "-" : "", whole, dot + 1); /* < 1e15: fits */
}

/* One decimal always, for columns of rates that line up. */
void tr_fmt_growth(double pct, char *buf, size_t n)
{
    if (!isfinite(pct))
        snprintf(buf, n, EN_DASH);
    else if (fabs(pct) < 0.05) /* never "-0.0%" */
        snprintf(buf, n, "0.0%%");
    else
        snprintf(buf, n, "%+.1f%%", pct);
}

void tr_fmt_count(long v, char *buf, size_t n)
{
    char raw[32];
    snprintf(raw, sizeof(raw), "%ld", v < 0 ? -v : v);
    if (v < 0 && n > 1) {
        buf[0] = '-';
        group_digits(raw, buf + 1, n - 1);
    } else {
        group_digits(raw, buf, n);
    }
}

void tr_fmt_money(double usd, char *buf, size_t n)
{
    format_scaled(usd, "$", buf, n);
}

void tr_fmt_scaled(double v, char *buf, size_t n)
{
    format_scaled(v, "", buf, n);
}

/* Whole numbers without decimals, others with one; never "-0". */
static void format_percent(double v, const char *sign, const char *suffix, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    if (isnan(v)) {
        snprintf(buf, n, EN_DASH);
        return;
    }
    if (!isfinite(v) || fabs(v) >= 1e15) { /* beyond any share: say it plainly */
        snprintf(buf, n, "%g%s", v, suffix);
        return;
    }
    double r = round(v * 10) / 10;
    if (r == 0)
        r = 0; /* -0.0 reads as "-0" */
    if (fabs(r - round(r)) < 1e-9)
        snprintf(buf, n, *sign ? "%+.0f%s" : "%.0f%s", r, suffix);
    else
        snprintf(buf, n, *sign ? "%+.1f%s" : "%.1f%s", r, suffix);
}

void tr_fmt_pct(double pct, char *buf, size_t n)
{
    format_percent(pct, "", "%", buf, n);
}

void tr_fmt_change(double pct, char *buf, size_t n)
{
    format_percent(pct, "+", "%", buf, n);
}

void tr_fmt_pp(double pp, char *buf, size_t n)
{
    format_percent(pp, "+", " pp", buf, n);
}

void tr_fmt_value(double v, const char *unit, char *buf, size_t n)
{
    if (unit && strcmp(unit, "pct") == 0)
        tr_fmt_pct(v, buf, n);
    else if (unit && strcmp(unit, "USD") == 0)
        tr_fmt_money(v, buf, n);
    else
        tr_fmt_scaled(v, buf, n);
}
