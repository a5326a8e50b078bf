-- v_basket_flows: goods of a basket (the Common High Priority List, CHPL, by tier) shipped to
-- Russia and to Iran, per source and year, against the baseline year (2021, include/tr/baseline.h).
--   destination   RUS or IRN
--   exporter      'all' (every exporter); a country named on its own: RUS and IRN (each other's
--                 suppliers) and the third countries watched as routes (CHN, TUR, ARE, KAZ, KGZ,
--                 ARM, BLR, IND, HKG); or 'other' (every other exporter)
--   declared_by   'exporter' (exporters' declared exports; BACI's reconciled flows) or
--                 'importer' (the destination's own declared imports; Russia stopped
--                 publishing partner detail after 2021, so after that only 'exporter' answers)
--   value_usd     NULL when no exporter of the cell declared six-digit detail ('no detail' is
--                 not 0: the goods may have been shipped, the declaration does not say)
--   baseline_year, baseline_usd (the same cell in 2021)
--   change_usd, change_pct   like for like: over the exporters that declared six-digit detail
--                 both this year and in 2021 (common_usd against common_baseline_usd)
--   match         'exact' or 'approximate' (see below); NULL with value_usd
--   approximate_usd  the part of value_usd that comes from approximate codes
--   coverage      'detail' (every exporter of the cell declared six-digit detail), 'no detail'
--                 (none did: only totals), 'partial'; exporters_detail, exporters_no_detail
--   coverage_change  'same' or 'differs': whether the exporters with detail this year are the
--                 ones of 2021 (NULL when the cell has no 2021 row). 'differs' = the plain
--                 value_usd / baseline_usd ratio mixes a change of coverage into the change.
-- The list is in HS2022 (H6). Data of an older revision reaches it through the UNSD tables
-- (hs_correlation): an older code that shares goods with a basket code is counted in full,
-- once, under its closest HS2022 successor in the basket (relationship 1:1, then 1:n, n:1,
-- n:n; then the same heading; then the smallest code), and is 'exact' when all its goods fall
-- in that tier's codes, else 'approximate' (an upper bound: e.g. HS2017 854890 also holds
-- flat-panel modules, 852411-852499). HS2022 data is exact.
-- Annual data, six-digit codes, the latest HS revision of each flow.
CREATE VIEW v_basket_flows AS
WITH tiers AS (
    SELECT DISTINCT basket, tier FROM basket
),
successor AS (   -- older codes sharing goods with a basket code, closest successor first
    SELECT b.basket, b.tier, c.to_classification AS classification, c.to_code AS hs_code,
           row_number() OVER (
               PARTITION BY b.basket, c.to_classification, c.to_code
               ORDER BY CASE c.relationship WHEN '1:1' THEN 0 WHEN '1:n' THEN 1
                                            WHEN 'n:1' THEN 2 ELSE 3 END,
                        substr(c.from_code, 1, 4) <> substr(c.to_code, 1, 4), c.from_code)
               AS rank
    FROM basket b
    JOIN hs_correlation c ON c.from_classification = b.classification AND c.from_code = b.code
),
codes AS (   -- every (revision, code) counted for a basket, its tier and match
    SELECT basket, tier, classification, code AS hs_code, 'exact' AS match FROM basket
    UNION ALL
    SELECT k.basket, k.tier, k.classification, k.hs_code,
           CASE WHEN EXISTS (SELECT 1 FROM hs_correlation o
                             WHERE o.to_classification = k.classification
                               AND o.to_code = k.hs_code
                               AND NOT EXISTS (SELECT 1 FROM basket t
                                               WHERE t.basket = k.basket
                                                 AND t.classification = o.from_classification
                                                 AND t.code = o.from_code AND t.tier = k.tier))
                THEN 'approximate' ELSE 'exact' END
    FROM successor k
    WHERE k.rank = 1
),
decl AS (   -- every declaration of goods to the destination: by whom, in which HS revision
            -- (the latest of the flow), and whether with six-digit detail or totals only
    SELECT t.source_id, t.year, t.reporter_id AS exporter_id,
           d.iso3 AS destination,
           'exporter' AS declared_by, t.reporter_id, t.partner_id, t.classification,
           1 AS flow_bits, (t.sum6_usd IS NOT NULL)::int AS detail
    FROM dim_country d
    CROSS JOIN sum_trade t
    WHERE d.iso3 IN ('RUS', 'IRN') AND t.partner_id = d.country_id AND t.month = 0
      AND t.flow = 'X'
      AND NOT EXISTS (SELECT 1 FROM sum_trade n   -- the latest HS revision
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
    UNION ALL
    SELECT t.source_id, t.year, t.partner_id, d.iso3, 'importer', t.reporter_id, t.partner_id,
           t.classification, 2, (t.sum6_usd IS NOT NULL)::int
    FROM dim_country d
    CROSS JOIN sum_trade t
    WHERE d.iso3 IN ('RUS', 'IRN') AND t.reporter_id = d.country_id AND t.month = 0
      AND t.flow = 'M' AND t.source_id <> 1   -- BACI has one declaration
      AND t.partner_id NOT IN (SELECT country_id FROM dim_country WHERE kind = 'world')
      AND NOT EXISTS (SELECT 1 FROM sum_trade n   -- the latest HS revision
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
),
vals AS (   -- basket goods per declaration and tier; each flow's facts by exact key range
    SELECT k.source_id, k.year, k.exporter_id, k.destination, k.declared_by, c.basket, c.tier,
           sum(f.value_usd) AS value_usd,
           sum(CASE WHEN c.match = 'approximate' THEN f.value_usd ELSE 0 END) AS approx_usd
    FROM decl k
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product p
    CROSS JOIN codes c
    WHERE k.detail = 1
      AND f.trade_key BETWEEN ((k.source_id << @TR_KEY_SOURCE_SHIFT@)
                               | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                               | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | (substr(k.classification, 2)::bigint << @TR_KEY_CLASS_SHIFT@)
                               | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (k.flow_bits << @TR_KEY_FLOW_SHIFT@))
                          AND ((k.source_id << @TR_KEY_SOURCE_SHIFT@)
                               | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                               | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | (substr(k.classification, 2)::bigint << @TR_KEY_CLASS_SHIFT@)
                               | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (k.flow_bits << @TR_KEY_FLOW_SHIFT@)
                               | @TR_KEY_PRODUCT_MASK@)
      AND p.product_id = f.product_id AND c.classification = k.classification
      AND c.hs_code = p.code
    GROUP BY k.source_id, k.year, k.exporter_id, k.destination, k.declared_by, c.basket, c.tier
),
ex AS (   -- every declaring exporter in every tier: 0 when it declared detail and shipped none
    SELECT k.source_id, k.year, k.exporter_id, k.destination, k.declared_by, k.detail,
           ti.basket, ti.tier,
           CASE WHEN k.detail = 1 THEN coalesce(v.value_usd, 0) END AS value_usd,
           CASE WHEN k.detail = 1 THEN coalesce(v.approx_usd, 0) END AS approx_usd,
           max(CASE WHEN k.year = @TR_BASELINE_YEAR@ THEN k.detail END) OVER w AS base_detail,
           max(CASE WHEN k.year = @TR_BASELINE_YEAR@ AND k.detail = 1
                    THEN coalesce(v.value_usd, 0) END) OVER w
               AS base_usd
    FROM decl k
    CROSS JOIN tiers ti
    LEFT JOIN vals v ON v.source_id = k.source_id AND v.year = k.year
                    AND v.exporter_id = k.exporter_id AND v.destination = k.destination
                    AND v.declared_by = k.declared_by AND v.basket = ti.basket
                    AND v.tier = ti.tier
    WINDOW w AS (PARTITION BY k.source_id, k.destination, k.declared_by, k.exporter_id,
                              ti.basket, ti.tier)
),
cells AS (   -- per exporter label, and once more as 'all'
    SELECT s.source, e.year, e.basket, e.tier, e.destination, e.declared_by,
           CASE WHEN lab.k = 1 THEN 'all'
                WHEN x.iso3 IN ('RUS', 'IRN', 'CHN', 'TUR', 'ARE', 'KAZ', 'KGZ', 'ARM', 'BLR',
                                'IND', 'HKG') THEN x.iso3
                ELSE 'other' END AS exporter,
           sum(e.value_usd) AS value_usd, sum(e.approx_usd) AS approx_usd,
           sum(e.detail) AS n_detail, sum(1 - e.detail) AS n_no_detail,
           sum(CASE WHEN e.detail = 1 AND e.base_detail = 1 THEN 1 ELSE 0 END) AS n_both,
           sum(CASE WHEN e.detail = 1 AND e.base_detail = 1 THEN e.value_usd END) AS common_usd,
           sum(CASE WHEN e.detail = 1 AND e.base_detail = 1 THEN e.base_usd END) AS common_base_usd
    FROM ex e
    JOIN dim_source s ON s.source_id = e.source_id
    JOIN dim_country x ON x.country_id = e.exporter_id
    CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) lab
    GROUP BY 1, 2, 3, 4, 5, 6, 7
),
based AS (   -- the same cell in the baseline year (include/tr/baseline.h)
    SELECT c.*,
           max(CASE WHEN c.year = @TR_BASELINE_YEAR@ THEN c.value_usd END) OVER w AS baseline_usd,
           max(CASE WHEN c.year = @TR_BASELINE_YEAR@ THEN c.n_detail END) OVER w AS base_n_detail,
           max((c.year = @TR_BASELINE_YEAR@)::int) OVER w AS has_base
    FROM cells c
    WINDOW w AS (PARTITION BY c.source, c.basket, c.tier, c.destination, c.declared_by,
                              c.exporter)
)
SELECT c.source, c.year, c.basket, c.tier, c.destination, c.exporter,
       c.declared_by,
       CAST(round(c.value_usd) AS bigint) AS value_usd, @TR_BASELINE_YEAR@ AS baseline_year,
       CAST(round(c.baseline_usd) AS bigint) AS baseline_usd,
       CAST(round(c.common_usd - c.common_base_usd) AS bigint) AS change_usd,
       CASE WHEN c.common_base_usd > 0
            THEN round(100.0 * (1.0 * c.common_usd / c.common_base_usd - 1), 4) END AS change_pct,
       CASE WHEN c.value_usd IS NULL THEN NULL
            WHEN c.approx_usd > 0 THEN 'approximate' ELSE 'exact' END AS match,
       CAST(round(c.approx_usd) AS bigint) AS approximate_usd,
       CASE WHEN c.n_no_detail = 0 THEN 'detail' WHEN c.n_detail = 0 THEN 'no detail'
            ELSE 'partial' END AS coverage,
       c.n_detail AS exporters_detail, c.n_no_detail AS exporters_no_detail,
       CASE WHEN c.has_base = 1 THEN
           CASE WHEN c.n_detail = c.n_both AND c.base_n_detail = c.n_both THEN 'same'
                ELSE 'differs' END END AS coverage_change,
       CAST(round(c.common_usd) AS bigint) AS common_usd,
       CAST(round(c.common_base_usd) AS bigint) AS common_baseline_usd
FROM based c;
