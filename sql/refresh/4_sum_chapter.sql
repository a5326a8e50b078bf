-- Rebuilds sum_chapter for the partitions in temp.refresh_rebuild from sum_product (just
-- rebuilt): the products of a chapter at one level summed; '' for TOTAL and special codes.

DELETE FROM sum_chapter
WHERE (source_id, year, reporter_id) IN (SELECT source_id, year, reporter_id
                                         FROM temp.refresh_rebuild);

INSERT INTO sum_chapter (source_id, year, reporter_id, month, classification, flow, level,
                         chapter, value_usd, facts, net_wgt_kg, facts_with_weight)
SELECT s.source_id, s.year, s.reporter_id, s.month, d.classification, s.flow, d.level,
       coalesce(d.chapter, ''), sum(s.value_usd), sum(s.facts), total(s.net_wgt_kg),
       sum(s.facts_with_weight)
FROM temp.refresh_rebuild k
CROSS JOIN sum_product s ON s.source_id = k.source_id AND s.year = k.year
                        AND s.reporter_id = k.reporter_id
JOIN dim_product d ON d.product_id = s.product_id
GROUP BY s.source_id, s.year, s.reporter_id, s.month, d.classification, s.flow, d.level,
         coalesce(d.chapter, '');
