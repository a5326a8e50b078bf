/*
 * The briefing model (tr/briefing.h): every decision about what a reader sees that the PDF
 * and the workbook share, taken once from the view rows. It does not read the database (that
 * is report.c) and it does not draw (pdf*.c, xlsx*.c, chart*.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/baseline.h"
#include "tr/briefing.h"
#include "tr/fmt.h"

#define EN_DASH "\xE2\x80\x93"

enum tr_claim_unit tr_briefing_claim_unit(const struct tr_claim_row *c)
{
    if (c->unit && *c->unit)
        return strcmp(c->unit, "pct") == 0 ? TR_UNIT_PCT
               : strcmp(c->unit, "USD") == 0 ? TR_UNIT_USD : TR_UNIT_NONE;
    if (!c->metric || !*c->metric || strcmp(c->metric, "not_measurable") == 0)
        return TR_UNIT_NONE;
    size_t n = strlen(c->metric);
    if ((n > 4 && strcmp(c->metric + n - 4, "_pct") == 0) || strstr(c->metric, "share"))
        return TR_UNIT_PCT;
    return TR_UNIT_USD;
}

static void format_in_unit(double v, enum tr_claim_unit u, char *buf, size_t n)
{
    if (u == TR_UNIT_PCT)
        tr_fmt_pct(v, buf, n);
    else if (u == TR_UNIT_USD)
        tr_fmt_money(v, buf, n);
    else
        tr_fmt_scaled(v, buf, n);
}

/* Figures of one claim as text: a percentage claim's difference in percentage points (the
 * view's diff_pct is relative to the computed value, which misreads for shares). */
static void claim_text(struct tr_brief_claim *k)
{
    const struct tr_claim_row *c = k->shown;
    k->unit = tr_briefing_claim_unit(c);
    format_in_unit(c->stated_value, k->unit, k->stated, sizeof(k->stated));
    format_in_unit(c->computed_value, k->unit, k->computed, sizeof(k->computed));
    if (k->unit == TR_UNIT_PCT)
        tr_fmt_pp(c->stated_value - c->computed_value, k->diff, sizeof(k->diff));
    else
        tr_fmt_change(c->diff_pct, k->diff, sizeof(k->diff));
}

/* Groups the claim rows by claim, in the order the claims first appear. */
static int group_claims(struct tr_briefing *b, struct tr_err *e)
{
    const struct tr_report *r = b->r;
    b->claims = calloc(r->n_claims + 1, sizeof(*b->claims));
    if (!b->claims)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_claims; i++) {
        const struct tr_claim_row *row = &r->claims[i];
        size_t k = 0;
        while (k < b->n_claims && b->claims[k].shown->claim_id != row->claim_id)
            k++;
        if (k == b->n_claims)
            b->claims[b->n_claims++].shown = row;
        b->claims[k].n_defs++;
        if (row->is_closest && !b->claims[k].shown->is_closest)
            b->claims[k].shown = row;
    }
    for (size_t k = 0; k < b->n_claims; k++)
        claim_text(&b->claims[k]);
    return TR_OK;
}

/* Does exporter have composition rows in year? */
static int comp_has(const struct tr_report *r, const char *exporter, int year)
{
    for (size_t i = 0; i < r->n_composition; i++)
        if (r->composition[i].year == year && strcmp(r->composition[i].exporter, exporter) == 0)
            return 1;
    return 0;
}

/* A year counts when every exporter that has rows at all has rows in it, so both charts
 * compare the same two years: the baseline against the latest such year when the baseline
 * counts and is earlier, else the first against the latest. */
static void comp_years(struct tr_briefing *b)
{
    const struct tr_report *r = b->r;
    const char *sides[2] = {r->a, r->b};
    int lo = 0, hi = 0, has_base = 0;
    for (size_t i = 0; i < r->n_composition; i++) {
        int y = r->composition[i].year, ok = 1;
        for (int s = 0; s < 2; s++) {
            int present = 0;
            for (size_t j = 0; j < r->n_composition && !present; j++)
                present = strcmp(r->composition[j].exporter, sides[s]) == 0;
            ok &= !present || comp_has(r, sides[s], y);
        }
        if (!ok)
            continue;
        lo = lo && lo < y ? lo : y;
        hi = hi > y ? hi : y;
        has_base |= y == b->baseline_year;
    }
    b->comp_years[0] = has_base && hi > b->baseline_year ? b->baseline_year : lo;
    b->comp_years[1] = hi;
    if (!hi)
        snprintf(b->comp_note, sizeof(b->comp_note), "No composition data for the pair.");
    else if (b->comp_years[0] == b->baseline_year)
        snprintf(b->comp_note, sizeof(b->comp_note), "%d, the last year before the 2022 "
                 "sanctions, against %d, the latest year with data for both exporters.",
                 b->comp_years[0], hi);
    else
        snprintf(b->comp_note, sizeof(b->comp_note), "%d is not in the data for both "
                 "exporters with a later year: the first year, %d, against the latest, %d.",
                 b->baseline_year, b->comp_years[0], hi);
}

int tr_briefing_build(const struct tr_report *r, struct tr_briefing *b, struct tr_err *e)
{
    memset(b, 0, sizeof(*b));
    b->r = r;
    b->baseline_year = TR_BASELINE_YEAR;
    if (r->n_years == 0)
        snprintf(b->period, sizeof(b->period), "no data");
    else if (r->from_year == r->to_year)
        snprintf(b->period, sizeof(b->period), "%d", r->from_year);
    else
        snprintf(b->period, sizeof(b->period), "%d" EN_DASH "%d", r->from_year, r->to_year);
    comp_years(b);
    int rc = group_claims(b, e);
    if (rc)
        tr_briefing_release(b);
    return rc;
}

void tr_briefing_release(struct tr_briefing *b)
{
    if (!b)
        return;
    free(b->claims);
    memset(b, 0, sizeof(*b));
}
