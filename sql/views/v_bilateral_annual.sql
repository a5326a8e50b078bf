-- v_bilateral_annual: every pair of economies, both orientations (so WHERE a = 'RUS' AND
-- b = 'IRN' always works), with both declarations side by side, in whole US$:
--   a_exports_to_b   A's exports to B as A declares them     (A's flow X, partner B)
--   a_imports_from_b A's imports from B as A declares them   (A's flow M, partner B)
--   b_exports_to_a   B's exports to A as B declares them
--   b_imports_from_a B's imports from A as B declares them
--   turnover_a_reported = a_exports_to_b + a_imports_from_b; turnover_b_reported likewise.
-- A side that declared no partner detail that year (no row with any partner but World) is
-- NULL, not 0; a side that did declare partner detail but no row for this partner traded 0.
-- Best figure: A's own declaration when A declared partner detail, else B's (the mirror
-- figure); best_side names whose figure turnover_best is. BACI is one reconciled figure per
-- flow: A's exports to B equal B's imports from A, and best_side is 'reconciled'.
-- Only complete years (is_partial = 0) are used; World, and flows other than X and M
-- (re-exports and re-imports are already inside X and M), are left out.
CREATE VIEW v_bilateral_annual AS
WITH t AS (
    SELECT source, year, reporter, partner, flow, value_usd
    FROM v_trade_annual
    WHERE is_partial = 0 AND flow IN ('X', 'M') AND partner_kind <> 'world'
),
decl AS (   -- (declarant, other, flow as the declarant sees it)
    SELECT source, year, reporter AS declarant, partner AS other, flow, value_usd
    FROM t WHERE source <> 'baci'
    UNION ALL
    SELECT source, year, reporter, partner, 'X', value_usd FROM t WHERE source = 'baci'
    UNION ALL
    SELECT source, year, partner, reporter, 'M', value_usd FROM t WHERE source = 'baci'
),
reporting AS (
    SELECT DISTINCT source, year, declarant FROM decl
),
pairs AS (
    SELECT source, year, declarant AS a, other AS b FROM decl
    UNION
    SELECT source, year, other AS a, declarant AS b FROM decl
),
sides AS (
    SELECT p.source, p.year, p.a, p.b,
           ra.declarant IS NOT NULL AS a_reported,
           rb.declarant IS NOT NULL AS b_reported,
           CASE WHEN ra.declarant IS NOT NULL THEN coalesce(ax.value_usd, 0) END AS a_exports_to_b,
           CASE WHEN ra.declarant IS NOT NULL THEN coalesce(am.value_usd, 0) END AS a_imports_from_b,
           CASE WHEN rb.declarant IS NOT NULL THEN coalesce(bx.value_usd, 0) END AS b_exports_to_a,
           CASE WHEN rb.declarant IS NOT NULL THEN coalesce(bm.value_usd, 0) END AS b_imports_from_a
    FROM pairs p
    LEFT JOIN reporting ra ON ra.source = p.source AND ra.year = p.year AND ra.declarant = p.a
    LEFT JOIN reporting rb ON rb.source = p.source AND rb.year = p.year AND rb.declarant = p.b
    LEFT JOIN decl ax ON ax.source = p.source AND ax.year = p.year AND ax.declarant = p.a
                     AND ax.other = p.b AND ax.flow = 'X'
    LEFT JOIN decl am ON am.source = p.source AND am.year = p.year AND am.declarant = p.a
                     AND am.other = p.b AND am.flow = 'M'
    LEFT JOIN decl bx ON bx.source = p.source AND bx.year = p.year AND bx.declarant = p.b
                     AND bx.other = p.a AND bx.flow = 'X'
    LEFT JOIN decl bm ON bm.source = p.source AND bm.year = p.year AND bm.declarant = p.b
                     AND bm.other = p.a AND bm.flow = 'M'
)
SELECT source, year, a, b, a_exports_to_b, a_imports_from_b, b_exports_to_a, b_imports_from_a,
       a_exports_to_b + a_imports_from_b AS turnover_a_reported,
       b_exports_to_a + b_imports_from_a AS turnover_b_reported,
       CASE WHEN source = 'baci' OR a_reported THEN a_exports_to_b + a_imports_from_b
            ELSE b_exports_to_a + b_imports_from_a END AS turnover_best,
       CASE WHEN source = 'baci' THEN 'reconciled'
            WHEN a_reported THEN a
            WHEN b_reported THEN b END AS best_side
FROM sides;
