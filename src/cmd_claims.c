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

static void csv_field(const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

static int print_csv(sqlite3_stmt *st)
{
    static const char *const names[] = {"claim_id", "paraphrase", "article", "definition",
                                        "source", "computed_value", "stated_value", "unit",
                                        "diff_pct", "verdict", "is_closest", "note"};
    for (int i = 0; i < 12; i++)
        csv_field(names[i], i == 11);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int i = 0; i < 12; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            csv_field(t ? (const char *)t : "", i == 11);
        }
    return rc;
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
            printf("%sClaim %d: %s\n  Source: %s\n  Stated: %s\n", last < 0 ? "" : "\n", id,
                   sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), stated);
            printf("  %-62s %-9s %14s %9s  %s\n", "definition", "source", "computed", "diff",
                   "verdict");
            last = id;
        }
        char computed[32], diff[32] = "-";
        format_value(st, 5, unit, computed, sizeof(computed));
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            snprintf(diff, sizeof(diff), "%+.1f%%", sqlite3_column_double(st, 8));
        printf("%s %-62.62s %-9s %14s %9s  %s%s%s\n", sqlite3_column_int(st, 10) ? "*" : " ",
               sqlite3_column_text(st, 3), sqlite3_column_text(st, 4), computed, diff,
               sqlite3_column_text(st, 9), *sqlite3_column_text(st, 11) ? " - " : "",
               sqlite3_column_text(st, 11));
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
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_READ, &e);
    if (rc) {
        tr_cmd_print_err("claims", &e);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    int s = sqlite3_prepare_v2(d.db, SQL, -1, &st, NULL);
    if (s == SQLITE_OK)
        s = csv ? print_csv(st) : print_table(st);
    if (s != SQLITE_DONE) {
        tr_err_set(&e, TR_EIO, "database: %s", sqlite3_errmsg(d.db));
        tr_cmd_print_err("claims", &e);
        rc = TR_EIO;
    }
    sqlite3_finalize(st);
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
            "definition is starred. --csv prints RFC 4180 CSV instead.\n",
    .run = run,
};
