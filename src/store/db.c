/*
 * The database file: open, pragmas, migrations and views from the embedded sql/ files, and
 * the writer lock. Readers never take the lock and never block writers (WAL).
 * Schema changes only here; the importers and views assume the current version.
 */
#include "tr/db.h"
#include "tr/db_shared.h"
#include "tr/db_template.h"
#include "tr/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sql_embed.h"
#include "tr/summary.h"
#include "tr/hs_reference.h"
#include "tr/stmt.h"

const char *tr_db_default_path(void)
{
    /* set but empty is passed on as "", which tr_db_check_path refuses: an unset variable in
     * a cron line must not turn into a throwaway database */
    const char *p = getenv("TRADEREPORT_DB");
    return p ? p : "trade.db";
}

int tr_db_check_path(const char *path, struct tr_err *e)
{
    if (!*path)
        return tr_err_set(e, TR_EUSAGE,
                          "no database named: --db is empty (or $TRADEREPORT_DB "
                          "is set but empty)");
    /* SQLite would open a private in-memory (":memory:") or temporary ("") database: a run
     * would load into it, archive the inbox and lose everything at exit */
    if (strcmp(path, ":memory:") == 0)
        return tr_err_set(e, TR_EUSAGE,
                          "'%s' is SQLite's in-memory database: nothing would be "
                          "kept; name a database file",
                          path);
    return TR_OK;
}

int tr_db_schema_version(void)
{
    return (int)tr_sql_n_migrations;
}

void tr_now_iso(char buf[32])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Adds "<prefix><name>)" to an error message, as far as it fits. */
static void append_msg(struct tr_err *e, const char *prefix, const char *name)
{
    size_t k = strlen(e->msg);
    snprintf(e->msg + k, sizeof(e->msg) - k, "%s%s)", prefix, name);
}

static int user_version(sqlite3 *db, int *v, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* The view's name: its file's name without ".sql" (sql/views/v_trade_annual.sql). */
static void view_name(const char *file, char *name, size_t n)
{
    snprintf(name, n, "%.*s", (int)strcspn(file, "."), file);
}

/* 1 when the view exists and meta holds the hash of the embedded text it was created from. */
static int view_current(sqlite3 *db, const char *name, const char *hash, int *current,
                        struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT (SELECT count(*) FROM sqlite_schema WHERE type = 'view' "
                                "AND name = ?1) AND (SELECT value = ?2 FROM meta "
                                "WHERE key = 'view_sha256:' || ?1)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        if ((rc = tr_stmt_bind_text(st, 1, name) | tr_stmt_bind_text(st, 2, hash)) != SQLITE_OK)
            rc = SQLITE_NOMEM;
        else if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            *current = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* Drops and creates one of our views, then records the hash of the text it came from. */
static int view_replace(sqlite3 *db, const char *name, const char *text, const char *hash,
                        struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    char *drop = sqlite3_mprintf("DROP VIEW IF EXISTS \"%w\"", name);
    int rc = drop ? tr_stmt_script(db, drop, e) : tr_err_set(e, TR_ENOMEM, "out of memory");
    sqlite3_free(drop);
    if (rc || (rc = tr_stmt_script(db, text, e)))
        return rc;
    int s = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta VALUES ('view_sha256:' || ?, ?)",
                               -1, &st, NULL);
    if (s == SQLITE_OK) {
        s = tr_stmt_bind_text(st, 1, name) | tr_stmt_bind_text(st, 2, hash) ? SQLITE_NOMEM
                                                                            : sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* Brings the project's own views, named by the embedded list, up to this binary's text. A
 * view whose text is unchanged is not touched, so a run that loads nothing writes nothing,
 * and views (or tables) of the users' own are never looked at. A view dropped from sql/views/
 * needs a migration that drops it: nothing here goes through all the views there are. */
static int recreate_views(sqlite3 *db, struct tr_err *e)
{
    for (size_t i = 0; i < tr_sql_n_views; i++) {
        char name[128], hash[65];
        struct tr_sha256 h;
        int current = 0, rc;
        view_name(tr_sql_views[i].name, name, sizeof(name));
        tr_sha256_init(&h);
        tr_sha256_update(&h, tr_sql_views[i].text, strlen(tr_sql_views[i].text));
        tr_sha256_final_hex(&h, hash);
        if ((rc = view_current(db, name, hash, &current, e)))
            return rc;
        if (!current && (rc = view_replace(db, name, tr_sql_views[i].text, hash, e))) {
            append_msg(e, " (in sql/views/", tr_sql_views[i].name);
            return rc;
        }
    }
    return TR_OK;
}

int tr_db_migrate(sqlite3 *db, struct tr_err *e)
{
    int v = 0, rc;
    if ((rc = tr_stmt_script(db, "BEGIN IMMEDIATE", e)))
        return rc;
    if ((rc = user_version(db, &v, e)))
        goto out;
    if (v > (int)tr_sql_n_migrations) {
        rc = tr_err_set(e, TR_EIO,
                        "database made by a newer tradereport (schema %d, this one "
                        "knows %d); nothing changed",
                        v, (int)tr_sql_n_migrations);
        goto out;
    }
    for (size_t i = (size_t)v; i < tr_sql_n_migrations; i++) {
        if ((rc = tr_stmt_script(db, tr_sql_migrations[i].text, e))) {
            append_msg(e, " (in sql/", tr_sql_migrations[i].name);
            goto out;
        }
    }
    /* Each write below happens only when something changed: a writer that brings nothing
     * (an empty nightly run, a file already loaded) leaves the file's bytes as they were. */
    if (v < (int)tr_sql_n_migrations) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", (int)tr_sql_n_migrations);
        if ((rc = tr_stmt_script(db, pragma, e)))
            goto out;
    }
    if ((rc = recreate_views(db, e)))
        goto out;
    /* after an upgrade the summary tables may be new or defined anew: rebuild them */
    if (v < (int)tr_sql_n_migrations && (rc = tr_summary_refresh_all(db, e)))
        goto out;
    /* a database made from sql/ (new or upgraded) gets every HS reference row; one copied
     * from the template (tr/db_template.h) is current and holds them already */
    if (v < (int)tr_sql_n_migrations && (rc = tr_hs_reference_load_all(db, NULL, e)))
        goto out;
    rc = tr_stmt_script(db,
                        "INSERT INTO meta VALUES ('tool_version', '" TR_VERSION "') "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                        "WHERE value <> excluded.value",
                        e);
out:
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    else
        rc = tr_stmt_script(db, "COMMIT", e);
    return rc;
}

/* The pid the lock holder wrote into the lock file. A holder that has just taken the lock
 * may not have written it yet (or an older writer's pid may still be there): wait up to
 * 200 ms for the pid of a live process. */
static void holder_pid(int fd, char *pid, size_t n)
{
    for (int tries = 0; tries < 20; tries++) {
        ssize_t k = pread(fd, pid, n - 1, 0);
        pid[k > 0 ? k : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        long v = strtol(pid, NULL, 10);
        if (v > 0 && kill((pid_t)v, 0) == 0)
            return;
        usleep(10000);
    }
    if (!*pid)
        snprintf(pid, n, "unknown");
}

/* The lock file's name: REAL.lock beside the real database file, so that every name of one
 * database (a symlink, a relative path, "./x.db") takes the same lock. A database that does
 * not exist yet is named by its resolved folder and its own name. A dangling symlink is
 * refused: SQLite would create the file it points to, wherever that is. */
static int lock_path(const char *db, char *out, size_t n, struct tr_err *e)
{
    char real[PATH_MAX], dir[PATH_MAX];
    if (realpath(db, real)) {
        if ((size_t)snprintf(out, n, "%s.lock", real) >= n)
            return tr_err_set(e, TR_EIO, "database path too long: '%s'", db);
        return TR_OK;
    }
    struct stat sb;
    if (errno != ENOENT || lstat(db, &sb) == 0)
        return tr_err_set(e, TR_EIO, "cannot resolve database path '%s': %s", db,
                          errno == ENOENT ? "a symbolic link to nothing" : strerror(errno));
    const char *slash = strrchr(db, '/');
    const char *base = slash ? slash + 1 : db;
    if (slash == db)
        snprintf(dir, sizeof(dir), "/");
    else if (slash)
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db), db);
    else
        snprintf(dir, sizeof(dir), ".");
    if (!*base || !realpath(dir, real))
        return tr_err_set(e, TR_EIO, "cannot open database '%s': %s", db,
                          *base ? strerror(errno) : "not a file name");
    if ((size_t)snprintf(out, n, "%s/%s.lock", strcmp(real, "/") ? real : "", base) >= n)
        return tr_err_set(e, TR_EIO, "database path too long: '%s'", db);
    return TR_OK;
}

/* Opens the lock file without following a symlink and checks it is a plain file of ours with
 * one name: anyone who can write to the database's folder could otherwise plant a link or a
 * hard link there and have us truncate the file it names. */
static int open_lock_file(const char *lockpath, int *fd_out, struct tr_err *e)
{
    int fd = open(lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ELOOP)
        return tr_err_set(e, TR_EIO, "lock file '%s' is a symbolic link: refusing to use it",
                          lockpath);
    if (fd < 0)
        return tr_err_set(e, TR_EIO, "cannot open lock file '%s': %s", lockpath, strerror(errno));
    struct stat sb;
    const char *why = NULL;
    if (fstat(fd, &sb) != 0)
        why = strerror(errno);
    else if (!S_ISREG(sb.st_mode))
        why = "not a regular file";
    else if (sb.st_uid != geteuid())
        why = "owned by another user";
    else if (sb.st_nlink != 1)
        why = "a file with more than one name (a hard link)";
    if (why) {
        close(fd);
        return tr_err_set(e, TR_EIO, "lock file '%s' is %s: refusing to use it", lockpath, why);
    }
    *fd_out = fd;
    return TR_OK;
}

/* An advisory lock on REAL.lock, held for the life of the writer. flock() is released by the
 * kernel when the process dies, so a crash never leaves a stale lock behind. */
static int take_writer_lock(struct tr_db *d, struct tr_err *e)
{
    char lockpath[PATH_MAX + 8];
    int rc = lock_path(d->path, lockpath, sizeof(lockpath), e);
    if (rc)
        return rc;
    int fd = -1;
    if ((rc = open_lock_file(lockpath, &fd, e)))
        return rc;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int lock_errno = errno;
        char pid[32];
        holder_pid(fd, pid, sizeof(pid));
        close(fd);
        errno = lock_errno;
        if (errno == EWOULDBLOCK || errno == EAGAIN || errno == 0)
            return tr_err_set(e, TR_EBUSY,
                              "database '%s' is busy: another writer (pid %s) holds "
                              "the lock",
                              d->path, pid);
        return tr_err_set(e, TR_EIO, "cannot lock '%s': %s", lockpath, strerror(errno));
    }
    char pid[32];
    int k = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)k, 0) != k) {
        close(fd);
        return tr_err_set(e, TR_EIO, "cannot write lock file '%s': %s", lockpath,
                          strerror(errno));
    }
    d->lock_fd = fd;
    return TR_OK;
}

/* Every connection the tool opens: no loading of shared libraries through SQL, no
 * fts3_tokenizer() that installs a tokenizer from a pointer, and SQLite's defensive mode
 * (no writable_schema, no journal_mode=OFF, no raw page writes), so neither users' SQL nor a
 * crafted database file can reach outside the data. Each setting is read back. */
static int harden(sqlite3 *db, struct tr_err *e)
{
    static const struct {
        int op, want;
        const char *name;
    } cfg[] = {
        {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, "extension loading off"},
        {SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, "fts3_tokenizer off"},
        {SQLITE_DBCONFIG_DEFENSIVE, 1, "defensive mode on"},
    };
    for (size_t i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
        int got = -1;
        int rc = sqlite3_db_config(db, cfg[i].op, cfg[i].want, &got);
        if (rc != SQLITE_OK || got != cfg[i].want)
            return tr_err_set(e, rc == SQLITE_OK ? TR_ENOMEM : tr_stmt_code(rc),
                              "database: cannot set %s: %s", cfg[i].name, sqlite3_errstr(rc));
    }
    return TR_OK;
}

/* Counts the objects in the schema and tells whether our 'meta' and 'load_log' tables are
 * among them: what marks a database as ours. */
static int schema_marks(sqlite3 *db, int *objects, int *ours, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT count(*), count(*) FILTER (WHERE type = 'table' AND "
                                "name IN ('meta', 'load_log')) = 2 FROM sqlite_schema",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *objects = sqlite3_column_int(st, 0);
        *ours = sqlite3_column_int(st, 1);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

/* Before anything is written (even the switch to WAL): a database made by a newer tool, or
 * another program's SQLite file, is left exactly as it is. Readers need a current schema. */
static int check_owner(struct tr_db *d, enum tr_db_mode mode, struct tr_err *e)
{
    int v = 0, objects = 0, ours = 0, rc, known = (int)tr_sql_n_migrations;
    if ((rc = user_version(d->db, &v, e)) || (rc = schema_marks(d->db, &objects, &ours, e)))
        return rc;
    if (v > known)
        return tr_err_set(e, TR_EIO,
                          "database '%s' was made by a newer tradereport (schema %d, "
                          "this one knows %d); nothing changed",
                          d->path, v, known);
    if (objects && !ours)
        return tr_err_set(e, TR_EIO,
                          "'%s' is not a tradereport database: it has tables of its "
                          "own and no tradereport 'meta' table; nothing changed",
                          d->path);
    if (mode == TR_DB_WRITE)
        return TR_OK;
    if (v == 0)
        return tr_err_set(e, TR_EIO,
                          "'%s' is not a tradereport database (run 'tradereport "
                          "init')",
                          d->path);
    if (v != known)
        return tr_err_set(e, TR_EIO,
                          "database '%s' has schema version %d, this tool expects %d "
                          "(run 'tradereport init' to upgrade)",
                          d->path, v, known);
    return TR_OK;
}

static int apply_pragmas(sqlite3 *db, enum tr_db_mode mode, struct tr_err *e)
{
    /* WAL lets readers work during an import; FULL keeps each committed file durable.
     * temp_store stays SQLite's default (a file): sorts and statement journals spill past a
     * small threshold, so memory stays flat however large the database grows (in memory,
     * the journal of sum_annual's refresh, which rewrites a page of every year, grew with it). */
    if (mode == TR_DB_WRITE)
        return tr_stmt_script(db,
                              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384;",
                              e);
    return tr_stmt_script(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;", e);
}

/* 1 when the file starts as every SQLite database does, or cannot be read (SQLite then says
 * why); 0 for another file. */
static int sqlite_header(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 1;
    ssize_t k = read(fd, head, sizeof(head));
    close(fd);
    return k < 0 || (k == (ssize_t)sizeof(head) && memcmp(head, magic, sizeof(magic)) == 0);
}

int tr_db_open(struct tr_db *d, const char *path, enum tr_db_mode mode, struct tr_err *e)
{
    int rc;
    memset(d, 0, sizeof(*d));
    d->lock_fd = -1;
    if ((rc = tr_db_check_path(path, e)))
        return rc;
    snprintf(d->path, sizeof(d->path), "%s", path);
    char uri[8192] = "";
    struct stat sb;
    int found = stat(path, &sb) == 0;
    /* SQLite says "disk I/O error" for a folder, and a writer would put its lock beside it */
    if (found && S_ISDIR(sb.st_mode))
        return tr_err_set(e, TR_EIO,
                          "database '%s' is a directory, not a database file: name a "
                          "file, e.g. --db '%s/trade.db'",
                          path, path);
    /* nor is a text file a database: said before a writer puts its lock file beside it */
    if (found && S_ISREG(sb.st_mode) && sb.st_size > 0 && !sqlite_header(path))
        return tr_err_set(e, TR_EIO,
                          "'%s' is not a database file (not SQLite): give --db (or "
                          "$TRADEREPORT_DB) a tradereport database, or a new name for "
                          "'tradereport init'",
                          path);
    if (mode == TR_DB_READ) {
        if (!found)
            return tr_err_set(e, TR_EIO, "cannot open database '%s': %s%s", path, strerror(errno),
                              errno == ENOENT ? " (create it with "
                                                "'tradereport init', or name another with --db)"
                                              : "");
        /* a folder the reader cannot write to (tr/db_shared.h) */
        if ((rc = tr_db_shared_plan(path, uri, sizeof(uri), e)))
            return rc;
    } else if ((rc = take_writer_lock(d, e))) {
        return rc;
    }
    int flags = mode == TR_DB_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                    : SQLITE_OPEN_READONLY | (*uri ? SQLITE_OPEN_URI : 0);
    rc = sqlite3_open_v2(*uri ? uri : path, &d->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = tr_err_set(e, tr_stmt_code(rc), "cannot open database '%s': %s", path,
                        d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(d->db, 1);
    sqlite3_busy_timeout(d->db, 5000);
    /* a new file takes the template before WAL mode is set: its pages go to the file once,
     * not through the WAL and back */
    if ((rc = harden(d->db, e)) || (rc = check_owner(d, mode, e)) ||
        (mode == TR_DB_WRITE && (rc = tr_db_template_copy_if_new(d->db, e))) ||
        (rc = apply_pragmas(d->db, mode, e)))
        goto fail;
    if (mode == TR_DB_WRITE && (rc = tr_db_migrate(d->db, e)))
        goto fail;
    return TR_OK;
fail:
    if (e->code != TR_OK && strstr(e->msg, "not a database")) {
        /* SQLite's "file is not a database" names no file */
        tr_err_init(e);
        rc = tr_err_set(e, TR_EIO,
                        "'%s' is not a database file (not SQLite): give --db (or "
                        "$TRADEREPORT_DB) a tradereport database, or a new name for "
                        "'tradereport init'",
                        path);
    }
    tr_db_close(d);
    return rc ? rc : e->code;
}

void tr_db_close(struct tr_db *d)
{
    if (d->db) {
        sqlite3_close(d->db);
        d->db = NULL;
    }
    if (d->lock_fd >= 0) {
        close(d->lock_fd);
        d->lock_fd = -1;
    }
}
