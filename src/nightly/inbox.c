/*
 * The inbox of the nightly job: its regular files by name (partial and hidden ones left
 * alone), and each file's fate: loaded through tr_import_file (or tr_import_archive), then
 * moved to ARCHIVE/YYYY-MM-DD/ or to QUARANTINE/ with its reason file, and recorded. What a
 * load replaced is the importer's lineage; the moves themselves are core/filemove.c's.
 */
#include "tr/nightly.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/filemove.h"
#include "tr/import_archive.h"
#include "tr/input.h"
#include "tr/safe_name.h"

/* ---------- paths and directories ---------- */

int tr_nightly_join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Files still being written by the sender (NAME.part, NAME.tmp) and hidden files stay put. */
static int is_skipped_name(const char *name)
{
    return name[0] == '.' || ends_with(name, ".part") || ends_with(name, ".tmp");
}

/* ---------- the inbox ---------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of the inbox, by name (bytes, not locale). Subdirectories, symlinks and
 * other special files are ignored; partial files (.part, .tmp) are counted in n_skipped. */
int tr_nightly_list_inbox(struct tr_nightly *n, struct tr_err *e)
{
    DIR *dir = opendir(n->inbox);
    if (!dir)
        return tr_err_set(e, TR_EIO, "cannot read inbox '%s': %s", n->inbox, strerror(errno));
    int rc = TR_OK;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(dir);
        if (!de) {
            if (errno)
                rc = tr_err_set(e, TR_EIO, "cannot read inbox '%s': %s", n->inbox,
                                strerror(errno));
            break;
        }
        char path[TR_NIGHTLY_PATH_BUF];
        struct stat sb;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (tr_nightly_join(path, sizeof(path), n->inbox, de->d_name) || lstat(path, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            continue;
        if (is_skipped_name(de->d_name)) {
            n->n_skipped += de->d_name[0] != '.'; /* hidden files are not worth a mention */
            continue;
        }
        if (n->n_names == n->cap_names) {
            size_t cap = n->cap_names ? n->cap_names * 2 : 32;
            char **names = realloc(n->names, cap * sizeof(*names));
            if (!names) {
                rc = tr_err_set(e, TR_ENOMEM, "out of memory");
                break;
            }
            n->names = names;
            n->cap_names = cap;
        }
        if (!(n->names[n->n_names] = strdup(de->d_name))) {
            rc = tr_err_set(e, TR_ENOMEM, "out of memory");
            break;
        }
        n->n_names++;
    }
    closedir(dir);
    if (n->n_names)
        qsort(n->names, n->n_names, sizeof(*n->names), by_name);
    return rc;
}

/* Moves a loaded (or already loaded) file into today's archive folder, a folder the job made:
 * a symlink planted there by someone else is refused. */
static int archive_file(struct tr_nightly *n, struct tr_nightly_file *f, const char *src,
                        struct tr_err *me)
{
    int rc = tr_filemove_mkdir_p(n->day_dir, me);
    if (!rc)
        rc = tr_filemove_own_dir(n->day_dir, me);
    return rc ? rc
              : tr_filemove_into(src, n->inbox, n->day_dir, f->name, 0, f->dest, sizeof(f->dest),
                                 me);
}

/* Moves a rejected file into the quarantine with NAME.reason.txt beside it (a name too long
 * for both is shortened by tr_filemove_into; the reason file names the original). */
static int quarantine_file(struct tr_nightly *n, struct tr_nightly_file *f, const char *src,
                           const struct tr_err *why, const struct tr_import_result *res,
                           struct tr_err *me)
{
    int rc = tr_filemove_into(src, n->inbox, n->quarantine, f->name, 1, f->dest, sizeof(f->dest),
                              me);
    return rc ? rc : tr_nightly_write_reason(n, f, why, res, me);
}

static void describe_error(char *out, size_t n, const struct tr_err *e)
{
    if (e->line > 0)
        snprintf(out, n, "line %ld: %s", e->line, e->msg);
    else
        snprintf(out, n, "%s", e->msg);
}

/* Adds "not moved: WHY" to the file's message (after its import error, if any), cut to fit. */
static void note_not_moved(struct tr_nightly_file *f, const char *why)
{
    size_t k = strlen(f->msg);
    int w = snprintf(f->msg + k, sizeof(f->msg) - k, "%snot moved: %s", k ? "; " : "", why);
    if (w < 0)
        f->msg[k] = '\0';
}

/* The job keeps one record per inbox file: an archive's members are summed into it, a failed
 * member's message is the archive's (the first one wins). */
static void member_quiet(void *ctx, const char *label, enum tr_member_outcome outcome,
                         const struct tr_import_result *res, const struct tr_err *e)
{
    (void)ctx, (void)label, (void)outcome, (void)res, (void)e;
}

static int import_inbox_file(struct tr_nightly *n, const char *src, struct tr_import_result *res,
                             struct tr_err *e)
{
    if (!tr_archive_kind(src))
        return tr_import_file(n->d.db, src, &n->io, res, e);
    struct tr_archive_limits lim = {TR_ARCHIVE_MAX_MEMBER, TR_ARCHIVE_MAX_RATIO};
    return tr_import_archive(n->d.db, src, &n->io, &lim, member_quiet, NULL, res, e);
}

/* Handles one inbox file. TR_OK whatever became of the file (loaded, already loaded,
 * quarantined); an I/O or database error that should stop the run otherwise. */
int tr_nightly_handle_file(struct tr_nightly *n, const char *name)
{
    char src[TR_NIGHTLY_PATH_BUF];
    struct tr_err e;
    struct tr_import_result res;
    int rc;
    tr_err_init(&e);
    memset(&res, 0, sizeof(res));
    if (tr_nightly_join(src, sizeof(src), n->inbox, name)) {
        n->stop_rc = TR_EIO;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "path too long: '%s'", name);
        return n->stop_rc;
    }

    /* A file we cannot even open is the file's problem (permissions), not the database's. */
    /* O_NONBLOCK: an entry swapped for a FIFO since the listing cannot hang the run */
    int fd = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC), open_errno = errno;
    if (fd < 0 && open_errno == ENOENT) {
        char esc[TR_SAFE_ESC_SIZE(TR_NIGHTLY_PATH_BUF)];
        fprintf(stderr, "tradereport nightly: '%s' left the inbox before it was read\n",
                tr_safe_escape(esc, sizeof(esc), src));
        return TR_OK;
    }
    struct tr_nightly_file *f = &n->files[n->n_files++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    if (fd < 0) {
        rc = tr_err_set(&e, TR_EINPUT, "cannot read '%s': %s", src, strerror(open_errno));
    } else {
        close(fd);
        rc = import_inbox_file(n, src, &res, &e);
        /* archived by its name: only if the name still means the file that was read */
        if (rc == TR_OK && !tr_input_same(src, &res.file))
            rc = tr_err_set(&e, TR_EINPUT,
                            "the entry in the inbox is a different file from "
                            "the one loaded (load %ld): '%s' was replaced or changed after it "
                            "was read",
                            res.load_id, src);
    }
    f->load_id = res.load_id;
    f->refused_by = res.refused_by;
    f->rows_read = res.rows_read;
    f->rows_rejected = res.rows_rejected;

    struct tr_err me;
    tr_err_init(&me);
    int mrc = TR_OK;
    if (rc == TR_OK) {
        f->outcome = res.status == TR_LOAD_ALREADY ? TR_NIGHTLY_ALREADY : TR_NIGHTLY_LOADED;
        if (f->outcome == TR_NIGHTLY_LOADED) {
            f->rows_loaded = res.rows_loaded;
            f->rows_replaced = res.rows_replaced;
            n->files_ok++;
            n->rows_loaded += res.rows_loaded;
            n->rows_rejected += res.rows_rejected;
            n->rows_replaced += res.rows_replaced;
        } else {
            n->files_already++;
        }
        mrc = archive_file(n, f, src, &me);
    } else if (rc == TR_EINPUT) {
        f->outcome = TR_NIGHTLY_QUARANTINED;
        n->files_failed++;
        n->rows_rejected += res.rows_rejected;
        describe_error(f->msg, sizeof(f->msg), &e);
        mrc = quarantine_file(n, f, src, &e, &res, &me);
    } else {
        /* the database or the system failed, not the file: leave it for the next run */
        f->outcome = TR_NIGHTLY_ERROR;
        describe_error(f->msg, sizeof(f->msg), &e);
        n->print_err(&e);
        n->stop_rc = rc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s: %s", name, f->msg);
    }
    if (mrc) {
        n->print_err(&me);
        note_not_moved(f, me.msg);
        n->stop_rc = mrc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s", me.msg);
    }
    tr_err_init(&me);
    int irc = tr_nightly_insert_file(n, f, &me);
    if (irc && !n->stop_rc) {
        n->print_err(&me);
        n->stop_rc = irc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s", me.msg);
    }
    return n->stop_rc;
}
