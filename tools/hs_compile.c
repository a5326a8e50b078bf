/*
 * Build-time compiler of the HS reference data: reads data/hs/HS2022.csv, sections.csv and the
 * six UNSD correlation tables with libcsv, computes every pair's concordance group (union-find
 * over the whole file, and chained across all files) and writes build/hs_data.c with the arrays of include/tr/hs_data.h.
 * Doing this once at build time is what keeps `init` and imports cheap: the binary never parses
 * the 104,411 rows again. Any malformed row fails the build with its file and record number.
 * Usage: hs_compile OUT.c FILE...
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 6
#define FIELD_MAX 1024
#define CODE_SPACE 1000000

struct rec {
    const char *file;
    long line;
    size_t nf;
    int overflow;
    char f[MAX_FIELDS][FIELD_MAX];
};

typedef void (*rec_fn)(const struct rec *r, void *ctx);

struct parse {
    struct rec r;
    rec_fn fn;
    void *ctx;
};

static FILE *out;
static uint64_t fnv = 14695981039346656037ULL;   /* fingerprint of every input byte */

static void die(const struct rec *r, const char *why)
{
    fprintf(stderr, "hs_compile: %s record %ld: %s\n", r->file, r->line, why);
    exit(1);
}

static void on_field(void *s, size_t len, void *data)
{
    struct parse *p = data;
    if (p->r.nf >= MAX_FIELDS || len >= FIELD_MAX) {
        p->r.overflow = 1;
        return;
    }
    memcpy(p->r.f[p->r.nf], s, len);
    p->r.f[p->r.nf++][len] = '\0';
}

static void on_record(int c, void *data)
{
    (void)c;
    struct parse *p = data;
    p->r.line++;
    if (p->r.overflow)
        die(&p->r, "field too long or too many fields");
    p->fn(&p->r, p->ctx);
    p->r.nf = 0;
}

/* Feeds the file to fn record by record, header included (record 1); a BOM is skipped. */
static void parse_file(const char *path, rec_fn fn, void *ctx)
{
    static struct parse p;
    memset(&p, 0, sizeof(p));
    p.r.file = path;
    p.fn = fn;
    p.ctx = ctx;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        exit(1);
    }
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0)
        exit(1);
    char buf[65536];
    size_t n, first = 1;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
        for (size_t i = 0; i < n; i++)
            fnv = (fnv ^ (unsigned char)buf[i]) * 1099511628211ULL;
        size_t skip = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        first = 0;
        if (csv_parse(&cp, buf + skip, n - skip, on_field, on_record, &p) != n - skip)
            die(&p.r, csv_strerror(csv_error(&cp)));
    }
    if (ferror(fp) || csv_fini(&cp, on_field, on_record, &p) != 0)
        die(&p.r, "read error or unterminated quote");
    csv_free(&cp);
    fclose(fp);
}

/* A C string literal of s (escapes quotes, backslashes, '?' against trigraphs). */
static void put_str(const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || *s == '?')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void check_header(const struct rec *r, const char *const *names, size_t n)
{
    if (r->nf != n)
        die(r, "unexpected number of fields");
    for (size_t i = 0; r->line == 1 && i < n; i++)
        if (strcmp(r->f[i], names[i]) != 0)
            die(r, "unexpected header");
}

static size_t n_headings, n_sections;

static void heading_row(const struct rec *r, void *ctx)
{
    static const char *const h[] = {"section", "hscode", "description", "parent", "level"};
    (void)ctx;
    check_header(r, h, 5);
    if (r->line == 1)
        return;
    int level = atoi(r->f[4]);
    if (level < 2 || level > 6)
        die(r, "level not 2..6");
    fputs("    {", out);
    put_str(r->f[1]);
    fputs(", ", out);
    put_str(r->f[3]);
    fputs(", ", out);
    put_str(r->f[0]);
    fputs(", ", out);
    put_str(r->f[2]);
    fprintf(out, ", %d},\n", level);
    n_headings++;
}

static void section_row(const struct rec *r, void *ctx)
{
    static const char *const h[] = {"section", "name"};
    (void)ctx;
    check_header(r, h, 2);
    if (r->line == 1)
        return;
    fputs("    {", out);
    put_str(r->f[0]);
    fputs(", ", out);
    put_str(r->f[1]);
    fputs("},\n", out);
    n_sections++;
}

/* ---- correlation tables ---------------------------------------------------------------- */

struct pair {
    int h6, older, group, chain, rev, rel;
};

static struct pair *pairs;
static size_t n_pairs, cap_pairs, file_rows[6];
static int *parent;   /* union-find: HS2022 codes, then older codes; 0 = root, else parent + 1 */
static int *min6;     /* per root: smallest HS2022 code + 1 */

static int six_digits(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[6] == '\0';
}

static void pair_row(const struct rec *r, void *ctx)
{
    static const char *const rels[] = {"1:1", "n:1", "1:n", "n:n"};
    int rev = *(int *)ctx;
    if (r->nf != 3 || (r->line == 1 && strncmp(r->f[0], "hs2022", 6) != 0))
        die(r, "unexpected header or number of fields");
    if (r->line == 1)
        return;
    int rel = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(r->f[2], rels[i]) == 0)
            rel = i;
    if (!six_digits(r->f[0]) || !six_digits(r->f[1]) || rel < 0)
        die(r, "not two six-digit codes and a relationship");
    if (n_pairs == cap_pairs) {
        cap_pairs = cap_pairs ? 2 * cap_pairs : 16384;
        if (!(pairs = realloc(pairs, cap_pairs * sizeof(*pairs))))
            exit(1);
    }
    pairs[n_pairs++] = (struct pair){atoi(r->f[0]), atoi(r->f[1]), 0, 0, rev, rel};
    file_rows[rev]++;
}

static int uf_find(int x)
{
    int root = x;
    while (parent[root])
        root = parent[root] - 1;
    while (parent[x]) {
        int next = parent[x] - 1;
        parent[x] = root + 1;
        x = next;
    }
    return root;
}

/* Groups of one file's pairs [first, n_pairs): then the nodes are cleared for the next file. */
static void name_groups(size_t first)
{
    for (size_t i = first; i < n_pairs; i++) {
        int a = uf_find(pairs[i].h6), b = uf_find(CODE_SPACE + pairs[i].older);
        if (a != b)
            parent[b] = a + 1;
    }
    for (size_t i = first; i < n_pairs; i++) {
        int root = uf_find(pairs[i].h6);
        if (min6[root] == 0 || min6[root] > pairs[i].h6 + 1)
            min6[root] = pairs[i].h6 + 1;
    }
    for (size_t i = first; i < n_pairs; i++)
        pairs[i].group = min6[uf_find(pairs[i].h6)] - 1;
    for (size_t i = first; i < n_pairs; i++) {
        int a = pairs[i].h6, b = CODE_SPACE + pairs[i].older;
        parent[a] = parent[b] = min6[a] = min6[b] = 0;
    }
}

/* Chained groups: the connected codes of all six files at once (HS2022 codes, then each older
 * revision's codes as nodes of their own), so that a series crossing several revisions
 * (HS2012 -> HS2017 -> HS2022) sums the same goods in every year. */
static void name_chains(void)
{
    for (size_t i = 0; i < n_pairs; i++) {
        int a = uf_find(pairs[i].h6);
        int b = uf_find((pairs[i].rev + 1) * CODE_SPACE + pairs[i].older);
        if (a != b)
            parent[b] = a + 1;
    }
    for (size_t i = 0; i < n_pairs; i++) {
        int root = uf_find(pairs[i].h6);
        if (min6[root] == 0 || min6[root] > pairs[i].h6 + 1)
            min6[root] = pairs[i].h6 + 1;
    }
    for (size_t i = 0; i < n_pairs; i++)
        pairs[i].chain = min6[uf_find(pairs[i].h6)] - 1;
}

static int pair_cmp(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->rev != b->rev)
        return a->rev - b->rev;
    if (a->h6 != b->h6)
        return a->h6 - b->h6;
    return a->older - b->older;
}

static void write_pairs(void)
{
    qsort(pairs, n_pairs, sizeof(*pairs), pair_cmp);
    fputs("const struct tr_hs_pair tr_hs_pairs[] = {\n", out);
    for (size_t i = 0; i < n_pairs; i++)
        fprintf(out, "{%d,%d,%d,%d,%d,%d},\n", pairs[i].h6, pairs[i].older, pairs[i].group,
                pairs[i].chain, pairs[i].rev, pairs[i].rel);
    fprintf(out, "};\nconst size_t tr_hs_n_pairs = %zu;\n", n_pairs);
    fprintf(out, "const size_t tr_hs_file_rows[6] = {%zu, %zu, %zu, %zu, %zu, %zu};\n",
            file_rows[0], file_rows[1], file_rows[2], file_rows[3], file_rows[4], file_rows[5]);
}

/* HS2022toHS2017.csv -> 5 (H5) ... HS2022toHS1992.csv -> 0; -1 for any other name. */
static int older_rev(const char *path)
{
    static const int years[] = {1992, 1996, 2002, 2007, 2012, 2017};
    const char *base = strrchr(path, '/');
    int year;
    if (sscanf(base ? base + 1 : path, "HS2022toHS%4d.csv", &year) != 1)
        return -1;
    for (int i = 0; i < 6; i++)
        if (years[i] == year)
            return i;
    return -1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

int main(int argc, char **argv)
{
    if (argc < 3 || !(out = fopen(argv[1], "w")))
        return fprintf(stderr, "usage: hs_compile OUT.c FILE...\n"), 2;
    parent = calloc(7 * CODE_SPACE, sizeof(int));   /* HS2022 codes, then H0 .. H5 codes */
    min6 = calloc(7 * CODE_SPACE, sizeof(int));
    if (!parent || !min6)
        return 1;
    fputs("/* generated by tools/hs_compile.c from data/hs/ — do not edit */\n"
          "#include \"tr/hs_data.h\"\n", out);
    for (int pass = 0; pass < 3; pass++) {   /* headings, sections, then the tables */
        if (pass == 0)
            fputs("const struct tr_hs_heading tr_hs_headings[] = {\n", out);
        if (pass == 1)
            fputs("const struct tr_hs_section tr_hs_sections[] = {\n", out);
        for (int i = 2; i < argc; i++) {
            int rev = older_rev(argv[i]);
            if (pass == 0 && ends_with(argv[i], "/HS2022.csv"))
                parse_file(argv[i], heading_row, NULL);
            else if (pass == 1 && ends_with(argv[i], "/sections.csv"))
                parse_file(argv[i], section_row, NULL);
            else if (pass == 2 && rev >= 0) {
                size_t first = n_pairs;
                parse_file(argv[i], pair_row, &rev);
                name_groups(first);
            }
        }
        if (pass == 0)
            fprintf(out, "};\nconst size_t tr_hs_n_headings = %zu;\n", n_headings);
        if (pass == 1)
            fprintf(out, "};\nconst size_t tr_hs_n_sections = %zu;\n", n_sections);
    }
    name_chains();
    write_pairs();
    fprintf(out, "const char tr_hs_fingerprint[] = \"data/hs fnv1a64 %016llx\";\n",
            (unsigned long long)fnv);
    if (!n_headings || !n_sections || !n_pairs || fclose(out) != 0)
        return fprintf(stderr, "hs_compile: missing input or write error\n"), 1;
    return 0;
}
