/*
 * The morning summary of a nightly run, on stdout: the run's outcome, files and rows, the
 * files the delivery guards refused, each file's fate, the partitions new or revised and the
 * bilateral totals the revisions moved (largest first), the reports. Read from the run's
 * records in one snapshot; names and messages printed escaped. It changes nothing.
 */
#include "tr/nightly.h"

#include <string.h>

#include "tr/safe_name.h"
#include "tr/snapshot.h"
#include "tr/stmt.h"

#define TOP_CHANGES 20    /* revisions printed; nightly_change keeps all */
#define LIST_REPORTERS 12 /* reporters named per partition line before "and N more" */

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
static void print_refusals(const struct tr_nightly *n)
{
    size_t shown = 0;
    for (size_t i = 0; i < n->n_files; i++) {
        const struct tr_nightly_file *f = &n->files[i];
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
static void print_files(const struct tr_nightly *n)
{
    size_t archived = 0;
    static char en[TR_SAFE_ESC_SIZE(NAME_MAX)], em[TR_SAFE_ESC_SIZE(2 * TR_ERR_MSG + 64)],
        ed[TR_SAFE_ESC_SIZE(TR_NIGHTLY_PATH_BUF)];
    for (size_t i = 0; i < n->n_files; i++) {
        const struct tr_nightly_file *f = &n->files[i];
        const char *slash = f->dest[0] ? strrchr(f->dest, '/') : NULL;
        const char *name = tr_safe_escape(en, sizeof(en), f->name);
        const char *msg = tr_safe_escape(em, sizeof(em), f->msg);
        archived += f->outcome != TR_NIGHTLY_QUARANTINED && f->dest[0];
        switch (f->outcome) {
        case TR_NIGHTLY_LOADED:
            printf("  loaded       %s: load %ld, %ld rows", name, f->load_id, f->rows_loaded);
            if (f->rows_rejected)
                printf(", %ld rejected", f->rows_rejected);
            if (f->rows_replaced)
                printf(", replaced %ld earlier rows", f->rows_replaced);
            printf("\n");
            break;
        case TR_NIGHTLY_ALREADY:
            printf("  already      %s: same bytes as load %ld, nothing changed\n", name,
                   f->load_id);
            break;
        case TR_NIGHTLY_QUARANTINED:
            printf("  QUARANTINED  %s: %s\n", name, msg);
            if (f->dest[0])
                printf("               see %s.reason.txt\n",
                       tr_safe_escape(ed, sizeof(ed), f->dest));
            break;
        case TR_NIGHTLY_ERROR:
            printf("  ERROR        %s: %s (left in the inbox)\n", name, msg);
            break;
        }
        if (f->outcome != TR_NIGHTLY_QUARANTINED && slash && strcmp(slash + 1, f->name) != 0)
            printf("               archived as %s\n", tr_safe_escape(ed, sizeof(ed), slash + 1));
        if ((f->outcome == TR_NIGHTLY_LOADED || f->outcome == TR_NIGHTLY_ALREADY) && !f->dest[0])
            printf("               still in the inbox, %s\n", msg);
    }
    if (archived)
        printf("archived in %s\n", tr_safe_escape(ed, sizeof(ed), n->day_dir));
    if (n->n_skipped)
        printf("left in the inbox: %zu file%s still being written (.part, .tmp)\n", n->n_skipped,
               n->n_skipped == 1 ? "" : "s");
}

/* "  new      baci H5 2020: IRN, RUS" — one line per kind and partition period. */
static int print_partitions(const struct tr_nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st, tr_nightly_partitions_sql, e);
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

static int print_changes(const struct tr_nightly *n, struct tr_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tr_nightly_prep(n->d.db, &st, "SELECT count(*) FROM nightly_change WHERE run_id = ?",
                             e);
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
    rc = tr_nightly_prep(n->d.db, &st,
                         "SELECT source, year, month, reporter, partner, flow, old_usd, "
                         "new_usd, change_usd, change_pct FROM nightly_change WHERE run_id = ? "
                         "ORDER BY abs(change_usd) DESC, source, year, month, reporter, "
                         "partner, flow LIMIT ?",
                         e);
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

void tr_nightly_print_summary(struct tr_nightly *n, int exit_code)
{
    static char em[TR_SAFE_ESC_SIZE(sizeof(n->stop_msg))];
    const char *why = exit_code == TR_OK  ? "ok"
                      : n->stop_rc        ? "stopped by an error"
                      : n->files_failed   ? "a file was quarantined"
                      : n->reports_failed ? "a report could not be written"
                                          : "the run could not be recorded";
    printf("tradereport nightly run %ld, %s: exit %d (%s)\n", n->run_id, n->started, exit_code,
           why);
    printf("files: %zu: %ld loaded, %ld already loaded, %ld quarantined", n->n_files, n->files_ok,
           n->files_already, n->files_failed);
    if (n->stop_rc)
        printf(", %zu not reached", n->n_names - n->n_files);
    printf("\nrows:  %ld loaded, %ld rejected, %ld earlier rows replaced\n", n->rows_loaded,
           n->rows_rejected, n->rows_replaced);
    printf("\n");
    print_refusals(n);
    print_files(n);
    struct tr_err e;
    struct tr_snapshot snap; /* both lists from one state of the database */
    tr_err_init(&e);
    if (tr_snapshot_begin(&snap, n->d.db, &e) || print_partitions(n, &e) || print_changes(n, &e))
        printf("  (cannot read the changes: %s)\n", e.msg);
    tr_snapshot_end(&snap);
    if (n->n_pairs) {
        static char ed[TR_SAFE_ESC_SIZE(TR_NIGHTLY_PATH_BUF)];
        printf("\nreports in %s:\n", tr_safe_escape(ed, sizeof(ed), n->reports));
        for (int i = 0; i < n->n_pairs; i++) {
            const struct tr_nightly_pair *p = &n->pairs[i];
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
