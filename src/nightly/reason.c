/*
 * NAME.reason.txt, the note beside a quarantined file: what failed and where, the rows read
 * and rejected, the first rejects, and the one line that takes the file back (mv into the
 * inbox, or an import with the guard's flag). Every value escaped; written to a temporary
 * file and renamed. Moving the file itself is inbox.c's.
 */
#include "tr/nightly.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tr/import_archive.h"
#include "tr/safe_name.h"
#include "tr/tmpfile.h"

/* Every value is escaped: names and messages may hold newlines or escape sequences. */
static void put_line(FILE *fp, const char *label, const char *value)
{
    char esc[TR_SAFE_ESC_SIZE(2 * TR_ERR_MSG + 64)];
    fprintf(fp, "%-14s %s\n", label, tr_safe_escape(esc, sizeof(esc), value));
}

/* The line that puts a quarantined file back, quoted so that pasting it runs nothing but mv;
 * a name with control characters gets no shell line (it could not be one line). */
static void put_move_back(FILE *fp, const struct tr_nightly *n, const struct tr_nightly_file *f)
{
    char back[TR_NIGHTLY_PATH_BUF + NAME_MAX + 2], q_dest[4 * TR_NIGHTLY_PATH_BUF + 3],
        q_back[4 * sizeof(back) + 3];
    fprintf(fp, "\nTo load it once fixed, move it back into the inbox under its name; the next "
                "run\nloads it (and this reason file can go):\n");
    snprintf(back, sizeof(back), "%s/%s", n->inbox, f->name);
    if (tr_safe_shell_quote(q_dest, sizeof(q_dest), f->dest) == 0 &&
        tr_safe_shell_quote(q_back, sizeof(q_back), back) == 0)
        fprintf(fp, "  mv %s %s\n", q_dest, q_back);
    else
        fprintf(fp, "  (no shell line: the name holds control characters, shown escaped above)"
                    "\n");
}

/* A file a delivery guard refused is not broken: moving it back would only be refused again.
 * The way to take it is by hand, with the flag that says the operator checked it. */
static void put_take_anyway(FILE *fp, const struct tr_nightly *n, const struct tr_nightly_file *f)
{
    char q_db[4 * TR_NIGHTLY_PATH_BUF + 3], q_dest[4 * TR_NIGHTLY_PATH_BUF + 3];
    const char *flag = f->refused_by == TR_REFUSED_OLDER_RELEASE ? "--allow-older-release"
                                                                 : "--accept-shrink";
    fprintf(fp,
            "\nA delivery guard refused it: it would have replaced %s. If the file is\n"
            "right, take it by hand (tradereport unload LOAD_ID takes it back):\n",
            f->refused_by == TR_REFUSED_OLDER_RELEASE ? "rows of a newer release"
                                                      : "more than 20% of what it replaces");
    if (tr_safe_shell_quote(q_db, sizeof(q_db), n->d.path) == 0 &&
        tr_safe_shell_quote(q_dest, sizeof(q_dest), f->dest) == 0)
        fprintf(fp, "  tradereport import --db %s %s %s\n", q_db, flag, q_dest);
    else
        fprintf(fp, "  (no shell line: the name holds control characters, shown escaped above)"
                    "\n");
}

/* NAME.reason.txt beside the quarantined file, written to a new temporary file (O_EXCL, a
 * random name without the delivered name in it) and renamed. */
int tr_nightly_write_reason(struct tr_nightly *n, const struct tr_nightly_file *f,
                            const struct tr_err *why, const struct tr_import_result *res,
                            struct tr_err *e)
{
    char path[TR_NIGHTLY_PATH_BUF + 16], tmp[TR_NIGHTLY_PATH_BUF + 48], buf[TR_ERR_MSG + 64];
    int w1 = snprintf(path, sizeof(path), "%s.reason.txt", f->dest), fd = -1;
    if (w1 < 0 || (size_t)w1 >= sizeof(path))
        return tr_err_set(e, TR_EIO, "path too long in '%s'", n->quarantine);
    int rc = tr_tmpfile_create(n->quarantine, "tradereport-reason", 0666, tmp, sizeof(tmp), &fd,
                               e);
    if (rc)
        return rc;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        rc = tr_err_set(e, TR_ENOMEM, "cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return rc;
    }
    put_line(fp, "file:", f->name);
    snprintf(buf, sizeof(buf), "%s by tradereport nightly run %ld", n->started, n->run_id);
    put_line(fp, "quarantined:", buf);
    put_line(fp, "error:", why->msg);
    if (why->line > 0) {
        snprintf(buf, sizeof(buf), "%ld", why->line);
        put_line(fp, "line:", buf);
    }
    int loaded = res->status != TR_LOAD_FAILED; /* the bytes read loaded; this entry did not */
    snprintf(buf, sizeof(buf), "%ld read, %ld rejected, %s", res->rows_read, res->rows_rejected,
             tr_archive_kind(f->name) ? "nothing of the failed member committed; the members "
                                        "that loaded stay (a re-run skips them as already loaded)"
             : loaded                 ? "committed from the file as it was read"
                                      : "nothing committed");
    put_line(fp, "rows:", buf);
    if (res->load_id && !loaded) {
        snprintf(buf, sizeof(buf), "%ld (tradereport loads --rejects %ld lists every reject)",
                 res->load_id, res->load_id);
        put_line(fp, "failed load:", buf);
    }
    if (res->rejects_shown) {
        fprintf(fp, "first rejects:\n");
        char esc[TR_SAFE_ESC_SIZE(sizeof(res->first_rejects[0]))];
        for (long k = 0; k < res->rejects_shown; k++)
            fprintf(fp, "  %s\n", tr_safe_escape(esc, sizeof(esc), res->first_rejects[k]));
    }
    if (f->refused_by)
        put_take_anyway(fp, n, f);
    else
        put_move_back(fp, n, f);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (fclose(fp) != 0 && !rc)
        rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}
