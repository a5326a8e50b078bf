-- 0006: summary tables the views read, so a pair's series never scans the facts.
-- Both are rebuilt at import, inside the file's transaction, for the (source, year, reporter)
-- partitions the file touched, and in full after a schema upgrade (src/summary.c runs
-- sql/refresh/*.sql).

-- v_trade_annual's rows: all goods, annual, one row per (source, year, reporter, partner,
-- flow) — the TOTAL row else the finest HS level, latest revision; months summed when all 12
-- are present, else flagged partial (months < 12).
CREATE TABLE sum_annual (
    reporter_id    INTEGER NOT NULL,
    partner_id     INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    flow           TEXT NOT NULL,
    value_usd      INTEGER NOT NULL,
    classification TEXT NOT NULL,
    level_used     TEXT NOT NULL,          -- TOTAL, HS6, HS4, HS2
    basis          TEXT NOT NULL,          -- annual | monthly, complete | monthly, partial
    months         INTEGER NOT NULL,
    PRIMARY KEY (reporter_id, partner_id, source_id, year, flow)
) WITHOUT ROWID;
CREATE INDEX sum_annual_source_year ON sum_annual(source_id, year, reporter_id);
CREATE INDEX sum_annual_partner ON sum_annual(partner_id, reporter_id);

-- v_bilateral_annual's rows: every pair in both orientations with both declarations
-- (NULL where a side declared no partner detail that year).
CREATE TABLE sum_bilateral (
    a_id             INTEGER NOT NULL,
    b_id             INTEGER NOT NULL,
    source_id        INTEGER NOT NULL,
    year             INTEGER NOT NULL,
    a_reported       INTEGER NOT NULL,     -- A declared partner detail that year
    b_reported       INTEGER NOT NULL,
    a_exports_to_b   INTEGER,
    a_imports_from_b INTEGER,
    b_exports_to_a   INTEGER,
    b_imports_from_a INTEGER,
    PRIMARY KEY (a_id, b_id, source_id, year)
) WITHOUT ROWID;
CREATE INDEX sum_bilateral_source_year ON sum_bilateral(source_id, year);
