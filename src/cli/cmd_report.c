/*
 * tradereport report: the briefing for one pair — DIR/A-B.xlsx and DIR/A-B.pdf. Both are
 * written under temporary names in DIR and renamed only when both are complete, so a reader
 * never sees a half-written report under its final name.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/report.h"
#include "tr/report_write.h"

static int parse_year(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1900 || v > 2155)
        return -1;
    *out = (int)v;
    return 0;
}

/* Zero trade is a finding, not missing data: the report is written, and this says so, since
 * a briefing of zeros otherwise looks like a failed one. */
static void note_zero_trade(const struct tr_report *r)
{
    for (size_t i = 0; i < r->n_years; i++)
        if (!(r->years[i].turnover_best == 0)) /* NAN counts as not zero */
            return;
    char years[16];
    if (r->from_year == r->to_year)
        snprintf(years, sizeof(years), "%d", r->from_year);
    else
        snprintf(years, sizeof(years), "%d-%d", r->from_year, r->to_year);
    if (r->n_years)
        fprintf(stderr,
                "tradereport report: note: the %s files record zero trade between %s "
                "and %s in %s (figures of 0, not missing data)\n",
                r->source, r->a, r->b, years);
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"pair", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"source", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {0, 0, 0, 0},
    };
    const char *db_path = NULL, *source = NULL, *out = "reports";
    char a[8] = "", b[8] = "";
    int from = 0, to = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'p': {
            int bad = tr_report_parse_pair(optarg, a, b);
            if (bad == -2)
                fprintf(stderr,
                        "tradereport report: --pair '%s' names one country twice; give "
                        "two, e.g. RUS:IRN\n",
                        optarg);
            else if (bad)
                fprintf(stderr,
                        "tradereport report: --pair wants A:B with ISO3 codes, e.g. "
                        "RUS:IRN; got '%s'\n",
                        optarg);
            if (bad)
                return tr_cmd_usage(&tr_cmd_report);
            break;
        }
        case 'f':
        case 't':
            if (parse_year(optarg, c == 'f' ? &from : &to)) {
                fprintf(stderr, "tradereport report: --%s wants a year, got '%s'\n",
                        c == 'f' ? "from" : "to", optarg);
                return tr_cmd_usage(&tr_cmd_report);
            }
            break;
        case 's': source = optarg; break;
        case 'o': out = optarg; break;
        default: return tr_cmd_usage(&tr_cmd_report);
        }
    }
    if (optind != argc || !a[0])
        return tr_cmd_usage(&tr_cmd_report);
    if (from && to && from > to) {
        fprintf(stderr, "tradereport report: --from %d is after --to %d\n", from, to);
        return TR_EUSAGE;
    }
    struct tr_db d;
    struct tr_err e;
    struct tr_report r;
    memset(&r, 0, sizeof(r));
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_report, db_path, &d);
    if (rc)
        return rc;
    rc = tr_report_load(d.db, a, b, from, to, source, &r, &e);
    tr_db_close(&d);
    struct tr_report_paths paths;
    if (!rc)
        rc = tr_report_write(&r, out, &paths, &e);
    if (!rc) {
        printf("%s\n%s\n", paths.xlsx, paths.pdf);
        note_zero_trade(&r);
    }
    if (rc)
        tr_cmd_print_err("report", &e);
    tr_report_release(&r);
    return rc;
}

const struct tr_cmd tr_cmd_report = {
    .name = "report",
    .usage = "[--db FILE] --pair A:B [--from YEAR] [--to YEAR] [--source S] [--out DIR]",
    .summary = "write the briefing for a pair: DIR/A-B.xlsx and DIR/A-B.pdf",
    .help = "Writes DIR/A-B.xlsx and DIR/A-B.pdf for the pair of ISO3 codes A:B.\n"
            "Workbook: Summary (key figures, claim verdicts), Bilateral (both declarations,\n"
            "best figure, growth; line chart), Monthly (when present), Mirror, Composition (HS\n"
            "sections; column charts), Baskets (CHPL), Claims, Sources (every file loaded:\n"
            "name, sha256, release, rows, load time) and Definitions (every column).\n"
            "PDF (A4): cover, key figures and claim checks, turnover with the claims marked,\n"
            "composition, mirror gap, CHPL tiers, monthly trade; page numbers; fonts embedded.\n"
            "--out defaults to 'reports' (created if missing). --source picks the data source\n"
            "(baci, comtrade, wits, in any case; another name: exit 2); without it, the source\n"
            "with the most years for the pair.\n"
            "Both files are written to temporary names and renamed. No data for the pair (from\n"
            "the source, in the range): exit 1, no files, and the message says which sources\n"
            "and years the pair has, where a reporter gives World totals only, and which\n"
            "--source to try. A pair whose files record zero trade is data: it gets a report.\n"
            "Output not writable: exit 5.\n",
    .run = run,
    .db = TR_DB_READ,
};
