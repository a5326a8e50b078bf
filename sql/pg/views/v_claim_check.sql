-- v_claim_check: every headline claim (table claim: built-in ones from articles, and users'
-- own from `import --format claims`) checked against the data under every defensible
-- definition, one row per (claim, source, definition):
--   turnover, turnover_growth_pct:  turnover as A reports, as B reports (mirror), best figure;
--                                   growth = 100 * (year / base_year - 1) of the same figure;
--   exports / imports:              A's exports to (imports from) B as A reports, as B reports
--                                   (mirror), best (A's when A declared partner detail);
--   product_flow:                   A's exports to B of the HS code given (its own row at that
--                                   level, else the sum of six-digit rows under it), as A
--                                   reports and as B reports (B's imports from A); data of an
--                                   older HS revision counts the codes the UNSD tables link to
--                                   it (HS 8806 drones: HS2017 852580, 8802), the definition
--                                   saying 'approximate' when they also hold other goods;
--   tariff_pref_share:              see v_claim_check_tariff (union-ed below);
--   not_measurable:                 one row saying why.
-- diff_pct = 100 * (stated - computed) / computed. verdict: 'no data' (nothing computed),
-- 'consistent' (|diff_pct| <= the claim's tolerance_pct), 'overstated' (stated above the
-- data), 'understated' (stated below), 'not measurable' (trade data cannot test it, or the
-- claim states no figure while the data show a flow). is_closest = 1 on the definition with
-- the smallest |diff_pct| for the claim.
-- goods_partial = 1 when the declarations a computed figure uses (of the year or the base
-- year; the best figure: A's when A reported, else B's) sum the products a file listed instead
-- of a TOTAL row (v_trade_annual.goods_partial): the note says so.
CREATE VIEW v_claim_check AS
WITH ids AS (   -- the claim's countries as ids (NULL for groups such as EAEU)
    SELECT c.claim_id, ca.country_id AS a_id, cb.country_id AS b_id
    FROM claim c
    LEFT JOIN dim_country ca ON ca.iso3 = c.a
    LEFT JOIN dim_country cb ON cb.iso3 = c.b
),
pair_sources AS (
    SELECT DISTINCT i.claim_id, x.source_id
    FROM ids i JOIN claim c USING (claim_id)
    JOIN sum_bilateral x ON x.a_id = i.a_id AND x.b_id = i.b_id
    WHERE c.metric IN ('turnover', 'turnover_growth_pct', 'exports', 'imports')
),
claim_sources AS (   -- a claim with no data in any source still gets its rows
    SELECT c.claim_id, ps.source_id FROM claim c LEFT JOIN pair_sources ps USING (claim_id)
    WHERE c.metric IN ('turnover', 'turnover_growth_pct', 'exports', 'imports')
),
defs(k) AS (VALUES (1), (2), (3)),
sides AS (   -- sum_bilateral read through its primary key, as v_bilateral_annual computes it
    SELECT cs.claim_id, cs.source_id, d.k,
           y.a_exports_to_b AS ax, y.a_imports_from_b AS am, y.b_exports_to_a AS bx,
           y.b_imports_from_a AS bm,
           y.a_exports_to_b + y.a_imports_from_b AS ta, y.b_exports_to_a + y.b_imports_from_a AS tb,
           CASE WHEN y.source_id = 1 OR y.a_reported <> 0 THEN y.a_exports_to_b + y.a_imports_from_b
                ELSE y.b_exports_to_a + y.b_imports_from_a END AS tbest,
           p.a_exports_to_b + p.a_imports_from_b AS pta, p.b_exports_to_a + p.b_imports_from_a AS ptb,
           CASE WHEN p.source_id = 1 OR p.a_reported <> 0 THEN p.a_exports_to_b + p.a_imports_from_b
                ELSE p.b_exports_to_a + p.b_imports_from_a END AS ptbest,
           coalesce(y.a_reported, 0) AS a_rep,
           -- A's (B's) declarations of the year or base year that sum listed products
           coalesce((cs.source_id <> 1 AND EXISTS (
               SELECT 1 FROM sum_annual t
               WHERE t.reporter_id = i.a_id AND t.partner_id = i.b_id
                 AND t.source_id = cs.source_id AND t.year IN (c.year, c.base_year)
                 AND t.flow IN ('X', 'M') AND t.months = 12 AND t.level_used <> 'TOTAL'))::int, 0)
               AS a_partial,
           coalesce((cs.source_id <> 1 AND EXISTS (
               SELECT 1 FROM sum_annual t
               WHERE t.reporter_id = i.b_id AND t.partner_id = i.a_id
                 AND t.source_id = cs.source_id AND t.year IN (c.year, c.base_year)
                 AND t.flow IN ('X', 'M') AND t.months = 12 AND t.level_used <> 'TOTAL'))::int, 0)
               AS b_partial
    FROM claim_sources cs
    JOIN claim c ON c.claim_id = cs.claim_id
    JOIN ids i ON i.claim_id = cs.claim_id
    CROSS JOIN defs d
    LEFT JOIN sum_bilateral y ON y.a_id = i.a_id AND y.b_id = i.b_id
                             AND y.source_id = cs.source_id AND y.year = c.year
    LEFT JOIN sum_bilateral p ON p.a_id = i.a_id AND p.b_id = i.b_id
                             AND p.source_id = cs.source_id AND p.year = c.base_year
    WHERE NOT (coalesce(cs.source_id, 0) = 1 AND d.k <> 3)   -- BACI: one reconciled figure
),
bilateral AS (
    SELECT s.claim_id, src.source, s.k,
           CASE c.metric
             WHEN 'exports' THEN CASE s.k WHEN 1 THEN c.a || '''s exports to ' || c.b || ' as ' || c.a || ' reports'
                                          WHEN 2 THEN c.a || '''s exports to ' || c.b || ' as ' || c.b || ' reports (mirror)'
                                          ELSE 'best figure' END
             WHEN 'imports' THEN CASE s.k WHEN 1 THEN c.a || '''s imports from ' || c.b || ' as ' || c.a || ' reports'
                                          WHEN 2 THEN c.a || '''s imports from ' || c.b || ' as ' || c.b || ' reports (mirror)'
                                          ELSE 'best figure' END
             ELSE CASE s.k WHEN 1 THEN 'turnover as ' || c.a || ' reports'
                           WHEN 2 THEN 'turnover as ' || c.b || ' reports (mirror)'
                           ELSE 'best turnover' END
               || CASE WHEN c.metric = 'turnover_growth_pct'
                       THEN ', growth ' || c.year || ' on ' || c.base_year ELSE ', ' || c.year END
           END AS definition,
           CASE c.metric
             WHEN 'exports' THEN CASE s.k WHEN 1 THEN s.ax WHEN 2 THEN s.bm
                                 ELSE CASE WHEN s.ax IS NOT NULL THEN s.ax ELSE s.bm END END
             WHEN 'imports' THEN CASE s.k WHEN 1 THEN s.am WHEN 2 THEN s.bx
                                 ELSE CASE WHEN s.am IS NOT NULL THEN s.am ELSE s.bx END END
             ELSE CASE s.k WHEN 1 THEN s.ta WHEN 2 THEN s.tb ELSE s.tbest END
           END AS v_year,
           CASE s.k WHEN 1 THEN s.pta WHEN 2 THEN s.ptb ELSE s.ptbest END AS v_base,
           CASE s.k WHEN 1 THEN s.a_partial WHEN 2 THEN s.b_partial
                    ELSE CASE WHEN s.a_rep <> 0 THEN s.a_partial ELSE s.b_partial END
           END AS goods_partial
    FROM sides s
    JOIN claim c ON c.claim_id = s.claim_id
    LEFT JOIN dim_source src ON src.source_id = s.source_id
),
bilateral_values AS (
    SELECT b.claim_id, b.source, b.definition,
           CASE WHEN c.metric = 'turnover_growth_pct'
                THEN CASE WHEN b.v_base > 0 AND b.v_year IS NOT NULL
                          THEN 100.0 * (b.v_year * 1.0 / b.v_base - 1) END
                ELSE b.v_year END AS computed_value, b.goods_partial
    FROM bilateral b JOIN claim c USING (claim_id)
),
hs_revisions(rev) AS (VALUES (0::bigint), (1), (2), (3), (4), (5), (6), (7)),   -- H0..H7 in the key
product_rows AS (   -- A's exports of the claimed HS code to B, per declaration; read by
                    -- trade_key range (source | year | annual | reporter | revision | partner),
                    -- one range per HS revision: only the pair's rows, never the reporter's
    SELECT c.claim_id, s.source, f.flow, d.level, d.code, f.value_usd,
           -- an older revision's code that shares goods with the claimed HS2022 code but also
           -- holds others (HS2017 852580 cameras and drones for HS2022 8806): an upper bound
           d.classification <> 'H6' AND EXISTS (
               SELECT 1 FROM hs_correlation o
               WHERE o.to_classification = d.classification AND o.to_code = d.code
                 AND o.from_code NOT LIKE c.product_code || '%') AS approximate
    FROM claim c   -- CROSS JOIN fixes the order: the facts are read last, by key range
    CROSS JOIN ids i
    CROSS JOIN dim_source s
    CROSS JOIN (SELECT 'X' AS flow UNION ALL SELECT 'M') w
    CROSS JOIN hs_revisions hs
    JOIN fact_trade f
      ON i.claim_id = c.claim_id AND f.trade_key BETWEEN ((s.source_id << @TR_KEY_SOURCE_SHIFT@) | ((c.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                              | ((CASE w.flow WHEN 'X' THEN i.a_id ELSE i.b_id END) << @TR_KEY_REPORTER_SHIFT@)
                              | (hs.rev << @TR_KEY_CLASS_SHIFT@)
                              | ((CASE w.flow WHEN 'X' THEN i.b_id ELSE i.a_id END) << @TR_KEY_PARTNER_SHIFT@))
                         AND ((s.source_id << @TR_KEY_SOURCE_SHIFT@) | ((c.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@)
                              | ((CASE w.flow WHEN 'X' THEN i.a_id ELSE i.b_id END) << @TR_KEY_REPORTER_SHIFT@)
                              | (hs.rev << @TR_KEY_CLASS_SHIFT@)
                              | ((CASE w.flow WHEN 'X' THEN i.b_id ELSE i.a_id END) << @TR_KEY_PARTNER_SHIFT@)
                              | ((1::bigint << @TR_KEY_PARTNER_SHIFT@) - 1))
     AND f.partner_id = CASE w.flow WHEN 'X' THEN i.b_id ELSE i.a_id END
     AND f.flow = w.flow   -- "+": read by key range, never an automatic index
    JOIN dim_product d ON d.product_id = f.product_id
    WHERE c.metric = 'product_flow' AND c.year BETWEEN @TR_KEY_YEAR_MIN@ AND @TR_KEY_YEAR_MAX@
      AND (d.code = c.product_code OR (d.level = 6 AND d.code LIKE c.product_code || '%')
           -- older revisions through the UNSD tables: HS 8806 (drones) exists from HS2022 only
           OR (d.level = 6 AND d.classification <> 'H6' AND EXISTS (
                   SELECT 1 FROM hs_correlation h
                   WHERE h.to_classification = d.classification AND h.to_code = d.code
                     AND h.from_code LIKE c.product_code || '%')))
),
product_values AS (
    SELECT c.claim_id, s.source, k.k,
           CASE WHEN s.source = 'baci' THEN c.a || '''s exports of HS ' || c.product_code || ' to ' || c.b || ', reconciled (BACI), ' || c.year
                WHEN k.k = 1 THEN c.a || '''s exports of HS ' || c.product_code || ' to ' || c.b || ' as ' || c.a || ' reports, ' || c.year
                    ELSE c.a || '''s exports of HS ' || c.product_code || ' to ' || c.b || ' as ' || c.b || ' reports (mirror), ' || c.year END
               || CASE WHEN EXISTS (SELECT 1 FROM product_rows r
                                    WHERE r.claim_id = c.claim_id AND r.source = s.source
                                      AND r.approximate
                                      AND r.flow = CASE k.k WHEN 1 THEN 'X' ELSE 'M' END)
                       THEN ', with older HS codes that also hold other goods (approximate: an '
                            || 'upper bound)' ELSE '' END
               AS definition,
           (SELECT coalesce(
                       (SELECT sum(r.value_usd) FROM product_rows r
                        WHERE r.claim_id = c.claim_id AND r.source = s.source
                          AND r.code = c.product_code
                          AND r.flow = CASE k.k WHEN 1 THEN 'X' ELSE 'M' END),
                       (SELECT sum(r.value_usd) FROM product_rows r
                        WHERE r.claim_id = c.claim_id AND r.source = s.source AND r.level = 6
                          AND r.flow = CASE k.k WHEN 1 THEN 'X' ELSE 'M' END))) AS computed_value
    FROM claim c
    JOIN ids i ON i.claim_id = c.claim_id
    CROSS JOIN dim_source s
    CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) k
    WHERE c.metric = 'product_flow'
      AND NOT (s.source = 'baci' AND k.k = 2)
      AND EXISTS (SELECT 1 FROM sum_annual t   -- the declaring side reported that year
                  WHERE t.source_id = s.source_id AND t.year = c.year
                    AND t.reporter_id = CASE WHEN k.k = 1 THEN i.a_id ELSE i.b_id END)
),
all_values AS (
    SELECT claim_id, source, definition, computed_value, goods_partial FROM bilateral_values
    UNION ALL
    SELECT claim_id, source, definition, computed_value, 0 FROM product_values
    UNION ALL   -- tariff_pref_share: sql/views/v_claim_check_tariff.sql
    SELECT claim_id, source, definition, computed_value, 0 FROM v_claim_check_tariff
    UNION ALL
    SELECT claim_id, NULL, 'not measurable from trade data', NULL, 0 FROM claim
    WHERE metric = 'not_measurable'
    UNION ALL   -- a product claim whose reporters declared nothing that year
    SELECT c.claim_id, NULL, 'exports of HS ' || c.product_code || ', ' || coalesce(c.year::text, ''), NULL,
           0
    FROM claim c
    WHERE c.metric = 'product_flow'
      AND NOT EXISTS (SELECT 1 FROM product_values v WHERE v.claim_id = c.claim_id)
),
judged AS (
    SELECT v.claim_id, v.source, v.definition, v.computed_value, c.stated_value, c.unit,
           CASE WHEN v.computed_value <> 0 AND c.stated_value IS NOT NULL
                THEN round(100.0 * (c.stated_value - v.computed_value) / v.computed_value, 2)
           END AS diff_pct,
           c.tolerance_pct,
           CASE WHEN c.metric = 'not_measurable' THEN 'not measurable'
                WHEN v.computed_value IS NULL THEN 'no data'
                WHEN c.stated_value IS NULL AND v.computed_value = 0 THEN 'no data'
                WHEN c.stated_value IS NULL THEN 'not measurable'
                WHEN v.computed_value = 0 THEN CASE WHEN c.stated_value = 0 THEN 'consistent'
                                                    ELSE 'overstated' END
                WHEN abs(100.0 * (c.stated_value - v.computed_value) / v.computed_value)
                     <= c.tolerance_pct THEN 'consistent'
                WHEN c.stated_value > v.computed_value THEN 'overstated'
                ELSE 'understated' END AS verdict,
           CASE WHEN c.metric = 'not_measurable' THEN c.why_not_measurable
                WHEN c.stated_value IS NULL AND v.computed_value IS NOT NULL
                     AND v.computed_value <> 0
                THEN 'the claim states no figure; the data show this flow'
                WHEN c.stated_value IS NULL THEN 'no flow declared'
           END AS note0,
           v.goods_partial
    FROM all_values v JOIN claim c USING (claim_id)
)
SELECT j.claim_id, j.definition, j.source,
       CASE WHEN j.unit = 'pct' THEN round(j.computed_value, 2)
            ELSE CAST(round(j.computed_value) AS bigint) END AS computed_value,
       j.stated_value, j.unit, j.diff_pct, j.verdict, j.tolerance_pct,
       CASE WHEN abs(j.diff_pct) = min(abs(j.diff_pct)) OVER (PARTITION BY j.claim_id)
            THEN 1 ELSE 0 END AS is_closest,
       CASE WHEN j.goods_partial <> 0 AND j.computed_value IS NOT NULL
            THEN coalesce(j.note0 || '; ', '') || 'partial: sums the products a file listed '
                 || '(no TOTAL row), not all goods'
            ELSE j.note0 END AS note,
       c.metric, c.a, c.b, c.year, c.base_year, c.paraphrase, c.article, c.origin,
       CASE WHEN j.computed_value IS NOT NULL THEN j.goods_partial ELSE 0 END AS goods_partial
FROM judged j JOIN claim c USING (claim_id);
