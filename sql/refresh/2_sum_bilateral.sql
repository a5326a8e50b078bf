-- Rebuilds sum_bilateral for every pair touching a partition in temp.refresh_key.
-- A side "reported" when it declared partner detail that year: a complete X or M row with a
-- partner other than World (BACI: the country appears as exporter or importer). A side that
-- reported but has no row for the other traded 0 (unless a replacement withdrew that flow:
-- trade_withdrawn); a side that did not report is NULL.
-- BACI is one reconciled figure per flow: A's imports from B are B's exports to A.

-- the rows where a refreshed country is A, then where it is B: each by an index and only in
-- the years refreshed, instead of a test of every row of the table
DELETE FROM sum_bilateral
WHERE (a_id, source_id, year) IN (SELECT reporter_id, source_id, year FROM temp.refresh_key);
DELETE FROM sum_bilateral
WHERE (source_id, year) IN (SELECT source_id, year FROM temp.refresh_key)
  AND (b_id, source_id, year) IN (SELECT reporter_id, source_id, year FROM temp.refresh_key);

-- the declarations that count: complete years, flows X and M, partners other than World
CREATE TEMP VIEW IF NOT EXISTS refresh_decl AS
SELECT s.* FROM sum_annual s
JOIN dim_country p ON p.country_id = s.partner_id AND p.kind <> 'world'
JOIN dim_country r ON r.country_id = s.reporter_id AND r.kind <> 'world'
WHERE s.months = 12 AND s.flow IN ('X', 'M');

-- Who reported in each refreshed year: asked once per country, by index, not once per pair.
-- Countries in no pair do no harm: the insert below only looks up those in a pair.
CREATE TEMP TABLE IF NOT EXISTS refresh_reporting (
    source_id INTEGER, year INTEGER, country_id INTEGER,
    PRIMARY KEY (country_id, source_id, year)
);
DELETE FROM temp.refresh_reporting;
INSERT INTO temp.refresh_reporting
SELECT y.source_id, y.year, c.country_id
FROM (SELECT DISTINCT source_id, year FROM temp.refresh_key) y
CROSS JOIN dim_country c
WHERE EXISTS (SELECT 1 FROM sum_annual s INDEXED BY sum_annual_source_year   -- exact, not all
              JOIN dim_country p ON p.country_id = s.partner_id   -- of c's rows in all years
                                AND p.kind <> 'world'
              WHERE s.source_id = y.source_id AND s.year = y.year
                AND s.reporter_id = c.country_id AND c.kind <> 'world'
                AND s.months = 12 AND s.flow IN ('X', 'M'))
   OR (y.source_id = 1   -- BACI: importers report through exporters
       AND EXISTS (SELECT 1 FROM temp.refresh_decl d   -- by the partner index (+: not a scan
                   WHERE d.partner_id = c.country_id   -- of the year's rows)
                     AND +d.source_id = y.source_id AND +d.year = y.year));

-- Every pair where a refreshed country declared or was declared as partner, with its four
-- declarations found in one grouped pass instead of four lookups per pair; grouped once per
-- unordered pair (lo, hi), which halves the sort, then written in both orientations.
INSERT INTO sum_bilateral (a_id, b_id, source_id, year, a_reported, b_reported,
                           a_exports_to_b, a_imports_from_b, b_exports_to_a, b_imports_from_a)
WITH touching AS (   -- each declaration once: by its reporter, else by its partner
    SELECT d.source_id, d.year, d.reporter_id, d.partner_id, d.flow, d.value_usd
    FROM temp.refresh_key k
    CROSS JOIN temp.refresh_decl d ON d.source_id = k.source_id AND d.year = k.year
                                  AND d.reporter_id = k.reporter_id
    UNION ALL
    -- Others' declarations about a refreshed country, by the partner index (+ keeps the
    -- planner off the (source, year) index, a scan of the year for each key). Its entry i
    -- tells whether the reporter was refreshed too, so those rows, taken above, are skipped
    -- before the row itself is read.
    SELECT d.source_id, d.year, d.reporter_id, d.partner_id, d.flow, d.value_usd
    FROM temp.refresh_key k
    CROSS JOIN sum_annual i ON i.partner_id = k.reporter_id
                           AND +i.source_id = k.source_id AND +i.year = k.year
    CROSS JOIN temp.refresh_decl d ON d.reporter_id = i.reporter_id
                                  AND d.partner_id = i.partner_id
                                  AND d.source_id = i.source_id AND d.year = i.year
                                  AND d.flow = i.flow
    WHERE NOT EXISTS (SELECT 1 FROM temp.refresh_key o WHERE o.source_id = i.source_id
                      AND o.year = i.year AND o.reporter_id = i.reporter_id)
),
pair AS (   -- a pair has at most one declaration per side and flow: max() just picks it
    SELECT source_id, year, min(reporter_id, partner_id) AS lo, max(reporter_id, partner_id) AS hi,
           max(CASE WHEN reporter_id <= partner_id AND flow = 'X' THEN value_usd END) AS lo_x,
           max(CASE WHEN reporter_id <= partner_id AND flow = 'M' THEN value_usd END) AS lo_m,
           max(CASE WHEN reporter_id >= partner_id AND flow = 'X' THEN value_usd END) AS hi_x,
           max(CASE WHEN reporter_id >= partner_id AND flow = 'M' THEN value_usd END) AS hi_m
    FROM touching
    GROUP BY source_id, year, lo, hi
),
oriented AS (   -- a country's declarations about itself make one row, as before
    SELECT source_id, year, lo AS a_id, hi AS b_id, lo_x AS ax, lo_m AS am, hi_x AS bx,
           hi_m AS bm
    FROM pair
    UNION ALL
    SELECT source_id, year, hi, lo, hi_x, hi_m, lo_x, lo_m FROM pair WHERE hi <> lo
),
cells AS (   -- w..: the declaration was withdrawn by a replacement (trade_withdrawn)
    SELECT p.*, ra.country_id IS NOT NULL AS ra, rb.country_id IS NOT NULL AS rb,
           EXISTS (SELECT 1 FROM trade_withdrawn w WHERE w.source_id = p.source_id
                   AND w.year = p.year AND w.reporter_id = p.a_id AND w.partner_id = p.b_id
                   AND w.flow = 'X') AS wax,
           EXISTS (SELECT 1 FROM trade_withdrawn w WHERE w.source_id = p.source_id
                   AND w.year = p.year AND w.reporter_id = p.a_id AND w.partner_id = p.b_id
                   AND w.flow = 'M') AS wam,
           EXISTS (SELECT 1 FROM trade_withdrawn w WHERE w.source_id = p.source_id
                   AND w.year = p.year AND w.reporter_id = p.b_id AND w.partner_id = p.a_id
                   AND w.flow = 'X') AS wbx,
           EXISTS (SELECT 1 FROM trade_withdrawn w WHERE w.source_id = p.source_id
                   AND w.year = p.year AND w.reporter_id = p.b_id AND w.partner_id = p.a_id
                   AND w.flow = 'M') AS wbm
    FROM oriented p
    LEFT JOIN temp.refresh_reporting ra ON ra.country_id = p.a_id
                                       AND ra.source_id = p.source_id AND ra.year = p.year
    LEFT JOIN temp.refresh_reporting rb ON rb.country_id = p.b_id
                                       AND rb.source_id = p.source_id AND rb.year = p.year
),
-- A reporting side with no row for a flow traded 0, unless a replacement took that flow's
-- rows away: then it is not reported (NULL), never a confident 0.
filled AS (
    SELECT a_id, b_id, source_id, year, ra, rb,
           CASE WHEN ax IS NOT NULL OR NOT wax THEN coalesce(ax, 0) END AS ax0,
           CASE WHEN am IS NOT NULL OR NOT wam THEN coalesce(am, 0) END AS am0,
           CASE WHEN bx IS NOT NULL OR NOT wbx THEN coalesce(bx, 0) END AS bx0,
           CASE WHEN bm IS NOT NULL OR NOT wbm THEN coalesce(bm, 0) END AS bm0
    FROM cells
)
SELECT a_id, b_id, source_id, year, ra, rb,
       CASE WHEN ra THEN ax0 END,
       CASE WHEN ra THEN CASE WHEN source_id = 1 THEN bx0 ELSE am0 END END,
       CASE WHEN rb THEN bx0 END,
       CASE WHEN rb THEN CASE WHEN source_id = 1 THEN ax0 ELSE bm0 END END
FROM filled;
