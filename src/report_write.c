/*
 * Writing a briefing to disk: the output directory, temporary names, fsync, renames. Shared by
 * `report` (one pair on demand) and `nightly` (the configured pairs after each run).
 * What goes into the files is xlsx.c's and pdf.c's business; what is printed, the caller's.
 * Both files are synced before either is renamed, and the directory after the renames
 * (durable.c), so a power cut never leaves an empty or cut report under a final name.
 */
#include "tr/report_write.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/durable.h"
#include "tr/writers.h"

static int parse_code(const char *s, size_t n, char out[8])
{
    if (n < 2 || n > 4)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]))
            return -1;
        out[i] = (char)toupper((unsigned char)s[i]);
    }
    out[n] = '\0';
    return 0;
}

int tr_report_parse_pair(const char *s, char a[8], char b[8])
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return -1;
    return parse_code(s, (size_t)(colon - s), a) || parse_code(colon + 1, strlen(colon + 1), b);
}

static int ensure_dir(const char *dir, struct tr_err *e)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return tr_err_set(e, TR_EIO, "output '%s' is not a directory", dir);
        return TR_OK;
    }
    if (mkdir(dir, 0755) != 0)
        return tr_err_set(e, TR_EIO, "cannot create output directory '%s': %s", dir,
                          strerror(errno));
    return TR_OK;
}

int tr_report_write(const struct tr_report *r, const char *dir, struct tr_report_paths *out,
                    struct tr_err *e)
{
    char xlsx_tmp[4300], pdf_tmp[4300];
    struct tr_writers w;
    int rc = tr_writers_get(&w, e);   /* before anything is created */
    if (!rc)
        rc = ensure_dir(dir, e);
    if (rc)
        return rc;
    if (snprintf(out->xlsx, sizeof(out->xlsx), "%s/%s-%s.xlsx", dir, r->a, r->b) >=
            (int)sizeof(out->xlsx) ||
        snprintf(out->pdf, sizeof(out->pdf), "%s/%s-%s.pdf", dir, r->a, r->b) >=
            (int)sizeof(out->pdf))
        return tr_err_set(e, TR_EIO, "output directory name too long: '%s'", dir);
    snprintf(xlsx_tmp, sizeof(xlsx_tmp), "%s/.%s-%s.xlsx.tmp-%ld", dir, r->a, r->b,
             (long)getpid());
    snprintf(pdf_tmp, sizeof(pdf_tmp), "%s/.%s-%s.pdf.tmp-%ld", dir, r->a, r->b,
             (long)getpid());
    /* libxlsxwriter and Cairo have closed their files when these return; the bytes reach the
     * disk before the names change, and the names after. */
    rc = w.xlsx(r, xlsx_tmp, e);
    if (!rc)
        rc = w.pdf(r, pdf_tmp, e);
    if (!rc)
        rc = tr_durable_sync_file(xlsx_tmp, e);
    if (!rc)
        rc = tr_durable_sync_file(pdf_tmp, e);
    if (!rc && rename(xlsx_tmp, out->xlsx) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", out->xlsx, strerror(errno));
    if (!rc && rename(pdf_tmp, out->pdf) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", out->pdf, strerror(errno));
    if (rc) {
        unlink(xlsx_tmp);
        unlink(pdf_tmp);
        return rc;
    }
    return tr_durable_sync_dir(dir, e);
}
