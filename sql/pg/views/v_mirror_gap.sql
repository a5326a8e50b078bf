-- v_mirror_gap: each declared flow beside its mirror, per source and year:
--   reporter's exports to partner (X, FOB)  vs  partner's imports from reporter (M, CIF);
--   reporter's imports from partner (M, CIF) vs  partner's exports to reporter (X, FOB).
-- ratio = import-side value / export-side value (CIF over FOB, so about 1.0-1.1 is usual:
-- freight and insurance). gap_usd = import side - export side.
-- flag: 'within CIF/FOB margin' when 0.95 <= ratio <= 1.15; 'import side higher' /
-- 'export side higher' beyond it; 'only reporter declared' / 'only partner declared' when one
-- side declared partner detail that year and the other did not (such years are kept, so gaps
-- in reporting show). A side that declared partner detail but no row for the flow counts 0.
-- Complete years only; World and flows other than X/M are left out. BACI (reconciled) has no
-- mirror and is not shown.
CREATE VIEW v_mirror_gap AS
WITH legs AS (   -- each pair row once per flow (no self-union, so a pair filter is pushed down)
    SELECT b.source, b.year, b.a AS reporter, b.b AS partner, l.flow,
           CASE l.flow WHEN 'X' THEN b.a_exports_to_b ELSE b.a_imports_from_b END AS reported_usd,
           CASE l.flow WHEN 'X' THEN b.b_imports_from_a ELSE b.b_exports_to_a END AS mirror_usd,
           CASE l.flow WHEN 'X' THEN b.a_exports_to_b ELSE b.b_exports_to_a END AS export_side_usd,
           CASE l.flow WHEN 'X' THEN b.b_imports_from_a ELSE b.a_imports_from_b END AS import_side_usd
    FROM v_bilateral_annual b
    CROSS JOIN (SELECT 'X' AS flow UNION ALL SELECT 'M') l
    WHERE b.source <> 'baci'
)
SELECT source, year, reporter, partner, flow, reported_usd, mirror_usd,
       import_side_usd - export_side_usd AS gap_usd,
       CASE WHEN export_side_usd > 0 THEN round(import_side_usd * 1.0 / export_side_usd, 4) END
           AS ratio,
       CASE WHEN reported_usd IS NULL AND mirror_usd IS NULL THEN 'neither declared'
            WHEN reported_usd IS NULL THEN 'only partner declared'
            WHEN mirror_usd IS NULL THEN 'only reporter declared'
            WHEN export_side_usd = 0 AND import_side_usd = 0 THEN 'both zero'
            WHEN export_side_usd = 0 THEN 'import side higher'
            WHEN import_side_usd * 1.0 / export_side_usd BETWEEN 0.95 AND 1.15
                THEN 'within CIF/FOB margin'
            WHEN import_side_usd > export_side_usd THEN 'import side higher'
            ELSE 'export side higher' END AS flag
FROM legs;
