/*
 * Unit tests of the core modules: strict numbers, SHA-256, the packed fact key, the fact feed,
 * and the embedded SQL (every migration applies, every view, check and refresh statement
 * prepares on a fresh database). Expected values are worked by hand or are published test vectors.
 */
#include "tr_test.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql_embed.h"
#include "tr/codes.h"
#include "tr/csvread.h"
#include "tr/db.h"
#include "tr/factfeed.h"
#include "tr/radixsort.h"
#include "tr/factkey.h"
#include "tr/num.h"
#include "tr/stmt.h"
#include "tr/summary.h"
#include "tr/sha256.h"
#include "tr/utf8.h"

TR_TEST(num_scaled_thousands_to_dollars)
{
    int64_t v = 0;
    TR_CHECK_INT(tr_parse_scaled("    1234.567", 12, 3, &v), TR_NUM_OK);
    TR_CHECK_INT(v, 1234567);
    TR_CHECK_INT(tr_parse_scaled("0.433", 5, 3, &v), TR_NUM_OK);
    TR_CHECK_INT(v, 433);
    TR_CHECK_INT(tr_parse_scaled("4.00E+03", 8, 3, &v), TR_NUM_OK); /* Excel's notation */
    TR_CHECK_INT(v, 4000000);
    TR_CHECK_INT(tr_parse_scaled("2.5", 3, 0, &v), TR_NUM_OK); /* half away from zero */
    TR_CHECK_INT(v, 3);
    TR_CHECK_INT(tr_parse_scaled("-2.5", 4, 0, &v), TR_NUM_OK);
    TR_CHECK_INT(v, -3);
}

TR_TEST(num_rejects_what_is_not_a_number)
{
    int64_t v;
    double d;
    TR_CHECK_INT(tr_parse_scaled("1,234", 5, 3, &v), TR_NUM_BAD);
    TR_CHECK_INT(tr_parse_scaled("NaN", 3, 3, &v), TR_NUM_BAD);
    TR_CHECK_INT(tr_parse_scaled("1e400", 5, 3, &v), TR_NUM_RANGE);
    TR_CHECK_INT(tr_parse_int("9223372036854775808", 19, &v), TR_NUM_RANGE);
    TR_CHECK_INT(tr_parse_int("9223372036854775807", 19, &v), TR_NUM_OK);
    TR_CHECK_INT(tr_parse_int("   ", 3, &v), TR_NUM_EMPTY);
    TR_CHECK_INT(tr_parse_double("inf", 3, &d), TR_NUM_BAD);
    TR_CHECK_INT(tr_parse_double("1e400", 5, &d), TR_NUM_RANGE);
}

TR_TEST(sha256_known_vectors)
{
    struct tr_sha256 s;
    char hex[65];
    tr_sha256_init(&s);
    tr_sha256_update(&s, "abc", 3);
    tr_sha256_final_hex(&s, hex);
    TR_CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tr_sha256_init(&s);
    tr_sha256_final_hex(&s, hex);
    TR_CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* 56 bytes: the padding spills into a second block */
    tr_sha256_init(&s);
    tr_sha256_update(&s, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    tr_sha256_final_hex(&s, hex);
    TR_CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TR_TEST(factkey_round_trip_and_order)
{
    struct tr_factkey k = {1, 2021, 0, 643, 5, 364, 1, 12345}, u;
    TR_CHECK(tr_factkey_valid(&k));
    int64_t key = tr_factkey_pack(&k);
    TR_CHECK(key > 0);
    tr_factkey_unpack(key, &u);
    TR_CHECK_INT(u.source, 1);
    TR_CHECK_INT(u.year, 2021);
    TR_CHECK_INT(u.month, 0);
    TR_CHECK_INT(u.reporter, 643);
    TR_CHECK_INT(u.classification, 5);
    TR_CHECK_INT(u.partner, 364);
    TR_CHECK_INT(u.flow, 1);
    TR_CHECK_INT(u.product, 12345);
    /* the same bit layout the virtual columns of fact_trade decode */
    TR_CHECK_INT((key >> 37) & 1023, 643);
    TR_CHECK_INT(((key >> 51) & 255) + 1900, 2021);
    struct tr_factkey later = k;
    later.reporter = 644; /* order: source, year, month, reporter before partner, product */
    later.partner = 1;
    later.product = 1;
    TR_CHECK(tr_factkey_pack(&later) > key);
    struct tr_factkey bad = k;
    bad.reporter = 1024;
    TR_CHECK(!tr_factkey_valid(&bad));
}

/* Prepares each statement of an SQL text, one after the other, without running it. */
static int prepare_all(sqlite3 *db, const char *sql, char *why, size_t n)
{
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
            snprintf(why, n, "%s", sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_finalize(st);
    }
    return 0;
}

/* The integer a PRAGMA reads, or -1 when it cannot be read. */
static int pragma_int(sqlite3 *db, const char *sql)
{
    int v = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

TR_TEST(embedded_sql_prepares_on_a_fresh_database)
{
    char path[512], why[512] = "";
    snprintf(path, sizeof(path), "%s/fresh.db", tr_test_tmpdir());
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_db_open(&d, path, TR_DB_WRITE, &e);
    if (rc)
        tr_test_fail(__FILE__, __LINE__, "open: %s", e.msg);
    TR_CHECK_INT(rc, TR_OK);
    /* every view exists and its SELECT prepares */
    size_t views = 0;
    for (size_t i = 0; i < tr_sql_n_views; i++) {
        char name[128], sql[256];
        if (sscanf(tr_sql_views[i].name, "%127[^.]", name) != 1)
            continue;
        snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", name);
        if (prepare_all(d.db, sql, why, sizeof(why)) == 0)
            views++;
        else
            tr_test_fail(__FILE__, __LINE__, "view %s: %s", name, why);
    }
    TR_CHECK_INT(views, tr_sql_n_views);
    for (size_t i = 0; i < tr_sql_n_checks; i++)
        if (prepare_all(d.db, tr_sql_checks[i].text, why, sizeof(why)))
            tr_test_fail(__FILE__, __LINE__, "check %s: %s", tr_sql_checks[i].name, why);
    /* the refresh statements need their temp tables: a full refresh of the empty database
     * creates those (a new database is copied from the template, so no refresh ran yet) */
    TR_CHECK_INT(tr_summary_refresh_all(d.db, &e), TR_OK);
    for (size_t i = 0; i < tr_sql_n_refresh; i++)
        if (tr_stmt_script(d.db, tr_sql_refresh[i].text, &e))
            tr_test_fail(__FILE__, __LINE__, "refresh %s: %s", tr_sql_refresh[i].name, e.msg);
    int version = pragma_int(d.db, "PRAGMA user_version");
    tr_db_close(&d);
    TR_CHECK_INT(version, (int)tr_sql_n_migrations);
}

/* An import's temporary data (sorts, the statement journal of a refresh that rewrites a
 * summary's pages across every year) must spill to a file past SQLite's small in-memory
 * threshold: held in memory, a seven-year release's peak memory grew by 37% over one year's. */
TR_TEST(import_connection_spills_temporary_data_to_disk)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/temp_store.db", tr_test_tmpdir());
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    TR_CHECK_INT(tr_db_open(&d, path, TR_DB_WRITE, &e), TR_OK);
    int temp_store = pragma_int(d.db, "PRAGMA temp_store");
    tr_db_close(&d);
    TR_CHECK_INT(temp_store, 0); /* 0: SQLite's build default, a file (TEMP_STORE=1) */
}

struct raw_check {
    int fd, cp1252, records, same;
};

static int compare_raw(void *ctx, const struct tr_csv_record *rec, struct tr_err *e)
{
    (void)e;
    struct raw_check *c = ctx;
    char back[TR_CSV_RAW_KEEP + 1];
    c->records++;
    if (tr_csv_raw_at(c->fd, rec->offset, c->cp1252, back, sizeof(back)) != TR_OK ||
        strlen(back) != rec->raw_len || memcmp(back, rec->raw, rec->raw_len) != 0) {
        fprintf(stderr, "# record at line %ld: read back '%s', parsed '%s'\n", rec->line, back,
                rec->raw);
        c->same = 0;
    }
    return TR_OK;
}

/* A record's text read back from its offset is the text the reader gave it: one line, CRLF,
 * a lone CR, a quoted field over three lines (with CRLF and an empty line), doubled quotes,
 * Windows-1252 converted, or in UTF-8 the invalid byte shown as U+FFFD. */
TR_TEST(raw_text_read_back_is_the_readers)
{
    static const char body[] =
        "a,b,c\n1,\"x\",3\r\n2,\"multi\r\nline\n\nfield\",4\n3,\"say \"\"hi\"\"\",5\r"
        "4,\"caf\xe9\",6\n5,\"\nstarts on a new line\",7";
    for (int cp1252 = 0; cp1252 <= 1; cp1252++) {
        char path[300];
        snprintf(path, sizeof(path), "%s/raw%d.csv", tr_test_tmpdir(), cp1252);
        FILE *fp = fopen(path, "wb");
        TR_CHECK(fp != NULL);
        fwrite(body, 1, sizeof(body) - 1, fp);
        fclose(fp);
        struct raw_check c = {.fd = open(path, O_RDONLY), .cp1252 = cp1252, .same = 1};
        struct tr_csv_opts o = {.cp1252 = cp1252};
        struct tr_err e;
        tr_err_init(&e);
        int nl = 0;
        TR_CHECK_INT(tr_csv_read(c.fd, path, &o, compare_raw, &c, &nl, &e), TR_OK);
        close(c.fd);
        TR_CHECK_INT(c.records, 6); /* the header and five rows */
        TR_CHECK(c.same);
    }
}

/* Text cuts never halve a character; Windows-1252's 0x80-0x9F are its own characters; the
 * UTF-8 check finds the first invalid byte. Expected bytes from the Unicode tables. */
TR_TEST(utf8_cuts_and_cp1252)
{
    const char *zh = "a\xD0\x96\xD0\x96";       /* "aЖЖ" */
    TR_CHECK_INT((int)tr_utf8_floor(zh, 2), 1); /* inside the first Ж: back to its lead */
    TR_CHECK_INT((int)tr_utf8_floor(zh, 3), 3);
    char buf[8];
    tr_utf8_copy(buf, 5, "\xD0\x96\xD0\x96\xD0\x96");
    TR_CHECK_STR(buf, "\xD0\x96\xD0\x96");
    memcpy(buf, "x\xE2\x82", 4); /* "x€" cut by bytes inside the euro sign */
    tr_utf8_trim_partial(buf);
    TR_CHECK_STR(buf, "x");
    char out[32];
    size_t k = tr_cp1252_to_utf8("\x80\x93\x94\x81\xE9", 5, out);
    out[k] = '\0';
    TR_CHECK_STR(out, "\xE2\x82\xAC\xE2\x80\x9C\xE2\x80\x9D\xC2\x81\xC3\xA9");
    TR_CHECK_INT((int)tr_utf8_check("abcdefghij\xC3\xA9k\xE9", 14), 13);
    TR_CHECK_INT((int)tr_utf8_check("\xED\xA0\x80", 3), 0); /* a surrogate */
    TR_CHECK_INT((int)tr_utf8_check("\xC0\xAF", 2), 0);     /* an overlong '/' */
}

/* Product levels: TOTAL, HS2/4/6 all digits, 9 for four digits and two capitals (9999AA). */
TR_TEST(product_level_of_codes)
{
    TR_CHECK_INT(tr_product_level("TOTAL"), 0);
    TR_CHECK_INT(tr_product_level("01"), 2);
    TR_CHECK_INT(tr_product_level("0101"), 4);
    TR_CHECK_INT(tr_product_level("010121"), 6);
    TR_CHECK_INT(tr_product_level("9999AA"), 9);
    TR_CHECK_INT(tr_product_level(""), -1);
    TR_CHECK_INT(tr_product_level("999"), -1);
    TR_CHECK_INT(tr_product_level("0101210"), -1);
    TR_CHECK_INT(tr_product_level("TOTALS"), -1);
    TR_CHECK_INT(tr_product_level("9999AAB"), -1);
    TR_CHECK_INT(tr_product_level("99999A"), -1);
    TR_CHECK_INT(tr_product_level("9999aa"), -1);
    TR_CHECK_INT(tr_product_level("01 "), -1);
}

/* Reference order for the sort below: key, then the position the row had (value_usd). */
static int by_key_then_position(const void *a, const void *b)
{
    const struct tr_feedrow *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->value_usd > y->value_usd) - (x->value_usd < y->value_usd);
}

/* The radix sort gives qsort's order with positions breaking ties (stable), on keys that
 * differ in a few digits (a sorted file's chunk), across all 62 bits, and all alike. */
TR_TEST(feedrows_sort_is_stable_key_order)
{
    enum { N = 3000 };
    static struct tr_feedrow rows[N], want[N], tmp[N];
    uint64_t seed = 42;
    for (int spread = 0; spread < 3; spread++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t r = seed >> 20;
            int64_t key = spread == 0   ? (int64_t)((1ull << 59) | (r % 7) << 24 | (r % 5000))
                          : spread == 1 ? (int64_t)(r & ((1ull << 62) - 1))
                                        : 12345;
            if (i % 10 == 3)
                key = rows[i - 1].key; /* duplicates, which must keep their order */
            rows[i] = (struct tr_feedrow){.key = key, .value_usd = i};
        }
        memcpy(want, rows, sizeof(rows));
        qsort(want, N, sizeof(want[0]), by_key_then_position);
        tr_feedrows_sort(rows, N, tmp);
        int same = 1;
        for (int i = 0; i < N; i++)
            same = same && rows[i].key == want[i].key && rows[i].value_usd == want[i].value_usd;
        TR_CHECK(same);
    }
    struct tr_feedrow one = {.key = 5, .value_usd = 1};
    tr_feedrows_sort(&one, 1, tmp);
    TR_CHECK(one.key == 5 && one.value_usd == 1);
}

/* The same sort on the external sort's 16-byte entries (key, arrival): key order, arrival
 * order among equal keys, in whichever of the two arrays it returns. */
TR_TEST(radix_sort_of_sort_entries_is_stable)
{
    enum { N = 5000 };
    struct ent {
        int64_t key;
        uint32_t pos;
    };
    static struct ent rows[N], tmp[N];
    uint64_t seed = 7;
    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        rows[i] = (struct ent){.key = (int64_t)((seed >> 30) % 900), .pos = (uint32_t)i};
    }
    struct ent *out = tr_radix_sort(rows, N, sizeof(rows[0]), tmp);
    int ordered = out == rows || out == tmp;
    for (int i = 1; i < N; i++)
        ordered = ordered && (out[i - 1].key < out[i].key ||
                              (out[i - 1].key == out[i].key && out[i - 1].pos < out[i].pos));
    TR_CHECK(ordered);
}

/* The feed shows the rows it is given, NULL where a value is missing, and is gone once
 * dropped: nothing of it reaches the database. */
TR_TEST(factfeed_shows_its_rows_then_goes)
{
    sqlite3 *db = NULL;
    TR_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    struct tr_err e;
    tr_err_init(&e);
    struct tr_factfeed *feed = NULL;
    TR_CHECK_INT(tr_factfeed_register(db, &feed, &e), TR_OK);
    struct tr_factrow full = {.kind = TR_ROW_FACT};
    full.f.qty = 2.5;
    full.f.cif_usd = 110;
    full.f.fob_usd = TR_MISSING_INT;
    full.f.flags = 1;
    strcpy(full.qty_unit, "kg");
    struct tr_factrow lean = full;
    lean.f.qty = NAN;
    lean.f.cif_usd = TR_MISSING_INT;
    lean.f.flags = 0;
    lean.qty_unit[0] = '\0';
    struct tr_feedrow rows[2] = {{.key = 7, .value_usd = 1000, .net_wgt_kg = NAN, .row = &lean},
                                 {.key = 9, .value_usd = 2500, .net_wgt_kg = 12, .row = &full}};
    tr_factfeed_set(feed, rows, 2);
    char got[200];
    TR_CHECK_INT(tr_test_sql_text(db,
                                  "SELECT group_concat(quote(trade_key) || ' ' || "
                                  "quote(value_usd) || ' ' || quote(net_wgt_kg) || ' ' || "
                                  "quote(qty) || ' ' || quote(qty_unit) || ' ' || "
                                  "quote(cif_usd) || ' ' || quote(fob_usd) || ' ' || "
                                  "quote(flags), '; ') FROM tr_fact_feed",
                                  got, sizeof(got)),
                 0);
    TR_CHECK_STR(got, "7 1000 NULL NULL NULL NULL NULL 0; 9 2500 12.0 2.5 'kg' 110 NULL 1");
    tr_factfeed_drop(db, feed);
    sqlite3_stmt *st = NULL;
    TR_CHECK(sqlite3_prepare_v2(db, "SELECT * FROM tr_fact_feed", -1, &st, NULL) != SQLITE_OK);
    sqlite3_finalize(st);
    sqlite3_close(db);
}
