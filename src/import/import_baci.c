/*
 * CEPII BACI trade files: header t,i,j,k,v,q; one file per year and HS revision, named
 * BACI_HS17_Y2021_V202401b.csv. v is thousands of current US$ (stored as whole US$), q metric
 * tons or NA; k is HS6 kept as text (a code that lost its leading zero is padded back).
 * Exporter i is the reporter, flow X: BACI is one reconciled figure per flow. A renamed file
 * loads when --hs-revision, --year and --release say what the name no longer does; they may
 * never contradict a name that does.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/import.h"
#include "tr/import_baci.h"
#include "tr/num.h"

#define BACI_SOURCE_ID 1

static const char *const HEADER[] = {"t", "i", "j", "k", "v", "q"};

/* The last code seen in a column and its id: BACI files are sorted, so most rows repeat it. */
struct baci_state {
    int classification;
    int year_given; /* the year came from --year: rows of another year are rejected */
    int year;
    int ids_year;  /* the year the table below holds ids for */
    int ids[1000]; /* BACI codes are numbers below 1000: 0 = not looked up yet,
                              * -1 = unknown in that year */
};

/* BACI_HS17_Y2021_V202401b.csv -> classification H5, year 2021, release V202401b */
static int parse_file_name(const char *name, int *cls, int *year, char *release, size_t n)
{
    char hs[16], rel[64];
    int y;
    if (sscanf(name, "BACI_HS%2[0-9]_Y%4d_%63[A-Za-z0-9]", hs, &y, rel) != 3)
        return -1;
    char hsname[16];
    snprintf(hsname, sizeof(hsname), "HS%.2s", hs);
    *cls = tr_classification_id(hsname);
    *year = y;
    snprintf(release, n, "%s", rel);
    return *cls < 0 ? -1 : 0;
}

/* The file name without its folders. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* V, six digits of year and month, an optional lower-case letter: V202401b, V202301. */
static int release_ok(const char *r)
{
    size_t n = strlen(r);
    if ((n != 7 && n != 8) || r[0] != 'V' || strspn(r + 1, "0123456789") != 6)
        return 0;
    return n == 7 || islower((unsigned char)r[7]);
}

int tr_baci_options_check(const struct tr_import_opts *o, struct tr_err *e)
{
    if (o->hs_revision && tr_classification_id(o->hs_revision) < 0)
        return tr_err_set(e, TR_EUSAGE,
                          "--hs-revision '%s' is not an HS revision (H0..H6, or "
                          "HS92, HS96, HS02, HS07, HS12, HS17, HS22)",
                          o->hs_revision);
    if (o->year && (o->year < 1988 || o->year > 2100))
        return tr_err_set(e, TR_EUSAGE, "--year %d is not a year of BACI data (1988..2100)",
                          o->year);
    if (o->release && !release_ok(o->release))
        return tr_err_set(e, TR_EUSAGE,
                          "--release '%s' is not a BACI release such as "
                          "V202401b",
                          o->release);
    return TR_OK;
}

int tr_baci_name_check(const char *path, const struct tr_import_opts *o, struct tr_err *e)
{
    int cls, year;
    char release[64];
    const char *name = base_name(path);
    if (parse_file_name(name, &cls, &year, release, sizeof(release)))
        return TR_OK; /* the name tells nothing: the options are what there is */
    if (o->hs_revision && tr_classification_id(o->hs_revision) != cls)
        return tr_err_set(e, TR_EUSAGE, "--hs-revision %s contradicts the file name '%s' (%s)",
                          o->hs_revision, name, tr_classification_name(cls));
    if (o->year && o->year != year)
        return tr_err_set(e, TR_EUSAGE, "--year %d contradicts the file name '%s' (%d)", o->year,
                          name, year);
    if (o->release && strcmp(o->release, release) != 0)
        return tr_err_set(e, TR_EUSAGE, "--release %s contradicts the file name '%s' (%s)",
                          o->release, name, release);
    return TR_OK;
}

/* Revision, year and release from the options, for a file whose name does not tell them. */
static int from_options(struct tr_import *imp, struct baci_state *s, char *release, size_t n,
                        struct tr_err *e)
{
    const struct tr_import_opts *o = tr_import_options(imp);
    if (!o->hs_revision || !o->year || !o->release)
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), 0,
                             "cannot tell the HS revision, year and release from the file name "
                             "'%s': give them with --hs-revision, --year and --release (e.g. "
                             "--hs-revision H5 --year 2021 --release V202401b), or keep the "
                             "name CEPII gives, like BACI_HS17_Y2021_V202401b.csv",
                             tr_import_file_name(imp));
    int rc = tr_baci_options_check(o, e);
    if (rc)
        return rc;
    s->classification = tr_classification_id(o->hs_revision);
    s->year = o->year;
    s->year_given = 1;
    snprintf(release, n, "%s", o->release);
    return TR_OK;
}

static int detect(const struct tr_csv_record *h, const char *file_name)
{
    if (!tr_header_is(h, HEADER, 6))
        return 0;
    return strncmp(file_name, "BACI_", 5) == 0 ? 100 : 80;
}

static int begin(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct baci_state *s = tr_import_state(imp);
    int year = 0;
    char release[64] = "";
    if (!tr_header_is(h, HEADER, 6))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a BACI trade file: the header must be t,i,j,k,v,q");
    if (parse_file_name(tr_import_file_name(imp), &s->classification, &year, release,
                        sizeof(release)) == 0) {
        int rc = tr_baci_name_check(tr_import_path(imp), tr_import_options(imp), e);
        if (rc)
            return rc;
    } else {
        int rc = from_options(imp, s, release, sizeof(release), e);
        if (rc)
            return rc;
        year = s->year;
    }
    tr_import_set_classification(imp, s->classification);
    tr_import_set_year(imp, year);
    tr_import_set_release(imp, release);
    tr_import_expect_fields(imp, 6);
    return TR_OK;
}

/* The number of a plain code of one to three digits (spaces around allowed), else -1. */
static int small_number(const char *code)
{
    int v = 0, digits = 0;
    while (*code == ' ')
        code++;
    for (; *code >= '0' && *code <= '9'; code++, digits++)
        if (digits < 3) /* a longer run is refused below; never let v overflow on the way */
            v = v * 10 + (*code - '0');
    while (*code == ' ')
        code++;
    return *code || digits == 0 || digits > 3 ? -1 : v;
}

/* Country id for a BACI code, through a table by number for the file's year (every row looks
 * up two codes, in whatever order the rows come). */
static int country(struct tr_import *imp, struct baci_state *s, const char *code, int year)
{
    int n = small_number(code);
    if (n < 0)
        return tr_codes_country(tr_import_codes(imp), "baci", code, year);
    if (s->ids_year != year) {
        memset(s->ids, 0, sizeof(s->ids));
        s->ids_year = year;
    }
    if (!s->ids[n]) {
        int id = tr_codes_country(tr_import_codes(imp), "baci", code, year);
        s->ids[n] = id ? id : -1;
    }
    return s->ids[n] > 0 ? s->ids[n] : 0;
}

static int row(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct baci_state *s = tr_import_state(imp);
    int64_t year, value;
    int st;
    if ((st = tr_parse_int(r->f[0] ? r->f[0] : "", r->len[0], &year)) != 0)
        return tr_import_reject(imp, r, "t", "BAD_NUMBER", "year '%s': %s", tr_field(r, 0),
                                tr_num_strerror(st));
    if (year < 1900 || year > 2155)
        return tr_import_reject(imp, r, "t", "OUT_OF_RANGE", "year %lld", (long long)year);
    int iy = (int)year;
    if (s->year_given && iy != s->year)
        return tr_import_reject(imp, r, "t", "BAD_PERIOD",
                                "year %d in a file given as --year "
                                "%d",
                                iy, s->year);
    int i = country(imp, s, tr_field(r, 1), iy);
    int j = country(imp, s, tr_field(r, 2), iy);
    if (!i)
        return tr_import_reject(imp, r, "i", "UNKNOWN_CODE",
                                "exporter code '%s' is not a known BACI country code in %d",
                                tr_field(r, 1), iy);
    if (!j)
        return tr_import_reject(imp, r, "j", "UNKNOWN_CODE",
                                "importer code '%s' is not a known BACI country code in %d",
                                tr_field(r, 2), iy);
    char k[16];
    const char *kf = tr_field(r, 3);
    size_t kn = 0, kdigits; /* the code runs to the first space; its leading digits */
    while (kf[kn] >= '0' && kf[kn] <= '9')
        kn++;
    kdigits = kn;
    while (kf[kn] && kf[kn] != ' ')
        kn++;
    if (kn == 5 && kdigits == 5) {
        k[0] = '0'; /* a code that lost its leading zero */
        memcpy(k + 1, kf, 5);
        k[6] = '\0';
    } else {
        size_t m = kn < 15 ? kn : 15;
        memcpy(k, kf, m);
        k[m] = '\0';
    }
    int level = tr_product_level(k);
    if (level != 6 && level != 9)
        return tr_import_reject(imp, r, "k", "BAD_PRODUCT",
                                "product '%s' is not a six-digit HS code", kf);
    if ((st = tr_parse_scaled(r->f[4] ? r->f[4] : "", r->len[4], 3, &value)) != 0)
        return tr_import_reject(imp, r, "v",
                                st == TR_NUM_BAD     ? "BAD_NUMBER"
                                : st == TR_NUM_RANGE ? "OUT_OF_RANGE"
                                                     : "MISSING_VALUE",
                                "value '%s': %s", tr_field(r, 4), tr_num_strerror(st));
    if (value < 0 || tr_num_is_negative(tr_field(r, 4), strlen(tr_field(r, 4))))
        return tr_import_reject(imp, r, "v", "NEGATIVE_VALUE", "value '%s' is negative",
                                tr_field(r, 4));
    int64_t kg = TR_MISSING_INT; /* q is metric tons with 3 decimals: exact kilograms */
    const char *qf = tr_field(r, 5);
    if (strncmp(qf, "NA", 2) != 0 || strspn(qf + 2, " ") != strlen(qf + 2)) {
        st = tr_parse_scaled(r->f[5] ? r->f[5] : "", r->len[5], 3, &kg);
        if (st == TR_NUM_EMPTY)
            kg = TR_MISSING_INT;
        else if (st != TR_NUM_OK)
            return tr_import_reject(imp, r, "q",
                                    st == TR_NUM_RANGE ? "OUT_OF_RANGE" : "BAD_NUMBER",
                                    "quantity '%s': %s", qf, tr_num_strerror(st));
        else if (kg < 0 || tr_num_is_negative(qf, strlen(qf)))
            return tr_import_reject(imp, r, "q", "NEGATIVE_VALUE", "quantity '%s' is negative",
                                    qf);
    }
    int product;
    int rc = tr_codes_product(tr_import_codes(imp), s->classification, k, NULL, &product, e);
    if (rc)
        return rc;
    struct tr_fact f = {
        .source_id = BACI_SOURCE_ID,
        .classification = s->classification,
        .year = iy,
        .month = 0,
        .reporter = i,
        .partner = j,
        .flow = 1 /* X */,
        .product = product,
        .value_usd = value,
        .net_wgt_kg = kg == TR_MISSING_INT ? NAN : (double)kg,
        .qty = NAN,
        .cif_usd = TR_MISSING_INT,
        .fob_usd = TR_MISSING_INT,
    };
    return tr_import_fact(imp, &f, r, e);
}

const struct tr_format tr_format_baci = {
    .name = "baci",
    .source = "baci",
    .description = "CEPII BACI trade file (t,i,j,k,v,q; v in thousands of US$)",
    .detect = detect,
    .begin = begin,
    .row = row,
    .state_size = sizeof(struct baci_state),
    .scope = TR_SCOPE_YEAR, /* a year file is the whole year of its revision and release */
};
