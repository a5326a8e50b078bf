-- v_bilateral_annual: every pair of economies, both orientations (so WHERE a = 'RUS' AND
-- b = 'IRN' always works), with both declarations side by side, in whole US$:
--   a_exports_to_b   A's exports to B as A declares them     (A's flow X, partner B)
--   a_imports_from_b A's imports from B as A declares them   (A's flow M, partner B)
--   b_exports_to_a   B's exports to A as B declares them
--   b_imports_from_a B's imports from A as B declares them
--   turnover_a_reported = a_exports_to_b + a_imports_from_b; turnover_b_reported likewise.
-- A side that declared no partner detail that year (no row with any partner but World) is
-- NULL, not 0; a side that did declare partner detail but no row for this partner traded 0,
-- unless a replacement took that flow's rows away (trade_withdrawn): then NULL, never 0.
-- Best figure: A's own declaration when A declared partner detail, else B's (the mirror
-- figure); best_side names whose figure turnover_best is. BACI is one reconciled figure per
-- flow: A's exports to B equal B's imports from A, and best_side is 'reconciled'.
-- Only complete years (is_partial = 0) are used; World, and flows other than X and M
-- (re-exports and re-imports are already inside X and M), are left out.
-- goods_partial = 1 when one of the row's declarations sums the products a file listed instead
-- of a TOTAL row (v_trade_annual.goods_partial): the turnover may cover a few products only.
-- The declarations are kept in sum_bilateral, rebuilt at import
-- (sql/refresh/2_sum_bilateral.sql): one pair's series is a primary-key lookup.
CREATE VIEW v_bilateral_annual AS
SELECT s.source, x.year, ca.iso3 AS a, cb.iso3 AS b,
       x.a_exports_to_b, x.a_imports_from_b, x.b_exports_to_a, x.b_imports_from_a,
       x.a_exports_to_b + x.a_imports_from_b AS turnover_a_reported,
       x.b_exports_to_a + x.b_imports_from_a AS turnover_b_reported,
       CASE WHEN x.source_id = 1 OR x.a_reported <> 0 THEN x.a_exports_to_b + x.a_imports_from_b
            ELSE x.b_exports_to_a + x.b_imports_from_a END AS turnover_best,
       CASE WHEN x.source_id = 1 THEN 'reconciled'
            WHEN x.a_reported <> 0 THEN ca.iso3
            WHEN x.b_reported <> 0 THEN cb.iso3 END AS best_side,
       CASE WHEN x.source_id = 1 THEN 0
            ELSE (EXISTS (SELECT 1 FROM sum_annual t
                          WHERE t.reporter_id = x.a_id AND t.partner_id = x.b_id
                            AND t.source_id = x.source_id AND t.year = x.year
                            AND t.flow IN ('X', 'M') AND t.months = 12
                            AND t.level_used <> 'TOTAL')
                  OR EXISTS (SELECT 1 FROM sum_annual t
                             WHERE t.reporter_id = x.b_id AND t.partner_id = x.a_id
                               AND t.source_id = x.source_id AND t.year = x.year
                               AND t.flow IN ('X', 'M') AND t.months = 12
                               AND t.level_used <> 'TOTAL'))::int END AS goods_partial
FROM sum_bilateral x
JOIN dim_source s ON s.source_id = x.source_id
JOIN dim_country ca ON ca.country_id = x.a_id
JOIN dim_country cb ON cb.country_id = x.b_id;
