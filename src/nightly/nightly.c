/*
 * The nightly import job, one run: the inbox's files in name order (inbox.c), then the
 * summaries and each --pair's briefing rewritten, the run recorded (records.c) and the
 * morning summary printed (summary_print.c). It parses no input and decides nothing about
 * revisions itself: the importer's lineage tables say what each load replaced. The caller
 * (cmd_nightly.c) reads the arguments and holds the database open for writing.
 */
#include "tr/nightly.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/filemove.h"
#include "tr/report.h"
#include "tr/safe_name.h"
#include "tr/stmt.h"
#include "tr/tmpfile.h"

/* Summary tables the views need that the importer does not keep up to date by itself, rebuilt
 * once per run after the loads. sum_trade is written in each file's own transaction
 * (import.c), so the list is empty today; a summary cheaper to rebuild nightly than per file
 * gets a step here. */
static const struct refresh_step {
    const char *name;
    int (*run)(sqlite3 *db, struct tr_err *e);
} REFRESH_STEPS[] = {
    {NULL, NULL},
};

static int refresh_summaries(sqlite3 *db, struct tr_err *e)
{
    if (!REFRESH_STEPS[0].run)
        return TR_OK;
    int rc = tr_stmt_script(db, "BEGIN IMMEDIATE", e);
    for (size_t i = 0; !rc && REFRESH_STEPS[i].run; i++)
        rc = REFRESH_STEPS[i].run(db, e);
    if (rc) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return tr_stmt_script(db, "COMMIT", e);
}

static int check_country(sqlite3 *db, const char *iso3, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(db, &st, "SELECT 1 FROM dim_country WHERE iso3 = ?", e);
    if (rc)
        return rc;
    if (tr_stmt_bind_text(st, 1, iso3))
        return tr_stmt_bind_failed(st, e);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return tr_err_set(e, TR_EUSAGE,
                          "--pair: unknown country code '%s' (use ISO3 codes "
                          "such as RUS, IRN)",
                          iso3);
    return s == SQLITE_ROW ? TR_OK
                           : tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(db));
}

/* Rewrites each pair's briefing; returns the worst outcome (TR_EFAIL: a pair without data). */
static int write_reports(struct tr_nightly *n)
{
    int worst = TR_OK;
    for (int i = 0; i < n->n_pairs; i++) {
        struct tr_nightly_pair *p = &n->pairs[i];
        struct tr_report r;
        struct tr_err e;
        memset(&r, 0, sizeof(r));
        tr_err_init(&e);
        p->tried = 1;
        p->rc = tr_report_load(n->d.db, p->a, p->b, 0, 0, NULL, &r, &e);
        if (!p->rc)
            p->rc = tr_report_write(&r, n->reports, &p->paths, &e);
        tr_report_release(&r);
        if (p->rc) {
            n->reports_failed++;
            snprintf(p->msg, sizeof(p->msg), "%s", e.msg);
            char em[TR_SAFE_ESC_SIZE(TR_ERR_MSG)];
            fprintf(stderr, "tradereport nightly: report %s:%s: %s\n", p->a, p->b,
                    tr_safe_escape(em, sizeof(em), e.msg));
            if (p->rc > worst)
                worst = p->rc;
        } else {
            n->reports_written++;
        }
    }
    return worst;
}

/* ARCHIVE, QUARANTINE and REPORTS default to siblings of the inbox. */
static int resolve_dirs(struct tr_nightly *n, struct tr_err *e)
{
    char real[PATH_MAX], parent[TR_NIGHTLY_PATH_BUF];
    if (!realpath(n->inbox_arg, real))
        return tr_err_set(e, TR_EIO, "cannot open inbox '%s': %s", n->inbox_arg, strerror(errno));
    snprintf(n->inbox, sizeof(n->inbox), "%s", real);
    snprintf(parent, sizeof(parent), "%s", real);
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        parent[1] = '\0'; /* the inbox is a top-level directory: siblings under / */
    else if (slash)
        *slash = '\0';
    const char *root = strcmp(parent, "/") == 0 ? "" : parent;
    const struct {
        const char *arg, *name;
        char *out;
    } dirs[] = {
        {n->archive_arg, "archive", n->archive},
        {n->quarantine_arg, "quarantine", n->quarantine},
        {n->reports_arg, "reports", n->reports},
    };
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        return tr_err_set(e, TR_EIO, "cannot tell the current directory: %s", strerror(errno));
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        /* absolute, so the records and the reason files' mv lines work from anywhere */
        const char *arg = dirs[i].arg;
        const int size = TR_NIGHTLY_PATH_BUF;
        int w = !arg          ? snprintf(dirs[i].out, size, "%s/%s", root, dirs[i].name)
                : *arg == '/' ? snprintf(dirs[i].out, size, "%s", arg)
                              : snprintf(dirs[i].out, size, "%s/%s", cwd, arg);
        if (w < 0 || w >= size)
            return tr_err_set(e, TR_EIO, "path too long for the %s directory", dirs[i].name);
    }
    return TR_OK;
}

static int worst_of(int a, int b)
{
    return a > b ? a : b;
}

/* Before the first file: the pairs' countries known, the folders, the inbox's files, the
 * run's row. *empty: nothing to do (an empty inbox prints nothing, records nothing). */
static int run_begin(struct tr_nightly *n, int *empty, struct tr_err *e)
{
    int rc = TR_OK;
    for (int i = 0; i < n->n_pairs && !rc; i++)
        if (!(rc = check_country(n->d.db, n->pairs[i].a, e)))
            rc = check_country(n->d.db, n->pairs[i].b, e);
    if (rc || (rc = resolve_dirs(n, e)) || (rc = tr_nightly_list_inbox(n, e)))
        return rc;
    if ((*empty = n->n_names == 0))
        return TR_OK;
    if ((rc = tr_filemove_mkdir_p(n->archive, e)) || (rc = tr_filemove_mkdir_p(n->quarantine, e)))
        return rc;
    if (!(n->files = calloc(n->n_names, sizeof(*n->files))))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    tr_now_iso(n->started);
    char day[11];
    snprintf(day, sizeof(day), "%.10s", n->started);
    if (tr_nightly_join(n->day_dir, sizeof(n->day_dir), n->archive, day))
        return tr_err_set(e, TR_EIO, "path too long: '%s'", n->archive);
    /* temporaries a killed run left (reason files, cross-filesystem copies) */
    tr_tmp_sweep(n->quarantine);
    tr_tmp_sweep(n->day_dir);
    return tr_nightly_insert_run(n, e);
}

/* After the files: summaries and reports (unless the run stopped), the changes, the run's
 * row completed, the summary printed; returns the run's exit code. */
static int run_end(struct tr_nightly *n)
{
    struct tr_err e;
    int rc, exit_code = n->stop_rc;
    tr_err_init(&e);
    if (n->files_failed)
        exit_code = worst_of(exit_code, TR_EFAIL);
    if (!n->stop_rc) {
        if ((rc = refresh_summaries(n->d.db, &e))) {
            n->print_err(&e);
            n->stop_rc = rc;
            snprintf(n->stop_msg, sizeof(n->stop_msg), "refreshing summaries: %s", e.msg);
            exit_code = worst_of(exit_code, rc);
        } else if (n->n_pairs) {
            exit_code = worst_of(exit_code, write_reports(n));
        }
    }
    tr_err_init(&e);
    if ((rc = tr_nightly_record_changes(n, &e))) {
        n->print_err(&e);
        exit_code = worst_of(exit_code, rc);
    }
    tr_now_iso(n->finished);
    tr_err_init(&e);
    if ((rc = tr_nightly_finish_run(n, exit_code, &e))) {
        n->print_err(&e);
        exit_code = worst_of(exit_code, rc);
    }
    tr_nightly_print_summary(n, exit_code);
    fflush(stdout);
    return exit_code;
}

int tr_nightly_run(struct tr_nightly *n)
{
    struct tr_err e;
    int empty = 0;
    tr_err_init(&e);
    int rc = run_begin(n, &empty, &e);
    if (rc) {
        n->print_err(&e);
        return rc;
    }
    if (empty)
        return TR_OK;
    for (size_t i = 0; i < n->n_names; i++)
        if (tr_nightly_handle_file(n, n->names[i]))
            break;
    return run_end(n);
}

void tr_nightly_free(struct tr_nightly *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_names; i++)
        free(n->names[i]);
    free(n->names);
    free(n->files);
    free(n);
}
