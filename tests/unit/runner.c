/*
 * Runs every registered TR_TEST in registration order, one scratch directory per case.
 * Usage: unit_tests [NAME-SUBSTRING]. Exit 1 when any case failed.
 */
#include "tr_test.h"
#include <sqlite3.h>

#include <ftw.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_TESTS 1024

static struct {
    const char *name;
    tr_test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static int current_failed;
static char current_msg[1024];
static char tmpdir[256];

void tr_test_register(const char *name, tr_test_fn fn)
{
    if (n_tests < MAX_TESTS) {
        tests[n_tests].name = name;
        tests[n_tests].fn = fn;
        n_tests++;
    }
}

void tr_test_fail(const char *file, int line, const char *fmt, ...)
{
    if (current_failed++)
        return;
    int k = snprintf(current_msg, sizeof(current_msg), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(current_msg + k, sizeof(current_msg) - (size_t)k, fmt, ap);
    va_end(ap);
}

const char *tr_test_tmpdir(void)
{
    return tmpdir;
}

int tr_test_sql_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW;
    const unsigned char *text = ok ? sqlite3_column_text(st, 0) : NULL;
    snprintf(out, n, "%s", text ? (const char *)text : "");
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0, n = 0;
    /* SQLite as the tool configures it (src/cli/main.c) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    for (int i = 0; i < n_tests; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/tr_unit_XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            return 1;
        }
        current_failed = 0;
        current_msg[0] = '\0';
        tests[i].fn();
        n++;
        if (current_failed) {
            printf("not ok %d - %s: %s\n", n, tests[i].name, current_msg);
            failed++;
        } else {
            printf("ok %d - %s\n", n, tests[i].name);
            passed++;
        }
        fflush(stdout);
        nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    printf("# unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
