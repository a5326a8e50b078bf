/*
 * Opening an input file safely and scanning it: O_NONBLOCK so a FIFO cannot hang the open,
 * regular files only, the identity (device, inode, size, times) kept to notice a change, and
 * the one-pass scan (sha256, gzip, NUL, UTF-8/UTF-16 facts) through the parser's descriptor.
 * Parsing is csvread.c's job; what the facts mean for the import is import.c's.
 */
#include "tr/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/sha256.h"
#include "tr/signals.h"
#include "tr/utf8.h"

#define BLOCK (1 << 20)

static const char *kind_of(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO (named pipe)"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISDIR(m)  ? "a directory"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

static int refuse(const char *path, mode_t m, struct tr_err *e)
{
    return tr_err_set(e, TR_EINPUT,
                      "'%s' is %s, not a regular file: refused (only files "
                      "can be hashed, checked and parsed once)",
                      path, kind_of(m));
}

int tr_input_check(const char *path, struct tr_err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || S_ISREG(sb.st_mode))
        return TR_OK;
    return refuse(path, sb.st_mode, e);
}

static void take_id(const struct stat *sb, struct tr_file_id *id)
{
    id->dev = (unsigned long long)sb->st_dev;
    id->ino = (unsigned long long)sb->st_ino;
    id->size = (long long)sb->st_size;
    id->mtime_sec = (long long)sb->st_mtim.tv_sec;
    id->mtime_nsec = (long long)sb->st_mtim.tv_nsec;
}

int tr_input_open(const char *path, int *fd, struct tr_file_id *id, struct tr_err *e)
{
    struct stat sb;
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0)
        return tr_err_set(e, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    int rc = TR_OK;
    if (fstat(*fd, &sb) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        rc = refuse(path, sb.st_mode, e);
    else if (fcntl(*fd, F_SETFL, fcntl(*fd, F_GETFL) & ~O_NONBLOCK) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (rc) {
        close(*fd);
        *fd = -1;
        return rc;
    }
    take_id(&sb, id);
    return TR_OK;
}

int tr_input_unchanged(int fd, const char *path, const struct tr_file_id *id, struct tr_err *e)
{
    struct stat sb;
    struct tr_file_id now;
    if (fstat(fd, &sb) != 0)
        return tr_err_set(e, TR_EIO, "cannot stat '%s': %s", path, strerror(errno));
    take_id(&sb, &now);
    /* not ctime: a rename over the name, or a hard link, changes it without touching a byte */
    if (now.size == id->size && now.mtime_sec == id->mtime_sec &&
        now.mtime_nsec == id->mtime_nsec)
        return TR_OK;
    return tr_err_set(e, TR_EINPUT,
                      "'%s' changed while it was being read (%lld bytes when "
                      "opened, %lld now): nothing committed, load it again once it is "
                      "complete",
                      path, id->size, now.size);
}

int tr_input_same(const char *path, const struct tr_file_id *id)
{
    struct stat sb;
    struct tr_file_id now;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    take_id(&sb, &now);
    return now.dev == id->dev && now.ino == id->ino && now.size == id->size &&
           now.mtime_sec == id->mtime_sec && now.mtime_nsec == id->mtime_nsec;
}

long tr_input_read_at(int fd, void *buf, unsigned long n, long long offset)
{
    for (;;) {
        ssize_t got = pread(fd, buf, n, (off_t)offset);
        if (got >= 0 || errno != EINTR || tr_signal_caught)
            return (long)got;
    }
}

/* ---------- the scan ---------- */

struct scan_state {
    struct tr_file_scan *s;
    long line, seq_line;
    long long seq_start;  /* where the multi-byte sequence being checked began */
    unsigned char seq[4]; /* its bytes so far */
    size_t seq_len, seq_need;
};

/* Sequence boundaries carry across blocks: bytes are gathered in st->seq until the sequence
 * its lead byte announces is complete, then checked whole. */
static void note_bad(struct scan_state *st, long long at, long line)
{
    if (st->s->first_bad_utf8 < 0) {
        st->s->first_bad_utf8 = at;
        st->s->bad_utf8_line = line;
    }
}

static void step_high(struct scan_state *st, unsigned char c, long long at)
{
    if (st->seq_len) {
        if ((c & 0xC0) == 0x80) {
            st->seq[st->seq_len++] = c;
            if (st->seq_len < st->seq_need)
                return;
            if (tr_utf8_seq(st->seq, st->seq_len) == st->seq_len)
                st->s->utf8_multibyte++;
            else
                note_bad(st, st->seq_start, st->seq_line);
            st->seq_len = 0;
            return;
        }
        note_bad(st, st->seq_start, st->seq_line); /* cut short: c starts afresh */
        st->seq_len = 0;
    }
    if (c < 0x80)
        return;
    size_t need = c >= 0xF0 && c <= 0xF4  ? 4
                  : c >= 0xE0 && c < 0xF0 ? 3
                  : c >= 0xC2 && c < 0xE0 ? 2
                                          : 0;
    if (!need) {
        note_bad(st, at, st->line);
        return;
    }
    st->seq[0] = c;
    st->seq_len = 1;
    st->seq_need = need;
    st->seq_start = at;
    st->seq_line = st->line;
}

/* Plain ASCII without NUL, eight bytes at a time, while no sequence is open; line ends are
 * counted in the word (an exact zero-byte test: no false positives). Returns the new i. */
static size_t skip_ascii(struct scan_state *st, const unsigned char *buf, size_t i, size_t got)
{
    while (!st->seq_len && i + 8 <= got) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        if ((w & 0x8080808080808080ull) ||
            ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
            break; /* a high byte or a NUL: go byte by byte */
        uint64_t nl = w ^ 0x0a0a0a0a0a0a0a0aull;
        nl = ~(((nl & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | nl) &
             0x8080808080808080ull;
        st->line += (long)((nl >> 7) * 0x0101010101010101ull >> 56); /* the bytes' sum */
        i += 8;
    }
    return i;
}

static void scan_block(struct scan_state *st, const unsigned char *buf, size_t got)
{
    struct tr_file_scan *s = st->s;
    for (size_t i = 0; i < got; i++) {
        i = skip_ascii(st, buf, i, got);
        if (i >= got)
            break;
        unsigned char c = buf[i];
        if (c == 0 && s->first_nul < 0) {
            s->first_nul = s->bytes + (long long)i;
            s->nul_line = st->line;
        }
        if (c >= 0x80 || st->seq_len)
            step_high(st, c, s->bytes + (long long)i);
        if (c == '\n')
            st->line++;
    }
}

/* UTF-16 by its byte order mark, or by the NULs every other byte of ASCII text has in it. */
static int utf16_of(const unsigned char *b, size_t n)
{
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return 'L';
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return 'B';
    if (n >= 4 && b[0] && !b[1] && b[2] && !b[3])
        return 'L';
    if (n >= 4 && !b[0] && b[1] && !b[2] && b[3])
        return 'B';
    return 0;
}

int tr_file_scan(int fd, const char *path, struct tr_file_scan *s, struct tr_err *e)
{
    memset(s, 0, sizeof(*s));
    s->first_nul = -1;
    s->first_bad_utf8 = -1;
    unsigned char *buf = malloc(BLOCK);
    if (!buf)
        return tr_err_set(e, TR_ENOMEM, "out of memory reading '%s'", path);
    struct tr_sha256 sha;
    struct scan_state st = {.s = s, .line = 1, .seq_line = 1};
    int rc = TR_OK;
    tr_sha256_init(&sha);
    for (;;) {
        if (tr_signal_caught) {
            rc = tr_err_set(e, TR_EFAIL,
                            "interrupted by signal %d while reading '%s': nothing "
                            "committed",
                            (int)tr_signal_caught, path);
            break;
        }
        long got = tr_input_read_at(fd, buf, BLOCK, s->bytes);
        if (got < 0) {
            rc = tr_err_set(e, TR_EIO, "read error on '%s': %s", path, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        if (s->bytes == 0) {
            s->gzip = got >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
            s->bom = got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
            s->utf16 = utf16_of(buf, (size_t)got);
        }
        tr_sha256_update(&sha, buf, (size_t)got);
        scan_block(&st, buf, (size_t)got);
        s->bytes += got;
    }
    if (st.seq_len) /* the file ends inside a sequence */
        note_bad(&st, st.seq_start, st.seq_line);
    s->valid_utf8 = s->first_bad_utf8 < 0;
    tr_sha256_final_hex(&sha, s->sha256);
    free(buf);
    return rc;
}
