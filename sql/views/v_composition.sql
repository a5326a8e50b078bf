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
CREATE VIEW v_composition AS
WITH pick AS (   -- one HS revision per flow, as in v_trade_annual
    SELECT source_id, year, reporter_id, partner_id, flow, max(classification) AS classification
    FROM sum_trade
    WHERE month = 0
    GROUP BY source_id, year, reporter_id, partner_id, flow
),
lv AS (
    SELECT f.source_id, f.year, f.reporter_id, f.partner_id, f.flow, d.level, d.chapter,
           sum(f.value_usd) AS value_usd
    FROM fact_trade f
    JOIN pick k ON k.source_id = f.source_id AND k.year = f.year AND k.reporter_id = f.reporter_id
               AND k.partner_id = f.partner_id AND k.flow = f.flow
               AND k.classification = f.classification
    JOIN dim_product d ON d.product_id = f.product_id
    WHERE f.month = 0 AND d.level IN (2, 4, 6)
    GROUP BY f.source_id, f.year, f.reporter_id, f.partner_id, f.flow, d.level, d.chapter
),
chosen AS (
    SELECT lv.* FROM lv
    WHERE lv.level = (SELECT min(x.level) FROM lv x
                      WHERE x.source_id = lv.source_id AND x.year = lv.year
                        AND x.reporter_id = lv.reporter_id AND x.partner_id = lv.partner_id
                        AND x.flow = lv.flow)
),
named AS (
    SELECT s.source, c.year, r.iso3 AS reporter, p.iso3 AS partner, c.flow, c.level,
           c.chapter, ch.section, c.value_usd
    FROM chosen c
    JOIN dim_source s ON s.source_id = c.source_id
    JOIN dim_country r ON r.country_id = c.reporter_id
    JOIN dim_country p ON p.country_id = c.partner_id
    LEFT JOIN hs_chapter ch ON ch.chapter = c.chapter
),
grouped AS (
    SELECT source, year, reporter, partner, flow, 'chapter' AS grouping, chapter AS code,
           max(level) AS detail_level, sum(value_usd) AS value_usd
    FROM named GROUP BY source, year, reporter, partner, flow, chapter
    UNION ALL
    SELECT source, year, reporter, partner, flow, 'section', coalesce(section, 'NS'),
           max(level), sum(value_usd)
    FROM named GROUP BY source, year, reporter, partner, flow, coalesce(section, 'NS')
),
with_rest AS (
    SELECT g.*, t.value_usd AS total_usd FROM grouped g
    JOIN v_trade_annual t ON t.source = g.source AND t.year = g.year AND t.reporter = g.reporter
                         AND t.partner = g.partner AND t.flow = g.flow AND t.is_partial = 0
    UNION ALL
    SELECT t.source, t.year, t.reporter, t.partner, t.flow, gr.grouping, 'NS',
           NULL, t.value_usd - gr.detail_sum, t.value_usd
    FROM v_trade_annual t
    JOIN (SELECT source, year, reporter, partner, flow, grouping, sum(value_usd) AS detail_sum
          FROM grouped GROUP BY source, year, reporter, partner, flow, grouping) gr
      ON gr.source = t.source AND gr.year = t.year AND gr.reporter = t.reporter
     AND gr.partner = t.partner AND gr.flow = t.flow
    WHERE t.is_partial = 0 AND t.value_usd > gr.detail_sum
),
shares AS (
    SELECT w.*, CASE WHEN total_usd > 0 THEN round(100.0 * value_usd / total_usd, 4) END AS share_pct,
           CASE grouping WHEN 'chapter' THEN (SELECT name FROM hs_chapter WHERE chapter = code)
                         ELSE (SELECT name FROM hs_section WHERE section = code) END AS name
    FROM with_rest w
)
SELECT c.source, c.year, c.reporter, c.partner, c.flow, c.grouping, c.code,
       coalesce(c.name, 'not specified') AS name, c.detail_level, c.value_usd, c.total_usd,
       c.share_pct, 2021 AS baseline_year, b.value_usd AS baseline_usd,
       b.share_pct AS baseline_share_pct, c.value_usd - b.value_usd AS change_usd,
       CASE WHEN b.value_usd > 0 THEN round(100.0 * (c.value_usd * 1.0 / b.value_usd - 1), 4) END
           AS change_pct,
       round(c.share_pct - b.share_pct, 4) AS change_share_pp
FROM shares c
LEFT JOIN shares b ON b.source = c.source AND b.year = 2021 AND b.reporter = c.reporter
                  AND b.partner = c.partner AND b.flow = c.flow AND b.grouping = c.grouping
                  AND b.code = c.code;
