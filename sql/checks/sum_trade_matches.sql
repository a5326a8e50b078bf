-- sum_trade agrees with fact_trade: same row count and value per group.
WITH f AS (
    SELECT reporter_id, partner_id, source_id, classification, year, month, flow,
           count(*) AS n, sum(value_usd) AS v
    FROM fact_trade
    GROUP BY reporter_id, partner_id, source_id, classification, year, month, flow
)
SELECT 'sum_trade differs for reporter ' || s.reporter_id || ', partner ' || s.partner_id
       || ', ' || s.year || '/' || s.month || ' ' || s.flow AS problem
FROM sum_trade s
LEFT JOIN f USING (reporter_id, partner_id, source_id, classification, year, month, flow)
WHERE f.n IS NOT s.n_rows
   OR f.v IS NOT coalesce(s.total_usd, 0) + coalesce(s.sum6_usd, 0) + coalesce(s.sum4_usd, 0)
                 + coalesce(s.sum2_usd, 0)
                 + (SELECT coalesce(sum(x.value_usd), 0) FROM fact_trade x
                    JOIN dim_product p ON p.product_id = x.product_id AND p.level = 9
                    WHERE x.reporter_id = s.reporter_id AND x.partner_id = s.partner_id
                      AND x.source_id = s.source_id AND x.classification = s.classification
                      AND x.year = s.year AND x.month = s.month AND x.flow = s.flow);
