-- v_trade_hs_group: six-digit annual trade summed by concordance group, so that a series
-- compares exactly across an HS revision break. For each older revision (older_classification,
-- H0..H5) the UNSD table with HS2022 links codes into groups (hs_correlation.concordance_group,
-- named by the group's smallest HS2022 code); a fact reported in HS2022 is counted in its group
-- for every older revision, a fact reported in an older revision in its group for that one.
-- Within one older_classification each fact is counted once: the group totals of a year in
-- HS2017 and of a year in HS2022 hold the same goods. older_classification = 'chained': the
-- groups of all six tables at once (hs_correlation.chained_group), for a series that crosses
-- several revisions (HS2012, HS2017, HS2022 years side by side); facts of every revision.
--   source, year, reporter, partner, flow, older_classification, concordance_group,
--   classification (as reported), value_usd, codes (distinct codes summed)
-- Codes with no row in the table (national codes, 9999AA) are left out.
CREATE VIEW v_trade_hs_group AS
WITH grp AS (   -- each code's group per older revision, from either side of the table
    SELECT DISTINCT to_classification AS older_classification, 'H6' AS classification,
           from_code AS code, concordance_group
    FROM hs_correlation
    UNION ALL
    SELECT DISTINCT to_classification, to_classification, to_code, concordance_group
    FROM hs_correlation
    UNION ALL   -- chained: every revision at once (hs_correlation.chained_group)
    SELECT DISTINCT 'chained', 'H6', from_code, chained_group FROM hs_correlation
    UNION ALL
    SELECT DISTINCT 'chained', to_classification, to_code, chained_group FROM hs_correlation
)
SELECT s.source, f.year, r.iso3 AS reporter, p.iso3 AS partner, f.flow,
       g.older_classification, g.concordance_group, f.classification,
       sum(f.value_usd) AS value_usd, count(DISTINCT d.code) AS codes
FROM fact_trade f
JOIN dim_product d ON d.product_id = f.product_id AND d.level = 6
JOIN grp g ON g.classification = f.classification AND g.code = d.code
JOIN dim_source s ON s.source_id = f.source_id
JOIN dim_country r ON r.country_id = f.reporter_id
JOIN dim_country p ON p.country_id = f.partner_id
WHERE f.month = 0
GROUP BY s.source, f.year, r.iso3, p.iso3, f.flow, g.older_classification,
         g.concordance_group, f.classification;
