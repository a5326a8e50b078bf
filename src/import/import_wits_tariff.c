/*
 * WITS/TRAINS tariff bulk CSV (REFERENCE.md §4), three variants told apart by the header: AVEMFN,
 * AVEPref (Partner after ProductCode) and Pref (ad-valorem rates only). Rows go to fact_tariff:
 * NA or empty rates are NULL, a row without ad-valorem lines has NULL averages (never 0 %), codes
 * get back their leading zero, and a file replaces the (importer, year, duty type, nomenclature)
 * partitions it brings. Group partners ('EAEU') are kept as written, not expanded here.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr/db.h"
#include "tr/import.h"
#include "tr/num.h"
#include "tr/stmt.h"
#include "tr/utf8.h"

#define WITS_SOURCE_ID 3

/* Every column any variant has; the variant decides which are present. */
enum {
    C_NOMEN,
    C_REPORTER,
    C_YEAR,
    C_PRODUCT,
    C_PARTNER,
    C_SUM,
    C_MIN,
    C_MAX,
    C_AVG, /* rates: sum, min, max, average */
    C_TOTAL,
    C_VALID,
    C_FREE,
    C_DUTIABLE,
    C_NA,
    C_AVE,
    C_PREF,
    C_MFN, /* line counts */
    C_EST,
    C_N
};
#define N_RATES (C_AVG - C_SUM + 1)
#define N_COUNTS (C_MFN - C_TOTAL + 1)

static const char *const COL_NAME[C_N] = {
    "NomenCode",
    "Reporter_ISO_N",
    "Year",
    "ProductCode",
    "Partner",
    "Sum_Of_Rates",
    "Min_Rate",
    "Max_Rate",
    "SimpleAverage",
    "TotalNoOfLines",
    "TotalNoOfValidLines",
    "Nbr_Free_Lines",
    "Nbr_Dutiable_Lines",
    "Nbr_NA_Lines",
    "Nbr_AVE_Lines",
    "Nbr_Pref_Lines",
    "Nbr_MFN_Lines",
    "EstCode",
};

static const char *const AVEMFN[] = {
    "NomenCode",           "Reporter_ISO_N", "Year",          "ProductCode",
    "Sum_Of_Rates",        "Min_Rate",       "Max_Rate",      "SimpleAverage",
    "Nbr_NA_Lines",        "Nbr_Free_Lines", "Nbr_AVE_Lines", "Nbr_Dutiable_Lines",
    "TotalNoOfValidLines", "TotalNoOfLines", "EstCode",
};
static const char *const AVEPREF[] = {
    "NomenCode",
    "Reporter_ISO_N",
    "Year",
    "ProductCode",
    "Partner",
    "Sum_Of_Rates",
    "Min_Rate",
    "Max_Rate",
    "SimpleAverage",
    "Nbr_NA_Lines",
    "Nbr_Free_Lines",
    "Nbr_AVE_Lines",
    "Nbr_Dutiable_Lines",
    "TotalNoOfValidLines",
    "TotalNoOfLines",
    "EstCode",
};
static const char *const PREF[] = {
    "NomenCode",      "Reporter_ISO_N", "Year",         "ProductCode",   "Partner",
    "Sum_Of_Rates",   "Min_Rate",       "Max_Rate",     "SimpleAverage", "TotalNoOfLines",
    "Nbr_Pref_Lines", "Nbr_MFN_Lines",  "Nbr_NA_Lines", "EstCode",
};

struct variant {
    const char *dataset;   /* fact_tariff.dataset */
    const char *duty_type; /* MFN | PRF */
    const char *tag;       /* load_partition classification suffix (A = with AVEs) */
    const char *const *header;
    size_t n;
};

static const struct variant VARIANTS[] = {
    {"AVEMFN", "MFN", "MFNA", AVEMFN, sizeof(AVEMFN) / sizeof(AVEMFN[0])},
    {"AVEPref", "PRF", "PRFA", AVEPREF, sizeof(AVEPREF) / sizeof(AVEPREF[0])},
    {"Pref", "PRF", "PRF", PREF, sizeof(PREF) / sizeof(PREF[0])},
};
#define N_VARIANTS (sizeof(VARIANTS) / sizeof(VARIANTS[0]))

/* One data row, parsed. Missing rates are NAN, missing counts TR_MISSING_INT. */
struct tariff_row {
    int cls, year, importer, product;
    char partner[32]; /* as given; "" for MFN */
    int partner_id;   /* 0 unless partner names one country */
    double rate[N_RATES];
    int64_t count[N_COUNTS];
    char est[16];
    char part[8]; /* partition classification, e.g. H6/MFNA */
};

/* A parsed row waiting for the next flush, with what a reject needs. */
struct pending {
    struct tariff_row t;
    long line;
    long long offset;
    char raw[256];
};

/* Rows are written in batches: the statements then live within one flush, and pending rows sit
 * in this state, which the pipeline frees whether the file succeeds or fails. */
#define BATCH 512

struct tariff_state {
    const struct variant *v;
    int col[C_N];                   /* field index of each column, -1 when the variant lacks it */
    unsigned char is_country[1024]; /* by country id: kind 'country' (not a group or area) */
    int classification, year;       /* -1 / 0 until the first row, -2 / -1 once rows differ */
    struct pending batch[BATCH];
    int n_batch;
};

static const struct variant *variant_of(const struct tr_csv_record *h)
{
    for (size_t i = 0; i < N_VARIANTS; i++)
        if (tr_header_is(h, VARIANTS[i].header, VARIANTS[i].n))
            return &VARIANTS[i];
    return NULL;
}

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    (void)file_name;
    return variant_of(h) ? 100 : 0;
}

static int db_error(struct tr_import *imp, int rc, struct tr_err *e)
{
    return tr_err_set(e, tr_stmt_code(rc), "database error loading '%s': %s", tr_import_path(imp),
                      sqlite3_errmsg(tr_import_db(imp)));
}

/* Statements never outlive the call that prepares them: a format has no hook that runs when a
 * file fails halfway, so a statement kept across rows would then leak with its connection. */
static int prepare(struct tr_import *imp, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(tr_import_db(imp), sql, -1, st, NULL);
    return rc == SQLITE_OK ? TR_OK : db_error(imp, rc, e);
}

static int load_country_kinds(struct tr_import *imp, struct tariff_state *s, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st, "SELECT country_id FROM dim_country WHERE kind = 'country'", e);
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        if (id >= 1 && id < 1024)
            s->is_country[id] = 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? TR_OK : db_error(imp, rc, e);
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct tariff_state *s = tr_import_state(imp);
    if (!(s->v = variant_of(h)))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a WITS tariff file: the header must be the AVEMFN, AVEPref or "
                             "Pref layout (NomenCode,Reporter_ISO_N,Year,ProductCode,...)");
    for (int c = 0; c < C_N; c++)
        s->col[c] = tr_header_index(h, COL_NAME[c]);
    s->classification = -1;
    s->year = 0;
    tr_import_expect_fields(imp, s->v->n);
    return load_country_kinds(imp, s, e);
}

/* Field of column c without the spaces around it ("" when the variant lacks the column). */
static const char *field(const struct tariff_state *s, const struct tr_csv_record *r, int c,
                         char *buf, size_t n)
{
    const char *f = s->col[c] >= 0 ? tr_field(r, (size_t)s->col[c]) : "";
    size_t len = strlen(f);
    while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
        len--;
    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), f);
    tr_utf8_trim_partial(buf); /* a cut never halves a character */
    return buf;
}

/* Reporter or partner numeric code: TRAINS codes (918 = EU), else Comtrade's. */
static int country(struct tr_import *imp, const char *code, int year)
{
    int id = tr_codes_country(tr_import_codes(imp), "wits", code, year);
    return id ? id : tr_codes_country(tr_import_codes(imp), "comtrade", code, year);
}

static int is_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* Follows the file's HS revision and year, so load_log names them when all rows agree. */
static void note_period(struct tr_import *imp, struct tariff_state *s, int cls, int year)
{
    if (s->classification == -1) {
        s->classification = cls;
        tr_import_set_classification(imp, cls);
    } else if (s->classification != cls && s->classification != -2) {
        s->classification = -2;
        tr_import_set_classification(imp, -1);
    }
    if (s->year == 0) {
        s->year = year;
        tr_import_set_year(imp, year);
    } else if (s->year != year && s->year != -1) {
        s->year = -1;
        tr_import_set_year(imp, 0);
    }
}

/* A rejected row: counted by the pipeline, and parse() tells row() not to store it. */
#define REJECT(...)                                   \
    do {                                              \
        *rejected = 1;                                \
        return tr_import_reject(imp, r, __VA_ARGS__); \
    } while (0)

/* Parses a row into t, or rejects it (*rejected = 1). */
static int parse(struct tr_import *imp, struct tariff_state *s, const struct tr_csv_record *r,
                 struct tariff_row *t, int *rejected, struct tr_err *e)
{
    char buf[64], code[16];
    int64_t v;
    int st;

    field(s, r, C_NOMEN, buf, sizeof(buf));
    if ((t->cls = tr_classification_id(buf)) < 0)
        REJECT("NomenCode", "BAD_CODE", "nomenclature '%s' is not an HS revision (H0..H6)", buf);
    field(s, r, C_YEAR, buf, sizeof(buf));
    if ((st = tr_parse_int(buf, strlen(buf), &v)) != TR_NUM_OK)
        REJECT("Year", "BAD_NUMBER", "year '%s': %s", buf, tr_num_strerror(st));
    if (v < 1900 || v > 2155)
        REJECT("Year", "OUT_OF_RANGE", "year %lld", (long long)v);
    t->year = (int)v;
    field(s, r, C_REPORTER, buf, sizeof(buf));
    if (!is_digits(buf) || !(t->importer = country(imp, buf, t->year)))
        REJECT("Reporter_ISO_N", "UNKNOWN_CODE",
               "reporter '%s' is not a known WITS or Comtrade country code in %d", buf, t->year);

    /* HS6 codes start at 010121, so five digits can only be a code that lost its zero */
    field(s, r, C_PRODUCT, buf, sizeof(buf));
    int k = strlen(buf) == 5 && is_digits(buf) ? snprintf(code, sizeof(code), "0%s", buf)
                                               : snprintf(code, sizeof(code), "%s", buf);
    if (k != 6 || tr_product_level(code) != 6) /* k: the length before any cut */
        REJECT("ProductCode", "BAD_PRODUCT", "product '%s' is not a six-digit HS code", buf);

    t->partner[0] = '\0';
    t->partner_id = 0;
    if (s->col[C_PARTNER] >= 0) {
        field(s, r, C_PARTNER, t->partner, sizeof(t->partner));
        if (!t->partner[0])
            REJECT("Partner", "MISSING_VALUE", "a preferential rate without a partner");
        if (is_digits(t->partner)) {
            int id = country(imp, t->partner, t->year);
            if (!id)
                REJECT("Partner", "UNKNOWN_CODE",
                       "partner '%s' is not a known WITS or Comtrade country code in %d",
                       t->partner, t->year);
            t->partner_id = id < 1024 && s->is_country[id] ? id : 0;
        }
        /* other codes name a group or scheme ('EAEU'): kept as given */
    }

    for (int c = C_SUM; c <= C_AVG; c++) {
        double *d = &t->rate[c - C_SUM];
        *d = NAN;
        field(s, r, c, buf, sizeof(buf));
        if (!buf[0] || strcmp(buf, "NA") == 0)
            continue;
        if ((st = tr_parse_double(buf, strlen(buf), d)) != TR_NUM_OK)
            REJECT(COL_NAME[c], st == TR_NUM_RANGE ? "OUT_OF_RANGE" : "BAD_NUMBER",
                   "rate '%s': %s", buf, tr_num_strerror(st));
    }
    for (int c = C_TOTAL; c <= C_MFN; c++) {
        int64_t *n = &t->count[c - C_TOTAL];
        *n = TR_MISSING_INT;
        field(s, r, c, buf, sizeof(buf));
        if (s->col[c] < 0 || !buf[0] || strcmp(buf, "NA") == 0)
            continue;
        if ((st = tr_parse_int(buf, strlen(buf), n)) != TR_NUM_OK || *n < 0)
            REJECT(COL_NAME[c], st == TR_NUM_RANGE ? "OUT_OF_RANGE" : "BAD_NUMBER",
                   "line count '%s' is not a count", buf);
    }
    int64_t total = t->count[C_TOTAL - C_TOTAL], na = t->count[C_NA - C_TOTAL];
    if (total != TR_MISSING_INT && na != TR_MISSING_INT) {
        if (na > total)
            REJECT("Nbr_NA_Lines", "OUT_OF_RANGE", "%lld NA lines out of %lld lines",
                   (long long)na, (long long)total);
        if (na == total) /* no ad-valorem data: not a 0 % tariff, whatever the file wrote */
            for (int i = 0; i < N_RATES; i++)
                t->rate[i] = NAN;
    }
    field(s, r, C_EST, t->est, sizeof(t->est));

    snprintf(t->part, sizeof(t->part), "%s/%s", tr_classification_name(t->cls), s->v->tag);
    return tr_codes_product(tr_import_codes(imp), t->cls, code, NULL, &t->product, e);
}

/* Binds the replacement partition, the first columns of fact_tariff_key, to ?1..?6; SQLite's
 * code (not OK: a value could not be bound). */
static int bind_partition(sqlite3_stmt *st, const struct tariff_state *s,
                          const struct tariff_row *t)
{
    return sqlite3_bind_int(st, 1, t->importer) | sqlite3_bind_int(st, 2, t->year) |
           tr_stmt_bind_text(st, 3, s->v->duty_type) |
           tr_stmt_bind_text(st, 4, tr_classification_name(t->cls)) |
           tr_stmt_bind_text(st, 5, s->v->dataset) | sqlite3_bind_int(st, 6, WITS_SOURCE_ID);
}

/* Binds the whole natural key, fact_tariff_key's columns, to ?1..?8, as bind_partition. */
static int bind_key(sqlite3_stmt *st, const struct tariff_state *s, const struct tariff_row *t)
{
    return bind_partition(st, s, t) | sqlite3_bind_int(st, 7, t->product) |
           tr_stmt_bind_text(st, 8, t->partner);
}

static const char DUPLICATE_SQL[] =
    "SELECT 1 FROM fact_tariff WHERE importer_id = ?1 AND year = ?2 AND duty_type = ?3 AND "
    "nomenclature = ?4 AND dataset = ?5 AND source_id = ?6 AND product_id = ?7 AND "
    "ifnull(partner_code, '') = ?8 AND load_id = ?9";

static const char INSERT_SQL[] =
    "INSERT INTO fact_tariff (importer_id, year, duty_type, nomenclature, dataset, source_id, "
    "product_id, partner_code, partner_id, sum_rates, min_rate, max_rate, simple_avg, n_lines, "
    "n_valid_lines, n_free_lines, n_dutiable_lines, n_na_lines, n_ave_lines, n_pref_lines, "
    "n_mfn_lines, est_code, load_id) "
    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23)";

/* Steps a statement that returns no row, then resets it for the next use. */
static int step_done(struct tr_import *imp, sqlite3_stmt *st, struct tr_err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? TR_OK : db_error(imp, rc, e);
}

/* Whether this file already brought a row with the same key. */
static int is_duplicate(struct tr_import *imp, sqlite3_stmt *st, const struct tariff_state *s,
                        const struct tariff_row *t, int *dup, struct tr_err *e)
{
    if (bind_key(st, s, t) | sqlite3_bind_int64(st, 9, tr_import_load_id(imp)))
        return tr_stmt_bind_failed(NULL, e); /* st is kept for the next row */
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(imp, rc, e);
    *dup = rc == SQLITE_ROW;
    return TR_OK;
}

#define PARTITION_COND                                                         \
    "importer_id = ?1 AND year = ?2 AND duty_type = ?3 AND nomenclature = ?4 " \
    "AND dataset = ?5 AND source_id = ?6 AND load_id <> ?7"

/* Runs sql (over the partition of t, ?7 = this load) to its end. */
static int partition_exec(struct tr_import *imp, const struct tariff_state *s,
                          const struct tariff_row *t, const char *sql, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(imp, &st, sql, e);
    if (rc)
        return rc;
    if (bind_partition(st, s, t) | sqlite3_bind_int64(st, 7, tr_import_load_id(imp)))
        return tr_stmt_bind_failed(st, e);
    rc = step_done(imp, st, e);
    sqlite3_finalize(st);
    return rc;
}

/* Moves the rows earlier loads brought for the partition of t to fact_tariff_history, where
 * `tradereport unload` finds them (rare: prepared when needed). */
static int replace_partition(struct tr_import *imp, const struct tariff_state *s,
                             const struct tariff_row *t, struct tr_err *e)
{
    int rc = partition_exec(imp, s, t,
                            "INSERT INTO fact_tariff_history SELECT ?7, * FROM "
                            "fact_tariff WHERE " PARTITION_COND,
                            e);
    if (!rc)
        rc = partition_exec(imp, s, t, "DELETE FROM fact_tariff WHERE " PARTITION_COND, e);
    if (rc)
        return rc;
    tr_import_add_replaced(imp, sqlite3_changes(tr_import_db(imp)));
    return TR_OK;
}

static int insert(struct tr_import *imp, sqlite3_stmt *st, const struct tariff_state *s,
                  const struct tariff_row *t, struct tr_err *e)
{
    if (bind_key(st, s, t) || (t->est[0] && tr_stmt_bind_text(st, 22, t->est)))
        return tr_stmt_bind_failed(NULL, e); /* st is kept for the next row */
    if (!t->partner[0])
        sqlite3_bind_null(st, 8); /* MFN: every partner */
    if (t->partner_id)
        sqlite3_bind_int(st, 9, t->partner_id);
    for (int i = 0; i < N_RATES; i++)
        if (!isnan(t->rate[i]))
            sqlite3_bind_double(st, 10 + i, t->rate[i]);
    for (int i = 0; i < N_COUNTS; i++)
        if (t->count[i] != TR_MISSING_INT)
            sqlite3_bind_int64(st, 10 + N_RATES + i, t->count[i]);
    sqlite3_bind_int64(st, 23, tr_import_load_id(imp));
    return step_done(imp, st, e);
}

/* Stores one pending row: rejected when the file brought its key before; else its partition
 * is claimed (once per stored row, so load_partition counts the rows), the rows of an earlier
 * load in that partition are deleted the first time, and the row is inserted. */
static int store(struct tr_import *imp, struct tariff_state *s, sqlite3_stmt *dup_st,
                 sqlite3_stmt *ins_st, const struct pending *p, struct tr_err *e)
{
    const struct tariff_row *t = &p->t;
    int dup = 0, rc;
    long old_rows;
    if ((rc = is_duplicate(imp, dup_st, s, t, &dup, e)))
        return rc;
    if (dup) {
        struct tr_csv_record rec = {.line = p->line,
                                    .offset = p->offset,
                                    .raw = p->raw,
                                    .raw_len = strlen(p->raw)};
        return tr_import_reject(imp, &rec, NULL, "DUPLICATE_KEY",
                                "the same reporter, year, partner and product appear earlier "
                                "in the file");
    }
    if ((rc = tr_import_claim_partition(imp, WITS_SOURCE_ID, t->part, t->year, 0, t->importer,
                                        &old_rows, e)))
        return rc;
    if (old_rows >= 0 && (rc = replace_partition(imp, s, t, e)))
        return rc;
    if ((rc = insert(imp, ins_st, s, t, e)))
        return rc;
    note_period(imp, s, t->cls, t->year);
    tr_import_count_loaded(imp);
    return TR_OK;
}

static int flush(struct tr_import *imp, struct tariff_state *s, struct tr_err *e)
{
    sqlite3_stmt *dup_st = NULL, *ins_st = NULL;
    int rc;
    if (!s->n_batch)
        return TR_OK;
    if ((rc = prepare(imp, &dup_st, DUPLICATE_SQL, e)) ||
        (rc = prepare(imp, &ins_st, INSERT_SQL, e)))
        goto out;
    for (int i = 0; i < s->n_batch && !rc; i++)
        rc = store(imp, s, dup_st, ins_st, &s->batch[i], e);
out:
    s->n_batch = 0;
    sqlite3_finalize(dup_st);
    sqlite3_finalize(ins_st);
    return rc;
}

static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct tariff_state *s = tr_import_state(imp);
    struct pending *p = &s->batch[s->n_batch];
    int rejected = 0;
    int rc = parse(imp, s, r, &p->t, &rejected, e);
    if (rc || rejected)
        return rc;
    p->line = r->line;
    p->offset = r->offset;
    snprintf(p->raw, sizeof(p->raw), "%.*s", (int)r->raw_len, r->raw);
    tr_utf8_trim_partial(p->raw);
    if (++s->n_batch == BATCH)
        return flush(imp, s, e);
    return TR_OK;
}

static int end(struct tr_import *imp, struct tr_err *e)
{
    return flush(imp, tr_import_state(imp), e);
}

const struct tr_format tr_format_wits_tariff = {
    .name = "wits-tariff",
    .source = "wits",
    .description = "WITS/TRAINS tariff bulk CSV (AVEMFN, AVEPref or Pref layout)",
    .detect = detect,
    .begin = begin,
    .row = row,
    .end = end,
    .state_size = sizeof(struct tariff_state),
};
