-- Rebuilds sum_annual for the partitions in temp.refresh_key(source_id, year, reporter_id).
-- The rule (v_trade_annual): per period the latest HS revision, its TOTAL row else the sum of
-- the finest level present; an annual row wins; else the months, flagged when fewer than 12.

-- by the (source_id, year, reporter_id) index, not a test of every row of the table
DELETE FROM sum_annual
WHERE (source_id, year, reporter_id) IN (SELECT source_id, year, reporter_id
                                         FROM temp.refresh_key);

-- The HS revisions in each refreshed partition. Most partitions hold one, and their rows need
-- no latest-revision test; elsewhere the test seeks each later revision's row of the same
-- period by full key, instead of grouping (a sort) or scanning all later rows of the pair.
CREATE TEMP TABLE IF NOT EXISTS refresh_revision (
    source_id INTEGER, year INTEGER, reporter_id INTEGER, classification TEXT,
    PRIMARY KEY (source_id, year, reporter_id, classification)
) WITHOUT ROWID;
DELETE FROM temp.refresh_revision;
INSERT INTO temp.refresh_revision
SELECT DISTINCT k.source_id, k.year, k.reporter_id, s.classification
FROM temp.refresh_key k
CROSS JOIN sum_trade s ON s.reporter_id = k.reporter_id AND +s.source_id = k.source_id
                      AND +s.year = k.year;   -- CROSS JOIN: the few keys drive, not sum_trade
-- (+: source_id and year only filter, so each key seeks sum_trade's primary key by its
-- reporter; by the (source_id, year) index it read every reporter's rows of the year, once
-- per key: 1.2 s of a 10 M-row import)

-- each period's row of the latest revision (no later revision of its partition has a row for
-- the same partner, month and flow), with its value at the level used
CREATE TEMP VIEW IF NOT EXISTS refresh_period AS
SELECT s.reporter_id, s.partner_id, s.source_id, s.year, s.month, s.flow, s.classification,
       coalesce(s.total_usd, s.sum6_usd, s.sum4_usd, s.sum2_usd) AS value_usd,
       CASE WHEN s.total_usd IS NOT NULL THEN 'TOTAL'
            WHEN s.sum6_usd IS NOT NULL THEN 'HS6'
            WHEN s.sum4_usd IS NOT NULL THEN 'HS4'
            ELSE 'HS2' END AS level_used
FROM (SELECT source_id, year, reporter_id, count(*) AS revisions
      FROM temp.refresh_revision GROUP BY source_id, year, reporter_id) k
CROSS JOIN sum_trade s ON s.reporter_id = k.reporter_id AND +s.source_id = k.source_id
                      AND +s.year = k.year
WHERE k.revisions = 1
   OR NOT EXISTS (SELECT 1 FROM temp.refresh_revision r
                  CROSS JOIN sum_trade n ON n.reporter_id = s.reporter_id
                                        AND n.partner_id = s.partner_id
                                        AND n.source_id = s.source_id
                                        AND n.classification = r.classification
                                        AND n.year = s.year AND n.month = s.month
                                        AND n.flow = s.flow
                  WHERE r.source_id = s.source_id AND r.year = s.year
                    AND r.reporter_id = s.reporter_id AND r.classification > s.classification);

INSERT INTO sum_annual (reporter_id, partner_id, source_id, year, flow, value_usd,
                        classification, level_used, basis, months)
SELECT reporter_id, partner_id, source_id, year, flow, value_usd, classification, level_used,
       'annual', 12
FROM temp.refresh_period
WHERE month = 0 AND value_usd IS NOT NULL;

-- the months, where no annual row was just written; a partition without monthly rows costs
-- only the scan of its rows
INSERT INTO sum_annual (reporter_id, partner_id, source_id, year, flow, value_usd,
                        classification, level_used, basis, months)
SELECT reporter_id, partner_id, source_id, year, flow, sum(value_usd), max(classification),
       min(level_used),
       CASE WHEN count(*) = 12 THEN 'monthly, complete' ELSE 'monthly, partial' END, count(*)
FROM temp.refresh_period m
WHERE month > 0 AND value_usd IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM sum_annual a
                  WHERE a.reporter_id = m.reporter_id AND a.partner_id = m.partner_id
                    AND a.source_id = m.source_id AND a.year = m.year AND a.flow = m.flow)
GROUP BY reporter_id, partner_id, source_id, year, flow;
