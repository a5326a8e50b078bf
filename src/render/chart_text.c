/*
 * Text for charts and pages, measured with Cairo's toy text API: widths, drawing a byte
 * range, wrapping to a width (between words, or inside a word wider than the line) and
 * drawing a wrapped block with an ellipsis when it is cut. It draws only what it is asked to.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/chart_int.h"
#include "tr/fmt.h"

/* ---- text helpers ------------------------------------------------------------------------ */

/* Largest n <= len that does not cut a UTF-8 sequence. */
size_t tr_chart_utf8_floor(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Cairo measures NUL-terminated strings: copy through a buffer in chunks cut on characters. */
#define CHUNK 512

double tr_chart_text_width(cairo_t *cr, const char *s, size_t len)
{
    char buf[CHUNK + 1];
    double w = 0;
    while (len > 0) {
        size_t k = len <= CHUNK ? len : tr_chart_utf8_floor(s, CHUNK);
        if (k == 0)
            k = len < CHUNK ? len : CHUNK;
        memcpy(buf, s, k);
        buf[k] = '\0';
        cairo_text_extents_t te;
        cairo_text_extents(cr, buf, &te);
        w += te.x_advance;
        s += k;
        len -= k;
    }
    return w;
}

void tr_chart_show_text_n(cairo_t *cr, const char *s, size_t len)
{
    char buf[CHUNK + 1];
    while (len > 0) {
        size_t k = len <= CHUNK ? len : tr_chart_utf8_floor(s, CHUNK);
        if (k == 0)
            k = len < CHUNK ? len : CHUNK;
        memcpy(buf, s, k);
        buf[k] = '\0';
        cairo_show_text(cr, buf);
        s += k;
        len -= k;
    }
}

/* Bytes of the longest prefix of s[0..len) no wider than width; at least one character, so
 * wrapping always makes progress. */
static size_t fit_chars(cairo_t *cr, const char *s, size_t len, double width)
{
    size_t best = 0, k = 0;
    while (k < len) {
        k++;
        while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        if (best > 0 && tr_chart_text_width(cr, s, k) > width)
            break;
        best = k;
    }
    return best;
}

size_t tr_chart_wrap_text(cairo_t *cr, const char *text, double width, struct tr_text_span *lines,
                          size_t max)
{
    size_t n = 0, pos = 0, len = text ? strlen(text) : 0;
    while (pos < len) {
        while (pos < len && text[pos] == ' ')
            pos++;
        if (pos >= len)
            break;
        size_t start = pos, end = pos, p = pos;
        if (text[p] != '\n') {
            for (;;) {
                size_t we = p;
                while (we < len && text[we] != ' ' && text[we] != '\n')
                    we++;
                if (tr_chart_text_width(cr, text + start, we - start) > width)
                    break;
                end = we;
                p = we;
                while (p < len && text[p] == ' ')
                    p++;
                if (p >= len || text[p] == '\n')
                    break;
            }
            if (end == start) { /* a single word wider than the line: split it */
                size_t we = start;
                while (we < len && text[we] != ' ' && text[we] != '\n')
                    we++;
                end = start + fit_chars(cr, text + start, we - start, width);
            }
        }
        if (n < max) {
            lines[n].off = start;
            lines[n].len = end - start;
        }
        n++;
        pos = end;
        while (pos < len && text[pos] == ' ')
            pos++;
        if (pos < len && text[pos] == '\n')
            pos++;
    }
    return n;
}

size_t tr_chart_text_block(cairo_t *cr, double x, double top, double width, double lh,
                           const char *text, size_t max_lines, int align, int draw)
{
    struct tr_text_span sp[16];
    if (!text || !*text || width <= 0 || max_lines == 0)
        return 0;
    if (max_lines > 16)
        max_lines = 16;
    size_t need = tr_chart_wrap_text(cr, text, width, sp, max_lines);
    size_t n = need < max_lines ? need : max_lines;
    if (!draw)
        return n;
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double ell = tr_chart_text_width(cr, "\xE2\x80\xA6", 3);
    for (size_t i = 0; i < n; i++) {
        const char *s = text + sp[i].off;
        size_t len = sp[i].len;
        int cut = (i == n - 1 && need > n);
        if (cut)
            while (len > 0 && tr_chart_text_width(cr, s, len) + ell > width)
                len = tr_chart_utf8_floor(s, len - 1);
        double tw = tr_chart_text_width(cr, s, len) + (cut ? ell : 0);
        double bx = align == 1 ? x + (width - tw) / 2 : x;
        cairo_move_to(cr, bx, top + i * lh + fe.ascent);
        tr_chart_show_text_n(cr, s, len);
        if (cut)
            cairo_show_text(cr, "\xE2\x80\xA6");
    }
    return n;
}
