-- v_top_products: the products of a flow ranked by value (annual data, six-digit HS codes and
-- special codes; the latest HS revision of the period), with each product's share of the
-- flow's all-goods value (v_trade_annual). rank 1 = largest. Take the top N with rank <= N.
CREATE VIEW v_top_products AS
WITH pick AS (
    SELECT source_id, year, reporter_id, partner_id, flow, max(classification) AS classification
    FROM sum_trade
    WHERE month = 0
    GROUP BY source_id, year, reporter_id, partner_id, flow
),
p6 AS (
    SELECT f.source_id, f.year, f.reporter_id, f.partner_id, f.flow, f.classification,
           d.code, d.description, d.chapter, f.value_usd,
           rank() OVER (PARTITION BY f.source_id, f.year, f.reporter_id, f.partner_id, f.flow
                        ORDER BY f.value_usd DESC) AS rank
    FROM fact_trade f
    JOIN pick k ON k.source_id = f.source_id AND k.year = f.year AND k.reporter_id = f.reporter_id
               AND k.partner_id = f.partner_id AND k.flow = f.flow
               AND k.classification = f.classification
    JOIN dim_product d ON d.product_id = f.product_id
    WHERE f.month = 0 AND d.level IN (6, 9)
)
SELECT s.source, p6.year, r.iso3 AS reporter, pa.iso3 AS partner, p6.flow, p6.rank,
       p6.classification, p6.code AS product, p6.description, p6.chapter, p6.value_usd,
       t.value_usd AS total_usd,
       CASE WHEN t.value_usd > 0 THEN round(100.0 * p6.value_usd / t.value_usd, 4) END AS share_pct
FROM p6
JOIN dim_source s ON s.source_id = p6.source_id
JOIN dim_country r ON r.country_id = p6.reporter_id
JOIN dim_country pa ON pa.country_id = p6.partner_id
LEFT JOIN v_trade_annual t ON t.source = s.source AND t.year = p6.year AND t.reporter = r.iso3
                          AND t.partner = pa.iso3 AND t.flow = p6.flow;
