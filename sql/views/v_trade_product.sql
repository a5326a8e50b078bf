-- v_trade_product: v_trade summed over partners, one row per (source, classification, year,
-- month, reporter, flow, product): what each economy declared of each product to all partners
-- together (World rows, where a source has them, are among the partners summed, as in v_trade).
-- facts: v_trade rows summed; net_wgt_kg NULL where none of them reported a weight, else the
-- sum of the weights reported (facts_with_weight of them). Kept at import (sum_product), so a
-- whole year of every reporter reads one row per reporter and product, not every fact.
-- Access path: each source and year (key_year) seeks its rows by sum_product's key, with the
-- reporter when one is asked for; a product filter reads the years' rows and keeps its own.
CREATE VIEW v_trade_product AS
SELECT s.source, d.classification, g.year, g.month, r.iso3 COLLATE NOCASE AS reporter, g.flow,
       d.code AS product,
       CASE d.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       d.chapter, c.section, d.description, g.value_usd,
       CASE WHEN g.facts_with_weight > 0 THEN g.net_wgt_kg END AS net_wgt_kg,
       g.facts, g.facts_with_weight
FROM dim_source s
CROSS JOIN key_year y
CROSS JOIN sum_product g ON g.source_id = s.source_id AND g.year = y.year
JOIN dim_country r ON r.country_id = g.reporter_id
JOIN dim_product d ON d.product_id = g.product_id
LEFT JOIN hs_chapter c ON c.chapter = d.chapter;
