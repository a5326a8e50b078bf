/*
 * tradereport import: load files, each in its own transaction. Prints one line per file;
 * the exit code is the worst outcome over all files (3 when any file was rejected).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/import.h"
#include "tr/import_baci.h"
#include "tr/import_archive.h"
#include "tr/input.h"
#include "tr/signals.h"

static int parse_max_rejects(const char *s, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0)
        return -1;
    *out = v;
    return 0;
}

/* "4G", "512M", "100k" or plain bytes: a size for --max-uncompressed. */
static int parse_size(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    int shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10, end++;
    else if (*end == 'm' || *end == 'M')
        shift = 20, end++;
    else if (*end == 'g' || *end == 'G')
        shift = 30, end++;
    if (*s == '\0' || *end != '\0' || v <= 0 || v > (LLONG_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

static int parse_ratio(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !(v >= 1) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

static void report_result(const char *path, const struct tr_import_result *r)
{
    switch (r->status) {
    case TR_LOAD_ALREADY:
        printf("%s: already loaded as load %ld, nothing changed\n", path, r->load_id);
        break;
    case TR_LOAD_COMMITTED:
        printf("%s: load %ld (%s): %ld rows read, %ld loaded, %ld rejected", path, r->load_id,
               r->format, r->rows_read, r->rows_loaded, r->rows_rejected);
        if (r->rows_replaced)
            printf(", replaced %ld earlier rows", r->rows_replaced);
        if (r->sorted_first)
            printf("; far from key order: sorted before inserting");
        printf("\n");
        break;
    case TR_LOAD_FAILED: break;
    }
}

/* --timings: where a committed load's time went, in seconds (tr_import_timings). */
static void report_timings(const char *path, const struct tr_import_result *r, int member)
{
    const struct tr_import_timings *t = &r->time;
    double all = t->unpack + t->rows + t->finish + t->sums + t->summaries + t->lineage +
                 t->commit;
    printf("%s: time %.2f s:", path, all);
    if (member)
        printf(" unpack %.2f,", t->unpack);
    printf(" rows %.2f (sums over partners %.2f of it), finish %.2f, sums %.2f, "
           "summaries %.2f, lineage %.2f, commit %.2f\n",
           t->rows, t->partner_sums, t->finish, t->sums, t->summaries, t->lineage, t->commit);
}

struct member_printer {
    int quiet, timings;
};

/* One line per archive member, as for a loose file; failures on stderr. */
static void report_member(void *ctx, const char *label, enum tr_member_outcome outcome,
                          const struct tr_import_result *res, const struct tr_err *e)
{
    const struct member_printer *p = ctx;
    if (outcome == TR_MEMBER_SKIPPED) {
        if (!p->quiet)
            printf("%s: skipped, not a data file\n", label);
        return;
    }
    if (outcome == TR_MEMBER_LOADED) {
        if (!p->quiet)
            report_result(label, res);
        if (p->timings && res->status == TR_LOAD_COMMITTED)
            report_timings(label, res, 1);
        return;
    }
    tr_cmd_print_err("import", e);
    for (long k = 0; res && k < res->rejects_shown; k++)
        fprintf(stderr, "  %s\n", res->first_rejects[k]);
    if (res && res->load_id)
        fprintf(stderr,
                "  nothing of it committed; failed load %ld recorded "
                "(tradereport loads --rejects %ld)\n",
                res->load_id, res->load_id);
}

/* One file or archive; archives report their members as they go. */
static int import_one(sqlite3 *db, const char *path, const struct tr_import_opts *io,
                      const struct tr_archive_limits *lim, int quiet,
                      struct tr_import_result *res, struct tr_err *e)
{
    if (!tr_archive_kind(path))
        return tr_import_file(db, path, io, res, e);
    struct member_printer p = {quiet, io->timings};
    return tr_import_archive(db, path, io, lim, report_member, &p, res, e);
}

/* What the command line says. */
struct import_args {
    const char *db_path;
    struct tr_import_opts io;
    struct tr_archive_limits lim;
    int quiet;
};

/* Reads the options into *a; TR_OK, or the usage error after saying what was wrong. */
static int parse_args(int argc, char **argv, struct import_args *a)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"allow-older-release", no_argument, NULL, 'o'},
        {"accept-shrink", no_argument, NULL, 's'},
        {"hs-revision", required_argument, NULL, 'r'},
        {"year", required_argument, NULL, 'y'},
        {"release", required_argument, NULL, 'R'},
        {"max-uncompressed", required_argument, NULL, 'u'},
        {"max-ratio", required_argument, NULL, 'x'},
        {"timings", no_argument, NULL, 't'},
        {0, 0, 0, 0},
    };
    int c;
    long year;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db_path = optarg; break;
        case 'f':
            if (strcmp(optarg, "auto") != 0 && !tr_format_find(optarg)) {
                fprintf(stderr,
                        "tradereport import: unknown format '%s' for --format; "
                        "formats: auto",
                        optarg);
                for (size_t k = 0; tr_formats[k]; k++)
                    fprintf(stderr, ", %s", tr_formats[k]->name);
                fprintf(stderr, "\n");
                return tr_cmd_usage(&tr_cmd_import);
            }
            a->io.format = optarg;
            break;
        case 'm':
            if (parse_max_rejects(optarg, &a->io.max_rejects)) {
                fprintf(stderr, "tradereport import: --max-rejects wants a count, got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_import);
            }
            break;
        case 'q': a->quiet = 1; break;
        case 't': a->io.timings = 1; break;
        case 'o': a->io.allow_older_release = 1; break;
        case 's': a->io.accept_shrink = 1; break;
        case 'r': a->io.hs_revision = optarg; break;
        case 'y':
            if (parse_max_rejects(optarg, &year) || year < 1 || year > 9999) {
                fprintf(stderr, "tradereport import: --year wants a year, got '%s'\n", optarg);
                return tr_cmd_usage(&tr_cmd_import);
            }
            a->io.year = (int)year;
            break;
        case 'R': a->io.release = optarg; break;
        case 'u':
            if (parse_size(optarg, &a->lim.max_member)) {
                fprintf(stderr,
                        "tradereport import: --max-uncompressed wants a size such as "
                        "8G, got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_import);
            }
            break;
        case 'x':
            if (parse_ratio(optarg, &a->lim.max_ratio)) {
                fprintf(stderr,
                        "tradereport import: --max-ratio wants a number of at least 1, "
                        "got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_import);
            }
            break;
        default: return tr_cmd_usage(&tr_cmd_import);
        }
    }
    if (optind >= argc)
        return tr_cmd_usage(&tr_cmd_import);
    a->io.progress = isatty(STDERR_FILENO) && !a->quiet;
    return TR_OK;
}

/* Before the writer lock: BACI options that are malformed or contradict a file's name stop
 * everything (their code returned); a FIFO, device or directory is refused alone (refused[i],
 * *worst = TR_EINPUT), since it could block or never end while holding the lock. *pending
 * counts the files left to import. */
static int check_inputs(int argc, char **argv, const struct tr_import_opts *io, char *refused,
                        int *pending, int *worst)
{
    struct tr_err e;
    tr_err_init(&e);
    int bad = tr_baci_options_check(io, &e);
    for (int i = optind; i < argc && !bad; i++)
        bad = tr_baci_name_check(argv[i], io, &e);
    if (bad) {
        tr_cmd_print_err("import", &e);
        return bad;
    }
    for (int i = optind; i < argc; i++) {
        tr_err_init(&e);
        if (tr_input_check(argv[i], &e) == TR_OK) {
            (*pending)++;
            continue;
        }
        tr_cmd_print_err("import", &e);
        refused[i] = 1;
        *worst = TR_EINPUT;
    }
    return TR_OK;
}

/* What a failed file says on stderr: the error, its first rejects, its failed load. */
static void report_failure(const struct tr_import_result *res, const struct tr_err *e)
{
    tr_cmd_print_err("import", e);
    for (long k = 0; k < res->rejects_shown; k++)
        fprintf(stderr, "  %s\n", res->first_rejects[k]);
    if (res->status == TR_LOAD_FAILED && res->load_id)
        fprintf(stderr,
                "  nothing committed; failed load %ld recorded "
                "(tradereport loads --rejects %ld)\n",
                res->load_id, res->load_id);
}

/* Each file not refused, in order; a rejected file does not stop the others, a database or
 * system error (or a signal) does. Returns the worst outcome, starting from worst. */
static int import_files(sqlite3 *db, int argc, char **argv, const struct import_args *a,
                        const char *refused, int worst)
{
    struct tr_err e;
    for (int i = optind; i < argc; i++) {
        struct tr_import_result res;
        if (refused[i])
            continue;
        tr_err_init(&e);
        int rc = import_one(db, argv[i], &a->io, &a->lim, a->quiet, &res, &e);
        if (tr_archive_kind(argv[i]) && (rc == TR_OK || rc == TR_EINPUT)) {
            if (rc && worst == TR_OK) /* every member has said what became of it */
                worst = rc;
            continue;
        }
        if (rc == TR_OK) {
            if (!a->quiet)
                report_result(argv[i], &res);
            if (a->io.timings && res.status == TR_LOAD_COMMITTED)
                report_timings(argv[i], &res, 0);
            continue;
        }
        report_failure(&res, &e);
        if (rc == TR_EINPUT) {
            if (worst == TR_OK)
                worst = rc;
            continue; /* the other files are independent */
        }
        return rc; /* a database or system error, or a signal: stop */
    }
    return worst;
}

static int run(int argc, char **argv)
{
    struct import_args a = {
        .io = {.format = "auto", .max_rejects = 0},
        .lim = {TR_ARCHIVE_MAX_MEMBER, TR_ARCHIVE_MAX_RATIO},
    };
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    int worst = TR_OK, pending = 0;
    char *refused = calloc((size_t)argc, 1);
    if (!refused)
        return TR_ENOMEM;
    rc = check_inputs(argc, argv, &a.io, refused, &pending, &worst);
    if (rc || !pending) {
        free(refused);
        return rc ? rc : worst;
    }
    tr_signals_install();
    struct tr_db d;
    if ((rc = tr_cmd_open_db(&tr_cmd_import, a.db_path, &d))) {
        free(refused);
        return rc;
    }
    worst = import_files(d.db, argc, argv, &a, refused, worst);
    tr_db_close(&d);
    free(refused);
    return tr_signals_exit_code(worst);
}

const struct tr_cmd tr_cmd_import = {
    .name = "import",
    .usage = "[--db FILE] [--format auto|FORMAT] [--max-rejects N] [--allow-older-release]\n"
             "                          [--accept-shrink] [--max-uncompressed SIZE]\n"
             "                          [--max-ratio N] [--quiet] [--timings]\n"
             "                          [--hs-revision HS --year YYYY --release VERSION] FILE...",
    .summary = "load trade, tariff, code and claims files (one transaction per file)",
    .help =
        "Loads each FILE in its own transaction, with a load_log lineage row (sha256, rows\n"
        "read/loaded/rejected). --format auto (the default) recognises the format from the\n"
        "header and the file name. Formats: comtrade (Comtrade Plus), comtrade-legacy,\n"
        "baci, baci-countries, baci-products, wits-trade, wits-tariff, claims.\n"
        "A file whose bytes were loaded before is skipped ('already loaded'). A file replaces\n"
        "only what it brings: a BACI year file the whole year of its HS revision; an extract\n"
        "(Comtrade, WITS trade) the (reporter, partner, flow, period, revision, product level)\n"
        "combinations it contains. The replaced rows are kept: 'tradereport unload LOAD_ID'\n"
        "puts them back. A file of an older release than the rows it would replace is refused\n"
        "(exit 3) unless --allow-older-release; a replacement that would remove more than 20%\n"
        "of the rows or US$ of what it replaces is refused (exit 3) unless --accept-shrink.\n"
        "Rows that cannot be read are rejected with their line and reason; more than\n"
        "--max-rejects N (default 0) rejected rows, or a structural error, fail the file:\n"
        "nothing is committed, the failure and its rejects are kept (tradereport loads).\n"
        "A FIFO, device or directory is refused (exit 3) before the database is opened.\n"
        "A BACI trade file must be named as CEPII names it (BACI_HS17_Y2021_V202401b.csv):\n"
        "for a renamed one, --hs-revision H5 (or HS17), --year 2021 and --release V202401b\n"
        "say what the name did; all three are needed, and an option that contradicts a\n"
        "file's name is refused (exit 2) before anything is read.\n"
        "FILE.zip and FILE.gz are read as a stream, never unpacked to disk: each member is\n"
        "recognised like a loose file and loaded in its own transaction, code lists first;\n"
        "a readme or PDF is skipped. A damaged or bad member fails alone (exit 3,\n"
        "ARCHIVE:MEMBER:LINE). Bomb guards: a member above --max-uncompressed SIZE (default\n"
        "4G; k, M, G) or unpacking above --max-ratio N bytes per compressed byte (default\n"
        "200) is refused, as is a member name with '..', an absolute path or a control\n"
        "character.\n"
        "--timings prints, for each committed load, where its time went in seconds: unpack\n"
        "(an archive member), rows (read, parse, insert; the sums over partners counted in\n"
        "it), finish, sums, summaries, lineage, commit.\n",
    .run = run,
    .db = TR_DB_WRITE,
};
