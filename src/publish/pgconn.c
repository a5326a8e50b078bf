/*
 * The connection a publish holds: opening it (URL check, login, server version), running
 * statements and quoting identifiers. It knows nothing of what is published.
 * libpq reads passwords from PGPASSWORD, ~/.pgpass and service files itself; nothing here
 * prints the connection string, which may carry one.
 */
#include <stdio.h>
#include <string.h>

#include "tr/pgconn.h"

/* libpq's message without its trailing newline (it may span lines: keep the first). */
static const char *first_line(PGconn *conn, char *buf, size_t size)
{
    const char *m = conn ? PQerrorMessage(conn) : "";
    snprintf(buf, size, "%s", m && *m ? m : "unknown error");
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static int check_target(const char *target, struct tr_err *e)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &err);
    /* libpq's parse message may quote the string, password and all: not repeated here */
    PQfreemem(err);
    if (!opts)
        return tr_err_set(e, TR_EUSAGE,
                          "--to: not a libpq connection string or postgresql:// URL");
    PQconninfoFree(opts);
    return TR_OK;
}

int tr_pg_connect(struct tr_pg *pg, const char *target, struct tr_err *e)
{
    char msg[300];
    pg->conn = NULL;
    int rc = check_target(target, e);
    if (rc)
        return rc;
    /* defaults first: the target's own settings (expanded from dbname) override them */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"10", "tradereport publish", target, NULL};
    pg->conn = PQconnectdbParams(keys, vals, 1);
    if (!pg->conn)
        return tr_err_set(e, TR_ENOMEM, "out of memory connecting to the server");
    if (PQstatus(pg->conn) != CONNECTION_OK)
        return tr_err_set(e, TR_EIO, "cannot connect to the server: %s",
                          first_line(pg->conn, msg, sizeof(msg)));
    int v = PQserverVersion(pg->conn);
    if (v < TR_PG_MIN_VERSION)
        return tr_err_set(e, TR_EIO,
                          "the server is PostgreSQL %d.%d; publishing needs %d or later",
                          v / 10000, v >= 100000 ? v % 10000 : v / 100 % 100,
                          TR_PG_MIN_VERSION / 10000);
    /* the server's notices (a DROP ... IF EXISTS that found nothing) are not news */
    return tr_pg_exec(pg, "SET client_min_messages TO warning", e);
}

void tr_pg_close(struct tr_pg *pg)
{
    if (pg->conn)
        PQfinish(pg->conn);
    pg->conn = NULL;
}

int tr_pg_query(struct tr_pg *pg, const char *sql, int n, const char *const *params,
                PGresult **out, struct tr_err *e)
{
    char msg[300];
    /* without parameters, PQexec: it takes several statements in one string */
    PGresult *r = n ? PQexecParams(pg->conn, sql, n, NULL, params, NULL, NULL, 0)
                    : PQexec(pg->conn, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
        if (primary)
            snprintf(msg, sizeof(msg), "%s", primary);
        else
            first_line(pg->conn, msg, sizeof(msg));
        msg[strcspn(msg, "\n")] = '\0';
        PQclear(r);
        if (out)
            *out = NULL;
        return tr_err_set(e, TR_EIO, "server: %s", msg);
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return TR_OK;
}

int tr_pg_exec(struct tr_pg *pg, const char *sql, struct tr_err *e)
{
    return tr_pg_query(pg, sql, 0, NULL, NULL, e);
}

int tr_pg_ident(const char *name, char *buf, size_t size, struct tr_err *e)
{
    /* as PQescapeIdentifier does: in double quotes, each double quote doubled */
    size_t n = 0;
    if (size < 3)
        return tr_err_set(e, TR_EUSAGE, "name too long: '%s'", name);
    buf[n++] = '"';
    for (const char *c = name; *c; c++) {
        if (n + (*c == '"' ? 2 : 1) + 2 > size)
            return tr_err_set(e, TR_EUSAGE, "name too long: '%s'", name);
        if (*c == '"')
            buf[n++] = '"';
        buf[n++] = *c;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    return TR_OK;
}
