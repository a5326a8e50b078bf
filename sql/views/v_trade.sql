-- v_trade: every trade fact with names instead of ids, one row per (source, classification,
-- year, month, reporter, partner, flow, product); breakdown rows are not here (as fact_trade).
-- reporter, partner: ISO3 or the source's special code (W00 World, S19 ...), compared without
-- regard to case. product: the code as loaded; level TOTAL, HS2, HS4, HS6 or special; chapter
-- and section (HS nomenclature, hs_chapter) NULL for TOTAL and special codes. value_usd whole
-- US$; net_wgt_kg and qty NULL where not reported. month 0 = annual.
-- Access path: each sum_trade row stands for one contiguous key range of fact_trade_packed
-- (source..flow, include/tr/factkey.h), so filters on source, year, month, reporter, partner
-- and flow choose sum_trade rows (through its indexes) and the facts are read by key range.
-- A filter on product or chapter finds the product ids first (dim_product indexes) and then
-- reads each fact by its exact key: the range and the equality below are the same condition.
CREATE VIEW v_trade AS
SELECT s.source, g.classification, g.year, g.month,
       r.iso3 COLLATE NOCASE AS reporter, p.iso3 COLLATE NOCASE AS partner, g.flow,
       d.code AS product,
       CASE d.level WHEN 0 THEN 'TOTAL' WHEN 2 THEN 'HS2' WHEN 4 THEN 'HS4' WHEN 6 THEN 'HS6'
                    ELSE 'special' END AS level,
       d.chapter, c.section, d.description,
       f.value_usd, f.net_wgt_kg, f.qty, f.qty_unit, f.load_id
FROM sum_trade g
JOIN dim_source s ON s.source_id = g.source_id
JOIN dim_country r ON r.country_id = g.reporter_id
JOIN dim_country p ON p.country_id = g.partner_id
JOIN fact_trade_packed f
  ON f.trade_key BETWEEN ((g.source_id << @TR_KEY_SOURCE_SHIFT@) | ((g.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                          | (g.month << @TR_KEY_MONTH_SHIFT@) | (g.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                          | ((substr(g.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@)
                          | (g.partner_id << @TR_KEY_PARTNER_SHIFT@) | (@TR_FLOW_ID(g.flow)@ << @TR_KEY_FLOW_SHIFT@))
                     AND ((g.source_id << @TR_KEY_SOURCE_SHIFT@) | ((g.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                          | (g.month << @TR_KEY_MONTH_SHIFT@) | (g.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                          | ((substr(g.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@)
                          | (g.partner_id << @TR_KEY_PARTNER_SHIFT@) | (@TR_FLOW_ID(g.flow)@ << @TR_KEY_FLOW_SHIFT@)
                          | @TR_KEY_PRODUCT_MASK@)
JOIN dim_product d ON d.product_id = (f.trade_key & @TR_KEY_PRODUCT_MASK@)
                   AND f.trade_key = (((g.source_id << @TR_KEY_SOURCE_SHIFT@) | ((g.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                                     | (g.month << @TR_KEY_MONTH_SHIFT@) | (g.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                                     | ((substr(g.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@)
                                     | (g.partner_id << @TR_KEY_PARTNER_SHIFT@) | (@TR_FLOW_ID(g.flow)@ << @TR_KEY_FLOW_SHIFT@)) | d.product_id)
LEFT JOIN hs_chapter c ON c.chapter = d.chapter;
