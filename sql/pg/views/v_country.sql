-- v_country: every ISO3-style code a country or area answers to, one row per (code, entity,
-- years), with the code the other views show for it (iso3). code and iso3 compare without
-- regard to case. World is W00 in the views and answers to W00 and WLD here, so a filter
-- written with any code someone types is: partner IN (SELECT iso3 FROM v_country WHERE
-- code = 'wld'). code_from..code_to: the years the code means this entity (a code reused
-- after a split, such as DEU or SDN, has two rows); kind: country | area_nes | world | group.
CREATE VIEW v_country AS
SELECT k.code AS code, c.iso3 AS iso3, c.name, c.kind,
       k.valid_from AS code_from, k.valid_to AS code_to
FROM country_code k
JOIN dim_country c ON c.country_id = k.country_id
WHERE k.system = 'iso3'
UNION ALL   -- an entity without an 'iso3' code row still answers to its own code
SELECT c.iso3, c.iso3, c.name, c.kind, 0, 9999
FROM dim_country c
WHERE NOT EXISTS (SELECT 1 FROM country_code k
                  WHERE k.system = 'iso3' AND k.country_id = c.country_id AND k.code = c.iso3);
