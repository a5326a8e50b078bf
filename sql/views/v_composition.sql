-- v_composition: what a flow is made of, by HS section and by HS chapter, per source, year,
-- reporter, partner and flow (annual data), with the change against a 2021 baseline.
--   detail_level  the HS level the shares are built from: per flow, the coarsest level the file
--                 has (HS2 rows where present, else HS4, else HS6) — one level only, so no
--                 product is counted twice; the latest HS revision of the period.
--   value_usd     the group's value; total_usd the flow's all-goods value (v_trade_annual);
--   share_pct     100 * value / total. Where the detail does not add up to the total, the
--                 rest appears as code 'NS' ('not specified'), so shares always sum to 100.
--   baseline_*    the same group in 2021; change_usd, change_pct (value vs baseline) and
--                 change_share_pp (share minus baseline share, percentage points).
-- Read for one pair, the filter reaches sum_trade's key and the facts are read by exact
-- trade_key range; every step is used once (windows, not self-joins), so it is pushed down.
-- The country codes are binary inside and compare without regard to case only in the last
-- SELECT: with NOCASE columns inside, SQLite 3.40 did not carry a pair's filter down to the
-- facts, and one pair's composition summed every fact (33 s on 10 M rows against 5 ms);
-- tests/cli/test_views.sh counts the steps a pair's rows take.
CREATE VIEW v_composition AS
WITH pick AS (   -- one HS revision per flow (the latest), as in v_trade_annual
    SELECT t.source_id, s.source, t.year, t.reporter_id, r.iso3 AS reporter, t.partner_id,
           p.iso3 AS partner, t.flow, t.classification
    FROM sum_trade t
    JOIN dim_source s ON s.source_id = t.source_id
    JOIN dim_country r ON r.country_id = t.reporter_id
    JOIN dim_country p ON p.country_id = t.partner_id
    WHERE t.month = 0
      AND NOT EXISTS (SELECT 1 FROM sum_trade n
                      WHERE n.reporter_id = t.reporter_id AND n.partner_id = t.partner_id
                        AND n.source_id = t.source_id AND n.classification > t.classification
                        AND n.year = t.year AND n.month = 0 AND n.flow = t.flow)
),
lv AS (   -- the flow's HS2/HS4/HS6 rows by level and chapter, read by exact trade_key range
    SELECT k.source_id, k.reporter_id, k.partner_id,
           k.source, k.year, k.reporter, k.partner, k.flow, d.level, d.chapter,
           sum(f.value_usd) AS value_usd
    FROM pick k
    CROSS JOIN fact_trade f
    CROSS JOIN dim_product d
    WHERE f.trade_key BETWEEN ((k.source_id << @TR_KEY_SOURCE_SHIFT@) | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@) | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | ((substr(k.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@) | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (@TR_FLOW_ID(k.flow)@ << @TR_KEY_FLOW_SHIFT@))
                          AND ((k.source_id << @TR_KEY_SOURCE_SHIFT@) | ((k.year - @TR_KEY_YEAR_MIN@) << @TR_KEY_YEAR_SHIFT@) | (k.reporter_id << @TR_KEY_REPORTER_SHIFT@)
                               | ((substr(k.classification, 2) + 0) << @TR_KEY_CLASS_SHIFT@) | (k.partner_id << @TR_KEY_PARTNER_SHIFT@)
                               | (@TR_FLOW_ID(k.flow)@ << @TR_KEY_FLOW_SHIFT@)
                               | @TR_KEY_PRODUCT_MASK@)
      AND d.product_id = f.product_id AND d.level IN (2, 4, 6)
    GROUP BY k.source, k.year, k.reporter, k.partner, k.flow, d.level, d.chapter,
             k.source_id, k.reporter_id, k.partner_id
),
leveled AS (   -- per flow, the coarsest level present
    SELECT lv.*, ch.section,
           min(lv.level) OVER (PARTITION BY lv.source, lv.year, lv.reporter COLLATE BINARY, lv.partner COLLATE BINARY,
                               lv.flow)
               AS min_level
    FROM lv LEFT JOIN hs_chapter ch ON ch.chapter = lv.chapter
),
coded AS (   -- each chosen row once per grouping; by section, summed over its chapters
    SELECT c.source_id, c.reporter_id, c.partner_id, c.source, c.year, c.reporter, c.partner,
           c.flow, g.grouping, c.level AS detail_level,
           CASE g.grouping WHEN 'chapter' THEN c.chapter ELSE coalesce(c.section, 'NS') END AS code,
           sum(c.value_usd) OVER w AS value_usd, row_number() OVER w AS rn
    FROM leveled c
    CROSS JOIN (SELECT 'chapter' AS grouping UNION ALL SELECT 'section') g
    WHERE c.level = c.min_level
    WINDOW w AS (PARTITION BY c.source, c.year, c.reporter COLLATE BINARY, c.partner COLLATE BINARY,
                 c.flow, g.grouping,
                 CASE g.grouping WHEN 'chapter' THEN c.chapter ELSE coalesce(c.section, 'NS') END)
),
grouped AS (   -- one row per group, with the sum of the grouping's detail
    SELECT c.source_id, c.reporter_id, c.partner_id, c.source, c.year, c.reporter, c.partner,
           c.flow, c.grouping, c.code, c.detail_level, c.value_usd,
           sum(c.value_usd) OVER w AS detail_sum, row_number() OVER w AS rn_grouping
    FROM coded c
    WHERE c.rn = 1
    WINDOW w AS (PARTITION BY c.source, c.year, c.reporter COLLATE BINARY, c.partner COLLATE BINARY,
                 c.flow, c.grouping)
),
with_rest AS (   -- complete years only; the rest of the total as code 'NS' (e = 1)
    SELECT g.source, g.year, g.reporter, g.partner, g.flow, g.grouping,
           CASE e.e WHEN 0 THEN g.code ELSE 'NS' END AS code,
           CASE e.e WHEN 0 THEN g.detail_level END AS detail_level,
           CASE e.e WHEN 0 THEN g.value_usd ELSE t.value_usd - g.detail_sum END AS value_usd,
           t.value_usd AS total_usd
    FROM grouped g
    JOIN sum_annual t ON t.reporter_id = g.reporter_id AND t.partner_id = g.partner_id
                     AND t.source_id = g.source_id AND t.year = g.year AND t.flow = g.flow
    CROSS JOIN (SELECT 0 AS e UNION ALL SELECT 1) e
    WHERE t.months >= 12
      AND (e.e = 0 OR (g.rn_grouping = 1 AND t.value_usd > g.detail_sum))
),
shares AS (
    SELECT w.*, CASE WHEN total_usd > 0 THEN round(100.0 * value_usd / total_usd, 4) END AS share_pct,
           CASE grouping WHEN 'chapter' THEN (SELECT name FROM hs_chapter WHERE chapter = code)
                         ELSE (SELECT name FROM hs_section WHERE section = code) END AS name
    FROM with_rest w
),
based AS (   -- the same group in 2021 (two rows only for a section 'NS' with a rest; one
             -- output row per baseline row, as a join would give)
    SELECT s.*,
           count(*) FILTER (WHERE year = @TR_BASELINE_YEAR@) OVER b AS n_base,
           min(value_usd) FILTER (WHERE year = @TR_BASELINE_YEAR@) OVER b AS base_v1,
           max(value_usd) FILTER (WHERE year = @TR_BASELINE_YEAR@) OVER b AS base_v2,
           min(share_pct) FILTER (WHERE year = @TR_BASELINE_YEAR@) OVER b AS base_s1,
           max(share_pct) FILTER (WHERE year = @TR_BASELINE_YEAR@) OVER b AS base_s2
    FROM shares s
    WINDOW b AS (PARTITION BY source, reporter COLLATE BINARY, partner COLLATE BINARY, flow, grouping,
                       code)
),
paired AS (
    SELECT c.*, CASE k.k WHEN 1 THEN c.base_v1 ELSE c.base_v2 END AS baseline_usd,
           CASE k.k WHEN 1 THEN c.base_s1 ELSE c.base_s2 END AS baseline_share_pct
    FROM based c CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) k
    WHERE k.k = 1 OR c.n_base = 2
)
SELECT c.source, c.year, c.reporter COLLATE NOCASE AS reporter,
       c.partner COLLATE NOCASE AS partner, c.flow, c.grouping, c.code,
       coalesce(c.name, 'not specified') AS name, c.detail_level, c.value_usd, c.total_usd,
       c.share_pct, @TR_BASELINE_YEAR@ AS baseline_year, c.baseline_usd,
       c.baseline_share_pct, c.value_usd - c.baseline_usd AS change_usd,
       CASE WHEN c.baseline_usd > 0 THEN round(100.0 * (c.value_usd * 1.0 / c.baseline_usd - 1), 4) END
           AS change_pct,
       round(c.share_pct - c.baseline_share_pct, 4) AS change_share_pp
FROM paired c;
