/*
 * The workbook's Definitions sheet: one row per column of every sheet with a table, saying
 * what the column holds, in what unit and from which view. The header texts are the sheets'
 * own (struct xw, xlsx_sheets.c), so a renamed column cannot drift from its definition.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tr/xlsx_int.h"

#define DEF_COLUMN_WIDTH 44
#define DEF_TEXT_WIDTH 100

/* How every money column is stored and shown; Definitions repeats it where it applies. */
static const char MONEY_DEF[] =
    "Unit: US$ millions; the cell holds US$ / 1,000,000, shown with one decimal. Values "
    "are stored in whole US$; CEPII BACI's reconciled values are FOB in thousands of US$ "
    "and are converted to US$ (x 1,000) on import. Empty when not reported, never 0.";

/* How every percentage column is stored and shown. */
static const char PCT_DEF[] =
    "The cell holds a fraction (0.12 = 12%) shown as a percentage with one decimal; empty "
    "when it cannot be computed.";

/* One Definitions row: sheet, column, printf-style definition. */
__attribute__((format(printf, 6, 7))) static void define(struct xw *x, lxw_worksheet *ws,
                                                         lxw_row_t *row, const char *sheet,
                                                         const char *column, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    xw_put_str(x, ws, *row, 0, sheet, x->f.wrap);
    xw_put_str(x, ws, *row, 1, column, x->f.wrap);
    xw_put_str(x, ws, *row, 2, text, x->f.wrap);
    double h = ROW_HEIGHT; /* tall enough for the wrapped column name and definition */
    xw_row_for_text(x, ws, *row, column, DEF_COLUMN_WIDTH, &h);
    xw_row_for_text(x, ws, *row, text, DEF_TEXT_WIDTH, &h);
    (*row)++;
}

static void define_summary(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *a = x->r->a, *b = x->r->b, *S = SHEET_SUMMARY;
    char(*l)[HEAD_MAX] = x->su_label;
    define(x, ws, row, S, "Period", "First and last year covered by the Bilateral table.");
    define(x, ws, row, S, "Data source",
           "Where every figure in this workbook comes from; the briefing uses one source.");
    define(x, ws, row, S, "Generated at", "When the briefing was made, ISO 8601 UTC.");
    define(x, ws, row, S, "Tool version", "Version of tradereport that wrote the workbook.");
    define(x, ws, row, S, "Key figure",
           "The column headed by the latest year shows that year; the next column shows the "
           "first year of the period for comparison. Each figure is the same cell as in "
           "Bilateral, in US$ millions.");
    define(x, ws, row, S, l[SU_TURN_BEST], "As Bilateral: Turnover (best), US$ millions.");
    define(x, ws, row, S, l[SU_SIDE],
           "As Bilateral: Best side. %s or %s = the figure as that country reports it; "
           "reconciled = CEPII BACI's single reconciled figure.",
           a, b);
    define(x, ws, row, S, l[SU_GROWTH], "As Bilateral: YoY growth %%.");
    define(x, ws, row, S, l[SU_A_X], "As Bilateral: %s exports to %s (as %s reports).", a, b, a);
    define(x, ws, row, S, l[SU_A_M], "As Bilateral: %s imports from %s (as %s reports).", a, b,
           a);
    define(x, ws, row, S, l[SU_B_X], "As Bilateral: %s exports to %s (as %s reports).", b, a, b);
    define(x, ws, row, S, l[SU_B_M], "As Bilateral: %s imports from %s (as %s reports).", b, a,
           b);
    define(x, ws, row, S, "Unit", "US$ m = US$ millions; %% = percent.");
    define(x, ws, row, S, SC_HEADS[SC_CLAIM],
           "A headline figure printed about this pair (or a group one of them belongs to, such "
           "as the EAEU), in our paraphrase; one row per claim. The Claims sheet has every "
           "definition tried.");
    define(x, ws, row, S, SC_HEADS[SC_STATED],
           "The figure the claim states, in its unit: US$ millions, or a percentage.");
    define(x, ws, row, S, SC_HEADS[SC_COMPUTED],
           "The figure computed from the data under the closest definition (the one with the "
           "smallest difference to the stated figure; ties go to this briefing's source). "
           "Empty when the data cannot give it.");
    define(x, ws, row, S, SC_HEADS[SC_VERDICT],
           "consistent = within the claim's tolerance of the computed figure; overstated / "
           "understated = the claim is above / below the data; not measurable = trade data "
           "cannot test it; no data = nothing to compute it from.");
    define(x, ws, row, S, SC_HEADS[SC_DEF],
           "How the computed figure was obtained (which declaration, which year) and the data "
           "source it comes from.");
}

static void define_bilateral(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *a = x->r->a, *b = x->r->b, *B = SHEET_BILATERAL;
    char(*h)[HEAD_MAX] = x->bi_head;
    const char *money = MONEY_DEF;
    define(x, ws, row, B, h[BI_YEAR],
           "Calendar year; annual totals of all goods unless Goods covered says partial.");
    define(x, ws, row, B, h[BI_A_X],
           "Goods %s declares it exported to %s: \"as %s reports\" means the figure comes from "
           "%s's own trade declaration to the data source, not from %s's mirror figure. "
           "Exports are normally valued FOB. With CEPII BACI there is one reconciled figure "
           "per flow (see Best side). %s",
           a, b, a, a, b, money);
    define(x, ws, row, B, h[BI_A_M],
           "Goods %s declares it imported from %s, from %s's own declaration. Imports are "
           "normally valued CIF, so they tend to exceed the partner's FOB exports of the same "
           "goods. %s",
           a, b, a, money);
    define(x, ws, row, B, h[BI_B_X],
           "Goods %s declares it exported to %s, from %s's own declaration (the mirror of %s's "
           "imports from %s). %s",
           b, a, b, a, b, money);
    define(x, ws, row, B, h[BI_B_M],
           "Goods %s declares it imported from %s, from %s's own declaration (the mirror of "
           "%s's exports to %s). %s",
           b, a, b, a, b, money);
    define(x, ws, row, B, h[BI_TURN_A],
           "Total trade between the pair as %s reports it: %s's exports to %s plus %s's imports "
           "from %s. %s",
           a, a, b, a, b, money);
    define(x, ws, row, B, h[BI_TURN_B],
           "The same trade as %s reports it: %s's exports to %s plus %s's imports from %s. The "
           "two turnover figures differ because of timing, valuation (FOB/CIF), "
           "confidentiality and partner attribution. %s",
           b, b, a, b, a, money);
    define(x, ws, row, B, h[BI_TURN_BEST],
           "The turnover this briefing quotes: one of the figures above, chosen by the view "
           "v_bilateral_annual; Best side says whose figure it is. %s",
           money);
    define(x, ws, row, B, h[BI_SIDE],
           "Whose figure Turnover (best) is: %s = as %s reports, %s = as %s reports, "
           "reconciled = CEPII BACI, which reconciles both declarations into one FOB value per "
           "flow.",
           a, a, b, b);
    define(x, ws, row, B, h[BI_GROWTH],
           "Change of Turnover (best) on the previous year: best(year) / best(year - 1) - 1. "
           "The cell holds a fraction (0.12 = 12%%) shown as a percentage. Empty when either "
           "year's figure is unknown. When Best side differs between the two years the rate "
           "compares two declarations; check Best side before quoting it.");
    define(x, ws, row, B, h[BI_GOODS],
           "Whether the year's figures cover all goods. \"partial: listed products only\": a "
           "declaration behind them lists some products and no all-goods total (a WITS HS6 "
           "extract, or a Comtrade file without a TOTAL row for the flow), so the turnover sums "
           "those products only and is not the pair's trade in all goods "
           "(v_bilateral_annual.goods_partial).");
}

static void define_monthly(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_MONTHLY;
    const char *const *h = MO_HEADS;
    define(x, ws, row, S, h[MO_YEAR], "Calendar year of the month.");
    define(x, ws, row, S, h[MO_MONTH], "Calendar month: 1 = January ... 12 = December.");
    define(x, ws, row, S, h[MO_REPORTER], "The country whose declaration this row is (ISO3).");
    define(x, ws, row, S, h[MO_PARTNER], "The other country of the pair (ISO3).");
    define(x, ws, row, S, h[MO_FLOW],
           "X = the reporter's exports to the partner (FOB), M = its imports from the partner "
           "(CIF).");
    define(x, ws, row, S, h[MO_VALUE], "All goods traded in the month. %s", MONEY_DEF);
    define(x, ws, row, S, h[MO_YTD],
           "January to this month of the same year; empty unless every month so far is "
           "present. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[MO_YTD_GROWTH],
           "Year to date against the same months of the previous year: ytd / ytd(previous "
           "year) - 1. %s",
           PCT_DEF);
    define(x, ws, row, S, h[MO_R12],
           "The 12 months ending this month; empty unless all 12 are present. %s", MONEY_DEF);
    define(x, ws, row, S, h[MO_R12_GROWTH],
           "Rolling 12 months against the 12 months ending the same month a year earlier. %s",
           PCT_DEF);
    define(x, ws, row, S, h[MO_SOURCE],
           "Data source of the monthly figures; it can differ from the briefing's annual source "
           "(CEPII BACI is annual only).");
}

static void define_mirror(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_MIRROR;
    const char *const *h = MI_HEADS;
    define(x, ws, row, S, h[MI_YEAR], "Calendar year; complete years only.");
    define(x, ws, row, S, h[MI_REPORTER], "The country whose declaration is compared (ISO3).");
    define(x, ws, row, S, h[MI_PARTNER], "The other country, whose declaration is the mirror.");
    define(x, ws, row, S, h[MI_FLOW],
           "X = the reporter's exports to the partner, M = its imports from the partner.");
    define(x, ws, row, S, h[MI_REPORTED],
           "The flow as the reporter declares it. Empty when the reporter declared no partner "
           "detail that year. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[MI_MIRROR],
           "The same flow as the partner declares it: its imports for X, its exports for M. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[MI_GAP],
           "Import-side value minus export-side value of the same flow (for X: mirror - "
           "reported; for M: reported - mirror). Imports are valued CIF, exports FOB, so a "
           "small positive gap is normal. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[MI_RATIO],
           "Import-side value / export-side value (CIF over FOB); about 1.00 to 1.10 is usual "
           "(freight and insurance). Shown with two decimals; empty when either side is "
           "missing or zero.");
    define(x, ws, row, S, h[MI_FLAG],
           "within CIF/FOB margin = ratio 0.95 to 1.15; import side higher / export side higher "
           "= beyond it; only reporter declared / only partner declared = one side gave no "
           "partner detail that year.");
}

static void define_composition(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_COMPOSITION;
    const char *const *h = x->co_heads;
    define(x, ws, row, S, h[CO_YEAR], "Calendar year; annual data, complete years only.");
    define(x, ws, row, S, h[CO_EXPORTER],
           "The exporting country (ISO3); the partner is the other country of the pair. The "
           "figures are the exporter's own declaration of its exports (with CEPII BACI, the "
           "reconciled flow).");
    define(x, ws, row, S, h[CO_CODE],
           "Harmonized System section, I to XXI; NS = not specified: the part of the total "
           "that the product detail does not cover, so shares sum to 100%%.");
    define(x, ws, row, S, h[CO_NAME], "Name of the HS section.");
    define(x, ws, row, S, h[CO_VALUE],
           "Exports in the section, summed from the coarsest HS level the data has. %s",
           MONEY_DEF);
    define(x, ws, row, S, h[CO_SHARE],
           "Section value / the exporter's total exports to the partner that year. %s", PCT_DEF);
    define(x, ws, row, S, h[CO_BASELINE],
           "The same section's exports in %d, the last year before the 2022 sanctions. %s",
           x->bf->baseline_year, MONEY_DEF);
    define(x, ws, row, S, h[CO_CHANGE], "Value / %d baseline - 1. %s", x->bf->baseline_year,
           PCT_DEF);
    define(x, ws, row, S, "Charts",
           "One column chart per exporter, under the table: the share of each HS section in "
           "%d and %d (short section names; the %d largest sections of the later year, the "
           "rest as Other sections). %s The charts plot the Chart data sheet, so filtering "
           "this table leaves them whole.",
           x->bf->comp_years[0], x->bf->comp_years[1], TR_BRIEF_COMP_SHOWN, x->bf->comp_note);
}

static void define_baskets(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_BASKETS;
    const char *const *h = x->ba_heads;
    define(x, ws, row, S, h[BA_YEAR],
           "Calendar year; annual data at six-digit HS codes. A route with no value in the year "
           "and none in the baseline year is left out (v_basket_flows has it, with NULLs).");
    define(x, ws, row, S, h[BA_TIER],
           "Tier of the Common High Priority List (CHPL; US BIS, EU, UK and Japan, version of "
           "February 2024): dual-use goods found in Russian weapons. 1 = the most critical "
           "(integrated circuits), then 2, 3.A, 3.B, 4.A, 4.B. Codes are HS2022; data of an "
           "older revision reaches them through the UNSD correlation tables, each older code "
           "counted in full under its closest HS2022 successor (v_basket_flows.match: exact, "
           "or approximate = an upper bound).");
    define(x, ws, row, S, h[BA_DEST], "Where the goods went: RUS or IRN.");
    define(x, ws, row, S, h[BA_EXPORTER],
           "all = every exporter; CHN, TUR, ARE, KAZ, KGZ, ARM, BLR, IND, HKG = that "
           "country's own shipments (the routes watched for circumvention), and RUS or IRN "
           "shipping to the other; other = every other exporter.");
    define(x, ws, row, S, h[BA_DECLARED],
           "exporter = the exporters' declared exports (CEPII BACI: reconciled flows); "
           "importer = the destination's own declared imports.");
    define(x, ws, row, S, h[BA_VALUE], "CHPL goods of the tier shipped that year. %s", MONEY_DEF);
    define(x, ws, row, S, h[BA_BASELINE], "The same cell in %d. %s", x->bf->baseline_year,
           MONEY_DEF);
    define(x, ws, row, S, h[BA_CHANGE], "Value / %d baseline - 1. %s", x->bf->baseline_year,
           PCT_DEF);
}

static void define_claims(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_CLAIMS;
    const char *const *h = CL_HEADS;
    define(x, ws, row, S, h[CL_ID],
           "Number of the claim (table claim); built-in claims come from articles, others from "
           "`tradereport import --format claims`.");
    define(x, ws, row, S, h[CL_CLAIM], "What the article says, in our paraphrase.");
    define(x, ws, row, S, h[CL_DEF],
           "One defensible reading of the claim: whose declaration (as A reports, as B reports "
           "= the mirror, or the best figure), which year or growth period.");
    define(x, ws, row, S, h[CL_SOURCE], "Data source of the computed figure; empty when none.");
    define(x, ws, row, S, h[CL_COMPUTED],
           "The figure the data give under that definition, in the claim's unit (see Unit). "
           "Empty when there is no data.");
    define(x, ws, row, S, h[CL_STATED], "The figure the claim states, in the same unit.");
    define(x, ws, row, S, h[CL_UNIT],
           "US$ m = the cells hold US$ millions (#,##0.0); %% = the cells hold a fraction "
           "shown as a percentage (81%% is 0.81).");
    define(x, ws, row, S, h[CL_DIFF],
           "(stated - computed) / computed: positive when the claim is above the data. %s",
           PCT_DEF);
    define(x, ws, row, S, h[CL_VERDICT],
           "consistent = |difference| within the claim's tolerance; overstated / understated "
           "beyond it; not measurable = trade data cannot test it (or the claim gives no "
           "figure); no data = nothing to compute it from.");
    define(x, ws, row, S, h[CL_CLOSEST],
           "yes on the definition(s) with the smallest |difference| for the claim, across "
           "sources; Summary quotes the first of them.");
    define(x, ws, row, S, h[CL_NOTE], "Why a claim cannot be measured, or what to watch.");
    define(x, ws, row, S, h[CL_ARTICLE], "Where the claim was published.");
}

static void define_sources(struct xw *x, lxw_worksheet *ws, lxw_row_t *row)
{
    const char *S = SHEET_SOURCES;
    static const char *const defs[SO_NCOLS] = {
        [SO_ID] = "Row id of the file in the load_log table; every fact row carries its load id "
                  "(lineage).",
        [SO_FILE] = "Name of the file as it was imported.",
        [SO_FORMAT] = "Importer used: comtrade, comtrade-legacy, baci, wits-trade, ...",
        [SO_RELEASE] = "Release or publication tag taken from the file name; empty when the "
                       "name carries none.",
        [SO_ROWS] = "Rows of the file loaded into the database; `tradereport loads` lists rows "
                    "read and rejected.",
        [SO_LOADED_AT] = "When the file was imported, ISO 8601 UTC.",
        [SO_SHA] = "SHA-256 of the file's bytes; re-importing a file with the same SHA-256 "
                   "changes nothing.",
    };
    for (int c = 0; c < SO_NCOLS; c++)
        define(x, ws, row, S, SOURCE_HEADS[c], "%s", defs[c]);
}

void xw_sheet_definitions(struct xw *x)
{
    lxw_worksheet *ws = xw_add_sheet(x, SHEET_DEFINITIONS);
    if (!ws)
        return;
    xw_put_str(x, ws, 0, 0, "Sheet", x->f.header);
    xw_put_str(x, ws, 0, 1, "Column", x->f.header);
    xw_put_str(x, ws, 0, 2, "Definition", x->f.header);
    lxw_row_t row = 1;
    define_summary(x, ws, &row);
    define_bilateral(x, ws, &row);
    if (x->r->n_monthly > 0)
        define_monthly(x, ws, &row);
    if (x->r->n_mirror > 0) /* otherwise the sheet is one line saying why */
        define_mirror(x, ws, &row);
    if (x->r->n_composition > 0)
        define_composition(x, ws, &row);
    if (x->r->n_baskets > 0)
        define_baskets(x, ws, &row);
    if (x->r->n_claims > 0)
        define_claims(x, ws, &row);
    define_sources(x, ws, &row);
    xw_set_width(x, ws, 0, 12, NULL);
    xw_set_width(x, ws, 1, DEF_COLUMN_WIDTH, NULL);
    xw_set_width(x, ws, 2, DEF_TEXT_WIDTH, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    if (!x->rc)
        xw_check(x, worksheet_autofilter(ws, 0, 0, row - 1, 2), ws->name);
}
