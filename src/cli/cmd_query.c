/*
 * tradereport query: run one read-only SQL statement and print the result with a header row,
 * as an aligned table (default), CSV (RFC 4180) or TSV. The database is opened read-only and
 * the statement passes the query guard (tr/query_guard.h): reads only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/query_guard.h"
#include "tr/stmt.h"

enum out_format { OUT_TABLE, OUT_CSV, OUT_TSV };

static void put_csv(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void put_tsv(const char *s)
{
    for (; *s; s++) {
        if (*s == '\t')
            fputs("\\t", stdout);
        else if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\r')
            fputs("\\r", stdout);
        else if (*s == '\\')
            fputs("\\\\", stdout);
        else
            putchar(*s);
    }
}

static const char *cell(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static void print_delimited(sqlite3_stmt *st, int ncol, enum out_format f, int header)
{
    for (int i = 0; i < ncol; i++) {
        const char *v = header ? sqlite3_column_name(st, i) : cell(st, i);
        if (i)
            putchar(f == OUT_CSV ? ',' : '\t');
        if (f == OUT_CSV)
            put_csv(v);
        else
            put_tsv(v);
    }
    fputs(f == OUT_CSV ? "\r\n" : "\n", stdout);
}

/* UTF-8 aware display width: counts code points. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

struct table {
    char **cells;
    size_t n, cap;
};

static int table_add(struct table *t, const char *s)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **c = realloc(t->cells, cap * sizeof(*c));
        if (!c)
            return -1;
        t->cells = c;
        t->cap = cap;
    }
    if (!(t->cells[t->n] = strdup(s)))
        return -1;
    t->n++;
    return 0;
}

static int is_numeric_type(int type)
{
    return type == SQLITE_INTEGER || type == SQLITE_FLOAT;
}

static int print_table(sqlite3_stmt *st, int ncol, struct tr_err *e, sqlite3 *db)
{
    struct table t = {0};
    int *numeric = calloc((size_t)ncol, sizeof(int));
    size_t *w = calloc((size_t)ncol, sizeof(size_t));
    int rc = TR_OK, s;
    if (!numeric || !w)
        rc = tr_err_set(e, TR_ENOMEM, "out of memory");
    for (int i = 0; i < ncol && !rc; i++)
        if (table_add(&t, sqlite3_column_name(st, i)))
            rc = tr_err_set(e, TR_ENOMEM, "out of memory");
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncol && !rc; i++) {
            if (is_numeric_type(sqlite3_column_type(st, i)))
                numeric[i] = 1;
            if (table_add(&t, cell(st, i)))
                rc = tr_err_set(e, TR_ENOMEM, "out of memory");
        }
    }
    if (!rc && s != SQLITE_DONE)
        rc = tr_err_set(e, tr_stmt_code(s) == TR_EIO ? TR_EFAIL : tr_stmt_code(s), "%s",
                        sqlite3_errmsg(db));
    if (!rc) {
        for (size_t k = 0; k < t.n; k++)
            if (width(t.cells[k]) > w[k % (size_t)ncol])
                w[k % (size_t)ncol] = width(t.cells[k]);
        for (size_t k = 0; k < t.n; k++) {
            size_t col = k % (size_t)ncol, pad = w[col] - width(t.cells[k]);
            int right = numeric[col] && k >= (size_t)ncol;
            if (right)
                printf("%*s", (int)pad, "");
            fputs(t.cells[k], stdout);
            if (col + 1 < (size_t)ncol)
                printf("%*s  ", right ? 0 : (int)pad, "");
            else
                putchar('\n');
            if (k + 1 == (size_t)ncol) {
                for (int i = 0; i < ncol; i++) {
                    for (size_t d = 0; d < w[i]; d++)
                        putchar('-');
                    fputs(i + 1 < ncol ? "  " : "\n", stdout);
                }
            }
        }
    }
    for (size_t k = 0; k < t.n; k++)
        free(t.cells[k]);
    free(t.cells);
    free(numeric);
    free(w);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"csv", no_argument, NULL, 'c'},
        {"tsv", no_argument, NULL, 't'},
        {"table", no_argument, NULL, 'T'},
        {0, 0, 0, 0},
    };
    const char *db_path = NULL;
    enum out_format f = OUT_TABLE;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'c': f = OUT_CSV; break;
        case 't': f = OUT_TSV; break;
        case 'T': f = OUT_TABLE; break;
        default: return tr_cmd_usage(&tr_cmd_query);
        }
    }
    if (optind != argc - 1)
        return tr_cmd_usage(&tr_cmd_query);
    const char *sql = argv[optind];
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_cmd_open_db(&tr_cmd_query, db_path, &d);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    /* the guard refuses at prepare time what a read-only connection would still allow:
     * VACUUM INTO, ATTACH, temporary tables, pragmas that set, fts3_tokenizer() */
    if (tr_query_guard_install(d.db, &e))
        goto out;
    int s = sqlite3_prepare_v2(d.db, sql, -1, &st, &tail);
    if (s != SQLITE_OK || !st) {
        tr_err_set(&e, TR_EFAIL, "%s", st || s ? sqlite3_errmsg(d.db) : "no SQL statement");
        goto out;
    }
    if (tail && tail[strspn(tail, " \t\r\n;")]) {
        tr_err_set(&e, TR_EUSAGE, "one SQL statement at a time, please (extra text: '%.40s')",
                   tail);
        goto out;
    }
    if (tr_query_guard_check(st, &e))
        goto out;
    int ncol = sqlite3_column_count(st);
    if (f == OUT_TABLE) {
        print_table(st, ncol, &e, d.db);
    } else {
        print_delimited(st, ncol, f, 1);
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            print_delimited(st, ncol, f, 0);
        if (s != SQLITE_DONE)
            tr_err_set(&e, TR_EFAIL, "%s", sqlite3_errmsg(d.db));
    }
out:
    sqlite3_finalize(st);
    if (e.code)
        tr_cmd_print_err("query", &e);
    tr_db_close(&d);
    return e.code;
}

const struct tr_cmd tr_cmd_query = {
    .name = "query",
    .usage = "[--db FILE] [--csv|--tsv|--table] SQL",
    .summary = "run one read-only SQL statement and print the result with a header row",
    .help =
        "Runs SQL on the database opened read-only and prints the rows with a header row:\n"
        "an aligned table (--table, the default), RFC 4180 CSV (--csv) or TSV (--tsv, with\n"
        "tabs and newlines in values escaped as \\t and \\n). NULL prints as an empty value.\n"
        "Only reading is allowed: SELECT, WITH and read-only PRAGMAs (table_info,\n"
        "index_list, user_version ...). Writes, CREATE (also TEMP), ATTACH, VACUUM (also\n"
        "VACUUM INTO), pragmas that set, and fts3_tokenizer() or load_extension() exit 1;\n"
        "two statements exit 2. --csv values are exact (no spreadsheet formula guard).\n"
        "An SQL error exits 1. See README for the views (v_trade_annual, ...).\n",
    .run = run,
    .db = TR_DB_READ,
};
