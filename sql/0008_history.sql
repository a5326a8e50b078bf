-- 0008: replacement by what a file brings, releases in order, and undo.
-- A load that replaces earlier rows moves them here instead of deleting them, tagged with the
-- load that replaced them (replaced_by), so `tradereport unload` can put them back exactly.
-- The rows keep their own load_id: lineage survives the round trip.
CREATE TABLE fact_trade_history (
    replaced_by    INTEGER NOT NULL,       -- the load whose file replaced these rows
    trade_key      INTEGER NOT NULL,       -- as in fact_trade_packed
    value_usd      INTEGER NOT NULL,
    net_wgt_kg     REAL,
    qty            REAL,
    qty_unit       TEXT,
    cif_usd        INTEGER,
    fob_usd        INTEGER,
    flags          INTEGER NOT NULL DEFAULT 0,
    load_id        INTEGER NOT NULL,       -- the load that brought them
    PRIMARY KEY (replaced_by, trade_key)
) WITHOUT ROWID;
CREATE INDEX fact_trade_history_load ON fact_trade_history(load_id);

CREATE TABLE fact_trade_breakdown_history (
    replaced_by    INTEGER NOT NULL,
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
-- A replacement finds an extract's breakdown rows by this index, not by a scan of the table.
CREATE INDEX fact_trade_breakdown_unit ON fact_trade_breakdown(source_id, year, month,
    reporter_id, classification, partner_id, flow);
CREATE INDEX fact_trade_breakdown_history_by ON fact_trade_breakdown_history(replaced_by);
CREATE INDEX fact_trade_breakdown_history_load ON fact_trade_breakdown_history(load_id);

-- Tariff rows a newer schedule replaced (same columns as fact_tariff).
CREATE TABLE fact_tariff_history (
    replaced_by      INTEGER NOT NULL,
    tariff_id        INTEGER NOT NULL,
    source_id        INTEGER NOT NULL,
    dataset          TEXT NOT NULL,
    duty_type        TEXT NOT NULL,
    nomenclature     TEXT NOT NULL,
    year             INTEGER NOT NULL,
    importer_id      INTEGER NOT NULL,
    partner_code     TEXT,
    partner_id       INTEGER,
    product_id       INTEGER NOT NULL,
    simple_avg       REAL,
    min_rate         REAL,
    max_rate         REAL,
    sum_rates        REAL,
    n_lines          INTEGER,
    n_valid_lines    INTEGER,
    n_free_lines     INTEGER,
    n_dutiable_lines INTEGER,
    n_na_lines       INTEGER,
    n_ave_lines      INTEGER,
    n_pref_lines     INTEGER,
    n_mfn_lines      INTEGER,
    est_code         TEXT,
    load_id          INTEGER NOT NULL
);
CREATE INDEX fact_tariff_history_by ON fact_tariff_history(replaced_by);
CREATE INDEX fact_tariff_history_load ON fact_tariff_history(load_id);

-- The US$ a replacement took away, beside the rows (NULL for tariff partitions).
ALTER TABLE load_replacement ADD COLUMN old_value_usd INTEGER;

-- A (source, year, reporter, partner, flow) whose every row a replacement took away and
-- brought none back: read as not reported (NULL) by the views, never as a traded 0. Removed
-- with the load that caused it (unload) and ignored once rows exist again.
CREATE TABLE trade_withdrawn (
    source_id      INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    reporter_id    INTEGER NOT NULL,
    partner_id     INTEGER NOT NULL,
    flow           TEXT NOT NULL,
    load_id        INTEGER NOT NULL,       -- the replacing load
    PRIMARY KEY (source_id, year, reporter_id, partner_id, flow, load_id)
) WITHOUT ROWID;
CREATE INDEX trade_withdrawn_load ON trade_withdrawn(load_id);

-- Loads taken back with `tradereport unload`: their facts removed, the rows they had replaced
-- restored. The load_log row stays (status 'superseded'), so lineage keeps the whole story.
CREATE TABLE load_unload (
    load_id        INTEGER PRIMARY KEY REFERENCES load_log(load_id),
    unloaded_at    TEXT NOT NULL,
    rows_removed   INTEGER NOT NULL,
    rows_restored  INTEGER NOT NULL,
    tool_version   TEXT NOT NULL
);
