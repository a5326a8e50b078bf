-- v_hs_concordance: how a six-digit code of one HS revision reads in another, through the UNSD
-- correlation tables (hs_correlation; revisions H0 = HS1992 ... H6 = HS2022).
--   from_classification, from_code, to_classification, to_code: the codes share goods
--   relationship   as UNSD states it for the pair ('1:1', 'n:1', '1:n', 'n:n'); 'chained'
--                  between two older revisions, which the tables link through HS2022
--   match          'exact': every good of from_code is in to_code (from_code has no other
--                  to_code), so its value carries over unchanged; 'approximate': from_code
--                  also holds goods of other to_codes, so counting it in full under to_code
--                  is an upper bound
--   concordance_group  the connected set of codes of the two revisions (codes linked directly
--                  or through other codes), named by its smallest HS2022 code: totals over a
--                  group compare exactly across the break (v_trade_hs_group). NULL for chained
--                  pairs (their groups are not computed).
--   via            NULL, or 'H6' for a chained pair
-- Same revision: no row (a code is itself). Filter on from_classification and from_code.
CREATE VIEW v_hs_concordance AS
SELECT c.to_classification AS from_classification, c.to_code AS from_code,
       c.from_classification AS to_classification, c.from_code AS to_code, c.relationship,
       CASE WHEN (SELECT count(*) FROM hs_correlation o
                  WHERE o.to_classification = c.to_classification AND o.to_code = c.to_code) = 1
            THEN 'exact' ELSE 'approximate' END AS match,
       c.concordance_group, NULL AS via
FROM hs_correlation c
UNION ALL
SELECT c.from_classification, c.from_code, c.to_classification, c.to_code, c.relationship,
       CASE WHEN (SELECT count(*) FROM hs_correlation o
                  WHERE o.from_classification = c.from_classification
                    AND o.from_code = c.from_code
                    AND o.to_classification = c.to_classification) = 1
            THEN 'exact' ELSE 'approximate' END,
       c.concordance_group, NULL
FROM hs_correlation c
UNION ALL
SELECT DISTINCT a.to_classification, a.to_code, b.to_classification, b.to_code, 'chained',
       -- CROSS JOIN keeps a2 first: its few rows by code, then b2 by key (SQLite's own
       -- choice, b2 by revision first, read every row of a revision for each pair)
       CASE WHEN EXISTS (SELECT 1 FROM hs_correlation a2
                         CROSS JOIN hs_correlation b2 ON b2.from_classification = a2.from_classification
                                               AND b2.from_code = a2.from_code
                                               AND b2.to_classification = b.to_classification
                         WHERE a2.to_classification = a.to_classification
                           AND a2.to_code = a.to_code AND b2.to_code <> b.to_code)
            THEN 'approximate' ELSE 'exact' END,
       NULL, 'H6'
FROM hs_correlation a
JOIN hs_correlation b ON b.from_classification = a.from_classification
                     AND b.from_code = a.from_code
                     AND b.to_classification <> a.to_classification;
