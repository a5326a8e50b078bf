/*
 * Strict parsing of numbers as they appear in trade files: plain decimals, padded with spaces,
 * sometimes in scientific notation after a trip through Excel. Rejects thousands separators,
 * NaN, Inf, hex and overflow instead of guessing. Values are exact integers where it matters.
 */
#include "tr/num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t tr_trim(const char *s, size_t n, const char **start)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *start = s;
    return n;
}

/* The shape [+-]digits[.digits][(e|E)[+-]digits], at least one mantissa digit. */
struct decimal {
    int negative;
    uint64_t mantissa; /* up to 19 significant digits */
    int exp10;         /* value = mantissa * 10^exp10 */
};

static int scan_decimal(const char *s, size_t n, struct decimal *d)
{
    size_t i = 0;
    int digits = 0, sig = 0;
    memset(d, 0, sizeof(*d));
    if (i < n && (s[i] == '+' || s[i] == '-'))
        d->negative = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (sig == 0 && s[i] == '0')
            continue;
        if (sig < 19) {
            d->mantissa = d->mantissa * 10 + (uint64_t)(s[i] - '0');
            sig++;
        } else {
            d->exp10++; /* integer digits beyond 19: scale instead of store */
        }
    }
    if (i < n && s[i] == '.') {
        i++;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
            if (sig == 0 && s[i] == '0') {
                d->exp10--;
                continue;
            }
            if (sig < 19) {
                d->mantissa = d->mantissa * 10 + (uint64_t)(s[i] - '0');
                d->exp10--;
                sig++;
            }
        }
    }
    if (digits == 0)
        return TR_NUM_BAD;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        long e = 0;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        if (i >= n || s[i] < '0' || s[i] > '9')
            return TR_NUM_BAD;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (e < 100000)
                e = e * 10 + (s[i] - '0');
        d->exp10 += (int)(eneg ? -e : e);
    }
    return i == n ? TR_NUM_OK : TR_NUM_BAD;
}

int tr_parse_int(const char *s, size_t n, int64_t *out)
{
    const char *t;
    n = tr_trim(s, n, &t);
    if (n == 0)
        return TR_NUM_EMPTY;
    size_t i = 0;
    int neg = 0;
    if (t[0] == '+' || t[0] == '-')
        neg = t[i++] == '-';
    if (i == n)
        return TR_NUM_BAD;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return TR_NUM_BAD;
        unsigned dgt = (unsigned)(t[i] - '0');
        if (v > (limit - dgt) / 10)
            return TR_NUM_RANGE;
        v = v * 10 + dgt;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return TR_NUM_OK;
}

int tr_parse_scaled(const char *s, size_t n, int scale, int64_t *out)
{
    const char *t;
    struct decimal d;
    n = tr_trim(s, n, &t);
    if (n == 0)
        return TR_NUM_EMPTY;
    int rc = scan_decimal(t, n, &d);
    if (rc != TR_NUM_OK)
        return rc;
    uint64_t m = d.mantissa;
    int e = d.exp10 + scale;
    if (m == 0) {
        *out = 0;
        return TR_NUM_OK;
    }
    if (e >= 0) {
        for (; e > 0; e--) {
            if (m > (uint64_t)INT64_MAX / 10)
                return TR_NUM_RANGE;
            m *= 10;
        }
    } else {
        uint64_t rem, div = 1;
        if (e < -19) {
            m = 0;
        } else {
            for (; e < 0; e++)
                div *= 10;
            rem = m % div;
            m /= div;
            if (rem >= div - rem) /* half away from zero */
                m++;
        }
    }
    if (m > (uint64_t)INT64_MAX)
        return TR_NUM_RANGE;
    *out = d.negative ? -(int64_t)m : (int64_t)m;
    return TR_NUM_OK;
}

int tr_parse_double(const char *s, size_t n, double *out)
{
    const char *t;
    struct decimal d;
    char buf[128];
    n = tr_trim(s, n, &t);
    if (n == 0)
        return TR_NUM_EMPTY;
    int rc = scan_decimal(t, n, &d);
    if (rc != TR_NUM_OK)
        return rc;
    if (n >= sizeof(buf))
        return TR_NUM_RANGE;
    memcpy(buf, t, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return TR_NUM_RANGE;
    *out = v;
    return TR_NUM_OK;
}

int tr_num_is_negative(const char *s, size_t n)
{
    const char *t;
    struct decimal d;
    n = tr_trim(s, n, &t);
    return n && scan_decimal(t, n, &d) == TR_NUM_OK && d.negative && d.mantissa != 0;
}

const char *tr_num_strerror(int status)
{
    switch (status) {
    case TR_NUM_OK: return "ok";
    case TR_NUM_EMPTY: return "empty value";
    case TR_NUM_BAD: return "not a number";
    case TR_NUM_RANGE: return "number out of range";
    }
    return "bad number";
}
