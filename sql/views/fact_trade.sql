-- fact_trade: every trade fact with its natural key decoded from trade_key (see
-- sql/0007_fact_table.sql; the layout's numbers come from include/tr/factkey.h at build time). One row per (source, classification,
-- period, reporter, partner, flow, product); breakdown rows are in fact_trade_breakdown, so
-- nothing here is counted twice. value_usd is whole US$ whatever the source's unit.
-- Select by trade_key ranges (a partition, a reporter's year) to read only those rows.
CREATE VIEW fact_trade AS
SELECT trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id,
       (trade_key >> @TR_KEY_SOURCE_SHIFT@) & @TR_KEY_SOURCE_MASK@ AS source_id,
       ((trade_key >> @TR_KEY_YEAR_SHIFT@) & @TR_KEY_YEAR_MASK@) + @TR_KEY_YEAR_MIN@ AS year,
       (trade_key >> @TR_KEY_MONTH_SHIFT@) & @TR_KEY_MONTH_MASK@ AS month,   -- 0 = annual
       (trade_key >> @TR_KEY_REPORTER_SHIFT@) & @TR_KEY_COUNTRY_MASK@ AS reporter_id,
       'H' || ((trade_key >> @TR_KEY_CLASS_SHIFT@) & @TR_KEY_CLASS_MASK@) AS classification,
       (trade_key >> @TR_KEY_PARTNER_SHIFT@) & @TR_KEY_COUNTRY_MASK@ AS partner_id,
       @TR_FLOW_NAME((trade_key >> @TR_KEY_FLOW_SHIFT@) & @TR_KEY_FLOW_MASK@)@ AS flow,
       trade_key & @TR_KEY_PRODUCT_MASK@ AS product_id
FROM fact_trade_packed;
