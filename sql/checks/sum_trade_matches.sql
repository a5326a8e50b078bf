-- sum_trade agrees with fact_trade, both ways: every group of facts has a summary row with the
-- same row count and the same value per HS level, and no summary row lacks its facts.
WITH f AS (
    SELECT f.reporter_id, f.partner_id, f.source_id, f.classification, f.year, f.month, f.flow,
           count(*) AS n,
           sum(CASE WHEN p.level = 0 THEN f.value_usd END) AS total_usd,
           sum(CASE WHEN p.level = 6 THEN f.value_usd END) AS sum6_usd,
           sum(CASE WHEN p.level = 4 THEN f.value_usd END) AS sum4_usd,
           sum(CASE WHEN p.level = 2 THEN f.value_usd END) AS sum2_usd
    FROM fact_trade f JOIN dim_product p ON p.product_id = f.product_id
    GROUP BY f.reporter_id, f.partner_id, f.source_id, f.classification, f.year, f.month, f.flow
)
SELECT 'sum_trade differs from the facts for reporter ' || f.reporter_id || ', partner '
       || f.partner_id || ', ' || f.year || '/' || f.month || ' ' || f.flow AS problem
FROM f
LEFT JOIN sum_trade s USING (reporter_id, partner_id, source_id, classification, year, month, flow)
WHERE s.n_rows IS NOT f.n OR s.total_usd IS NOT f.total_usd OR s.sum6_usd IS NOT f.sum6_usd
   OR s.sum4_usd IS NOT f.sum4_usd OR s.sum2_usd IS NOT f.sum2_usd
UNION ALL
SELECT 'sum_trade row without facts: reporter ' || s.reporter_id || ', partner ' || s.partner_id
       || ', ' || s.year || '/' || s.month || ' ' || s.flow
FROM sum_trade s
WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.reporter_id = s.reporter_id
                  AND f.partner_id = s.partner_id AND f.source_id = s.source_id
                  AND f.classification = s.classification AND f.year = s.year
                  AND f.month = s.month AND f.flow = s.flow);
