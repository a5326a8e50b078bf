/*
 * A tiny in-tree test runner. Each TR_TEST registers itself before main(); the runner
 * (tests/unit/runner.c) prints "ok N - name" or "not ok N - name: file:line: why" per case
 * and a closing "# unit: N passed, N failed" line that tests/run_all.sh sums.
 */
#ifndef TR_TEST_H
#define TR_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef void (*tr_test_fn)(void);
void tr_test_register(const char *name, tr_test_fn fn);
/* Marks the running case failed (first failure message kept). */
void tr_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A scratch directory for the running case, removed after the run. */
const char *tr_test_tmpdir(void);
/* The first column of the first row of sql on db, as text, into out (cut to n - 1 bytes).
 * Returns 0, or -1 when the statement does not prepare or gives no row (out is then ""). */
struct sqlite3;
int tr_test_sql_text(struct sqlite3 *db, const char *sql, char *out, size_t n);

#define TR_TEST(name)                                              \
    static void name(void);                                        \
    __attribute__((constructor)) static void name##_register(void) \
    {                                                              \
        tr_test_register(#name, name);                             \
    }                                                              \
    static void name(void)

#define TR_CHECK(cond)                                                   \
    do {                                                                 \
        if (!(cond)) {                                                   \
            tr_test_fail(__FILE__, __LINE__, "check failed: %s", #cond); \
            return;                                                      \
        }                                                                \
    } while (0)

#define TR_CHECK_INT(got, want)                                                      \
    do {                                                                             \
        long long g_ = (long long)(got), w_ = (long long)(want);                     \
        if (g_ != w_) {                                                              \
            tr_test_fail(__FILE__, __LINE__, "%s is %lld, want %lld", #got, g_, w_); \
            return;                                                                  \
        }                                                                            \
    } while (0)

#define TR_CHECK_NEAR(got, want, eps)                                                \
    do {                                                                             \
        double g_ = (got), w_ = (want);                                              \
        if (!(fabs(g_ - w_) <= (eps))) {                                             \
            tr_test_fail(__FILE__, __LINE__, "%s is %.6f, want %.6f", #got, g_, w_); \
            return;                                                                  \
        }                                                                            \
    } while (0)

#define TR_CHECK_STR(got, want)                                                 \
    do {                                                                        \
        const char *g_ = (got), *w_ = (want);                                   \
        if (!g_ || strcmp(g_, w_) != 0) {                                       \
            tr_test_fail(__FILE__, __LINE__, "%s is \"%s\", want \"%s\"", #got, \
                         g_ ? g_ : "(null)", w_);                               \
            return;                                                             \
        }                                                                       \
    } while (0)

#endif
