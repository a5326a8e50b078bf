-- v_claim_check_tariff: the tariff part of v_claim_check (which unions its claim_id, source,
-- definition and computed_value into its own rows; v_claim_check.sql sorts first and is
-- created before this view exists, which SQLite allows: a view's names are resolved when a
-- query runs, not at CREATE VIEW). For every claim with metric
-- 'tariff_pref_share' — a applies the preferential tariff, b benefits, in the claim's year —
-- the share of the tariff cut for b, in percent, under each definition:
--   1 HS6 codes      share of the importer's HS6 codes whose preferential average is below
--                    the MFN one (v_tariff_summary.hs6_pref_below_mfn_pct)
--   2 Pref lines     share of national tariff lines with a preferential rate as the Pref file
--                    counts them, Nbr_Pref_Lines (pref_lines_pct); no data without a Pref file
--   3 lines in cut codes
--                    share of national tariff lines in the HS6 codes of definition 1
--                    (lines_in_cut_codes_pct): an upper bound on the share of lines cut
--   4 import value   share of the importer's imports from b (the weights of
--                    v_tariff_summary: the tariff year, else the latest earlier one) in the
--                    codes of definition 1 (value_pref_below_mfn_pct)
-- computed exactly as v_tariff_summary computes those columns (base: the MFN schedule's HS6
-- codes; codes without ad-valorem data left out, never 0 %; a code without a preference row
-- is not cut; AVEPref before Pref; the lowest preference when several codes reach b), but for
-- the claims' importers, partners and years only, so a claim check never computes the whole
-- summary.
-- Who applies: a itself when it is a country (dim_country.iso3); a group (country_group, e.g.
-- EAEU) applies the tariff of each member that year that has an MFN schedule loaded: one set
-- of rows per reporting member (the EAEU's common external tariff as RUS reports it, 643).
-- On whose goods: b a country (IRN): every preference row that reaches it, named ('364') or
-- through a group in tariff_partner_group; b a group: the rows the file writes with that code
-- ('EAEU'), weights summed over its members that year.
-- Both sides: a free-trade agreement cuts tariffs both ways, so the same four definitions are
-- also computed the other way round (b's tariff on a's goods), labelled 'other side, ...'.
-- They take part in is_closest like any definition. Other-side rows appear only where b has a
-- tariff schedule with preference rows; the claimed side always has rows (one 'no data' row
-- when no importer of a has a schedule with preference rows that year).
-- Columns: those of v_claim_check's judged stage (claim_id, source, definition,
-- computed_value, stated_value, unit, diff_pct, tolerance_pct, verdict, note), computed the
-- same way, then side (1 as claimed, 2 the other side), importer, partner, year, dataset,
-- numerator and denominator (codes, lines or US$), weights_source, weights_year.
-- source is the tariff data's source (wits). The definition names the measure, the
-- importer and the partner, then the counts or the weights' source and year, short enough
-- for the claims table (62 characters):
--   'HS6 codes cut: RUS tariff on IRN, 53 of 60'          'pref. lines: ..., no Pref file'
--   'lines in cut codes: RUS tariff on IRN, 108 of 125'   'value in cut codes: ..., baci 2022'
--   'other side, HS6 codes cut: IRN tariff on EAEU, 53 of 60'
--   'tariff lines cut: no EAEU schedule with preferences, 2025'   (the 'no data' row)
CREATE VIEW v_claim_check_tariff AS
WITH sides AS (   -- 1: a's tariff on b's goods (the claim); 2: b's tariff on a's goods
    SELECT c.claim_id, k.side, CASE k.side WHEN 1 THEN c.a ELSE c.b END AS applier,
           CASE k.side WHEN 1 THEN c.b ELSE c.a END AS beneficiary, c.year
    FROM claim c CROSS JOIN (SELECT 1 AS side UNION ALL SELECT 2) k
    WHERE c.metric = 'tariff_pref_share' AND c.a IS NOT NULL AND c.b IS NOT NULL
),
appliers AS (
    SELECT s.claim_id, s.side, c.country_id AS importer_id, s.year, s.beneficiary
    FROM sides s JOIN dim_country c ON c.iso3 = s.applier
    UNION
    SELECT s.claim_id, s.side, g.country_id, s.year, s.beneficiary
    FROM sides s JOIN country_group g ON g.group_code = s.applier
     AND s.year BETWEEN coalesce(g.joined, 0) AND coalesce(g.left_year, 9999)
),
sched AS (        -- the importer's MFN schedule that year, latest HS revision
    SELECT ap.claim_id, ap.side, m.source_id, ap.importer_id, ap.year, ap.beneficiary,
           max(m.nomenclature) AS nomenclature
    FROM appliers ap
    JOIN fact_tariff m ON m.importer_id = ap.importer_id AND m.year = ap.year
                      AND m.duty_type = 'MFN'
    GROUP BY ap.claim_id, ap.side, m.source_id, ap.importer_id, ap.year, ap.beneficiary
),
sel AS (          -- ... the preference dataset used, and the partner as a target
    SELECT s.*,
           CASE WHEN EXISTS (SELECT 1 FROM fact_tariff p
                             WHERE p.importer_id = s.importer_id AND p.year = s.year
                               AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                               AND p.dataset = 'AVEPref' AND p.source_id = s.source_id)
                THEN 'AVEPref' ELSE 'Pref' END AS dataset,
           EXISTS (SELECT 1 FROM fact_tariff p
                   WHERE p.importer_id = s.importer_id AND p.year = s.year
                     AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                     AND p.dataset = 'Pref' AND p.source_id = s.source_id) AS has_pref,
           (SELECT c.country_id FROM dim_country c
            WHERE c.iso3 = s.beneficiary AND c.kind = 'country') AS b_id
    FROM sched s
),
targets AS (      -- importers with preference rows that year (else nothing can be said)
    SELECT * FROM sel s
    WHERE EXISTS (SELECT 1 FROM fact_tariff p
                  WHERE p.importer_id = s.importer_id AND p.year = s.year
                    AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                    AND p.dataset = s.dataset AND p.source_id = s.source_id)
),
prf AS (          -- per target and product: the lowest preferential rate that reaches b
    SELECT t.claim_id, t.side, t.source_id, t.importer_id, t.dataset AS used_dataset,
           t.has_pref, p.dataset, p.product_id, p.simple_avg, p.n_pref_lines, p.n_mfn_lines,
           row_number() OVER (PARTITION BY t.claim_id, t.side, t.source_id, t.importer_id,
                                           p.dataset, p.product_id
                              ORDER BY p.simple_avg IS NULL, p.simple_avg, p.partner_code) AS rn
    FROM targets t
    JOIN fact_tariff p ON p.importer_id = t.importer_id AND p.year = t.year
                      AND p.duty_type = 'PRF' AND p.nomenclature = t.nomenclature
                      AND p.dataset IN (t.dataset, 'Pref') AND p.source_id = t.source_id
    WHERE CASE WHEN t.b_id IS NOT NULL
               THEN p.partner_id = t.b_id
                    OR (p.partner_id IS NULL
                        AND EXISTS (SELECT 1 FROM tariff_partner_group g
                                    WHERE g.group_code = p.partner_code
                                      AND g.country_id = t.b_id
                                      AND t.year BETWEEN coalesce(g.joined, 0)
                                                     AND coalesce(g.left_year, 9999)))
               ELSE p.partner_code = t.beneficiary END
),
prf_pick AS (     -- ... one row per product: the rate of the dataset used (p_), and the
                  -- Pref file's line counts (q_) when there is one
    SELECT claim_id, side, source_id, importer_id, product_id,
           bool_or(dataset = used_dataset) AS has_p,
           max(CASE WHEN dataset = used_dataset THEN simple_avg END) AS p_avg,
           bool_or(has_pref AND dataset = 'Pref') AS has_q,
           max(CASE WHEN has_pref AND dataset = 'Pref' THEN n_pref_lines END) AS q_pref_lines,
           max(CASE WHEN has_pref AND dataset = 'Pref' THEN n_mfn_lines END) AS q_mfn_lines
    FROM prf WHERE rn = 1
    GROUP BY claim_id, side, source_id, importer_id, product_id
),
members AS (      -- the countries whose exports the weights count: b, or b's members
    SELECT t.claim_id, t.side, t.source_id, t.importer_id, t.year,
           coalesce(t.b_id, g.country_id) AS member_id
    FROM targets t
    LEFT JOIN tariff_partner_group g ON t.b_id IS NULL AND g.group_code = t.beneficiary
     AND t.year BETWEEN coalesce(g.joined, 0) AND coalesce(g.left_year, 9999)
    WHERE t.b_id IS NOT NULL OR g.country_id IS NOT NULL
),
wcand AS (        -- candidate weights, as in v_tariff_summary: the importer's imports from
                  -- the member (basis 1), else the member's exports to it (2 BACI, 3 others)
    SELECT mb.claim_id, mb.side, mb.source_id, mb.importer_id,
           st.source_id AS w_source_id, st.year AS w_year, st.classification,
           CASE WHEN d.k = 1 THEN 1 WHEN st.source_id = 1 THEN 2 ELSE 3 END AS basis
    FROM members mb
    CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) d
    JOIN sum_trade st ON st.reporter_id = CASE d.k WHEN 1 THEN mb.importer_id ELSE mb.member_id END
                     AND st.partner_id = CASE d.k WHEN 1 THEN mb.member_id ELSE mb.importer_id END
                     AND st.flow = CASE d.k WHEN 1 THEN 'M' ELSE 'X' END
                     AND st.source_id IN (1, 2, 3) AND (d.k = 2 OR st.source_id <> 1)
                     AND st.month = 0 AND st.year <= mb.year AND st.sum6_usd > 0
),
wpick AS (
    SELECT w.*, row_number() OVER (PARTITION BY w.claim_id, w.side, w.source_id, w.importer_id
                                   ORDER BY w.w_year DESC, w.basis, w.w_source_id,
                                            w.classification DESC) AS rn
    FROM wcand w
),
wkeys AS (        -- the chosen data's key range per member (source | year | month 0 | reporter)
    SELECT w.claim_id, w.side, w.source_id, w.importer_id, w.classification,
           (w.w_source_id << @TR_KEY_SOURCE_SHIFT@) | ((w.w_year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
           | ((CASE w.basis WHEN 1 THEN w.importer_id ELSE mb.member_id END) << @TR_KEY_REPORTER_SHIFT@) AS lo,
           CASE w.basis WHEN 1 THEN mb.member_id ELSE w.importer_id END AS f_partner,
           CASE w.basis WHEN 1 THEN 'M' ELSE 'X' END AS f_flow
    FROM wpick w
    JOIN members mb ON mb.claim_id = w.claim_id AND mb.side = w.side
                   AND mb.source_id = w.source_id AND mb.importer_id = w.importer_id
    WHERE w.rn = 1 AND w.w_year BETWEEN @TR_KEY_YEAR_MIN@ AND @TR_KEY_YEAR_MAX@
),
wval AS (         -- ... by six-digit code, read by key range only
    SELECT k.claim_id, k.side, k.source_id, k.importer_id, d.code, sum(f.value_usd) AS value_usd
    FROM wkeys k
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product d
    WHERE f.trade_key BETWEEN k.lo AND k.lo | ((1::bigint << @TR_KEY_REPORTER_SHIFT@) - 1)
      AND f.partner_id = k.f_partner AND f.flow = k.f_flow   -- '+': no automatic index
      AND d.product_id = f.product_id AND d.level = 6 AND d.classification = k.classification
    GROUP BY k.claim_id, k.side, k.source_id, k.importer_id, d.code
),
base AS (         -- per target and HS6 code of the schedule; the target's own columns and
                  -- its weights' are carried on to agg, so rows_ reads neither again
    SELECT t.claim_id, t.side, t.source_id, t.importer_id, t.beneficiary, t.year, t.dataset,
           t.has_pref, wp.w_source_id, wp.w_year, wp.classification AS w_classification,
           m.simple_avg AS mfn,
           CASE WHEN coalesce(pp.has_p, false) THEN pp.p_avg ELSE m.simple_avg END AS prf,
           m.simple_avg IS NOT NULL
           AND (NOT coalesce(pp.has_p, false) OR pp.p_avg IS NOT NULL) AS valid,
           coalesce(m.n_valid_lines, m.n_lines - m.n_na_lines) AS lines,
           coalesce(pp.has_q, false) AS has_q, pp.q_pref_lines AS n_pref_lines,
           pp.q_mfn_lines AS n_mfn_lines,
           CASE WHEN wp.w_year IS NOT NULL THEN coalesce(v.value_usd, 0) END AS value_usd
    FROM targets t
    JOIN fact_tariff m ON m.importer_id = t.importer_id AND m.year = t.year
                      AND m.duty_type = 'MFN' AND m.nomenclature = t.nomenclature
                      AND m.dataset = 'AVEMFN' AND m.source_id = t.source_id
    JOIN dim_product d ON d.product_id = m.product_id
    LEFT JOIN prf_pick pp ON pp.claim_id = t.claim_id AND pp.side = t.side
                         AND pp.source_id = t.source_id AND pp.importer_id = t.importer_id
                         AND pp.product_id = m.product_id
    LEFT JOIN wpick wp ON wp.claim_id = t.claim_id AND wp.side = t.side
                      AND wp.source_id = t.source_id AND wp.importer_id = t.importer_id
                      AND wp.rn = 1
    LEFT JOIN wval v ON v.claim_id = t.claim_id AND v.side = t.side
                    AND v.source_id = t.source_id AND v.importer_id = t.importer_id
                    AND v.code = d.code
),
agg AS (
    SELECT b.claim_id, b.side, b.source_id, b.importer_id,
           max(b.beneficiary) AS beneficiary, max(b.year) AS year, max(b.dataset) AS dataset,
           bool_or(b.has_pref) AS has_pref, max(b.w_source_id) AS w_source_id,
           max(b.w_year) AS w_year, max(b.w_classification) AS w_classification,
           sum(b.valid::int) AS n_hs6,
           sum(coalesce(b.valid AND b.prf < b.mfn, false)::int) AS n_cut,
           sum(CASE WHEN b.valid THEN b.lines END) AS n_lines,
           sum(CASE WHEN b.valid AND b.prf < b.mfn THEN b.lines ELSE 0 END) AS n_cut_lines,
           sum(CASE WHEN b.valid THEN CASE WHEN b.has_q THEN b.n_pref_lines ELSE 0 END END)
               AS n_pref_lines,
           sum(CASE WHEN b.valid THEN CASE WHEN b.has_q THEN b.n_pref_lines + b.n_mfn_lines
                                           ELSE b.lines END END) AS n_pref_base_lines,
           sum(CASE WHEN b.valid THEN b.value_usd END) AS w_value,
           sum(CASE WHEN b.valid AND b.prf < b.mfn THEN b.value_usd ELSE 0 END) AS w_cut
    FROM base b
    GROUP BY b.claim_id, b.side, b.source_id, b.importer_id
),
defs(k) AS (VALUES (1), (2), (3), (4)),
rows_ AS (
    SELECT a.claim_id, a.side, src.source, imp.iso3 AS importer, a.beneficiary AS partner,
           a.year, a.dataset, d.k,
           CASE d.k WHEN 1 THEN a.n_cut
                    WHEN 2 THEN CASE WHEN a.has_pref THEN a.n_pref_lines END
                    WHEN 3 THEN a.n_cut_lines
                    ELSE a.w_cut END AS num,
           CASE d.k WHEN 1 THEN a.n_hs6
                    WHEN 2 THEN CASE WHEN a.has_pref THEN a.n_pref_base_lines END
                    WHEN 3 THEN a.n_lines
                    ELSE a.w_value END AS den,
           ws.source AS weights_source, a.w_year AS weights_year,
           a.w_classification AS weights_classification
    FROM agg a
    JOIN dim_source src ON src.source_id = a.source_id
    JOIN dim_country imp ON imp.country_id = a.importer_id
    CROSS JOIN defs d
    LEFT JOIN dim_source ws ON ws.source_id = a.w_source_id
),
all_values AS (
    SELECT r.claim_id, r.source,
           CASE r.side WHEN 2 THEN 'other side, ' ELSE '' END
               || CASE r.k WHEN 1 THEN 'HS6 codes cut' WHEN 2 THEN 'pref. lines'
                           WHEN 3 THEN 'lines in cut codes' ELSE 'value in cut codes' END
               || ': ' || r.importer || ' tariff on ' || r.partner || ', '
               || CASE WHEN r.k = 2 AND r.den IS NULL THEN 'no Pref file'
                       WHEN r.k = 4 AND r.weights_source IS NULL THEN 'no trade data'
                       WHEN r.k = 4 THEN r.weights_source || ' ' || r.weights_year
                       ELSE r.num || ' of ' || r.den END AS definition,
           CASE WHEN r.den > 0 THEN 100.0 * r.num / r.den END AS computed_value,
           r.side, r.importer, r.partner, r.year, r.dataset, r.num, r.den,
           CASE WHEN r.k = 4 THEN r.weights_source END AS weights_source,
           CASE WHEN r.k = 4 THEN r.weights_year END AS weights_year
    FROM rows_ r
    UNION ALL     -- the claimed side has no schedule with preference rows that year
    SELECT c.claim_id, NULL,
           'tariff lines cut: no ' || coalesce(c.a, '?') || ' schedule with preferences, '
               || coalesce(c.year::text, '?'),
           NULL, 1, c.a, c.b, c.year, NULL, NULL, NULL, NULL, NULL
    FROM claim c
    WHERE c.metric = 'tariff_pref_share'
      AND NOT EXISTS (SELECT 1 FROM targets t WHERE t.claim_id = c.claim_id AND t.side = 1)
)
SELECT v.claim_id, v.source, v.definition, v.computed_value, c.stated_value, c.unit,
       CASE WHEN v.computed_value <> 0 AND c.stated_value IS NOT NULL
            THEN round(100.0 * (c.stated_value - v.computed_value) / v.computed_value, 2)
       END AS diff_pct,
       c.tolerance_pct,
       CASE WHEN c.metric = 'not_measurable' THEN 'not measurable'
            WHEN v.computed_value IS NULL THEN 'no data'
            WHEN c.stated_value IS NULL AND v.computed_value = 0 THEN 'no data'
            WHEN c.stated_value IS NULL THEN 'not measurable'
            WHEN v.computed_value = 0 THEN CASE WHEN c.stated_value = 0 THEN 'consistent'
                                                ELSE 'overstated' END
            WHEN abs(100.0 * (c.stated_value - v.computed_value) / v.computed_value)
                 <= c.tolerance_pct THEN 'consistent'
            WHEN c.stated_value > v.computed_value THEN 'overstated'
            ELSE 'understated' END AS verdict,
       CASE WHEN c.metric = 'not_measurable' THEN c.why_not_measurable
            WHEN c.stated_value IS NULL AND v.computed_value IS NOT NULL
                 AND v.computed_value <> 0
            THEN 'the claim states no figure; the data show this flow'
            WHEN c.stated_value IS NULL THEN 'no flow declared'
       END AS note,
       v.side, v.importer, v.partner, v.year, v.dataset, v.num AS numerator,
       v.den AS denominator, v.weights_source, v.weights_year
FROM all_values v JOIN claim c USING (claim_id);
