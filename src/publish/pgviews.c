/*
 * Creating the views on the server. Their files are named like SQLite's (one view per file,
 * the file name is the view's name); PostgreSQL checks a view's references when it is
 * created, so views that read other views are retried, each try in a savepoint, until every
 * one stands or a pass makes no progress (then that pass's first error is the answer: an
 * earlier pass's may only say a view it reads was not there yet).
 */
#include <stdio.h>
#include <string.h>

#include "sql_embed.h"
#include "tr/pgviews.h"

#define MAX_VIEWS 64

static void view_name(const char *file, char *buf, size_t size)
{
    snprintf(buf, size, "%s", file);
    char *dot = strrchr(buf, '.');
    if (dot)
        *dot = '\0';
}

int tr_pgviews_drop(struct tr_pg *pg, struct tr_err *e)
{
    for (size_t i = 0; i < tr_sql_n_pg_views; i++) {
        char name[128], q[200], sql[300];
        view_name(tr_sql_pg_views[i].name, name, sizeof(name));
        int rc = tr_pg_ident(name, q, sizeof(q), e);
        if (rc)
            return rc;
        snprintf(sql, sizeof(sql), "DROP VIEW IF EXISTS %s CASCADE", q);
        if ((rc = tr_pg_exec(pg, sql, e)))
            return rc;
    }
    return TR_OK;
}

/* One try: TR_OK when the view now exists, else the savepoint is rolled back. */
static int try_create(struct tr_pg *pg, const char *text, struct tr_err *e)
{
    int rc = tr_pg_exec(pg, "SAVEPOINT tr_view", e);
    if (rc)
        return rc;
    if (tr_pg_exec(pg, text, e) != TR_OK)
        return tr_pg_exec(pg, "ROLLBACK TO SAVEPOINT tr_view", NULL) ? TR_EIO : TR_EFAIL;
    return tr_pg_exec(pg, "RELEASE SAVEPOINT tr_view", e);
}

/* SQLite functions the views use that PostgreSQL spells otherwise, in the published schema:
 * round(real, digits) (PostgreSQL rounds only numeric to digits; half away from zero in
 * both) and the two-argument max()/min(), NULL when either side is (greatest() would skip
 * the NULL). */
static const char SQLITE_FNS[] =
    "CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS numeric "
    "LANGUAGE sql IMMUTABLE STRICT AS 'SELECT round($1::numeric, $2)';"
    "CREATE OR REPLACE FUNCTION scalar_max(anycompatible, anycompatible) "
    "RETURNS anycompatible LANGUAGE sql IMMUTABLE STRICT AS 'SELECT greatest($1, $2)';"
    "CREATE OR REPLACE FUNCTION scalar_min(anycompatible, anycompatible) "
    "RETURNS anycompatible LANGUAGE sql IMMUTABLE STRICT AS 'SELECT least($1, $2)'";

int tr_pgviews_create(struct tr_pg *pg, int *n, struct tr_err *e)
{
    char done[MAX_VIEWS] = {0};
    size_t total = tr_sql_n_pg_views < MAX_VIEWS ? tr_sql_n_pg_views : MAX_VIEWS;
    size_t made = 0;
    struct tr_err first;
    tr_err_init(&first);
    int rc = tr_pg_exec(pg, SQLITE_FNS, e);
    if (rc)
        return rc;
    for (int progress = 1; progress && made < total;) {
        progress = 0;
        tr_err_init(&first); /* the answer is an error of the pass that made no progress */
        for (size_t i = 0; i < total; i++) {
            if (done[i])
                continue;
            struct tr_err one;
            tr_err_init(&one);
            rc = try_create(pg, tr_sql_pg_views[i].text, &one);
            if (rc == TR_OK) {
                done[i] = 1;
                made++;
                progress = 1;
            } else if (rc != TR_EFAIL) {
                return tr_err_set(e, rc, "%s", one.msg);
            } else if (!first.code) {
                tr_err_set(&first, TR_EIO, "view %s: %s", tr_sql_pg_views[i].name, one.msg);
            }
        }
    }
    *n = (int)made;
    if (made < total)
        return tr_err_set(e, TR_EIO, "%s", first.msg[0] ? first.msg : "views not created");
    return TR_OK;
}
