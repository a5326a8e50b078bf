-- Rebuilds sum_bilateral for every pair touching a partition in temp.refresh_key.
-- A side "reported" when it declared partner detail that year: a complete X or M row with a
-- partner other than World (BACI: the country appears as exporter or importer). A side that
-- reported but has no row for the other traded 0; a side that did not report is NULL.
-- BACI is one reconciled figure per flow: A's imports from B are B's exports to A.
CREATE TEMP TABLE IF NOT EXISTS refresh_pair (
    source_id INTEGER, year INTEGER, a_id INTEGER, b_id INTEGER,
    PRIMARY KEY (a_id, b_id, source_id, year)
);
DELETE FROM temp.refresh_pair;
CREATE TEMP TABLE IF NOT EXISTS refresh_reporting (
    source_id INTEGER, year INTEGER, country_id INTEGER,
    PRIMARY KEY (country_id, source_id, year)
);
DELETE FROM temp.refresh_reporting;

DELETE FROM sum_bilateral
WHERE EXISTS (SELECT 1 FROM temp.refresh_key k
              WHERE k.source_id = sum_bilateral.source_id AND k.year = sum_bilateral.year
                AND (k.reporter_id = sum_bilateral.a_id OR k.reporter_id = sum_bilateral.b_id));

-- the declarations that count: complete years, flows X and M, partners other than World
CREATE TEMP VIEW IF NOT EXISTS refresh_decl AS
SELECT s.* FROM sum_annual s
JOIN dim_country p ON p.country_id = s.partner_id AND p.kind <> 'world'
JOIN dim_country r ON r.country_id = s.reporter_id AND r.kind <> 'world'
WHERE s.months = 12 AND s.flow IN ('X', 'M');

-- pairs where a refreshed country declared, and where others declared it as their partner
INSERT OR IGNORE INTO temp.refresh_pair
SELECT d.source_id, d.year, d.reporter_id, d.partner_id
FROM temp.refresh_key k
JOIN temp.refresh_decl d ON d.source_id = k.source_id AND d.year = k.year
                        AND d.reporter_id = k.reporter_id;
INSERT OR IGNORE INTO temp.refresh_pair
SELECT d.source_id, d.year, d.reporter_id, d.partner_id
FROM temp.refresh_key k
JOIN temp.refresh_decl d ON d.partner_id = k.reporter_id AND d.source_id = k.source_id
                        AND d.year = k.year;
INSERT OR IGNORE INTO temp.refresh_pair
SELECT source_id, year, b_id, a_id FROM temp.refresh_pair;

INSERT OR IGNORE INTO temp.refresh_reporting
SELECT DISTINCT p.source_id, p.year, p.a_id FROM temp.refresh_pair p
WHERE EXISTS (SELECT 1 FROM temp.refresh_decl d WHERE d.source_id = p.source_id
              AND d.year = p.year AND d.reporter_id = p.a_id)
   OR (p.source_id = 1   -- BACI: importers report through exporters
       AND EXISTS (SELECT 1 FROM temp.refresh_decl d WHERE d.partner_id = p.a_id
                   AND d.source_id = p.source_id AND d.year = p.year));

INSERT INTO sum_bilateral (a_id, b_id, source_id, year, a_reported, b_reported,
                           a_exports_to_b, a_imports_from_b, b_exports_to_a, b_imports_from_a)
WITH cells AS (
    SELECT p.*,
           EXISTS (SELECT 1 FROM temp.refresh_reporting r WHERE r.country_id = p.a_id
                   AND r.source_id = p.source_id AND r.year = p.year) AS ra,
           EXISTS (SELECT 1 FROM temp.refresh_reporting r WHERE r.country_id = p.b_id
                   AND r.source_id = p.source_id AND r.year = p.year) AS rb,
           (SELECT value_usd FROM sum_annual x WHERE x.reporter_id = p.a_id
              AND x.partner_id = p.b_id AND x.source_id = p.source_id AND x.year = p.year
              AND x.flow = 'X' AND x.months = 12) AS ax,
           (SELECT value_usd FROM sum_annual x WHERE x.reporter_id = p.a_id
              AND x.partner_id = p.b_id AND x.source_id = p.source_id AND x.year = p.year
              AND x.flow = 'M' AND x.months = 12) AS am,
           (SELECT value_usd FROM sum_annual x WHERE x.reporter_id = p.b_id
              AND x.partner_id = p.a_id AND x.source_id = p.source_id AND x.year = p.year
              AND x.flow = 'X' AND x.months = 12) AS bx,
           (SELECT value_usd FROM sum_annual x WHERE x.reporter_id = p.b_id
              AND x.partner_id = p.a_id AND x.source_id = p.source_id AND x.year = p.year
              AND x.flow = 'M' AND x.months = 12) AS bm
    FROM temp.refresh_pair p
)
SELECT a_id, b_id, source_id, year, ra, rb,
       CASE WHEN ra THEN coalesce(ax, 0) END,
       CASE WHEN ra THEN coalesce(CASE WHEN source_id = 1 THEN bx ELSE am END, 0) END,
       CASE WHEN rb THEN coalesce(bx, 0) END,
       CASE WHEN rb THEN coalesce(CASE WHEN source_id = 1 THEN ax ELSE bm END, 0) END
FROM cells;
