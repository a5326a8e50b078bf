/*
 * Dimension lookups for the importers: country codes by system and year, flows, HS revisions
 * and products. Everything is read into hash maps once per import so a row costs no SQL
 * lookup; new products (checked by form only, so a new HS revision still loads) and code
 * mappings are written through prepared statements inside the caller's transaction.
 */
#include "tr/codes.h"
#include "tr/factkey.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/db.h"
#include "tr/strmap.h"
#include "tr/stmt.h"

struct code_range {
    int country_id, from, to, next; /* next range of the same code, -1 at the end */
};

/* Six-digit codes as integers -> product id: small enough to stay in the CPU cache. */
struct hs6_table {
    int *code; /* -1 = empty slot */
    int *id;
    size_t cap, size;
};

struct tr_codes {
    sqlite3 *db;
    struct tr_strmap *country; /* "system:code" -> first index into ranges */
    struct code_range *ranges;
    size_t n_ranges, cap_ranges;
    char iso3[1024][8];
    struct tr_strmap *product;    /* "H5:010121" -> product_id */
    signed char *product_level;   /* by product_id */
    signed char *product_chapter; /* by product_id: 0..99, -1 none (dim_product.chapter) */
    unsigned char *product_described;
    size_t cap_products;
    struct hs6_table by_hs6[7]; /* six-digit numeric codes -> product_id, per revision */
    int next_product_id;
    int next_country_id;
    sqlite3_stmt *ins_product, *set_desc, *ins_code, *del_code, *ins_country;
    void (*gate_enter)(void *), (*gate_leave)(void *); /* around SQL, see tr_codes_set_gate */
    void *gate;
};

static void gate_enter(struct tr_codes *c)
{
    if (c->gate_enter)
        c->gate_enter(c->gate);
}

static void gate_leave(struct tr_codes *c)
{
    if (c->gate_leave)
        c->gate_leave(c->gate);
}

void tr_codes_set_gate(struct tr_codes *c, void (*enter)(void *), void (*leave)(void *),
                       void *ctx)
{
    c->gate_enter = enter;
    c->gate_leave = leave;
    c->gate = ctx;
}

static const char *const FLOWS[] = {NULL, TR_KEY_FLOWS}; /* by their number in the key */

int tr_flow_id(const char *flow)
{
    for (int i = 1; i < (int)(sizeof(FLOWS) / sizeof(FLOWS[0])); i++)
        if (strcmp(flow, FLOWS[i]) == 0)
            return i;
    return 0;
}

const char *tr_flow_name(int id)
{
    return id >= 1 && id < (int)(sizeof(FLOWS) / sizeof(FLOWS[0])) ? FLOWS[id] : "?";
}

static const char *const CLASSES[] = {"H0", "H1", "H2", "H3", "H4", "H5", "H6"};
static const char *const HS_YEARS[] = {"92", "96", "02", "07", "12", "17", "22"};

int tr_classification_id(const char *s)
{
    if (s[0] == 'H' && s[1] >= '0' && s[1] <= '6' && s[2] == '\0')
        return s[1] - '0'; /* the common case, without formatting */
    for (int i = 0; i < 7; i++) {
        char hs[8], hsl[8];
        snprintf(hs, sizeof(hs), "HS%s", HS_YEARS[i]);
        snprintf(hsl, sizeof(hsl), "HS%s%s", i < 2 ? "19" : "20", HS_YEARS[i]);
        if (strcmp(s, CLASSES[i]) == 0 || strcmp(s, hs) == 0 || strcmp(s, hsl) == 0)
            return i;
    }
    return -1;
}

const char *tr_classification_name(int id)
{
    return id >= 0 && id < 7 ? CLASSES[id] : "?";
}

int tr_product_level(const char *code)
{
    size_t digits = 0; /* one pass: every fact of every file asks */
    while (code[digits] >= '0' && code[digits] <= '9')
        digits++;
    if (code[digits] == '\0')
        return digits == 2 || digits == 4 || digits == 6 ? (int)digits : -1;
    if (digits == 4 && isupper((unsigned char)code[4]) && isupper((unsigned char)code[5]) &&
        code[6] == '\0')
        return 9;
    return strcmp(code, "TOTAL") == 0 ? 0 : -1;
}

static int is_numeric_system(const char *system)
{
    return strcmp(system, "iso3") != 0 && strcmp(system, "iso2") != 0;
}

/* "system:code" with numeric codes stripped of spaces and leading zeros. */
static void make_key(char *buf, size_t n, const char *system, const char *code)
{
    while (*code == ' ')
        code++;
    size_t len = strlen(code);
    while (len && code[len - 1] == ' ')
        len--;
    if (is_numeric_system(system)) {
        while (len > 1 && *code == '0')
            code++, len--;
    }
    snprintf(buf, n, "%s:%.*s", system, (int)len, code);
}

static int add_range(struct tr_codes *c, const char *key, int id, int from, int to)
{
    if (c->n_ranges == c->cap_ranges) {
        size_t cap = c->cap_ranges ? c->cap_ranges * 2 : 1024;
        struct code_range *r = realloc(c->ranges, cap * sizeof(*r));
        if (!r)
            return -1;
        c->ranges = r;
        c->cap_ranges = cap;
    }
    int first = -1;
    int has = tr_strmap_get(c->country, key, &first);
    c->ranges[c->n_ranges] = (struct code_range){id, from, to, has ? first : -1};
    if (tr_strmap_put(c->country, key, (int)c->n_ranges))
        return -1;
    c->n_ranges++;
    return 0;
}

static int grow_products(struct tr_codes *c, size_t need)
{
    if (need < c->cap_products)
        return 0;
    size_t cap = c->cap_products ? c->cap_products : 4096;
    while (cap <= need)
        cap *= 2;
    signed char *lv = realloc(c->product_level, cap);
    if (!lv)
        return -1;
    c->product_level = lv;
    signed char *ch = realloc(c->product_chapter, cap);
    if (!ch)
        return -1;
    c->product_chapter = ch;
    unsigned char *ds = realloc(c->product_described, cap);
    if (!ds)
        return -1;
    c->product_described = ds;
    memset(lv + c->cap_products, -1, cap - c->cap_products);
    memset(ch + c->cap_products, -1, cap - c->cap_products);
    memset(ds + c->cap_products, 0, cap - c->cap_products);
    c->cap_products = cap;
    return 0;
}

static int prepare(struct tr_codes *c, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(c->db));
    return TR_OK;
}

static int load_countries(struct tr_codes *c, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(c, &st,
                     "SELECT system, code, country_id, valid_from, valid_to "
                     "FROM country_code",
                     e);
    if (rc)
        return rc;
    char key[96];
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        make_key(key, sizeof(key), (const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1));
        if (add_range(c, key, sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
                      sqlite3_column_int(st, 4))) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory loading country codes");
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(c->db));
    if ((rc = prepare(c, &st, "SELECT country_id, iso3 FROM dim_country", e)))
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        if (id >= 1 && id < 1024)
            snprintf(c->iso3[id], sizeof(c->iso3[id]), "%s", sqlite3_column_text(st, 1));
        if (id >= c->next_country_id)
            c->next_country_id = id + 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE
               ? TR_OK
               : tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(c->db));
}

/* The chapter a code's first two digits name, as a number; -1 for none (NULL). */
static int chapter_number(const char *code)
{
    if (!code || !isdigit((unsigned char)code[0]) || !isdigit((unsigned char)code[1]))
        return -1;
    return (code[0] - '0') * 10 + (code[1] - '0');
}

static int load_products(struct tr_codes *c, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(c, &st,
                     "SELECT product_id, classification, code, level, "
                     "description IS NOT NULL, chapter FROM dim_product",
                     e);
    if (rc)
        return rc;
    char key[96];
    c->next_product_id = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int id = sqlite3_column_int(st, 0);
        snprintf(key, sizeof(key), "%s:%s", sqlite3_column_text(st, 1),
                 sqlite3_column_text(st, 2));
        if (grow_products(c, (size_t)id) || tr_strmap_put(c->product, key, id)) {
            sqlite3_finalize(st);
            return tr_err_set(e, TR_ENOMEM, "out of memory loading products");
        }
        c->product_level[id] = (signed char)sqlite3_column_int(st, 3);
        c->product_described[id] = (unsigned char)sqlite3_column_int(st, 4);
        c->product_chapter[id] = (signed char)chapter_number(
            (const char *)sqlite3_column_text(st, 5));
        if (id >= c->next_product_id)
            c->next_product_id = id + 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE
               ? TR_OK
               : tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(c->db));
}

int tr_codes_open(sqlite3 *db, struct tr_codes **out, struct tr_err *e)
{
    struct tr_codes *c = calloc(1, sizeof(*c));
    int rc;
    *out = NULL;
    if (!c || !(c->country = tr_strmap_new()) || !(c->product = tr_strmap_new())) {
        tr_codes_free(c);
        return tr_err_set(e, TR_ENOMEM, "out of memory loading codes");
    }
    c->db = db;
    c->next_country_id = 1;
    if ((rc = load_countries(c, e)) || (rc = load_products(c, e)) ||
        (rc = prepare(c, &c->ins_product,
                      "INSERT INTO dim_product (product_id, classification, code, level, "
                      "chapter, description) VALUES (?, ?, ?, ?, ?, ?)",
                      e)) ||
        (rc = prepare(c, &c->set_desc,
                      "UPDATE dim_product SET description = ? WHERE product_id = ?", e)) ||
        (rc = prepare(c, &c->del_code, "DELETE FROM country_code WHERE system = ? AND code = ?",
                      e)) ||
        (rc = prepare(c, &c->ins_code,
                      "INSERT INTO country_code (system, code, country_id) VALUES (?, ?, ?)",
                      e)) ||
        (rc = prepare(c, &c->ins_country,
                      "INSERT INTO dim_country (country_id, iso3, iso2, name, kind) "
                      "VALUES (?, ?, ?, ?, 'country')",
                      e))) {
        tr_codes_free(c);
        return rc;
    }
    *out = c;
    return TR_OK;
}

void tr_codes_free(struct tr_codes *c)
{
    if (!c)
        return;
    tr_strmap_free(c->country);
    tr_strmap_free(c->product);
    free(c->ranges);
    free(c->product_level);
    free(c->product_chapter);
    free(c->product_described);
    for (int i = 0; i < 7; i++) {
        free(c->by_hs6[i].code);
        free(c->by_hs6[i].id);
    }
    sqlite3_finalize(c->ins_product);
    sqlite3_finalize(c->set_desc);
    sqlite3_finalize(c->ins_code);
    sqlite3_finalize(c->del_code);
    sqlite3_finalize(c->ins_country);
    free(c);
}

int tr_codes_country(struct tr_codes *c, const char *system, const char *code, int year)
{
    char key[96];
    int i;
    make_key(key, sizeof(key), system, code);
    if (!tr_strmap_get(c->country, key, &i))
        return 0;
    for (; i >= 0; i = c->ranges[i].next) {
        const struct code_range *r = &c->ranges[i];
        if (year == 0 || (year >= r->from && year <= r->to))
            return r->country_id;
    }
    return 0;
}

const char *tr_codes_iso3(struct tr_codes *c, int id)
{
    return id >= 1 && id < 1024 && c->iso3[id][0] ? c->iso3[id] : NULL;
}

static int step_done(struct tr_codes *c, sqlite3_stmt *st, struct tr_err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(c->db));
    return TR_OK;
}

/* For a statement kept for the next call: its values are cleared, the error set. */
static int bind_failed(sqlite3_stmt *st, struct tr_err *e)
{
    sqlite3_clear_bindings(st);
    return tr_stmt_bind_failed(NULL, e);
}

static int map_country_locked(struct tr_codes *c, const char *system, const char *code,
                              int country_id, struct tr_err *e)
{
    char key[96];
    int rc;
    make_key(key, sizeof(key), system, code);
    const char *norm = strchr(key, ':') + 1;
    if (tr_codes_country(c, system, code, 0) == country_id)
        return TR_OK;
    if (tr_stmt_bind_text(c->del_code, 1, system) | tr_stmt_bind_text(c->del_code, 2, norm))
        return bind_failed(c->del_code, e);
    if ((rc = step_done(c, c->del_code, e)))
        return rc;
    if (tr_stmt_bind_text(c->ins_code, 1, system) | tr_stmt_bind_text(c->ins_code, 2, norm) |
        sqlite3_bind_int(c->ins_code, 3, country_id))
        return bind_failed(c->ins_code, e);
    if ((rc = step_done(c, c->ins_code, e)))
        return rc;
    /* the new mapping replaces every range of the old one */
    int first;
    if (tr_strmap_get(c->country, key, &first))
        for (int i = first; i >= 0; i = c->ranges[i].next)
            c->ranges[i].from = 1, c->ranges[i].to = 0;
    if (add_range(c, key, country_id, 0, 9999))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return TR_OK;
}

static int add_country_locked(struct tr_codes *c, const char *iso3, const char *iso2,
                              const char *name, int *id, struct tr_err *e)
{
    if (c->next_country_id > TR_KEY_COUNTRY_MASK) /* the largest id the key holds */
        return tr_err_set(e, TR_EINPUT, "too many countries: no id left for '%s'", iso3);
    int rc, nid = c->next_country_id;
    if (sqlite3_bind_int(c->ins_country, 1, nid) | tr_stmt_bind_text(c->ins_country, 2, iso3) |
        tr_stmt_bind_text(c->ins_country, 3, iso2 && *iso2 ? iso2 : NULL) |
        tr_stmt_bind_text(c->ins_country, 4, name))
        return bind_failed(c->ins_country, e);
    if ((rc = step_done(c, c->ins_country, e)))
        return rc;
    c->next_country_id++;
    snprintf(c->iso3[nid], sizeof(c->iso3[nid]), "%s", iso3);
    if ((rc = tr_codes_map_country(c, "iso3", iso3, nid, e)))
        return rc;
    *id = nid;
    return TR_OK;
}

/* The numeric value of a plain six-digit code, or -1. */
static int hs6_number(const char *code)
{
    int v = 0;
    for (int i = 0; i < 6; i++) {
        if (code[i] < '0' || code[i] > '9')
            return -1;
        v = v * 10 + (code[i] - '0');
    }
    return code[6] == '\0' ? v : -1;
}

static size_t hs6_slot(const struct hs6_table *t, int code)
{
    size_t i = ((uint32_t)code * 2654435761u) & (t->cap - 1);
    while (t->code[i] != -1 && t->code[i] != code)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int hs6_get(const struct hs6_table *t, int code)
{
    if (!t->cap)
        return 0;
    size_t i = hs6_slot(t, code);
    return t->code[i] == code ? t->id[i] : 0;
}

static int hs6_put(struct hs6_table *t, int code, int id)
{
    if ((t->size + 1) * 2 > t->cap) {
        struct hs6_table n = {NULL, NULL, t->cap ? t->cap * 2 : 8192, 0};
        n.code = malloc(n.cap * sizeof(int));
        n.id = malloc(n.cap * sizeof(int));
        if (!n.code || !n.id) {
            free(n.code), free(n.id);
            return -1;
        }
        memset(n.code, 0xff, n.cap * sizeof(int));
        for (size_t i = 0; i < t->cap; i++)
            if (t->code[i] != -1) {
                size_t j = hs6_slot(&n, t->code[i]);
                n.code[j] = t->code[i], n.id[j] = t->id[i], n.size++;
            }
        free(t->code), free(t->id);
        *t = n;
    }
    size_t i = hs6_slot(t, code);
    if (t->code[i] == -1)
        t->size++;
    t->code[i] = code, t->id[i] = id;
    return 0;
}

static int product_locked(struct tr_codes *c, int cls, const char *code, const char *desc, int n6,
                          int *id, struct tr_err *e);

int tr_codes_product(struct tr_codes *c, int cls, const char *code, const char *desc, int *id,
                     struct tr_err *e)
{
    /* fast path: six-digit codes of a known revision, looked up by number */
    int n6 = cls >= 0 && cls < 7 ? hs6_number(code) : -1;
    int known = n6 >= 0 ? hs6_get(&c->by_hs6[cls], n6) : 0;
    if (known && (!desc || !*desc || c->product_described[known])) {
        *id = known;
        return TR_OK;
    }
    gate_enter(c);
    int rc = product_locked(c, cls, code, desc, n6, id, e);
    gate_leave(c);
    return rc;
}

static int product_locked(struct tr_codes *c, int cls, const char *code, const char *desc, int n6,
                          int *id, struct tr_err *e)
{
    char key[96];
    int rc;
    snprintf(key, sizeof(key), "%s:%s", tr_classification_name(cls), code);
    if (tr_strmap_get(c->product, key, id)) {
        if (n6 >= 0 && hs6_put(&c->by_hs6[cls], n6, *id))
            return tr_err_set(e, TR_ENOMEM, "out of memory");
        if (desc && *desc && !c->product_described[*id])
            return tr_codes_describe_product(c, cls, code, desc, e);
        return TR_OK;
    }
    int level = tr_product_level(code);
    if (level < 0)
        return tr_err_set(e, TR_EINPUT, "'%s' is not a product code", code);
    if (c->next_product_id > TR_KEY_PRODUCT_MASK)
        return tr_err_set(e, TR_EINPUT, "too many products: no id left for '%s'", code);
    int nid = c->next_product_id, brc = SQLITE_OK;
    brc |= sqlite3_bind_int(c->ins_product, 1, nid);
    brc |= sqlite3_bind_text(c->ins_product, 2, tr_classification_name(cls), -1, SQLITE_STATIC);
    brc |= sqlite3_bind_text(c->ins_product, 3, code, -1, SQLITE_TRANSIENT);
    brc |= sqlite3_bind_int(c->ins_product, 4, level);
    if (level >= 2 && level <= 6)
        brc |= sqlite3_bind_text(c->ins_product, 5, code, 2, SQLITE_TRANSIENT);
    if (desc && *desc)
        brc |= sqlite3_bind_text(c->ins_product, 6, desc, -1, SQLITE_TRANSIENT);
    if (brc != SQLITE_OK) { /* a TRANSIENT bind copies: it can run out of memory */
        sqlite3_reset(c->ins_product);
        sqlite3_clear_bindings(c->ins_product);
        return tr_err_set(e, TR_ENOMEM, "out of memory binding product '%s'", code);
    }
    if ((rc = step_done(c, c->ins_product, e)))
        return rc;
    if (grow_products(c, (size_t)nid) || tr_strmap_put(c->product, key, nid))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    c->product_level[nid] = (signed char)level;
    c->product_chapter[nid] = (signed char)(level >= 2 && level <= 6 ? chapter_number(code) : -1);
    c->product_described[nid] = desc && *desc;
    c->next_product_id++;
    if (n6 >= 0 && hs6_put(&c->by_hs6[cls], n6, nid))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    *id = nid;
    return TR_OK;
}

static int describe_product_locked(struct tr_codes *c, int cls, const char *code,
                                   const char *desc, struct tr_err *e)
{
    char key[96];
    int id, rc;
    snprintf(key, sizeof(key), "%s:%s", tr_classification_name(cls), code);
    if (!tr_strmap_get(c->product, key, &id))
        return tr_codes_product(c, cls, code, desc, &id, e);
    if (tr_stmt_bind_text(c->set_desc, 1, desc) | sqlite3_bind_int(c->set_desc, 2, id))
        return bind_failed(c->set_desc, e);
    if ((rc = step_done(c, c->set_desc, e)))
        return rc;
    c->product_described[id] = 1;
    return TR_OK;
}

int tr_codes_product_level(struct tr_codes *c, int id)
{
    return id >= 1 && (size_t)id < c->cap_products ? c->product_level[id] : -1;
}

int tr_codes_product_chapter(struct tr_codes *c, int id)
{
    return id >= 1 && (size_t)id < c->cap_products ? c->product_chapter[id] : -1;
}

/* The public entry points that may write: SQL runs inside the gate. */
int tr_codes_map_country(struct tr_codes *c, const char *system, const char *code, int country_id,
                         struct tr_err *e)
{
    gate_enter(c);
    int rc = map_country_locked(c, system, code, country_id, e);
    gate_leave(c);
    return rc;
}

int tr_codes_add_country(struct tr_codes *c, const char *iso3, const char *iso2, const char *name,
                         int *id, struct tr_err *e)
{
    gate_enter(c);
    int rc = add_country_locked(c, iso3, iso2, name, id, e);
    gate_leave(c);
    return rc;
}

int tr_codes_describe_product(struct tr_codes *c, int cls, const char *code, const char *desc,
                              struct tr_err *e)
{
    gate_enter(c);
    int rc = describe_product_locked(c, cls, code, desc, e);
    gate_leave(c);
    return rc;
}
