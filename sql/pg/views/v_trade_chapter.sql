-- v_trade_chapter: v_trade summed over partners and over the products of one HS chapter at one
-- level, one row per (source, classification, year, month, reporter, flow, level, chapter);
-- chapter and section NULL for TOTAL and special codes; net_wgt_kg as in v_trade_product.
-- PostgreSQL: summed from the published facts when queried (SQLite keeps sum_chapter).
CREATE VIEW v_trade_chapter AS
SELECT s.source, f.classification, f.year, f.month, r.iso3 AS reporter, f.flow,
       CASE f.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       f.chapter, c.section, f.value_usd, f.net_wgt_kg, f.facts, f.facts_with_weight
FROM (SELECT t.source_id, t.year, t.month, t.reporter_id, d.classification, t.flow, d.level,
             d.chapter, sum(t.value_usd)::bigint AS value_usd,
             sum(t.net_wgt_kg) AS net_wgt_kg, count(*) AS facts,
             count(t.net_wgt_kg) AS facts_with_weight
      FROM fact_trade t
      JOIN dim_product d ON d.product_id = t.product_id
      GROUP BY t.source_id, t.year, t.month, t.reporter_id, d.classification, t.flow, d.level,
               d.chapter) f
JOIN dim_source s ON s.source_id = f.source_id
JOIN dim_country r ON r.country_id = f.reporter_id
LEFT JOIN hs_chapter c ON c.chapter = f.chapter;
