-- v_bilateral_cagr: compound annual growth of a pair's best turnover between any two years
-- of the same source: cagr_pct = 100 * ((value_to / value_from) ^ (1 / (to_year - from_year)) - 1).
-- Pick the range in the WHERE clause: ... WHERE a='RUS' AND b='IRN' AND from_year=2014 AND to_year=2021.
-- NULL when the first value is not positive.
CREATE VIEW v_bilateral_cagr AS
SELECT f.source, f.a, f.b, f.year AS from_year, t.year AS to_year,
       f.turnover_best AS value_from, t.turnover_best AS value_to,
       f.best_side AS side_from, t.best_side AS side_to,
       CASE WHEN f.turnover_best > 0 AND t.turnover_best >= 0
            THEN round(100.0 * (pow(t.turnover_best * 1.0 / f.turnover_best,
                                    1.0 / (t.year - f.year)) - 1), 4) END AS cagr_pct
FROM v_bilateral_annual f
JOIN v_bilateral_annual t ON t.source = f.source AND t.a = f.a AND t.b = f.b AND t.year > f.year;
