#!/usr/bin/python3
"""Second reader for the tests: all-goods annual totals straight from the input files.

usage: fixture_totals.py FORMAT FILE...
FORMAT: baci | comtrade | comtrade-legacy | wits-trade
Prints source<TAB>year<TAB>reporter<TAB>partner<TAB>flow<TAB>value_usd, sorted, one line per key.
The source column is FORMAT itself. Standard library only; shares no code with tradereport.

Rules (fixtures/README.md):
- BACI: v is thousands of US$ -> x1000; reporter = exporter, partner = importer, flow X.
  Files whose header is not t,i,j,k,v,q (country and product lists) are skipped.
- Comtrade Plus: only rows with partner2Code 0, customsCode C00, motCode 0 count. Per key the
  TOTAL row is used where there is one, else the sum of the six-digit rows (HS2 rows never).
  World (partner 0) is its own partner W00. Annual rows (freqCode A) as they are; monthly rows
  are summed into a year only when all 12 months are there, and only for keys that have no
  annual row.
- Comtrade legacy (22 or 35 columns): the same, with flow codes 1 M, 2 X, 3 RX, 4 RM; empty
  2nd partner, customs and transport fields count as totals; partner 0 (WLD) -> W00.
- WITS bulk trade: TradeValueK x1000 (scientific notation allowed); flow 5 M, 6 X; every row is
  summed (the fixtures hold HS6 rows only; a Total/TOTAL product row would win if present).
"""
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP

ISO3 = {
    "0": "W00", "490": "S19", "97": "EU2",
    "643": "RUS", "364": "IRN", "156": "CHN", "792": "TUR", "784": "ARE", "699": "IND",
    "398": "KAZ", "51": "ARM", "112": "BLR", "417": "KGZ",
    "842": "USA", "251": "FRA", "276": "DEU", "381": "ITA", "757": "CHE", "579": "NOR",
    "384": "CIV", "516": "NAM", "531": "CUW",
}
LEGACY_FLOW = {"1": "M", "2": "X", "3": "RX", "4": "RM"}
WITS_FLOW = {"5": "M", "6": "X"}


def die(msg):
    sys.stderr.write("fixture_totals: %s\n" % msg)
    sys.exit(2)


def iso(code, where):
    code = code.strip()
    if code not in ISO3:
        die("%s: country code %r not in the table" % (where, code))
    return ISO3[code]


def read_rows(path):
    """Header and data rows; BOM stripped, UTF-8 else Latin-1, any line ending."""
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        die("%s: empty file" % path)
    return rows[0], rows[1:]


def dollars(d):
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def baci(paths, out):
    for path in paths:
        header, rows = read_rows(path)
        if [h.strip() for h in header] != ["t", "i", "j", "k", "v", "q"]:
            sys.stderr.write("fixture_totals: %s: not a BACI trade file, skipped\n" % path)
            continue
        for n, r in enumerate(rows, 2):
            t, i, j, _k, v, _q = [f.strip() for f in r]
            key = (int(t), iso(i, "%s:%d" % (path, n)), iso(j, "%s:%d" % (path, n)), "X")
            out[key] = out.get(key, Decimal(0)) + Decimal(v) * 1000


class Totals:
    """Per key: the TOTAL row if any, else the HS6 sum; per (key, month) for monthly data."""

    def __init__(self):
        self.total = {}
        self.hs6 = {}

    def add(self, key, cmd, value, where):
        if cmd.upper() == "TOTAL":
            if key in self.total:
                die("%s: second TOTAL row for %r" % (where, key))
            self.total[key] = value
        elif len(cmd) == 6:
            self.hs6[key] = self.hs6.get(key, Decimal(0)) + value

    def result(self):
        res = dict(self.hs6)
        res.update(self.total)
        return res


def finish(annual, monthly, out):
    """annual: Totals keyed (year, rep, partner, flow); monthly: keyed (+ month)."""
    a = annual.result()
    months = {}
    for (y, rep, par, flow, m), v in monthly.result().items():
        months.setdefault((y, rep, par, flow), {})[m] = v
    for key, by_month in months.items():
        if key in a:
            if sum(by_month.values()) != a[key] and len(by_month) == 12:
                sys.stderr.write("fixture_totals: %r: 12 months sum to %s, annual row says %s;"
                                 " annual kept\n" % (key, sum(by_month.values()), a[key]))
            continue
        if sorted(by_month) == list(range(1, 13)):
            a[key] = sum(by_month.values())
    out.update(a)


def comtrade(paths, out):
    annual, monthly = Totals(), Totals()
    for path in paths:
        header, rows = read_rows(path)
        if len(header) != 47 or header[0] != "typeCode":
            die("%s: not a Comtrade Plus file (%d columns)" % (path, len(header)))
        for n, r in enumerate(rows, 2):
            where = "%s:%d" % (path, n)
            if len(r) != 48 or r[47] != "":
                die("%s: %d fields, want 47 and a trailing comma" % (where, len(r)))
            f = dict(zip(header, r))
            if f["partner2Code"] != "0" or f["customsCode"] != "C00" or f["motCode"] != "0":
                continue
            rep, par = iso(f["reporterCode"], where), iso(f["partnerCode"], where)
            key = (int(f["refYear"]), rep, par, f["flowCode"])
            value = Decimal(f["primaryValue"])
            if f["freqCode"] == "A":
                annual.add(key, f["cmdCode"], value, where)
            elif f["freqCode"] == "M":
                monthly.add(key + (int(f["refMonth"]),), f["cmdCode"], value, where)
            else:
                die("%s: freqCode %r" % (where, f["freqCode"]))
    finish(annual, monthly, out)


def legacy(paths, out):
    annual, monthly = Totals(), Totals()
    for path in paths:
        header, rows = read_rows(path)
        if len(header) not in (22, 35) or header[0] != "Classification":
            die("%s: not a legacy Comtrade file (%d columns)" % (path, len(header)))
        for n, r in enumerate(rows, 2):
            where = "%s:%d" % (path, n)
            if len(r) != len(header):
                die("%s: %d fields, want %d" % (where, len(r), len(header)))
            f = dict(zip(header, r))
            if f.get("2nd Partner Code", "") not in ("", "0"):
                continue
            if f.get("Customs Proc. Code", "") not in ("", "C00"):
                continue
            if f.get("Mode of Transport Code", "") not in ("", "0"):
                continue
            rep, par = iso(f["Reporter Code"], where), iso(f["Partner Code"], where)
            key = (int(f["Year"]), rep, par, LEGACY_FLOW[f["Trade Flow Code"]])
            value = Decimal(f["Trade Value (US$)"])
            period = f["Period"]
            if len(period) == 4:
                annual.add(key, f["Commodity Code"], value, where)
            else:
                monthly.add(key + (int(period[4:6]),), f["Commodity Code"], value, where)
    finish(annual, monthly, out)


def wits(paths, out):
    total, hs6 = {}, {}
    for path in paths:
        header, rows = read_rows(path)
        if header[:3] != ["Nomenclature", "ReporterISO3", "ProductCode"]:
            die("%s: not a WITS trade file" % path)
        for n, r in enumerate(rows, 2):
            f = dict(zip(header, r))
            par = "W00" if f["PartnerISO3"] == "WLD" else f["PartnerISO3"]
            key = (int(f["Year"]), f["ReporterISO3"], par, WITS_FLOW[f["TradeFlowCode"]])
            value = Decimal(f["TradeValueK"]) * 1000
            if f["ProductCode"].upper() == "TOTAL":
                total[key] = value
            else:
                hs6[key] = hs6.get(key, Decimal(0)) + value
    hs6.update(total)
    out.update(hs6)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("baci", "comtrade", "comtrade-legacy", "wits-trade"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    fmt, paths = argv[1], sorted(argv[2:])
    out = {}
    {"baci": baci, "comtrade": comtrade, "comtrade-legacy": legacy, "wits-trade": wits}[fmt](
        paths, out)
    for (y, rep, par, flow) in sorted(out):
        sys.stdout.write("%s\t%d\t%s\t%s\t%s\t%d\n"
                         % (fmt, y, rep, par, flow, dollars(out[(y, rep, par, flow)])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
