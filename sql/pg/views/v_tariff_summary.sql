-- v_tariff_summary: an importer's tariff on one partner's goods, per (source, importer, partner,
-- year), from fact_tariff (WITS/TRAINS, REFERENCE.md section 4). Rates are percent ad valorem.
--
-- Schedule. The importer's MFN schedule (AVEMFN) of that year, in its latest HS revision
-- (nomenclature) when several were loaded; an importer-year without AVEMFN rows gives no row.
-- Preferential rows (PRF) of the same revision come from ONE dataset per importer and year:
-- AVEPref when it has rows (it carries ad-valorem equivalents of specific and compound duties),
-- else Pref; never both (column dataset). The one exception: pref_lines_pct and its counts read
-- the Pref dataset's Nbr_Pref_Lines, which AVEPref does not have, whatever dataset is.
--
-- Partners. One row per partner code as the file gives it when it names a group or scheme
-- (partner = the code: 'EAEU', '918', 'GSPX'; partner_kind 'group' when tariff_partner_group
-- knows its members, else 'scheme'), using that code's rows only; and one row per beneficiary
-- country (partner = ISO3, partner_kind 'country') that any code reaches: named directly
-- ('364') or as a member of a group in that year (tariff_partner_group). So Iran's preference
-- written for 'EAEU' gives a row for EAEU and rows for RUS, KAZ, ARM, BLR, KGZ. When several
-- codes reach a country for a product (an FTA and a GSP scheme), the lowest preferential rate
-- counts, as the effectively applied rate does (pref_codes lists the codes used). Partners
-- without preference rows have no row (their rate is the MFN one).
--
-- Base: the HS6 codes of the MFN schedule. A code with no preference row for the partner
-- gets the MFN rate as its preferential rate (no cut). A code whose MFN or preferential row
-- has no ad-valorem data (its rates NULL: NA lines = all lines, e.g. a specific duty without
-- an AVE) is left out of every average and share, never counted as 0 % (n_hs6_na counts
-- them). Partly-NA codes count with the average of their valid lines. Products that only the
-- preference file lists (no MFN row) are left out.
--
--   n_hs6              HS6 codes in the base (ad-valorem data on both sides)
--   n_hs6_na           HS6 codes of the schedule left out for want of ad-valorem data
--   n_lines            national tariff lines with ad-valorem data in the base codes
--                      (AVEMFN TotalNoOfValidLines)
--   mfn_avg, pref_avg  simple averages over the base codes of the codes' simple averages
--                      (each HS6 code weighs the same, whatever its number of national lines)
--   ahs_avg            the same of the effectively applied rate: per code the lower of the
--                      preferential and the MFN average ("lowest available")
--   margin_pp          preference margin, percentage points: mfn_avg - ahs_avg
--   n_hs6_pref_below_mfn, hs6_pref_below_mfn_pct
--                      codes whose preferential average is below the MFN one, and their
--                      share of n_hs6. MFN-free codes stay in the base: they cannot be cut.
--   n_lines_in_cut_codes, lines_in_cut_codes_pct
--                      national lines of those codes, share of n_lines. An upper bound on
--                      the share of lines cut: a code whose average fell may have lines at MFN.
--   n_pref_lines, n_pref_base_lines, pref_lines_pct
--                      national lines with a preferential rate as the Pref dataset counts
--                      them (Nbr_Pref_Lines) over the lines with an ad-valorem rate in it
--                      (Nbr_Pref_Lines + Nbr_MFN_Lines; a base code without a Pref row
--                      adds its MFN lines, all at MFN); NULL when no Pref file was loaded for
--                      the importer and year. "Share of lines" = this where it exists, else
--                      lines_in_cut_codes_pct; hs6_pref_below_mfn_pct counts HS6 codes.
--   duty_free_hs6_pct  base codes whose effectively applied average is 0
--   duty_free_lines_pct
--                      national lines duty-free under the applied rate (per code the larger
--                      of the MFN and the preferential free-line counts; for Pref, which
--                      has no free-line count, all lines when its max rate is 0, none when
--                      its min rate is above 0), share of n_lines; NULL when a count is unknown
--
-- Trade weights: the importer's imports from the partner (a group: its members that year,
-- summed) by six-digit code, annual rows of fact_trade, matched to the tariff codes by their
-- six digits (a code renumbered between HS revisions finds no weight). Candidates, best first:
-- the latest year at or before the tariff year with HS6 rows (sum_trade), then
--   1 'imports as <importer> reports'            (comtrade, then wits; flow M)
--   2 'BACI, reconciled'                          (baci rows exporter -> importer)
--   3 'mirror: exports as the partner reports'    (comtrade, then wits; flow X)
-- then the latest HS revision of that year. All weight columns are NULL when no candidate
-- exists; a base code the chosen data do not list weighs 0.
--   weights_source, weights_basis, weights_year, weights_classification   the choice made
--   weights_value_usd         import value of the base codes (the sum of weights)
--   weighted_mfn_avg, weighted_ahs_avg   trade-weighted averages over the base codes
--   value_pref_below_mfn_pct  share of that value in codes with preferential below MFN
--   duty_free_value_pct       share of that value in codes with an applied rate of 0
-- Shares in percent; averages, shares and margins rounded to 4 decimals.
CREATE VIEW v_tariff_summary AS
WITH sched AS (   -- per importer and year: the latest HS revision of the MFN schedule
    SELECT source_id, importer_id, year, max(nomenclature) AS nomenclature
    FROM fact_tariff WHERE duty_type = 'MFN'
    GROUP BY source_id, importer_id, year
),
sel AS (          -- ... and the preference dataset used
    SELECT s.source_id, s.importer_id, s.year, s.nomenclature,
           CASE WHEN EXISTS (SELECT 1 FROM fact_tariff p
                             WHERE p.importer_id = s.importer_id AND p.year = s.year
                               AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                               AND p.dataset = 'AVEPref' AND p.source_id = s.source_id)
                THEN 'AVEPref' ELSE 'Pref' END AS dataset,
           EXISTS (SELECT 1 FROM fact_tariff p
                   WHERE p.importer_id = s.importer_id AND p.year = s.year
                     AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                     AND p.dataset = 'Pref' AND p.source_id = s.source_id) AS has_pref
    FROM sched s
),
given AS (        -- partner codes as the files give them (the dataset used, and Pref)
    SELECT DISTINCT s.source_id, s.importer_id, s.year, p.dataset, p.partner_code, p.partner_id
    FROM sel s
    JOIN fact_tariff p ON p.importer_id = s.importer_id AND p.year = s.year
                      AND p.duty_type = 'PRF' AND p.nomenclature = s.nomenclature
                      AND p.source_id = s.source_id AND p.dataset IN (s.dataset, 'Pref')
),
tmap AS (         -- which partner rows each code feeds: beneficiary countries, and itself
    SELECT g.source_id, g.importer_id, g.year, g.dataset, 'country' AS partner_kind,
           c.iso3 AS partner, g.partner_code
    FROM given g
    LEFT JOIN tariff_partner_group tg
           ON g.partner_id IS NULL AND tg.group_code = g.partner_code
          AND g.year BETWEEN coalesce(tg.joined, 0) AND coalesce(tg.left_year, 9999)
    JOIN dim_country c ON c.country_id = coalesce(g.partner_id, tg.country_id)
    UNION ALL
    SELECT g.source_id, g.importer_id, g.year, g.dataset,
           CASE WHEN EXISTS (SELECT 1 FROM tariff_partner_group tg
                             WHERE tg.group_code = g.partner_code) THEN 'group'
                ELSE 'scheme' END,
           g.partner_code, g.partner_code
    FROM given g WHERE g.partner_id IS NULL
),
targets AS (      -- the rows of the view; ckey names the set of codes that apply (rows with
                  -- the same set share every tariff figure: only their weights differ)
    SELECT t.source_id, t.importer_id, t.year, t.partner_kind, t.partner, s.nomenclature,
           s.dataset, s.has_pref,
           (SELECT string_agg(x.partner_code, '+')
            FROM (SELECT DISTINCT partner_code FROM tmap y
                  WHERE y.source_id = t.source_id AND y.importer_id = t.importer_id
                    AND y.year = t.year AND y.dataset = t.dataset
                    AND y.partner_kind = t.partner_kind AND y.partner = t.partner
                  ORDER BY partner_code) x) AS pref_codes,
           (SELECT string_agg(x.k, ' ')
            FROM (SELECT DISTINCT y.dataset || ':' || y.partner_code AS k FROM tmap y
                  WHERE y.source_id = t.source_id AND y.importer_id = t.importer_id
                    AND y.year = t.year AND y.partner_kind = t.partner_kind
                    AND y.partner = t.partner
                  ORDER BY 1) x) AS ckey
    FROM (SELECT DISTINCT source_id, importer_id, year, dataset, partner_kind, partner
          FROM tmap) t
    JOIN sel s ON s.source_id = t.source_id AND s.importer_id = t.importer_id
              AND s.year = t.year AND s.dataset = t.dataset
),
csets AS (
    SELECT DISTINCT source_id, importer_id, year, ckey, nomenclature, dataset, has_pref
    FROM targets
),
cmap AS (         -- the codes of each set, per dataset
    SELECT DISTINCT t.source_id, t.importer_id, t.year, t.ckey, x.dataset, x.partner_code
    FROM targets t
    JOIN tmap x ON x.source_id = t.source_id AND x.importer_id = t.importer_id
               AND x.year = t.year AND x.partner_kind = t.partner_kind AND x.partner = t.partner
),
pick AS (         -- per code set and HS6 code of the schedule: the MFN row, and the row with
                  -- the lowest preferential rate among the codes that apply (p: the dataset
                  -- used; q: the Pref file, for Nbr_Pref_Lines). Point lookups by the key.
    SELECT c.source_id, c.importer_id, c.year, c.ckey, m.tariff_id AS m_id,
           (SELECT p.tariff_id FROM cmap x
            JOIN fact_tariff p ON p.importer_id = c.importer_id AND p.year = c.year
                              AND p.duty_type = 'PRF' AND p.nomenclature = c.nomenclature
                              AND p.dataset = x.dataset AND p.source_id = c.source_id
                              AND p.product_id = m.product_id
                              AND coalesce(p.partner_code, '') = x.partner_code
            WHERE x.source_id = c.source_id AND x.importer_id = c.importer_id
              AND x.year = c.year AND x.ckey = c.ckey AND x.dataset = c.dataset
            ORDER BY p.simple_avg IS NULL, p.simple_avg, p.partner_code LIMIT 1) AS p_id,
           CASE WHEN c.has_pref THEN
           (SELECT p.tariff_id FROM cmap x
            JOIN fact_tariff p ON p.importer_id = c.importer_id AND p.year = c.year
                              AND p.duty_type = 'PRF' AND p.nomenclature = c.nomenclature
                              AND p.dataset = x.dataset AND p.source_id = c.source_id
                              AND p.product_id = m.product_id
                              AND coalesce(p.partner_code, '') = x.partner_code
            WHERE x.source_id = c.source_id AND x.importer_id = c.importer_id
              AND x.year = c.year AND x.ckey = c.ckey AND x.dataset = 'Pref'
            ORDER BY p.simple_avg IS NULL, p.simple_avg, p.partner_code LIMIT 1) END AS q_id
    FROM csets c
    JOIN fact_tariff m ON m.importer_id = c.importer_id AND m.year = c.year
                      AND m.duty_type = 'MFN' AND m.nomenclature = c.nomenclature
                      AND m.dataset = 'AVEMFN' AND m.source_id = c.source_id
),
base AS (
    SELECT k.source_id, k.importer_id, k.year, k.ckey, d.code,
           m.simple_avg AS mfn,
           CASE WHEN p.tariff_id IS NULL THEN m.simple_avg ELSE p.simple_avg END AS prf,
           m.simple_avg IS NOT NULL
           AND (p.tariff_id IS NULL OR p.simple_avg IS NOT NULL) AS valid,
           coalesce(m.n_valid_lines, m.n_lines - m.n_na_lines) AS lines,
           CASE WHEN p.tariff_id IS NULL THEN m.n_free_lines
                ELSE scalar_max(m.n_free_lines,
                         coalesce(p.n_free_lines,
                                  CASE WHEN p.max_rate = 0 THEN p.n_lines - p.n_na_lines
                                       WHEN p.min_rate > 0 THEN 0 END)) END AS free_lines,
           q.tariff_id IS NOT NULL AS has_q, q.n_pref_lines, q.n_mfn_lines
    FROM pick k
    JOIN fact_tariff m ON m.tariff_id = k.m_id
    JOIN dim_product d ON d.product_id = m.product_id
    LEFT JOIN fact_tariff p ON p.tariff_id = k.p_id
    LEFT JOIN fact_tariff q ON q.tariff_id = k.q_id
),
hs6 AS (
    SELECT b.*, coalesce(b.valid AND b.prf < b.mfn, false) AS cut, scalar_min(b.prf, b.mfn) AS ahs,
           CASE WHEN b.has_q THEN b.n_pref_lines ELSE 0 END AS pref_lines,
           CASE WHEN b.has_q THEN b.n_pref_lines + b.n_mfn_lines ELSE b.lines END
               AS pref_base_lines
    FROM base b
),
agg AS (          -- per code set: every figure but the weighted ones
    SELECT h.source_id, h.importer_id, h.year, h.ckey,
           sum(h.valid::int) AS n_hs6, sum((NOT h.valid)::int) AS n_hs6_na,
           sum(CASE WHEN h.valid THEN h.lines END) AS n_lines,
           avg(CASE WHEN h.valid THEN h.mfn END) AS mfn_avg,
           avg(CASE WHEN h.valid THEN h.prf END) AS pref_avg,
           avg(CASE WHEN h.valid THEN h.ahs END) AS ahs_avg,
           sum(h.cut::int) AS n_cut,
           sum(CASE WHEN h.cut THEN h.lines ELSE 0 END) AS n_cut_lines,
           sum(CASE WHEN h.valid THEN h.pref_lines END) AS n_pref_lines,
           sum(CASE WHEN h.valid THEN h.pref_base_lines END) AS n_pref_base_lines,
           sum((h.valid AND h.ahs = 0)::int) AS n_free_hs6,
           CASE WHEN count(CASE WHEN h.valid THEN h.free_lines END) = sum(h.valid::int)
                THEN sum(CASE WHEN h.valid THEN h.free_lines END) END AS n_free_lines
    FROM hs6 h
    GROUP BY h.source_id, h.importer_id, h.year, h.ckey
),
members AS (      -- the countries whose exports the weights count
    SELECT t.source_id, t.importer_id, t.year, t.partner_kind, t.partner, c.country_id AS member_id
    FROM targets t JOIN dim_country c ON t.partner_kind = 'country' AND c.iso3 = t.partner
    UNION ALL
    SELECT t.source_id, t.importer_id, t.year, t.partner_kind, t.partner, g.country_id
    FROM targets t
    JOIN tariff_partner_group g ON t.partner_kind <> 'country' AND g.group_code = t.partner
     AND t.year BETWEEN coalesce(g.joined, 0) AND coalesce(g.left_year, 9999)
),
wcand AS (        -- candidate weights: (trade source, year, revision, basis) with HS6 rows
    SELECT mb.source_id, mb.importer_id, mb.year, mb.partner_kind, mb.partner,
           st.source_id AS w_source_id, st.year AS w_year, st.classification, 1 AS basis
    FROM members mb
    JOIN sum_trade st ON st.reporter_id = mb.importer_id AND st.partner_id = mb.member_id
                     AND st.source_id IN (2, 3) AND st.month = 0 AND st.flow = 'M'
                     AND st.year <= mb.year AND st.sum6_usd > 0
    UNION ALL
    SELECT mb.source_id, mb.importer_id, mb.year, mb.partner_kind, mb.partner,
           st.source_id, st.year, st.classification,
           CASE WHEN st.source_id = 1 THEN 2 ELSE 3 END
    FROM members mb
    JOIN sum_trade st ON st.reporter_id = mb.member_id AND st.partner_id = mb.importer_id
                     AND st.source_id IN (1, 2, 3) AND st.month = 0 AND st.flow = 'X'
                     AND st.year <= mb.year AND st.sum6_usd > 0
),
wpick AS (
    SELECT w.*, row_number() OVER (PARTITION BY w.source_id, w.importer_id, w.year,
                                                w.partner_kind, w.partner
                                   ORDER BY w.w_year DESC, w.basis, w.w_source_id,
                                            w.classification DESC) AS rn
    FROM wcand w
),
wkeys AS (        -- the chosen data's key range per member (source | year | month 0 | reporter)
    SELECT w.source_id, w.importer_id, w.year, w.partner_kind, w.partner, w.classification,
           (w.w_source_id << @TR_KEY_SOURCE_SHIFT@) | ((w.w_year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
           | ((CASE w.basis WHEN 1 THEN w.importer_id ELSE mb.member_id END) << @TR_KEY_REPORTER_SHIFT@) AS lo,
           CASE w.basis WHEN 1 THEN mb.member_id ELSE w.importer_id END AS f_partner,
           CASE w.basis WHEN 1 THEN 'M' ELSE 'X' END AS f_flow
    FROM wpick w
    JOIN members mb ON mb.source_id = w.source_id AND mb.importer_id = w.importer_id
                   AND mb.year = w.year AND mb.partner_kind = w.partner_kind
                   AND mb.partner = w.partner
    WHERE w.rn = 1 AND w.w_year BETWEEN @TR_KEY_YEAR_MIN@ AND @TR_KEY_YEAR_MAX@
),
wval AS (         -- ... by six-digit code, read by key range only
    SELECT k.source_id, k.importer_id, k.year, k.partner_kind, k.partner, d.code,
           sum(f.value_usd) AS value_usd
    FROM wkeys k
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product d
    WHERE f.trade_key BETWEEN k.lo AND k.lo | ((1::bigint << @TR_KEY_REPORTER_SHIFT@) - 1)
      AND f.partner_id = k.f_partner AND f.flow = k.f_flow   -- '+': no automatic index
      AND d.product_id = f.product_id AND d.level = 6 AND d.classification = k.classification
    GROUP BY k.source_id, k.importer_id, k.year, k.partner_kind, k.partner, d.code
),
wsum AS (         -- the weighted figures: only codes with imports count
    SELECT t.source_id, t.importer_id, t.year, t.partner_kind, t.partner,
           sum(v.value_usd) AS w_value,
           sum(CASE WHEN h.cut THEN v.value_usd ELSE 0 END) AS w_cut,
           sum(CASE WHEN h.ahs = 0 THEN v.value_usd ELSE 0 END) AS w_free,
           sum(v.value_usd * h.ahs) AS w_ahs,
           sum(v.value_usd * h.mfn) AS w_mfn
    FROM targets t
    JOIN wval v ON v.source_id = t.source_id AND v.importer_id = t.importer_id
               AND v.year = t.year AND v.partner_kind = t.partner_kind AND v.partner = t.partner
    JOIN hs6 h ON h.source_id = t.source_id AND h.importer_id = t.importer_id
              AND h.year = t.year AND h.ckey = t.ckey AND h.code = v.code AND h.valid
    GROUP BY t.source_id, t.importer_id, t.year, t.partner_kind, t.partner
)
SELECT src.source, imp.iso3 AS importer, t.partner, t.partner_kind, t.pref_codes, t.year,
       t.nomenclature, t.dataset,
       a.n_hs6, a.n_hs6_na, a.n_lines,
       round(a.mfn_avg, 4) AS mfn_avg, round(a.pref_avg, 4) AS pref_avg,
       round(a.ahs_avg, 4) AS ahs_avg, round(a.mfn_avg - a.ahs_avg, 4) AS margin_pp,
       a.n_cut AS n_hs6_pref_below_mfn,
       round(100.0 * a.n_cut / nullif(a.n_hs6, 0), 4) AS hs6_pref_below_mfn_pct,
       a.n_cut_lines AS n_lines_in_cut_codes,
       round(100.0 * a.n_cut_lines / nullif(a.n_lines, 0), 4) AS lines_in_cut_codes_pct,
       CASE WHEN t.has_pref THEN a.n_pref_lines END AS n_pref_lines,
       CASE WHEN t.has_pref THEN a.n_pref_base_lines END AS n_pref_base_lines,
       CASE WHEN t.has_pref
            THEN round(100.0 * a.n_pref_lines / nullif(a.n_pref_base_lines, 0), 4) END
           AS pref_lines_pct,
       round(100.0 * a.n_free_hs6 / nullif(a.n_hs6, 0), 4) AS duty_free_hs6_pct,
       round(100.0 * a.n_free_lines / nullif(a.n_lines, 0), 4) AS duty_free_lines_pct,
       round(100.0 * w.w_free / nullif(w.w_value, 0), 4) AS duty_free_value_pct,
       round(1.0 * w.w_mfn / nullif(w.w_value, 0), 4) AS weighted_mfn_avg,
       round(1.0 * w.w_ahs / nullif(w.w_value, 0), 4) AS weighted_ahs_avg,
       round(100.0 * w.w_cut / nullif(w.w_value, 0), 4) AS value_pref_below_mfn_pct,
       CASE WHEN wp.w_year IS NOT NULL THEN coalesce(w.w_value, 0) END AS weights_value_usd,
       ws.source AS weights_source,
       CASE wp.basis WHEN 1 THEN 'imports as ' || imp.iso3 || ' reports'
                     WHEN 2 THEN 'BACI, reconciled'
                     WHEN 3 THEN 'mirror: exports as the partner reports' END AS weights_basis,
       wp.w_year AS weights_year, wp.classification AS weights_classification
FROM targets t
JOIN agg a ON a.source_id = t.source_id AND a.importer_id = t.importer_id AND a.year = t.year
          AND a.ckey = t.ckey
JOIN dim_source src ON src.source_id = t.source_id
JOIN dim_country imp ON imp.country_id = t.importer_id
LEFT JOIN wsum w ON w.source_id = t.source_id AND w.importer_id = t.importer_id
                AND w.year = t.year AND w.partner_kind = t.partner_kind AND w.partner = t.partner
LEFT JOIN wpick wp ON wp.source_id = t.source_id AND wp.importer_id = t.importer_id
                  AND wp.year = t.year AND wp.partner_kind = t.partner_kind
                  AND wp.partner = t.partner AND wp.rn = 1
LEFT JOIN dim_source ws ON ws.source_id = wp.w_source_id;
