/*
 * One read transaction over a command's SELECTs. BEGIN alone is deferred: SQLite takes the
 * snapshot at the first read, so tr_snapshot_begin reads the schema at once; without that,
 * a commit between BEGIN and the first real SELECT would still be seen.
 */
#include "tr/snapshot.h"

#include "tr/db.h"
#include "tr/stmt.h"

int tr_snapshot_begin(struct tr_snapshot *s, sqlite3 *db, struct tr_err *e)
{
    s->db = db;
    s->owned = 0;
    if (!sqlite3_get_autocommit(db))
        return TR_OK; /* the caller's transaction is the snapshot */
    int rc = tr_stmt_script(db, "BEGIN", e);
    if (rc)
        return rc;
    s->owned = 1;
    if ((rc = tr_stmt_script(db, "SELECT count(*) FROM sqlite_schema", e)))
        tr_snapshot_end(s);
    return rc;
}

void tr_snapshot_end(struct tr_snapshot *s)
{
    /* a read-only transaction: ROLLBACK and COMMIT are the same; ROLLBACK cannot fail on a
     * full disk and never writes */
    if (s->owned && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->owned = 0;
}
