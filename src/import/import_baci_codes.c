/*
 * CEPII BACI code lists: the country file (two headers: V2022–V2023, often Latin-1, and V2024+)
 * and the product file (code,description). They map BACI's numeric country codes onto the
 * country master and give products their descriptions; they carry no trade figures.
 */
#include <stdio.h>
#include <string.h>

#include "tr/import.h"
#include "tr/utf8.h"

static const char *const COUNTRY_OLD[] = {"country_code", "country_name_abbreviation",
                                          "country_name_full", "iso_2digit_alpha",
                                          "iso_3digit_alpha"};
static const char *const COUNTRY_NEW[] = {"country_code", "country_name", "country_iso2",
                                          "country_iso3"};
static const char *const PRODUCT[] = {"code", "description"};

struct country_state {
    int old_layout;
};

static int detect_countries(const struct tr_csv_record *h, const char *file_name)
{
    (void)file_name;
    return tr_header_is(h, COUNTRY_OLD, 5) || tr_header_is(h, COUNTRY_NEW, 4) ? 90 : 0;
}

static int begin_countries(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    struct country_state *s = tr_import_state(imp);
    char rel[64];
    s->old_layout = tr_header_is(h, COUNTRY_OLD, 5);
    if (!s->old_layout && !tr_header_is(h, COUNTRY_NEW, 4))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a BACI country file: unexpected header");
    if (sscanf(tr_import_file_name(imp), "country_codes_%63[A-Za-z0-9]", rel) == 1)
        tr_import_set_release(imp, rel);
    tr_import_expect_fields(imp, s->old_layout ? 5 : 4);
    return TR_OK;
}

/* Blank, "N/A" and "NA" mean no code (Namibia's ISO2 "NA" is read as missing too: BACI's
 * files cannot tell the two apart, and the ISO3 NAM identifies the country anyway). */
static int is_missing_code(const char *s)
{
    return !*s || strcmp(s, "N/A") == 0 || strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0;
}

static void trimmed(const struct tr_csv_record *r, size_t i, char *out, size_t n)
{
    const char *s = tr_field(r, i);
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    snprintf(out, n, "%.*s", (int)len, s);
    tr_utf8_trim_partial(out); /* a cut never halves a character */
}

static int row_countries(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    struct country_state *s = tr_import_state(imp);
    struct tr_codes *codes = tr_import_codes(imp);
    char code[16], name[256], iso2[16], iso3[16];
    trimmed(r, 0, code, sizeof(code));
    trimmed(r, 1, name, sizeof(name));
    trimmed(r, s->old_layout ? 3 : 2, iso2, sizeof(iso2));
    trimmed(r, s->old_layout ? 4 : 3, iso3, sizeof(iso3));
    if (!*code || strspn(code, "0123456789") != strlen(code))
        return tr_import_reject(imp, r, "country_code", "BAD_CODE",
                                "country code '%s' is not numeric", code);
    int id = 0;
    if (!is_missing_code(iso3))
        id = tr_codes_country(codes, "iso3", iso3, 0);
    if (!id)
        id = tr_codes_country(codes, "comtrade", code, 0);
    if (!id && !is_missing_code(iso3) && strlen(iso3) == 3) {
        /* a country the master lacks: the code file is the authority for its own codes */
        int rc = tr_codes_add_country(codes, iso3, is_missing_code(iso2) ? NULL : iso2, name, &id,
                                      e);
        if (rc)
            return rc;
    }
    if (!id)
        return tr_import_reject(imp, r, "country_iso3", "UNKNOWN_CODE",
                                "code %s ('%s', ISO3 '%s') matches no country of the master",
                                code, name, iso3);
    int rc = tr_codes_map_country(codes, "baci", code, id, e);
    if (rc)
        return rc;
    tr_import_count_loaded(imp);
    return TR_OK;
}

static int detect_products(const struct tr_csv_record *h, const char *file_name)
{
    if (!tr_header_is(h, PRODUCT, 2))
        return 0;
    return strncmp(file_name, "product_codes_", 14) == 0 ? 90 : 60;
}

static int begin_products(struct tr_import *imp, const struct tr_csv_record *h, struct tr_err *e)
{
    char hs[16], rel[64], hsname[16];
    if (!tr_header_is(h, PRODUCT, 2))
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), h->line,
                             "not a BACI product file: the header must be code,description");
    if (sscanf(tr_import_file_name(imp), "product_codes_HS%2[0-9]_%63[A-Za-z0-9]", hs, rel) != 2)
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), 0,
                             "cannot tell the HS revision from the file name '%s': BACI product "
                             "files are named like product_codes_HS17_V202401b.csv",
                             tr_import_file_name(imp));
    snprintf(hsname, sizeof(hsname), "HS%.2s", hs);
    int cls = tr_classification_id(hsname);
    if (cls < 0)
        return tr_err_set_at(e, TR_EINPUT, tr_import_path(imp), 0,
                             "unknown HS revision 'HS%s' in the file name", hs);
    tr_import_set_classification(imp, cls);
    tr_import_set_release(imp, rel);
    tr_import_expect_fields(imp, 2);
    return TR_OK;
}

static int row_products(struct tr_import *imp, const struct tr_csv_record *r, struct tr_err *e)
{
    char code[16], desc[1024];
    trimmed(r, 0, code, sizeof(code));
    trimmed(r, 1, desc, sizeof(desc));
    if (strlen(code) == 5 && strspn(code, "0123456789") == 5) {
        memmove(code + 1, code, 6);
        code[0] = '0';
    }
    int level = tr_product_level(code);
    if (level != 6 && level != 9)
        return tr_import_reject(imp, r, "code", "BAD_PRODUCT",
                                "product '%s' is not a six-digit HS code", code);
    int cls = -1;
    char hs[16], hsname[16];
    if (sscanf(tr_import_file_name(imp), "product_codes_HS%2[0-9]", hs) == 1) {
        snprintf(hsname, sizeof(hsname), "HS%.2s", hs);
        cls = tr_classification_id(hsname);
    }
    int rc = tr_codes_describe_product(tr_import_codes(imp), cls, code, desc, e);
    if (rc)
        return rc;
    tr_import_count_loaded(imp);
    return TR_OK;
}

const struct tr_format tr_format_baci_countries = {
    .name = "baci-countries",
    .source = "reference",
    .description = "CEPII BACI country codes (country_code,country_name,...)",
    .detect = detect_countries,
    .begin = begin_countries,
    .row = row_countries,
    .state_size = sizeof(struct country_state),
};

const struct tr_format tr_format_baci_products = {
    .name = "baci-products",
    .source = "reference",
    .description = "CEPII BACI product codes (code,description)",
    .detect = detect_products,
    .begin = begin_products,
    .row = row_products,
};
