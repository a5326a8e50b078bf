-- 0009: access paths for ad-hoc analysis through v_trade and the other named views.
-- IF NOT EXISTS throughout: the migration may be renumbered and run after others that create
-- the same access paths; it adds nothing twice.
-- Codes compare case-insensitively in the views (their country columns are COLLATE NOCASE):
-- this index lets a filter such as partner = 'rus' find the country without a scan (unique:
-- one country per code whatever its case, which also tells the planner to start there).
CREATE UNIQUE INDEX IF NOT EXISTS dim_country_iso3_nocase ON dim_country(iso3 COLLATE NOCASE);
-- A filter on a product code finds its ids (one per HS revision) without a scan; v_trade then
-- reads each fact by its exact key instead of a pair's whole key range.
CREATE INDEX IF NOT EXISTS dim_product_code ON dim_product(code);
-- A filter on a chapter finds its products the same way.
CREATE INDEX IF NOT EXISTS dim_product_chapter ON dim_product(chapter, level);
-- sum_trade has one row per contiguous key range of the facts (source..flow); v_trade drives
-- from it. Filters on a year or a source alone find their rows here, not by a scan.
CREATE INDEX IF NOT EXISTS sum_trade_period ON sum_trade(source_id, year, month);
-- A filter on a partner (with or without source and years) finds its rows here.
CREATE INDEX IF NOT EXISTS sum_trade_partner_period ON sum_trade(partner_id, source_id, year);
