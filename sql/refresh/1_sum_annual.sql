-- Rebuilds sum_annual for the partitions in temp.refresh_key(source_id, year, reporter_id).
-- The rule (v_trade_annual): per period the latest HS revision, its TOTAL row else the sum of
-- the finest level present; an annual row wins; else the months, flagged when fewer than 12.
DELETE FROM sum_annual
WHERE EXISTS (SELECT 1 FROM temp.refresh_key k
              WHERE k.source_id = sum_annual.source_id AND k.year = sum_annual.year
                AND k.reporter_id = sum_annual.reporter_id);

INSERT INTO sum_annual (reporter_id, partner_id, source_id, year, flow, value_usd,
                        classification, level_used, basis, months)
WITH per_period AS (
    SELECT s.source_id, s.year, s.month, s.reporter_id, s.partner_id, s.flow,
           max(s.classification) AS classification,   -- bare columns come from this row
           coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS value_usd,
           CASE WHEN s.total_usd IS NOT NULL THEN 'TOTAL'
                WHEN s.sum6_usd IS NOT NULL THEN 'HS6'
                WHEN s.sum4_usd IS NOT NULL THEN 'HS4'
                ELSE 'HS2' END AS level_used
    FROM temp.refresh_key k
    JOIN sum_trade s ON s.reporter_id = k.reporter_id AND s.source_id = k.source_id
                    AND s.year = k.year
    GROUP BY s.source_id, s.year, s.month, s.reporter_id, s.partner_id, s.flow
),
annual AS (
    SELECT reporter_id, partner_id, source_id, year, flow, value_usd, classification,
           level_used, 'annual' AS basis, 12 AS months
    FROM per_period WHERE month = 0 AND value_usd IS NOT NULL
),
monthly AS (
    SELECT reporter_id, partner_id, source_id, year, flow, sum(value_usd) AS value_usd,
           max(classification) AS classification, min(level_used) AS level_used,
           CASE WHEN count(*) = 12 THEN 'monthly, complete' ELSE 'monthly, partial' END AS basis,
           count(*) AS months
    FROM per_period WHERE month > 0 AND value_usd IS NOT NULL
    GROUP BY reporter_id, partner_id, source_id, year, flow
)
SELECT * FROM annual
UNION ALL
SELECT * FROM monthly m
WHERE NOT EXISTS (SELECT 1 FROM annual a
                  WHERE a.reporter_id = m.reporter_id AND a.partner_id = m.partner_id
                    AND a.source_id = m.source_id AND a.year = m.year AND a.flow = m.flow);
