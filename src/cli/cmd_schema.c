/*
 * tradereport schema [NAME]: every table and view with a one-line purpose, or one object's
 * columns with their unit and meaning, as the database at hand has them. The text comes from
 * sql/schema_doc.tsv (embedded at build time), the one source that `help views` and the
 * README's schema section are made from too. Columns are listed from the database itself
 * (PRAGMA table_info), so an object or column the text does not know says so.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tr/cmd.h"
#include "tr/db.h"

extern const char tr_schema_doc_tsv[];

/* One line of the embedded text split into its four fields (name, column, unit, meaning);
 * column is "" on the line that gives an object's kind (in unit) and purpose. */
struct doc_line {
    char buf[512];
    const char *name, *column, *unit, *meaning;
};

/* Reads the line at *pos into d and moves *pos past it; 0 at the end of the text. */
static int next_line(const char **pos, struct doc_line *d)
{
    const char *s = *pos;
    if (!*s)
        return 0;
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    if (len >= sizeof(d->buf))
        len = sizeof(d->buf) - 1;
    memcpy(d->buf, s, len);
    d->buf[len] = '\0';
    *pos = nl ? nl + 1 : s + len;
    const char **field[] = {&d->name, &d->column, &d->unit, &d->meaning};
    char *p = d->buf;
    for (int i = 0; i < 4; i++) {
        *field[i] = p;
        char *tab = i < 3 ? strchr(p, '\t') : NULL;
        if (tab) {
            *tab = '\0';
            p = tab + 1;
        } else {
            p += strlen(p); /* a short line: the missing fields read as "" */
        }
    }
    return 1;
}

/* Finds what the text says about NAME (and COLUMN, or "" for the object itself). */
static int find_doc(const char *name, const char *column, struct doc_line *d)
{
    const char *pos = tr_schema_doc_tsv;
    while (next_line(&pos, d))
        if (strcasecmp(d->name, name) == 0 && strcasecmp(d->column, column) == 0)
            return 1;
    return 0;
}

int tr_schema_print_list(FILE *out)
{
    struct doc_line d;
    const char *pos = tr_schema_doc_tsv;
    while (next_line(&pos, &d))
        if (!*d.column)
            fprintf(out, "%-28s %-5s %s\n", d.name, d.unit, d.meaning);
    return TR_OK;
}

/* The database's own objects the text does not describe (a user's views and tables). */
static int print_undocumented(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT name, type FROM sqlite_schema WHERE type IN "
                           "('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                           "ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        return TR_EIO;
    struct doc_line d;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!find_doc(name, "", &d))
            printf("%-28s %-5s (not described by tradereport: your own, or from another "
                   "version)\n",
                   name, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return s == SQLITE_DONE ? TR_OK : TR_EIO;
}

/* NAME's columns as the database has them, each with the text's unit and meaning. */
static int print_object(sqlite3 *db, const char *name)
{
    struct doc_line d;
    int known = find_doc(name, "", &d);
    if (known)
        printf("%s (%s): %s\n\n", d.name, d.unit, d.meaning);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?1)", -1, &st, NULL) !=
        SQLITE_OK)
        return TR_EIO;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int n = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 0);
        if (n++ == 0) {
            if (!known)
                printf("%s: not described by tradereport (your own, or from another "
                       "version)\n\n",
                       name);
            printf("%-24s %-7s %s\n", "column", "unit", "meaning");
        }
        if (find_doc(name, col, &d))
            printf("%-24s %-7s %s\n", col, d.unit, d.meaning);
        else
            printf("%-24s %-7s (not described)\n", col, "");
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return TR_EIO;
    if (n == 0) {
        fprintf(stderr,
                "tradereport schema: no table or view named '%s' in this database "
                "(tradereport schema lists them)\n",
                name);
        return TR_EFAIL;
    }
    return TR_OK;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db_path = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_path = optarg;
        else
            return tr_cmd_usage(&tr_cmd_schema);
    }
    if (argc - optind > 1)
        return tr_cmd_usage(&tr_cmd_schema);
    struct tr_db d;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_db_open(&d, tr_cmd_db_path(db_path), TR_DB_READ, &e);
    if (rc) {
        tr_cmd_print_err("schema", &e);
        return rc;
    }
    if (optind < argc) {
        rc = print_object(d.db, argv[optind]);
    } else {
        tr_schema_print_list(stdout);
        rc = print_undocumented(d.db);
    }
    if (rc == TR_EIO)
        fprintf(stderr, "tradereport schema: database: %s\n", sqlite3_errmsg(d.db));
    tr_db_close(&d);
    return rc;
}

const struct tr_cmd tr_cmd_schema = {
    .name = "schema",
    .usage = "[--db FILE] [NAME]",
    .summary = "list the tables and views, or one's columns with unit and meaning",
    .help = "Without NAME, every table and view of the database with its kind and a one-line\n"
            "purpose (the views are the ones to query: v_trade has every fact with names).\n"
            "With NAME, that table's or view's columns as the database has them, each with\n"
            "its unit (US$, kg, year, code ...; - for none) and meaning. Objects and columns\n"
            "tradereport does not describe (your own) are listed as such. `tradereport help\n"
            "views` prints the same list without opening a database. Exit 1 for an unknown\n"
            "NAME. Works on a database you can only read.\n",
    .run = run,
};
