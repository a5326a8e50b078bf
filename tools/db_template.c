/*
 * Build step: writes the database template that `init` copies (include/tr/db_template.h).
 * Linked without the image, so tr_db_open creates the file from the migrations of sql/ and
 * writes every HS reference row; the file is then left in rollback mode and vacuumed, the
 * form an in-memory image needs. Usage: db_template OUT.db (OUT must not exist).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tr/db.h"
#include "tr/db_template.h"
#include "tr/err.h"
#include "tr/stmt.h"

static int fail(const char *out, const struct tr_err *e)
{
    fprintf(stderr, "db_template: %s: %s\n", out, e->msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2 || access(argv[1], F_OK) == 0) {
        fprintf(stderr, "usage: db_template OUT.db (a file that does not exist yet)\n");
        return 2;
    }
    const char *out = argv[1];
    struct tr_err e;
    struct tr_db d;
    tr_err_init(&e);
    if (tr_db_template_size() != 0) {
        tr_err_set(&e, TR_EUSAGE, "built with a template already: the image must come from sql/");
        return fail(out, &e);
    }
    if (tr_db_open(&d, out, TR_DB_WRITE, &e))
        return fail(out, &e);
    /* tr_db_open wrote the schema and every reference row (tr_db_migrate) */
    int rc = tr_stmt_script(d.db, "PRAGMA journal_mode = DELETE; VACUUM;", &e);
    tr_db_close(&d);
    char lock[4200];
    snprintf(lock, sizeof(lock), "%s.lock", out);
    unlink(lock);
    return rc ? fail(out, &e) : 0;
}
