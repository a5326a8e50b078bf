-- sum_product and sum_chapter agree with the facts: every (source, year, reporter, month,
-- flow, product) of the facts has its sum_product row with the same count, value and weight,
-- and sum_chapter adds up sum_product by chapter and level; equal row counts then mean that
-- no summary row lacks its facts.
WITH f AS MATERIALIZED (
    SELECT f.source_id, f.year, f.reporter_id, f.month, f.flow, f.product_id, count(*) AS n,
           sum(f.value_usd) AS v, total(f.net_wgt_kg) AS kg, count(f.net_wgt_kg) AS nkg
    FROM fact_trade f
    GROUP BY f.source_id, f.year, f.reporter_id, f.month, f.flow, f.product_id
),
c AS MATERIALIZED (
    SELECT s.source_id, s.year, s.reporter_id, s.month, d.classification, s.flow, d.level,
           coalesce(d.chapter, '') AS chapter, sum(s.facts) AS n, sum(s.value_usd) AS v,
           total(s.net_wgt_kg) AS kg, sum(s.facts_with_weight) AS nkg
    FROM sum_product s JOIN dim_product d ON d.product_id = s.product_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
SELECT 'sum_product differs from the facts for reporter ' || f.reporter_id || ', product '
       || f.product_id || ', ' || f.year || '/' || f.month || ' ' || f.flow AS problem
FROM f
LEFT JOIN sum_product s USING (source_id, year, reporter_id, month, flow, product_id)
WHERE s.facts IS NOT f.n OR s.value_usd IS NOT f.v OR s.facts_with_weight IS NOT f.nkg
   OR abs(s.net_wgt_kg - f.kg) > 1e-6 * max(1, abs(f.kg))
UNION ALL
SELECT 'sum_product has ' || (SELECT count(*) FROM sum_product) || ' rows, the facts '
       || (SELECT count(*) FROM f) || ' groups'
WHERE (SELECT count(*) FROM sum_product) <> (SELECT count(*) FROM f)
UNION ALL
SELECT 'sum_chapter differs from sum_product for reporter ' || c.reporter_id || ', chapter '''
       || c.chapter || ''' level ' || c.level || ', ' || c.year || '/' || c.month || ' ' || c.flow
FROM c
LEFT JOIN sum_chapter s USING (source_id, year, reporter_id, month, classification, flow, level,
                               chapter)
WHERE s.facts IS NOT c.n OR s.value_usd IS NOT c.v OR s.facts_with_weight IS NOT c.nkg
   OR abs(s.net_wgt_kg - c.kg) > 1e-6 * max(1, abs(c.kg))
UNION ALL
SELECT 'sum_chapter has ' || (SELECT count(*) FROM sum_chapter) || ' rows, sum_product '
       || (SELECT count(*) FROM c) || ' chapter groups'
WHERE (SELECT count(*) FROM sum_chapter) <> (SELECT count(*) FROM c);
