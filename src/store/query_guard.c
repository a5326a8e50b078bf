/*
 * What `tradereport query` lets users' SQL do: read the database's tables and views, call
 * SQLite's ordinary functions, and ask the read-only pragmas below. The authorizer allows
 * actions from a short list and refuses everything else at prepare time, so a statement that
 * would copy the database elsewhere (VACUUM INTO), read another file (ATTACH), change a
 * setting (PRAGMA x = y) or reach outside SQLite (fts3_tokenizer, load_extension) never runs.
 * It does not limit time or memory: a query can still be slow; Ctrl-C stops it.
 */
#include "tr/query_guard.h"

#include <string.h>
#include <strings.h>

/* Pragmas that only report on the schema or the file, whatever their argument (a table or
 * index name). database_list shows the path of the open file, which the user gave us. */
static const char *const READ_PRAGMAS[] = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "database_list",
    "collation_list",
    "function_list",
    "module_list",
    "pragma_list",
    "compile_options",
    "integrity_check",
    "quick_check",
    NULL,
};

/* Pragmas that read a value without an argument and set it with one: allowed bare only. */
static const char *const BARE_PRAGMAS[] = {
    "user_version",   "schema_version", "application_id", "page_size",    "page_count",
    "freelist_count", "encoding",       "journal_mode",   "foreign_keys", NULL,
};

/* A deny-list, not an allow-list, for functions: SQLite's several hundred built-in, math, JSON
 * and window functions only compute on their arguments, the views use many of them, and new
 * SQLite versions add more. These few reach outside the database: fts3_tokenizer returns a
 * pointer (and with two arguments installs one), load_extension loads a shared library,
 * readfile/writefile/edit/fsdir are the sqlite3 shell's file functions, should an extension
 * ever provide them here. */
static const char *const DENIED_FUNCTIONS[] = {
    "fts3_tokenizer", "load_extension", "readfile", "writefile", "edit", "fsdir", NULL,
};

static int in_list(const char *const *list, const char *name)
{
    for (; name && *list; list++)
        if (strcasecmp(*list, name) == 0)
            return 1;
    return 0;
}

static int pragma_ok(const char *name, const char *arg)
{
    return in_list(READ_PRAGMAS, name) || (!arg && in_list(BARE_PRAGMAS, name));
}

/* The authorizer: a2 and a3 are the action's arguments (see sqlite3_set_authorizer);
 * a4 the database name, a5 the trigger or view the access comes from. */
static int authorize(void *unused, int action, const char *a2, const char *a3, const char *a4,
                     const char *a5)
{
    (void)unused, (void)a4, (void)a5;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE: return SQLITE_OK;
    case SQLITE_FUNCTION: return in_list(DENIED_FUNCTIONS, a3) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA: return pragma_ok(a2, a3) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_UPDATE:
        /* SQLite asks this, column by column, when a table-valued function (json_each,
         * pragma_table_info) is first connected, which writes nothing. A real UPDATE of the
         * schema table is refused by SQLite itself (defensive mode: no writable_schema), by
         * the read-only connection and by tr_query_guard_check. */
        return a2 && strcmp(a2, "sqlite_master") == 0 ? SQLITE_OK : SQLITE_DENY;
    default: /* writes, DDL, ATTACH/DETACH, VACUUM, transactions, ANALYZE, REINDEX ... */
        return SQLITE_DENY;
    }
}

int tr_query_guard_install(sqlite3 *db, struct tr_err *e)
{
    int rc = sqlite3_set_authorizer(db, authorize, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, TR_ENOMEM, "cannot install the query guard: %s", sqlite3_errstr(rc));
    return TR_OK;
}

int tr_query_guard_check(sqlite3_stmt *st, struct tr_err *e)
{
    if (sqlite3_stmt_readonly(st))
        return TR_OK;
    return tr_err_set(e, TR_EFAIL,
                      "query runs read-only statements only (SELECT, WITH, "
                      "read-only PRAGMA); this one would write");
}
