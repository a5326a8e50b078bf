-- The economists' query set (../shared/QUERIES.md, the project's copy: doc/cookbook.md) as
-- `make bench` runs it on generated BACI HS17 files (tools/bench_gen.c with the HS2017 codes of
-- the UNSD table), on tradereport's database and on DuckDB over the same CSV files. The set's
-- text, but for one code: HS2022 880730 has no HS2017 code of that number, so the dual-use list
-- asks for its HS2017 predecessor 880330; Q7 breaks ties by reporter, so that both sides cut
-- the same 25 rows; Q4 and Q9, about all partners of whole years, ask v_trade_chapter and
-- v_trade_product (tradereport: sums kept at import; DuckDB: views that sum its v_trade table
-- when the query runs, so DuckDB answers from every fact as the set's text asks).
-- One query per "-- Qn" block.
-- Q1 Russia's suppliers: the 15 largest exporters to Russia in each year 2019–2023
SELECT year, reporter, v FROM (
  SELECT year, reporter, SUM(value_usd) AS v,
         row_number() OVER (PARTITION BY year ORDER BY SUM(value_usd) DESC) AS r
  FROM v_trade WHERE source = 'baci' AND partner = 'RUS' AND year BETWEEN 2019 AND 2023
  GROUP BY year, reporter) WHERE r <= 15 ORDER BY year, v DESC;

-- Q2 The 20 HS6 products with the largest exports to Russia in 2023, with 2021 beside them
SELECT product, SUM(CASE WHEN year = 2023 THEN value_usd END) AS v2023,
       SUM(CASE WHEN year = 2021 THEN value_usd END) AS v2021
FROM v_trade WHERE source = 'baci' AND partner = 'RUS' AND year IN (2021, 2023)
GROUP BY product ORDER BY v2023 DESC LIMIT 20;

-- Q3 Who ships processors (HS 854231) to Russia, by exporter and year
SELECT year, reporter, SUM(value_usd) AS v FROM v_trade
WHERE source = 'baci' AND partner = 'RUS' AND product = '854231'
GROUP BY year, reporter ORDER BY year, v DESC;

-- Q4 World trade by HS section and year
SELECT year, section, SUM(value_usd) AS v FROM v_trade_chapter WHERE source = 'baci'
GROUP BY year, section ORDER BY year, section;

-- Q5 China's exports of a list of dual-use codes to Kazakhstan, Kyrgyzstan and Armenia, by year
SELECT year, partner, SUM(value_usd) AS v FROM v_trade
WHERE source = 'baci' AND reporter = 'CHN' AND partner IN ('KAZ', 'KGZ', 'ARM')
  AND product IN ('854231', '854232', '854239', '851762', '852691', '847150', '880330')
GROUP BY year, partner ORDER BY year, partner;

-- Q6 Iran's exports to each EAEU member by HS chapter, 2021–2023
SELECT year, partner, chapter, SUM(value_usd) AS v FROM v_trade
WHERE source = 'baci' AND reporter = 'IRN' AND partner IN ('ARM', 'BLR', 'KAZ', 'KGZ', 'RUS')
  AND year BETWEEN 2021 AND 2023
GROUP BY year, partner, chapter ORDER BY year, partner, v DESC;

-- Q7 Exports to Russia, change 2021 → 2023 by exporter, largest rise first
SELECT reporter, SUM(CASE WHEN year = 2023 THEN value_usd ELSE 0 END)
              - SUM(CASE WHEN year = 2021 THEN value_usd ELSE 0 END) AS change
FROM v_trade WHERE source = 'baci' AND partner = 'RUS' AND year IN (2021, 2023)
GROUP BY reporter ORDER BY change DESC, reporter LIMIT 25;

-- Q8 How many distinct HS6 products each exporter ships to Iran, per year
SELECT year, reporter, COUNT(DISTINCT product) AS n FROM v_trade
WHERE source = 'baci' AND partner = 'IRN' GROUP BY year, reporter ORDER BY year, n DESC;

-- Q9 Concentration: share of each exporter's 10 largest products in its 2022 exports to all
WITH p AS (SELECT reporter, product, SUM(value_usd) AS v FROM v_trade_product
           WHERE source = 'baci' AND year = 2022 GROUP BY reporter, product),
     r AS (SELECT reporter, v, row_number() OVER (PARTITION BY reporter ORDER BY v DESC) AS k FROM p)
SELECT reporter, 1.0 * SUM(CASE WHEN k <= 10 THEN v END) / SUM(v) AS top10_share
FROM r GROUP BY reporter ORDER BY top10_share DESC;

-- Q10 Unit values: value per kg of passenger cars (HS 870323) exported to Russia, by exporter, 2023
SELECT reporter, SUM(value_usd) / SUM(net_wgt_kg) AS usd_per_kg, SUM(value_usd) AS v
FROM v_trade WHERE source = 'baci' AND partner = 'RUS' AND product = '870323' AND year = 2023
  AND net_wgt_kg > 0 GROUP BY reporter ORDER BY v DESC;
