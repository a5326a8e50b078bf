/*
 * The nightly import job (tradereport nightly), in src/nightly/: nightly.c runs it (lock held
 * by the caller's struct tr_db, order, refresh, reports), inbox.c lists the inbox and handles
 * each file (load, archive or quarantine), reason.c writes the quarantine's NAME.reason.txt,
 * records.c keeps nightly_run, nightly_file and nightly_change, summary_print.c prints the
 * morning summary. src/cli/cmd_nightly.c reads the arguments and opens the database.
 * Ownership: struct tr_nightly owns its names and files (tr_nightly_free); the strings of its
 * configuration (db_path, *_arg) are the caller's (argv) and outlive the run.
 */
#ifndef TR_NIGHTLY_H
#define TR_NIGHTLY_H

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>

#include "tr/db.h"
#include "tr/err.h"
#include "tr/import.h"
#include "tr/report_write.h"

#define TR_NIGHTLY_PATH_BUF 4352
#define TR_NIGHTLY_MAX_PAIRS 32

enum tr_nightly_outcome {
    TR_NIGHTLY_LOADED,
    TR_NIGHTLY_ALREADY,
    TR_NIGHTLY_QUARANTINED,
    TR_NIGHTLY_ERROR
};

struct tr_nightly_pair {
    char a[8], b[8];
    int tried, rc; /* rc: TR_OK when both files were written */
    char msg[TR_ERR_MSG];
    struct tr_report_paths paths;
};

struct tr_nightly_file { /* one inbox file the run handled */
    char name[NAME_MAX + 1];
    enum tr_nightly_outcome outcome;
    long load_id;
    long rows_read, rows_loaded, rows_rejected, rows_replaced;
    char dest[TR_NIGHTLY_PATH_BUF]; /* "" = still in the inbox */
    char msg[2 * TR_ERR_MSG + 64];  /* the import error; "not moved: ..." after it */
    int refused_by;                 /* a delivery guard refused it (TR_REFUSED_*) */
};

struct tr_nightly {
    /* configuration */
    const char *db_path;
    const char *inbox_arg, *archive_arg, *quarantine_arg, *reports_arg;
    char inbox[TR_NIGHTLY_PATH_BUF], archive[TR_NIGHTLY_PATH_BUF];
    char quarantine[TR_NIGHTLY_PATH_BUF], reports[TR_NIGHTLY_PATH_BUF];
    char day_dir[TR_NIGHTLY_PATH_BUF]; /* archive/YYYY-MM-DD */
    struct tr_nightly_pair pairs[TR_NIGHTLY_MAX_PAIRS];
    int n_pairs;
    struct tr_import_opts io;
    /* how the command shows an error that does not stop the run (the command prints) */
    void (*print_err)(const struct tr_err *e);
    /* the run */
    struct tr_db d; /* opened for writing by the caller, lock held */
    long run_id;
    char started[32], finished[32];
    char **names;                         /* inbox files to handle, sorted by name */
    size_t n_names, cap_names, n_skipped; /* n_skipped: .part/.tmp files left alone */
    struct tr_nightly_file *files;
    size_t n_files;
    long files_ok, files_already, files_failed;
    long rows_loaded, rows_rejected, rows_replaced;
    int reports_written, reports_failed;
    int stop_rc; /* the I/O or database error that stopped the run */
    char stop_msg[NAME_MAX + 2 * TR_ERR_MSG + 80];
};

/* nightly.c: the run over the database n->d; returns the job's exit code. An empty inbox
 * prints nothing and records nothing. */
int tr_nightly_run(struct tr_nightly *n);
/* Frees n and what it owns; NULL is a no-op. */
void tr_nightly_free(struct tr_nightly *n);

/* inbox.c */
/* DIR/NAME into out; -1 when it does not fit. */
int tr_nightly_join(char *out, size_t n, const char *dir, const char *name);
int tr_nightly_list_inbox(struct tr_nightly *n, struct tr_err *e);
/* TR_OK whatever became of the file (loaded, already loaded, quarantined); the I/O or
 * database error that stops the run otherwise (also in n->stop_rc). */
int tr_nightly_handle_file(struct tr_nightly *n, const char *name);

/* reason.c: NAME.reason.txt beside the quarantined file f->dest */
int tr_nightly_write_reason(struct tr_nightly *n, const struct tr_nightly_file *f,
                            const struct tr_err *why, const struct tr_import_result *res,
                            struct tr_err *e);

/* records.c: the tables nightly_run, nightly_file, nightly_change */
int tr_nightly_prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct tr_err *e);
int tr_nightly_insert_run(struct tr_nightly *n, struct tr_err *e);
int tr_nightly_insert_file(struct tr_nightly *n, const struct tr_nightly_file *f,
                           struct tr_err *e);
int tr_nightly_finish_run(struct tr_nightly *n, int exit_code, struct tr_err *e);
int tr_nightly_record_changes(struct tr_nightly *n, struct tr_err *e);
/* Every partition the run's loads brought, new or revised (?1 = run_id). */
extern const char tr_nightly_partitions_sql[];

/* summary_print.c: the morning summary on stdout */
void tr_nightly_print_summary(struct tr_nightly *n, int exit_code);

#endif
