-- 0004: tariffs from WITS/TRAINS bulk files (AVEMFN, AVEPref, Pref; REFERENCE.md §4). One row
-- per importer, year, duty type, partner and HS6 product, with every figure the file gives, so
-- that any average can be recomputed (sum_rates / n_valid_lines) and weighted differently.
-- Rates are percent ad valorem. AHS (effectively applied: the lower of PRF and MFN) is computed
-- in views, never stored.
--
-- dataset      the file variant. AVEMFN and AVEPref include ad-valorem equivalents (AVEs) of
--              specific and compound duties (n_ave_lines, est_code); Pref averages only the lines
--              that have an ad-valorem rate. AVEPref and Pref may both hold the same importer and
--              year: a view uses one of them (AVEPref first), never both.
-- duty_type    MFN (AVEMFN) or PRF (AVEPref, Pref).
-- nomenclature the HS revision of the product codes (WITS NomenCode, H0..H6) = the product's
--              dim_product.classification.
-- partner_code PRF: the Partner field exactly as given, a country's numeric code ('364') or a
--              group or scheme code ('EAEU'); MFN: NULL (the rate applies to every partner).
-- partner_id   the country partner_code names when it names one country (kind 'country');
--              NULL for groups, schemes and MFN. Groups expand through tariff_partner_group.
-- rates        NULL where the file gave NA or nothing. A row whose NA lines equal its lines has
--              no ad-valorem data (e.g. a specific duty without an AVE): its rates are always
--              NULL, never 0 %, whatever the file wrote.
-- line counts  as the variant gives them, NULL where it has no such column:
--              n_lines TotalNoOfLines, n_na_lines Nbr_NA_Lines (all variants);
--              n_valid_lines TotalNoOfValidLines, n_free_lines, n_dutiable_lines, n_ave_lines
--              (AVEMFN, AVEPref); n_pref_lines, n_mfn_lines (Pref).
-- Replacement: a file replaces the rows earlier loads brought for each (importer, year, duty
-- type and variant, nomenclature) it holds. load_partition records these partitions with
-- source_id 3 and classification '<nomenclature>/<tag>': 'H6/MFNA' AVEMFN, 'H6/PRFA' AVEPref,
-- 'H6/PRF' Pref (A = with AVEs), so they never meet each other or WITS trade partitions ('H6').
CREATE TABLE fact_tariff (
    tariff_id        INTEGER PRIMARY KEY,
    source_id        INTEGER NOT NULL REFERENCES dim_source(source_id),
    dataset          TEXT NOT NULL CHECK (dataset IN ('AVEMFN', 'AVEPref', 'Pref')),
    duty_type        TEXT NOT NULL CHECK (duty_type IN ('MFN', 'PRF')),
    nomenclature     TEXT NOT NULL,
    year             INTEGER NOT NULL,
    importer_id      INTEGER NOT NULL REFERENCES dim_country(country_id),
    partner_code     TEXT,
    partner_id       INTEGER REFERENCES dim_country(country_id),
    product_id       INTEGER NOT NULL REFERENCES dim_product(product_id),
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
    load_id          INTEGER NOT NULL REFERENCES load_log(load_id),
    CHECK ((dataset = 'AVEMFN') = (duty_type = 'MFN')),
    CHECK ((duty_type = 'MFN') = (partner_code IS NULL)),
    CHECK (partner_id IS NULL OR partner_code IS NOT NULL)
);
-- The natural key; its first columns are the replacement partition.
CREATE UNIQUE INDEX fact_tariff_key ON fact_tariff (importer_id, year, duty_type, nomenclature,
    dataset, source_id, product_id, ifnull(partner_code, ''));
CREATE INDEX fact_tariff_load ON fact_tariff (load_id);
CREATE INDEX fact_tariff_product ON fact_tariff (product_id);

-- The countries behind a group or scheme code as tariff files write it in Partner (the code
-- exactly as in fact_tariff.partner_code), with the years each belongs (NULL = open-ended).
-- Seeded from country_group: 'EAEU' and '918' (WITS's numeric code for the EU). A preference
-- scheme is added with INSERT INTO tariff_partner_group. Rows per beneficiary country:
--   SELECT t.*, coalesce(t.partner_id, g.country_id) AS beneficiary_id
--   FROM fact_tariff t
--   LEFT JOIN tariff_partner_group g
--     ON t.partner_id IS NULL AND g.group_code = t.partner_code
--    AND t.year >= coalesce(g.joined, 0) AND t.year <= coalesce(g.left_year, 9999)
--   WHERE t.duty_type = 'PRF';
CREATE TABLE tariff_partner_group (
    group_code TEXT NOT NULL,
    country_id INTEGER NOT NULL REFERENCES dim_country(country_id),
    joined     INTEGER,
    left_year  INTEGER,
    PRIMARY KEY (group_code, country_id)
) WITHOUT ROWID;

INSERT INTO tariff_partner_group (group_code, country_id, joined, left_year)
SELECT 'EAEU', country_id, joined, left_year FROM country_group WHERE group_code = 'EAEU';
INSERT INTO tariff_partner_group (group_code, country_id, joined, left_year)
SELECT '918', country_id, joined, left_year FROM country_group WHERE group_code = 'EU';
