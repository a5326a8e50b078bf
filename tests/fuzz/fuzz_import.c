/*
 * A libFuzzer target over the real import pipeline: the input becomes a file on tmpfs with a
 * name the format expects, tr_import_file loads it into an in-memory database (a fresh copy of
 * one migrated template per run), and the target aborts unless every row is accounted for.
 * One binary per format: built with -DFUZZ_FORMAT="baci" -DFUZZ_NAME="BACI_HS17_Y2021_...csv".
 * It does not test what rows mean (the unit and CLI tests do), only that no input crashes,
 * leaks, breaks an invariant or leaves the database half-written.
 *
 * Aborts when: the import returns anything but TR_OK or TR_EINPUT; a committed load's
 * rows_read differs from rows_loaded + rows_rejected, from the result, or exceeds the line ends
 * in the input; its facts are not rows_loaded; a failed import leaves facts or a load_log row
 * claiming loaded rows; a sql/checks invariant finds a row; integrity_check is not ok; a
 * statement is left unfinalized.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sql_embed.h"
#include "tr/db.h"
#include "tr/import.h"

#ifndef FUZZ_FORMAT
#error "build with -DFUZZ_FORMAT=\"name\" -DFUZZ_NAME=\"file name\""
#endif

static unsigned char *image;      /* the migrated template database */
static sqlite3_int64 image_len;
static char dir[128], path[256];

/* the input file and its folder go when the fuzzer exits */
static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

#define FAIL(...)                                                                             \
    do {                                                                                      \
        fprintf(stderr, "fuzz_import (" FUZZ_FORMAT "): " __VA_ARGS__);                       \
        fputc('\n', stderr);                                                                  \
        abort();                                                                              \
    } while (0)

static long long one(sqlite3 *db, const char *sql, long long arg)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        FAIL("prepare '%s': %s", sql, sqlite3_errmsg(db));
    if (sqlite3_bind_parameter_count(st))
        sqlite3_bind_int64(st, 1, arg);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static long long facts_of(sqlite3 *db, long long load_id)
{
    return one(db, "SELECT (SELECT count(*) FROM fact_trade WHERE load_id = ?1) + "
                   "(SELECT count(*) FROM fact_trade_breakdown WHERE load_id = ?1) + "
                   "(SELECT count(*) FROM fact_tariff WHERE load_id = ?1) + "
                   "(SELECT count(*) FROM claim WHERE load_id = ?1)", load_id);
}

static long long all_facts(sqlite3 *db)
{
    return one(db, "SELECT (SELECT count(*) FROM fact_trade) + "
                   "(SELECT count(*) FROM fact_trade_breakdown) + "
                   "(SELECT count(*) FROM fact_tariff) + (SELECT count(*) FROM claim)", 0);
}

static void run_checks(sqlite3 *db)
{
    for (size_t i = 0; i < tr_sql_n_checks; i++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, tr_sql_checks[i].text, -1, &st, NULL) != SQLITE_OK)
            FAIL("check %s: %s", tr_sql_checks[i].name, sqlite3_errmsg(db));
        if (sqlite3_step(st) == SQLITE_ROW)
            FAIL("check %s: %s", tr_sql_checks[i].name, sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    sqlite3 *db = NULL;
    struct tr_err e;
    tr_err_init(&e);
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || tr_db_migrate(db, &e) != TR_OK)
        FAIL("template database: %s", e.msg);
    image = sqlite3_serialize(db, "main", &image_len, 0);
    if (!image)
        FAIL("serialize: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof(dir), "%s/tr_fuzz_%ld", tmp, (long)getpid());
    if (mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0)
        FAIL("cannot create %s", dir);
    snprintf(path, sizeof(path), "%s/%s", dir, FUZZ_NAME);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        FAIL("cannot write %s", path);

    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        FAIL("open: %s", sqlite3_errmsg(db));
    unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)image_len);
    if (!copy)
        FAIL("out of memory");
    memcpy(copy, image, (size_t)image_len);
    if (sqlite3_deserialize(db, "main", copy, image_len, image_len,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
        SQLITE_OK)
        FAIL("deserialize: %s", sqlite3_errmsg(db));
    /* as tr_db_open sets them up */
    sqlite3_extended_result_codes(db, 1);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    long long facts0 = all_facts(db);

    /* both ways a file ends: strictly (any reject fails it) and with rejects allowed */
    struct tr_import_opts o = {.format = FUZZ_FORMAT,
                               .max_rejects = size % 3 == 0 ? 0 : LONG_MAX};
    struct tr_import_result res;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_import_file(db, path, &o, &res, &e);

    long long ends = 1;   /* a record starts at the beginning or after a line end */
    for (size_t i = 0; i < size; i++)
        ends += data[i] == '\n' || data[i] == '\r';

    if (rc == TR_OK) {
        if (res.status != TR_LOAD_COMMITTED)
            FAIL("status %d for a fresh database", (int)res.status);
        long long read = one(db, "SELECT rows_read FROM load_log WHERE load_id = ?1",
                             res.load_id);
        long long loaded = one(db, "SELECT rows_loaded FROM load_log WHERE load_id = ?1",
                               res.load_id);
        long long rejected = one(db, "SELECT rows_rejected FROM load_log WHERE load_id = ?1",
                                 res.load_id);
        if (read != loaded + rejected || read != res.rows_read || loaded != res.rows_loaded ||
            rejected != res.rows_rejected)
            FAIL("load %ld: read %lld, loaded %lld, rejected %lld; result %ld/%ld/%ld",
                 res.load_id, read, loaded, rejected, res.rows_read, res.rows_loaded,
                 res.rows_rejected);
        if (read > ends)
            FAIL("load %ld: %lld rows read from %lld lines", res.load_id, read, ends);
        if (strcmp(FUZZ_FORMAT, "baci-countries") != 0 &&
            strcmp(FUZZ_FORMAT, "baci-products") != 0) {
            long long facts = facts_of(db, res.load_id);
            if (facts != loaded)
                FAIL("load %ld says %lld rows loaded, %lld are there", res.load_id, loaded, facts);
        }
    } else if (rc == TR_EINPUT) {
        if (all_facts(db) != facts0)
            FAIL("a failed file left %lld facts", all_facts(db) - facts0);
        long long bad = one(db, "SELECT count(*) FROM load_log WHERE status <> 'failed' OR "
                                "rows_loaded <> 0 OR rows_read <> rows_rejected", 0);
        if (bad)
            FAIL("a failed file left %lld load_log rows claiming loaded rows", bad);
    } else {
        FAIL("import returned %d: %s", rc, e.msg);
    }
    run_checks(db);
    if (one(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'",
            0) != 0)
        FAIL("integrity_check is not ok");
    if (sqlite3_close(db) != SQLITE_OK)
        FAIL("close: a statement was left unfinalized: %s", sqlite3_errmsg(db));
    return 0;
}
