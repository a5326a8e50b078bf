/*
 * File names and messages made safe to print and to paste: control characters escaped, shell
 * quoting that cannot be broken out of, names shortened to fit beside the suffixes we add.
 * Ownership: nothing is allocated; results go into the caller's buffers.
 */
#ifndef TR_SAFE_NAME_H
#define TR_SAFE_NAME_H

#include <limits.h>
#include <stddef.h>

/* Room for the escaped form of a string of n bytes (each byte at most "\xNN"). */
#define TR_SAFE_ESC_SIZE(n) (4 * (n) + 1)

/* Copies s into out (n bytes) with every byte that could move a terminal's cursor or fake a
 * line escaped: control characters as "\n", "\t", "\r" or "\x1b", DEL, UTF-8 C1 controls and
 * bidirectional overrides, bytes that are not UTF-8, and "\" itself as "\\". Other UTF-8 text
 * passes unchanged. Cut at a whole character or escape when out is too small. Returns out. */
const char *tr_safe_escape(char *out, size_t n, const char *s);

/* s single-quoted for a POSIX shell, a quote written '\'' (so nothing in s is ever run).
 * -1 when s holds a byte tr_safe_escape would escape (no safe one-line form) or out is too
 * small; 0 otherwise. */
int tr_safe_shell_quote(char *out, size_t n, const char *s);

/* A file name with room for reserve more bytes under NAME_MAX: name itself when it fits,
 * else its start (cut at a whole UTF-8 character) + "~" + 8 hex digits of a hash of the whole
 * name + its extension (".csv"), so distinct long names stay distinct. 1 when shortened. */
int tr_safe_fit_name(char out[NAME_MAX + 1], const char *name, size_t reserve);

#endif
