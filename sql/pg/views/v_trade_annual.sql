-- v_trade_annual: all goods, annual, one row per (source, year, reporter, partner, flow).
-- value_usd (whole US$) is the file's TOTAL row where it has one, else the sum of the finest
-- HS level present (HS6, else HS4, else HS2) — never both, so nothing is counted twice.
-- When a period was loaded in several HS revisions, the latest revision is used.
-- Breakdown rows (2nd partner, customs procedure, transport mode) live in
-- fact_trade_breakdown and are never summed here. World (W00) is a partner of its own.
-- Monthly data: summed to a year when all 12 months are present (basis 'monthly, complete');
-- otherwise the months present are summed and the row is flagged (is_partial = 1).
-- An annual row wins over monthly rows for the same key.
-- BACI rows appear with reporter = exporter, flow X.
-- goods_partial = 1 when value_usd sums the products a file listed because it has no TOTAL row
-- (a WITS HS6 extract of a few products, a reporter's file without TOTAL for that flow): it
-- may be far less than all goods. BACI files hold every product, so BACI rows are never partial.
-- The rows are kept in sum_annual, rebuilt at import (sql/refresh/1_sum_annual.sql), so a
-- query for one reporter or pair reads a few rows through the primary key.
CREATE VIEW v_trade_annual AS
SELECT s.source, a.year, r.iso3 AS reporter, p.iso3 AS partner, a.flow, a.value_usd,
       a.classification, a.level_used, a.basis, a.months, (a.months < 12)::int AS is_partial,
       r.name AS reporter_name, p.name AS partner_name, p.kind AS partner_kind,
       (a.source_id <> 1 AND a.level_used <> 'TOTAL')::int AS goods_partial
FROM sum_annual a
JOIN dim_source s ON s.source_id = a.source_id
JOIN dim_country r ON r.country_id = a.reporter_id
JOIN dim_country p ON p.country_id = a.partner_id;
