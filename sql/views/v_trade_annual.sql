-- v_trade_annual: all goods, annual, one row per (source, year, reporter, partner, flow).
-- value_usd (whole US$) is the file's TOTAL row where it has one, else the sum of the finest
-- HS level present (HS6, else HS4, else HS2) — never both, so nothing is counted twice.
-- When a period was loaded in several HS revisions, the latest revision is used.
-- Breakdown rows (2nd partner, customs procedure, transport mode) live in
-- fact_trade_breakdown and are never summed here. World (W00) is a partner of its own.
-- Monthly data: summed to a year when all 12 months are present (basis 'monthly, complete');
-- otherwise the months present are summed and the row is flagged (is_partial = 1).
-- An annual row wins over monthly rows for the same key.
-- BACI rows appear with reporter = exporter, flow X.
CREATE VIEW v_trade_annual AS
WITH per_period AS (
    SELECT source_id, year, month, reporter_id, partner_id, flow,
           max(classification) AS classification,   -- bare columns below come from this row
           coalesce(total_usd, sum6_usd, sum4_usd, sum2_usd) AS value_usd,
           CASE WHEN total_usd IS NOT NULL THEN 'TOTAL'
                WHEN sum6_usd IS NOT NULL THEN 'HS6'
                WHEN sum4_usd IS NOT NULL THEN 'HS4'
                ELSE 'HS2' END AS level_used
    FROM sum_trade
    GROUP BY source_id, year, month, reporter_id, partner_id, flow
),
annual AS (
    SELECT source_id, year, reporter_id, partner_id, flow, classification, value_usd,
           level_used, 'annual' AS basis, 12 AS months
    FROM per_period
    WHERE month = 0
),
monthly AS (
    SELECT source_id, year, reporter_id, partner_id, flow,
           max(classification) AS classification, sum(value_usd) AS value_usd,
           min(level_used) AS level_used,
           CASE WHEN count(*) = 12 THEN 'monthly, complete' ELSE 'monthly, partial' END AS basis,
           count(*) AS months
    FROM per_period
    WHERE month > 0
    GROUP BY source_id, year, reporter_id, partner_id, flow
),
combined AS (
    SELECT * FROM annual
    UNION ALL
    SELECT * FROM monthly m
    WHERE NOT EXISTS (SELECT 1 FROM annual a
                      WHERE a.source_id = m.source_id AND a.year = m.year
                        AND a.reporter_id = m.reporter_id AND a.partner_id = m.partner_id
                        AND a.flow = m.flow)
)
SELECT s.source, c.year, r.iso3 AS reporter, p.iso3 AS partner, c.flow, c.value_usd,
       c.classification, c.level_used, c.basis, c.months, (c.months < 12) AS is_partial,
       r.name AS reporter_name, p.name AS partner_name, p.kind AS partner_kind
FROM combined c
JOIN dim_source s ON s.source_id = c.source_id
JOIN dim_country r ON r.country_id = c.reporter_id
JOIN dim_country p ON p.country_id = c.partner_id;
