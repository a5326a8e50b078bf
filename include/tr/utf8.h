/*
 * UTF-8 text: where a cut may fall, checking sequences, and the one legacy 8-bit encoding we
 * read (Windows-1252). Everything stored or shown is UTF-8, so every cut of a text to a buffer
 * steps back to a character boundary: half a character makes Cairo, Excel and JSON readers fail.
 * Ownership: no function allocates; outputs go to buffers the caller owns and sizes.
 */
#ifndef TR_UTF8_H
#define TR_UTF8_H

#include <stddef.h>

/* The largest n <= len at which UTF-8 text s, longer than len bytes (s[len] is read), may be
 * cut: never before a continuation byte, so the cut never halves a character. Inline: the
 * report writers' shared object uses it too. */
static inline size_t tr_utf8_floor(const char *s, size_t len)
{
    size_t n = len;
    /* a continuation byte at s[n] means s[n - 1] is inside a sequence: go back to its lead */
    for (int k = 0; k < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; k++)
        n--;
    return n;
}

/* The length of s[0..n) without an incomplete sequence at its end (what a cut by bytes, or
 * snprintf, leaves). n on complete text. */
static inline size_t tr_utf8_complete(const char *s, size_t n)
{
    size_t i = n, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--, back++;
    if (i == 0)
        return n;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    return lead >= 0xC0 && back < want ? i - 1 : n;
}

/* Drops an incomplete sequence at the end of the NUL-terminated s. A no-op on complete text. */
static inline void tr_utf8_trim_partial(char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    s[tr_utf8_complete(s, n)] = '\0';
}

/* Copies src into dst (size n > 0) like snprintf("%s"), cut at a character boundary. */
void tr_utf8_copy(char *dst, size_t n, const char *src);

/* Length of the valid UTF-8 sequence starting at s (at most n bytes): 1 for ASCII, 2..4 for a
 * well-formed multi-byte sequence (no overlongs, surrogates or code points above U+10FFFF),
 * 0 when the bytes there are not valid UTF-8. */
size_t tr_utf8_seq(const unsigned char *s, size_t n);

/* Offset of the first invalid byte of s[0..n), or n when all of it is valid UTF-8. */
size_t tr_utf8_check(const char *s, size_t n);

/* Copies s[0..n) to out with each invalid byte replaced by U+FFFD; out needs 3n bytes.
 * Returns the bytes written. For showing a rejected line's text, never for data. */
size_t tr_utf8_sanitize(const char *s, size_t n, char *out);

/* Windows-1252 to UTF-8; out needs 3n bytes. 0x80-0x9F map as Windows does (smart quotes,
 * dashes, the euro sign); the five bytes 1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
 * map to the C1 controls of the same number, as the WHATWG Encoding Standard says. */
size_t tr_cp1252_to_utf8(const char *s, size_t n, char *out);

#endif
