-- 0013: the facts summed over partners, kept at import, so that questions about whole years
-- (world trade by chapter or section, every exporter's products) read a few rows per
-- reporter instead of every fact: v_trade_product and v_trade_chapter read them.
-- Kept in step with fact_trade like sum_trade: the import adds what a file brings
-- (src/load/partnersums.c, counted while parsing); where a load replaced or removed facts,
-- and after a schema upgrade, they are rebuilt from the facts (sql/refresh/3, 4).
-- sql/checks/partner_sums_match.sql proves them equal to the facts.

-- one row per (source, year, reporter, month, flow, product): v_trade summed over partners
CREATE TABLE sum_product (
    source_id         INTEGER NOT NULL,
    year              INTEGER NOT NULL,
    reporter_id       INTEGER NOT NULL,
    month             INTEGER NOT NULL,
    flow              TEXT NOT NULL,
    product_id        INTEGER NOT NULL,     -- its HS revision is the product's
    value_usd         INTEGER NOT NULL,
    facts             INTEGER NOT NULL,     -- facts summed (partners, World rows included)
    net_wgt_kg        REAL NOT NULL,        -- over the facts that reported a weight
    facts_with_weight INTEGER NOT NULL,     -- 0: no weight reported (the views show NULL)
    PRIMARY KEY (source_id, year, reporter_id, month, flow, product_id)
) WITHOUT ROWID;

-- one row per (source, year, reporter, month, revision, flow, level, chapter): the products of
-- one chapter at one level summed ('' = no chapter: TOTAL and special codes)
CREATE TABLE sum_chapter (
    source_id         INTEGER NOT NULL,
    year              INTEGER NOT NULL,
    reporter_id       INTEGER NOT NULL,
    month             INTEGER NOT NULL,
    classification    TEXT NOT NULL,
    flow              TEXT NOT NULL,
    level             INTEGER NOT NULL,     -- dim_product.level: 0 TOTAL, 2, 4, 6, 9 special
    chapter           TEXT NOT NULL,
    value_usd         INTEGER NOT NULL,
    facts             INTEGER NOT NULL,
    net_wgt_kg        REAL NOT NULL,
    facts_with_weight INTEGER NOT NULL,
    PRIMARY KEY (source_id, year, reporter_id, month, classification, flow, level, chapter)
) WITHOUT ROWID;

-- The years a fact key can hold (include/tr/factkey.h). The views over the two tables above
-- step through them per source, so that a filter on a year, or on a reporter without one,
-- seeks each year's rows by the tables' keys instead of reading all of them.
CREATE TABLE key_year (year INTEGER PRIMARY KEY);
WITH RECURSIVE y(year) AS (SELECT @TR_KEY_YEAR_MIN@
                           UNION ALL SELECT year + 1 FROM y WHERE year < @TR_KEY_YEAR_MAX@)
INSERT INTO key_year SELECT year FROM y;
