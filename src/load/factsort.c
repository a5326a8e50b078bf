/*
 * External merge sort of fact rows (see tr/factsort.h). Each run is put in order by a stable LSD
 * radix sort of its keys, so equal keys keep their arrival order without comparing positions.
 * A row is packed as: key, line, offset, value (8 bytes each), partition (4), level, chapter,
 * flags, a mask of the optional fields present (1 each), then those fields: net weight,
 * quantity, CIF, FOB (8 each) and the quantity unit (length byte + text). BACI rows take 40 or
 * 48 bytes.
 */
#include "tr/factsort.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/radixsort.h"

#define ARENA_BYTES (32u << 20) /* one run in memory */
#define READ_BUF (256u << 10)   /* per run while merging */
#define OUT_BUF (1u << 20)      /* written at once when spilling */
#define FIXED_REC 40            /* a packed row without optional fields */
#define MAX_REC 96              /* the largest packed row */

enum { HAS_WGT = 1, HAS_QTY = 2, HAS_CIF = 4, HAS_FOB = 8, HAS_UNIT = 16 };

struct entry { /* one row of the run being built: sorted by key, then arrival */
    int64_t key;
    uint32_t pos; /* its bytes in the arena */
};

struct run_reader {
    long long next, end; /* file positions still to read */
    unsigned char *buf;
    size_t at, len;
    int64_t key; /* the key of the row at buf + at */
};

struct tr_factsort {
    unsigned char *arena;
    size_t used;
    struct entry *entries;
    struct entry *scratch; /* as large as entries: the radix sort's other half */
    size_t n, cap;
    int fd; /* the unlinked temporary file, -1 before the first run */
    long long file_end;
    long long *run_start;
    size_t n_runs;
    long rows;
    /* merging */
    struct run_reader *readers;
    int *heap; /* run indices, smallest (key, run) first */
    size_t heap_n;
    unsigned char *out; /* the write buffer of a spill */
};

int tr_factsort_open(struct tr_factsort **out, struct tr_err *e)
{
    struct tr_factsort *s = calloc(1, sizeof(*s));
    *out = s;
    if (!s)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    s->fd = -1;
    s->cap = ARENA_BYTES / 39 + 1;
    s->arena = malloc(ARENA_BYTES);
    s->entries = malloc(s->cap * sizeof(*s->entries));
    s->scratch = malloc(s->cap * sizeof(*s->scratch));
    s->out = malloc(OUT_BUF);
    if (!s->arena || !s->entries || !s->scratch || !s->out)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return TR_OK;
}

static unsigned char *put(unsigned char *p, const void *v, size_t n)
{
    memcpy(p, v, n);
    return p + n;
}

static size_t pack(unsigned char *out, const struct tr_factrow *r)
{
    const struct tr_fact *f = &r->f;
    int64_t line = r->line, offset = r->offset;
    int32_t part = r->part_idx;
    size_t unit_len = strnlen(r->qty_unit, sizeof(r->qty_unit) - 1);
    unsigned char small[4] = {(unsigned char)(signed char)r->level,
                              (unsigned char)(signed char)r->chapter, (unsigned char)f->flags,
                              (unsigned char)((isnan(f->net_wgt_kg) ? 0 : HAS_WGT) |
                                              (isnan(f->qty) ? 0 : HAS_QTY) |
                                              (f->cif_usd == TR_MISSING_INT ? 0 : HAS_CIF) |
                                              (f->fob_usd == TR_MISSING_INT ? 0 : HAS_FOB) |
                                              (unit_len ? HAS_UNIT : 0))};
    unsigned char *p = out;
    p = put(p, &r->key, 8);
    p = put(p, &line, 8);
    p = put(p, &offset, 8);
    p = put(p, &f->value_usd, 8);
    p = put(p, &part, 4);
    p = put(p, small, 4);
    if (small[3] & HAS_WGT)
        p = put(p, &f->net_wgt_kg, 8);
    if (small[3] & HAS_QTY)
        p = put(p, &f->qty, 8);
    if (small[3] & HAS_CIF)
        p = put(p, &f->cif_usd, 8);
    if (small[3] & HAS_FOB)
        p = put(p, &f->fob_usd, 8);
    if (small[3] & HAS_UNIT) {
        *p++ = (unsigned char)unit_len;
        p = put(p, r->qty_unit, unit_len);
    }
    return (size_t)(p - out);
}

/* Unpacks one row; returns its length. */
static size_t unpack(const unsigned char *in, struct tr_factrow *r)
{
    const unsigned char *p = in;
    int64_t line, offset;
    int32_t part;
    memset(&r->f, 0, sizeof(r->f));
    r->kind = TR_ROW_FACT;
    memcpy(&r->key, p, 8), p += 8;
    memcpy(&line, p, 8), p += 8;
    memcpy(&offset, p, 8), p += 8;
    memcpy(&r->f.value_usd, p, 8), p += 8;
    memcpy(&part, p, 4), p += 4;
    r->level = (signed char)p[0];
    r->chapter = (signed char)p[1];
    r->f.flags = p[2];
    unsigned mask = p[3];
    p += 4;
    r->line = (long)line;
    r->offset = offset;
    r->part_idx = part;
    r->f.net_wgt_kg = r->f.qty = NAN;
    r->f.cif_usd = r->f.fob_usd = TR_MISSING_INT;
    r->qty_unit[0] = r->customs_code[0] = r->mot_code[0] = '\0';
    if (mask & HAS_WGT)
        memcpy(&r->f.net_wgt_kg, p, 8), p += 8;
    if (mask & HAS_QTY)
        memcpy(&r->f.qty, p, 8), p += 8;
    if (mask & HAS_CIF)
        memcpy(&r->f.cif_usd, p, 8), p += 8;
    if (mask & HAS_FOB)
        memcpy(&r->f.fob_usd, p, 8), p += 8;
    if (mask & HAS_UNIT) {
        size_t n = *p++;
        memcpy(r->qty_unit, p, n);
        r->qty_unit[n] = '\0';
        p += n;
    }
    return (size_t)(p - in);
}

/* The length of the packed row at p, from its mask. */
static size_t packed_len(const unsigned char *p)
{
    unsigned mask = p[FIXED_REC - 1];
    size_t n = FIXED_REC;
    for (unsigned bit = HAS_WGT; bit <= HAS_FOB; bit <<= 1)
        if (mask & bit)
            n += 8;
    if (mask & HAS_UNIT)
        n += 1 + p[n];
    return n;
}

/* The run in key order, arrival order among equal keys (tr/radixsort.h); after an odd number
 * of passes the run is in the other array, so the two swap. */
static void radix_sort(struct tr_factsort *s)
{
    struct entry *sorted = tr_radix_sort(s->entries, s->n, sizeof(*s->entries), s->scratch);
    if (sorted != s->entries) {
        s->scratch = s->entries;
        s->entries = sorted;
    }
}

static int open_temp(struct tr_factsort *s, struct tr_err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/tradereport-sort-XXXXXX", dir && *dir ? dir : "/tmp");
    s->fd = mkstemp(path);
    if (s->fd < 0)
        return tr_err_set(e, TR_EIO,
                          "cannot create a temporary file to sort the rows in '%s': "
                          "%s",
                          path, strerror(errno));
    unlink(path); /* gone from the directory at once: nothing is left behind on a crash */
    return TR_OK;
}

static int write_all(int fd, const unsigned char *p, size_t n, struct tr_err *e)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return tr_err_set(e, TR_EIO,
                              "cannot write the temporary file that sorts the rows: "
                              "%s",
                              w < 0 ? strerror(errno) : "no space");
        p += w, n -= (size_t)w;
    }
    return TR_OK;
}

/* Sorts the arena's rows and appends them to the temporary file as one run. */
static int spill(struct tr_factsort *s, struct tr_err *e)
{
    if (!s->n)
        return TR_OK;
    int rc;
    if (s->fd < 0 && (rc = open_temp(s, e)))
        return rc;
    long long *starts = realloc(s->run_start, (s->n_runs + 2) * sizeof(*starts));
    if (!starts)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    s->run_start = starts;
    radix_sort(s);
    size_t k = 0;
    s->run_start[s->n_runs] = s->file_end;
    for (size_t i = 0; i < s->n; i++) {
        const unsigned char *row = s->arena + s->entries[i].pos;
        size_t len = packed_len(row);
        if (k + len > OUT_BUF) {
            if ((rc = write_all(s->fd, s->out, k, e)))
                return rc;
            s->file_end += (long long)k;
            k = 0;
        }
        memcpy(s->out + k, row, len);
        k += len;
    }
    if ((rc = write_all(s->fd, s->out, k, e)))
        return rc;
    s->file_end += (long long)k;
    s->n_runs++;
    s->run_start[s->n_runs] = s->file_end;
    s->n = 0;
    s->used = 0;
    return TR_OK;
}

int tr_factsort_add(struct tr_factsort *s, const struct tr_factrow *r, struct tr_err *e)
{
    if (s->used + MAX_REC > ARENA_BYTES || s->n == s->cap) {
        int rc = spill(s, e);
        if (rc)
            return rc;
    }
    s->entries[s->n].key = r->key;
    s->entries[s->n].pos = (uint32_t)s->used;
    s->n++;
    s->used += pack(s->arena + s->used, r);
    s->rows++;
    return TR_OK;
}

long tr_factsort_rows(const struct tr_factsort *s)
{
    return s->rows;
}

/* ---------- merging ---------- */

/* Makes at least one whole row (or the run's end) available at rd->buf + rd->at. */
static int fill(struct tr_factsort *s, struct run_reader *rd, struct tr_err *e)
{
    if (rd->len - rd->at >= MAX_REC || rd->next >= rd->end)
        return TR_OK;
    memmove(rd->buf, rd->buf + rd->at, rd->len - rd->at);
    rd->len -= rd->at;
    rd->at = 0;
    while (rd->len < READ_BUF && rd->next < rd->end) {
        size_t want = READ_BUF - rd->len;
        if ((long long)want > rd->end - rd->next)
            want = (size_t)(rd->end - rd->next);
        ssize_t got = pread(s->fd, rd->buf + rd->len, want, rd->next);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return tr_err_set(e, TR_EIO,
                              "cannot read the temporary file that sorts the rows: "
                              "%s",
                              got < 0 ? strerror(errno) : "file shorter than written");
        rd->len += (size_t)got;
        rd->next += got;
    }
    return TR_OK;
}

static int run_empty(const struct run_reader *rd)
{
    return rd->at >= rd->len;
}

static int heap_less(const struct tr_factsort *s, int a, int b)
{
    int64_t ka = s->readers[a].key, kb = s->readers[b].key;
    return ka != kb ? ka < kb : a < b; /* equal keys: the earlier run, the earlier rows */
}

static void sift_down(struct tr_factsort *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->heap_n && heap_less(s, s->heap[l], s->heap[m]))
            m = l;
        if (r < s->heap_n && heap_less(s, s->heap[r], s->heap[m]))
            m = r;
        if (m == i)
            return;
        int t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
}

int tr_factsort_seal(struct tr_factsort *s, struct tr_err *e)
{
    int rc = spill(s, e);
    if (rc)
        return rc;
    free(s->arena); /* the merge needs only the readers' buffers */
    s->arena = NULL;
    s->readers = calloc(s->n_runs ? s->n_runs : 1, sizeof(*s->readers));
    s->heap = calloc(s->n_runs ? s->n_runs : 1, sizeof(*s->heap));
    if (!s->readers || !s->heap)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_runs; i++) {
        struct run_reader *rd = &s->readers[i];
        rd->next = s->run_start[i];
        rd->end = s->run_start[i + 1];
        if (!(rd->buf = malloc(READ_BUF)))
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        if ((rc = fill(s, rd, e)))
            return rc;
        if (run_empty(rd))
            continue;
        memcpy(&rd->key, rd->buf + rd->at, 8);
        s->heap[s->heap_n++] = (int)i;
    }
    for (size_t i = s->heap_n / 2; i-- > 0;)
        sift_down(s, i);
    return TR_OK;
}

int tr_factsort_next(struct tr_factsort *s, struct tr_factrow *r, struct tr_err *e)
{
    if (!s->heap_n)
        return 0;
    struct run_reader *rd = &s->readers[s->heap[0]];
    rd->at += unpack(rd->buf + rd->at, r);
    if (fill(s, rd, e))
        return -1;
    if (run_empty(rd))
        s->heap[0] = s->heap[--s->heap_n];
    else
        memcpy(&rd->key, rd->buf + rd->at, 8);
    sift_down(s, 0);
    return 1;
}

void tr_factsort_free(struct tr_factsort *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    if (s->readers)
        for (size_t i = 0; i < s->n_runs; i++)
            free(s->readers[i].buf);
    free(s->readers);
    free(s->heap);
    free(s->arena);
    free(s->entries);
    free(s->scratch);
    free(s->run_start);
    free(s->out);
    free(s);
}
