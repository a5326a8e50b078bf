/*
 * Writing a briefing to disk: the output directory, temporary names, fsync, renames. Shared by
 * `report` (one pair on demand) and `nightly` (the configured pairs after each run).
 * What goes into the files is xlsx.c's and pdf.c's business; what is printed, the caller's.
 * Both files are synced before either is renamed, and the directory after the renames
 * (durable.c), so a power cut never leaves an empty or cut report under a final name.
 * The temporaries live in a private folder (tmpfile.c): nothing is written through a link.
 */
#include "tr/report_write.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/durable.h"
#include "tr/tmpfile.h"
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
    if (parse_code(s, (size_t)(colon - s), a) || parse_code(colon + 1, strlen(colon + 1), b))
        return -1;
    return strcmp(a, b) == 0 ? -2 : 0;
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

/* Renames both finished files to their final names. rename() replaces a final name that is a
 * symlink with the file itself: the link's target is never written. */
static int rename_both(const char *xlsx_tmp, const char *pdf_tmp,
                       const struct tr_report_paths *out, struct tr_err *e)
{
    if (rename(xlsx_tmp, out->xlsx) != 0)
        return tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", out->xlsx, strerror(errno));
    if (rename(pdf_tmp, out->pdf) != 0)
        return tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", out->pdf, strerror(errno));
    return TR_OK;
}

int tr_report_write(const struct tr_report *r, const char *dir, struct tr_report_paths *out,
                    struct tr_err *e)
{
    char priv[4300], xlsx_tmp[4400], pdf_tmp[4400], tag[24];
    struct tr_writers w;
    int rc = tr_writers_get(&w, e); /* before anything is created */
    if (!rc)
        rc = ensure_dir(dir, e);
    if (rc)
        return rc;
    if (snprintf(out->xlsx, sizeof(out->xlsx), "%s/%s-%s.xlsx", dir, r->a, r->b) >=
            (int)sizeof(out->xlsx) ||
        snprintf(out->pdf, sizeof(out->pdf), "%s/%s-%s.pdf", dir, r->a, r->b) >=
            (int)sizeof(out->pdf))
        return tr_err_set(e, TR_EIO, "output directory name too long: '%s'", dir);
    tr_tmp_sweep(dir); /* what a killed earlier run left */
    /* The writers open their output by name. They get names in a folder of ours (mode 0700,
     * random name) created empty with O_EXCL, so no one else can plant a link for them. */
    snprintf(tag, sizeof(tag), "%s-%s", r->a, r->b);
    if ((rc = tr_tmpdir_create(dir, tag, priv, sizeof(priv), e)))
        return rc;
    snprintf(xlsx_tmp, sizeof(xlsx_tmp), "%s/.%s.xlsx.tmp-%ld", priv, tag, (long)getpid());
    snprintf(pdf_tmp, sizeof(pdf_tmp), "%s/.%s.pdf.tmp-%ld", priv, tag, (long)getpid());
    /* libxlsxwriter and Cairo have closed their files when these return; the bytes reach the
     * disk before the names change, and the names after. */
    rc = tr_tmpfile_claim(xlsx_tmp, e);
    if (!rc)
        rc = tr_tmpfile_claim(pdf_tmp, e);
    if (!rc)
        rc = w.xlsx(r, xlsx_tmp, e);
    if (!rc)
        rc = w.pdf(r, pdf_tmp, e);
    if (!rc)
        rc = tr_durable_sync_file(xlsx_tmp, e);
    if (!rc)
        rc = tr_durable_sync_file(pdf_tmp, e);
    if (!rc)
        rc = rename_both(xlsx_tmp, pdf_tmp, out, e);
    if (rc) {
        unlink(xlsx_tmp);
        unlink(pdf_tmp);
    }
    rmdir(priv);
    return rc ? rc : tr_durable_sync_dir(dir, e);
}
