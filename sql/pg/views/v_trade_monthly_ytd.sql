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
WITH m AS (   -- the latest HS revision's row of each month (SQLite: max() picks that row)
    SELECT DISTINCT ON (t.source_id, t.year, t.month, t.reporter_id, t.partner_id, t.flow)
           t.source_id, s.source, t.year, t.month, t.reporter_id, r.iso3 AS reporter,
           t.partner_id, p.iso3 AS partner, t.flow, t.classification,
           coalesce(t.total_usd, t.sum6_usd, t.sum4_usd, t.sum2_usd) AS value_usd,
           t.year * 12 + t.month - 1 AS idx
    FROM sum_trade t
    JOIN dim_source s ON s.source_id = t.source_id
    JOIN dim_country r ON r.country_id = t.reporter_id
    JOIN dim_country p ON p.country_id = t.partner_id
    WHERE t.month > 0
    ORDER BY t.source_id, t.year, t.month, t.reporter_id, t.partner_id, t.flow,
             t.classification DESC
),
w12 AS (   -- each window step has one partition, so a pair filter is pushed through
    SELECT m.*, sum(value_usd) OVER r12 AS r12_sum, count(*) OVER r12 AS r12_n
    FROM m
    WINDOW r12 AS (PARTITION BY source, reporter, partner, flow ORDER BY idx
                   RANGE BETWEEN 11 PRECEDING AND CURRENT ROW)
),
w AS (
    SELECT w12.*, sum(value_usd) OVER ytd AS ytd_sum, count(*) OVER ytd AS ytd_n
    FROM w12
    WINDOW ytd AS (PARTITION BY source, reporter, partner, flow, year ORDER BY month
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
c AS (
    SELECT source, year, month, reporter, partner, flow, idx, value_usd,
           CASE WHEN ytd_n = month THEN ytd_sum END AS ytd_usd,
           CASE WHEN r12_n = 12 THEN r12_sum END AS r12_usd
    FROM w
),
pc AS (   -- the same month a year earlier (idx - 12), as a one-row window
    SELECT c.*, max(ytd_usd) OVER prev AS prev_ytd_usd, max(r12_usd) OVER prev AS prev_r12_usd
    FROM c
    WINDOW prev AS (PARTITION BY source, reporter, partner, flow ORDER BY idx
                    RANGE BETWEEN 12 PRECEDING AND 12 PRECEDING)
)
SELECT c.source, c.year, c.month, c.reporter, c.partner, c.flow, c.value_usd,
       c.ytd_usd, c.prev_ytd_usd AS ytd_prev_usd,
       CASE WHEN c.prev_ytd_usd > 0 THEN round(100.0 * (c.ytd_usd * 1.0 / c.prev_ytd_usd - 1), 4) END
           AS ytd_growth_pct,
       c.r12_usd, c.prev_r12_usd AS r12_prev_usd,
       CASE WHEN c.prev_r12_usd > 0 THEN round(100.0 * (c.r12_usd * 1.0 / c.prev_r12_usd - 1), 4) END
           AS r12_growth_pct
FROM pc c;
