/*
 * The error record: first error wins, so the root cause is what the user sees.
 * Printing is not done here; main.c and cmd_*.c decide what reaches stderr.
 */
#include "tr/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tr/utf8.h"

void tr_err_init(struct tr_err *e)
{
    memset(e, 0, sizeof(*e));
}

static int vset(struct tr_err *e, int code, const char *file, long line, const char *fmt,
                va_list ap)
{
    if (!e || e->code != TR_OK)
        return e ? e->code : code;
    e->code = code;
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    tr_utf8_trim_partial(e->msg); /* a message cut to its buffer keeps whole characters */
    if (file)
        snprintf(e->file, sizeof(e->file), "%s", file);
    e->line = line;
    return code;
}

int tr_err_set(struct tr_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vset(e, code, NULL, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int tr_err_set_at(struct tr_err *e, int code, const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vset(e, code, file, line, fmt, ap);
    va_end(ap);
    return rc;
}

const char *tr_strerror(int code)
{
    switch (code) {
    case TR_OK: return "ok";
    case TR_EFAIL: return "failure";
    case TR_EUSAGE: return "usage error";
    case TR_EINPUT: return "input rejected, nothing committed";
    case TR_EBUSY: return "busy: another writer holds the lock";
    case TR_EIO: return "i/o or database error";
    case TR_ENOMEM: return "out of memory or internal error";
    }
    return "unknown error";
}
