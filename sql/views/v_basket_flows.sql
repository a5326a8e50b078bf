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
CREATE VIEW v_basket_flows AS
WITH codes AS (   -- every (revision, code) counted for a basket code, with its tier and weight
    SELECT basket, tier, classification, code AS hs_code, 1.0 AS weight FROM basket
    UNION ALL
    SELECT b.basket, b.tier, v.from_class, v.from_code, v.weight
    FROM basket b
    JOIN hs_conversion v ON v.to_class = b.classification AND v.to_code = b.code
    WHERE v.from_class <> b.classification
),
pick AS (
    SELECT source_id, year, reporter_id, partner_id, flow, max(classification) AS classification
    FROM sum_trade WHERE month = 0
    GROUP BY source_id, year, reporter_id, partner_id, flow
),
dest AS (
    SELECT country_id, iso3 FROM dim_country WHERE iso3 IN ('RUS', 'IRN')
),
rows_in AS (   -- (exporter, destination, value) from both declarations
    SELECT f.source_id, f.year, c.basket, c.tier, f.reporter_id AS exporter_id,
           d.iso3 AS destination, 'exporter' AS declared_by, f.value_usd * c.weight AS value_usd
    FROM fact_trade f
    JOIN dest d ON d.country_id = f.partner_id
    JOIN pick k ON k.source_id = f.source_id AND k.year = f.year AND k.reporter_id = f.reporter_id
               AND k.partner_id = f.partner_id AND k.flow = f.flow
               AND k.classification = f.classification
    JOIN dim_product p ON p.product_id = f.product_id
    JOIN codes c ON c.classification = f.classification AND c.hs_code = p.code
    WHERE f.month = 0 AND f.flow = 'X'
    UNION ALL
    SELECT f.source_id, f.year, c.basket, c.tier, f.partner_id, d.iso3, 'importer',
           f.value_usd * c.weight
    FROM fact_trade f
    JOIN dest d ON d.country_id = f.reporter_id
    JOIN pick k ON k.source_id = f.source_id AND k.year = f.year AND k.reporter_id = f.reporter_id
               AND k.partner_id = f.partner_id AND k.flow = f.flow
               AND k.classification = f.classification
    JOIN dim_product p ON p.product_id = f.product_id
    JOIN codes c ON c.classification = f.classification AND c.hs_code = p.code
    WHERE f.month = 0 AND f.flow = 'M' AND f.source_id <> 1   -- BACI has one declaration
),
labelled AS (
    SELECT r.*, CASE WHEN x.iso3 IN ('CHN', 'TUR', 'ARE', 'KAZ', 'KGZ', 'ARM') THEN x.iso3
                     ELSE 'other' END AS exporter
    FROM rows_in r JOIN dim_country x ON x.country_id = r.exporter_id
),
cells AS (
    SELECT source_id, year, basket, tier, destination, declared_by, exporter,
           sum(value_usd) AS value_usd
    FROM labelled GROUP BY source_id, year, basket, tier, destination, declared_by, exporter
    UNION ALL
    SELECT source_id, year, basket, tier, destination, declared_by, 'all', sum(value_usd)
    FROM labelled GROUP BY source_id, year, basket, tier, destination, declared_by
)
SELECT s.source, c.year, c.basket, c.tier, c.destination, c.exporter, c.declared_by,
       CAST(round(c.value_usd) AS INTEGER) AS value_usd, 2021 AS baseline_year,
       CAST(round(b.value_usd) AS INTEGER) AS baseline_usd,
       CAST(round(c.value_usd - b.value_usd) AS INTEGER) AS change_usd,
       CASE WHEN b.value_usd > 0 THEN round(100.0 * (c.value_usd / b.value_usd - 1), 4) END
           AS change_pct
FROM cells c
JOIN dim_source s ON s.source_id = c.source_id
LEFT JOIN cells b ON b.source_id = c.source_id AND b.year = 2021 AND b.basket = c.basket
                 AND b.tier = c.tier AND b.destination = c.destination
                 AND b.declared_by = c.declared_by AND b.exporter = c.exporter;
