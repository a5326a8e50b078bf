#!/usr/bin/python3
"""Independent check that the figures a briefing's PDF prints are the workbook's cells.

Usage: pdf_vs_xlsx.py TEXT XLSX
  TEXT  the PDF as `pdftotext -layout` writes it
  XLSX  the workbook, read with openpyxl (Debian's /usr/bin/python3)

Compares, figure by figure, as the PDF rounds them:
  - every year row of "Key figures" with the same year's row of the Bilateral sheet
    (seven US$ columns, the best side, the growth rate);
  - every claim row of "Claim checks" (stated, closest computed) with Summary's claim table;
  - the stated and computed labels of the turnover chart with the Chart data sheet.
Prints one line per figure, "same <what>" or "differs <what>: pdf <text> xlsx <value>", and
exits 0 (1 on a usage or read error). A shown figure "$1.5m" stands for any value that
rounds to it: 1.45e6 <= v < 1.55e6.
"""
import re
import sys

try:
    import openpyxl
except ImportError:
    sys.stderr.write("pdf_vs_xlsx.py: openpyxl is missing; run with /usr/bin/python3\n")
    sys.exit(1)

DASH = "\u2013"
MONEY = re.compile(r"^([-+]?)\$([\d,]+(?:\.\d+)?)(k|m|bn)?$")
PCT = re.compile(r"^([-+]?)(\d+(?:\.\d+)?)%$")
SCALE = {None: 1.0, "k": 1e3, "m": 1e6, "bn": 1e9}


def shown(tok):
    """A figure as printed -> (kind, value, half a unit of its last digit); None if not one."""
    tok = tok.replace("\u2212", "-")
    m = MONEY.match(tok)
    if m:
        digits = m.group(2).replace(",", "")
        dec = len(digits.split(".")[1]) if "." in digits else 0
        scale = SCALE[m.group(3)]
        v = float(digits) * scale * (-1 if m.group(1) == "-" else 1)
        return ("usd", v, 0.5 * 10 ** -dec * scale)
    m = PCT.match(tok)
    if m:
        dec = len(m.group(2).split(".")[1]) if "." in m.group(2) else 0
        v = float(m.group(2)) * (-1 if m.group(1) == "-" else 1)
        return ("pct", v, 0.5 * 10 ** -dec)
    return None


OUT = []


def compare(what, tok, cell, unit):
    """tok as printed against cell (US$ m when unit is 'usd', a fraction when 'pct')."""
    if tok == DASH:
        same = cell is None
    else:
        f = shown(tok)
        if f is None or cell is None or not isinstance(cell, (int, float)):
            same = False
        else:
            kind, v, half = f
            x = cell * 1e6 if kind == "usd" else cell * 100.0
            same = kind == unit and abs(x - v) <= half * 1.0001 + 1e-9
    OUT.append("%s %s%s" % ("same" if same else "differs", what,
                            "" if same else ": pdf %s xlsx %r" % (tok, cell)))


def cells(ws):
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row}


def key_figures(text, wb):
    """Rows "2014 $1,270.0m ... RUS +75.8%" of the Key figures pages."""
    bil = cells(wb["Bilateral"])
    rows = {}
    r = 2
    while bil.get("A%d" % r) is not None:
        rows[int(bil["A%d" % r])] = r
        r += 1
    cols = "BCDEFGH"
    for line in text:
        tok = line.split()
        if len(tok) != 10 or not re.match(r"^\d{4}$", tok[0]):
            continue
        if not all(shown(t) or t == DASH for t in tok[1:8]):
            continue
        year = int(tok[0])
        if year not in rows:
            OUT.append("differs year %d: not on Bilateral" % year)
            continue
        r = rows[year]
        for i, c in enumerate(cols):
            compare("key figures %d column %s" % (year, c), tok[1 + i], bil.get("%s%d" % (c, r)),
                    "usd")
        side = bil.get("I%d" % r)
        OUT.append("%s key figures %d side" % ("same" if side == tok[8] else "differs", year))
        compare("key figures %d growth" % year, tok[9], bil.get("J%d" % r), "pct")


def claim_checks(text, wb):
    """The first line of each claim row: the figures under "Stated" and "Closest computed"."""
    summ = cells(wb["Summary"])
    head = next((r for r in range(1, 200) if summ.get("A%d" % r) == "Claim"), None)
    if head is None:
        OUT.append("differs claims: no claim table on Summary")
        return
    xrows = []
    r = head + 1
    while summ.get("D%d" % r):   # every claim row has a verdict; the note under them has none
        xrows.append((summ.get("B%d" % r), summ.get("C%d" % r)))
        r += 1
    got, cols = [], None
    for line in text:
        if re.match(r"^\s*Claim\s+Stated\s+Closest computed", line):
            cols = (line.index("Stated"), line.index("Closest"), line.index("Verdict"))
            continue
        if cols is None:
            continue
        if re.match(r"^\s*Page \d+ of \d+", line):
            cols = None
            continue
        st = line[cols[0]:cols[1]].split()
        co = line[cols[1]:cols[2]].split()
        if st and co and (shown(st[0]) or st[0] == DASH) and (shown(co[0]) or co[0] == DASH):
            got.append((st[0], co[0]))
    if len(got) != len(xrows):
        OUT.append("differs claims: %d in the pdf, %d on Summary" % (len(got), len(xrows)))
    for i, ((st, co), (xs, xc)) in enumerate(zip(got, xrows), 1):
        unit = "pct" if st.endswith("%") or co.endswith("%") else "usd"
        compare("claim %d stated" % i, st, xs, unit)
        compare("claim %d computed" % i, co, xc, unit)


def chart_marks(text, wb):
    """"stated $3.3bn" and "computed $4.04bn" beside the turnover chart's diamonds."""
    data = cells(wb["Chart data"])
    stated = [v for k, v in data.items() if k.startswith("E") and isinstance(v, (int, float))]
    computed = [v for k, v in data.items() if k.startswith("F") and isinstance(v, (int, float))]
    for kind, pool in (("stated", stated), ("computed", computed)):
        for tok in re.findall(r"\b%s (\S+?)[:\s(]" % kind, "\n".join(text)):
            f = shown(tok)
            if not f:
                continue
            hit = any(abs(c * 1e6 - f[1]) <= f[2] * 1.0001 for c in pool)
            OUT.append("%s chart mark %s %s" % ("same" if hit else "differs", kind, tok))


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: pdf_vs_xlsx.py TEXT XLSX\n")
        return 1
    try:
        with open(argv[1], encoding="utf-8") as f:
            text = f.read().split("\n")
        wb = openpyxl.load_workbook(argv[2])
    except Exception as exc:  # an unreadable input is an error of the test, said plainly
        sys.stderr.write("pdf_vs_xlsx.py: %s\n" % exc)
        return 1
    key_figures(text, wb)
    claim_checks(text, wb)
    chart_marks(text, wb)
    print("\n".join(OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
