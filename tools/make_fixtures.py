#!/usr/bin/python3
"""Write the committed fixture files under fixtures/ (run: /usr/bin/python3 tools/make_fixtures.py).

Deterministic: standard library only, fixed seeds, no set iteration, no clock. Running it twice
gives byte-identical files. The Russia-Iran headline figures (HEADLINE) tie every source together;
everything else is illustrative: realistic in shape and size, not real HS detail.
fixtures/README.md says which figures are published (cited) and which are made up here.
It does not write fixtures/bad/ or anything outside the folders listed in OUT_DIRS.
"""
import csv
import io
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "fixtures")
SEED = 20250515  # the day the EAEU-Iran FTA entered into force
OUT_DIRS = ["baci", "baci-old", "comtrade", "comtrade-legacy", "wits-trade", "wits-tariff",
            "claims"]


def rng(name):
    """One generator per section, so editing one section leaves the others' bytes alone."""
    return random.Random("%d-%s" % (SEED, name))


def write_bytes(rel, data):
    path = os.path.join(FIX, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return path


def csv_text(rows, lineterminator="\n"):
    """RFC 4180 with minimal quoting: a field is quoted only when it holds a comma or quote."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(r)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Countries: Comtrade/BACI numeric code, ISO3, ISO2, Comtrade name, WITS name
# --------------------------------------------------------------------------------------------
C = {
    "RUS": (643, "RU", "Russian Federation"),
    "IRN": (364, "IR", "Iran"),
    "CHN": (156, "CN", "China"),
    "TUR": (792, "TR", "Türkiye"),
    "ARE": (784, "AE", "United Arab Emirates"),
    "IND": (699, "IN", "India"),
    "KAZ": (398, "KZ", "Kazakhstan"),
    "ARM": (51, "AM", "Armenia"),
    "BLR": (112, "BY", "Belarus"),
    "KGZ": (417, "KG", "Kyrgyzstan"),
}
TEN = ["RUS", "IRN", "CHN", "TUR", "ARE", "IND", "KAZ", "ARM", "BLR", "KGZ"]
PARTNERS8 = ["CHN", "TUR", "ARE", "IND", "KAZ", "ARM", "BLR", "KGZ"]
YEARS = list(range(2014, 2025))

# --------------------------------------------------------------------------------------------
# Headline: Russia's exports to Iran and imports from Iran, whole US$, as Russia reports them.
# 2020 and 2021 are published (REFERENCE.md section 7); 2022 and 2023 match the published
# turnover with an illustrative split; the rest is illustrative and smooth.
# --------------------------------------------------------------------------------------------
HEADLINE = {
    2014: (1_270_000_000, 410_000_000, "illustrative"),
    2015: (940_000_000, 300_000_000, "illustrative"),
    2016: (1_870_000_000, 310_000_000, "illustrative"),
    2017: (1_380_000_000, 330_000_000, "illustrative"),
    2018: (1_210_000_000, 530_000_000, "illustrative"),
    2019: (1_170_000_000, 420_000_000, "illustrative"),
    2020: (1_420_000_000, 800_000_000, "published"),
    2021: (3_070_000_000, 972_000_000, "published"),
    2022: (3_560_000_000, 1_040_000_000, "turnover published, split illustrative"),
    2023: (2_950_000_000, 1_080_000_000, "turnover published, split illustrative"),
    2024: (3_260_000_000, 1_220_000_000, "illustrative"),
}

# China's 2022 imports as China reports them (UN Comtrade, REFERENCE.md section 7: $114.15 bn
# from Russia, $6.36 bn from Iran); the digits below the published rounding are made up.
CHN_M_RUS_2022 = 114_148_716_433
CHN_M_IRN_2022 = 6_361_204_587

# --------------------------------------------------------------------------------------------
# The "true" bilateral flows behind every source: exporter -> importer, whole US$, 2014-2024.
# 2021 anchors in US$ bn, scaled by year profiles; Russia's and Iran's figures are their own view.
# --------------------------------------------------------------------------------------------
ANCHOR_2021 = {
    ("RUS", "CHN"): 68.0, ("RUS", "TUR"): 26.5, ("RUS", "ARE"): 3.9, ("RUS", "IND"): 6.9,
    ("RUS", "KAZ"): 18.2, ("RUS", "ARM"): 1.95, ("RUS", "BLR"): 22.8, ("RUS", "KGZ"): 1.75,
    ("CHN", "RUS"): 72.7, ("TUR", "RUS"): 6.0, ("ARE", "RUS"): 1.1, ("IND", "RUS"): 3.2,
    ("KAZ", "RUS"): 7.7, ("ARM", "RUS"): 0.85, ("BLR", "RUS"): 15.8, ("KGZ", "RUS"): 0.37,
    ("IRN", "CHN"): 5.5, ("IRN", "TUR"): 2.6, ("IRN", "ARE"): 5.0, ("IRN", "IND"): 0.6,
    ("IRN", "KAZ"): 0.25, ("IRN", "ARM"): 0.38, ("IRN", "BLR"): 0.03, ("IRN", "KGZ"): 0.05,
    ("CHN", "IRN"): 8.4, ("TUR", "IRN"): 3.4, ("ARE", "IRN"): 15.0, ("IND", "IRN"): 1.4,
    ("KAZ", "IRN"): 0.35, ("ARM", "IRN"): 0.09, ("BLR", "IRN"): 0.06, ("KGZ", "IRN"): 0.02,
    ("CHN", "TUR"): 32.0, ("TUR", "CHN"): 3.7, ("CHN", "ARE"): 44.0, ("ARE", "CHN"): 13.0,
    ("CHN", "IND"): 87.0, ("IND", "CHN"): 22.0, ("CHN", "KAZ"): 14.0, ("KAZ", "CHN"): 11.0,
    ("CHN", "KGZ"): 7.5, ("CHN", "BLR"): 3.6, ("BLR", "CHN"): 0.9, ("CHN", "ARM"): 1.1,
    ("ARM", "CHN"): 0.6, ("TUR", "ARE"): 4.5, ("ARE", "TUR"): 3.5, ("IND", "ARE"): 28.0,
    ("ARE", "IND"): 44.0, ("KAZ", "KGZ"): 0.9, ("KGZ", "KAZ"): 0.4, ("KAZ", "TUR"): 1.2,
    ("TUR", "KAZ"): 1.2, ("BLR", "KAZ"): 0.8, ("IND", "TUR"): 6.0, ("TUR", "IND"): 1.2,
}
GEN = {2014: .85, 2015: .74, 2016: .72, 2017: .83, 2018: .92, 2019: .91, 2020: .86, 2021: 1.0,
       2022: 1.10, 2023: 1.06, 2024: 1.08}
RUSX = {2014: 1.15, 2015: .78, 2016: .66, 2017: .80, 2018: .95, 2019: .90, 2020: .72, 2021: 1.0,
        2022: 1.25, 2023: .95, 2024: .97}
RUSM = {2014: 1.05, 2015: .66, 2016: .65, 2017: .80, 2018: .82, 2019: .85, 2020: .82, 2021: 1.0,
        2022: .92, 2023: 1.10, 2024: 1.12}
IRNX = {2014: 1.05, 2015: .85, 2016: .95, 2017: 1.05, 2018: 1.0, 2019: .78, 2020: .70, 2021: 1.0,
        2022: 1.08, 2023: 1.02, 2024: 1.06}
IRNM = {2014: 1.30, 2015: 1.0, 2016: 1.0, 2017: 1.15, 2018: .95, 2019: .80, 2020: .75, 2021: 1.0,
        2022: 1.12, 2023: 1.15, 2024: 1.20}
# After 2021: trade rerouted through Russia's neighbours and Asia (multipliers on 2021).
OVERRIDE = {
    ("RUS", "CHN"): (1.68, 1.90, 1.91), ("CHN", "RUS"): (1.05, 1.53, 1.59),
    ("RUS", "IND"): (6.0, 8.5, 9.3), ("IND", "RUS"): (0.95, 1.25, 1.45),
    ("RUS", "TUR"): (1.9, 1.6, 1.4), ("TUR", "RUS"): (1.55, 1.83, 1.45),
    ("RUS", "ARE"): (2.0, 2.2, 2.1), ("ARE", "RUS"): (2.6, 3.4, 3.0),
    ("ARM", "RUS"): (2.85, 3.9, 4.2), ("RUS", "ARM"): (1.3, 1.5, 1.6),
    ("KGZ", "RUS"): (2.1, 1.7, 1.6), ("RUS", "KGZ"): (1.3, 1.4, 1.4),
    ("KAZ", "RUS"): (1.15, 1.2, 1.15), ("RUS", "KAZ"): (1.1, 1.05, 1.0),
    ("BLR", "RUS"): (1.15, 1.2, 1.25), ("RUS", "BLR"): (1.2, 1.25, 1.3),
}


def build_base():
    r = rng("base")
    base = {}
    for e in TEN:
        for i in TEN:
            if e == i:
                continue
            if (e, i) == ("RUS", "IRN"):
                for y in YEARS:
                    base[(e, i, y)] = HEADLINE[y][0]
                continue
            if (e, i) == ("IRN", "RUS"):
                for y in YEARS:
                    base[(e, i, y)] = HEADLINE[y][1]
                continue
            a = ANCHOR_2021.get((e, i))
            if a is None:
                a = round(r.uniform(0.02, 0.5), 3)
            for y in YEARS:
                if e == "RUS":
                    prof = RUSX[y]
                elif i == "RUS":
                    prof = RUSM[y]
                elif e == "IRN":
                    prof = IRNX[y]
                elif i == "IRN":
                    prof = IRNM[y]
                else:
                    prof = GEN[y]
                if y >= 2022 and (e, i) in OVERRIDE:
                    prof = OVERRIDE[(e, i)][y - 2022]
                noise = 1.0 if y == 2021 else r.uniform(0.97, 1.03)
                # whole thousands of dollars, the last three digits filled in by the products
                base[(e, i, y)] = int(round(a * prof * noise * 1e9))
    return base


BASE = build_base()

# --------------------------------------------------------------------------------------------
# HS products (descriptions shortened from the HS2017/HS2022 nomenclature; illustrative),
# with a unit value in US$ per metric ton used for quantities.
# --------------------------------------------------------------------------------------------
HS = {
    "010121": ("Horses; live, pure-bred breeding animals", 60000),
    "020130": ("Meat of bovine animals; boneless cuts, fresh or chilled", 6000),
    "020230": ("Meat of bovine animals; boneless cuts, frozen", 4500),
    "030367": ("Fish; frozen, Alaska Pollack (Theragra chalcogramma)", 1300),
    "030617": ("Crustaceans; frozen shrimps and prawns", 6500),
    "040210": ("Milk and cream; concentrated, in powder, fat content not exceeding 1.5%", 3000),
    "040510": ("Butter", 5200),
    "040690": ("Cheese; other than fresh, grated, processed or blue-veined", 4200),
    "070200": ("Tomatoes; fresh or chilled", 650),
    "070310": ("Onions and shallots; fresh or chilled", 260),
    "071333": ("Kidney beans, incl. white pea beans; dried, shelled", 850),
    "080251": ("Pistachios; fresh or dried, in shell", 8200),
    "080252": ("Pistachios; fresh or dried, shelled", 15500),
    "080410": ("Dates; fresh or dried", 950),
    "080510": ("Oranges; fresh or dried", 520),
    "080550": ("Lemons and limes; fresh or dried", 640),
    "080610": ("Grapes; fresh", 720),
    "080620": ("Grapes; dried", 1550),
    "090111": ("Coffee; not roasted or decaffeinated", 2600),
    "090240": ("Tea, black (fermented) and partly fermented, in packages exceeding 3kg", 3100),
    "091020": ("Saffron", 1200000),
    "100199": ("Wheat and meslin; other than durum wheat, other than seed", 235),
    "100390": ("Barley; other than seed", 205),
    "100590": ("Maize (corn); other than seed", 225),
    "100630": ("Rice; semi-milled or wholly milled, whether or not polished or glazed", 520),
    "120510": ("Rape or colza seeds; low erucic acid, whether or not broken", 460),
    "151211": ("Sunflower-seed or safflower oil; crude, whether or not refined", 920),
    "151219": ("Sunflower-seed or safflower oil and their fractions; other than crude", 1050),
    "170199": ("Cane or beet sugar; refined, in solid form, other than flavoured or coloured",
               480),
    "220820": ("Spirits obtained by distilling grape wine or grape marc", 5200),
    "220421": ("Wine; still, in containers holding 2 litres or less", 2600),
    "240220": ("Cigarettes; containing tobacco", 15500),
    "252329": ("Cement; portland, other than white", 42),
    "260300": ("Copper ores and concentrates", 1550),
    "270900": ("Oils; petroleum oils and oils obtained from bituminous minerals, crude", 460),
    "271012": ("Petroleum oils; light oils and preparations", 640),
    "271019": ("Petroleum oils; medium oils, gas oils, fuel oils and other preparations", 560),
    "271111": ("Petroleum gases; natural gas, liquefied", 310),
    "271121": ("Petroleum gases; natural gas, in gaseous state", 210),
    "271320": ("Petroleum bitumen", 310),
    "290511": ("Methanol (methyl alcohol)", 310),
    "300490": ("Medicaments; mixed or unmixed, for therapeutic or prophylactic uses, "
               "in measured doses, n.e.c.", 42000),
    "310210": ("Fertilizers, mineral or chemical; nitrogenous, urea", 310),
    "310420": ("Fertilizers, mineral or chemical; potassic, potassium chloride", 255),
    "330300": ("Perfumes and toilet waters", 21000),
    "330499": ("Cosmetic and toilet preparations; n.e.c. in heading 3304", 10500),
    "390120": ("Polymers of ethylene; polyethylene having a specific gravity of 0.94 or more",
               1250),
    "401110": ("Tyres; new, pneumatic, of rubber, of a kind used on motor cars", 3600),
    "440711": ("Wood sawn or chipped lengthwise; of pine (Pinus spp.), thickness exceeding 6mm",
               185),
    "480100": ("Newsprint; in rolls or sheets", 520),
    "520100": ("Cotton; not carded or combed", 1650),
    "570110": ("Carpets and other textile floor coverings; knotted, of wool or fine animal hair",
               21000),
    "610910": ("T-shirts, singlets and other vests; of cotton, knitted or crocheted", 12500),
    "640399": ("Footwear; with outer soles of rubber, plastics or composition leather, "
               "uppers of leather, n.e.c.", 15500),
    "710812": ("Gold; non-monetary, unwrought", 56000000),
    "711319": ("Jewellery; of precious metal (excluding silver)", 46000000),
    "720241": ("Ferro-alloys; ferro-chromium, containing by weight more than 4% of carbon",
               1450),
    "720712": ("Iron or non-alloy steel; semi-finished products, rectangular (other than square) "
               "cross-section, containing by weight less than 0.25% of carbon", 460),
    "721049": ("Iron or non-alloy steel; flat-rolled, width 600mm or more, plated or coated "
               "with zinc (other than electrolytically)", 820),
    "740311": ("Copper; refined, unwrought, cathodes and sections of cathodes", 7300),
    "760110": ("Aluminium; unwrought, not alloyed", 2050),
    "790111": ("Zinc; unwrought, not alloyed, containing by weight 99.99% or more of zinc", 2600),
    "840140": ("Nuclear reactors; parts thereof", 210000),
    "847130": ("Automatic data processing machines; portable, weighing not more than 10kg", 41000),
    "847150": ("Units of automatic data processing machines; processing units", 52000),
    "848180": ("Taps, cocks, valves and similar appliances; n.e.c. in heading 8481", 12500),
    "850440": ("Electrical static converters", 26000),
    "851712": ("Telephones for cellular networks or for other wireless networks", 105000),
    "851762": ("Machines for the reception, conversion and transmission or regeneration of "
               "voice, images or other data", 98000),
    "852580": ("Television cameras, digital cameras and video camera recorders", 95000),
    "852589": ("Cameras; other than television cameras, digital cameras and video camera "
               "recorders of headings 852581-852583", 95000),
    "852872": ("Reception apparatus for television; colour", 5200),
    "854231": ("Electronic integrated circuits; processors and controllers", 2100000),
    "854800": ("Electrical parts of machinery or apparatus; n.e.c. in chapter 85", 52000),
    "870323": ("Vehicles; spark-ignition engine of a cylinder capacity exceeding 1500cc "
               "but not exceeding 3000cc", 11000),
    "870410": ("Vehicles; dumpers for off-highway use", 5200),
    "870899": ("Vehicle parts and accessories; n.e.c. in heading 8708", 4200),
    "880330": ("Aircraft; parts of aeroplanes or helicopters, other than propellers, rotors, "
               "under-carriages", 520000),
    "880622": ("Unmanned aircraft; maximum take-off weight more than 250g but not more than 7kg",
               260000),
    "880730": ("Aircraft; other parts of aeroplanes, helicopters or unmanned aircraft", 520000),
    "901380": ("Optical devices, appliances and instruments; n.e.c. in chapter 90", 85000),
    "940360": ("Furniture; wooden, n.e.c. in heading 9403", 2100),
}

# --------------------------------------------------------------------------------------------
# 1. CEPII BACI (HS2017)
# --------------------------------------------------------------------------------------------
BACI_POOL = {
    "RUS": ["100199", "100390", "100590", "151211", "151219", "440711", "480100", "720712",
            "880330", "840140", "120510", "310420", "270900", "271019", "271121", "760110",
            "740311", "030367"],
    "IRN": ["080410", "080510", "070200", "080610", "080620", "080251", "080252", "030617",
            "070310", "390120", "570110", "271320", "270900", "290511", "310210", "252329",
            "091020", "720712"],
    "CHN": ["854231", "852580", "847130", "870323", "851712", "847150", "640399", "610910",
            "852872", "940360", "870899", "401110"],
    "TUR": ["080550", "610910", "848180", "330499", "870899", "854231", "080510", "401110"],
    "ARE": ["854231", "851712", "710812", "271019", "870323", "080410", "330300"],
    "IND": ["300490", "100630", "090240", "870323", "030617", "271019", "090111"],
    "KAZ": ["270900", "260300", "720241", "100199", "740311", "854231", "790111"],
    "ARM": ["220820", "854231", "851712", "260300", "240220", "711319"],
    "BLR": ["040510", "040690", "870410", "310420", "271019", "440711", "020230", "870899"],
    "KGZ": ["710812", "520100", "610910", "071333", "040690"],
}
# products a pair must carry when it trades (CHPL goods, HS 27, the Russia-Iran staples)
BACI_FORCE = {
    ("RUS", "IRN"): ["100199", "100390", "100590", "151211", "151219", "440711", "480100",
                     "720712", "880330", "840140", "120510", "310420"],
    ("IRN", "RUS"): ["080410", "080510", "070200", "080610", "080620", "080251", "080252",
                     "030617", "070310", "390120", "570110", "271320"],
    ("CHN", "RUS"): ["854231", "852580", "847150"],
    ("ARE", "RUS"): ["854231"], ("TUR", "RUS"): ["854231"], ("KAZ", "RUS"): ["854231"],
    ("ARM", "RUS"): ["854231"],
    ("RUS", "CHN"): ["270900"], ("RUS", "IND"): ["270900"], ("RUS", "TUR"): ["271019", "271121"],
    ("RUS", "BLR"): ["270900"], ("IRN", "CHN"): ["270900"], ("IRN", "ARE"): ["271320"],
    ("KAZ", "CHN"): ["270900"],
}
BACI_YEARS = [2019, 2020, 2021, 2022]
BACI_REL = "V202401b"


def split_amount(total, n, r, min_share=0.02):
    """Split a whole-dollar total into n positive whole-dollar parts that add up exactly."""
    w = [r.uniform(0.3, 1.0) ** 2 + min_share for _ in range(n)]
    s = sum(w)
    parts = [int(total * x / s) for x in w]
    parts[w.index(max(w))] += total - sum(parts)
    assert sum(parts) == total and min(parts) > 0
    return parts


def baci_pairs():
    r = rng("baci-products")
    prods = {}
    for e in TEN:
        for i in TEN:
            if e == i:
                continue
            if (e, i) in (("RUS", "IRN"), ("IRN", "RUS")):
                n = 12
            elif "RUS" in (e, i) or "IRN" in (e, i):
                n = r.choice([3, 4])
            else:
                n = 3
            chosen = list(BACI_FORCE.get((e, i), []))
            rest = [k for k in BACI_POOL[e] if k not in chosen]
            r.shuffle(rest)
            while len(chosen) < n:
                chosen.append(rest.pop())
            prods[(e, i)] = sorted(chosen[:max(n, len(chosen))])
    return prods


def make_baci():
    prods = baci_pairs()
    r = rng("baci-values")
    used = []
    headline_check = {}
    for y in BACI_YEARS:
        rows = []
        for e in sorted(TEN, key=lambda c: C[c][0]):
            for i in sorted(TEN, key=lambda c: C[c][0]):
                if e == i:
                    continue
                ks = prods[(e, i)]
                total = BASE[(e, i, y)]
                parts = split_amount(total, len(ks), r)
                for k, usd in zip(ks, parts):
                    if k not in used:
                        used.append(k)
                    q_t = usd / HS[k][1] * r.uniform(0.85, 1.15)
                    q = "NA" if r.random() < 0.05 else "%.3f" % max(q_t, 0.001)
                    rows.append((y, C[e][0], C[i][0], k, usd, q))
                if (e, i) in (("RUS", "IRN"), ("IRN", "RUS")):
                    headline_check[(e, i, y)] = sum(parts)
        rows.sort(key=lambda t: (t[0], t[1], t[2], t[3]))
        name = "baci/BACI_HS17_Y%d_%s.csv" % (y, BACI_REL)
        if y == 2021:
            # the trap file: BOM, CRLF, values right-aligned in fixed-width fields, NA quantities
            na = sum(1 for t in rows if t[5] == "NA")
            if na < 3:  # make sure the trap is there whatever the draw
                for idx in (5, 40, 120):
                    t = rows[idx]
                    rows[idx] = t[:5] + ("NA",)
            lines = ["t,i,j,k,v,q"]
            for t, ex, im, k, usd, q in rows:
                v = "%d.%03d" % (usd // 1000, usd % 1000)
                lines.append("%d,%d,%d,%s,%12s,%12s" % (t, ex, im, k, v, q))
            data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
        else:
            lines = ["t,i,j,k,v,q"]
            for t, ex, im, k, usd, q in rows:
                lines.append("%d,%d,%d,%s,%d.%03d,%s" % (t, ex, im, k, usd // 1000, usd % 1000, q))
            data = ("\n".join(lines) + "\n").encode("utf-8")
        write_bytes(name, data)
    for (e, i, y), s in headline_check.items():
        want = HEADLINE[y][0] if e == "RUS" else HEADLINE[y][1]
        assert s == want, (e, i, y, s, want)

    # country codes, new layout (V2024+, UTF-8)
    cc = [["country_code", "country_name", "country_iso2", "country_iso3"]]
    extra = [(51, "Armenia", "AM", "ARM"), (112, "Belarus", "BY", "BLR"),
             (156, "China", "CN", "CHN"), (251, "France", "FR", "FRA"),
             (276, "Germany", "DE", "DEU"),
             (364, "Iran", "IR", "IRN"), (381, "Italy", "IT", "ITA"),
             (384, "Côte d'Ivoire", "CI", "CIV"), (398, "Kazakhstan", "KZ", "KAZ"),
             (417, "Kyrgyzstan", "KG", "KGZ"), (490, "Other Asia, nes", "N/A", "S19"),
             (516, "Namibia", "NA", "NAM"), (531, "Curaçao", "CW", "CUW"),
             (579, "Norway", "NO", "NOR"), (643, "Russian Federation", "RU", "RUS"),
             (699, "India", "IN", "IND"), (757, "Switzerland", "CH", "CHE"),
             (784, "United Arab Emirates", "AE", "ARE"), (792, "Türkiye", "TR", "TUR"),
             (842, "USA", "US", "USA")]
    for code, name, i2, i3 in extra:
        cc.append([str(code), name, i2, i3])
    write_bytes("baci/country_codes_%s.csv" % BACI_REL, csv_text(cc).encode("utf-8"))

    pc = [["code", "description"]]
    for k in sorted(used):
        pc.append([k, HS[k][0]])
    pc.append(["9999AA", "Commodities not specified according to kind"])
    write_bytes("baci/product_codes_HS17_%s.csv" % BACI_REL, csv_text(pc).encode("utf-8"))

    # the old country file: V2022-V2023 header, Latin-1 bytes, 490 without ISO codes
    old = [["country_code", "country_name_abbreviation", "country_name_full",
            "iso_2digit_alpha", "iso_3digit_alpha"],
           ["51", "Armenia", "Armenia", "AM", "ARM"],
           ["112", "Belarus", "Belarus", "BY", "BLR"],
           ["156", "China", "China", "CN", "CHN"],
           ["251", "France", "France", "FR", "FRA"],
           ["276", "Germany", "Germany", "DE", "DEU"],
           ["364", "Iran", "Iran (Islamic Rep. of)", "IR", "IRN"],
           ["384", "Côte d'Ivoire", "Côte d'Ivoire", "CI", "CIV"],
           ["398", "Kazakhstan", "Kazakhstan", "KZ", "KAZ"],
           ["417", "Kyrgyzstan", "Kyrgyzstan", "KG", "KGZ"],
           ["490", "Other Asia, nes", "Other Asia, not elsewhere specified", "", ""],
           ["516", "Namibia", "Namibia", "NA", "NAM"],
           ["531", "Curaçao", "Curaçao", "CW", "CUW"],
           ["643", "Russian Federation", "Russian Federation", "RU", "RUS"],
           ["699", "India", "India", "IN", "IND"],
           ["784", "United Arab Emirates", "United Arab Emirates", "AE", "ARE"],
           ["792", "Türkiye", "Türkiye", "TR", "TUR"],
           ["842", "USA", "United States of America", "US", "USA"]]
    write_bytes("baci-old/country_codes_V202301.csv", csv_text(old).encode("latin-1"))
    return prods


# --------------------------------------------------------------------------------------------
# 2. UN Comtrade Plus
# --------------------------------------------------------------------------------------------
PLUS_HEADER = ("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
               "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
               "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
               "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
               "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
               "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
               "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
               "isAggregate")
PLUS_COLS = PLUS_HEADER.split(",")
assert len(PLUS_COLS) == 47
FLOW_DESC = {"M": "Import", "X": "Export", "RX": "Re-export", "RM": "Re-import",
             "MIP": "Import of goods for inward processing"}
HS2_DESC = {
    "08": "Edible fruit and nuts; peel of citrus fruit or melons",
    "10": "Cereals",
    "15": "Animal, vegetable or microbial fats and oils and their cleavage products; prepared "
          "edible fats; animal or vegetable waxes",
    "27": "Mineral fuels, mineral oils and products of their distillation; bituminous "
          "substances; mineral waxes",
    "39": "Plastics and articles thereof",
    "44": "Wood and articles of wood; wood charcoal",
    "85": "Electrical machinery and equipment and parts thereof; sound recorders and "
          "reproducers; television image and sound recorders and reproducers, parts and "
          "accessories of such articles",
}
MOT_DESC = {"0": "TOTAL MOT", "2100": "Sea"}


def hs_class(y):
    return "H4" if y <= 2016 else ("H5" if y <= 2021 else "H6")


def plus_row(y, month, rep, flow, partner, cmd, value, partner2="W00", mot="0", r=None):
    """One Comtrade Plus data row as a list of 47 strings ('' = empty field)."""
    pcode, piso, pdesc = partner
    if month:
        freq, refid, refm, period = "M", "%d%02d01" % (y, month), str(month), "%d%02d" % (y, month)
    else:
        freq, refid, refm, period = "A", "%d0101" % y, "52", str(y)
    if cmd == "TOTAL":
        cdesc, aggr, leaf = "All Commodities", "0", "false"
    elif len(cmd) == 2:
        cdesc, aggr, leaf = HS2_DESC[cmd], "2", "false"
    else:
        cdesc, aggr, leaf = HS[cmd][0], "6", "true"
    p2 = {"W00": ("0", "W00", "World"), "RUS": ("643", "RUS", "Russian Federation")}[partner2]
    if aggr == "6":
        kg = int(value / HS[cmd][1] * 1000 * r.uniform(0.9, 1.1))
        if cmd == "880622":
            qty = ("5", "u", str(max(1, value // 2500)), "false")
        else:
            qty = ("8", "kg", str(kg), "false")
        wgt = (str(kg), "false")
    elif aggr == "2":
        qty = ("-1", "N/A", "0", "false")
        wgt = (str(int(value / 900 * 1000)), "false")
    else:
        qty = ("-1", "N/A", "0", "false")
        wgt = ("0", "true")
    imp = flow in ("M", "RM", "MIP")
    vals = ["C", freq, refid, str(y), refm, period, str(C[rep][0]), rep, C[rep][2],
            flow, FLOW_DESC[flow], pcode, piso, pdesc, p2[0], p2[1], p2[2],
            hs_class(y), "HS", "true", cmd, cdesc, aggr, leaf, "C00", "TOTAL CPC", "0",
            mot, MOT_DESC[mot], qty[0], qty[1], qty[2], qty[3], "-1", "N/A", "0", "false",
            wgt[0], wgt[1], "0", "false",
            str(value) if imp else "", "" if imp else str(value), str(value), "0",
            "true" if aggr == "6" else "false", "false" if aggr == "6" else "true"]
    assert len(vals) == 47
    return vals


def plus_file(rel, rows):
    out = [PLUS_HEADER]
    for vals in rows:
        out.append(",".join('"%s"' % v if v != "" else "" for v in vals) + ",")
    write_bytes(rel, ("\n".join(out) + "\n").encode("utf-8"))


def party(iso):
    if iso == "W00":
        return ("0", "W00", "World")
    if iso == "S19":
        return ("490", "S19", "Other Asia, nes")
    return (str(C[iso][0]), iso, C[iso][2])


# Comtrade "World" totals, US$ bn: 2021 anchor of exports and imports, scaled by a profile
WORLD_2021 = {"CHN": (3360, 2690), "TUR": (225, 271), "ARE": (335, 290), "IND": (395, 570),
              "KAZ": (60, 41), "ARM": (3.0, 5.4), "BLR": (39.9, 41.8), "KGZ": (2.75, 5.6)}
RUS_WORLD = {2014: (497, 287), 2015: (343, 182), 2016: (282, 182), 2017: (353, 228),
             2018: (443, 238), 2019: (419, 247), 2020: (333, 232), 2021: (492, 294),
             2022: (592, 259), 2023: (425, 300), 2024: (433, 300)}
IRN_WORLD = {2014: (44, 52), 2015: (36, 41), 2016: (43, 43), 2017: (47, 50), 2018: (44, 41),
             2019: (41, 41), 2021: (48, 53)}
RUS_REPORTS_PARTNERS = range(2014, 2022)
IRN_REPORTS = [2014, 2015, 2016, 2017, 2018, 2019, 2021]

# Partner-reported (mirror) figures: partner's imports are CIF (above the exporter's FOB view),
# partner's exports are FOB (below the importer's CIF view); a few years far apart.
BIG_GAP = {("ARE", "RUS", "X", 2019): 1.62, ("KGZ", "RUS", "M", 2016): 0.64,
           ("CHN", "RUS", "X", 2014): 1.21, ("IRN", "RUS", "M", 2016): 0.58,
           ("IRN", "RUS", "X", 2021): 1.31}


def build_reported():
    """REP[(reporter, partner, flow, year)] = whole US$ value as that reporter publishes it."""
    r = rng("comtrade-reported")
    rep = {}
    for y in YEARS:
        for a in TEN:
            for b in TEN:
                if a == b:
                    continue
                x_base, m_base = BASE[(a, b, y)], BASE[(b, a, y)]
                if a == "RUS" or (a == "IRN" and b != "RUS"):
                    fx = fm = 1.0  # Russia's and Iran's own view is the base itself
                else:
                    fx = r.uniform(0.88, 0.97)  # my FOB exports vs partner's CIF imports
                    fm = r.uniform(1.03, 1.12)  # my CIF imports vs partner's FOB exports
                fx = BIG_GAP.get((a, b, "X", y), fx)
                fm = BIG_GAP.get((a, b, "M", y), fm)
                rep[(a, b, "X", y)] = int(round(x_base * fx))
                rep[(a, b, "M", y)] = int(round(m_base * fm))
    rep[("CHN", "RUS", "M", 2022)] = CHN_M_RUS_2022
    rep[("CHN", "IRN", "M", 2022)] = CHN_M_IRN_2022
    # Russia's own figures for Iran are the headline, exactly
    for y in YEARS:
        assert rep[("RUS", "IRN", "X", y)] == HEADLINE[y][0]
        assert rep[("RUS", "IRN", "M", y)] == HEADLINE[y][1]
    return rep


REP = build_reported()


def world_value(rep_iso, flow, y, partner_sum):
    if rep_iso == "RUS":
        bn = RUS_WORLD[y][0 if flow == "X" else 1]
    elif rep_iso == "IRN":
        bn = IRN_WORLD[y][0 if flow == "X" else 1]
    else:
        bn = WORLD_2021[rep_iso][0 if flow == "X" else 1] * GEN[y]
    v = int(round(bn * 1e9 / 1000)) * 1000 + 417  # not a round number
    if v < partner_sum * 1.15:
        v = int(partner_sum * 1.3) // 1000 * 1000 + 417
    return v


# detail rows: (reporter, partner, flow, year) -> [(cmd, share of the TOTAL), ...]
DETAIL = {
    ("RUS", "IRN", "X", 2020): [("10", .41), ("15", .09), ("44", .06), ("100199", .27),
                                ("151211", .05), ("880330", .02)],
    ("RUS", "IRN", "X", 2021): [("10", .46), ("15", .08), ("44", .05), ("100199", .31),
                                ("151211", .04), ("880330", .015)],
    ("RUS", "IRN", "M", 2020): [("08", .38), ("39", .07), ("080410", .06), ("080251", .05)],
    ("RUS", "IRN", "M", 2021): [("08", .35), ("39", .09), ("080410", .05), ("080251", .04)],
    ("RUS", "CHN", "X", 2021): [("27", .52), ("270900", .38)],
    ("IRN", "RUS", "M", 2021): [("10", .44), ("100199", .30)],
    ("IRN", "RUS", "X", 2019): [("08", .33), ("080410", .05)],
    ("IRN", "RUS", "X", 2021): [("08", .31), ("080410", .05), ("271320", .01)],
    ("CHN", "RUS", "X", 2021): [("85", .18), ("854231", .004), ("852580", .003)],
    ("CHN", "RUS", "X", 2022): [("85", .21), ("854231", .006), ("852589", .004),
                                ("880622", .0009)],
    ("CHN", "RUS", "X", 2023): [("85", .19), ("854231", .005), ("852589", .003),
                                ("880622", .0006)],
    ("CHN", "RUS", "M", 2022): [("27", .52), ("270900", .36)],
    ("CHN", "IRN", "M", 2022): [("270900", .08)],
    ("TUR", "RUS", "X", 2022): [("854231", .003)],
    ("ARE", "RUS", "X", 2022): [("854231", .02)],
    ("ARM", "RUS", "X", 2022): [("854231", .015)],
    ("KAZ", "RUS", "X", 2022): [("854231", .004)],
}
# a pair-year published only at HS6 (no TOTAL row): totals fall back to the HS6 sum
HS6_ONLY = {("KGZ", "IRN", "M", 2024): [("080410", .35), ("080251", .25), ("390120", .30)]}


def plus_annual():
    r = rng("comtrade-plus")
    files = {}
    for rep_iso in TEN:
        rows = []
        for y in YEARS:
            if rep_iso == "IRN" and y not in IRN_REPORTS:
                continue
            if rep_iso == "RUS":
                partners = TEN[1:] if y in RUS_REPORTS_PARTNERS else []
            elif rep_iso == "IRN":
                partners = [p for p in TEN if p != "IRN"]
            else:
                partners = ["RUS", "IRN"]
            for flow in ("M", "X"):
                psum = sum(REP[(rep_iso, p, flow, y)] for p in partners)
                extra = []
                if rep_iso == "CHN" and y == 2022 and flow == "M":
                    s19 = 238_117_530_211
                    psum += s19
                    extra.append(plus_row(y, 0, rep_iso, flow, party("S19"), "TOTAL", s19))
                rows.append(plus_row(y, 0, rep_iso, flow, party("W00"), "TOTAL",
                                     world_value(rep_iso, flow, y, psum)))
                for p in partners:
                    key = (rep_iso, p, flow, y)
                    total = REP[key]
                    if key in HS6_ONLY:
                        for cmd, share in HS6_ONLY[key]:
                            rows.append(plus_row(y, 0, rep_iso, flow, party(p), cmd,
                                                 int(total * share * r.uniform(0.96, 1.0)), r=r))
                        continue
                    rows.append(plus_row(y, 0, rep_iso, flow, party(p), "TOTAL", total))
                    det = DETAIL.get(key, [])
                    assert sum(s for _, s in det) <= 1.0
                    for cmd, share in det:
                        rows.append(plus_row(y, 0, rep_iso, flow, party(p), cmd,
                                             int(total * share * r.uniform(0.96, 1.0)), r=r))
                rows.extend(extra)
            # traps that must not be counted as the bilateral total
            if rep_iso == "RUS" and y == 2021:
                rows.append(plus_row(y, 0, "RUS", "X", party("IRN"), "TOTAL",
                                     1_903_377_215, mot="2100"))
            if rep_iso == "CHN" and y == 2022:
                rows.append(plus_row(y, 0, "CHN", "M", party("RUS"), "TOTAL",
                                     int(CHN_M_RUS_2022 * 0.97), partner2="RUS"))
                rows.append(plus_row(y, 0, "CHN", "MIP", party("RUS"), "TOTAL", 1_873_442_106))
            if rep_iso == "TUR" and y == 2022:
                rows.append(plus_row(y, 0, "TUR", "RX", party("RUS"), "TOTAL", 412_903_377))
        name = "comtrade/comtrade_plus_A_2014-2024_%s.csv" % rep_iso
        plus_file(name, rows)
        files[rep_iso] = len(rows)
    return files


def plus_monthly():
    r = rng("comtrade-monthly")
    rows = []
    for rep_iso, last in (("CHN", (2024, 12)), ("TUR", (2024, 9))):
        for y in (2023, 2024):
            for flow in ("M", "X"):
                for p in ("RUS", "IRN"):
                    parts = split_amount(REP[(rep_iso, p, flow, y)], 12, r, min_share=0.35)
                    for m in range(1, 13):
                        if (y, m) > last:
                            break
                        rows.append(((y, m, rep_iso, flow, p),
                                     plus_row(y, m, rep_iso, flow, party(p), "TOTAL",
                                              parts[m - 1])))
    rows.sort(key=lambda t: (t[0][2], t[0][0], t[0][1], t[0][3], t[0][4]))
    plus_file("comtrade/comtrade_plus_M_2023-2024_CHN_TUR.csv", [v for _, v in rows])
    return len(rows)


# --------------------------------------------------------------------------------------------
# 3. UN Comtrade legacy CSV (22 and 35 columns)
# --------------------------------------------------------------------------------------------
LEG22 = ["Classification", "Year", "Period", "Period Desc.", "Aggregate Level", "Is Leaf Code",
         "Trade Flow Code", "Trade Flow", "Reporter Code", "Reporter", "Reporter ISO",
         "Partner Code", "Partner", "Partner ISO", "Commodity Code", "Commodity", "Qty Unit Code",
         "Qty Unit", "Qty", "Netweight (kg)", "Trade Value (US$)", "Flag"]
LEG35 = ["Classification", "Year", "Period", "Period Desc.", "Aggregate Level", "Is Leaf Code",
         "Trade Flow Code", "Trade Flow", "Reporter Code", "Reporter", "Reporter ISO",
         "Partner Code", "Partner", "Partner ISO", "2nd Partner Code", "2nd Partner",
         "2nd Partner ISO", "Customs Proc. Code", "Customs", "Mode of Transport Code",
         "Mode of Transport", "Commodity Code", "Commodity", "Qty Unit Code", "Qty Unit", "Qty",
         "Alt Qty Unit Code", "Alt Qty Unit", "Alt Qty", "Netweight (kg)", "Gross weight (kg)",
         "Trade Value (US$)", "CIF Trade Value (US$)", "FOB Trade Value (US$)", "Flag"]
LEG_FLOW = {"M": ("1", "Import"), "X": ("2", "Export"), "RX": ("3", "Re-Export"),
            "RM": ("4", "Re-Import")}


def leg_commodity(cmd):
    if cmd == "TOTAL":
        return "0", "0", "All Commodities"
    if len(cmd) == 2:
        return "2", "0", HS2_DESC[cmd]
    return "6", "1", HS[cmd][0]


def leg_partner(iso):
    if iso == "WLD":
        return "0", "World", "WLD"
    if iso == "TUR":
        return "792", "Turkey", "TUR"  # the legacy files carry the name of the time
    return str(C[iso][0]), C[iso][2], iso


def make_legacy():
    r = rng("legacy")
    rows = [LEG22]
    for y in (2014, 2015, 2016):
        for flow in ("M", "X"):
            partners = [p for p in TEN if p != "IRN"]
            psum = sum(REP[("IRN", p, flow, y)] for p in partners)
            entries = [("WLD", "TOTAL", world_value("IRN", flow, y, psum))]
            for p in partners:
                entries.append((p, "TOTAL", REP[("IRN", p, flow, y)]))
            if flow == "X":
                entries.append(("RUS", "08", int(REP[("IRN", "RUS", "X", y)] * 0.34)))
                entries.append(("CHN", "27", int(REP[("IRN", "CHN", "X", y)] * 0.22)))
            else:
                entries.append(("RUS", "10", int(REP[("IRN", "RUS", "M", y)] * 0.45)))
                entries.append(("RUS", "100199", int(REP[("IRN", "RUS", "M", y)] * 0.29)))
            for p, cmd, v in entries:
                aggr, leaf, cdesc = leg_commodity(cmd)
                pc, pn, pi = leg_partner(p)
                if aggr == "6":
                    kg = int(v / HS[cmd][1] * 1000 * r.uniform(0.9, 1.1))
                    qu, qn, q, nw = "8", "Weight in kilograms", str(kg), str(kg)
                else:
                    qu, qn, q, nw = "1", "No Quantity", "", ""
                rows.append([hs_class(y), str(y), str(y), str(y), aggr, leaf, LEG_FLOW[flow][0],
                             LEG_FLOW[flow][1], "364", "Iran", "IRN", pc, pn, pi, cmd, cdesc,
                             qu, qn, q, nw, str(v), "0"])
        # one re-export and one re-import row
    rows.append(["H4", "2015", "2015", "2015", "0", "0", "3", "Re-Export", "364", "Iran", "IRN",
                 "51", "Armenia", "ARM", "TOTAL", "All Commodities", "1", "No Quantity", "", "",
                 "18630417", "0"])
    rows.append(["H4", "2016", "2016", "2016", "0", "0", "4", "Re-Import", "364", "Iran", "IRN",
                 "784", "United Arab Emirates", "ARE", "TOTAL", "All Commodities", "1",
                 "No Quantity", "", "", "6204388", "0"])
    write_bytes("comtrade-legacy/comtrade_legacy_2014-2016_IRN.csv",
                csv_text(rows).encode("utf-8"))

    # the 35-column layout: EU-28 (97, EU2) in 2015 with Russia and Iran
    eu = {("RUS", "M"): 151_296_114_207, ("RUS", "X"): 81_640_352_918,
          ("IRN", "M"): 1_365_870_442, ("IRN", "X"): 7_187_021_655}
    full = [LEG35]
    for p in ("IRN", "RUS"):
        for flow in ("M", "X"):
            v = eu[(p, flow)]
            ents = [("TOTAL", v)]
            if p == "RUS" and flow == "M":
                ents.append(("27", int(v * 0.63)))
                ents.append(("270900", int(v * 0.34)))
            for cmd, val in ents:
                aggr, leaf, cdesc = leg_commodity(cmd)
                pc, pn, pi = leg_partner(p)
                if aggr == "6":
                    kg = int(val / HS[cmd][1] * 1000)
                    qu, qn, q, nw = "8", "Weight in kilograms", str(kg), str(kg)
                else:
                    qu, qn, q, nw = "1", "No Quantity", "", ""
                cif = str(val) if flow == "M" else ""
                fob = str(val) if flow == "X" else ""
                full.append(["H4", "2015", "2015", "2015", aggr, leaf, LEG_FLOW[flow][0],
                             LEG_FLOW[flow][1], "97", "EU-28", "EU2", pc, pn, pi,
                             "", "", "", "", "", "", "", cmd, cdesc, qu, qn, q, "", "", "",
                             nw, "", str(val), cif, fob, "0"])
    write_bytes("comtrade-legacy/comtrade_legacy_full_2015_EU.csv",
                csv_text(full).encode("utf-8"))
    return len(rows) - 1, len(full) - 1


# --------------------------------------------------------------------------------------------
# 4. WITS bulk trade (HS6 rows only; passed through Excel: CRLF, E-notation, lost zeros)
# --------------------------------------------------------------------------------------------
WITS_HDR = ["Nomenclature", "ReporterISO3", "ProductCode", "ReporterName", "PartnerISO3",
            "PartnerName", "Year", "TradeFlowName", "TradeFlowCode", "TradeValueK", "Quantity",
            "ProductDescription", "QtyUnit", "NetWeightKG"]
WITS_NAME = {"KAZ": "Kazakhstan", "ARM": "Armenia", "RUS": "Russian Federation",
             "IRN": "Iran, Islamic Rep."}
WITS_PRODUCTS = {
    ("KAZ", "RUS", "6"): ["270900", "260300", "720241", "100199", "740311"],
    ("KAZ", "RUS", "5"): ["270900", "271019", "720712", "870323", "151219"],
    ("KAZ", "IRN", "6"): ["100199", "100390", "720241", "440711"],
    ("KAZ", "IRN", "5"): ["080410", "080510", "070200", "390120", "252329"],
    ("ARM", "RUS", "6"): ["220820", "854231", "851712", "240220", "080610"],
    ("ARM", "RUS", "5"): ["271121", "100199", "270900", "151211", "870323"],
    ("ARM", "IRN", "6"): ["260300", "220820", "040690", "711319"],
    ("ARM", "IRN", "5"): ["271019", "080510", "070200", "390120", "252329"],
}


def make_wits_trade():
    r = rng("wits-trade")
    rows = [WITS_HDR]
    n_sci = 0
    for rep_iso in ("KAZ", "ARM"):
        for y in range(2018, 2023):
            for p in ("RUS", "IRN"):
                for code in ("5", "6"):
                    flow = "M" if code == "5" else "X"
                    ks = WITS_PRODUCTS[(rep_iso, p, code)]
                    # HS6 detail covers part of the reported total
                    covered = int(REP[(rep_iso, p, flow, y)] * r.uniform(0.45, 0.8))
                    parts = split_amount(covered, len(ks), r)
                    for k, usd in zip(ks, parts):
                        if rep_iso == "ARM" and k in ("854231", "851712") and y < 2022:
                            usd = usd // 40  # the re-export boom starts in 2022
                        val = "%.3f" % (usd / 1000.0)
                        if r.random() < 0.15:
                            # Excel's scientific format keeps three significant digits
                            val = "%.2E" % float("%.3g" % (usd / 1000.0))
                            n_sci += 1
                        kg = int(usd / HS[k][1] * 1000 * r.uniform(0.9, 1.1))
                        if r.random() < 0.2:
                            qty, unit = "", "N.Q."
                        else:
                            qty, unit = str(kg), "Kg"
                        nw = "" if r.random() < 0.1 else str(kg)
                        pcode = k.lstrip("0") if k.startswith("0") else k
                        rows.append(["H5" if y < 2022 else "H6", rep_iso, pcode,
                                     WITS_NAME[rep_iso], p, WITS_NAME[p], str(y),
                                     "Gross Imp." if code == "5" else "Gross Exp.", code, val,
                                     qty, HS[k][0], unit, nw])
    # make sure the trap exists: the row nearest to US$ 4 m is written as 4.00E+03
    near = min(range(1, len(rows)), key=lambda n: abs(float(rows[n][9]) - 4000.0))
    ratio = 4000.0 / float(rows[near][9])
    rows[near][9] = "4.00E+03"
    for col in (10, 13):
        if rows[near][col]:
            rows[near][col] = str(int(int(rows[near][col]) * ratio))
    write_bytes("wits-trade/WITS_HS6_KAZ_ARM_RUS_IRN_2018-2022.csv",
                csv_text(rows, lineterminator="\r\n").encode("utf-8"))
    return len(rows) - 1, n_sci


# --------------------------------------------------------------------------------------------
# 5. WITS / TRAINS tariffs (HS2022, H6)
# --------------------------------------------------------------------------------------------
TARIFF_PRODUCTS = [
    "010121", "020130", "020230", "030617", "040210", "040510", "040690", "070200", "070310",
    "080251", "080410", "080510", "080610", "080620", "090111", "091020", "100199", "100390",
    "100590", "100630", "120510", "151211", "170199", "240220", "252329", "270900", "271012",
    "271019", "271320", "290511", "300490", "310420", "330499", "390120", "401110", "440711",
    "480100", "520100", "570110", "610910", "640399", "720712", "721049", "760110", "847150",
    "848180", "850440", "851762", "852589", "854231", "854800", "870323", "870410", "870899",
    "880622", "880730", "901380", "940360", "220820", "030367",
]
assert len(TARIFF_PRODUCTS) == 60 and len(set(TARIFF_PRODUCTS)) == 60
RUS_FREE = ["270900", "854231", "847150", "851762", "880730"]
RUS_EXCLUDED = ["170199", "220820"]          # sensitive: no FTA cut
IRN_EXCLUDED = ["870323", "080410", "080251", "091020", "570110", "240220", "100630"]
# the interim agreement (in force 27 Oct 2019 to 14 May 2025): a narrow list each way
IRN_INTERIM = ["020130", "020230", "040210", "040510", "151211", "100390", "120510", "440711",
               "480100", "720712", "760110"]
RUS_INTERIM = ["070200", "070310", "080251", "080410", "080510", "080610", "080620", "091020",
               "252329", "570110"]
RUS_SPECIFIC = {"240220": "S", "640399": "C", "170199": "C", "870323": "C"}


def mfn_lines(rep_iso, k, y, r):
    """National tariff lines under one HS6 code: list of (kind, rate). kind AV, AVE or NA."""
    n = 1 + int(r.random() * 3.2)
    lines = []
    if rep_iso == "RUS":
        if k in RUS_FREE:
            return [("AV", 0.0)] * n
        base = {"0": 10, "1": 7.5, "2": 5, "3": 6.5, "4": 10, "5": 8, "6": 10, "7": 5, "8": 3,
                "9": 10}[k[0]]
        for _ in range(n):
            rate = max(2.5, base + r.choice([-2.5, 0, 0, 2.5, 5]))
            kind = "AVE" if k in RUS_SPECIFIC else "AV"
            lines.append((kind, rate))
        if k == "870323":
            lines = [("AVE", 15.0)]                  # 15% or a minimum per cm3: AVE
        if k == "240220" and y == 2022:
            lines = [("NA", None)] * n               # specific duty, no AVE that year
        if k == "640399" and y == 2022:
            lines = [("NA", None)] + lines[1:] if len(lines) > 1 else lines + [("NA", None)]
    else:
        base = {"0": 26, "1": 20, "2": 15, "3": 20, "4": 15, "5": 20, "6": 32, "7": 10, "8": 15,
                "9": 26}[k[0]]
        for _ in range(n):
            rate = max(4, base + r.choice([-6, -5, 0, 0, 6, 14]))
            lines.append(("AV", float(rate)))
        if k == "870323":
            lines = [("AV", 55.0), ("AV", 75.0), ("AV", 100.0), ("NA", None)]
            if y == 2022:
                lines = lines[:3]
    return lines


def pref_lines(mfn, k, cut_list, excluded, r, broad):
    out = []
    for kind, rate in mfn:
        if kind == "NA" or rate == 0 or k in excluded:
            out.append((kind, rate))
        elif broad or k in cut_list:
            f = r.choice([0.0, 0.0, 0.25, 0.5]) if broad else r.choice([0.5, 0.6, 0.75])
            out.append((kind, round(rate * f, 2)))
        else:
            out.append((kind, rate))
    return out


def fmt_rate(x):
    if x is None:
        return ""
    s = "%.4f" % x
    return s.rstrip("0").rstrip(".")


def ave_stats(lines):
    """Stats of an AVE file: AVE lines count as valid."""
    valid = [rt for kind, rt in lines if kind != "NA"]
    na = len(lines) - len(valid)
    if not valid:
        return dict(sum="NA", min="NA", max="NA", avg="NA", na=na, free=0, ave=0, dut=0,
                    valid=0, total=len(lines))
    return dict(sum=fmt_rate(sum(valid)), min=fmt_rate(min(valid)), max=fmt_rate(max(valid)),
                avg=fmt_rate(sum(valid) / len(valid)), na=na,
                free=sum(1 for v in valid if v == 0),
                ave=sum(1 for kind, _ in lines if kind == "AVE"),
                dut=sum(1 for v in valid if v > 0), valid=len(valid), total=len(lines))


def tcode(k):
    return k.lstrip("0")  # WITS drops the leading zero of chapters 01-09


def make_tariffs():
    r = rng("wits-tariff")
    mfn = {}
    for rep_iso in ("IRN", "RUS"):
        for k in TARIFF_PRODUCTS:
            l22 = mfn_lines(rep_iso, k, 2022, r)
            l24 = mfn_lines(rep_iso, k, 2024, r) if r.random() < 0.2 else \
                [(kd, rt) for kd, rt in l22]
            if rep_iso == "RUS" and k in ("240220", "640399"):
                l24 = mfn_lines(rep_iso, k, 2024, r)
            if rep_iso == "IRN" and k == "870323":
                l24 = mfn_lines(rep_iso, k, 2024, r)
            mfn[(rep_iso, 2022, k)] = l22
            mfn[(rep_iso, 2024, k)] = l24
            mfn[(rep_iso, 2025, k)] = [(kd, rt) for kd, rt in l24 if kd != "NA"] or l24
    hdr = ["NomenCode", "Reporter_ISO_N", "Year", "ProductCode", "Sum_Of_Rates", "Min_Rate",
           "Max_Rate", "SimpleAverage", "Nbr_NA_Lines", "Nbr_Free_Lines", "Nbr_AVE_Lines",
           "Nbr_Dutiable_Lines", "TotalNoOfValidLines", "TotalNoOfLines", "EstCode"]

    def mfn_rows(years):
        rows = [hdr]
        for rep_iso in ("IRN", "RUS"):
            for y in years:
                for k in sorted(TARIFF_PRODUCTS):
                    s = ave_stats(mfn[(rep_iso, y, k)])
                    rows.append(["H6", str(C[rep_iso][0]), str(y), tcode(k), s["sum"], s["min"],
                                 s["max"], s["avg"], str(s["na"]), str(s["free"]), str(s["ave"]),
                                 str(s["dut"]), str(s["valid"]), str(s["total"]),
                                 "1" if s["ave"] else "0"])
        return rows

    m1 = mfn_rows((2022, 2024))
    n_all_na = sum(1 for row in m1[1:] if row[8] == row[13])
    assert n_all_na == 1, n_all_na
    write_bytes("wits-tariff/AVEMFN_H6_364_643_2022_2024.csv", csv_text(m1).encode("utf-8"))
    m2 = mfn_rows((2025,))
    write_bytes("wits-tariff/AVEMFN_H6_364_643_2025.csv", csv_text(m2).encode("utf-8"))

    # preferences: Iran -> the EAEU (partner group code EAEU), the EAEU (Russia) -> Iran (364)
    pref = {}
    for rep_iso, partner, cut, excl in (("IRN", "EAEU", IRN_INTERIM, IRN_EXCLUDED),
                                        ("RUS", "364", RUS_INTERIM, RUS_EXCLUDED)):
        for y in (2022, 2024, 2025):
            for k in TARIFF_PRODUCTS:
                pref[(rep_iso, y, k)] = (partner, pref_lines(mfn[(rep_iso, y, k)], k, cut,
                                                             excl, r, broad=(y == 2025)))
    phdr = hdr[:4] + ["Partner"] + hdr[4:]

    def pref_rows(years):
        rows = [phdr]
        for rep_iso in ("IRN", "RUS"):
            for y in years:
                for k in sorted(TARIFF_PRODUCTS):
                    partner, lines = pref[(rep_iso, y, k)]
                    s = ave_stats(lines)
                    rows.append(["H6", str(C[rep_iso][0]), str(y), tcode(k), partner, s["sum"],
                                 s["min"], s["max"], s["avg"], str(s["na"]), str(s["free"]),
                                 str(s["ave"]), str(s["dut"]), str(s["valid"]), str(s["total"]),
                                 "1" if s["ave"] else "0"])
        return rows

    write_bytes("wits-tariff/AVEPref_H6_364_643_EAEU_2022_2024.csv",
                csv_text(pref_rows((2022, 2024))).encode("utf-8"))
    write_bytes("wits-tariff/AVEPref_H6_364_643_EAEU_2025.csv",
                csv_text(pref_rows((2025,))).encode("utf-8"))

    # plain Pref (no ad-valorem equivalents: specific/compound lines are NA), 2024
    rows = [["NomenCode", "Reporter_ISO_N", "Year", "ProductCode", "Partner", "Sum_Of_Rates",
             "Min_Rate", "Max_Rate", "SimpleAverage", "TotalNoOfLines", "Nbr_Pref_Lines",
             "Nbr_MFN_Lines", "Nbr_NA_Lines", "EstCode"]]
    for rep_iso in ("IRN", "RUS"):
        for k in sorted(TARIFF_PRODUCTS):
            partner, lines = pref[(rep_iso, 2024, k)]
            base = mfn[(rep_iso, 2024, k)]
            valid = [(rt, b) for (kd, rt), (_, b) in zip(lines, base) if kd == "AV"]
            na = len(lines) - len(valid)
            if valid:
                rates = [rt for rt, _ in valid]
                sm, mn, mx = fmt_rate(sum(rates)), fmt_rate(min(rates)), fmt_rate(max(rates))
                avg = fmt_rate(sum(rates) / len(rates))
            else:
                sm = mn = mx = avg = ""
            npref = sum(1 for rt, b in valid if rt < b)
            nmfn = len(valid) - npref
            rows.append(["H6", str(C[rep_iso][0]), "2024", tcode(k), partner, sm, mn, mx, avg,
                         str(len(lines)), str(npref), str(nmfn), str(na), "0"])
    write_bytes("wits-tariff/Pref_H6_364_643_EAEU_2024.csv", csv_text(rows).encode("utf-8"))

    # shares of HS6 products with preferential average below MFN average, for the README
    shares = {}
    for rep_iso in ("IRN", "RUS"):
        for y in (2022, 2024, 2025):
            below = comparable = 0
            for k in TARIFF_PRODUCTS:
                a = ave_stats(mfn[(rep_iso, y, k)])["avg"]
                b = ave_stats(pref[(rep_iso, y, k)][1])["avg"]
                if a == "NA":
                    continue
                comparable += 1
                if float(b) < float(a):
                    below += 1
            shares[(rep_iso, y)] = (below, comparable)
    return shares


# --------------------------------------------------------------------------------------------
# 6. Claims
# --------------------------------------------------------------------------------------------
def make_claims():
    rows = [["article", "published", "paraphrase", "metric", "a", "b", "year", "base_year",
             "stated_value", "unit", "tolerance_pct", "product_code", "note"],
            ["UN Comtrade, China reporting (REFERENCE.md section 7)", "2023",
             "China imported $114.15 bn of goods from Russia in 2022", "imports", "CHN", "RUS",
             "2022", "", "114150000000", "USD", "1", "",
             "China's own (CIF) figure; compare with China-reported rows, not Russia's"],
            ["Russian customs (FCS) figures reported by RT", "2022",
             "Russia's exports to Iran were $3.07 bn in 2021", "exports", "RUS", "IRN", "2021",
             "", "3070000000", "USD", "1", "", "Russia-reported"],
            ["Iran-Russia chamber of commerce figures", "2022",
             "Iran-Russia trade grew 81.7% in 2021 to $4.03 bn", "turnover_growth_pct", "RUS",
             "IRN", "2021", "2020", "81.7", "pct", "2", "",
             "tolerance is relative to the stated value"],
            ["Officials on the EAEU-Iran free trade agreement", "2025",
             "The FTA cuts duties on about 87% of Iran's tariff lines for EAEU goods",
             "tariff_pref_share", "IRN", "EAEU", "2025", "", "87", "pct", "5", "",
             "share of lines with preferential rate below MFN; full FTA in force 15 May 2025"]]
    write_bytes("claims/my_claims.csv", csv_text(rows).encode("utf-8"))
    return len(rows) - 1


# --------------------------------------------------------------------------------------------
# Read every file back with the csv module and check the traps and the headline sums.
# --------------------------------------------------------------------------------------------
def read_back(rel, encoding="utf-8"):
    raw = open(os.path.join(FIX, rel), "rb").read()
    text = raw.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return raw, list(csv.reader(io.StringIO(text, newline="")))


def verify():
    import glob
    import re
    rep = []
    # BACI
    for y in BACI_YEARS:
        rel = "baci/BACI_HS17_Y%d_%s.csv" % (y, BACI_REL)
        raw, rows = read_back(rel)
        assert rows[0] == ["t", "i", "j", "k", "v", "q"], rows[0]
        assert all(len(r) == 6 for r in rows)
        body = [[f.strip() for f in r] for r in rows[1:]]
        if y == 2021:
            assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
            assert b",          NA" in raw and re.search(rb",\s+\d+\.\d{3},", raw)
        else:
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and b" " not in raw
        keys = [(int(t), int(i), int(j), k) for t, i, j, k, _, _ in body]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        per_pair = {}
        sums = {}
        for t, i, j, k, v, q in body:
            assert re.fullmatch(r"\d{6}", k) and re.fullmatch(r"\d+\.\d{3}", v)
            assert q == "NA" or re.fullmatch(r"\d+\.\d{3}", q)
            assert float(v) > 0 and int(t) == y
            per_pair[(i, j)] = per_pair.get((i, j), 0) + 1
            sums[(i, j)] = sums.get((i, j), 0) + int(v.replace(".", ""))
        assert len(per_pair) == 90 and all(3 <= n <= 12 for n in per_pair.values())
        assert sums[("643", "364")] == HEADLINE[y][0] and sums[("364", "643")] == HEADLINE[y][1]
        na = sum(1 for r in body if r[5] == "NA")
        rep.append("%s: %d rows, %d NA q, RUS->IRN %d, IRN->RUS %d" % (
            rel, len(body), na, sums[("643", "364")], sums[("364", "643")]))
    raw, rows = read_back("baci/country_codes_%s.csv" % BACI_REL)
    byc = {r[0]: r for r in rows[1:]}
    assert byc["490"][3] == "S19" and byc["516"][2] == "NA" and byc["384"][1] == "Côte d'Ivoire"
    raw, rows = read_back("baci/product_codes_HS17_%s.csv" % BACI_REL)
    codes = [r[0] for r in rows[1:]]
    assert "9999AA" in codes and all(len(r) == 2 for r in rows)
    raw = open(os.path.join(FIX, "baci-old/country_codes_V202301.csv"), "rb").read()
    try:
        raw.decode("utf-8")
        raise AssertionError("the Latin-1 file decodes as UTF-8")
    except UnicodeDecodeError:
        pass
    assert b"C\xf4te d'Ivoire" in raw and b"Cura\xe7ao" in raw
    raw, rows = read_back("baci-old/country_codes_V202301.csv", "latin-1")
    assert [r for r in rows if r[0] == "490"][0][3:] == ["", ""]
    rep.append("baci-old: Latin-1, not valid UTF-8")

    # Comtrade Plus
    field = r'(?:"[^"]*"|)'
    line_re = re.compile(r"^%s(?:,%s){46},$" % (field, field))
    for path in sorted(glob.glob(os.path.join(FIX, "comtrade", "*.csv"))):
        raw = open(path, "rb").read()
        lines = raw.decode("utf-8").split("\n")
        assert lines[0] == PLUS_HEADER and lines[-1] == ""
        for ln in lines[1:-1]:
            assert line_re.match(ln), ln[:80]
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        hdr = rows[0]
        tot, det = {}, {}
        for r in rows[1:]:
            assert len(r) == 48 and r[47] == ""
            f = dict(zip(hdr, r))
            y = int(f["refYear"])
            assert f["classificationCode"] == hs_class(y)
            assert (f["refMonth"] == "52") == (f["freqCode"] == "A")
            imp = f["flowCode"] in ("M", "RM", "MIP")
            assert (f["cifvalue"] == "") != imp and (f["fobvalue"] == "") == imp
            if f["cmdCode"] == "TOTAL":
                assert (f["qtyUnitCode"], f["qtyUnitAbbr"], f["qty"]) == ("-1", "N/A", "0")
                assert (f["netWgt"], f["isNetWgtEstimated"]) == ("0", "true")
            if f["reporterISO"] == "RUS" and f["partnerISO"] != "W00":
                assert y <= 2021
            if f["reporterISO"] == "IRN":
                assert y in IRN_REPORTS
            key = (f["freqCode"], f["period"], f["reporterISO"], f["partnerISO"],
                   f["flowCode"], f["partner2Code"], f["motCode"])
            if f["cmdCode"] == "TOTAL":
                tot[key] = int(f["primaryValue"])
            else:
                det[key] = det.get(key, 0) + int(f["primaryValue"])
        for key, v in det.items():
            assert key not in tot or v <= tot[key], key
        rep.append("%s: %d rows, 48 fields each" % (os.path.relpath(path, FIX), len(rows) - 1))

    # legacy: quotes only around fields holding a comma
    for rel, ncol in (("comtrade-legacy/comtrade_legacy_2014-2016_IRN.csv", 22),
                      ("comtrade-legacy/comtrade_legacy_full_2015_EU.csv", 35)):
        raw, rows = read_back(rel)
        assert all(len(r) == ncol for r in rows)
        for ln, r in zip(raw.decode("utf-8").split("\n"), rows):
            assert ln.count('"') == 2 * sum(1 for x in r if "," in x), ln
        rep.append("%s: %d rows x %d columns" % (rel, len(rows) - 1, ncol))

    # WITS trade
    rel = "wits-trade/WITS_HS6_KAZ_ARM_RUS_IRN_2018-2022.csv"
    raw, rows = read_back(rel)
    assert rows[0] == WITS_HDR and all(len(r) == 14 for r in rows)
    assert raw.count(b"\r\n") == raw.count(b"\n")
    sci = [r for r in rows[1:] if "E+" in r[9]]
    assert any(r[9] == "4.00E+03" for r in sci)
    assert any(r[10] == "" and r[12] == "N.Q." for r in rows[1:])
    rep.append("%s: %d rows, %d in E-notation, CRLF" % (rel, len(rows) - 1, len(sci)))

    # tariffs
    raw, rows = read_back("wits-tariff/AVEMFN_H6_364_643_2022_2024.csv")
    assert sum(1 for r in rows[1:] if r[8] == r[13]) == 1
    assert all(len(r) == 15 for r in rows) and any(r[3] == "10121" for r in rows)
    for rel in ("wits-tariff/AVEPref_H6_364_643_EAEU_2022_2024.csv",
                "wits-tariff/AVEPref_H6_364_643_EAEU_2025.csv"):
        raw, rows = read_back(rel)
        assert rows[0][4] == "Partner" and all(len(r) == 16 for r in rows)
    raw, rows = read_back("wits-tariff/Pref_H6_364_643_EAEU_2024.csv")
    assert all(len(r) == 14 for r in rows) and any(r[5] == "" for r in rows[1:])
    raw, rows = read_back("claims/my_claims.csv")
    assert all(len(r) == 13 for r in rows)
    return rep


def clean():
    """Remove the generated CSV files first, so a renamed fixture leaves no stale copy behind."""
    for d in OUT_DIRS:
        path = os.path.join(FIX, d)
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(".csv"):
                    os.remove(os.path.join(path, name))


def main():
    clean()
    out = {}
    out["baci"] = make_baci()
    out["plus"] = plus_annual()
    out["monthly"] = plus_monthly()
    out["legacy"] = make_legacy()
    out["wits"] = make_wits_trade()
    out["shares"] = make_tariffs()
    out["claims"] = make_claims()
    checks = verify()
    if "-v" in sys.argv[1:]:
        for k in ("plus", "monthly", "legacy", "wits", "shares", "claims"):
            print(k, out[k])
        for line in checks:
            print(line)
        for y in YEARS:
            x, m, st = HEADLINE[y]
            print(y, x, m, x + m, st)


if __name__ == "__main__":
    main()
