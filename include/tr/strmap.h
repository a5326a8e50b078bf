/*
 * A string -> int hash map (open addressing, FNV-1a). Keys are copied into the map.
 * Ownership: the map owns its keys; tr_strmap_free releases everything.
 */
#ifndef TR_STRMAP_H
#define TR_STRMAP_H

#include <stddef.h>

struct tr_strmap;

struct tr_strmap *tr_strmap_new(void);
void tr_strmap_free(struct tr_strmap *m);
/* Returns 1 and sets *val when key is present, else 0. */
int tr_strmap_get(const struct tr_strmap *m, const char *key, int *val);
/* Inserts or replaces; returns 0, or -1 when out of memory. */
int tr_strmap_put(struct tr_strmap *m, const char *key, int val);
size_t tr_strmap_size(const struct tr_strmap *m);

#endif
