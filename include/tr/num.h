/*
 * Strict number parsing for input fields: surrounding spaces are allowed (BACI pads fields),
 * anything else that is not a well-formed number is an error, never a silent 0 or Inf.
 * Pure functions; nothing is allocated.
 */
#ifndef TR_NUM_H
#define TR_NUM_H

#include <stddef.h>
#include <stdint.h>

enum tr_num_status {
    TR_NUM_OK = 0,
    TR_NUM_EMPTY, /* empty or only spaces */
    TR_NUM_BAD,   /* not a number (letters, "1,234", NaN, Inf ...) */
    TR_NUM_RANGE, /* a number, but too large (e.g. 9223372036854775808, 1e400) */
};

/* Trims ASCII spaces and tabs; returns the trimmed length and sets *start. */
size_t tr_trim(const char *s, size_t n, const char **start);
/* A decimal integer, optional sign. */
int tr_parse_int(const char *s, size_t n, int64_t *out);
/* A decimal number, optional sign, fraction and exponent ("4.00E+06"), scaled by 10^scale
 * and rounded half away from zero to an integer: scale 3 turns BACI's thousands into US$. */
int tr_parse_scaled(const char *s, size_t n, int scale, int64_t *out);
/* A finite decimal number as a double (quantities, weights). */
int tr_parse_double(const char *s, size_t n, double *out);
/* 1 when s is a well-formed number below zero, however small: "-0.0004" is negative though
 * tr_parse_scaled rounds it to 0, so a check for negative values must ask this, not the
 * rounded value; "-0" and "-0.000" are zero, not negative. */
int tr_num_is_negative(const char *s, size_t n);
/* A short phrase for a status. */
const char *tr_num_strerror(int status);

#endif
