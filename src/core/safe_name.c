/*
 * Hostile file names: a name can hold a newline (one file becomes two lines of a summary), an
 * escape sequence (a terminal rewrites what the operator sees), a quote (a pasted `mv` line
 * runs a command) or 255 bytes (NAME.reason.txt no longer fits). Escaping, shell quoting and
 * shortening live here; the callers decide where a name is shown or made.
 */
#include "tr/safe_name.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 character at s (2-4), 0 when s does not start one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F; /* above U+10FFFF */
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* C1 controls (U+0080-U+009F) and the bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069): valid UTF-8 that still changes what a reader sees. */
static int is_invisible_control(const unsigned char *s, size_t len)
{
    if (len == 2)
        return s[0] == 0xC2 && s[1] <= 0x9F;
    if (len == 3 && s[0] == 0xE2)
        return (s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) ||
               (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9);
    return 0;
}

/* The escaped form of the character at s into buf (at most 17 bytes); *used gets how many
 * bytes of s it took. */
static size_t escape_one(const unsigned char *s, char buf[20], size_t *used)
{
    unsigned char c = s[0];
    *used = 1;
    if (c == '\\')
        return (size_t)snprintf(buf, 20, "\\\\");
    if (c == '\n')
        return (size_t)snprintf(buf, 20, "\\n");
    if (c == '\t')
        return (size_t)snprintf(buf, 20, "\\t");
    if (c == '\r')
        return (size_t)snprintf(buf, 20, "\\r");
    if (c < 0x20 || c == 0x7F)
        return (size_t)snprintf(buf, 20, "\\x%02x", c);
    if (c < 0x80) {
        buf[0] = (char)c;
        return 1;
    }
    size_t len = utf8_len(s);
    if (!len)
        return (size_t)snprintf(buf, 20, "\\x%02x", c);
    *used = len;
    if (is_invisible_control(s, len)) {
        size_t k = 0;
        for (size_t i = 0; i < len; i++)
            k += (size_t)snprintf(buf + k, 20 - k, "\\x%02x", s[i]);
        return k;
    }
    memcpy(buf, s, len);
    return len;
}

const char *tr_safe_escape(char *out, size_t n, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    if (!n)
        return out;
    while (*p) {
        char buf[20];
        size_t used, m = escape_one(p, buf, &used);
        if (k + m >= n)
            break;
        memcpy(out + k, buf, m);
        k += m;
        p += used;
    }
    out[k] = '\0';
    return out;
}

static int needs_escape(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        char buf[20];
        size_t used, m = escape_one(p, buf, &used);
        if (m != used || memcmp(buf, p, m) != 0)
            return 1;
        p += used;
    }
    return 0;
}

int tr_safe_shell_quote(char *out, size_t n, const char *s)
{
    if (needs_escape(s))
        return -1;
    size_t k = 0;
    if (n < 3)
        return -1;
    out[k++] = '\'';
    for (const char *p = s; *p; p++) {
        const char *piece = *p == '\'' ? "'\\''" : NULL;
        size_t m = piece ? 4 : 1;
        if (k + m + 2 > n)
            return -1;
        if (piece)
            memcpy(out + k, piece, m);
        else
            out[k] = *p;
        k += m;
    }
    out[k++] = '\'';
    out[k] = '\0';
    return 0;
}

int tr_safe_fit_name(char out[NAME_MAX + 1], const char *name, size_t reserve)
{
    size_t len = strlen(name), room = NAME_MAX > reserve ? NAME_MAX - reserve : 0;
    if (len <= room) {
        memcpy(out, name, len + 1);
        return 0;
    }
    uint32_t h = 2166136261u; /* FNV-1a over the whole name */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    const char *dot = strrchr(name, '.');
    size_t ext = dot && dot != name && strlen(dot) <= 16 ? strlen(dot) : 0;
    size_t keep = room > ext + 9 ? room - ext - 9 : 0; /* 9: "~" + 8 hex digits */
    /* never cut inside a UTF-8 character: step back over continuation bytes */
    while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
        keep--;
    snprintf(out, NAME_MAX + 1, "%.*s~%08x%s", (int)keep, name, (unsigned)h,
             ext ? name + len - ext : "");
    return 1;
}
