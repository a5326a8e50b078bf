/*
 * Error codes and the error record every fallible function fills.
 * Ownership: a struct tr_err is owned by the caller (usually on the stack); it holds
 * no heap memory, so it never needs freeing.
 * The codes double as the process exit codes documented in README and --help.
 */
#ifndef TR_ERR_H
#define TR_ERR_H

#include <stddef.h>

enum tr_code {
    TR_OK = 0,     /* success */
    TR_EFAIL = 1,  /* failure: no data, a check failed, a file was quarantined */
    TR_EUSAGE = 2, /* bad command line */
    TR_EINPUT = 3, /* input rejected, nothing committed */
    TR_EBUSY = 4,  /* another writer holds the lock */
    TR_EIO = 5,    /* I/O or database error */
    TR_ENOMEM = 6, /* out of memory or internal error */
};

#define TR_ERR_MSG 512

/* The first error wins: later tr_err_set calls on a set record are ignored. */
struct tr_err {
    int code;             /* enum tr_code */
    char msg[TR_ERR_MSG]; /* lower-case message, no trailing newline */
    char file[256];       /* input file for data errors, else empty */
    long line;            /* 1-based line for data errors, else 0 */
};

void tr_err_init(struct tr_err *e);
/* Records code and printf-style message unless an error is already set; returns code. */
int tr_err_set(struct tr_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like tr_err_set, with the input file and line that caused it. */
int tr_err_set_at(struct tr_err *e, int code, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A short phrase for a code: "input rejected", "busy", ... */
const char *tr_strerror(int code);

#endif
