-- 0001: the star schema. Facts reference small integer dimension keys; lineage on every row.
-- Countries keep one id per entity (1..1023, packed into fact keys); every coding system's
-- codes map to it through country_code, with validity years where entities changed.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per input file, written in the same transaction as its facts.
-- status: committed | failed | superseded (a corrected file replaced all of its rows).
CREATE TABLE load_log (
    load_id        INTEGER PRIMARY KEY,
    source         TEXT NOT NULL,          -- baci | comtrade | wits | reference
    format         TEXT NOT NULL,          -- importer name, e.g. baci, baci-countries
    path           TEXT NOT NULL,          -- as given on the command line
    file_name      TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    encoding       TEXT NOT NULL DEFAULT 'utf-8',   -- utf-8 | latin-1 (converted)
    classification TEXT,                   -- H0..H6 where known
    data_year      INTEGER,                -- from the file name where it carries one
    release        TEXT,                   -- e.g. V202401b
    rows_read      INTEGER NOT NULL DEFAULT 0,
    rows_loaded    INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    rows_replaced  INTEGER NOT NULL DEFAULT 0,   -- older rows this file replaced
    status         TEXT NOT NULL CHECK (status IN ('committed', 'failed', 'superseded')),
    message        TEXT,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    tool_version   TEXT NOT NULL,
    CHECK (rows_read = rows_loaded + rows_rejected)
);
CREATE INDEX load_log_sha ON load_log(sha256, status);

CREATE TABLE load_reject (
    load_id     INTEGER NOT NULL REFERENCES load_log(load_id),
    line        INTEGER NOT NULL,          -- 1-based physical line where the record starts
    byte_offset INTEGER NOT NULL,
    column_name TEXT,                      -- NULL for whole-row errors
    error_type  TEXT NOT NULL,             -- BAD_NUMBER, UNKNOWN_CODE, FIELD_COUNT, ...
    raw_line    TEXT NOT NULL,             -- the record as read (first 4096 bytes, UTF-8)
    message     TEXT NOT NULL
);
CREATE INDEX load_reject_load ON load_reject(load_id, line);

-- Which (source, classification, year, month, reporter) partitions a load brought in.
-- A later file for the same partition replaces those rows (guarantee 2).
CREATE TABLE load_partition (
    load_id        INTEGER NOT NULL REFERENCES load_log(load_id),
    source_id      INTEGER NOT NULL,
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL,       -- 0 = annual
    reporter_id    INTEGER NOT NULL,
    rows           INTEGER NOT NULL,
    PRIMARY KEY (source_id, classification, year, month, reporter_id, load_id)
) WITHOUT ROWID;
CREATE INDEX load_partition_load ON load_partition(load_id);

-- What a corrected file replaced: one row per partition it took over from an earlier load,
-- with the earlier load's summary rows kept in sum_trade_replaced, so revisions can be
-- reported (old vs new totals) long after the old facts are gone.
CREATE TABLE load_replacement (
    load_id          INTEGER NOT NULL REFERENCES load_log(load_id),
    replaced_load_id INTEGER NOT NULL REFERENCES load_log(load_id),
    source_id        INTEGER NOT NULL,
    classification   TEXT NOT NULL,
    year             INTEGER NOT NULL,
    month            INTEGER NOT NULL,
    reporter_id      INTEGER NOT NULL,
    old_rows         INTEGER NOT NULL,
    PRIMARY KEY (load_id, source_id, classification, year, month, reporter_id, replaced_load_id)
) WITHOUT ROWID;

CREATE TABLE dim_source (
    source_id INTEGER PRIMARY KEY,
    source    TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL,
    value_basis TEXT NOT NULL              -- how values are valued
);
INSERT INTO dim_source VALUES
    (1, 'baci', 'CEPII BACI (reconciled mirror data)', 'FOB, reconciled'),
    (2, 'comtrade', 'UN Comtrade (as reported)', 'imports CIF, exports FOB'),
    (3, 'wits', 'World Bank WITS trade', 'imports CIF, exports FOB');

-- kind: country | area_nes (S19, E19 …) | world | group (EU, EAEU …)
CREATE TABLE dim_country (
    country_id INTEGER PRIMARY KEY CHECK (country_id BETWEEN 1 AND 1023),
    iso3       TEXT NOT NULL UNIQUE,       -- ISO 3166 alpha-3 or the special code (W00, S19, EU2)
    iso2       TEXT,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('country', 'area_nes', 'world', 'group')),
    valid_from INTEGER,                    -- first year the entity exists (NULL = always)
    valid_to   INTEGER                     -- last year (NULL = still)
);

-- system: comtrade (numeric, also BACI) | m49 | iso3 | baci | wits (numeric, 918 = EU)
CREATE TABLE country_code (
    system     TEXT NOT NULL,
    code       TEXT NOT NULL,
    country_id INTEGER NOT NULL REFERENCES dim_country(country_id),
    valid_from INTEGER NOT NULL DEFAULT 0,    -- years; the code means this entity in this range
    valid_to   INTEGER NOT NULL DEFAULT 9999,
    PRIMARY KEY (system, code, valid_from)
) WITHOUT ROWID;

CREATE TABLE country_group (
    group_code TEXT NOT NULL,              -- EAEU, BRICS, EU, ...
    country_id INTEGER NOT NULL REFERENCES dim_country(country_id),
    joined     INTEGER,                    -- year
    left_year  INTEGER,
    PRIMARY KEY (group_code, country_id)
) WITHOUT ROWID;

-- Products: HS codes with their revision (H0..H6), checked by form, not by a list.
-- level: 0 = TOTAL, 2/4/6 = HS digits, 9 = special (e.g. 9999AA).
CREATE TABLE dim_product (
    product_id     INTEGER PRIMARY KEY CHECK (product_id BETWEEN 1 AND 1048575),
    classification TEXT NOT NULL,
    code           TEXT NOT NULL,
    level          INTEGER NOT NULL,
    chapter        TEXT,                   -- first two digits, NULL for TOTAL/special
    description    TEXT,
    UNIQUE (classification, code)
);

CREATE TABLE hs_section (
    section TEXT PRIMARY KEY,              -- Roman numeral I..XXI
    ordinal INTEGER NOT NULL,
    name    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE hs_chapter (
    chapter TEXT PRIMARY KEY,              -- '01'..'97'
    section TEXT NOT NULL REFERENCES hs_section(section),
    name    TEXT NOT NULL
) WITHOUT ROWID;

-- Trade facts, one row per (source, classification, period, reporter, partner, flow, product).
-- trade_key packs that natural key (see include/tr/factkey.h) so rows arrive in key order for
-- sorted files, uniqueness costs nothing extra, and a partition is one key range. The key's
-- parts read as ordinary columns (virtual generated columns: no storage).
-- Breakdown rows (2nd partner, customs procedure, mode of transport other than the totals)
-- go to fact_trade_breakdown, so nothing here is ever counted twice.
CREATE TABLE fact_trade (
    trade_key      INTEGER PRIMARY KEY,
    value_usd      INTEGER NOT NULL,       -- whole US$ (BACI thousands converted)
    net_wgt_kg     REAL,                   -- NULL = not reported (BACI's tons stored as kg)
    qty            REAL,                   -- NULL = not reported
    qty_unit       TEXT,
    cif_usd        INTEGER,                -- only where the file gives CIF/FOB apart
    fob_usd        INTEGER,
    flags          INTEGER NOT NULL DEFAULT 0,  -- 1 qty estimated, 2 weight estimated
    load_id        INTEGER NOT NULL,
    -- the natural key, decoded from trade_key (computed on read, not stored)
    source_id      INTEGER GENERATED ALWAYS AS ((trade_key >> 59) & 7) VIRTUAL,
    year           INTEGER GENERATED ALWAYS AS (((trade_key >> 51) & 255) + 1900) VIRTUAL,
    month          INTEGER GENERATED ALWAYS AS ((trade_key >> 47) & 15) VIRTUAL,  -- 0 = annual
    reporter_id    INTEGER GENERATED ALWAYS AS ((trade_key >> 37) & 1023) VIRTUAL,
    classification TEXT GENERATED ALWAYS AS ('H' || ((trade_key >> 34) & 7)) VIRTUAL,
    partner_id     INTEGER GENERATED ALWAYS AS ((trade_key >> 24) & 1023) VIRTUAL,
    flow           TEXT GENERATED ALWAYS AS (
                       CASE (trade_key >> 20) & 15 WHEN 1 THEN 'X' WHEN 2 THEN 'M'
                           WHEN 3 THEN 'RX' WHEN 4 THEN 'RM' WHEN 5 THEN 'XIP' WHEN 6 THEN 'XOP'
                           WHEN 7 THEN 'MIP' WHEN 8 THEN 'MOP' WHEN 9 THEN 'DX' WHEN 10 THEN 'FM'
                       END) VIRTUAL,
    product_id     INTEGER GENERATED ALWAYS AS (trade_key & 1048575) VIRTUAL
);

-- Rows broken down by 2nd partner, customs procedure or mode of transport (Comtrade's
-- "plus" breakdowns). Kept for lineage and ad-hoc use; no view sums them with fact_trade.
CREATE TABLE fact_trade_breakdown (
    source_id      INTEGER NOT NULL,
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    reporter_id    INTEGER NOT NULL,
    partner_id     INTEGER NOT NULL,
    partner2_id    INTEGER,
    customs_code   TEXT,
    mot_code       TEXT,
    flow           TEXT NOT NULL,
    product_id     INTEGER NOT NULL,
    value_usd      INTEGER NOT NULL,
    net_wgt_kg     REAL,
    qty            REAL,
    qty_unit       TEXT,
    load_id        INTEGER NOT NULL
);
CREATE INDEX fact_trade_breakdown_load ON fact_trade_breakdown(load_id);

-- Yearly/monthly totals per (source, classification, period, reporter, partner, flow),
-- maintained at import in the same transaction, so pair queries never scan fact_trade.
-- total_usd is the file's TOTAL row; sum6/4/2 the sums of HS6/HS4/HS2 rows.
CREATE TABLE sum_trade (
    reporter_id    INTEGER NOT NULL,
    partner_id     INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    flow           TEXT NOT NULL,
    total_usd      INTEGER,
    sum6_usd       INTEGER,
    sum4_usd       INTEGER,
    sum2_usd       INTEGER,
    n_rows         INTEGER NOT NULL,
    PRIMARY KEY (reporter_id, partner_id, source_id, classification, year, month, flow)
) WITHOUT ROWID;
CREATE INDEX sum_trade_partner ON sum_trade(partner_id, reporter_id);

-- sum_trade rows as they were before a corrected file replaced their partition.
CREATE TABLE sum_trade_replaced (
    load_id        INTEGER NOT NULL,       -- the load that replaced them
    reporter_id    INTEGER NOT NULL,
    partner_id     INTEGER NOT NULL,
    source_id      INTEGER NOT NULL,
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    flow           TEXT NOT NULL,
    total_usd      INTEGER,
    sum6_usd       INTEGER,
    sum4_usd       INTEGER,
    sum2_usd       INTEGER,
    n_rows         INTEGER NOT NULL
);
CREATE INDEX sum_trade_replaced_load ON sum_trade_replaced(load_id);
