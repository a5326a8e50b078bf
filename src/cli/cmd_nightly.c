/*
 * tradereport nightly: the unattended import job (cron, systemd). Holds the writer lock for the
 * whole run, feeds each inbox file (name order) to tr_import_file, moves it to
 * ARCHIVE/YYYY-MM-DD/ (loaded, or already loaded) or to QUARANTINE/ with NAME.reason.txt,
 * refreshes summaries, rewrites the configured reports, records the run (nightly_run,
 * nightly_file, nightly_change) and prints the morning summary. It parses no input and decides
 * nothing about revisions itself: the importer's lineage tables say what each load replaced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr/cmd.h"
#include "tr/db.h"
#include "tr/durable.h"
#include "tr/filemove.h"
#include "tr/safe_name.h"
#include "tr/tmpfile.h"
#include "tr/import.h"
#include "tr/import_archive.h"
#include "tr/input.h"
#include "tr/signals.h"
#include "tr/report.h"
#include "tr/publish.h"
#include "tr/report_write.h"
#include "tr/snapshot.h"
#include "tr/stmt.h"

#define PATH_BUF 4352
#define MAX_PAIRS 32
#define TOP_CHANGES 20        /* revisions printed; nightly_change keeps all */
#define LIST_REPORTERS 12     /* reporters named per partition line before "and N more" */

enum outcome { OUT_LOADED, OUT_ALREADY, OUT_QUARANTINED, OUT_ERROR };
static const char *const OUTCOME_NAME[] = {"loaded", "already", "quarantined", "error"};

struct pair {
    char a[8], b[8];
    int tried, rc;                    /* rc: TR_OK when both files were written */
    char msg[TR_ERR_MSG];
    struct tr_report_paths paths;
};

struct nfile {                        /* one inbox file the run handled */
    char name[NAME_MAX + 1];
    enum outcome outcome;
    long load_id;
    long rows_read, rows_loaded, rows_rejected, rows_replaced;
    char dest[PATH_BUF];              /* "" = still in the inbox */
    char msg[2 * TR_ERR_MSG + 64];   /* the import error; "not moved: ..." after it */
    int refused_by;                   /* a delivery guard refused it (TR_REFUSED_*) */
};

struct nightly {
    /* configuration */
    const char *db_path;
    const char *publish_url;   /* --publish: the server that receives the store after a run */
    const char *inbox_arg, *archive_arg, *quarantine_arg, *reports_arg;
    char inbox[PATH_BUF], archive[PATH_BUF], quarantine[PATH_BUF], reports[PATH_BUF];
    char day_dir[PATH_BUF];           /* archive/YYYY-MM-DD */
    struct pair pairs[MAX_PAIRS];
    int n_pairs;
    struct tr_import_opts io;
    /* the run */
    struct tr_db d;
    long run_id;
    char started[32], finished[32];
    char **names;                     /* inbox files to handle, sorted by name */
    size_t n_names, cap_names, n_skipped;   /* n_skipped: .part/.tmp files left alone */
    struct nfile *files;
    size_t n_files;
    long files_ok, files_already, files_failed;
    long rows_loaded, rows_rejected, rows_replaced;
    int reports_written, reports_failed;
    int stop_rc;                      /* the I/O or database error that stopped the run */
    char stop_msg[NAME_MAX + 2 * TR_ERR_MSG + 80];
};

/* ---------- paths and directories ---------- */

static int join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Files still being written by the sender (NAME.part, NAME.tmp) and hidden files stay put. */
static int is_skipped_name(const char *name)
{
    return name[0] == '.' || ends_with(name, ".part") || ends_with(name, ".tmp");
}

/* ---------- the inbox ---------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of the inbox, by name (bytes, not locale). Subdirectories, symlinks and
 * other special files are ignored; partial files (.part, .tmp) are counted in n_skipped. */
static int list_inbox(struct nightly *n, struct tr_err *e)
{
    DIR *dir = opendir(n->inbox);
    if (!dir)
        return tr_err_set(e, TR_EIO, "cannot read inbox '%s': %s", n->inbox, strerror(errno));
    int rc = TR_OK;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(dir);
        if (!de) {
            if (errno)
                rc = tr_err_set(e, TR_EIO, "cannot read inbox '%s': %s", n->inbox,
                                strerror(errno));
            break;
        }
        char path[PATH_BUF];
        struct stat sb;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (join(path, sizeof(path), n->inbox, de->d_name) || lstat(path, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            continue;
        if (is_skipped_name(de->d_name)) {
            n->n_skipped += de->d_name[0] != '.';   /* hidden files are not worth a mention */
            continue;
        }
        if (n->n_names == n->cap_names) {
            size_t cap = n->cap_names ? n->cap_names * 2 : 32;
            char **names = realloc(n->names, cap * sizeof(*names));
            if (!names) {
                rc = tr_err_set(e, TR_ENOMEM, "out of memory");
                break;
            }
            n->names = names;
            n->cap_names = cap;
        }
        if (!(n->names[n->n_names] = strdup(de->d_name))) {
            rc = tr_err_set(e, TR_ENOMEM, "out of memory");
            break;
        }
        n->n_names++;
    }
    closedir(dir);
    if (n->n_names)
        qsort(n->names, n->n_names, sizeof(*n->names), by_name);
    return rc;
}

/* ---------- bookkeeping in the database ---------- */

static int prep(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct tr_err *e)
{
    int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return tr_err_set(e, tr_stmt_code(rc), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

static int step_done(sqlite3 *db, sqlite3_stmt *st, struct tr_err *e)
{
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(db));
    return TR_OK;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int insert_run(struct nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st,
                  "INSERT INTO nightly_run (started_at, inbox, archive, quarantine, "
                  "reports_dir, tool_version) VALUES (?,?,?,?,?,?)", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, n->started, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, n->inbox, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, n->archive, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, n->quarantine, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 5, n->n_pairs ? n->reports : NULL);
    sqlite3_bind_text(st, 6, TR_VERSION, -1, SQLITE_STATIC);
    if ((rc = step_done(n->d.db, st, e)))
        return rc;
    n->run_id = (long)sqlite3_last_insert_rowid(n->d.db);
    return TR_OK;
}

static int insert_file(struct nightly *n, const struct nfile *f, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st,
                  "INSERT INTO nightly_file (run_id, seq, file_name, outcome, load_id, "
                  "destination, message) VALUES (?,?,?,?,?,?,?)", e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n->n_files);
    sqlite3_bind_text(st, 3, f->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, OUTCOME_NAME[f->outcome], -1, SQLITE_STATIC);
    if (f->load_id)
        sqlite3_bind_int64(st, 5, f->load_id);
    else
        sqlite3_bind_null(st, 5);
    bind_text_or_null(st, 6, f->dest);
    bind_text_or_null(st, 7, f->msg);
    return step_done(n->d.db, st, e);
}

static int finish_run(struct nightly *n, int exit_code, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st,
                  "UPDATE nightly_run SET finished_at = ?, files_ok = ?, files_already = ?, "
                  "files_failed = ?, rows_loaded = ?, rows_rejected = ?, rows_replaced = ?, "
                  "reports_written = ?, exit_code = ? WHERE run_id = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, n->finished, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, n->files_ok);
    sqlite3_bind_int64(st, 3, n->files_already);
    sqlite3_bind_int64(st, 4, n->files_failed);
    sqlite3_bind_int64(st, 5, n->rows_loaded);
    sqlite3_bind_int64(st, 6, n->rows_rejected);
    sqlite3_bind_int64(st, 7, n->rows_replaced);
    sqlite3_bind_int(st, 8, n->reports_written);
    sqlite3_bind_int(st, 9, exit_code);
    sqlite3_bind_int64(st, 10, n->run_id);
    return step_done(n->d.db, st, e);
}

/* The run's committed loads. A partition is revised when one of them replaced a load from
 * before the run (replaced_load_id outside the run); replacing a load of the same run is not
 * a revision of what the database held yesterday. min(load_id): the first replacement, whose
 * sum_trade_replaced rows are the totals as they were before the run. */
#define RUN_CTES                                                                              \
    "WITH run_loads AS (SELECT load_id FROM nightly_file WHERE run_id = ?1 "                   \
    "    AND outcome = 'loaded' AND load_id IS NOT NULL), "                                   \
    "rev AS (SELECT source_id, classification, year, month, reporter_id, "                     \
    "    min(load_id) AS load_id FROM load_replacement "                                       \
    "    WHERE load_id IN (SELECT load_id FROM run_loads) "                                    \
    "    AND replaced_load_id NOT IN (SELECT load_id FROM run_loads) "                         \
    "    GROUP BY source_id, classification, year, month, reporter_id) "

/* The bilateral totals of the revised partitions, before and after, by v_trade_annual's rule
 * (TOTAL row, else the finest HS level present); unchanged ones are left out. */
static const char CHANGES_SQL[] =
    "INSERT INTO nightly_change (run_id, source, classification, year, month, reporter, "
    "partner, flow, old_usd, new_usd, change_usd, change_pct, load_id) "
    RUN_CTES ", "
    "old AS (SELECT rev.load_id, s.source_id, s.classification, s.year, s.month, "
    "    s.reporter_id, s.partner_id, s.flow, "
    "    coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS v "
    "  FROM rev JOIN sum_trade_replaced s ON s.load_id = rev.load_id "
    "    AND s.source_id = rev.source_id AND s.classification = rev.classification "
    "    AND s.year = rev.year AND s.month = rev.month AND s.reporter_id = rev.reporter_id), "
    "new AS (SELECT rev.load_id, s.source_id, s.classification, s.year, s.month, "
    "    s.reporter_id, s.partner_id, s.flow, "
    "    coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS v "
    "  FROM rev JOIN sum_trade s ON s.source_id = rev.source_id "
    "    AND s.classification = rev.classification AND s.year = rev.year "
    "    AND s.month = rev.month AND s.reporter_id = rev.reporter_id), "
    "k AS (SELECT load_id, source_id, classification, year, month, reporter_id, partner_id, "
    "    flow FROM old UNION "
    "  SELECT load_id, source_id, classification, year, month, reporter_id, partner_id, "
    "    flow FROM new) "
    "SELECT ?1, src.source, k.classification, k.year, k.month, r.iso3, p.iso3, k.flow, "
    "  o.v, nw.v, coalesce(nw.v, 0) - coalesce(o.v, 0), "
    "  CASE WHEN o.v <> 0 THEN 100.0 * (coalesce(nw.v, 0) - o.v) / o.v END, k.load_id "
    "FROM k "
    "LEFT JOIN old o ON o.source_id = k.source_id AND o.classification = k.classification "
    "  AND o.year = k.year AND o.month = k.month AND o.reporter_id = k.reporter_id "
    "  AND o.partner_id = k.partner_id AND o.flow = k.flow "
    "LEFT JOIN new nw ON nw.source_id = k.source_id AND nw.classification = k.classification "
    "  AND nw.year = k.year AND nw.month = k.month AND nw.reporter_id = k.reporter_id "
    "  AND nw.partner_id = k.partner_id AND nw.flow = k.flow "
    "JOIN dim_source src ON src.source_id = k.source_id "
    "JOIN dim_country r ON r.country_id = k.reporter_id "
    "JOIN dim_country p ON p.country_id = k.partner_id "
    "WHERE coalesce(nw.v, 0) <> coalesce(o.v, 0) OR (o.v IS NULL) <> (nw.v IS NULL)";

/* Every partition the run's loads brought, new or revised. */
static const char PARTITIONS_SQL[] =
    RUN_CTES ", "
    "touched AS (SELECT source_id, classification, year, month, reporter_id "
    "    FROM load_partition WHERE load_id IN (SELECT load_id FROM run_loads) "
    "  UNION SELECT source_id, classification, year, month, reporter_id "
    "    FROM load_replacement WHERE load_id IN (SELECT load_id FROM run_loads)) "
    "SELECT CASE WHEN rev.load_id IS NULL THEN 'new' ELSE 'revised' END AS kind, "
    "  coalesce(src.source, t.source_id), t.classification, t.year, t.month, "
    "  coalesce(c.iso3, t.reporter_id) AS reporter "
    "FROM touched t "
    "LEFT JOIN rev ON rev.source_id = t.source_id AND rev.classification = t.classification "
    "  AND rev.year = t.year AND rev.month = t.month AND rev.reporter_id = t.reporter_id "
    "LEFT JOIN dim_source src ON src.source_id = t.source_id "
    "LEFT JOIN dim_country c ON c.country_id = t.reporter_id "
    "ORDER BY kind, 2, 3, 4, 5, 6";

static int record_changes(struct nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st, CHANGES_SQL, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    return step_done(n->d.db, st, e);
}

/* ---------- refresh and reports ---------- */

/* Summary tables the views need that the importer does not keep up to date by itself, rebuilt
 * once per run after the loads. sum_trade is written in each file's own transaction
 * (import.c), so the list is empty today; a summary cheaper to rebuild nightly than per file
 * gets a step here. */
static const struct refresh_step {
    const char *name;
    int (*run)(sqlite3 *db, struct tr_err *e);
} REFRESH_STEPS[] = {
    {NULL, NULL},
};

static int refresh_summaries(sqlite3 *db, struct tr_err *e)
{
    if (!REFRESH_STEPS[0].run)
        return TR_OK;
    int rc = tr_stmt_script(db, "BEGIN IMMEDIATE", e);
    for (size_t i = 0; !rc && REFRESH_STEPS[i].run; i++)
        rc = REFRESH_STEPS[i].run(db, e);
    if (rc) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return tr_stmt_script(db, "COMMIT", e);
}

static int check_country(sqlite3 *db, const char *iso3, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(db, &st, "SELECT 1 FROM dim_country WHERE iso3 = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, iso3, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s == SQLITE_DONE)
        return tr_err_set(e, TR_EUSAGE, "--pair: unknown country code '%s' (use ISO3 codes "
                          "such as RUS, IRN)", iso3);
    return s == SQLITE_ROW ? TR_OK : tr_err_set(e, tr_stmt_code(s), "database: %s",
                                                sqlite3_errmsg(db));
}

/* Rewrites each pair's briefing; returns the worst outcome (TR_EFAIL: a pair without data). */
static int write_reports(struct nightly *n)
{
    int worst = TR_OK;
    for (int i = 0; i < n->n_pairs; i++) {
        struct pair *p = &n->pairs[i];
        struct tr_report r;
        struct tr_err e;
        memset(&r, 0, sizeof(r));
        tr_err_init(&e);
        p->tried = 1;
        p->rc = tr_report_load(n->d.db, p->a, p->b, 0, 0, NULL, &r, &e);
        if (!p->rc)
            p->rc = tr_report_write(&r, n->reports, &p->paths, &e);
        tr_report_release(&r);
        if (p->rc) {
            n->reports_failed++;
            snprintf(p->msg, sizeof(p->msg), "%s", e.msg);
            char em[TR_SAFE_ESC_SIZE(TR_ERR_MSG)];
            fprintf(stderr, "tradereport nightly: report %s:%s: %s\n", p->a, p->b,
                    tr_safe_escape(em, sizeof(em), e.msg));
            if (p->rc > worst)
                worst = p->rc;
        } else {
            n->reports_written++;
        }
    }
    return worst;
}

/* ---------- one file ---------- */

/* Every value is escaped: names and messages may hold newlines or escape sequences. */
static void put_line(FILE *fp, const char *label, const char *value)
{
    char esc[TR_SAFE_ESC_SIZE(2 * TR_ERR_MSG + 64)];
    fprintf(fp, "%-14s %s\n", label, tr_safe_escape(esc, sizeof(esc), value));
}

/* The line that puts a quarantined file back, quoted so that pasting it runs nothing but mv;
 * a name with control characters gets no shell line (it could not be one line). */
static void put_move_back(FILE *fp, const struct nightly *n, const struct nfile *f)
{
    char back[PATH_BUF + NAME_MAX + 2], q_dest[4 * PATH_BUF + 3], q_back[4 * sizeof(back) + 3];
    fprintf(fp, "\nTo load it once fixed, move it back into the inbox under its name; the next "
            "run\nloads it (and this reason file can go):\n");
    snprintf(back, sizeof(back), "%s/%s", n->inbox, f->name);
    if (tr_safe_shell_quote(q_dest, sizeof(q_dest), f->dest) == 0 &&
        tr_safe_shell_quote(q_back, sizeof(q_back), back) == 0)
        fprintf(fp, "  mv %s %s\n", q_dest, q_back);
    else
        fprintf(fp, "  (no shell line: the name holds control characters, shown escaped above)"
                "\n");
}

/* A file a delivery guard refused is not broken: moving it back would only be refused again.
 * The way to take it is by hand, with the flag that says the operator checked it. */
static void put_take_anyway(FILE *fp, const struct nightly *n, const struct nfile *f)
{
    char q_db[4 * PATH_BUF + 3], q_dest[4 * PATH_BUF + 3];
    const char *flag = f->refused_by == TR_REFUSED_OLDER_RELEASE ? "--allow-older-release"
                                                                  : "--accept-shrink";
    fprintf(fp, "\nA delivery guard refused it: it would have replaced %s. If the file is\n"
            "right, take it by hand (tradereport unload LOAD_ID takes it back):\n",
            f->refused_by == TR_REFUSED_OLDER_RELEASE ? "rows of a newer release"
                                                      : "more than 20% of what it replaces");
    if (tr_safe_shell_quote(q_db, sizeof(q_db), n->d.path) == 0 &&
        tr_safe_shell_quote(q_dest, sizeof(q_dest), f->dest) == 0)
        fprintf(fp, "  tradereport import --db %s %s %s\n", q_db, flag, q_dest);
    else
        fprintf(fp, "  (no shell line: the name holds control characters, shown escaped above)"
                "\n");
}

/* NAME.reason.txt beside the quarantined file, written to a new temporary file (O_EXCL, a
 * random name without the delivered name in it) and renamed. */
static int write_reason(struct nightly *n, const struct nfile *f, const struct tr_err *why,
                        const struct tr_import_result *res, struct tr_err *e)
{
    char path[PATH_BUF + 16], tmp[PATH_BUF + 48], buf[TR_ERR_MSG + 64];
    int w1 = snprintf(path, sizeof(path), "%s.reason.txt", f->dest), fd = -1;
    if (w1 < 0 || (size_t)w1 >= sizeof(path))
        return tr_err_set(e, TR_EIO, "path too long in '%s'", n->quarantine);
    int rc = tr_tmpfile_create(n->quarantine, "tradereport-reason", 0666, tmp, sizeof(tmp), &fd,
                               e);
    if (rc)
        return rc;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        rc = tr_err_set(e, TR_ENOMEM, "cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return rc;
    }
    put_line(fp, "file:", f->name);
    snprintf(buf, sizeof(buf), "%s by tradereport nightly run %ld", n->started, n->run_id);
    put_line(fp, "quarantined:", buf);
    put_line(fp, "error:", why->msg);
    if (why->line > 0) {
        snprintf(buf, sizeof(buf), "%ld", why->line);
        put_line(fp, "line:", buf);
    }
    int loaded = res->status != TR_LOAD_FAILED;   /* the bytes read loaded; this entry did not */
    snprintf(buf, sizeof(buf), "%ld read, %ld rejected, %s", res->rows_read, res->rows_rejected,
             tr_archive_kind(f->name) ? "nothing of the failed member committed; the members "
             "that loaded stay (a re-run skips them as already loaded)"
             : loaded ? "committed from the file as it was read" : "nothing committed");
    put_line(fp, "rows:", buf);
    if (res->load_id && !loaded) {
        snprintf(buf, sizeof(buf), "%ld (tradereport loads --rejects %ld lists every reject)",
                 res->load_id, res->load_id);
        put_line(fp, "failed load:", buf);
    }
    if (res->rejects_shown) {
        fprintf(fp, "first rejects:\n");
        char esc[TR_SAFE_ESC_SIZE(sizeof(res->first_rejects[0]))];
        for (long k = 0; k < res->rejects_shown; k++)
            fprintf(fp, "  %s\n", tr_safe_escape(esc, sizeof(esc), res->first_rejects[k]));
    }
    if (f->refused_by)
        put_take_anyway(fp, n, f);
    else
        put_move_back(fp, n, f);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (fclose(fp) != 0 && !rc)
        rc = tr_err_set(e, TR_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = tr_err_set(e, TR_EIO, "cannot rename to '%s': %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

/* Moves a loaded (or already loaded) file into today's archive folder, a folder the job made:
 * a symlink planted there by someone else is refused. */
static int archive_file(struct nightly *n, struct nfile *f, const char *src, struct tr_err *me)
{
    int rc = tr_filemove_mkdir_p(n->day_dir, me);
    if (!rc)
        rc = tr_filemove_own_dir(n->day_dir, me);
    return rc ? rc : tr_filemove_into(src, n->inbox, n->day_dir, f->name, 0, f->dest,
                                      sizeof(f->dest), me);
}

/* Moves a rejected file into the quarantine with NAME.reason.txt beside it (a name too long
 * for both is shortened by tr_filemove_into; the reason file names the original). */
static int quarantine_file(struct nightly *n, struct nfile *f, const char *src,
                           const struct tr_err *why, const struct tr_import_result *res,
                           struct tr_err *me)
{
    int rc = tr_filemove_into(src, n->inbox, n->quarantine, f->name, 1, f->dest,
                              sizeof(f->dest), me);
    return rc ? rc : write_reason(n, f, why, res, me);
}

static void describe_error(char *out, size_t n, const struct tr_err *e)
{
    if (e->line > 0)
        snprintf(out, n, "line %ld: %s", e->line, e->msg);
    else
        snprintf(out, n, "%s", e->msg);
}

/* Adds "not moved: WHY" to the file's message (after its import error, if any), cut to fit. */
static void note_not_moved(struct nfile *f, const char *why)
{
    size_t k = strlen(f->msg);
    int w = snprintf(f->msg + k, sizeof(f->msg) - k, "%snot moved: %s", k ? "; " : "", why);
    if (w < 0)
        f->msg[k] = '\0';
}

/* The job keeps one record per inbox file: an archive's members are summed into it, a failed
 * member's message is the archive's (the first one wins). */
static void member_quiet(void *ctx, const char *label, enum tr_member_outcome outcome,
                         const struct tr_import_result *res, const struct tr_err *e)
{
    (void)ctx, (void)label, (void)outcome, (void)res, (void)e;
}

static int import_inbox_file(struct nightly *n, const char *src, struct tr_import_result *res,
                             struct tr_err *e)
{
    if (!tr_archive_kind(src))
        return tr_import_file(n->d.db, src, &n->io, res, e);
    struct tr_archive_limits lim = {TR_ARCHIVE_MAX_MEMBER, TR_ARCHIVE_MAX_RATIO};
    return tr_import_archive(n->d.db, src, &n->io, &lim, member_quiet, NULL, res, e);
}

/* Handles one inbox file. TR_OK whatever became of the file (loaded, already loaded,
 * quarantined); an I/O or database error that should stop the run otherwise. */
static int handle_file(struct nightly *n, const char *name)
{
    char src[PATH_BUF];
    struct tr_err e;
    struct tr_import_result res;
    int rc;
    tr_err_init(&e);
    memset(&res, 0, sizeof(res));
    if (join(src, sizeof(src), n->inbox, name)) {
        n->stop_rc = TR_EIO;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "path too long: '%s'", name);
        return n->stop_rc;
    }

    /* A file we cannot even open is the file's problem (permissions), not the database's. */
    /* O_NONBLOCK: an entry swapped for a FIFO since the listing cannot hang the run */
    int fd = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC), open_errno = errno;
    if (fd < 0 && open_errno == ENOENT) {
        char esc[TR_SAFE_ESC_SIZE(PATH_BUF)];
        fprintf(stderr, "tradereport nightly: '%s' left the inbox before it was read\n",
                tr_safe_escape(esc, sizeof(esc), src));
        return TR_OK;
    }
    struct nfile *f = &n->files[n->n_files++];
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", name);
    if (fd < 0) {
        rc = tr_err_set(&e, TR_EINPUT, "cannot read '%s': %s", src, strerror(open_errno));
    } else {
        close(fd);
        rc = import_inbox_file(n, src, &res, &e);
        /* archived by its name: only if the name still means the file that was read */
        if (rc == TR_OK && !tr_input_same(src, &res.file))
            rc = tr_err_set(&e, TR_EINPUT, "the entry in the inbox is a different file from "
                            "the one loaded (load %ld): '%s' was replaced or changed after it "
                            "was read", res.load_id, src);
    }
    f->load_id = res.load_id;
    f->refused_by = res.refused_by;
    f->rows_read = res.rows_read;
    f->rows_rejected = res.rows_rejected;

    struct tr_err me;
    tr_err_init(&me);
    int mrc = TR_OK;
    if (rc == TR_OK) {
        f->outcome = res.status == TR_LOAD_ALREADY ? OUT_ALREADY : OUT_LOADED;
        if (f->outcome == OUT_LOADED) {
            f->rows_loaded = res.rows_loaded;
            f->rows_replaced = res.rows_replaced;
            n->files_ok++;
            n->rows_loaded += res.rows_loaded;
            n->rows_rejected += res.rows_rejected;
            n->rows_replaced += res.rows_replaced;
        } else {
            n->files_already++;
        }
        mrc = archive_file(n, f, src, &me);
    } else if (rc == TR_EINPUT) {
        f->outcome = OUT_QUARANTINED;
        n->files_failed++;
        n->rows_rejected += res.rows_rejected;
        describe_error(f->msg, sizeof(f->msg), &e);
        mrc = quarantine_file(n, f, src, &e, &res, &me);
    } else {
        /* the database or the system failed, not the file: leave it for the next run */
        f->outcome = OUT_ERROR;
        describe_error(f->msg, sizeof(f->msg), &e);
        tr_cmd_print_err("nightly", &e);
        n->stop_rc = rc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s: %s", name, f->msg);
    }
    if (mrc) {
        tr_cmd_print_err("nightly", &me);
        note_not_moved(f, me.msg);
        n->stop_rc = mrc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s", me.msg);
    }
    tr_err_init(&me);
    int irc = insert_file(n, f, &me);
    if (irc && !n->stop_rc) {
        tr_cmd_print_err("nightly", &me);
        n->stop_rc = irc;
        snprintf(n->stop_msg, sizeof(n->stop_msg), "%s", me.msg);
    }
    return n->stop_rc;
}

/* ---------- the morning summary ---------- */

/* 1234567 -> "1,234,567"; with sign: "+1,234,567" / "-1,234,567". */
static const char *fmt_usd(char buf[32], long long v, int with_sign)
{
    char digits[24];
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof(digits), "%llu", u), k = 0;
    if (v < 0)
        buf[k++] = '-';
    else if (with_sign)
        buf[k++] = v > 0 ? '+' : ' ';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

static void fmt_period(char buf[16], int year, int month)
{
    if (month)
        snprintf(buf, 16, "%04d-%02d", year, month);
    else
        snprintf(buf, 16, "%04d", year);
}

/* Files a delivery guard refused come first: each would have replaced newer or more data. */
static void print_refusals(const struct nightly *n)
{
    size_t shown = 0;
    for (size_t i = 0; i < n->n_files; i++) {
        const struct nfile *f = &n->files[i];
        if (!f->refused_by)
            continue;
        if (!shown++)
            printf("refused by the delivery guards (quarantined, nothing of them committed; "
                   "if the file is right, import it by hand with the flag named):\n");
        static char en[TR_SAFE_ESC_SIZE(NAME_MAX)], em[TR_SAFE_ESC_SIZE(2 * TR_ERR_MSG + 64)];
        printf("  %s  %s: %s\n",
               f->refused_by == TR_REFUSED_OLDER_RELEASE ? "OLDER RELEASE" : "SHRINK       ",
               tr_safe_escape(en, sizeof(en), f->name), tr_safe_escape(em, sizeof(em), f->msg));
    }
    if (shown)
        printf("\n");
}

/* Names, messages and paths are printed escaped (tr_safe_escape): one line per file, whatever
 * the name holds. */
static void print_files(const struct nightly *n)
{
    size_t archived = 0;
    static char en[TR_SAFE_ESC_SIZE(NAME_MAX)], em[TR_SAFE_ESC_SIZE(2 * TR_ERR_MSG + 64)],
        ed[TR_SAFE_ESC_SIZE(PATH_BUF)];
    for (size_t i = 0; i < n->n_files; i++) {
        const struct nfile *f = &n->files[i];
        const char *slash = f->dest[0] ? strrchr(f->dest, '/') : NULL;
        const char *name = tr_safe_escape(en, sizeof(en), f->name);
        const char *msg = tr_safe_escape(em, sizeof(em), f->msg);
        archived += f->outcome != OUT_QUARANTINED && f->dest[0];
        switch (f->outcome) {
        case OUT_LOADED:
            printf("  loaded       %s: load %ld, %ld rows", name, f->load_id, f->rows_loaded);
            if (f->rows_rejected)
                printf(", %ld rejected", f->rows_rejected);
            if (f->rows_replaced)
                printf(", replaced %ld earlier rows", f->rows_replaced);
            printf("\n");
            break;
        case OUT_ALREADY:
            printf("  already      %s: same bytes as load %ld, nothing changed\n", name,
                   f->load_id);
            break;
        case OUT_QUARANTINED:
            printf("  QUARANTINED  %s: %s\n", name, msg);
            if (f->dest[0])
                printf("               see %s.reason.txt\n",
                       tr_safe_escape(ed, sizeof(ed), f->dest));
            break;
        case OUT_ERROR:
            printf("  ERROR        %s: %s (left in the inbox)\n", name, msg);
            break;
        }
        if (f->outcome != OUT_QUARANTINED && slash && strcmp(slash + 1, f->name) != 0)
            printf("               archived as %s\n", tr_safe_escape(ed, sizeof(ed), slash + 1));
        if ((f->outcome == OUT_LOADED || f->outcome == OUT_ALREADY) && !f->dest[0])
            printf("               still in the inbox, %s\n", msg);
    }
    if (archived)
        printf("archived in %s\n", tr_safe_escape(ed, sizeof(ed), n->day_dir));
    if (n->n_skipped)
        printf("left in the inbox: %zu file%s still being written (.part, .tmp)\n",
               n->n_skipped, n->n_skipped == 1 ? "" : "s");
}

/* "  new      baci H5 2020: IRN, RUS" — one line per kind and partition period. */
static int print_partitions(const struct nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st, PARTITIONS_SQL, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    char key[128] = "";
    int listed = 0, more = 0, any = 0, s;
    printf("\nwhat changed:\n");
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char period[16], k[128];
        fmt_period(period, sqlite3_column_int(st, 3), sqlite3_column_int(st, 4));
        snprintf(k, sizeof(k), "  %-8s %s %s %s", (const char *)sqlite3_column_text(st, 0),
                 (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2), period);
        if (strcmp(k, key) != 0) {
            if (more)
                printf(" and %d more", more);
            if (any)
                printf("\n");
            snprintf(key, sizeof(key), "%s", k);
            printf("%s:", k);
            listed = more = 0;
            any = 1;
        }
        if (listed < LIST_REPORTERS)
            printf("%s %s", listed ? "," : "", (const char *)sqlite3_column_text(st, 5));
        else
            more++;
        listed++;
    }
    sqlite3_finalize(st);
    if (more)
        printf(" and %d more", more);
    printf(any ? "\n" : "  no partition is new or revised\n");
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(n->d.db));
    return TR_OK;
}

static int print_changes(const struct nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(n->d.db, &st, "SELECT count(*) FROM nightly_change WHERE run_id = ?", e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    int s = sqlite3_step(st);
    long total = s == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(n->d.db));
    if (total == 0)
        return TR_OK;
    rc = prep(n->d.db, &st,
              "SELECT source, year, month, reporter, partner, flow, old_usd, new_usd, "
              "change_usd, change_pct FROM nightly_change WHERE run_id = ? "
              "ORDER BY abs(change_usd) DESC, source, year, month, reporter, partner, flow "
              "LIMIT ?", e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n->run_id);
    sqlite3_bind_int(st, 2, TOP_CHANGES);
    printf("\nrevised totals, largest first (US$; %s%ld in nightly_change, run %ld):\n",
           total > TOP_CHANGES ? "the first 20 of " : "", total, n->run_id);
    printf("  %-9s %-7s %-8s %-7s %-4s %16s %16s %16s %9s\n", "source", "period", "reporter",
           "partner", "flow", "old", "new", "change", "change %");
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char period[16], old[32], nw[32], ch[32], pct[16];
        fmt_period(period, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
        if (sqlite3_column_type(st, 6) == SQLITE_NULL)
            snprintf(old, sizeof(old), "-");
        else
            fmt_usd(old, sqlite3_column_int64(st, 6), 0);
        if (sqlite3_column_type(st, 7) == SQLITE_NULL)
            snprintf(nw, sizeof(nw), "-");
        else
            fmt_usd(nw, sqlite3_column_int64(st, 7), 0);
        fmt_usd(ch, sqlite3_column_int64(st, 8), 1);
        if (sqlite3_column_type(st, 9) == SQLITE_NULL)
            snprintf(pct, sizeof(pct), "-");
        else
            snprintf(pct, sizeof(pct), "%+.2f%%", sqlite3_column_double(st, 9));
        printf("  %-9s %-7s %-8s %-7s %-4s %16s %16s %16s %9s\n",
               (const char *)sqlite3_column_text(st, 0), period,
               (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4),
               (const char *)sqlite3_column_text(st, 5), old, nw, ch, pct);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return tr_err_set(e, tr_stmt_code(s), "database: %s", sqlite3_errmsg(n->d.db));
    return TR_OK;
}

static void print_summary(struct nightly *n, int exit_code)
{
    static char em[TR_SAFE_ESC_SIZE(sizeof(n->stop_msg))];
    const char *why = exit_code == TR_OK    ? "ok"
                      : n->stop_rc        ? "stopped by an error"
                      : n->files_failed   ? "a file was quarantined"
                      : n->reports_failed ? "a report could not be written"
                                          : "the run could not be recorded";
    printf("tradereport nightly run %ld, %s: exit %d (%s)\n", n->run_id, n->started, exit_code,
           why);
    printf("files: %zu: %ld loaded, %ld already loaded, %ld quarantined", n->n_files,
           n->files_ok, n->files_already, n->files_failed);
    if (n->stop_rc)
        printf(", %zu not reached", n->n_names - n->n_files);
    printf("\nrows:  %ld loaded, %ld rejected, %ld earlier rows replaced\n", n->rows_loaded,
           n->rows_rejected, n->rows_replaced);
    printf("\n");
    print_refusals(n);
    print_files(n);
    struct tr_err e;
    struct tr_snapshot snap;   /* both lists from one state of the database */
    tr_err_init(&e);
    if (tr_snapshot_begin(&snap, n->d.db, &e) || print_partitions(n, &e) ||
        print_changes(n, &e))
        printf("  (cannot read the changes: %s)\n", e.msg);
    tr_snapshot_end(&snap);
    if (n->n_pairs) {
        static char ed[TR_SAFE_ESC_SIZE(PATH_BUF)];
        printf("\nreports in %s:\n", tr_safe_escape(ed, sizeof(ed), n->reports));
        for (int i = 0; i < n->n_pairs; i++) {
            const struct pair *p = &n->pairs[i];
            if (!p->tried)
                printf("  %s-%s: not written (the run stopped first)\n", p->a, p->b);
            else if (p->rc == TR_OK)
                printf("  %s-%s.xlsx, %s-%s.pdf\n", p->a, p->b, p->a, p->b);
            else
                printf("  %s-%s: NOT WRITTEN: %s\n", p->a, p->b,
                       tr_safe_escape(em, sizeof(em), p->msg));
        }
    }
    if (n->stop_rc)
        printf("\nstopped: %s\n", tr_safe_escape(em, sizeof(em), n->stop_msg));
}

/* ---------- the run ---------- */

/* ARCHIVE, QUARANTINE and REPORTS default to siblings of the inbox. */
static int resolve_dirs(struct nightly *n, struct tr_err *e)
{
    char real[PATH_MAX], parent[PATH_BUF];
    if (!realpath(n->inbox_arg, real))
        return tr_err_set(e, TR_EIO, "cannot open inbox '%s': %s", n->inbox_arg,
                          strerror(errno));
    snprintf(n->inbox, sizeof(n->inbox), "%s", real);
    snprintf(parent, sizeof(parent), "%s", real);
    char *slash = strrchr(parent, '/');
    if (slash == parent)
        parent[1] = '\0';   /* the inbox is a top-level directory: siblings under / */
    else if (slash)
        *slash = '\0';
    const char *root = strcmp(parent, "/") == 0 ? "" : parent;
    const struct {
        const char *arg, *name;
        char *out;
    } dirs[] = {
        {n->archive_arg, "archive", n->archive},
        {n->quarantine_arg, "quarantine", n->quarantine},
        {n->reports_arg, "reports", n->reports},
    };
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        return tr_err_set(e, TR_EIO, "cannot tell the current directory: %s", strerror(errno));
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        /* absolute, so the records and the reason files' mv lines work from anywhere */
        const char *arg = dirs[i].arg;
        int w = !arg          ? snprintf(dirs[i].out, PATH_BUF, "%s/%s", root, dirs[i].name)
                : *arg == '/' ? snprintf(dirs[i].out, PATH_BUF, "%s", arg)
                              : snprintf(dirs[i].out, PATH_BUF, "%s/%s", cwd, arg);
        if (w < 0 || w >= PATH_BUF)
            return tr_err_set(e, TR_EIO, "path too long for the %s directory", dirs[i].name);
    }
    return TR_OK;
}

static int worst_of(int a, int b)
{
    return a > b ? a : b;
}

/* --publish: after a successful run (an empty inbox included, so a publish a down server
 * missed is made up), the store goes to the server; its failure is the run's exit code. */
static int publish_after(struct nightly *n, int exit_code)
{
    if (!n->publish_url || exit_code != TR_OK)
        return exit_code;
    struct tr_publish_opts o = {.target = n->publish_url};
    struct tr_publish_result r;
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_publish_run(n->d.db, &o, &r, &e);
    if (rc)
        tr_cmd_print_err("nightly", &e);
    else if (!r.up_to_date)
        fprintf(stderr, "tradereport nightly: published to %s: %ld loads sent, %ld removed\n",
                r.target, r.loads_sent, r.loads_dropped);
    return rc;
}

static int nightly_run(struct nightly *n)
{
    struct tr_err e;
    tr_err_init(&e);
    struct stat sb;
    /* checked before the lock is taken, so a mistyped inbox creates no database */
    int serr = stat(n->inbox_arg, &sb) != 0 ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
    if (serr) {
        fprintf(stderr, "tradereport nightly: cannot open inbox '%s': %s\n", n->inbox_arg,
                strerror(serr));
        return TR_EIO;
    }
    int rc = tr_cmd_open_db(&tr_cmd_nightly, n->db_path, &n->d);
    if (rc)
        return rc;
    for (int i = 0; i < n->n_pairs && !rc; i++)
        if (!(rc = check_country(n->d.db, n->pairs[i].a, &e)))
            rc = check_country(n->d.db, n->pairs[i].b, &e);
    if (!rc)
        rc = resolve_dirs(n, &e);
    if (!rc)
        rc = list_inbox(n, &e);
    if (rc || n->n_names == 0)
        goto out;   /* an empty inbox: nothing printed, nothing recorded */
    if ((rc = tr_filemove_mkdir_p(n->archive, &e)) || (rc = tr_filemove_mkdir_p(n->quarantine, &e)))
        goto out;
    if (!(n->files = calloc(n->n_names, sizeof(*n->files)))) {
        rc = tr_err_set(&e, TR_ENOMEM, "out of memory");
        goto out;
    }
    tr_now_iso(n->started);
    char day[11];
    snprintf(day, sizeof(day), "%.10s", n->started);
    if (join(n->day_dir, sizeof(n->day_dir), n->archive, day)) {
        rc = tr_err_set(&e, TR_EIO, "path too long: '%s'", n->archive);
        goto out;
    }
    /* temporaries a killed run left (reason files, cross-filesystem copies) */
    tr_tmp_sweep(n->quarantine);
    tr_tmp_sweep(n->day_dir);
    if ((rc = insert_run(n, &e)))
        goto out;

    for (size_t i = 0; i < n->n_names; i++)
        if (handle_file(n, n->names[i]))
            break;

    int exit_code = n->stop_rc;
    if (n->files_failed)
        exit_code = worst_of(exit_code, TR_EFAIL);
    if (!n->stop_rc) {
        if ((rc = refresh_summaries(n->d.db, &e))) {
            tr_cmd_print_err("nightly", &e);
            n->stop_rc = rc;
            snprintf(n->stop_msg, sizeof(n->stop_msg), "refreshing summaries: %s", e.msg);
            exit_code = worst_of(exit_code, rc);
        } else if (n->n_pairs) {
            exit_code = worst_of(exit_code, write_reports(n));
        }
    }
    tr_err_init(&e);
    if ((rc = record_changes(n, &e))) {
        tr_cmd_print_err("nightly", &e);
        exit_code = worst_of(exit_code, rc);
    }
    tr_now_iso(n->finished);
    tr_err_init(&e);
    if ((rc = finish_run(n, exit_code, &e))) {
        tr_cmd_print_err("nightly", &e);
        exit_code = worst_of(exit_code, rc);
    }
    print_summary(n, exit_code);
    fflush(stdout);
    exit_code = publish_after(n, exit_code);
    tr_db_close(&n->d);
    return exit_code;
out:
    if (rc)
        tr_cmd_print_err("nightly", &e);
    else
        rc = publish_after(n, rc);
    tr_db_close(&n->d);
    return rc;
}

static void nightly_free(struct nightly *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_names; i++)
        free(n->names[i]);
    free(n->names);
    free(n->files);
    free(n);
}

static int parse_args(struct nightly *n, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"inbox", required_argument, NULL, 'i'},
        {"archive", required_argument, NULL, 'a'},
        {"quarantine", required_argument, NULL, 'q'},
        {"reports", required_argument, NULL, 'r'},
        {"pair", required_argument, NULL, 'p'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"publish", required_argument, NULL, 'P'},
        {0, 0, 0, 0},
    };
    int c;
    char *end;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': n->db_path = optarg; break;
        case 'i': n->inbox_arg = optarg; break;
        case 'a': n->archive_arg = optarg; break;
        case 'q': n->quarantine_arg = optarg; break;
        case 'r': n->reports_arg = optarg; break;
        case 'P': n->publish_url = optarg; break;
        case 'p':
            if (n->n_pairs == MAX_PAIRS) {
                fprintf(stderr, "tradereport nightly: at most %d --pair options\n", MAX_PAIRS);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            if (tr_report_parse_pair(optarg, n->pairs[n->n_pairs].a,
                                     n->pairs[n->n_pairs].b)) {
                fprintf(stderr, "tradereport nightly: --pair wants A:B with ISO3 codes, e.g. "
                        "RUS:IRN; got '%s'\n", optarg);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            n->n_pairs++;
            break;
        case 'm':
            n->io.max_rejects = strtol(optarg, &end, 10);
            if (!*optarg || *end || n->io.max_rejects < 0) {
                fprintf(stderr, "tradereport nightly: --max-rejects wants a count, got '%s'\n",
                        optarg);
                return tr_cmd_usage(&tr_cmd_nightly);
            }
            break;
        default: return tr_cmd_usage(&tr_cmd_nightly);
        }
    }
    if (optind != argc || !n->inbox_arg || !*n->inbox_arg)
        return tr_cmd_usage(&tr_cmd_nightly);
    if (n->reports_arg && !n->n_pairs) {
        fprintf(stderr, "tradereport nightly: --reports needs at least one --pair\n");
        return tr_cmd_usage(&tr_cmd_nightly);
    }
    struct tr_err e;
    tr_err_init(&e);
    if (tr_db_check_path(tr_cmd_db_path(n->db_path), &e)) {
        tr_cmd_print_err("nightly", &e);
        return tr_cmd_usage(&tr_cmd_nightly);
    }
    return TR_OK;
}

static int run(int argc, char **argv)
{
    struct nightly *n = calloc(1, sizeof(*n));
    if (!n) {
        fprintf(stderr, "tradereport nightly: out of memory\n");
        return TR_ENOMEM;
    }
    n->d.lock_fd = -1;
    n->io.format = "auto";
    n->io.progress = isatty(STDERR_FILENO);
    int rc = parse_args(n, argc, argv);
    if (rc == TR_OK) {
        tr_signals_install();
        rc = nightly_run(n);
    }
    nightly_free(n);
    return tr_signals_exit_code(rc);
}

const struct tr_cmd tr_cmd_nightly = {
    .name = "nightly",
    .usage = "[--db FILE] --inbox DIR [--archive DIR] [--quarantine DIR] [--reports DIR] "
             "[--pair A:B]... [--max-rejects N] [--publish URL]",
    .summary = "the import job: load the inbox, archive or quarantine each file, summarise",
    .help =
        "Takes the writer lock for the whole run (another writer: exit 4 at once, nothing\n"
        "touched) and loads each file of --inbox, in name order, like 'import' (one\n"
        "transaction per file; same bytes are 'already loaded'; a corrected file replaces\n"
        "its partitions). Files whose name starts with '.' or ends in .part or .tmp (still\n"
        "being written), subdirectories and symlinks are left alone.\n"
        "Loaded and already-loaded files move to ARCHIVE/YYYY-MM-DD/ (UTC date of the run,\n"
        "SOURCE_DATE_EPOCH honoured); a rejected file moves to QUARANTINE/ with\n"
        "NAME.reason.txt (error, line, rejected rows, first rejects). Names are never\n"
        "overwritten: a clash becomes NAME.1.csv, NAME.2.csv, ... --archive and --quarantine\n"
        "default to the directories 'archive' and 'quarantine' beside the inbox.\n"
        "Then the summary tables are refreshed and, for each --pair A:B, the briefing\n"
        "REPORTS/A-B.xlsx and .pdf is rewritten (atomically; --reports defaults to 'reports'\n"
        "beside the inbox). The run is recorded in nightly_run, nightly_file and\n"
        "nightly_change, and a summary is printed: files, rows, the new and revised\n"
        "(source, classification, period, reporter) partitions and the bilateral totals the\n"
        "revisions moved, largest first. An empty inbox prints nothing and changes nothing.\n"
        "Exit 0 when every file loaded or was already loaded; 1 when a file was quarantined\n"
        "or a pair had no data for its report; 4 busy; 5 i/o or database error (the file\n"
        "concerned stays in the inbox for the next run). See doc/nightly.md.\n"
        "--publish URL: after a run that exits 0, 'publish --to URL' (doc/postgresql.md);\n"
        "its failure is the run's exit code (4 busy, 5 server).\n",
    .run = run,
    .db = TR_DB_WRITE,
};
