/*
 * Record-by-record CSV reading on top of libcsv. The file is read in large blocks through the
 * descriptor the caller opened (pread: the scan may share it) and fed to libcsv one physical
 * line at a time, so every record knows its starting line, byte offset and raw text for
 * diagnostics. Text is decoded here: UTF-8 checked line by line, or Windows-1252 converted.
 * Memory is bounded by the record limit, whatever the file. What a record means is not decided
 * here; the importers do that.
 */
#include "tr/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/signals.h"
#include "tr/utf8.h"

#define BLOCK (1 << 20)
#define RAW_KEEP TR_CSV_RAW_KEEP
#define ROW_NOT_BEGUN 0 /* libcsv's parser state between records */

struct reader {
    struct csv_parser p;
    const char *path;
    size_t max_record;
    int cp1252;
    /* the record being assembled: fields packed into one arena */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *field_off, *field_len;
    char *field_null;
    const char **field_ptr;
    size_t nf, cap_f;
    int bad_encoding;
    long long bad_offset;
    /* where the record started, and its raw text */
    long line; /* physical line being fed */
    long long line_offset;
    long rec_line;
    long long rec_offset;
    size_t rec_bytes; /* bytes of the record so far, as in the file */
    int in_record;
    char raw[RAW_KEEP + 1];
    size_t raw_len;
    char *conv; /* a line decoded from 1252, or shown with U+FFFD */
    size_t conv_cap;
    /* the caller */
    tr_csv_record_fn fn;
    void *ctx;
    struct tr_err *e;
    int rc; /* first non-OK from fn or from memory */
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
            .n = r->nf,
            .f = r->field_ptr,
            .len = r->field_len,
            .line = r->rec_line,
            .offset = r->rec_offset,
            .raw = r->raw,
            .raw_len = r->raw_len,
            .bad_encoding = r->bad_encoding,
            .bad_offset = r->bad_offset,
        };
        r->rc = r->fn(r->ctx, &rec, r->e);
    }
    r->nf = 0;
    r->arena_len = 0;
    r->bad_encoding = 0;
    r->in_record = 0;
}

/* Adds one physical line, without its line end, to a record's raw text (RAW_KEEP + 1 bytes):
 * lines joined by "\n", cut at RAW_KEEP on a character boundary. */
static void join_line(char *raw, size_t *raw_len, const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (*raw_len && *raw_len < RAW_KEEP)
        raw[(*raw_len)++] = '\n';
    size_t room = RAW_KEEP - *raw_len;
    if (n > room)
        n = tr_utf8_floor(s, room); /* never half a character */
    memcpy(raw + *raw_len, s, n);
    *raw_len += n;
    raw[*raw_len] = '\0';
}

/* The text of one physical line as UTF-8: decoded from Windows-1252, or checked as UTF-8 (an
 * invalid byte marks the record and shows as U+FFFD in its raw text). *shown is what the raw
 * text keeps, *text what libcsv parses. */
static int decode_line(struct reader *r, const char *s, size_t n, const char **text, size_t *len,
                       const char **shown, size_t *shown_len)
{
    *text = *shown = s;
    *len = *shown_len = n;
    size_t bad = r->cp1252 ? 0 : tr_utf8_check(s, n);
    if (!r->cp1252 && bad == n)
        return TR_OK;
    if (grow((void **)&r->conv, &r->conv_cap, 3 * n + 1, 1))
        return tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
    if (r->cp1252) {
        *len = *shown_len = tr_cp1252_to_utf8(s, n, r->conv);
        *text = *shown = r->conv;
        return TR_OK;
    }
    if (!r->bad_encoding) {
        r->bad_encoding = 1;
        r->bad_offset = r->line_offset + (long long)bad;
    }
    *shown_len = tr_utf8_sanitize(s, n, r->conv);
    *shown = r->conv;
    return TR_OK;
}

/* A record (or one line of it) above the limit fails the file: kept whole, it would hold as
 * much memory as the file is long (a binary file, or a quote never closed). */
static int too_long(struct reader *r)
{
    long at = r->in_record ? r->rec_line : r->line;
    return tr_err_set_at(r->e, TR_EINPUT, r->path, at,
                         "a record longer than %zu bytes starting at line %ld: not a CSV text "
                         "file, or a quote that is opened and never closed",
                         r->max_record, at);
}

static int feed_line(struct reader *r, const char *s, size_t n)
{
    if (!r->in_record) {
        r->rec_line = r->line;
        r->rec_offset = r->line_offset;
        r->rec_bytes = 0;
        r->raw_len = 0;
        r->in_record = 1;
    }
    r->rec_bytes += n;
    if (r->rec_bytes > r->max_record)
        return too_long(r);
    const char *text, *shown;
    size_t len, shown_len;
    int rc = decode_line(r, s, n, &text, &len, &shown, &shown_len);
    if (rc)
        return rc;
    join_line(r->raw, &r->raw_len, shown, shown_len);
    size_t done = csv_parse(&r->p, text, len, on_field, on_record, r);
    if (r->rc)
        return r->rc;
    if (done != len)
        return tr_err_set_at(r->e, TR_EINPUT, r->path, r->line,
                             "malformed quoting: a quote inside an unquoted field or text after "
                             "a closing quote (record starting at line %ld)",
                             r->rec_line);
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

struct carry {
    char *buf;
    size_t len, cap;
};

/* Feeds the whole lines of block[pos, got) to the parser; a line the block cuts is gathered
 * in c until its end arrives. */
static int feed_block(struct reader *r, const char *block, size_t pos, size_t got,
                      struct carry *c)
{
    int rc;
    while (pos < got) {
        const char *nl = line_end(block + pos, block + got);
        size_t seg = nl ? (size_t)(nl - (block + pos)) + 1 : got - pos;
        const char *line = block + pos;
        size_t line_len = seg;
        pos += seg;
        if (c->len || !nl) {
            /* a line split across blocks: gather it (up to the limit) before parsing */
            if (c->len + seg > r->max_record)
                return too_long(r);
            if (grow((void **)&c->buf, &c->cap, c->len + seg, 1))
                return tr_err_set(r->e, TR_ENOMEM, "out of memory reading '%s'", r->path);
            memcpy(c->buf + c->len, line, seg);
            c->len += seg;
            if (!nl)
                continue;
            line = c->buf;
            line_len = c->len;
        }
        if ((rc = feed_line(r, line, line_len)))
            return rc;
        r->line++;
        r->line_offset += (long long)line_len;
        c->len = 0;
    }
    return TR_OK;
}

static int read_blocks(struct reader *r, int fd, const struct tr_csv_opts *o, char *block,
                       struct carry *c, int *last_was_nl)
{
    long long offset = 0;
    int rc;
    for (;;) {
        if (tr_signal_caught) /* a file with no line end never reaches a record callback */
            return tr_err_set(r->e, TR_EFAIL,
                              "interrupted by signal %d: '%s' rolled back, "
                              "nothing committed",
                              (int)tr_signal_caught, r->path);
        long got = tr_input_read_at(fd, block, BLOCK, offset);
        if (got < 0)
            return tr_err_set_at(r->e, TR_EIO, r->path, r->line, "read error: %s",
                                 strerror(errno));
        if (got == 0)
            return TR_OK;
        size_t pos = 0;
        if (offset == 0) {
            if (got >= 3 && memcmp(block, "\xEF\xBB\xBF", 3) == 0)
                pos = 3; /* the BOM is not data */
            r->line_offset = (long long)pos;
        }
        *last_was_nl = block[got - 1] == '\n' || block[got - 1] == '\r';
        if ((rc = feed_block(r, block, pos, (size_t)got, c)))
            return rc;
        offset += got;
        if (o && o->progress)
            o->progress(r->ctx, offset);
    }
}

int tr_csv_read(int fd, const char *path, const struct tr_csv_opts *o, tr_csv_record_fn fn,
                void *ctx, int *ended_with_newline, struct tr_err *e)
{
    struct reader r;
    struct carry c = {NULL, 0, 0};
    memset(&r, 0, sizeof(r));
    r.path = path;
    r.max_record = o && o->max_record ? o->max_record : TR_CSV_MAX_RECORD;
    r.cp1252 = o && o->cp1252;
    r.fn = fn;
    r.ctx = ctx;
    r.e = e;
    r.line = 1;
    char *block = NULL;
    int rc = TR_OK, last_was_nl = 1;

    if (csv_init(&r.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
        return tr_err_set(e, TR_ENOMEM, "out of memory starting the CSV parser");
    csv_set_blk_size(&r.p, 1 << 16); /* grow long fields in large steps, not 128 bytes */
    if (!(block = malloc(BLOCK))) {
        rc = tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
        goto out;
    }
    if ((rc = read_blocks(&r, fd, o, block, &c, &last_was_nl)))
        goto out;
    if (c.len && (rc = feed_line(&r, c.buf, c.len))) /* the last line had no line end */
        goto out;
    if (csv_fini(&r.p, on_field, on_record, &r) != 0) {
        rc = tr_err_set_at(e, TR_EINPUT, path, r.rec_line,
                           "unterminated quoted field: the quote opened on line %ld is never "
                           "closed before the end of the file",
                           r.rec_line);
        goto out;
    }
    rc = r.rc;
out:
    if (ended_with_newline)
        *ended_with_newline = last_was_nl;
    csv_free(&r.p);
    free(block);
    free(c.buf);
    free(r.conv);
    free(r.arena);
    free(r.field_off);
    free(r.field_len);
    free(r.field_null);
    free(r.field_ptr);
    return rc;
}

int tr_csv_raw_at(int fd, long long offset, int cp1252, char *out, size_t n)
{
    char buf[RAW_KEEP + 1], text[RAW_KEEP + 1], conv[3 * RAW_KEEP + 1];
    out[0] = '\0';
    long got = tr_input_read_at(fd, buf, RAW_KEEP, offset);
    if (got < 0)
        return TR_EIO;
    /* physical lines as tr_csv_read splits them (LF, CRLF or a lone CR), decoded and joined
     * as the reader does, until the quotes are closed */
    size_t len = 0, pos = 0, end = (size_t)got;
    int quoted = 0;
    for (;;) {
        size_t start = pos;
        for (; pos < end && buf[pos] != '\n' && buf[pos] != '\r'; pos++)
            quoted ^= buf[pos] == '"';
        size_t k = pos - start;
        if (pos >= end && end == RAW_KEEP && !cp1252) /* the read cut the line, not a line end */
            k = tr_utf8_complete(buf + start, k);
        if (cp1252)
            k = tr_cp1252_to_utf8(buf + start, k, conv);
        else
            k = tr_utf8_sanitize(buf + start, k, conv);
        join_line(text, &len, conv, k);
        if (!quoted || pos >= end)
            break;
        pos += buf[pos] == '\r' && pos + 1 < end && buf[pos + 1] == '\n' ? 2 : 1;
    }
    if (len > n - 1)
        len = tr_utf8_floor(text, n - 1);
    memcpy(out, text, len);
    out[len] = '\0';
    return TR_OK;
}
