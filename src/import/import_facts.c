/*
 * Facts on their way to fact_trade: the pipeline's checks of a fact (the key's ranges, a
 * plausible value), its partition and replacement scope, then the fact writer (factwriter.c),
 * on the second core for a large file; after the last row, duplicates become rejects.
 * What a row of a format means is the format's file; how rows are inserted is factwriter.c's.
 */
#include "tr/import_internal.h"

#include <stdlib.h>
#include <string.h>

#include "tr/factkey.h"
#include "tr/utf8.h"

static void note_common(int *common, int v)
{
    if (*common == -1)
        *common = v;
    else if (*common != v)
        *common = -2;
}

static void writer_db_enter(void *w)
{
    tr_factwriter_db_enter(w);
}
static void writer_db_leave(void *w)
{
    tr_factwriter_db_leave(w);
}

/* Opened at the first fact: formats that write their own tables never start a thread. */
static int open_writer(struct tr_import *imp, struct tr_err *e)
{
    int rc = tr_factwriter_open(imp->db, imp->path, imp->latin1, imp->load_id, imp->threaded,
                                &imp->writer, e);
    if (!rc) /* new codes are written on this thread while the writer inserts on its own */
        tr_codes_set_gate(imp->codes, writer_db_enter, writer_db_leave, imp->writer);
    return rc;
}

/* Cut to the buffer like snprintf, without its cost on every row, on a character boundary. */
static void copy_text(char *dst, size_t n, const char *src)
{
    tr_utf8_copy(dst, n, src);
}

/* Above 10^15 US$ a figure is a unit or typing error, not trade. The bound also keeps the
 * sums of a file's groups, and of the views over them, well inside a 64-bit integer. */
#define MONEY_MAX_USD 1000000000000000LL

static int money_plausible(int64_t v)
{
    return v == TR_MISSING_INT || (v >= -MONEY_MAX_USD && v <= MONEY_MAX_USD);
}

/* The row's scope unit replaces the earlier rows it holds (tr/replace.h); the replacement
 * state is made at the first row, when the format has said the file's release. */
static int replace_scope(struct tr_import *imp, const struct tr_factkey *k, int level,
                         const struct tr_fact *f, long line, struct tr_err *e)
{
    if (!tr_factkey_valid(k)) /* a breakdown row out of the key's range: no unit */
        return TR_OK;
    if (!imp->replace &&
        !(imp->replace = tr_replace_new(imp->db, imp->load_id, imp->fmt->scope, imp->release,
                                        imp->path, &imp->replace_opts, writer_db_enter,
                                        writer_db_leave, imp->writer)))
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    return tr_replace_row(imp->replace, tr_factkey_pack(k), level, f->value_usd, f->breakdown,
                          line, e);
}

int tr_import_fact(struct tr_import *imp, const struct tr_fact *f,
                   const struct tr_csv_record *rec, struct tr_err *e)
{
    int rc;
    /* rejected before the row counts in its partition */
    struct tr_factkey k = {f->source_id,      f->year,    f->month, f->reporter,
                           f->classification, f->partner, f->flow,  f->product};
    if (!f->breakdown && !tr_factkey_valid(&k))
        return tr_import_reject(imp, rec, NULL, "OUT_OF_RANGE",
                                "year, month, country or product outside the supported range");
    if (!money_plausible(f->value_usd) || !money_plausible(f->cif_usd) ||
        !money_plausible(f->fob_usd))
        return tr_import_reject(imp, rec, NULL, "OUT_OF_RANGE",
                                "a value above 10^15 US$ (world trade is about 2.5 x 10^13 a "
                                "year): a unit or typing error");
    note_common(&imp->facts_cls, f->classification);
    note_common(&imp->facts_year, f->year);
    if ((rc = tr_import_claim_fact_partition(imp, f, e)))
        return rc;
    if (!imp->writer && (rc = open_writer(imp, e)))
        return rc;
    int level = tr_codes_product_level(imp->codes, f->product);
    if ((rc = replace_scope(imp, &k, level, f, rec->line, e)))
        return rc;
    struct tr_factrow *r = tr_factwriter_next(imp->writer);
    r->kind = f->breakdown ? TR_ROW_BREAKDOWN : TR_ROW_FACT;
    r->key = f->breakdown ? 0 : tr_factkey_pack(&k);
    r->part_idx = imp->last_part_idx;
    r->level = level;
    r->chapter = tr_codes_product_chapter(imp->codes, f->product);
    r->f = *f;
    copy_text(r->qty_unit, sizeof(r->qty_unit), f->qty_unit);
    copy_text(r->customs_code, sizeof(r->customs_code), f->customs_code);
    copy_text(r->mot_code, sizeof(r->mot_code), f->mot_code);
    r->f.qty_unit = r->f.customs_code = r->f.mot_code = NULL;
    r->line = rec->line;
    r->offset = rec->offset;
    imp->rows_loaded++;
    return tr_factwriter_push(imp->writer, e);
}

/* After the writer finished: rows whose key an earlier row had become DUPLICATE_KEY rejects,
 * in line order with the others. */
static int reject_duplicates(struct tr_import *imp)
{
    size_t n;
    const struct tr_duprow *d = tr_factwriter_duplicates(imp->writer, &n);
    for (size_t i = 0; i < n; i++) {
        struct tr_csv_record rec = {.line = d[i].line,
                                    .offset = d[i].offset,
                                    .raw = d[i].raw,
                                    .raw_len = strlen(d[i].raw)};
        imp->rows_loaded--;
        imp->part_rows[d[i].part_idx]--;
        int rc = tr_import_reject(imp, &rec, NULL, "DUPLICATE_KEY",
                                  "the same reporter, partner, period, flow and product appear "
                                  "earlier in the file");
        if (rc)
            return rc;
    }
    return TR_OK;
}

static int by_line(const void *a, const void *b)
{
    const struct tr_import_rejected *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Inserts what the writer still holds, stops its thread, turns duplicates into rejects. */
int tr_import_finish_facts(struct tr_import *imp, struct tr_err *e)
{
    if (!imp->writer)
        return TR_OK;
    int rc = tr_factwriter_finish(imp->writer, e);
    if (rc)
        return rc;
    size_t n_dups;
    tr_factwriter_duplicates(imp->writer, &n_dups);
    if (!n_dups)
        return TR_OK;
    if ((rc = reject_duplicates(imp)))
        return tr_err_set(e, rc, "out of memory");
    qsort(imp->rejects, imp->n_rejects, sizeof(*imp->rejects), by_line);
    return TR_OK;
}

/* Did the file bring any trade facts (and so sum_trade groups)? */
int tr_import_has_facts(const struct tr_import *imp)
{
    return imp->writer && tr_factwriter_has_sums(imp->writer);
}
