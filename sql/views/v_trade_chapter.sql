-- v_trade_chapter: v_trade summed over partners and over the products of one HS chapter at one
-- level, one row per (source, classification, year, month, reporter, flow, level, chapter):
-- world trade by chapter or section in a few rows per reporter and year. level as in v_trade
-- (a source that ships HS2, HS4 and HS6 rows has a row for each: choose one level to add up);
-- chapter and section NULL for TOTAL and special codes. net_wgt_kg as in v_trade_product.
-- Kept at import (sum_chapter). Access path: each source and year (key_year) seeks its rows
-- by sum_chapter's key, with the reporter when one is asked for.
CREATE VIEW v_trade_chapter AS
SELECT s.source, g.classification, g.year, g.month, r.iso3 COLLATE NOCASE AS reporter, g.flow,
       CASE g.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       nullif(g.chapter, '') AS chapter, c.section, g.value_usd,
       CASE WHEN g.facts_with_weight > 0 THEN g.net_wgt_kg END AS net_wgt_kg,
       g.facts, g.facts_with_weight
FROM dim_source s
CROSS JOIN key_year y
CROSS JOIN sum_chapter g ON g.source_id = s.source_id AND g.year = y.year
JOIN dim_country r ON r.country_id = g.reporter_id
LEFT JOIN hs_chapter c ON c.chapter = g.chapter;
