/*
 * tradereport claims: the headline-claim check (v_claim_check) as a readable table — one block
 * per claim with every definition tried — or as CSV with --csv for spreadsheets.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/snapshot.h"
#include "tr/textout.h"

static const char SQL[] =
    "SELECT claim_id, paraphrase, article, definition, coalesce(source, ''), computed_value, "
    "stated_value, unit, diff_pct, verdict, is_closest, coalesce(note, '') "
    "FROM v_claim_check ORDER BY claim_id, is_closest DESC, source, definition";

/* $3.30 bn, $972.0 m, 82.1% */
static void format_value(sqlite3_stmt *st, int col, const char *unit, char *buf, size_t n)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        snprintf(buf, n, "-");
        return;
    }
    double v = sqlite3_column_double(st, col);
    if (unit && strcmp(unit, "pct") == 0)
        snprintf(buf, n, "%+.1f%%", v);
    else if (fabs(v) >= 1e9)
        snprintf(buf, n, "$%.2f bn", v / 1e9);
    else if (fabs(v) >= 1e6)
        snprintf(buf, n, "$%.1f m", v / 1e6);
    else
        snprintf(buf, n, "$%.0f", v);
}

/* A spreadsheet runs a cell that begins with '=', '+', '-' or '@' as a formula, and claims
 * come from users' files: text cells get a leading apostrophe (tr_text_put_csv), numbers are
 * written as they are so that a negative difference stays a number. */
static int print_csv(sqlite3_stmt *st)
{
    static const char *const names[] = {"claim_id", "paraphrase", "article", "definition",
                                        "source", "computed_value", "stated_value", "unit",
                                        "diff_pct", "verdict", "is_closest", "note"};
    for (int i = 0; i < 12; i++) {
        tr_text_put_csv(stdout, names[i], 0);
        fputs(i == 11 ? "\r\n" : ",", stdout);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int i = 0; i < 12; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            tr_text_put_csv(stdout, t ? (const char *)t : "",
                            sqlite3_column_type(st, i) == SQLITE_TEXT);
            fputs(i == 11 ? "\r\n" : ",", stdout);
        }
    return rc;
}

/* A text column made safe for the terminal (tr_text_escape); NULL is "". */
static const char *esc(sqlite3_stmt *st, int col, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    tr_text_escape(t ? (const char *)t : "", buf, n);
    return buf;
}

static int print_table(sqlite3_stmt *st)
{
    int rc, last = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        const char *unit = (const char *)sqlite3_column_text(st, 7);
        if (id != last) {
            char stated[32];
            format_value(st, 6, unit, stated, sizeof(stated));
            printf("%sClaim %d: ", last < 0 ? "" : "\n", id);
            tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 1));
            fputs("\n  Source: ", stdout);
            tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 2));
            printf("\n  Stated: %s\n", stated);
            printf("  %-62s %-9s %14s %9s  %s\n", "definition", "source", "computed", "diff",
                   "verdict");
            last = id;
        }
        char computed[32], diff[32] = "-", def[256], src[64], verdict[64];
        format_value(st, 5, unit, computed, sizeof(computed));
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            snprintf(diff, sizeof(diff), "%+.1f%%", sqlite3_column_double(st, 8));
        printf("%s %-62.62s %-9s %14s %9s  %s", sqlite3_column_int(st, 10) ? "*" : " ",
               esc(st, 3, def, sizeof(def)), esc(st, 4, src, sizeof(src)), computed, diff,
               esc(st, 9, verdict, sizeof(verdict)));
        if (*sqlite3_column_text(st, 11)) {
            fputs(" - ", stdout);
            tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 11));
        }
        putchar('\n');
    }
    if (last >= 0)
        printf("\n* = the definition closest to the stated figure. diff = (stated - computed) / "
               "computed.\n");
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"csv", no_argument, NULL, 'c'},
                                         {0, 0, 0, 0}};
    const char *db_path = NULL;
    int c, csv = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_path = optarg;
        else if (c == 'c')
            csv = 1;
        else
            return tr_cmd_usage(&tr_cmd_claims);
    }
    if (optind != argc)
        return tr_cmd_usage(&tr_cmd_claims);
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_claims, db_path, &d);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    struct tr_snapshot snap;   /* one SELECT is one snapshot; held for any read added later */
    int s = tr_snapshot_begin(&snap, d.db, &e) ? SQLITE_ERROR
                                               : sqlite3_prepare_v2(d.db, SQL, -1, &st, NULL);
    if (s == SQLITE_OK)
        s = csv ? print_csv(st) : print_table(st);
    if (s != SQLITE_DONE) {
        tr_err_set(&e, TR_EIO, "database: %s", sqlite3_errmsg(d.db));
        tr_cmd_print_err("claims", &e);
        rc = TR_EIO;
    }
    sqlite3_finalize(st);
    tr_snapshot_end(&snap);
    tr_db_close(&d);
    return rc;
}

const struct tr_cmd tr_cmd_claims = {
    .name = "claims",
    .usage = "[--db FILE] [--csv]",
    .summary = "check the headline claims of articles against the data",
    .help = "Prints v_claim_check: for each claim (built-in ones from articles and your own,\n"
            "imported with --format claims), every definition tried — as each side reports,\n"
            "mirror, best; turnover or one direction; for tariffs lines, HS6 codes and import\n"
            "value — with the computed value, the stated one, the difference and a verdict\n"
            "(consistent, overstated, understated, not measurable, no data). The closest\n"
            "definition is starred; control characters in text print as \\n, \\t, \\xNN.\n"
            "--csv prints RFC 4180 CSV instead, for spreadsheets: a text cell that begins\n"
            "with =, +, -, @, tab or CR gets a leading ' so it is not run as a formula;\n"
            "numbers are written as they are.\n",
    .run = run,
    .db = TR_DB_READ,
};
