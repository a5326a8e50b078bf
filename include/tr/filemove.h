/*
 * Moving the nightly job's files into the archive and the quarantine without replacing or
 * writing through anything already there. Ownership: nothing is allocated; every path stays
 * the caller's.
 */
#ifndef TR_FILEMOVE_H
#define TR_FILEMOVE_H

#include <stddef.h>

#include "tr/err.h"

/* Creates path and its missing parents (mode 0755); TR_EIO when it is not a directory. */
int tr_filemove_mkdir_p(const char *path, struct tr_err *e);

/* Moves src (in src_dir) into dir under the first free name of NAME, STEM.1.EXT, STEM.2.EXT...
 * (with_reason: NAME.reason.txt free too): rename, or across filesystems a copy to an O_EXCL
 * temporary, fsync, rename, unlink. Both folders are synced. dest gets the new path, "" when
 * the file did not get there. A name that cannot take its suffix under NAME_MAX is shortened
 * (tr_safe_fit_name): the move never fails for a long name. */
int tr_filemove_into(const char *src, const char *src_dir, const char *dir, const char *name,
                     int with_reason, char *dest, size_t n, struct tr_err *e);

/* TR_OK when path is a real folder (not a symlink) of this user: a folder the job made itself
 * (archive/YYYY-MM-DD), where a planted link would send files elsewhere. TR_EIO otherwise. */
int tr_filemove_own_dir(const char *path, struct tr_err *e);

#endif
