-- Every committed load's partitions hold exactly the rows the load says it brought:
-- rows in fact_trade + fact_trade_breakdown per load equal the sum of its load_partition rows.
SELECT 'load ' || p.load_id || ': load_partition says ' || p.rows || ' rows, facts hold '
       || (SELECT count(*) FROM fact_trade f WHERE f.load_id = p.load_id)
        + (SELECT count(*) FROM fact_trade_breakdown b WHERE b.load_id = p.load_id) AS problem
FROM (SELECT load_id, sum(rows) AS rows FROM load_partition GROUP BY load_id) p
WHERE p.rows <> (SELECT count(*) FROM fact_trade f WHERE f.load_id = p.load_id)
              + (SELECT count(*) FROM fact_trade_breakdown b WHERE b.load_id = p.load_id);
