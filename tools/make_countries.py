#!/usr/bin/python3
"""Generate sql/0002_countries.sql: dim_country, country_code and country_group.

Run:  /usr/bin/python3 tools/make_countries.py [OUTPUT]   (default: sql/0002_countries.sql
next to this tools/ directory).

Inputs: Debian's iso-codes JSON (ISO 3166-1: current countries; ISO 3166-3: withdrawn codes,
used to cross-check the former entities listed by hand below) plus the hand-written tables
at the top of this file for what iso-codes does not know (Comtrade's own numeric codes, its
"nes" areas, groups, memberships). The output is deterministic: same iso-codes + same script = same bytes. The
generated SQL is committed, so building tradereport never needs iso-codes.

Scheme (also written into the SQL header):
  * country_id = the entity's numeric code (ISO 3166-1 numeric for current countries, the
    withdrawn ISO / Comtrade numeric for former entities and Comtrade areas). Every such code is
    below 1000 and they never collide (checked below), except Comtrade 492 "Europe EU, nes"
    (= Monaco's ISO number). Ids from 1000 up: 1000 World, 1001 EAEU, 1002 Europe EU nes.
  * dim_country.iso3 is unique: the ISO alpha-3 where the entity owns it; Comtrade's ISO-like
    codes (W00, S19, E19, F19, A59, A79, EU2) where Comtrade defines one; otherwise a code from
    ISO 3166's user-assigned range X[A-Z][A-Z], which ISO guarantees it will never assign.
  * country_code maps every system's code to the entity, with the years in which the code
    meant that entity (0..9999 when it never changed meaning).
"""

import json
import os
import sys

ISO1 = "/usr/share/iso-codes/json/iso_3166-1.json"
ISO3 = "/usr/share/iso-codes/json/iso_3166-3.json"
ALWAYS = (0, 9999)

# ---------------------------------------------------------------------------------------------
# Data tables
# ---------------------------------------------------------------------------------------------

# Names: iso-codes' common_name when it has one (Iran, Syria, South Korea, Vietnam, Taiwan …),
# else its short name (so "Russian Federation" stays). These few short names are written in
# iso-codes' inverted-list style and read badly in a report; we replace them.
NAME_OVERRIDES = {
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
}

# Years (as trade statistics use them: first/last year with data under that entity) for
# current ISO countries that succeeded an entity listed in FORMER.
SUCCESSOR_FROM = {
    # USSR -> 15 states (Comtrade: Fmr USSR to 1991)
    "ARM": 1992, "AZE": 1992, "BLR": 1992, "EST": 1992, "GEO": 1992, "KAZ": 1992,
    "KGZ": 1992, "LTU": 1992, "LVA": 1992, "MDA": 1992, "RUS": 1992, "TJK": 1992,
    "TKM": 1992, "UKR": 1992, "UZB": 1992,
    # SFR Yugoslavia (to 1991) -> Slovenia, Croatia, Bosnia and Herzegovina, North Macedonia
    # and Serbia and Montenegro (1992..2006) -> Serbia, Montenegro
    "SVN": 1992, "HRV": 1992, "BIH": 1992, "MKD": 1992, "SRB": 2006, "MNE": 2006,
    # Czechoslovakia (to 1992)
    "CZE": 1993, "SVK": 1993,
    # Germany: the FRG (280) and GDR (278) to 1990, unified Germany (276) from 1991
    "DEU": 1991,
    # Netherlands Antilles (to 2010)
    "CUW": 2011, "SXM": 2011, "BES": 2011,
    # Sudan (former, 736, to 2011) -> Sudan (729) and South Sudan (728) from 2012
    "SDN": 2012, "SSD": 2012,
}

# Former entities, (id = numeric code, iso3, iso2, name, valid_from, valid_to).
# iso3 is the entity's own withdrawn ISO code when nobody took it over; where the alpha code
# passed to a successor (SDN, DEU) the former entity gets an X.. code and the alpha code is
# mapped by year in country_code (see ALPHA_BY_YEAR).
FORMER = [
    (58, "XBL", None, "Belgium-Luxembourg (to 1998)", None, 1998),
    (200, "CSK", "CS", "Czechoslovakia (former)", None, 1992),
    (278, "DDR", "DD", "German Democratic Republic (former)", None, 1990),
    (280, "XDE", "DE", "Germany, Federal Republic (former, to 1990)", None, 1990),
    (530, "ANT", "AN", "Netherlands Antilles (former)", None, 2010),
    (536, "NTZ", "NT", "Neutral Zone", None, None),
    (711, "XSA", None, "Southern African Customs Union (to 1999)", None, 1999),
    (736, "XSD", "SD", "Sudan (former)", None, 2011),
    (810, "SUN", "SU", "USSR (former)", None, 1991),
    (849, "PUS", "PU", "US Misc. Pacific Islands", None, None),
    (890, "YUG", "YU", "Yugoslavia (former SFR)", None, 1991),
    (891, "SCG", "CS", "Serbia and Montenegro", 1992, 2006),
]

# Former entities that have an ISO/M49 numeric code (the others are Comtrade-only).
FORMER_M49 = {200, 278, 280, 530, 536, 736, 810, 849, 890, 891}

# Comtrade's non-country partner areas: (id, Comtrade code, iso3, kind, name). The id is the
# Comtrade code except for 492 "Europe EU, nes", whose number is Monaco's ISO code (Comtrade
# counts Monaco in France, 251): it gets id 1002.
# S19 .. EU2 are Comtrade's own ISO-like codes; the X.. codes are ours (ISO user-assigned range).
AREAS = [
    (97, "97", "EU2", "group", "EU-28 (Comtrade aggregate)"),
    (129, "129", "XCB", "area_nes", "Caribbean, nes"),
    (221, "221", "XEE", "area_nes", "Eastern Europe, nes"),
    (290, "290", "XNF", "area_nes", "Northern Africa, nes"),
    (471, "471", "XCM", "area_nes", "CACM, nes"),
    (472, "472", "XCA", "area_nes", "Africa CAMEU region, nes"),
    (473, "473", "A79", "area_nes", "LAIA, nes"),
    (490, "490", "S19", "area_nes", "Other Asia, nes"),
    (1002, "492", "XEU", "area_nes", "Europe EU, nes"),
    (527, "527", "XOC", "area_nes", "Oceania, nes"),
    (568, "568", "E19", "area_nes", "Other Europe, nes"),
    (577, "577", "F19", "area_nes", "Other Africa, nes"),
    (636, "636", "XRA", "area_nes", "Rest of America, nes"),
    (637, "637", "A59", "area_nes", "North America and Central America, nes"),
    (697, "697", "XEF", "area_nes", "Europe EFTA, nes"),
    (837, "837", "XBK", "area_nes", "Bunkers"),
    (838, "838", "XFZ", "area_nes", "Free Zones"),
    (839, "839", "XSC", "area_nes", "Special Categories"),
    (879, "879", "XWA", "area_nes", "Western Asia, nes"),
    (899, "899", "XAN", "area_nes", "Areas, nes"),
]

# Entities without a numeric code in any system we read, or whose code does not fit an id.
# (id, iso3, kind, name, codes: [(system, code)])
SPECIAL = [
    (918, "EUN", "group", "European Union", [("wits", "918")]),
    (1000, "W00", "world", "World",
     [("iso3", "WLD"), ("comtrade", "0"), ("m49", "1")]),
    (1001, "EAEU", "group", "Eurasian Economic Union", []),
]

# Comtrade (and BACI) numeric codes that differ from ISO numeric: iso3 -> Comtrade code.
# The ISO numeric of these six is *not* a Comtrade code for the country (356 is Comtrade's
# "India, excl. Sikkim"; 840 etc. are unused), so it is not mapped under comtrade/baci.
COMTRADE_OWN = {"FRA": "251", "IND": "699", "ITA": "381", "NOR": "579", "CHE": "757",
                "USA": "842"}

# ISO numeric codes that are not Comtrade codes for that ISO country:
#   158 Taiwan: Comtrade and BACI publish Taiwan only as 490 "Other Asia, nes" (S19);
#   492 Monaco: included in France (251); Comtrade uses 492 for "Europe EU, nes".
COMTRADE_SKIP = {"158", "492"}

# M49 does not list Taiwan; UN statistics carry it inside "Other Asia, nes".
M49_SKIP = {"158"}

# Alpha codes that passed from one entity to another: (system, code, id, from, to).
ALPHA_BY_YEAR = [
    ("iso3", "SDN", 736, 0, 2011), ("iso3", "SDN", 729, 2012, 9999),
    ("iso2", "SD", 736, 0, 2011), ("iso2", "SD", 729, 2012, 9999),
    ("iso3", "DEU", 280, 0, 1990), ("iso3", "DEU", 276, 1991, 9999),
    ("iso2", "DE", 280, 0, 1990), ("iso2", "DE", 276, 1991, 9999),
    # YU/YUG: SFR Yugoslavia to 1991, then the FR Yugoslavia = Serbia and Montenegro (891).
    ("iso3", "YUG", 890, 0, 1991), ("iso3", "YUG", 891, 1992, 2006),
    ("iso2", "YU", 890, 0, 1991), ("iso2", "YU", 891, 1992, 2006),
    # CS: Czechoslovakia to 1992 (withdrawn 1993), reassigned to Serbia and Montenegro 2003-2006.
    ("iso2", "CS", 200, 0, 1992), ("iso2", "CS", 891, 2003, 2006),
]

# Old alpha-3 codes of entities that still exist under a new code; WITS files still use them.
ISO3_ALIASES = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}

# Group memberships: group -> [(iso3, joined, left_year)]. Years are calendar years of the
# formal start/end; left_year NULL = still a member.
GROUPS = {
    # Eurasian Economic Union, treaty in force 1 Jan 2015 (Armenia 2 Jan 2015, Kyrgyzstan
    # 12 Aug 2015). The Russia-Belarus-Kazakhstan customs union of 2010 is not recorded here.
    "EAEU": [("RUS", 2015, None), ("BLR", 2015, None), ("KAZ", 2015, None),
             ("ARM", 2015, None), ("KGZ", 2015, None)],
    # BRIC from the first summit (2009); South Africa 2011; the 2024 enlargement (Saudi Arabia
    # invited but never confirmed: not listed); Indonesia Jan 2025. Partner countries are not
    # members.
    "BRICS": [("BRA", 2009, None), ("RUS", 2009, None), ("IND", 2009, None),
              ("CHN", 2009, None), ("ZAF", 2011, None), ("IRN", 2024, None),
              ("EGY", 2024, None), ("ETH", 2024, None), ("ARE", 2024, None),
              ("IDN", 2025, None)],
    # EEC/EU: founders from 1958 (Germany: the FRG until 1990, unified Germany after);
    # the UK left on 31 Jan 2020 (left_year 2020; transition period to the end of 2020).
    "EU": [("BEL", 1958, None), ("FRA", 1958, None), ("XDE", 1958, 1990), ("DEU", 1958, None),
           ("ITA", 1958, None), ("LUX", 1958, None), ("NLD", 1958, None),
           ("DNK", 1973, None), ("IRL", 1973, None), ("GBR", 1973, 2020),
           ("GRC", 1981, None), ("ESP", 1986, None), ("PRT", 1986, None),
           ("AUT", 1995, None), ("FIN", 1995, None), ("SWE", 1995, None),
           ("CYP", 2004, None), ("CZE", 2004, None), ("EST", 2004, None), ("HUN", 2004, None),
           ("LVA", 2004, None), ("LTU", 2004, None), ("MLT", 2004, None), ("POL", 2004, None),
           ("SVK", 2004, None), ("SVN", 2004, None),
           ("BGR", 2007, None), ("ROU", 2007, None), ("HRV", 2013, None)],
    # Shanghai Cooperation Organisation: founders 2001, India and Pakistan 2017, Iran 2023,
    # Belarus 2024.
    "SCO": [("CHN", 2001, None), ("RUS", 2001, None), ("KAZ", 2001, None), ("KGZ", 2001, None),
            ("TJK", 2001, None), ("UZB", 2001, None), ("IND", 2017, None), ("PAK", 2017, None),
            ("IRN", 2023, None), ("BLR", 2024, None)],
}

HEADER = """\
-- 0002: countries, their codes in every system we read, and group memberships.
-- GENERATED by tools/make_countries.py from Debian iso-codes {isover} plus the script's own
-- tables. Do not edit by hand: change the script and re-run it.
--
-- country_id (1..1023, stable): the entity's own numeric code where it has a unique one:
--   ISO 3166-1 numeric for current countries (643 Russian Federation, 364 Iran, 729 Sudan);
--   the withdrawn ISO / Comtrade numeric for former entities (810 USSR, 890 SFR Yugoslavia,
--   891 Serbia and Montenegro, 200 Czechoslovakia, 278 GDR, 280 FRG, 530 Netherlands Antilles,
--   736 Sudan (former), 58 Belgium-Luxembourg, 711 SACU, 536 Neutral Zone, 849 US Misc.
--   Pacific Islands); Comtrade's code for its areas (490 Other Asia nes, 899 Areas nes, 97
--   EU-28 ...); 918 (WITS) for the European Union. Ids from 1000 up where no usable number
--   exists: 1000 World (Comtrade 0 cannot be an id), 1001 EAEU, 1002 Europe EU nes (its
--   Comtrade code 492 is Monaco's ISO number; Comtrade counts Monaco in France, 251).
--
-- dim_country.iso3 is unique: the ISO alpha-3 if the entity owns it; Comtrade's ISO-like code
-- where Comtrade has one (W00 World, S19 Other Asia nes = Taiwan in practice, E19, F19, A59,
-- A79, EU2 EU-28); EUN and EAEU for the groups; otherwise a code in ISO 3166's user-assigned
-- range X[A-Z][A-Z], which ISO never assigns to a country:
--   XAN Areas nes (899)   XBK Bunkers (837)    XFZ Free Zones (838)  XSC Special Categories (839)
--   XWA Western Asia nes (879)  XOC Oceania nes (527)  XRA Rest of America nes (636)
--   XNF Northern Africa nes (290)  XCM CACM nes (471)  XCB Caribbean nes (129)
--   XEE Eastern Europe nes (221)  XEF Europe EFTA nes (697)  XEU Europe EU nes (492, id 1002)
--   XCA Africa CAMEU region nes (472)  XBL Belgium-Luxembourg (58)  XSA SACU (711)
--   XSD Sudan (former) (736)  XDE Germany, Federal Republic (former) (280)
-- Comtrade's ISO column for some areas (e.g. "_X") is not mapped: importers resolve partners
-- by numeric code. WLD (legacy Comtrade, WITS) is a second iso3 code for World (1000).
-- dim_country.iso2 is informational and not unique (CS, SD, DE): resolve codes through
-- country_code.
--
-- Former entities and successors (a clean cut by year; entities never overlap on one code):
--   alpha SDN/SD means Sudan (former, 736, incl. South Sudan) up to 2011 and Sudan (729) from
--   2012, as Comtrade and BACI split 736 -> 729 + 728 (South Sudan). The numeric codes never
--   changed meaning, so 736 and 729 map to their entity in every year.
--   DEU/DE: FRG (280) to 1990, Germany (276) from 1991; YUG/YU: SFR Yugoslavia (890) to 1991,
--   FR Yugoslavia = Serbia and Montenegro (891) 1992-2006; SCG/891: Serbia and Montenegro;
--   CS: Czechoslovakia to 1992, Serbia and Montenegro 2003-2006 (ISO reassigned it).
--   dim_country.valid_from/valid_to: first/last year with trade data under that entity.
--   Belgium-Luxembourg (to 1998) and SACU (to 1999) are kind 'country': they were the
--   reporting economy in those years, not an aggregate beside their members.
--
-- Systems in country_code: iso3, iso2, m49 (UN M49, no leading zeros), comtrade (Comtrade
-- reporter/partner numeric: ISO numeric except 842 USA, 251 France, 381 Italy, 579 Norway,
-- 699 India, 757 Switzerland; 158 and 492 are not Comtrade codes for Taiwan and Monaco),
-- baci (the same codes as comtrade), wits (TRAINS numeric: ISO numeric, 918 = EU).
-- Old alpha-3 codes still seen in WITS files map to today's entity: ROM, ZAR, TMP.
"""

# ---------------------------------------------------------------------------------------------
# Building the rows
# ---------------------------------------------------------------------------------------------


def load_iso():
    with open(ISO1, encoding="utf-8") as f:
        cur = json.load(f)["3166-1"]
    return sorted(cur, key=lambda e: int(e["numeric"]))


def iso_codes_version():
    """The installed iso-codes version, from dpkg's status file (for the SQL header)."""
    try:
        with open("/var/lib/dpkg/status", encoding="utf-8") as f:
            for block in f.read().split("\n\n"):
                lines = block.splitlines()
                if "Package: iso-codes" in lines:
                    for line in lines:
                        if line.startswith("Version: "):
                            return line[len("Version: "):]
    except OSError:
        pass
    return "(unknown version)"


def check_former():
    """Cross-check FORMER against ISO 3166-3 (withdrawn codes) where iso-codes lists them.
    YUG is the exception: iso-codes gives 891, the number of the FR Yugoslavia (1992-2003),
    which we keep on Serbia and Montenegro; the SFR Yugoslavia had 890."""
    with open(ISO3, encoding="utf-8") as f:
        withdrawn = {e["alpha_3"]: e for e in json.load(f)["3166-3"]}
    for cid, a3, a2, _name, _vf, _vt in FORMER:
        e = withdrawn.get(a3)
        if e is None:
            continue
        assert e["alpha_2"] == a2, (a3, e["alpha_2"], a2)
        if a3 != "YUG" and "numeric" in e:
            assert int(e["numeric"]) == cid, (a3, e["numeric"], cid)


def dim_country(iso):
    """Rows (country_id, iso3, iso2, name, kind, valid_from, valid_to)."""
    rows = []
    for e in iso:
        a3 = e["alpha_3"]
        name = NAME_OVERRIDES.get(a3, e.get("common_name", e["name"]))
        rows.append((int(e["numeric"]), a3, e["alpha_2"], name, "country",
                     SUCCESSOR_FROM.get(a3), None))
    for cid, a3, a2, name, vf, vt in FORMER:
        rows.append((cid, a3, a2, name, "country", vf, vt))
    for cid, _ct, a3, kind, name in AREAS:
        rows.append((cid, a3, None, name, kind, None, None))
    for cid, a3, kind, name, _ in SPECIAL:
        rows.append((cid, a3, None, name, kind, None, None))
    rows.sort()
    ids = [r[0] for r in rows]
    iso3s = [r[1] for r in rows]
    assert len(set(ids)) == len(ids), "duplicate country_id"
    assert len(set(iso3s)) == len(iso3s), "duplicate iso3"
    assert all(1 <= i <= 1023 for i in ids), "country_id out of range"
    return rows


def country_code(iso, countries):
    """Rows (system, code, country_id, valid_from, valid_to)."""
    by_iso3 = {r[1]: r[0] for r in countries}
    split = {(s, c) for s, c, *_ in ALPHA_BY_YEAR}
    rows = []

    def add(system, code, cid, years=ALWAYS):
        if (system, code) in split and years == ALWAYS:
            return          # handled by ALPHA_BY_YEAR
        rows.append((system, code, cid, years[0], years[1]))

    for e in iso:
        cid = int(e["numeric"])
        num = str(cid)
        add("iso3", e["alpha_3"], cid)
        add("iso2", e["alpha_2"], cid)
        if num not in M49_SKIP:
            add("m49", num, cid)
        add("wits", num, cid)
        ct = COMTRADE_OWN.get(e["alpha_3"], num)
        if ct not in COMTRADE_SKIP:
            add("comtrade", ct, cid)
    for cid, a3, a2, _name, _vf, _vt in FORMER:
        add("iso3", a3, cid)
        if a2:
            add("iso2", a2, cid)
        if cid in FORMER_M49:
            add("m49", str(cid), cid)
        add("comtrade", str(cid), cid)
    for cid, ct, a3, _kind, _name in AREAS:
        add("iso3", a3, cid)
        add("comtrade", ct, cid)
    for cid, a3, _kind, _name, codes in SPECIAL:
        add("iso3", a3, cid)
        for system, code in codes:
            add(system, code, cid)
    for system, code, cid, vf, vt in ALPHA_BY_YEAR:
        rows.append((system, code, cid, vf, vt))
    for old, new in ISO3_ALIASES.items():
        add("iso3", old, by_iso3[new])
    # BACI uses Comtrade's numeric codes.
    rows += [("baci",) + r[1:] for r in rows if r[0] == "comtrade"]

    known = set(by_iso3.values())
    seen = {}
    for system, code, cid, vf, vt in rows:
        assert cid in known, (system, code, cid)
        assert vf <= vt, (system, code)
        for (ovf, ovt) in seen.get((system, code), []):
            assert vt < ovf or vf > ovt, ("overlapping ranges", system, code)
        seen.setdefault((system, code), []).append((vf, vt))

    def key(r):
        system, code = r[0], r[1]
        return (system, (0, int(code), "") if code.isdigit() else (1, 0, code), r[3])
    return sorted(rows, key=key)


def country_group(countries):
    """Rows (group_code, country_id, joined, left_year)."""
    by_iso3 = {r[1]: r[0] for r in countries}
    rows = []
    for group in sorted(GROUPS):
        for a3, joined, left in GROUPS[group]:
            rows.append((group, by_iso3[a3], joined, left))
    rows.sort()
    assert len({(g, c) for g, c, *_ in rows}) == len(rows), "duplicate membership"
    return rows

# ---------------------------------------------------------------------------------------------
# Writing SQL
# ---------------------------------------------------------------------------------------------


def lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def inserts(table, columns, rows, chunk=100):
    out = []
    for i in range(0, len(rows), chunk):
        out.append("INSERT INTO %s (%s) VALUES\n" % (table, ", ".join(columns)))
        out.append(",\n".join("    (" + ", ".join(lit(v) for v in r) + ")"
                              for r in rows[i:i + chunk]))
        out.append(";\n")
    return "".join(out)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "sql", "0002_countries.sql")
    iso = load_iso()
    check_former()
    countries = dim_country(iso)
    codes = country_code(iso, countries)
    groups = country_group(countries)
    text = HEADER.format(isover=iso_codes_version())
    text += "\n-- %d entities\n" % len(countries)
    text += inserts("dim_country",
                    ["country_id", "iso3", "iso2", "name", "kind", "valid_from", "valid_to"],
                    countries)
    text += "\n-- %d codes\n" % len(codes)
    text += inserts("country_code",
                    ["system", "code", "country_id", "valid_from", "valid_to"], codes)
    text += "\n-- %d memberships\n" % len(groups)
    text += inserts("country_group", ["group_code", "country_id", "joined", "left_year"],
                    groups)
    assert "??" not in text   # the SQL is embedded in C strings: no trigraphs
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
