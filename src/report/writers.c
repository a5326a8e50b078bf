/*
 * Loads the report writers (tradereport-writers.so: xlsx.c, pdf.c, chart.c with libxlsxwriter
 * and Cairo). Linking them into the binary made every command load 18 more libraries (Cairo's
 * X11, fontconfig and freetype chain, minizip): 5 ms of each run of `query` or `claims`, a
 * third of a pair's series. Found beside the binary (the build tree), in ../lib/tradereport/
 * from it or in the LIBDIR it was built for (make install), so a copy works where it is put.
 */
#include "tr/writers.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WRITERS_NAME "tradereport-writers.so"

static void *handle;
static struct tr_writers loaded;

#ifndef TR_LIBDIR
#define TR_LIBDIR "/usr/local/lib/tradereport"
#endif

/* The folder of the running binary, with a trailing '/'; "" when /proc is not there. */
static void exe_dir(char *dir, size_t n)
{
    ssize_t k = readlink("/proc/self/exe", dir, n - 1);
    dir[k > 0 ? k : 0] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
}

static int resolve(void *h, const char *path, struct tr_err *e)
{
    const struct tr_writers_abi *abi = dlsym(h, "tr_writers_abi");
    if (!abi || abi->version != TR_WRITERS_ABI ||
        abi->report_size != (unsigned long)sizeof(struct tr_report))
        return tr_err_set(e, TR_EIO,
                          "report writers: %s was built for another version of "
                          "tradereport (writers ABI %d, report %lu bytes; this binary needs %d, "
                          "%lu): install the binary and its writers together (make install)",
                          path, abi ? abi->version : 0, abi ? abi->report_size : 0UL,
                          TR_WRITERS_ABI, (unsigned long)sizeof(struct tr_report));
    void *x = dlsym(h, "tr_xlsx_write"), *p = dlsym(h, "tr_pdf_write");
    if (!x || !p)
        return tr_err_set(e, TR_EIO, "report writers: %s lacks tr_xlsx_write or tr_pdf_write",
                          WRITERS_NAME);
    /* dlsym gives object pointers; POSIX guarantees they convert to function pointers */
    memcpy(&loaded.xlsx, &x, sizeof(x));
    memcpy(&loaded.pdf, &p, sizeof(p));
    handle = h;
    return TR_OK;
}

int tr_writers_get(struct tr_writers *w, struct tr_err *e)
{
    if (!handle) {
        char dir[PATH_MAX], path[PATH_MAX + 64], why[3][160];
        exe_dir(dir, sizeof(dir));
        /* beside the binary (the build tree), ../lib/tradereport from it, where make install
         * put it */
        const char *places[3][2] = {{dir, ""}, {dir, "../lib/tradereport/"}, {TR_LIBDIR "/", ""}};
        void *h = NULL;
        for (int i = 0; i < 3 && !h; i++) {
            snprintf(path, sizeof(path), "%s%s%s", places[i][0], places[i][1], WRITERS_NAME);
            h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
            const char *err = h ? NULL : dlerror();
            snprintf(why[i], sizeof(why[i]), "%s", err ? err : "");
        }
        if (!h) /* each reason names its path */
            return tr_err_set(e, TR_EIO, "cannot load the report writers: %s; %s; %s", why[0],
                              why[1], why[2]);
        int rc = resolve(h, path, e);
        if (rc) {
            dlclose(h);
            return rc;
        }
    }
    *w = loaded;
    return TR_OK;
}

void tr_writers_release(void)
{
    if (!handle)
        return;
    void *f = dlsym(handle, "tr_pdf_release_caches");
    void (*release)(void);
    if (f) {
        memcpy(&release, &f, sizeof(f));
        release();
    }
}
