/*
 * Record-by-record CSV reading on top of libcsv. The file is read in large blocks and fed to
 * libcsv one physical line at a time, so every record knows its starting line, byte offset and
 * raw text for diagnostics. Also the one-pass file scan (sha256, gzip/NUL/UTF-8 checks).
 * What a record means is not decided here; the importers do that.
 */
#include "tr/csvread.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/sha256.h"
#include "tr/utf8.h"

#define BLOCK (1 << 20)
#define RAW_KEEP TR_CSV_RAW_KEEP
#define ROW_NOT_BEGUN 0        /* libcsv's parser state between records */

struct reader {
    struct csv_parser p;
    const char *path;
    size_t max_field;
    /* the record being assembled: fields packed into one arena */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *field_off, *field_len;
    char *field_null;
    const char **field_ptr;
    size_t nf, cap_f;
    int long_field;
    /* where the record started, and its raw text */
    long line;                 /* physical line being fed */
    long long line_offset;
    long rec_line;
    long long rec_offset;
    int in_record;
    char raw[RAW_KEEP + 1];
    size_t raw_len;
    /* the caller */
    tr_csv_record_fn fn;
    void *ctx;
    struct tr_err *e;
    int rc;                    /* first non-OK from fn or from memory */
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->rc)
        return;
    if (len > r->max_field) {
        len = r->max_field;
        r->long_field = 1;
    }
    size_t cap_f = r->cap_f;
    if (r->nf + 1 > cap_f) {
        size_t c1 = cap_f, c2 = cap_f, c3 = cap_f, c4 = cap_f;
        if (grow((void **)&r->field_off, &c1, r->nf + 1, sizeof(size_t)) ||
            grow((void **)&r->field_len, &c2, r->nf + 1, sizeof(size_t)) ||
            grow((void **)&r->field_null, &c3, r->nf + 1, 1) ||
            grow((void **)&r->field_ptr, &c4, r->nf + 1, sizeof(char *))) {
            r->rc = tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
            return;
        }
        r->cap_f = c1;
    }
    if (grow((void **)&r->arena, &r->arena_cap, r->arena_len + len + 1, 1)) {
        r->rc = tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
        return;
    }
    r->field_off[r->nf] = r->arena_len;
    r->field_len[r->nf] = s ? len : 0;
    r->field_null[r->nf] = s == NULL;
    if (s)
        memcpy(r->arena + r->arena_len, s, len);
    r->arena_len += (s ? len : 0);
    r->arena[r->arena_len++] = '\0';
    r->nf++;
}

static void on_record(int c, void *data)
{
    struct reader *r = data;
    (void)c;
    if (!r->rc) {
        for (size_t i = 0; i < r->nf; i++)
            r->field_ptr[i] = r->field_null[i] ? NULL : r->arena + r->field_off[i];
        struct tr_csv_record rec = {
            .n = r->nf, .f = r->field_ptr, .len = r->field_len, .line = r->rec_line,
            .offset = r->rec_offset, .raw = r->raw, .raw_len = r->raw_len,
            .long_field = r->long_field,
        };
        r->rc = r->fn(r->ctx, &rec, r->e);
    }
    r->nf = 0;
    r->arena_len = 0;
    r->long_field = 0;
    r->in_record = 0;
}

/* Adds one physical line, without its line end, to a record's raw text (RAW_KEEP + 1 bytes):
 * lines joined by "\n", cut at RAW_KEEP. */
static void join_line(char *raw, size_t *raw_len, const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (*raw_len && *raw_len < RAW_KEEP)
        raw[(*raw_len)++] = '\n';
    size_t room = RAW_KEEP - *raw_len;
    if (n > room)
        n = tr_utf8_floor(s, room);   /* never half a character */
    memcpy(raw + *raw_len, s, n);
    *raw_len += n;
    raw[*raw_len] = '\0';
}

static void append_raw(struct reader *r, const char *s, size_t n)
{
    join_line(r->raw, &r->raw_len, s, n);
}

/* Latin-1 to UTF-8: every byte >= 0x80 becomes two bytes. */
static size_t latin1_to_utf8(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[k++] = (char)c;
        } else {
            out[k++] = (char)(0xC0 | (c >> 6));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return k;
}

static int feed_line(struct reader *r, const char *s, size_t n)
{
    if (!r->in_record) {
        r->rec_line = r->line;
        r->rec_offset = r->line_offset;
        r->raw_len = 0;
        r->in_record = 1;
    }
    append_raw(r, s, n);
    size_t done = csv_parse(&r->p, s, n, on_field, on_record, r);
    if (r->rc)
        return r->rc;
    if (done != n)
        return tr_err_set_at(r->e, TR_EINPUT, r->path, r->line,
                             "malformed quoting: a quote inside an unquoted field or text after "
                             "a closing quote (record starting at line %ld)", r->rec_line);
    if (r->p.pstate == ROW_NOT_BEGUN)
        r->in_record = 0;
    return TR_OK;
}

/* The last byte of the first line in [p, end): LF, CRLF's LF, or a lone CR (old Mac files).
 * NULL when the line goes on past end (a CR at the very end may still be followed by LF). */
static const char *line_end(const char *p, const char *end)
{
    const char *lf = memchr(p, '\n', (size_t)(end - p));
    const char *cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));
    if (!cr)
        return lf;
    if (cr + 1 == end)
        return NULL;
    return cr[1] == '\n' ? cr + 1 : cr;
}

int tr_csv_read(const char *path, const struct tr_csv_opts *o, tr_csv_record_fn fn, void *ctx,
                int *ended_with_newline, struct tr_err *e)
{
    struct reader r;
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.max_field = o && o->max_field ? o->max_field : (1u << 20);
    r.fn = fn;
    r.ctx = ctx;
    r.e = e;
    r.line = 1;
    int latin1 = o && o->latin1;
    char *block = NULL, *carry = NULL, *conv = NULL;
    size_t carry_len = 0, carry_cap = 0, conv_cap = 0;
    long long offset = 0;
    int rc = TR_OK, last_was_nl = 1;
    FILE *fp = NULL;

    if (csv_init(&r.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
        return tr_err_set(e, TR_ENOMEM, "out of memory starting the CSV parser");
    csv_set_blk_size(&r.p, 1 << 16);   /* grow long fields in large steps, not 128 bytes */
    if (!(block = malloc(BLOCK))) {
        rc = tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
        goto out;
    }
    if (!(fp = fopen(path, "rb"))) {
        rc = tr_err_set(e, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    int first = 1;
    for (;;) {
        size_t got = fread(block, 1, BLOCK, fp);
        if (got == 0) {
            if (ferror(fp)) {
                rc = tr_err_set_at(e, TR_EIO, path, r.line, "read error: %s", strerror(errno));
                goto out;
            }
            break;
        }
        size_t pos = 0;
        if (first) {
            first = 0;
            if (got >= 3 && memcmp(block, "\xEF\xBB\xBF", 3) == 0)
                pos = 3;   /* the BOM is not data */
            r.line_offset = (long long)pos;
        }
        last_was_nl = block[got - 1] == '\n' || block[got - 1] == '\r';
        while (pos < got) {
            const char *nl = line_end(block + pos, block + got);
            size_t seg = nl ? (size_t)(nl - (block + pos)) + 1 : got - pos;
            const char *line = block + pos;
            size_t line_len = seg;
            if (carry_len || !nl) {
                /* a line split across blocks: gather it before parsing */
                if (grow((void **)&carry, &carry_cap, carry_len + seg, 1)) {
                    rc = tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
                    goto out;
                }
                memcpy(carry + carry_len, line, seg);
                carry_len += seg;
                pos += seg;
                if (!nl)
                    continue;
                line = carry;
                line_len = carry_len;
            } else {
                pos += seg;
            }
            if (latin1) {
                if (grow((void **)&conv, &conv_cap, line_len * 2 + 1, 1)) {
                    rc = tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
                    goto out;
                }
                size_t k = latin1_to_utf8(line, line_len, conv);
                if ((rc = feed_line(&r, conv, k)))
                    goto out;
            } else if ((rc = feed_line(&r, line, line_len))) {
                goto out;
            }
            r.line++;
            r.line_offset += (long long)line_len;
            carry_len = 0;
        }
        offset += (long long)got;
        if (o && o->progress)
            o->progress(ctx, offset);
    }
    if (carry_len) {
        /* the last line had no line end */
        if (latin1) {
            if (grow((void **)&conv, &conv_cap, carry_len * 2 + 1, 1)) {
                rc = tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
                goto out;
            }
            size_t k = latin1_to_utf8(carry, carry_len, conv);
            rc = feed_line(&r, conv, k);
        } else {
            rc = feed_line(&r, carry, carry_len);
        }
        if (rc)
            goto out;
    }
    if (csv_fini(&r.p, on_field, on_record, &r) != 0) {
        rc = tr_err_set_at(e, TR_EINPUT, path, r.rec_line,
                           "unterminated quoted field: the quote opened on line %ld is never "
                           "closed before the end of the file", r.rec_line);
        goto out;
    }
    rc = r.rc;
out:
    if (ended_with_newline)
        *ended_with_newline = last_was_nl;
    if (fp)
        fclose(fp);
    csv_free(&r.p);
    free(block);
    free(carry);
    free(conv);
    free(r.arena);
    free(r.field_off);
    free(r.field_len);
    free(r.field_null);
    free(r.field_ptr);
    return rc;
}

/* A streaming UTF-8 validator: state = continuation bytes still expected. */
struct utf8_state {
    int need;
    unsigned min;      /* smallest code point allowed for the sequence (no overlongs) */
    unsigned cp;
};

static int utf8_step(struct utf8_state *u, unsigned char c)
{
    if (u->need) {
        if ((c & 0xC0) != 0x80)
            return -1;
        u->cp = (u->cp << 6) | (c & 0x3F);
        if (--u->need == 0 &&
            (u->cp < u->min || u->cp > 0x10FFFF || (u->cp >= 0xD800 && u->cp <= 0xDFFF)))
            return -1;
        return 0;
    }
    if (c < 0x80)
        return 0;
    if ((c & 0xE0) == 0xC0)
        u->need = 1, u->cp = c & 0x1F, u->min = 0x80;
    else if ((c & 0xF0) == 0xE0)
        u->need = 2, u->cp = c & 0x0F, u->min = 0x800;
    else if ((c & 0xF8) == 0xF0)
        u->need = 3, u->cp = c & 0x07, u->min = 0x10000;
    else
        return -1;
    return 0;
}

int tr_file_scan(const char *path, struct tr_file_scan *s, struct tr_err *e)
{
    memset(s, 0, sizeof(*s));
    s->first_nul = -1;
    s->first_bad_utf8 = -1;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return tr_err_set(e, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    unsigned char *buf = malloc(BLOCK);
    if (!buf) {
        fclose(fp);
        return tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
    }
    struct tr_sha256 sha;
    struct utf8_state u = {0, 0, 0};
    long line = 1, seq_line = 1;
    long long seq_start = 0;    /* where the multi-byte sequence being checked began */
    int rc = TR_OK;
    tr_sha256_init(&sha);
    size_t got;
    while ((got = fread(buf, 1, BLOCK, fp)) > 0) {
        if (s->bytes == 0) {
            s->gzip = got >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
            s->bom = got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
        }
        tr_sha256_update(&sha, buf, got);
        for (size_t i = 0; i < got; i++) {
            /* plain ASCII without NUL, eight bytes at a time, when no sequence is open; line
             * ends are counted in the word (an exact zero-byte test: no false positives) */
            while (!u.need && i + 8 <= got) {
                uint64_t w;
                memcpy(&w, buf + i, 8);
                if ((w & 0x8080808080808080ull) ||
                    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                    break;   /* a high byte or a NUL: go byte by byte */
                uint64_t nl = w ^ 0x0a0a0a0a0a0a0a0aull;
                nl = ~(((nl & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | nl) &
                     0x8080808080808080ull;
                line += (long)((nl >> 7) * 0x0101010101010101ull >> 56);   /* the bytes' sum */
                i += 8;
            }
            if (i >= got)
                break;
            unsigned char c = buf[i];
            if (c == 0 && s->first_nul < 0) {
                s->first_nul = s->bytes + (long long)i;
                s->nul_line = line;
            }
            if (s->first_bad_utf8 < 0 && (c >= 0x80 || u.need)) {
                if (!u.need)
                    seq_start = s->bytes + (long long)i, seq_line = line;
                if (utf8_step(&u, c) != 0) {
                    s->first_bad_utf8 = seq_start;
                    s->bad_utf8_line = seq_line;
                }
            }
            if (c == '\n')
                line++;
        }
        s->bytes += (long long)got;
    }
    if (ferror(fp))
        rc = tr_err_set(e, TR_EIO, "read error on '%s': %s", path, strerror(errno));
    if (u.need && s->first_bad_utf8 < 0) {
        s->first_bad_utf8 = seq_start;
        s->bad_utf8_line = seq_line;
    }
    s->valid_utf8 = s->first_bad_utf8 < 0;
    tr_sha256_final_hex(&sha, s->sha256);
    free(buf);
    fclose(fp);
    return rc;
}

int tr_csv_raw_at(int fd, long long offset, int latin1, char *out, size_t n)
{
    char buf[RAW_KEEP + 1], text[RAW_KEEP + 1], conv[2 * RAW_KEEP + 1];
    out[0] = '\0';
    ssize_t got = pread(fd, buf, RAW_KEEP, (off_t)offset);
    if (got < 0)
        return TR_EIO;
    /* physical lines as tr_csv_read splits them (LF, CRLF or a lone CR), joined as the
     * reader joins them, until the quotes are closed */
    size_t len = 0, pos = 0, end = (size_t)got;
    int quoted = 0;
    for (;;) {
        size_t start = pos;
        for (; pos < end && buf[pos] != '\n' && buf[pos] != '\r'; pos++)
            quoted ^= buf[pos] == '"';
        join_line(text, &len, buf + start, pos - start);
        if (!quoted || pos >= end)
            break;
        pos += buf[pos] == '\r' && pos + 1 < end && buf[pos + 1] == '\n' ? 2 : 1;
    }
    const char *from = text;
    if (latin1) {
        len = latin1_to_utf8(text, len, conv);
        from = conv;
    }
    if (len > n - 1)
        len = tr_utf8_floor(from, n - 1);
    memcpy(out, from, len);
    out[len] = '\0';
    return TR_OK;
}
