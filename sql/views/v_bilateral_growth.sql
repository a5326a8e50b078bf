-- v_bilateral_growth: year-on-year change of a pair's turnover, per source, for each of the
-- three turnover figures of v_bilateral_annual (as A reports, as B reports, best).
--   yoy_*_usd = this year - previous year;  yoy_*_pct = 100 * (this / previous - 1).
-- The previous year must be the calendar year before (no gap) and non-zero; otherwise NULL.
-- best_side_changed = 1 when the best figure switched sides between the two years, so its
-- growth compares two declarations (read it with care).
CREATE VIEW v_bilateral_growth AS
SELECT c.source, c.year, c.a, c.b,
       c.turnover_best, p.turnover_best AS prev_turnover_best,
       c.turnover_best - p.turnover_best AS yoy_best_usd,
       CASE WHEN p.turnover_best <> 0
            THEN round(100.0 * (c.turnover_best * 1.0 / p.turnover_best - 1), 4) END AS yoy_best_pct,
       c.turnover_a_reported - p.turnover_a_reported AS yoy_a_reported_usd,
       CASE WHEN p.turnover_a_reported <> 0
            THEN round(100.0 * (c.turnover_a_reported * 1.0 / p.turnover_a_reported - 1), 4)
       END AS yoy_a_reported_pct,
       c.turnover_b_reported - p.turnover_b_reported AS yoy_b_reported_usd,
       CASE WHEN p.turnover_b_reported <> 0
            THEN round(100.0 * (c.turnover_b_reported * 1.0 / p.turnover_b_reported - 1), 4)
       END AS yoy_b_reported_pct,
       c.best_side, p.best_side AS prev_best_side,
       (c.best_side IS NOT p.best_side) AS best_side_changed
FROM v_bilateral_annual c
LEFT JOIN v_bilateral_annual p
       ON p.source = c.source AND p.a = c.a AND p.b = c.b AND p.year = c.year - 1;
