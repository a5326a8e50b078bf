-- 0012: what `tradereport publish` sent where. The server keeps its own record of every load
-- it holds (publish_load, in the published schema); this is the store's side of the story.
-- target names host, port, database and schema, never a password.
CREATE TABLE publish_log (
    publish_id    INTEGER PRIMARY KEY,
    target        TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,            -- sha256 of the lineage the server now mirrors
    status        TEXT NOT NULL CHECK (status IN ('published', 'up to date')),
    loads_sent    INTEGER NOT NULL,
    loads_dropped INTEGER NOT NULL,
    rows_sent     INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL
);
