-- v_basket_flows: goods of a basket (the Common High Priority List, CHPL, by tier) shipped to
-- Russia and to Iran, per source and year, against a 2021 baseline.
--   destination   RUS or IRN
--   exporter      'all' (every exporter), one of the third countries watched as routes
--                 (CHN, TUR, ARE, KAZ, KGZ, ARM: their own shipments to the destination), or
--                 'other' (every other exporter)
--   declared_by   'exporter' (exporters' declared exports; BACI's reconciled flows) or
--                 'importer' (the destination's own declared imports; Russia stopped
--                 publishing partner detail after 2021, so after that only 'exporter' answers)
--   value_usd, baseline_usd (same cell in 2021), change_usd, change_pct.
-- The list is in HS2022 (H6). Data in HS2017 (H5) is matched through hs_conversion (e.g.
-- 854810/854890 -> 854800, 852580 -> 852589, 880330 -> 880730; weights as stored there).
-- Annual data, six-digit codes, the latest HS revision of each flow.
-- Read for one destination, the filter reaches sum_trade's keys; facts by exact key range.
CREATE VIEW v_basket_flows AS
WITH codes AS (   -- every (revision, code) counted for a basket code, with its tier and weight
    SELECT basket, tier, classification, code AS hs_code, 1.0 AS weight FROM basket
    UNION ALL
    SELECT b.basket, b.tier, v.from_class, v.from_code, v.weight
    FROM basket b
    JOIN hs_conversion v ON v.to_class = b.classification AND v.to_code = b.code
    WHERE v.from_class <> b.classification
),
rows_in AS (   -- (exporter, destination, value) from both declarations; each flow's facts read
               -- by exact trade_key range from its sum_trade row
    SELECT s.source_id, s.source, t.year, c.basket, c.tier, t.reporter_id AS exporter_id,
           d.iso3 AS destination, 'exporter' AS declared_by, f.value_usd * c.weight AS value_usd
    FROM dim_country d
    CROSS JOIN sum_trade t
    CROSS JOIN dim_source s
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product p
    CROSS JOIN codes c
    WHERE d.iso3 IN ('RUS', 'IRN') AND t.partner_id = d.country_id AND t.month = 0
      AND t.flow = 'X' AND s.source_id = t.source_id
      AND NOT EXISTS (SELECT 1 FROM sum_trade n   -- the latest HS revision
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
      AND f.trade_key BETWEEN ((t.source_id << 59) | ((t.year - 1900) << 51) | (t.reporter_id << 37)
                               | (substr(t.classification, 2)::bigint << 34) | (t.partner_id << 24)
                               | (1 << 20))
                          AND ((t.source_id << 59) | ((t.year - 1900) << 51) | (t.reporter_id << 37)
                               | (substr(t.classification, 2)::bigint << 34) | (t.partner_id << 24)
                               | (1 << 20) | 1048575)
      AND p.product_id = f.product_id AND c.classification = t.classification
      AND c.hs_code = p.code
    UNION ALL
    SELECT s.source_id, s.source, t.year, c.basket, c.tier, t.partner_id, d.iso3, 'importer',
           f.value_usd * c.weight
    FROM dim_country d
    CROSS JOIN sum_trade t
    CROSS JOIN dim_source s
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product p
    CROSS JOIN codes c
    WHERE d.iso3 IN ('RUS', 'IRN') AND t.reporter_id = d.country_id AND t.month = 0
      AND t.flow = 'M' AND t.source_id <> 1   -- BACI has one declaration
      AND s.source_id = t.source_id
      AND NOT EXISTS (SELECT 1 FROM sum_trade n   -- the latest HS revision
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
      AND f.trade_key BETWEEN ((t.source_id << 59) | ((t.year - 1900) << 51) | (t.reporter_id << 37)
                               | (substr(t.classification, 2)::bigint << 34) | (t.partner_id << 24)
                               | (2 << 20))
                          AND ((t.source_id << 59) | ((t.year - 1900) << 51) | (t.reporter_id << 37)
                               | (substr(t.classification, 2)::bigint << 34) | (t.partner_id << 24)
                               | (2 << 20) | 1048575)
      AND p.product_id = f.product_id AND c.classification = t.classification
      AND c.hs_code = p.code
),
cells AS (   -- per exporter label, and once more as 'all'
    SELECT r.source, r.year, r.basket, r.tier, r.destination, r.declared_by,
           CASE WHEN lab.k = 1 THEN 'all'
                WHEN x.iso3 IN ('CHN', 'TUR', 'ARE', 'KAZ', 'KGZ', 'ARM') THEN x.iso3
                ELSE 'other' END AS exporter,
           sum(r.value_usd) AS value_usd
    FROM rows_in r
    JOIN dim_country x ON x.country_id = r.exporter_id
    CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) lab
    GROUP BY r.source, r.year, r.basket, r.tier, r.destination, r.declared_by,
             CASE WHEN lab.k = 1 THEN 'all'
                  WHEN x.iso3 IN ('CHN', 'TUR', 'ARE', 'KAZ', 'KGZ', 'ARM') THEN x.iso3
                  ELSE 'other' END
),
based AS (   -- the same cell in 2021
    SELECT c.*, max(c.value_usd) FILTER (WHERE c.year = 2021) OVER (
               PARTITION BY c.source, c.basket, c.tier, c.destination, c.declared_by, c.exporter)
               AS base_usd
    FROM cells c
)
SELECT c.source, c.year, c.basket, c.tier, c.destination, c.exporter, c.declared_by,
       CAST(round(c.value_usd) AS bigint) AS value_usd, 2021 AS baseline_year,
       CAST(round(c.base_usd) AS bigint) AS baseline_usd,
       CAST(round(c.value_usd - c.base_usd) AS bigint) AS change_usd,
       CASE WHEN c.base_usd > 0 THEN round(100.0 * (c.value_usd / c.base_usd - 1), 4) END
           AS change_pct
FROM based c;
