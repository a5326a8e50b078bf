/*
 * Dimension lookups done in C while loading: country codes of every coding system (with the
 * years each code is valid), flows, HS classifications and products. Loaded once per import
 * from the database; new products are added to dim_product as they are first seen.
 * Ownership: tr_codes_open returns a struct the caller frees with tr_codes_free.
 */
#ifndef TR_CODES_H
#define TR_CODES_H

#include <sqlite3.h>

#include "tr/err.h"

struct tr_codes;

int tr_codes_open(sqlite3 *db, struct tr_codes **out, struct tr_err *e);
void tr_codes_free(struct tr_codes *c);
/* enter/leave are called around every statement the lookups run (new codes, descriptions),
 * so another thread may share the connection; NULL = none. */
void tr_codes_set_gate(struct tr_codes *c, void (*enter)(void *), void (*leave)(void *),
                       void *ctx);

/* The country id for a code of system ("comtrade", "baci", "iso3", "iso2", "m49", "wits")
 * valid in year (0 = any year); 0 when unknown. Leading zeros and spaces are ignored for
 * numeric systems. */
int tr_codes_country(struct tr_codes *c, const char *system, const char *code, int year);
/* Adds or moves a code mapping (e.g. from a BACI country file), in memory and in the
 * database; the caller's transaction covers it. */
int tr_codes_map_country(struct tr_codes *c, const char *system, const char *code, int country_id,
                         struct tr_err *e);
/* The ISO3 (or special) code of a country id, or NULL. */
const char *tr_codes_iso3(struct tr_codes *c, int country_id);
/* Creates a dim_country entry (kind "country") for an entity a code file names but the master
 * lacks; returns its new id in *id. */
int tr_codes_add_country(struct tr_codes *c, const char *iso3, const char *iso2, const char *name,
                         int *id, struct tr_err *e);

/* Flow codes: X M RX RM XIP XOP MIP MOP DX FM -> 1..10; 0 when unknown. */
int tr_flow_id(const char *flow);
const char *tr_flow_name(int id);

/* HS revision "H0".."H6" (also "HS17", "HS2017", "HS22" ...) -> 0..6; -1 when unknown. */
int tr_classification_id(const char *s);
const char *tr_classification_name(int id);

/* Checks a product code by form and gives its level: 0 TOTAL, 2/4/6 HS digits, 9 special
 * (four digits and two letters, e.g. 9999AA); -1 when the form is not a product code. */
int tr_product_level(const char *code);

/* The product id of (classification, code), adding it to dim_product when new. desc may be NULL;
 * a description is stored when the product has none yet. */
int tr_codes_product(struct tr_codes *c, int classification, const char *code, const char *desc,
                     int *id, struct tr_err *e);
/* Sets a product's description (product files are the authority for descriptions). */
int tr_codes_describe_product(struct tr_codes *c, int classification, const char *code,
                              const char *desc, struct tr_err *e);
/* Level of a known product id (see tr_product_level); -1 when unknown. */
int tr_codes_product_level(struct tr_codes *c, int product_id);
/* Chapter of a known product id as a number 0..99 (dim_product.chapter); -1 for none. */
int tr_codes_product_chapter(struct tr_codes *c, int product_id);

#endif
