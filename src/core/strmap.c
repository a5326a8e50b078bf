/*
 * String-keyed hash map for dimension lookups during imports (codes -> ids).
 * Grows by doubling at 50% load; no deletion, which the importers never need.
 */
#include "tr/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    char *key;
    int val;
};

struct tr_strmap {
    struct slot *slots;
    size_t cap, size;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct tr_strmap *tr_strmap_new(void)
{
    struct tr_strmap *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof(struct slot));
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void tr_strmap_free(struct tr_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static struct slot *find(const struct tr_strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

int tr_strmap_get(const struct tr_strmap *m, const char *key, int *val)
{
    struct slot *s = find(m, key);
    if (!s->key)
        return 0;
    *val = s->val;
    return 1;
}

static int rehash(struct tr_strmap *m)
{
    struct tr_strmap bigger = {calloc(m->cap * 2, sizeof(struct slot)), m->cap * 2, m->size};
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find(&bigger, m->slots[i].key) = m->slots[i];
    free(m->slots);
    *m = bigger;
    return 0;
}

int tr_strmap_put(struct tr_strmap *m, const char *key, int val)
{
    if ((m->size + 1) * 2 > m->cap && rehash(m))
        return -1;
    struct slot *s = find(m, key);
    if (!s->key) {
        if (!(s->key = strdup(key)))
            return -1;
        m->size++;
    }
    s->val = val;
    return 0;
}

size_t tr_strmap_size(const struct tr_strmap *m)
{
    return m->size;
}
