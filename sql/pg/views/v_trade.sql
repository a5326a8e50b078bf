-- v_trade: every trade fact with names instead of ids, one row per (source, classification,
-- year, month, reporter, partner, flow, product); breakdown rows are not here (as fact_trade).
-- reporter, partner: ISO3 or the source's special code (W00 World, S19 ...), compared without
-- regard to case. product: the code as loaded; level TOTAL, HS2, HS4, HS6 or special; chapter
-- and section (HS nomenclature, hs_chapter) NULL for TOTAL and special codes. value_usd whole
-- US$; net_wgt_kg and qty NULL where not reported. month 0 = annual.
-- PostgreSQL: the published fact_trade carries its key's parts as columns (partitioned by
-- year, indexed by reporter, partner, year), so the view joins it to the dimensions directly;
-- sum_trade, which stands for the key ranges in SQLite, is not needed for the access path.
-- Reporter and partner compare as plain text here: write codes in upper case.
CREATE VIEW v_trade AS
SELECT s.source, f.classification, f.year, f.month, r.iso3 AS reporter, p.iso3 AS partner,
       f.flow, d.code AS product,
       CASE d.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       d.chapter, c.section, d.description,
       f.value_usd, f.net_wgt_kg, f.qty, f.qty_unit, f.load_id
FROM fact_trade f
JOIN dim_source s ON s.source_id = f.source_id
JOIN dim_country r ON r.country_id = f.reporter_id
JOIN dim_country p ON p.country_id = f.partner_id
JOIN dim_product d ON d.product_id = f.product_id
LEFT JOIN hs_chapter c ON c.chapter = d.chapter;
