/*
 * tradereport nightly: the unattended import job (cron, systemd). This file reads the
 * arguments, checks the inbox, opens the database for writing (the writer lock held for the
 * whole run) and hands the run to src/nightly/ (tr_nightly_run), which loads each inbox file,
 * archives or quarantines it, refreshes summaries, rewrites the reports, records the run and
 * prints the morning summary.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/nightly.h"
#include "tr/publish.h"
#include "tr/report.h"
#include "tr/signals.h"

static int parse_args(struct tr_nightly *n, const char **publish_url, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"inbox", required_argument, NULL, 'i'},
        {"archive", required_argument, NULL, 'a'},
        {"quarantine", required_argument, NULL, 'q'},
        {"reports", required_argument, NULL, 'r'},
        {"pair", required_argument, NULL, 'p'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"publish", required_argument, NULL, 'P'},
        {0, 0, 0, 0},
    };
    int c;
    char *end;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': n->db_path = optarg; break;
        case 'i': n->inbox_arg = optarg; break;
        case 'a': n->archive_arg = optarg; break;
        case 'q': n->quarantine_arg = optarg; break;
        case 'r': n->reports_arg = optarg; break;
        case 'P': *publish_url = optarg; break;
        case 'p':
            if (n->n_pairs == TR_NIGHTLY_MAX_PAIRS) {
                fprintf(stderr, "tradereport nightly: at most %d --pair options\n",
                        TR_NIGHTLY_MAX_PAIRS);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            if (tr_report_parse_pair(optarg, n->pairs[n->n_pairs].a, n->pairs[n->n_pairs].b)) {
                fprintf(stderr,
                        "tradereport nightly: --pair wants A:B with ISO3 codes, e.g. "
                        "RUS:IRN; got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            n->n_pairs++;
            break;
        case 'm':
            n->io.max_rejects = strtol(optarg, &end, 10);
            if (!*optarg || *end || n->io.max_rejects < 0) {
                fprintf(stderr, "tradereport nightly: --max-rejects wants a count, got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            break;
        default: return tr_cmd_usage(&tr_cmd_nightly);
        }
    }
    if (optind != argc || !n->inbox_arg || !*n->inbox_arg)
        return tr_cmd_usage(&tr_cmd_nightly);
    if (n->reports_arg && !n->n_pairs) {
        fprintf(stderr, "tradereport nightly: --reports needs at least one --pair\n");
        return tr_cmd_usage(&tr_cmd_nightly);
    }
    struct tr_err e;
    tr_err_init(&e);
    if (tr_db_check_path(tr_cmd_db_path(n->db_path), &e)) {
        tr_cmd_print_err("nightly", &e);
        return tr_cmd_usage(&tr_cmd_nightly);
    }
    return TR_OK;
}

static void print_err(const struct tr_err *e)
{
    tr_cmd_print_err("nightly", e);
}

/* --publish: after a successful run (an empty inbox included, so a publish a down server
 * missed is made up), the store goes to the server; its failure is the run's exit code. */
static int publish_after(struct tr_nightly *n, const char *url, int exit_code)
{
    if (!url || exit_code != TR_OK)
        return exit_code;
    struct tr_publish_opts o = {.target = url};
    struct tr_publish_result r;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_publish_run(n->d.db, &o, &r, &e);
    if (rc)
        tr_cmd_print_err("nightly", &e);
    else if (!r.up_to_date)
        fprintf(stderr, "tradereport nightly: published to %s: %ld loads sent, %ld removed\n",
                r.target, r.loads_sent, r.loads_dropped);
    return rc;
}

/* The inbox must exist before the database is opened (and the writer lock taken), so a
 * mistyped inbox creates no database. */
static int open_and_run(struct tr_nightly *n, const char *publish_url)
{
    struct stat sb;
    int serr = stat(n->inbox_arg, &sb) != 0 ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
    if (serr) {
        fprintf(stderr, "tradereport nightly: cannot open inbox '%s': %s\n", n->inbox_arg,
                strerror(serr));
        return TR_EIO;
    }
    int rc = tr_cmd_open_db(&tr_cmd_nightly, n->db_path, &n->d);
    if (rc)
        return rc;
    rc = publish_after(n, publish_url, tr_nightly_run(n));
    tr_db_close(&n->d);
    return rc;
}

static int run(int argc, char **argv)
{
    struct tr_nightly *n = calloc(1, sizeof(*n));
    if (!n) {
        fprintf(stderr, "tradereport nightly: out of memory\n");
        return TR_ENOMEM;
    }
    n->d.lock_fd = -1;
    n->io.format = "auto";
    n->io.progress = isatty(STDERR_FILENO);
    n->print_err = print_err;
    const char *publish_url = NULL;
    int rc = parse_args(n, &publish_url, argc, argv);
    if (rc == TR_OK) {
        tr_signals_install();
        rc = open_and_run(n, publish_url);
    }
    tr_nightly_free(n);
    return tr_signals_exit_code(rc);
}

const struct tr_cmd tr_cmd_nightly = {
    .name = "nightly",
    .usage = "[--db FILE] --inbox DIR [--archive DIR] [--quarantine DIR] [--reports DIR] "
             "[--pair A:B]... [--max-rejects N] [--publish URL]",
    .summary = "the import job: load the inbox, archive or quarantine each file, summarise",
    .help =
        "Takes the writer lock for the whole run (another writer: exit 4 at once, nothing\n"
        "touched) and loads each file of --inbox, in name order, like 'import' (one\n"
        "transaction per file; same bytes are 'already loaded'; a corrected file replaces\n"
        "its partitions). Files whose name starts with '.' or ends in .part or .tmp (still\n"
        "being written), subdirectories and symlinks are left alone.\n"
        "Loaded and already-loaded files move to ARCHIVE/YYYY-MM-DD/ (UTC date of the run,\n"
        "SOURCE_DATE_EPOCH honoured); a rejected file moves to QUARANTINE/ with\n"
        "NAME.reason.txt (error, line, rejected rows, first rejects). Names are never\n"
        "overwritten: a clash becomes NAME.1.csv, NAME.2.csv, ... --archive and --quarantine\n"
        "default to the directories 'archive' and 'quarantine' beside the inbox.\n"
        "Then the summary tables are refreshed and, for each --pair A:B, the briefing\n"
        "REPORTS/A-B.xlsx and .pdf is rewritten (atomically; --reports defaults to 'reports'\n"
        "beside the inbox). The run is recorded in nightly_run, nightly_file and\n"
        "nightly_change, and a summary is printed: files, rows, the new and revised\n"
        "(source, classification, period, reporter) partitions and the bilateral totals the\n"
        "revisions moved, largest first. An empty inbox prints nothing and changes nothing.\n"
        "Exit 0 when every file loaded or was already loaded; 1 when a file was quarantined\n"
        "or a pair had no data for its report; 4 busy; 5 i/o or database error (the file\n"
        "concerned stays in the inbox for the next run). See doc/nightly.md.\n"
        "--publish URL: after a run that exits 0, 'publish --to URL' (doc/postgresql.md);\n"
        "its failure is the run's exit code (4 busy, 5 server).\n",
    .run = run,
    .db = TR_DB_WRITE,
};
