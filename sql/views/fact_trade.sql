-- fact_trade: every trade fact with its natural key decoded from trade_key (see
-- sql/0007_fact_table.sql and include/tr/factkey.h). One row per (source, classification,
-- period, reporter, partner, flow, product); breakdown rows are in fact_trade_breakdown, so
-- nothing here is counted twice. value_usd is whole US$ whatever the source's unit.
-- Select by trade_key ranges (a partition, a reporter's year) to read only those rows.
CREATE VIEW fact_trade AS
SELECT trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id,
       (trade_key >> 59) & 7 AS source_id,
       ((trade_key >> 51) & 255) + 1900 AS year,
       (trade_key >> 47) & 15 AS month,                  -- 0 = annual
       (trade_key >> 37) & 1023 AS reporter_id,
       'H' || ((trade_key >> 34) & 7) AS classification,
       (trade_key >> 24) & 1023 AS partner_id,
       CASE (trade_key >> 20) & 15 WHEN 1 THEN 'X' WHEN 2 THEN 'M'
           WHEN 3 THEN 'RX' WHEN 4 THEN 'RM' WHEN 5 THEN 'XIP' WHEN 6 THEN 'XOP'
           WHEN 7 THEN 'MIP' WHEN 8 THEN 'MOP' WHEN 9 THEN 'DX' WHEN 10 THEN 'FM'
       END AS flow,
       trade_key & 1048575 AS product_id
FROM fact_trade_packed;
