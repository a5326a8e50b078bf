/*
 * Text written for people (terminal tables) and for spreadsheets (CSV). Values come from the
 * database and so from input files and users: a file name or a claim can hold a newline, a
 * tab, an ESC sequence or a leading '='. This file only formats; it decides nothing about
 * which columns are text.
 */
#include "tr/textout.h"

#include <string.h>

/* The escape for byte c at s (c2 the next byte), in out[12]; 0 when c is printed as it is.
 * *skip is how many bytes the escape stands for. */
static int escape_of(const unsigned char *s, char out[12], int *skip)
{
    unsigned char c = s[0];
    *skip = 1;
    switch (c) {
    case '\t': return snprintf(out, 12, "\\t");
    case '\n': return snprintf(out, 12, "\\n");
    case '\r': return snprintf(out, 12, "\\r");
    case '\\': return snprintf(out, 12, "\\\\");
    }
    if (c < 0x20 || c == 0x7f)
        return snprintf(out, 12, "\\x%02x", c);
    if (c == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) { /* C1 control in UTF-8 */
        *skip = 2;
        return snprintf(out, 12, "\\u%04x", s[1]);
    }
    return 0;
}

void tr_text_put_escaped(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        char esc[12];
        int skip;
        if (escape_of(p, esc, &skip))
            fputs(esc, fp);
        else
            fputc(*p, fp);
        p += skip;
    }
}

size_t tr_text_escape(const char *s, char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    if (n == 0)
        return 0;
    while (p && *p) {
        char esc[12];
        int skip, len = escape_of(p, esc, &skip);
        if (!len) {
            esc[0] = (char)*p;
            len = 1;
        }
        if (k + (size_t)len >= n)
            break;
        memcpy(buf + k, esc, (size_t)len);
        k += (size_t)len;
        p += skip;
    }
    buf[k] = '\0';
    return k;
}

void tr_text_put_csv(FILE *fp, const char *s, int neutralise)
{
    int guard = neutralise && *s && strchr("=+-@\t\r", *s);
    if (!strpbrk(s, ",\"\r\n")) {
        if (guard)
            fputc('\'', fp);
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    if (guard)
        fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}
