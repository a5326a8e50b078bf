#!/usr/bin/env python3
"""The trade figures that sum listed products instead of a TOTAL row, read from the fixture
files themselves with the csv module (an independent reader of tests/cli/test_partial.sh).
Prints one line per annual declaration (flows X and M): source|year|reporter|partner|flow.
  comtrade: Comtrade Plus annual files; a key (year, reporter, partner, flow) over the rows
            without 2nd partner, customs or transport breakdown is partial when none of its
            rows has cmdCode TOTAL;
  wits:     WITS trade files; a key is partial when none of its rows is an all-products row.
Usage: partial_expect.py COMTRADE_DIR WITS_FILE..."""
import csv
import glob
import sys

WITS_FLOW = {"5": "M", "6": "X"}


def comtrade(folder, out):
    for path in sorted(glob.glob(folder + "/comtrade_plus_A_*.csv")):
        keys = {}
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                if row["freqCode"] != "A" or row["flowCode"] not in ("X", "M"):
                    continue
                if (row["partner2Code"], row["customsCode"], row["motCode"]) != ("0", "C00", "0"):
                    continue
                k = (row["refYear"], row["reporterISO"], row["partnerISO"], row["flowCode"])
                keys[k] = keys.get(k, False) or row["cmdCode"] == "TOTAL"
        out.update(("comtrade",) + k for k, has_total in keys.items() if not has_total)


def wits(path, out):
    keys = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            flow = WITS_FLOW.get(row["TradeFlowCode"])
            if not flow:
                continue
            k = (row["Year"], row["ReporterISO3"], row["PartnerISO3"], flow)
            total = row["ProductCode"].strip().lower() in ("total", "all", "999999")
            keys[k] = keys.get(k, False) or total
    out.update(("wits",) + k for k, has_total in keys.items() if not has_total)


def main():
    out = set()
    comtrade(sys.argv[1], out)
    for p in sys.argv[2:]:
        wits(p, out)
    for k in sorted(out):
        print("|".join(k))


main()
