/*
 * Prepare, bind, step, finalize in one call (tr/stmt.h). Used by the modules that run a few
 * statements each with a handful of values; the hot paths keep their prepared statements.
 */
#include "tr/stmt.h"

int tr_stmt_fail(sqlite3 *db, int sqlite_rc, struct tr_err *e)
{
    return tr_err_set(e, tr_stmt_code(sqlite_rc), "database: %s", sqlite3_errmsg(db));
}

int tr_stmt_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return TR_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return TR_EBUSY;
    case SQLITE_NOMEM: return TR_ENOMEM;
    case SQLITE_INTERRUPT: return TR_EFAIL;
    default: return TR_EIO;
    }
}

int tr_stmt_script(sqlite3 *db, const char *sql, struct tr_err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        tr_err_set(e, tr_stmt_code(rc), "database: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return e->code;
    }
    return TR_OK;
}

int tr_stmt_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int tr_stmt_bind_failed(sqlite3_stmt *st, struct tr_err *e)
{
    sqlite3_finalize(st);
    return tr_err_set(e, TR_ENOMEM, "out of memory binding a value");
}

static int bind_all(sqlite3_stmt *st, const char *types, va_list ap)
{
    int brc = SQLITE_OK;
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            brc |= sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        else
            brc |= tr_stmt_bind_text(st, i + 1, va_arg(ap, const char *));
    }
    return brc;
}

static int prepare_v(sqlite3 *db, sqlite3_stmt **st, struct tr_err *e, const char *sql,
                     const char *types, va_list ap)
{
    *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_stmt_fail(db, rc, e);
    if (bind_all(*st, types, ap) != SQLITE_OK) {
        tr_stmt_bind_failed(*st, e);
        *st = NULL;
        return e->code;
    }
    return TR_OK;
}

int tr_stmt_prepare(sqlite3 *db, sqlite3_stmt **st, struct tr_err *e, const char *sql,
                    const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = prepare_v(db, st, e, sql, types, ap);
    va_end(ap);
    return rc;
}

int tr_stmt_exec(sqlite3 *db, long *changes, struct tr_err *e, const char *sql, const char *types,
                 ...)
{
    sqlite3_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = prepare_v(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_stmt_fail(db, s, e);
    if (changes)
        *changes = (long)sqlite3_changes(db);
    return TR_OK;
}
