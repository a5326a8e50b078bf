-- 0011: the HS 2022 nomenclature and the UNSD correlation tables HS2022 <-> HS2017 ... HS1992,
-- so that any revision's data can be read in another one through the published tables (views
-- v_hs_concordance, v_trade_hs_group, v_product_description, v_basket_flows).
-- Only the tables here, empty: the rows are compiled into the binary from data/hs/*.csv
-- (tools/hs_compile.c) and written by src/store/hs_reference.c, at import for the codes the
-- data holds, or all of them by `tradereport reference load` (doc/hs_revisions.md): a new
-- database stays as small and quick to create as before.

-- The hand-made HS2017 -> HS2022 rows gave way to hs_correlation: they counted 854810 (mostly
-- waste batteries, now 8549) into 854800 and missed 854149.
DROP TABLE IF EXISTS hs_conversion;

-- HS2022 codes at 2, 4 and 6 digits (and the file's one TOTAL row, level 5), as shipped.
CREATE TABLE hs_nomenclature (
    classification TEXT NOT NULL,          -- 'H6'
    code           TEXT NOT NULL,          -- '85', '8548', '854800', 'TOTAL'
    level          INTEGER NOT NULL,       -- 2, 4, 6 (5 for TOTAL)
    parent         TEXT NOT NULL,          -- the code one level up; 'TOTAL' for chapters
    section        TEXT NOT NULL,          -- Roman numeral I..XXI
    description    TEXT NOT NULL,
    PRIMARY KEY (classification, code)
) WITHOUT ROWID;

-- The 21 sections with their full names (hs_section keeps the shortened ones reports print).
CREATE TABLE hs_nomenclature_section (
    section TEXT PRIMARY KEY,              -- Roman numeral I..XXI
    name    TEXT NOT NULL
) WITHOUT ROWID;

-- One row per pair of six-digit codes that share goods, each UNSD file as shipped: HS2022
-- ('H6') is always `from`, the older revision (H0..H5) `to`. relationship as UNSD states it:
-- '1:1'; 'n:1' (several HS2022 codes come from one older code: the older code also holds
-- goods of other HS2022 codes); '1:n' (one HS2022 code gathers several older codes); 'n:n'.
-- concordance_group: the connected set of codes of the two revisions that this pair belongs
-- to (codes linked directly or through other codes), named by its smallest HS2022 code,
-- computed over the whole file at build time. Totals over a group compare exactly across the
-- break; totals over one code may not. chained_group: the same over all six tables at once
-- (codes of every revision linked through HS2022), for a series that crosses several
-- revisions (HS2012 -> HS2017 -> HS2022); larger than concordance_group, never smaller.
CREATE TABLE hs_correlation (
    from_classification TEXT NOT NULL,
    from_code           TEXT NOT NULL,
    to_classification   TEXT NOT NULL,
    to_code             TEXT NOT NULL,
    relationship        TEXT NOT NULL CHECK (relationship IN ('1:1', 'n:1', '1:n', 'n:n')),
    concordance_group   TEXT NOT NULL,
    chained_group       TEXT NOT NULL,
    PRIMARY KEY (from_classification, from_code, to_classification, to_code)
) WITHOUT ROWID;
-- older code -> its HS2022 codes: how older data reaches an HS2022 list
CREATE INDEX hs_correlation_to ON hs_correlation (to_classification, to_code);

-- The codes (revision, six-digit code) whose every correlation row is in hs_correlation, and
-- (for HS2022 codes) whose nomenclature rows are in: what the loader does not look up again.
-- After `tradereport reference load`, meta 'hs_reference_all' says every row is in.
CREATE TABLE hs_reference_code (
    classification TEXT NOT NULL,
    code           TEXT NOT NULL,
    PRIMARY KEY (classification, code)
) WITHOUT ROWID;
