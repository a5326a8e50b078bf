-- v_trade_product: v_trade summed over partners, one row per (source, classification, year,
-- month, reporter, flow, product) — World rows, where a source has them, among the partners
-- summed, as in v_trade. facts: v_trade rows summed; net_wgt_kg NULL where none of them
-- reported a weight. PostgreSQL: summed from the published facts when queried (SQLite keeps
-- the sums at import, in sum_product, which is not published).
CREATE VIEW v_trade_product AS
SELECT s.source, d.classification, f.year, f.month, r.iso3 AS reporter, f.flow,
       d.code AS product,
       CASE d.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       d.chapter, c.section, d.description, f.value_usd, f.net_wgt_kg, f.facts,
       f.facts_with_weight
FROM (SELECT source_id, year, month, reporter_id, flow, product_id,
             sum(value_usd)::bigint AS value_usd, sum(net_wgt_kg) AS net_wgt_kg,
             count(*) AS facts, count(net_wgt_kg) AS facts_with_weight
      FROM fact_trade
      GROUP BY source_id, year, month, reporter_id, flow, product_id) f
JOIN dim_source s ON s.source_id = f.source_id
JOIN dim_country r ON r.country_id = f.reporter_id
JOIN dim_product d ON d.product_id = f.product_id
LEFT JOIN hs_chapter c ON c.chapter = d.chapter;
