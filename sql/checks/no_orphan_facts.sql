-- No fact row belongs to a load that is not committed (failed loads commit nothing).
SELECT 'fact rows of load ' || f.load_id || ' whose status is '
       || coalesce(l.status, 'missing') AS problem
FROM (SELECT load_id FROM fact_trade UNION SELECT load_id FROM fact_trade_breakdown
      UNION SELECT load_id FROM fact_tariff) f
LEFT JOIN load_log l ON l.load_id = f.load_id
WHERE l.status IS NOT 'committed';
