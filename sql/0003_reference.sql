-- 0003: reference data that ships in every new database: HS sections and chapters, the
-- Common High Priority List basket, the HS2017 -> HS2022 conversion for that basket, and the
-- headline claims about Russia-Iran trade that `tradereport claims` checks.
-- Hand-written. Names of HS sections/chapters are shortened from the HS2022 nomenclature.

-- ---------------------------------------------------------------------------------------------
-- HS sections (I..XXI) and chapters ('01'..'97'; 77 is reserved; 98/99 are for national use and
-- not part of the HS).
-- ---------------------------------------------------------------------------------------------
INSERT INTO hs_section (section, ordinal, name) VALUES
    ('I', 1, 'Live animals; animal products'),
    ('II', 2, 'Vegetable products'),
    ('III', 3, 'Animal, vegetable or microbial fats and oils; prepared edible fats; waxes'),
    ('IV', 4, 'Prepared foodstuffs; beverages, spirits and vinegar; tobacco and nicotine products'),
    ('V', 5, 'Mineral products'),
    ('VI', 6, 'Products of the chemical or allied industries'),
    ('VII', 7, 'Plastics and articles thereof; rubber and articles thereof'),
    ('VIII', 8, 'Raw hides and skins, leather, furskins and articles thereof; travel goods, handbags'),
    ('IX', 9, 'Wood and articles of wood; cork; manufactures of straw; basketware'),
    ('X', 10, 'Pulp of wood; recovered paper; paper and paperboard and articles thereof'),
    ('XI', 11, 'Textiles and textile articles'),
    ('XII', 12, 'Footwear, headgear, umbrellas; prepared feathers; artificial flowers; articles of human hair'),
    ('XIII', 13, 'Articles of stone, plaster, cement, asbestos, mica; ceramic products; glass and glassware'),
    ('XIV', 14, 'Pearls, precious stones, precious metals and articles thereof; imitation jewellery; coin'),
    ('XV', 15, 'Base metals and articles of base metal'),
    ('XVI', 16, 'Machinery and mechanical appliances; electrical equipment; sound and television recorders; parts'),
    ('XVII', 17, 'Vehicles, aircraft, vessels and associated transport equipment'),
    ('XVIII', 18, 'Optical, photographic, measuring, medical instruments; clocks and watches; musical instruments'),
    ('XIX', 19, 'Arms and ammunition; parts and accessories thereof'),
    ('XX', 20, 'Miscellaneous manufactured articles'),
    ('XXI', 21, 'Works of art, collectors'' pieces and antiques');

INSERT INTO hs_chapter (chapter, section, name) VALUES
    ('01', 'I', 'Live animals'),
    ('02', 'I', 'Meat and edible meat offal'),
    ('03', 'I', 'Fish and crustaceans, molluscs and other aquatic invertebrates'),
    ('04', 'I', 'Dairy produce; birds'' eggs; natural honey; edible products of animal origin n.e.s.'),
    ('05', 'I', 'Products of animal origin n.e.s.'),
    ('06', 'II', 'Live trees and other plants; bulbs, roots; cut flowers and ornamental foliage'),
    ('07', 'II', 'Edible vegetables and certain roots and tubers'),
    ('08', 'II', 'Edible fruit and nuts; peel of citrus fruit or melons'),
    ('09', 'II', 'Coffee, tea, mate and spices'),
    ('10', 'II', 'Cereals'),
    ('11', 'II', 'Products of the milling industry; malt; starches; inulin; wheat gluten'),
    ('12', 'II', 'Oil seeds and oleaginous fruits; miscellaneous grains, seeds and fruit; industrial or medicinal plants; straw and fodder'),
    ('13', 'II', 'Lac; gums, resins and other vegetable saps and extracts'),
    ('14', 'II', 'Vegetable plaiting materials; vegetable products n.e.s.'),
    ('15', 'III', 'Animal, vegetable or microbial fats and oils and their cleavage products; prepared edible fats; waxes'),
    ('16', 'IV', 'Preparations of meat, fish, crustaceans, molluscs, other aquatic invertebrates or insects'),
    ('17', 'IV', 'Sugars and sugar confectionery'),
    ('18', 'IV', 'Cocoa and cocoa preparations'),
    ('19', 'IV', 'Preparations of cereals, flour, starch or milk; pastrycooks'' products'),
    ('20', 'IV', 'Preparations of vegetables, fruit, nuts or other parts of plants'),
    ('21', 'IV', 'Miscellaneous edible preparations'),
    ('22', 'IV', 'Beverages, spirits and vinegar'),
    ('23', 'IV', 'Residues and waste from the food industries; prepared animal fodder'),
    ('24', 'IV', 'Tobacco and manufactured tobacco substitutes; nicotine products for inhalation without combustion'),
    ('25', 'V', 'Salt; sulphur; earths and stone; plastering materials, lime and cement'),
    ('26', 'V', 'Ores, slag and ash'),
    ('27', 'V', 'Mineral fuels, mineral oils and products of their distillation; bituminous substances; mineral waxes'),
    ('28', 'VI', 'Inorganic chemicals; compounds of precious metals, rare-earth metals, radioactive elements or isotopes'),
    ('29', 'VI', 'Organic chemicals'),
    ('30', 'VI', 'Pharmaceutical products'),
    ('31', 'VI', 'Fertilisers'),
    ('32', 'VI', 'Tanning or dyeing extracts; dyes, pigments; paints and varnishes; putty; inks'),
    ('33', 'VI', 'Essential oils and resinoids; perfumery, cosmetic or toilet preparations'),
    ('34', 'VI', 'Soap, surface-active agents, washing and lubricating preparations, waxes, candles, modelling pastes'),
    ('35', 'VI', 'Albuminoidal substances; modified starches; glues; enzymes'),
    ('36', 'VI', 'Explosives; pyrotechnic products; matches; pyrophoric alloys; certain combustible preparations'),
    ('37', 'VI', 'Photographic or cinematographic goods'),
    ('38', 'VI', 'Miscellaneous chemical products'),
    ('39', 'VII', 'Plastics and articles thereof'),
    ('40', 'VII', 'Rubber and articles thereof'),
    ('41', 'VIII', 'Raw hides and skins (other than furskins) and leather'),
    ('42', 'VIII', 'Articles of leather; saddlery and harness; travel goods, handbags and similar containers'),
    ('43', 'VIII', 'Furskins and artificial fur; manufactures thereof'),
    ('44', 'IX', 'Wood and articles of wood; wood charcoal'),
    ('45', 'IX', 'Cork and articles of cork'),
    ('46', 'IX', 'Manufactures of straw, of esparto or of other plaiting materials; basketware and wickerwork'),
    ('47', 'X', 'Pulp of wood or of other fibrous cellulosic material; recovered (waste and scrap) paper or paperboard'),
    ('48', 'X', 'Paper and paperboard; articles of paper pulp, of paper or of paperboard'),
    ('49', 'X', 'Printed books, newspapers, pictures and other products of the printing industry; manuscripts, plans'),
    ('50', 'XI', 'Silk'),
    ('51', 'XI', 'Wool, fine or coarse animal hair; horsehair yarn and woven fabric'),
    ('52', 'XI', 'Cotton'),
    ('53', 'XI', 'Other vegetable textile fibres; paper yarn and woven fabrics of paper yarn'),
    ('54', 'XI', 'Man-made filaments; strip and the like of man-made textile materials'),
    ('55', 'XI', 'Man-made staple fibres'),
    ('56', 'XI', 'Wadding, felt and nonwovens; special yarns; twine, cordage, ropes and cables'),
    ('57', 'XI', 'Carpets and other textile floor coverings'),
    ('58', 'XI', 'Special woven fabrics; tufted textile fabrics; lace; tapestries; trimmings; embroidery'),
    ('59', 'XI', 'Impregnated, coated, covered or laminated textile fabrics; textile articles for industrial use'),
    ('60', 'XI', 'Knitted or crocheted fabrics'),
    ('61', 'XI', 'Articles of apparel and clothing accessories, knitted or crocheted'),
    ('62', 'XI', 'Articles of apparel and clothing accessories, not knitted or crocheted'),
    ('63', 'XI', 'Other made up textile articles; sets; worn clothing and worn textile articles; rags'),
    ('64', 'XII', 'Footwear, gaiters and the like; parts of such articles'),
    ('65', 'XII', 'Headgear and parts thereof'),
    ('66', 'XII', 'Umbrellas, sun umbrellas, walking-sticks, seat-sticks, whips, riding-crops and parts thereof'),
    ('67', 'XII', 'Prepared feathers and down and articles thereof; artificial flowers; articles of human hair'),
    ('68', 'XIII', 'Articles of stone, plaster, cement, asbestos, mica or similar materials'),
    ('69', 'XIII', 'Ceramic products'),
    ('70', 'XIII', 'Glass and glassware'),
    ('71', 'XIV', 'Pearls, precious or semi-precious stones, precious metals and articles thereof; imitation jewellery; coin'),
    ('72', 'XV', 'Iron and steel'),
    ('73', 'XV', 'Articles of iron or steel'),
    ('74', 'XV', 'Copper and articles thereof'),
    ('75', 'XV', 'Nickel and articles thereof'),
    ('76', 'XV', 'Aluminium and articles thereof'),
    ('77', 'XV', 'Reserved for possible future use'),
    ('78', 'XV', 'Lead and articles thereof'),
    ('79', 'XV', 'Zinc and articles thereof'),
    ('80', 'XV', 'Tin and articles thereof'),
    ('81', 'XV', 'Other base metals; cermets; articles thereof'),
    ('82', 'XV', 'Tools, implements, cutlery, spoons and forks, of base metal; parts thereof'),
    ('83', 'XV', 'Miscellaneous articles of base metal'),
    ('84', 'XVI', 'Nuclear reactors, boilers, machinery and mechanical appliances; parts thereof'),
    ('85', 'XVI', 'Electrical machinery and equipment and parts thereof; sound and television recorders and reproducers'),
    ('86', 'XVII', 'Railway or tramway locomotives, rolling-stock, track fixtures; traffic signalling equipment'),
    ('87', 'XVII', 'Vehicles other than railway or tramway rolling-stock, and parts and accessories thereof'),
    ('88', 'XVII', 'Aircraft, spacecraft, and parts thereof'),
    ('89', 'XVII', 'Ships, boats and floating structures'),
    ('90', 'XVIII', 'Optical, photographic, measuring, checking, precision, medical or surgical instruments; parts'),
    ('91', 'XVIII', 'Clocks and watches and parts thereof'),
    ('92', 'XVIII', 'Musical instruments; parts and accessories of such articles'),
    ('93', 'XIX', 'Arms and ammunition; parts and accessories thereof'),
    ('94', 'XX', 'Furniture; bedding, mattresses, cushions; luminaires n.e.s.; illuminated signs; prefabricated buildings'),
    ('95', 'XX', 'Toys, games and sports requisites; parts and accessories thereof'),
    ('96', 'XX', 'Miscellaneous manufactured articles'),
    ('97', 'XXI', 'Works of art, collectors'' pieces and antiques');

-- ---------------------------------------------------------------------------------------------
-- Baskets of HS codes. basket 'CHPL' = the Common High Priority List (BIS/EU/UK/Japan, version
-- of February 2024), HS2022 ('H6') six-digit codes by tier. Sum a basket in another HS revision
-- through hs_conversion, never by matching codes directly.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE basket (
    basket         TEXT,
    tier           TEXT,
    classification TEXT,                   -- H0..H6
    code           TEXT,                   -- HS code as text (leading zeros kept)
    description    TEXT,
    PRIMARY KEY (basket, classification, code)
) WITHOUT ROWID;

INSERT INTO basket (basket, tier, classification, code, description) VALUES
    -- Tier 1: integrated circuits
    ('CHPL', '1', 'H6', '854231', 'Processors and controllers (electronic integrated circuits)'),
    ('CHPL', '1', 'H6', '854232', 'Memories (electronic integrated circuits)'),
    ('CHPL', '1', 'H6', '854233', 'Amplifiers (electronic integrated circuits)'),
    ('CHPL', '1', 'H6', '854239', 'Other electronic integrated circuits'),
    -- Tier 2: electronics for communication, navigation, capacitors
    ('CHPL', '2', 'H6', '851762', 'Machines for reception, conversion and transmission of voice, images or data'),
    ('CHPL', '2', 'H6', '852691', 'Radio navigational aid apparatus'),
    ('CHPL', '2', 'H6', '853221', 'Tantalum fixed capacitors'),
    ('CHPL', '2', 'H6', '853224', 'Ceramic dielectric multilayer fixed capacitors'),
    ('CHPL', '2', 'H6', '854800', 'Electrical parts of machinery or apparatus n.e.s.'),
    -- Tier 3.A: other electronic components
    ('CHPL', '3.A', 'H6', '847150', 'Processing units for automatic data-processing machines'),
    ('CHPL', '3.A', 'H6', '850440', 'Static converters'),
    ('CHPL', '3.A', 'H6', '851769', 'Other apparatus for transmission or reception of voice, images or data'),
    ('CHPL', '3.A', 'H6', '852589', 'Other television cameras, digital cameras and video camera recorders'),
    ('CHPL', '3.A', 'H6', '852910', 'Aerials and aerial reflectors; parts for use therewith'),
    ('CHPL', '3.A', 'H6', '852990', 'Other parts for radio, radar, navigation and television apparatus (8524-8528)'),
    ('CHPL', '3.A', 'H6', '853669', 'Plugs and sockets, for a voltage not exceeding 1000 V'),
    ('CHPL', '3.A', 'H6', '853690', 'Other apparatus for switching or protecting circuits, not exceeding 1000 V'),
    ('CHPL', '3.A', 'H6', '854110', 'Diodes, other than photosensitive or light-emitting diodes'),
    ('CHPL', '3.A', 'H6', '854121', 'Transistors (not photosensitive), dissipation rate less than 1 W'),
    ('CHPL', '3.A', 'H6', '854129', 'Other transistors (not photosensitive)'),
    ('CHPL', '3.A', 'H6', '854130', 'Thyristors, diacs and triacs (not photosensitive)'),
    ('CHPL', '3.A', 'H6', '854149', 'Other photosensitive semiconductor devices (not LEDs or photovoltaic cells)'),
    ('CHPL', '3.A', 'H6', '854151', 'Semiconductor-based transducers'),
    ('CHPL', '3.A', 'H6', '854159', 'Other semiconductor devices'),
    ('CHPL', '3.A', 'H6', '854160', 'Mounted piezo-electric crystals'),
    -- Tier 3.B: bearings, aircraft parts, optics and navigation instruments
    ('CHPL', '3.B', 'H6', '848210', 'Ball bearings'),
    ('CHPL', '3.B', 'H6', '848220', 'Tapered roller bearings'),
    ('CHPL', '3.B', 'H6', '848230', 'Spherical roller bearings'),
    ('CHPL', '3.B', 'H6', '848250', 'Other cylindrical roller bearings'),
    ('CHPL', '3.B', 'H6', '880730', 'Other parts of aeroplanes, helicopters or unmanned aircraft'),
    ('CHPL', '3.B', 'H6', '901310', 'Telescopic sights for arms; periscopes; telescopes for machines or instruments'),
    ('CHPL', '3.B', 'H6', '901380', 'Other optical devices, appliances and instruments'),
    ('CHPL', '3.B', 'H6', '901420', 'Instruments and appliances for aeronautical or space navigation (not compasses)'),
    ('CHPL', '3.B', 'H6', '901480', 'Other navigational instruments and appliances'),
    -- Tier 4.A: manufacturing and testing equipment for electronics
    ('CHPL', '4.A', 'H6', '847180', 'Other units of automatic data-processing machines'),
    ('CHPL', '4.A', 'H6', '848610', 'Machines for the manufacture of boules or wafers'),
    ('CHPL', '4.A', 'H6', '848620', 'Machines for the manufacture of semiconductor devices or integrated circuits'),
    ('CHPL', '4.A', 'H6', '848640', 'Machines of Note 11(C) to Chapter 84 (masks, handling of semiconductor devices)'),
    ('CHPL', '4.A', 'H6', '853400', 'Printed circuits'),
    ('CHPL', '4.A', 'H6', '854320', 'Signal generators'),
    ('CHPL', '4.A', 'H6', '902750', 'Other instruments using optical radiations (UV, visible, IR)'),
    ('CHPL', '4.A', 'H6', '903020', 'Oscilloscopes and oscillographs'),
    ('CHPL', '4.A', 'H6', '903032', 'Multimeters with a recording device'),
    ('CHPL', '4.A', 'H6', '903039', 'Other instruments for measuring voltage, current, resistance or power, with a recording device'),
    ('CHPL', '4.A', 'H6', '903082', 'Instruments for measuring or checking semiconductor wafers or devices'),
    -- Tier 4.B: machine tools for metal
    ('CHPL', '4.B', 'H6', '845710', 'Machining centres for working metal'),
    ('CHPL', '4.B', 'H6', '845811', 'Horizontal lathes for removing metal, numerically controlled'),
    ('CHPL', '4.B', 'H6', '845891', 'Other lathes for removing metal, numerically controlled'),
    ('CHPL', '4.B', 'H6', '845961', 'Other milling machines for metal, numerically controlled'),
    ('CHPL', '4.B', 'H6', '846693', 'Parts and accessories for machine tools of headings 8456 to 8461');

-- ---------------------------------------------------------------------------------------------
-- HS conversion: from (revision, code) to (revision, code) with a weight. weight = share of the
-- from-code's value counted under the to-code; 1 = counted in full. Here: HS2017 ('H5') to
-- HS2022 ('H6') for the CHPL codes only, so that HS2017 data can be summed into the basket.
--   * identity rows for the 44 CHPL codes that exist unchanged in both revisions;
--   * 854810 and 854890 -> 854800: HS2022 merged heading 8548 into one subheading. Note that
--     HS2017 854810 is mostly waste and scrap of batteries, which HS2022 moved to 8549: counting
--     it in full overstates 854800 when reporters use 854810 (kept because the CHPL's own
--     HS2017 concordance lists it);
--   * 852580 -> 852589: HS2017 852580 (television/digital cameras, camcorders) was split into
--     852581 (high-speed), 852582 (radiation-hardened), 852583 (night-vision) and 852589
--     (other); only 852589 is in the CHPL. Weight 1 counts all of 852580 as 852589, a small
--     overstatement we accept rather than invent split shares;
--   * 880330 -> 880730: parts of aeroplanes or helicopters, renumbered (now incl. drones);
--   * 854150 -> 854159: HS2017 854150 (other semiconductor devices) was split into 854151
--     (transducers) and 854159 (other), both in tier 3.A: counted in full under 854159, so tier
--     totals are right but the split between the two HS2022 codes is not available for HS2017.
--   * No row for HS2017 854140 (photosensitive devices incl. LEDs and solar cells): HS2022 split
--     it into 854141-854149 and only 854149 is in the CHPL; mapping 854140 in full would count
--     all solar cells and LEDs into the basket. HS2017 data therefore misses 854149.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE hs_conversion (
    from_class TEXT,
    from_code  TEXT,
    to_class   TEXT,
    to_code    TEXT,
    weight     REAL,
    PRIMARY KEY (from_class, from_code, to_class, to_code)
) WITHOUT ROWID;

INSERT INTO hs_conversion (from_class, from_code, to_class, to_code, weight)
SELECT 'H5', code, 'H6', code, 1.0
FROM basket
WHERE basket = 'CHPL' AND classification = 'H6'
  AND code NOT IN ('854800', '852589', '880730', '854149', '854151', '854159');

INSERT INTO hs_conversion (from_class, from_code, to_class, to_code, weight) VALUES
    ('H5', '854810', 'H6', '854800', 1.0),
    ('H5', '854890', 'H6', '854800', 1.0),
    ('H5', '852580', 'H6', '852589', 1.0),
    ('H5', '880330', 'H6', '880730', 1.0),
    ('H5', '854150', 'H6', '854159', 1.0);

-- ---------------------------------------------------------------------------------------------
-- Claims: headline figures printed in articles, in our own words, with what to compare them
-- with. a/b are ISO3 codes (or EAEU); for trade metrics a is the first-named country, for
-- product_flow a is the exporter and b the importer, for tariff_pref_share a is the side that
-- applies the preferential tariff and b the beneficiary. tolerance_pct is relative to the
-- stated value. Built-in claims have origin 'builtin' and no load_id; `import --format claims`
-- adds rows with origin 'user' and the load's id.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE claim (
    claim_id           INTEGER PRIMARY KEY,
    origin             TEXT NOT NULL DEFAULT 'builtin',
    article            TEXT NOT NULL,
    published          TEXT,
    paraphrase         TEXT NOT NULL,
    metric             TEXT NOT NULL CHECK (metric IN ('turnover', 'turnover_growth_pct', 'exports',
                           'imports', 'tariff_pref_share', 'product_flow', 'not_measurable')),
    a                  TEXT,
    b                  TEXT,
    year               INTEGER,
    base_year          INTEGER,
    period_note        TEXT,
    stated_value       REAL,
    unit               TEXT CHECK (unit IN ('USD', 'pct') OR unit IS NULL),
    tolerance_pct      REAL NOT NULL DEFAULT 5,
    product_code       TEXT,
    why_not_measurable TEXT,
    load_id            INTEGER
);

INSERT INTO claim (claim_id, origin, article, published, paraphrase, metric, a, b, year,
                   base_year, period_note, stated_value, unit, tolerance_pct, product_code,
                   why_not_measurable, load_id) VALUES
    (1, 'builtin', 'Explainer on the Iran-Russia relationship', '2025',
     'Goods trade between Russia and Iran grew by about 81% in 2021 compared with 2020.',
     'turnover_growth_pct', 'RUS', 'IRN', 2021, 2020,
     'Calendar year 2021 against 2020. Russian customs and the Iran-Russia chamber published +81 to +82%.',
     81, 'pct', 5, NULL, NULL, NULL),
    (2, 'builtin', 'Explainer on the Iran-Russia relationship', '2025',
     'Russia-Iran goods trade reached a record of about US$3.3 billion in 2021.',
     'turnover', 'RUS', 'IRN', 2021, NULL,
     'Printed as the 2021 total. Published 2021 figures are about $4.0 bn; $3.3 bn matches January-September 2024.',
     3.3e9, 'USD', 5, NULL, NULL, NULL),
    (3, 'builtin', 'Russia Supports Iran: Unraveling A Pivotal Geopolitical Alliance; Unpacking The Iran-Russia Alliance: A New Global Dynamic', NULL,
     'Under the trade agreement between Iran and the Eurasian Economic Union, tariffs were cut on roughly 90% of goods.',
     'tariff_pref_share', 'EAEU', 'IRN', 2025, NULL,
     'Full EAEU-Iran free trade agreement: signed 25 Dec 2023, in force 15 May 2025 (an interim deal with a shorter list ran from 2019). Preferences go both ways: this row measures the EAEU tariff on Iranian goods (share of lines where the preferential rate is below MFN); the same check with a=IRN, b=EAEU measures Iran''s side. Officials quote "almost 90%" and "87% of items".',
     90, 'pct', 5, NULL, NULL, NULL),
    (4, 'builtin', 'Explainer on the Iran-Russia relationship', '2025',
     'In August 2014 Iran and Russia were said to have agreed a US$20 billion deal swapping Iranian oil for Russian goods.',
     'product_flow', 'IRN', 'RUS', 2015, 2014,
     'A reported deal (August 2014, never confirmed, later scaled down), not a trade flow: $20 bn is the headline value of a multi-year arrangement, not an annual figure. Compare Iran-to-Russia HS 27 flows from 2015 on with 2014.',
     20e9, 'USD', 5, '27', NULL, NULL),
    (5, 'builtin', 'Explainer on the Iran-Russia relationship', '2025',
     'Russia has become the biggest foreign investor in Iran.',
     'not_measurable', 'RUS', 'IRN', NULL, NULL,
     'No period given.',
     NULL, NULL, 5, NULL, 'investment, not trade: trade data cannot measure it', NULL),
    (6, 'builtin', 'Are Iran And Russia Allies? A Deep Dive Into Their Strategic Ties; Putin''s Promise: Why Russia Backs Iran Amidst Western Pressure', NULL,
     'Iran provides drones to Russia.',
     'product_flow', 'IRN', 'RUS', 2022, NULL,
     'Supplies reported from 2022. HS 8806 (unmanned aircraft) exists from HS2022 only. Expect no reported flows from either side: an illustration of what customs data do not show.',
     NULL, NULL, 5, '8806', NULL, NULL);
