/*
 * A new database as a copy of the embedded template (tr/db_template.h). The template is an
 * SQLite database image made by this very code base at build time; it is opened in memory
 * with sqlite3_deserialize (read-only, in place) and copied with the backup API, so every
 * byte written goes through SQLite as any other write does.
 */
#include "tr/db_template.h"

#include <stdlib.h>
#include <string.h>

#include "tr/stmt.h"

/* Defined by db_template_image.S in the binaries that embed the image; weak, so that the
 * template maker and the fuzz targets link without it (both addresses are then NULL). */
extern const unsigned char tr_db_template_start[] __attribute__((weak));
extern const unsigned char tr_db_template_end[] __attribute__((weak));

size_t tr_db_template_size(void)
{
    const char *force = getenv("TR_DB_TEMPLATE");
    if (force && strcmp(force, "0") == 0)
        return 0;
    if (!tr_db_template_start || !tr_db_template_end)
        return 0;
    return (size_t)(tr_db_template_end - tr_db_template_start);
}

/* 1 when main holds no schema object and user_version 0 (a file just created, or empty). */
static int main_is_new(sqlite3 *db, int *is_new, struct tr_err *e)
{
    sqlite3_stmt *st;
    int rc = tr_stmt_prepare(db, &st, e,
                             "SELECT (SELECT count(*) FROM sqlite_schema) = 0 "
                             "AND (SELECT user_version FROM pragma_user_version) = 0",
                             "");
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    *is_new = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? TR_OK : tr_stmt_fail(db, rc, e);
}

/* Opens the embedded image as an in-memory, read-only database. */
static int open_image(sqlite3 **image, size_t size, struct tr_err *e)
{
    int rc = sqlite3_open_v2(":memory:", image, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc == SQLITE_OK)
        /* READONLY: SQLite reads the binary's bytes in place and never writes them */
        rc = sqlite3_deserialize(*image, "main", (unsigned char *)tr_db_template_start,
                                 (sqlite3_int64)size, (sqlite3_int64)size,
                                 SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
        tr_err_set(e, tr_stmt_code(rc), "cannot open the embedded database template: %s",
                   *image ? sqlite3_errmsg(*image) : sqlite3_errstr(rc));
        sqlite3_close(*image);
        *image = NULL;
        return e->code;
    }
    return TR_OK;
}

/* Every page of the image into main, in one step (one write transaction on main). */
static int copy_pages(sqlite3 *db, sqlite3 *image, struct tr_err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(db, "main", image, "main");
    if (!b)
        return tr_stmt_fail(db, sqlite3_errcode(db), e);
    int step = sqlite3_backup_step(b, -1);
    int fin = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(step), "cannot write the new database: %s",
                          sqlite3_errstr(step));
    return fin == SQLITE_OK ? TR_OK : tr_stmt_fail(db, fin, e);
}

int tr_db_template_copy_if_new(sqlite3 *db, struct tr_err *e)
{
    size_t size = tr_db_template_size();
    if (size == 0)
        return TR_OK;
    int is_new = 0;
    int rc = main_is_new(db, &is_new, e);
    if (rc || !is_new)
        return rc;
    sqlite3 *image;
    if ((rc = open_image(&image, size, e)))
        return rc;
    rc = copy_pages(db, image, e);
    sqlite3_close(image);
    return rc;
}
