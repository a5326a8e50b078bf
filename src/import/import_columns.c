/*
 * Header columns by normalised name (include/tr/import_columns.h). Only the header is read
 * here, once per file, so plain loops over the small tables are enough. What a column means
 * and which spellings a format accepts stay in that format's file.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "tr/import.h"
#include "tr/import_columns.h"

void tr_column_key(const char *s, size_t len, char *out, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return;
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) && c < 128)
            out[k++] = (char)tolower(c);
        else if (c == '$' && k >= 2 && out[k - 2] == 'u' && out[k - 1] == 's')
            out[k++] = 'd'; /* US$ -> usd */
    }
    out[k] = '\0';
}

/* 1 when the key of header field key equals the key of column c or of one of its aliases. */
static int column_is(const struct tr_column *c, const char *key)
{
    char k[96];
    tr_column_key(c->name, strlen(c->name), k, sizeof(k));
    if (strcmp(k, key) == 0)
        return 1;
    for (const char *const *a = c->aliases; a && *a; a++) {
        tr_column_key(*a, strlen(*a), k, sizeof(k));
        if (strcmp(k, key) == 0)
            return 1;
    }
    return 0;
}

void tr_columns_map(const struct tr_csv_record *h, const struct tr_column *cols, size_t n,
                    int *col, struct tr_column_match *m)
{
    memset(m, 0, sizeof(*m));
    m->duplicate = m->duplicate_at = -1;
    for (size_t c = 0; c < n; c++) {
        col[c] = -1;
        m->required += cols[c].required ? 1 : 0;
    }
    for (size_t i = 0; i < h->n; i++) {
        char key[96];
        const char *f = tr_field(h, i);
        tr_column_key(f, strlen(f), key, sizeof(key));
        if (!*key)
            continue;
        for (size_t c = 0; c < n; c++) {
            if (!column_is(&cols[c], key))
                continue;
            if (col[c] < 0) {
                col[c] = (int)i;
                m->found++;
                m->required_found += cols[c].required ? 1 : 0;
            } else if (m->duplicate < 0) {
                m->duplicate = (int)c;
                m->duplicate_at = (int)i;
            }
            break;
        }
    }
}

void tr_columns_missing(const struct tr_column *cols, size_t n, const int *col, char *buf,
                        size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t c = 0; c < n && used < size; c++) {
        if (!cols[c].required || col[c] >= 0)
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", cols[c].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

int tr_columns_score(const struct tr_column_match *m, size_t n)
{
    if (m->required_found == m->required && m->duplicate < 0)
        return 100;
    if (m->required == 0 || 2 * m->required_found < m->required)
        return 0;
    return 1 + (int)(49 * m->found / (n ? n : 1));
}

int tr_column_is_index(const struct tr_csv_record *h, size_t i)
{
    const char *f = tr_field(h, i);
    return !*f || strncmp(f, "Unnamed: ", 9) == 0;
}

void tr_column_whole_code(char *code)
{
    size_t n = strlen(code), i = code[0] == '-' ? 1 : 0;
    if (n < i + 3 || strcmp(code + n - 2, ".0") != 0)
        return;
    if (strspn(code + i, "0123456789") == n - 2 - i)
        code[n - 2] = '\0';
}
