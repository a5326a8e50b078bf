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
        return strcmp(c->unit, "pct") == 0   ? TR_UNIT_PCT
               : strcmp(c->unit, "USD") == 0 ? TR_UNIT_USD
                                             : TR_UNIT_NONE;
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
    else if (b->comp_years[0] == hi)
        snprintf(b->comp_note, sizeof(b->comp_note),
                 "%d, the only year with data for both "
                 "exporters.",
                 hi);
    else if (b->comp_years[0] == b->baseline_year)
        snprintf(b->comp_note, sizeof(b->comp_note),
                 "%d, the last year before the 2022 "
                 "sanctions, against %d, the latest year with data for both exporters.",
                 b->comp_years[0], hi);
    else
        snprintf(b->comp_note, sizeof(b->comp_note),
                 "%d is not in the data for both "
                 "exporters with a later year: the first year, %d, against the latest, %d.",
                 b->baseline_year, b->comp_years[0], hi);
}

/* Short names that fit two lines under a column; the tables have the full ones. */
static const struct {
    const char *code, *name;
} section_names[] = {
    {"I", "Live animals"},
    {"II", "Vegetable products"},
    {"III", "Fats and oils"},
    {"IV", "Food, drink"},
    {"V", "Mineral products"},
    {"VI", "Chemicals"},
    {"VII", "Plastics, rubber"},
    {"VIII", "Hides, leather"},
    {"IX", "Wood"},
    {"X", "Paper"},
    {"XI", "Textiles"},
    {"XII", "Footwear, headgear"},
    {"XIII", "Stone, glass"},
    {"XIV", "Precious metals"},
    {"XV", "Base metals"},
    {"XVI", "Machinery, electrical"},
    {"XVII", "Vehicles, aircraft"},
    {"XVIII", "Instruments"},
    {"XIX", "Arms"},
    {"XX", "Furniture, toys"},
    {"XXI", "Art, antiques"},
    {"NS", "Not specified"},
};

const char *tr_briefing_section_short(const char *code)
{
    for (size_t i = 0; i < sizeof(section_names) / sizeof(section_names[0]); i++)
        if (strcmp(section_names[i].code, code) == 0)
            return section_names[i].name;
    return code;
}

#define COMP_CODES 32 /* HS sections (21) and NS, with room to spare */

/* Sums exporter's shares and totals by section for the chart's years; returns the sections. */
static size_t comp_sum(const struct tr_report *r, struct tr_brief_comp *k,
                       const char *code[COMP_CODES], double sh[2][COMP_CODES])
{
    size_t n_code = 0;
    for (size_t i = 0; i < r->n_composition; i++) {
        const struct tr_composition_row *row = &r->composition[i];
        if (strcmp(row->exporter, k->exporter) != 0)
            continue;
        size_t s = row->year == k->years[1] && k->n_years == 2 ? 1
                   : row->year == k->years[0]                  ? 0
                                                               : 2;
        if (s == 2)
            continue;
        size_t j = 0;
        while (j < n_code && strcmp(code[j], row->code) != 0)
            j++;
        if (j == n_code) {
            if (n_code == COMP_CODES)
                continue;
            code[n_code++] = row->code;
        }
        if (isfinite(row->share_pct))
            sh[s][j] += row->share_pct;
        if (isfinite(row->value_usd))
            k->total[s] += row->value_usd;
    }
    return n_code;
}

/* One exporter's chart: the largest sections of the latest year first (then of the earlier
 * year), the rest as "Other sections". Returns 0 when the exporter has no rows in the years. */
static int comp_chart(const struct tr_briefing *b, const char *exporter, const char *importer,
                      struct tr_brief_comp *k)
{
    memset(k, 0, sizeof(*k));
    k->exporter = exporter;
    k->importer = importer;
    k->years[0] = b->comp_years[0];
    k->years[1] = b->comp_years[1];
    k->n_years = k->years[0] == k->years[1] ? 1 : 2;
    const char *code[COMP_CODES];
    double sh[2][COMP_CODES] = {{0}};
    size_t n_code = comp_sum(b->r, k, code, sh);
    if (n_code == 0)
        return 0;
    size_t order[COMP_CODES], last = k->n_years - 1;
    for (size_t j = 0; j < n_code; j++) {
        size_t p = j;
        for (; p > 0; p--) {
            size_t q = order[p - 1];
            if (sh[last][q] > sh[last][j] || (sh[last][q] == sh[last][j] && sh[0][q] >= sh[0][j]))
                break;
            order[p] = q;
        }
        order[p] = j;
    }
    size_t shown = n_code <= TR_BRIEF_COMP_CATS ? n_code : TR_BRIEF_COMP_SHOWN;
    for (size_t p = 0; p < n_code; p++) {
        size_t c = p < shown ? p : shown;
        k->cat[c] = p < shown ? tr_briefing_section_short(code[order[p]]) : "Other sections";
        for (size_t s = 0; s < k->n_years; s++)
            k->share[s][c] += sh[s][order[p]];
    }
    k->n_cat = shown < n_code ? shown + 1 : shown;
    k->n_codes = n_code;
    return 1;
}

/* The closest computed figure of the claim whose first row is claims[i]: in the report's
 * source first, then the nearest to the stated figure. */
static const struct tr_claim_row *mark_computed(const struct tr_report *r, size_t i, int *same)
{
    const struct tr_claim_row *c = &r->claims[i], *best = NULL;
    *same = 0;
    for (size_t j = i; j < r->n_claims; j++) {
        const struct tr_claim_row *o = &r->claims[j];
        if (o->claim_id != c->claim_id || !isfinite(o->computed_value))
            continue;
        int in_source = o->source && strcmp(o->source, r->source) == 0;
        double gap = fabs(o->computed_value - c->stated_value);
        if (!best || in_source > *same ||
            (in_source == *same && gap < fabs(best->computed_value - c->stated_value))) {
            best = o;
            *same = in_source;
        }
    }
    return best;
}

/* The claims about the pair's turnover in US$ in a year of the series. */
static int turnover_marks(struct tr_briefing *b, struct tr_err *e)
{
    const struct tr_report *r = b->r;
    b->marks = calloc(r->n_claims + 1, sizeof(*b->marks));
    if (!b->marks)
        return tr_err_set(e, TR_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_claims; i++) {
        const struct tr_claim_row *c = &r->claims[i];
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->claims[j].claim_id == c->claim_id;
        if (seen || !c->metric || strcmp(c->metric, "turnover") != 0 || !c->unit ||
            strcmp(c->unit, "USD") != 0 || !isfinite(c->stated_value))
            continue;
        size_t x = 0;
        while (x < r->n_years && r->years[x].year != c->year)
            x++;
        int same;
        const struct tr_claim_row *best = mark_computed(r, i, &same);
        if (x == r->n_years || !best)
            continue;
        b->marks[b->n_marks++] = (struct tr_brief_mark){x, c, best, same};
    }
    return TR_OK;
}

/* Adds year to the ascending set ys of n years (up to max); returns the new n. */
static size_t add_year(int *ys, size_t n, size_t max, int year)
{
    size_t i = 0;
    while (i < n && ys[i] < year)
        i++;
    if ((i < n && ys[i] == year) || n == max)
        return n;
    memmove(&ys[i + 1], &ys[i], (n - i) * sizeof(*ys));
    ys[i] = year;
    return n + 1;
}

size_t tr_briefing_basket_years(const struct tr_report *r, const char *dest, int *years)
{
    int all[64]; /* the distinct years with a value: a report spans far fewer */
    size_t n = 0;
    for (size_t i = 0; i < r->n_baskets; i++) {
        const struct tr_basket_row *k = &r->baskets[i];
        if (strcmp(k->destination, dest) == 0 && strcmp(k->declared_by, "exporter") == 0 &&
            isfinite(k->value_usd))
            n = add_year(all, n, sizeof(all) / sizeof(all[0]), k->year);
    }
    if (n == 0)
        return 0;
    size_t first = 0; /* the baseline when the data go on after it, else the first year */
    while (first < n && all[first] != TR_BASELINE_YEAR)
        first++;
    if (first >= n - 1)
        first = 0;
    size_t m = 0;
    years[m++] = all[first];
    size_t from = n - first - 1 > TR_BRIEF_BASKET_YEARS - 1 ? n - (TR_BRIEF_BASKET_YEARS - 1)
                                                            : first + 1;
    for (size_t i = from; i < n; i++)
        years[m++] = all[i];
    return m;
}

int tr_briefing_basket_row_shown(const struct tr_basket_row *k)
{
    return isfinite(k->value_usd) || isfinite(k->baseline_usd);
}

/* The years with goods_partial as runs ("2018–2020, 2022"), and the sentence every page that
 * shows those totals prints under them. */
static void partial_years(struct tr_briefing *b)
{
    const struct tr_report *r = b->r;
    size_t off = 0, n = sizeof(b->partial_years);
    for (size_t i = 0; i < r->n_years; i++) {
        if (!r->years[i].goods_partial || (i > 0 && r->years[i - 1].goods_partial &&
                                           r->years[i - 1].year == r->years[i].year - 1))
            continue;
        size_t j = i; /* the run of consecutive partial years from i */
        while (j + 1 < r->n_years && r->years[j + 1].goods_partial &&
               r->years[j + 1].year == r->years[j].year + 1)
            j++;
        int w = j > i ? snprintf(b->partial_years + off, n - off, "%s%d" EN_DASH "%d",
                                 off ? ", " : "", r->years[i].year, r->years[j].year)
                      : snprintf(b->partial_years + off, n - off, "%s%d", off ? ", " : "",
                                 r->years[i].year);
        if (w < 0 || (size_t)w >= n - off) { /* too many runs to list: say so */
            snprintf(b->partial_years, n, "several years");
            break;
        }
        off += (size_t)w;
    }
    if (*b->partial_years)
        snprintf(b->partial_note, sizeof(b->partial_note),
                 "Not all goods in %s: a declaration behind these figures lists "
                 "some products and no all-goods total (an HS6 extract, or a file without a "
                 "TOTAL row), so the turnover sums those products only.",
                 b->partial_years);
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
    partial_years(b);
    if (b->comp_years[1]) {
        if (comp_chart(b, r->a, r->b, &b->comp[b->n_comp]))
            b->n_comp++;
        if (comp_chart(b, r->b, r->a, &b->comp[b->n_comp]))
            b->n_comp++;
    }
    int rc = group_claims(b, e);
    if (!rc)
        rc = turnover_marks(b, e);
    if (rc)
        tr_briefing_release(b);
    return rc;
}

void tr_briefing_release(struct tr_briefing *b)
{
    if (!b)
        return;
    free(b->claims);
    free(b->marks);
    memset(b, 0, sizeof(*b));
}
