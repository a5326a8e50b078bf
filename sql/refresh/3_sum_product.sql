-- Rebuilds sum_product from the facts for the partitions in temp.refresh_rebuild(source_id,
-- year, reporter_id): those whose facts a load replaced or removed, or every one after a schema
-- upgrade. Elsewhere the import has already added what its file brought (src/import/
-- partnersums.c): a file that only adds facts costs no read of them here.

DELETE FROM sum_product
WHERE (source_id, year, reporter_id) IN (SELECT source_id, year, reporter_id
                                         FROM temp.refresh_rebuild);

-- each (month, revision) of a partition is one contiguous key range of the facts: the bits
-- below the revision's vary (include/tr/factkey.h); sum_trade says which ones hold facts
INSERT INTO sum_product (source_id, year, reporter_id, month, flow, product_id, value_usd,
                         facts, net_wgt_kg, facts_with_weight)
SELECT p.source_id, p.year, p.reporter_id, p.month,
       @TR_FLOW_NAME((f.trade_key >> @TR_KEY_FLOW_SHIFT@) & @TR_KEY_FLOW_MASK@)@ AS flow,
       f.trade_key & @TR_KEY_PRODUCT_MASK@ AS product_id,
       sum(f.value_usd), count(*), total(f.net_wgt_kg), count(f.net_wgt_kg)
FROM (SELECT DISTINCT s.source_id, s.year, s.reporter_id, s.month,
             (s.source_id << @TR_KEY_SOURCE_SHIFT@) | ((s.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
             | (s.month << @TR_KEY_MONTH_SHIFT@) | (s.reporter_id << @TR_KEY_REPORTER_SHIFT@)
             | ((substr(s.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@) AS lo
      FROM temp.refresh_rebuild k
      CROSS JOIN sum_trade s ON s.reporter_id = k.reporter_id AND +s.source_id = k.source_id
                            AND +s.year = k.year) p
CROSS JOIN fact_trade_packed f
  ON f.trade_key BETWEEN p.lo AND p.lo + (1 << @TR_KEY_CLASS_SHIFT@) - 1
GROUP BY p.source_id, p.year, p.reporter_id, p.month, flow, product_id;
