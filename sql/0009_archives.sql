-- 0009: loads that came out of a delivery archive (.zip, .gz). load_log keeps, as for every
-- load, the sha256 and byte count of the data itself (the uncompressed member), so the same
-- data delivered loose, gzipped or zipped is one load; this table says which archive (its
-- name, sha256 and size) and which member of it a load was read from. Loose files have no row.
CREATE TABLE load_archive (
    load_id        INTEGER PRIMARY KEY REFERENCES load_log(load_id),
    archive_name   TEXT NOT NULL,          -- the archive's file name, e.g. BACI_HS17_V202401b.zip
    archive_sha256 TEXT NOT NULL,
    archive_bytes  INTEGER NOT NULL,
    member_name    TEXT NOT NULL           -- the member's name inside the archive
);
