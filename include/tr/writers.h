/*
 * The report writers (xlsx.c and pdf.c, with libxlsxwriter and Cairo) as a shared object,
 * tradereport-writers.so, loaded on first use: only `report` and `nightly` pay for loading the
 * libraries they pull in. Ownership: the loaded object stays for the life of the process;
 * tr_writers_release lets it drop Cairo's process-long caches before exit.
 */
#ifndef TR_WRITERS_H
#define TR_WRITERS_H

#include "tr/report.h"

/* The contract between the binary and tradereport-writers.so: raise TR_WRITERS_ABI whenever
 * struct tr_report or the writers' signatures change. The object exports both figures
 * (src/render/writers_abi.c) and a binary refuses an object whose figures differ from its own. */
#define TR_WRITERS_ABI 3

struct tr_writers_abi {
    int version;               /* TR_WRITERS_ABI when the object was built */
    unsigned long report_size; /* sizeof(struct tr_report) then */
};

struct tr_writers {
    int (*xlsx)(const struct tr_report *r, const char *path, struct tr_err *e);
    int (*pdf)(const struct tr_report *r, const char *path, struct tr_err *e);
};

/* Fills w with the writers, loading tradereport-writers.so the first time: beside the binary
 * (the build tree), else in ../lib/tradereport/ from it (make install). TR_EIO with the paths
 * tried and the loader's reason when neither loads, or when the object was built for another
 * struct tr_report (a stale install): reinstall both. */
int tr_writers_get(struct tr_writers *w, struct tr_err *e);

/* Releases the writers' process-long caches (Cairo's fonts) if they were loaded. */
void tr_writers_release(void);

#endif
