/*
 * tradereport claims: the headline-claim check (v_claim_check) as a readable table — one block
 * per claim with every definition tried — or as CSV with --csv for spreadsheets.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr/briefing.h"
#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/fmt.h"
#include "tr/report_write.h"
#include "tr/snapshot.h"
#include "tr/textout.h"

#define COLUMNS                                                                \
    "SELECT claim_id, paraphrase, article, definition, coalesce(source, ''), " \
    "computed_value, stated_value, unit, diff_pct, verdict, is_closest, "      \
    "coalesce(note, ''), metric FROM v_claim_check "
#define ORDER "ORDER BY claim_id, is_closest DESC, source, definition"
static const char SQL_ALL[] = COLUMNS ORDER;
/* --pair: the claims the pair's briefing shows (tr/report.h) */
static const char SQL_PAIR[] = TR_REPORT_CLAIMS_ABOUT_CTE
    " " COLUMNS "WHERE claim_id IN (SELECT claim_id FROM about) " ORDER;

/* The claim's unit as the briefing decides it: its own, else what its metric measures. */
static enum tr_claim_unit row_unit(sqlite3_stmt *st)
{
    struct tr_claim_row c = {.unit = (char *)sqlite3_column_text(st, 7),
                             .metric = (char *)sqlite3_column_text(st, 12)};
    return tr_briefing_claim_unit(&c);
}

static double col_or_nan(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* "$3.07bn", "81.7%": the briefing's formatter, so both say the same */
static void format_value(sqlite3_stmt *st, int col, enum tr_claim_unit u, char *buf, size_t n)
{
    double v = col_or_nan(st, col);
    if (u == TR_UNIT_PCT)
        tr_fmt_pct(v, buf, n);
    else if (u == TR_UNIT_USD)
        tr_fmt_money(v, buf, n);
    else
        tr_fmt_scaled(v, buf, n);
    if (isnan(v))
        snprintf(buf, n, "-"); /* the columns line up in bytes: no en dash here */
}

/* stated against computed: percentage points for a percentage, else % of the computed figure */
static void format_diff(sqlite3_stmt *st, enum tr_claim_unit u, char *buf, size_t n)
{
    double d = u == TR_UNIT_PCT ? col_or_nan(st, 6) - col_or_nan(st, 5) : col_or_nan(st, 8);
    if (isnan(d))
        snprintf(buf, n, "-");
    else if (u == TR_UNIT_PCT)
        tr_fmt_pp(d, buf, n);
    else
        tr_fmt_change(d, buf, n);
}

/* Prints text in lines of at most width bytes, broken at spaces; lines after the first are
 * indented by indent spaces. */
static void put_wrapped(const char *text, size_t width, size_t indent)
{
    size_t len = strlen(text), at = 0, line = 0;
    while (at < len) {
        size_t take = len - at;
        if (take > width) {
            take = width;
            while (take > 0 && text[at + take] != ' ')
                take--;
            if (take == 0)
                take = width; /* one word longer than the line */
        }
        if (line++)
            printf("\n%*s", (int)indent, "");
        fwrite(text + at, 1, take, stdout);
        at += take;
        while (at < len && text[at] == ' ')
            at++;
    }
}

/* A spreadsheet runs a cell that begins with '=', '+', '-' or '@' as a formula, and claims
 * come from users' files: text cells get a leading apostrophe (tr_text_put_csv), numbers are
 * written as they are so that a negative difference stays a number. */
static int print_csv(sqlite3_stmt *st)
{
    static const char *const names[] = {"claim_id",     "paraphrase", "article",
                                        "definition",   "source",     "computed_value",
                                        "stated_value", "unit",       "diff_pct",
                                        "verdict",      "is_closest", "note"};
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

/* One definition tried: the definition wrapped to 58 columns, the figures on its first line. */
static void print_definition(sqlite3_stmt *st, enum tr_claim_unit u)
{
    char computed[32], diff[32], def[1024], src[64], verdict[64];
    format_value(st, 5, u, computed, sizeof(computed));
    format_diff(st, u, diff, sizeof(diff));
    esc(st, 3, def, sizeof(def));
    size_t first = strlen(def) <= 58 ? strlen(def) : 58;
    while (first < strlen(def) && first > 0 && def[first] != ' ')
        first--;
    if (first == 0)
        first = strlen(def) < 58 ? strlen(def) : 58;
    printf("%s %-58.*s %-9s %10s %10s  %s", sqlite3_column_int(st, 10) ? "*" : " ", (int)first,
           def, esc(st, 4, src, sizeof(src)), computed, diff,
           esc(st, 9, verdict, sizeof(verdict)));
    if (*sqlite3_column_text(st, 11)) {
        fputs(" - ", stdout);
        tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 11));
    }
    const char *rest = def + first;
    while (*rest == ' ')
        rest++;
    if (*rest) {
        printf("\n    ");
        put_wrapped(rest, 56, 4);
    }
    putchar('\n');
}

static int print_table(sqlite3_stmt *st)
{
    int rc, last = -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        enum tr_claim_unit u = row_unit(st);
        if (id != last) {
            char stated[32];
            format_value(st, 6, u, stated, sizeof(stated));
            printf("%sClaim %d: ", last < 0 ? "" : "\n", id);
            tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 1));
            fputs("\n  Source: ", stdout);
            tr_text_put_escaped(stdout, (const char *)sqlite3_column_text(st, 2));
            printf("\n  Stated: %s\n", stated);
            printf("  %-58s %-9s %10s %10s  %s\n", "definition", "source", "computed", "diff",
                   "verdict");
            last = id;
        }
        print_definition(st, u);
    }
    if (last >= 0)
        printf("\n* = the definition closest to the stated figure. diff = (stated - computed) / "
               "computed;\n  for a percentage (a share, a growth rate): stated - computed, in "
               "percentage points (pp).\n");
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"csv", no_argument, NULL, 'c'},
                                         {"pair", required_argument, NULL, 'p'},
                                         {0, 0, 0, 0}};
    const char *db_path = NULL;
    char a[8] = "", b[8] = "";
    int c, csv = 0, bad;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd') {
            db_path = optarg;
        } else if (c == 'c') {
            csv = 1;
        } else if (c == 'p' && (bad = tr_report_parse_pair(optarg, a, b)) != 0) {
            fprintf(stderr,
                    bad == -2 ? "tradereport claims: --pair '%s' names one country "
                                "twice; give two, e.g. RUS:IRN\n"
                              : "tradereport claims: --pair wants A:B with ISO3 codes, "
                                "e.g. RUS:IRN; got '%s'\n",
                    optarg);
            return tr_cmd_usage(&tr_cmd_claims);
        } else if (c != 'p') {
            return tr_cmd_usage(&tr_cmd_claims);
        }
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
    struct tr_snapshot snap; /* one SELECT is one snapshot; held for any read added later */
    int s = tr_snapshot_begin(&snap, d.db, &e)
                ? SQLITE_ERROR
                : sqlite3_prepare_v2(d.db, *a ? SQL_PAIR : SQL_ALL, -1, &st, NULL);
    if (s == SQLITE_OK && *a) {
        sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
    }
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
    .usage = "[--db FILE] [--pair A:B] [--csv]",
    .summary = "check the headline claims of articles against the data",
    .help = "Prints v_claim_check: for each claim (built-in ones from articles and your own,\n"
            "imported with --format claims), every definition tried — as each side reports,\n"
            "mirror, best; turnover or one direction; for tariffs lines, HS6 codes and import\n"
            "value — with the computed value, the stated one, the difference and a verdict\n"
            "(consistent, overstated, understated, not measurable, no data). The closest\n"
            "definition is starred; percentages print without a sign and differ in\n"
            "percentage points (pp); control characters in text print as \\n, \\t, \\xNN.\n"
            "--pair A:B keeps the claims the pair's briefing shows: about A and B either\n"
            "way, or about a group one of them belonged to (EAEU) and the other.\n"
            "--csv prints RFC 4180 CSV instead, for spreadsheets: a text cell that begins\n"
            "with =, +, -, @, tab or CR gets a leading ' so it is not run as a formula;\n"
            "numbers are written as they are.\n",
    .run = run,
    .db = TR_DB_READ,
};
