-- v_trade_monthly_ytd: monthly all-goods values per (source, reporter, partner, flow) with
--   ytd_usd          January..this month of the year (NULL unless every month so far is present)
--   ytd_prev_usd     the same months of the previous year (same completeness rule)
--   ytd_growth_pct   100 * (ytd / ytd_prev - 1)
--   r12_usd          the 12 months ending this month (NULL unless all 12 are present)
--   r12_prev_usd     the 12 months ending the same month a year earlier
--   r12_growth_pct   100 * (r12 / r12_prev - 1)
-- A month's value is the TOTAL row, else the finest HS level present, latest HS revision (as
-- in v_trade_annual). Only monthly data appears here; annual rows are in v_trade_annual.
CREATE VIEW v_trade_monthly_ytd AS
WITH m AS (
    SELECT source_id, year, month, reporter_id, partner_id, flow,
           max(classification) AS classification,
           coalesce(total_usd, sum6_usd, sum4_usd, sum2_usd) AS value_usd,
           year * 12 + month - 1 AS idx
    FROM sum_trade
    WHERE month > 0
    GROUP BY source_id, year, month, reporter_id, partner_id, flow
),
w AS (
    SELECT m.*,
           sum(value_usd) OVER ytd AS ytd_sum, count(*) OVER ytd AS ytd_n,
           sum(value_usd) OVER r12 AS r12_sum, count(*) OVER r12 AS r12_n
    FROM m
    WINDOW ytd AS (PARTITION BY source_id, reporter_id, partner_id, flow, year ORDER BY month
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           r12 AS (PARTITION BY source_id, reporter_id, partner_id, flow ORDER BY idx
                   RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
),
c AS (
    SELECT source_id, year, month, reporter_id, partner_id, flow, idx, value_usd,
           CASE WHEN ytd_n = month THEN ytd_sum END AS ytd_usd,
           CASE WHEN r12_n = 12 THEN r12_sum END AS r12_usd
    FROM w
)
SELECT s.source, c.year, c.month, r.iso3 AS reporter, p.iso3 AS partner, c.flow, c.value_usd,
       c.ytd_usd, pr.ytd_usd AS ytd_prev_usd,
       CASE WHEN pr.ytd_usd > 0 THEN round(100.0 * (c.ytd_usd * 1.0 / pr.ytd_usd - 1), 4) END
           AS ytd_growth_pct,
       c.r12_usd, pr.r12_usd AS r12_prev_usd,
       CASE WHEN pr.r12_usd > 0 THEN round(100.0 * (c.r12_usd * 1.0 / pr.r12_usd - 1), 4) END
           AS r12_growth_pct
FROM c
LEFT JOIN c pr ON pr.source_id = c.source_id AND pr.reporter_id = c.reporter_id
              AND pr.partner_id = c.partner_id AND pr.flow = c.flow AND pr.idx = c.idx - 12
JOIN dim_source s ON s.source_id = c.source_id
JOIN dim_country r ON r.country_id = c.reporter_id
JOIN dim_country p ON p.country_id = c.partner_id;
