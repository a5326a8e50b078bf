-- 0005: the nightly import job's own records (tradereport nightly, doc/nightly.md).
-- A run that found nothing in its inbox writes nothing here: an empty night leaves the
-- database unchanged. Each run's loads are nightly_file.load_id; their lineage (load_log,
-- load_partition, load_replacement, sum_trade_replaced) says what they brought.

-- One row per run that had files to process. Written when the run starts (finished_at and
-- exit_code NULL) and completed at its end: a row left incomplete is a run that died.
CREATE TABLE nightly_run (
    run_id          INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,              -- ISO 8601 UTC
    finished_at     TEXT,
    inbox           TEXT NOT NULL,              -- absolute paths
    archive         TEXT NOT NULL,
    quarantine      TEXT NOT NULL,
    reports_dir     TEXT,                       -- NULL without --pair
    files_ok        INTEGER NOT NULL DEFAULT 0, -- loaded and committed, moved to the archive
    files_already   INTEGER NOT NULL DEFAULT 0, -- same bytes loaded before, archived
    files_failed    INTEGER NOT NULL DEFAULT 0, -- moved to quarantine with a .reason.txt
    rows_loaded     INTEGER NOT NULL DEFAULT 0, -- over the committed files
    rows_rejected   INTEGER NOT NULL DEFAULT 0, -- over committed and quarantined files
    rows_replaced   INTEGER NOT NULL DEFAULT 0, -- earlier rows the corrected files replaced
    reports_written INTEGER NOT NULL DEFAULT 0, -- pairs whose .xlsx and .pdf were written
    exit_code       INTEGER,
    tool_version    TEXT NOT NULL
);

-- One row per inbox file a run handled, in the order handled.
-- outcome: loaded | already (same bytes as load_id) | quarantined | error (an I/O or
-- database error stopped the run; the file stayed in the inbox).
CREATE TABLE nightly_file (
    run_id      INTEGER NOT NULL REFERENCES nightly_run(run_id),
    seq         INTEGER NOT NULL,               -- 1, 2, ... in name order
    file_name   TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('loaded', 'already', 'quarantined', 'error')),
    load_id     INTEGER REFERENCES load_log(load_id),   -- NULL when no load was recorded
    destination TEXT,                           -- where the file went; NULL = still in the inbox
    message     TEXT,                           -- the error for quarantined and error files
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE INDEX nightly_file_load ON nightly_file(load_id);

-- The bilateral totals a run's corrected files moved: one row per (source, classification,
-- period, reporter, partner, flow) of a revised partition whose value changed. Values follow
-- v_trade_annual's rule (the TOTAL row, else the finest HS level present), in whole US$;
-- month 0 is an annual figure. old_usd NULL: no such row before; new_usd NULL: the corrected
-- file dropped it. The morning summary prints the largest; this table keeps them all.
CREATE TABLE nightly_change (
    run_id         INTEGER NOT NULL REFERENCES nightly_run(run_id),
    source         TEXT NOT NULL,
    classification TEXT NOT NULL,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL,
    reporter       TEXT NOT NULL,               -- ISO3 or special code, as in the views
    partner        TEXT NOT NULL,
    flow           TEXT NOT NULL,
    old_usd        INTEGER,
    new_usd        INTEGER,
    change_usd     INTEGER NOT NULL,            -- coalesce(new_usd, 0) - coalesce(old_usd, 0)
    change_pct     REAL,                        -- 100 * change_usd / old_usd (NULL: old 0 or NULL)
    load_id        INTEGER NOT NULL,            -- the load that revised it
    PRIMARY KEY (run_id, source, classification, year, month, reporter, partner, flow)
) WITHOUT ROWID;
