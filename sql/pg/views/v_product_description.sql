-- v_product_description: a description for every product code met in the data (dim_product)
-- and every HS2022 code, with where it comes from:
--   description_source  'source file' (a BACI product file, or the trade file's own text);
--                       'HS2022 nomenclature' (an HS2022 code, hs_nomenclature);
--                       'HS2022 <code> (correlated, exact|approximate)': an older revision's
--                       code described by its closest HS2022 successor through the UNSD table
--                       (1:1, then 1:n, n:1, n:n; the same heading; the smallest code) —
--                       'approximate' when the older code also held goods of other codes.
--   classification, code, level, description
CREATE VIEW v_product_description AS
WITH succ AS (
    SELECT c.to_classification AS classification, c.to_code AS code, c.from_code AS h6,
           count(*) OVER (PARTITION BY c.to_classification, c.to_code) AS targets,
           row_number() OVER (
               PARTITION BY c.to_classification, c.to_code
               ORDER BY CASE c.relationship WHEN '1:1' THEN 0 WHEN '1:n' THEN 1
                                            WHEN 'n:1' THEN 2 ELSE 3 END,
                        substr(c.from_code, 1, 4) <> substr(c.to_code, 1, 4), c.from_code)
               AS rank
    FROM hs_correlation c
),
codes AS (
    SELECT classification, code, level, description FROM dim_product
    UNION
    SELECT classification, code, level, NULL FROM hs_nomenclature
    WHERE (classification, code) NOT IN (SELECT classification, code FROM dim_product)
)
SELECT k.classification, k.code, k.level,
       coalesce(k.description, n.description, sn.description) AS description,
       CASE WHEN k.description IS NOT NULL THEN 'source file'
            WHEN n.description IS NOT NULL THEN 'HS2022 nomenclature'
            WHEN sn.description IS NOT NULL
            THEN 'HS2022 ' || s.h6 || ' (correlated, '
                 || CASE WHEN s.targets = 1 THEN 'exact' ELSE 'approximate' END || ')'
       END AS description_source
FROM codes k
LEFT JOIN hs_nomenclature n ON n.classification = k.classification AND n.code = k.code
LEFT JOIN succ s ON s.classification = k.classification AND s.code = k.code AND s.rank = 1
LEFT JOIN hs_nomenclature sn ON sn.classification = 'H6' AND sn.code = s.h6;
