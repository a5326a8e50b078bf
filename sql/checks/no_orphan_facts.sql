-- No fact row belongs to a load that is not committed (failed loads commit nothing).
SELECT 'fact rows of load ' || f.load_id || ' whose status is '
       || coalesce(l.status, 'missing') AS problem
FROM (SELECT DISTINCT load_id FROM fact_trade) f
LEFT JOIN load_log l ON l.load_id = f.load_id
WHERE l.status IS NOT 'committed';
