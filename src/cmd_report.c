/*
 * tradereport report: the briefing for one pair — DIR/A-B.xlsx and DIR/A-B.pdf. Both are
 * written under temporary names in DIR and renamed only when both are complete, so a reader
 * never sees a half-written report under its final name.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/pdf.h"
#include "tr/report.h"
#include "tr/xlsx.h"

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

static int parse_pair(const char *s, char a[8], char b[8])
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return -1;
    return parse_code(s, (size_t)(colon - s), a) || parse_code(colon + 1, strlen(colon + 1), b);
}

static int parse_year(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1900 || v > 2155)
        return -1;
    *out = (int)v;
    return 0;
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

static int write_reports(const struct tr_report *r, const char *dir, struct tr_err *e)
{
    char xlsx[4200], pdf[4200], xlsx_tmp[4300], pdf_tmp[4300];
    snprintf(xlsx, sizeof(xlsx), "%s/%s-%s.xlsx", dir, r->a, r->b);
    snprintf(pdf, sizeof(pdf), "%s/%s-%s.pdf", dir, r->a, r->b);
    snprintf(xlsx_tmp, sizeof(xlsx_tmp), "%s/.%s-%s.xlsx.tmp-%ld", dir, r->a, r->b,
             (long)getpid());
    snprintf(pdf_tmp, sizeof(pdf_tmp), "%s/.%s-%s.pdf.tmp-%ld", dir, r->a, r->b,
             (long)getpid());
    int rc = tr_xlsx_write(r, xlsx_tmp, e);
    if (!rc)
        rc = tr_pdf_write(r, pdf_tmp, e);
    if (!rc && rename(xlsx_tmp, xlsx) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", xlsx, strerror(errno));
    if (!rc && rename(pdf_tmp, pdf) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", pdf, strerror(errno));
    if (rc) {
        unlink(xlsx_tmp);
        unlink(pdf_tmp);
        return rc;
    }
    printf("%s\n%s\n", xlsx, pdf);
    return TR_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"pair", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
        {"source", required_argument, NULL, 's'}, {"out", required_argument, NULL, 'o'},
        {0, 0, 0, 0},
    };
    const char *db_path = NULL, *source = NULL, *out = "reports";
    char a[8] = "", b[8] = "";
    int from = 0, to = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'p':
            if (parse_pair(optarg, a, b)) {
                fprintf(stderr, "tradereport report: --pair wants A:B with ISO3 codes, e.g. "
                        "RUS:IRN; got '%s'\n", optarg);
                return tr_cmd_usage(&tr_cmd_report);
            }
            break;
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
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_READ, &e);
    if (rc) {
        tr_cmd_print_err("report", &e);
        return rc;
    }
    rc = tr_report_load(d.db, a, b, from, to, source, &r, &e);
    tr_db_close(&d);
    if (!rc)
        rc = ensure_dir(out, &e);
    if (!rc)
        rc = write_reports(&r, out, &e);
    if (rc)
        tr_cmd_print_err("report", &e);
    tr_report_release(&r);
    return rc;
}

const struct tr_cmd tr_cmd_report = {
    .name = "report",
    .usage = "[--db FILE] --pair A:B [--from YEAR] [--to YEAR] [--source S] [--out DIR]",
    .summary = "write the briefing for a pair: DIR/A-B.xlsx and DIR/A-B.pdf",
    .help = "Writes DIR/A-B.xlsx (Summary, Bilateral with a native line chart, Sources,\n"
            "Definitions) and DIR/A-B.pdf (cover, key figures, turnover chart) for the pair of\n"
            "ISO3 codes A:B. --out defaults to 'reports' (created if missing). --source picks\n"
            "the data source (baci, comtrade, wits); without it, the source with the most\n"
            "years for the pair. Both files are written to temporary names and renamed.\n"
            "No data for the pair in the range: exit 1, no files. Output not writable: exit 5.\n",
    .run = run,
};
