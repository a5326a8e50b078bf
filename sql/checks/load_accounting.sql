-- Every committed load's partitions hold exactly the rows the load says it brought:
-- rows in fact_trade + fact_trade_breakdown + fact_tariff per load equal the sum of its
-- load_partition rows.
WITH facts AS (
    SELECT load_id, sum(n) AS n FROM (
        SELECT load_id, count(*) AS n FROM fact_trade GROUP BY load_id
        UNION ALL
        SELECT load_id, count(*) FROM fact_trade_breakdown GROUP BY load_id
        UNION ALL
        SELECT load_id, count(*) FROM fact_tariff GROUP BY load_id)
    GROUP BY load_id
),
parts AS (
    SELECT load_id, sum(rows) AS rows FROM load_partition GROUP BY load_id
)
SELECT 'load ' || coalesce(p.load_id, f.load_id) || ': load_partition says '
       || coalesce(p.rows, 0) || ' rows, facts hold ' || coalesce(f.n, 0) AS problem
FROM parts p LEFT JOIN facts f USING (load_id)
WHERE coalesce(f.n, 0) <> p.rows
UNION ALL
SELECT 'load ' || f.load_id || ': ' || f.n || ' fact rows but no partition recorded'
FROM facts f WHERE NOT EXISTS (SELECT 1 FROM parts p WHERE p.load_id = f.load_id);
