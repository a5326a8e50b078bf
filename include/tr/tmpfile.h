/*
 * Temporary files and folders the tool creates beside its outputs, under names no one else can
 * predict or plant: DIR/.TAG.tmp-PID-XXXXXX, created with O_EXCL (never through a link).
 * Ownership: nothing is allocated; paths are written into the caller's buffers.
 */
#ifndef TR_TMPFILE_H
#define TR_TMPFILE_H

#include <stddef.h>

#include "tr/err.h"

/* Creates DIR/.TAG.tmp-PID-XXXXXX (XXXXXX random) as a new file, O_EXCL|O_NOFOLLOW|O_CLOEXEC,
 * with mode (less the umask); path gets its name, *fd the open descriptor (O_WRONLY).
 * TR_EIO when it cannot be created. */
int tr_tmpfile_create(const char *dir, const char *tag, int mode, char *path, size_t n, int *fd,
                      struct tr_err *e);

/* Creates DIR/.TAG.tmp-PID-XXXXXX as a new folder of mode 0700: files in it can only be made
 * by this user, so a writer that takes a name (libxlsxwriter, Cairo's file surface) can be
 * given one there. TR_EIO when it cannot be created. */
int tr_tmpdir_create(const char *dir, const char *tag, char *path, size_t n, struct tr_err *e);

/* Creates path as a new, empty file (O_EXCL|O_NOFOLLOW) and closes it: the name is ours
 * before a writer that opens by name gets it. TR_EIO when it exists or cannot be made. */
int tr_tmpfile_claim(const char *path, struct tr_err *e);

/* Removes the temporaries a killed run left in dir: entries named .*.tmp-PID or
 * .*.tmp-PID-XXXXXX whose PID is no longer running and that this user owns; regular files,
 * or folders of such files (a report's private folder). Links are never followed and other
 * entries never touched. Best effort: returns how many entries were removed. */
int tr_tmp_sweep(const char *dir);

#endif
