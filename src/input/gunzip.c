/*
 * gzip through zlib (inflate with the gzip wrapper): zlib itself checks each member's header,
 * CRC-32 and length, so a damaged or cut file is an error, never silently short data. Reads
 * the descriptor by pread in blocks; knows nothing of archives, formats or the database.
 */
#include "tr/gunzip.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "tr/input.h"

#define IN_BLOCK (256 << 10)

struct tr_gunzip {
    int fd;
    z_stream zs;
    int zs_ready;
    unsigned char *in;
    long long offset;    /* next file offset to read */
    long long consumed;  /* compressed bytes inflate has taken */
    int at_end;          /* the file is exhausted */
    int between_members; /* a member ended: more data must be another member */
};

int tr_gunzip_open(int fd, struct tr_gunzip **out, struct tr_err *e)
{
    struct tr_gunzip *g = calloc(1, sizeof(*g));
    *out = NULL;
    if (!g || !(g->in = malloc(IN_BLOCK))) {
        free(g);
        return tr_err_set(e, TR_ENOMEM, "out of memory opening gzip data");
    }
    g->fd = fd;
    if (inflateInit2(&g->zs, 16 + MAX_WBITS) != Z_OK) { /* 16: the gzip wrapper only */
        free(g->in);
        free(g);
        return tr_err_set(e, TR_ENOMEM, "out of memory opening gzip data");
    }
    g->zs_ready = 1;
    *out = g;
    return TR_OK;
}

void tr_gunzip_free(struct tr_gunzip *g)
{
    if (!g)
        return;
    if (g->zs_ready)
        inflateEnd(&g->zs);
    free(g->in);
    free(g);
}

long long tr_gunzip_consumed(const struct tr_gunzip *g)
{
    return g->consumed;
}

static int refill(struct tr_gunzip *g, const char *label, struct tr_err *e)
{
    long got = tr_input_read_at(g->fd, g->in, IN_BLOCK, g->offset);
    if (got < 0)
        return tr_err_set(e, TR_EIO, "%s: read error: %s", label, strerror(errno));
    g->offset += got;
    g->at_end = got == 0;
    g->zs.next_in = g->in;
    g->zs.avail_in = (uInt)got;
    return TR_OK;
}

/* After a member's end: nothing more (the end), or the next member. */
static int next_member(struct tr_gunzip *g, const char *label, int *end, struct tr_err *e)
{
    if (g->zs.avail_in == 0 && !g->at_end && refill(g, label, e))
        return e->code;
    *end = g->zs.avail_in == 0;
    if (*end)
        return TR_OK;
    if (g->zs.next_in[0] != 0x1f)
        return tr_err_set(e, TR_EINPUT, "%s: data after the end of the gzip stream", label);
    inflateReset(&g->zs);
    g->between_members = 0;
    return TR_OK;
}

long tr_gunzip_read(struct tr_gunzip *g, void *buf, size_t n, const char *label, struct tr_err *e)
{
    g->zs.next_out = buf;
    g->zs.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    uInt want = g->zs.avail_out;
    while (g->zs.avail_out == want) {
        if (g->between_members) {
            int end = 0;
            if (next_member(g, label, &end, e))
                return -1;
            if (end)
                return 0;
        }
        if (g->zs.avail_in == 0) {
            if (refill(g, label, e))
                return -1;
            if (g->at_end) {
                tr_err_set(e, TR_EINPUT,
                           "%s: truncated gzip data: the file ends inside the "
                           "compressed stream",
                           label);
                return -1;
            }
        }
        uInt before = g->zs.avail_in;
        int zr = inflate(&g->zs, Z_NO_FLUSH);
        g->consumed += before - g->zs.avail_in;
        if (zr == Z_STREAM_END)
            g->between_members = 1;
        else if (zr == Z_MEM_ERROR)
            return tr_err_set(e, TR_ENOMEM, "%s: out of memory unpacking", label), -1;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return tr_err_set(e, TR_EINPUT, "%s: damaged gzip data: %s", label,
                              g->zs.msg ? g->zs.msg : "inflate failed"),
                   -1;
    }
    return (long)(want - g->zs.avail_out);
}
