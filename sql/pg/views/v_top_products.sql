-- v_top_products: the products of a flow ranked by value (annual data, six-digit HS codes and
-- special codes; the latest HS revision of the period), with each product's share of the
-- flow's all-goods value (v_trade_annual). rank 1 = largest. Take the top N with rank <= N.
-- Read for one pair, the filter reaches sum_trade's key; the facts are read by exact key range.
CREATE VIEW v_top_products AS
WITH pick AS (   -- one HS revision per flow (the latest), as in v_trade_annual
    SELECT t.source_id, s.source, t.year, t.reporter_id, r.iso3 AS reporter, t.partner_id,
           p.iso3 AS partner, t.flow, t.classification
    FROM sum_trade t
    JOIN dim_source s ON s.source_id = t.source_id
    JOIN dim_country r ON r.country_id = t.reporter_id
    JOIN dim_country p ON p.country_id = t.partner_id
    WHERE t.month = 0
      AND NOT EXISTS (SELECT 1 FROM sum_trade n
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
),
p6 AS (   -- the flow's six-digit and special rows, read by exact trade_key range
    SELECT k.source_id, k.reporter_id, k.partner_id, k.source, k.year, k.reporter, k.partner,
           k.flow, k.classification, d.code, d.description, d.chapter, f.value_usd,
           rank() OVER (PARTITION BY k.source, k.year, k.reporter, k.partner, k.flow
                        ORDER BY f.value_usd DESC) AS rank
    FROM pick k
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product d
    WHERE f.trade_key BETWEEN ((k.source_id << @TR_KEY_SOURCE_SHIFT@) | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@) | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | (substr(k.classification, 2)::bigint << @TR_KEY_CLASS_SHIFT@) | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (@TR_FLOW_ID(k.flow)@ << @TR_KEY_FLOW_SHIFT@))
                          AND ((k.source_id << @TR_KEY_SOURCE_SHIFT@) | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@) | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | (substr(k.classification, 2)::bigint << @TR_KEY_CLASS_SHIFT@) | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (@TR_FLOW_ID(k.flow)@ << @TR_KEY_FLOW_SHIFT@)
                               | @TR_KEY_PRODUCT_MASK@)
      AND d.product_id = f.product_id AND d.level IN (6, 9)
)
SELECT p6.source, p6.year, p6.reporter, p6.partner, p6.flow, p6.rank,
       p6.classification, p6.code AS product, p6.description, p6.chapter, p6.value_usd,
       t.value_usd AS total_usd,
       CASE WHEN t.value_usd > 0 THEN round(100.0 * p6.value_usd / t.value_usd, 4) END AS share_pct
FROM p6
LEFT JOIN sum_annual t ON t.reporter_id = p6.reporter_id AND t.partner_id = p6.partner_id
                      AND t.source_id = p6.source_id AND t.year = p6.year AND t.flow = p6.flow;
