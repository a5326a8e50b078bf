-- v_country_group: the members of each country group by year, one row per (group, year,
-- member), for years 1958-2100 (filter the year you need). A country counts in every year from
-- the year it joined through left_year (NULL = still a member). group_code: EAEU, EU, BRICS,
-- SCO; iso3 compares without regard to case. Use: partner IN (SELECT iso3 FROM
-- v_country_group WHERE group_code = 'EAEU' AND year = 2022), or join on year for a series.
-- Dates (table country_group, sql/0002_countries.sql):
--   EAEU: Treaty on the Eurasian Economic Union in force 1 Jan 2015 (RUS, BLR, KAZ); Armenia
--     2 Jan 2015; Kyrgyzstan 12 Aug 2015 (eaeunion.org, "About the Union").
--   EU: accession treaties (european-union.europa.eu, "Country profiles"); Croatia 1 Jul 2013;
--     the United Kingdom left on 31 Jan 2020 and stayed in the single market through the
--     transition to 31 Dec 2020, so it counts through 2020: 27 members from 2021; the German
--     Democratic Republic (280) counts through 1990.
--   BRICS: Brazil, Russia, India, China from the first summit (2009), South Africa 2011; Egypt,
--     Ethiopia, Iran and the United Arab Emirates from 1 Jan 2024 (Johannesburg II declaration,
--     Aug 2023); Indonesia from 6 Jan 2025 (Brazil's BRICS presidency announcement).
--   SCO: founding 2001 (Uzbekistan 2001); India and Pakistan 2017; Iran 2023; Belarus 2024.
-- PostgreSQL: the years come from generate_series instead of SQLite's recursive CTE.
CREATE VIEW v_country_group AS
SELECT g.group_code, y.year::bigint AS year, c.iso3, c.name, g.joined, g.left_year
FROM country_group g
JOIN dim_country c ON c.country_id = g.country_id
JOIN generate_series(1958, 2100) AS y(year)
  ON y.year >= coalesce(g.joined, 1958) AND y.year <= coalesce(g.left_year, 2100);
