-- v_bilateral_growth: year-on-year change of a pair's turnover, per source, for each of the
-- three turnover figures of v_bilateral_annual (as A reports, as B reports, best).
--   yoy_*_usd = this year - previous year;  yoy_*_pct = 100 * (this / previous - 1).
-- The previous year must be the calendar year before (no gap) and non-zero; otherwise NULL.
-- best_side_changed = 1 when the best figure switched sides between the two years, so its
-- growth compares two declarations (read it with care); NULL when there is no previous
-- calendar year to compare with (the first year of a series, or after a gap).
CREATE VIEW v_bilateral_growth AS
SELECT c.source, c.year, c.a, c.b,
       c.turnover_best, c.p_best AS prev_turnover_best,
       c.turnover_best - c.p_best AS yoy_best_usd,
       CASE WHEN c.p_best <> 0
            THEN round(100.0 * (c.turnover_best * 1.0 / c.p_best - 1), 4) END AS yoy_best_pct,
       c.turnover_a_reported - c.p_a AS yoy_a_reported_usd,
       CASE WHEN c.p_a <> 0
            THEN round(100.0 * (c.turnover_a_reported * 1.0 / c.p_a - 1), 4)
       END AS yoy_a_reported_pct,
       c.turnover_b_reported - c.p_b AS yoy_b_reported_usd,
       CASE WHEN c.p_b <> 0
            THEN round(100.0 * (c.turnover_b_reported * 1.0 / c.p_b - 1), 4)
       END AS yoy_b_reported_pct,
       c.best_side, c.p_side AS prev_best_side,
       CASE WHEN c.p_side IS NOT NULL THEN (c.best_side IS DISTINCT FROM c.p_side)::int END
           AS best_side_changed
FROM (   -- the previous calendar year as a one-row window (v_bilateral_annual read once)
    SELECT v.*, max(v.turnover_best) OVER prev AS p_best,
           max(v.turnover_a_reported) OVER prev AS p_a, max(v.turnover_b_reported) OVER prev AS p_b,
           max(v.best_side) OVER prev AS p_side
    FROM v_bilateral_annual v
    WINDOW prev AS (PARTITION BY v.source, v.a, v.b ORDER BY v.year
                    RANGE BETWEEN 1 PRECEDING AND 1 PRECEDING)
) c;
