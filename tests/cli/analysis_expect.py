"""The cookbook's questions (doc/cookbook.md) answered from the raw BACI fixture files with
Python's csv module, independently of tradereport, and compared with what a query printed.
Usage: analysis_expect.py QID ACTUAL_TSV  -> prints "ok" or what differs."""
import csv
import glob
import sys
from collections import defaultdict
from decimal import Decimal

FIX = 'fixtures/baci'
HS = 'fixtures/hs-nomenclature/chapters_HS2022.csv'
DUAL_USE = {'854231', '854232', '854239', '851762', '852691', '847150', '880730'}


def load():
    with open(glob.glob(FIX + '/country_codes_*.csv')[0], encoding='utf-8-sig') as f:
        iso = {r['country_code']: r['country_iso3'] for r in csv.DictReader(f)}
    rows = []
    for path in sorted(glob.glob(FIX + '/BACI_*.csv')):
        with open(path, encoding='utf-8-sig') as f:
            for r in csv.DictReader(f):
                q = r['q'].strip()
                rows.append(dict(year=int(r['t']), rep=iso[r['i']], par=iso[r['j']],
                                 prod=r['k'], file=path.split('/')[-1],
                                 v=int(Decimal(r['v'].strip()) * 1000),
                                 kg=None if q == 'NA' else Decimal(q) * 1000))
    return rows


def sections():
    with open(HS, encoding='utf-8') as f:
        return {r['chapter']: r['section'] for r in csv.DictReader(f)}


def sums(rows, key):
    out = defaultdict(int)
    for r in rows:
        out[key(r)] += r['v']
    return out


def top_per_year(rows, n):
    by = sums(rows, lambda r: (r['year'], r['rep']))
    out = []
    for y in sorted({k[0] for k in by}):
        ranked = sorted(((k[1], v) for k, v in by.items() if k[0] == y), key=lambda x: -x[1])
        out += [(y, rep, v) for rep, v in ranked[:n]]
    return out


def q2(rows):
    a = sums([r for r in rows if r['year'] == 2022], lambda r: r['prod'])
    b = sums([r for r in rows if r['year'] == 2021], lambda r: r['prod'])
    ranked = sorted(set(a) | set(b), key=lambda p: -a.get(p, -1))
    return [(p, a.get(p), b.get(p)) for p in ranked[:20]]


def q7(rows):
    ch = defaultdict(int)
    for r in rows:
        ch[r['rep']] += r['v'] if r['year'] == 2022 else -r['v'] if r['year'] == 2021 else 0
    return sorted(ch.items(), key=lambda x: -x[1])[:25]


def q9(rows):
    per = sums([r for r in rows if r['year'] == 2022], lambda r: (r['rep'], r['prod']))
    out = []
    for rep in {k[0] for k in per}:
        vs = sorted((v for k, v in per.items() if k[0] == rep), reverse=True)
        out.append((rep, sum(vs[:10]) / sum(vs)))
    return out


def q10(rows):
    sel = [r for r in rows if r['par'] == 'RUS' and r['prod'] == '870323' and r['year'] == 2022
           and r['kg'] is not None and r['kg'] > 0]
    v = sums(sel, lambda r: r['rep'])
    kg = defaultdict(Decimal)
    for r in sel:
        kg[r['rep']] += r['kg']
    return [(k, float(Decimal(v[k]) / kg[k]), v[k]) for k in v]


def expected(qid, rows):
    rus = [r for r in rows if r['par'] == 'RUS']
    if qid == 'Q1':
        return top_per_year(rus, 15)
    if qid == 'Q2':
        return q2([r for r in rus if r['year'] in (2021, 2022)])
    if qid == 'Q3':
        return [k + (v,) for k, v in sums([r for r in rus if r['prod'] == '854231'],
                                          lambda r: (r['year'], r['rep'])).items()]
    if qid == 'Q4':
        sec = sections()
        return [k + (v,) for k, v in sums(rows, lambda r: (r['year'], sec[r['prod'][:2]])).items()]
    if qid == 'Q5':
        sel = [r for r in rows if r['rep'] == 'CHN' and r['par'] in ('KAZ', 'KGZ', 'ARM')
               and r['prod'] in DUAL_USE]
        return [k + (v,) for k, v in sums(sel, lambda r: (r['year'], r['par'])).items()]
    if qid == 'Q6':
        sel = [r for r in rows if r['rep'] == 'IRN' and 2021 <= r['year'] <= 2022
               and r['par'] in ('ARM', 'BLR', 'KAZ', 'KGZ', 'RUS')]
        return [k + (v,) for k, v in sums(sel, lambda r: (r['year'], r['par'], r['prod'][:2])).items()]
    if qid == 'Q7':
        return q7([r for r in rus if r['year'] in (2021, 2022)])
    if qid == 'Q8':
        n = defaultdict(set)
        for r in rows:
            if r['par'] == 'IRN':
                n[(r['year'], r['rep'])].add(r['prod'])
        return [k + (len(v),) for k, v in n.items()]
    if qid == 'Q9':
        return q9(rows)
    if qid == 'Q10':
        return q10(rows)
    if qid == 'TP':   # v_trade_product: per year, reporter and product over every partner
        out = {}
        for r in rows:
            k = (r['year'], r['rep'], r['prod'])
            v, kg, n = out.get(k, (0, None, 0))
            if r['kg'] is not None:
                kg = (kg or 0) + r['kg']
            out[k] = (v + r['v'], kg, n + 1)
        return [k + (v, kg, n) for k, (v, kg, n) in out.items()]
    if qid == 'TC':   # v_trade_chapter: per year, reporter and chapter, with its section
        sec = sections()
        out = defaultdict(lambda: [0, 0])
        for r in rows:
            o = out[(r['year'], r['rep'], r['prod'][:2])]
            o[0] += r['v']
            o[1] += 1
        return [k + (sec[k[2]], v, n) for k, (v, n) in out.items()]
    if qid == 'P1':
        return {(r['file'],) for r in rows if r['rep'] == 'IRN' and r['par'] == 'RUS'
                and r['year'] == 2021}
    if qid == 'P2':
        sec = sections()
        sel = sorted((r for r in rows if r['rep'] == 'CHN' and r['par'] == 'RUS'
                      and r['year'] == 2022), key=lambda r: -r['v'])[:5]
        return [(r['prod'], sec[r['prod'][:2]], r['v']) for r in sel]
    if qid == 'P3':
        sel = [r for r in rows if r['rep'] == 'TUR' and r['par'] in ('ARM', 'BLR', 'KAZ', 'KGZ', 'RUS')]
        v = sums(sel, lambda r: r['year'])
        n = defaultdict(set)
        for r in sel:
            n[r['year']].add(r['par'])
        return [(y, v[y], len(n[y])) for y in v]
    raise SystemExit('unknown question ' + qid)


def norm(cells):
    out = []
    for c in cells:
        if c in ('', None):
            out.append('NULL')
            continue
        try:
            f = float(c)
            out.append(str(int(f)) if f == int(f) and 'e' not in str(c) else '%.9g' % f)
        except ValueError:
            out.append(str(c))
    return tuple(out)


def main():
    qid, actual = sys.argv[1], sys.argv[2]
    with open(actual, encoding='utf-8') as f:
        got = [norm(line.rstrip('\n').split('\t')) for line in f][1:]
    exp = [norm(r) for r in expected(qid, load())]
    if qid == 'P1':   # the query also prints the release and load id: compare file names
        got = [g[:1] for g in got]
    if qid == 'P2':   # and the section's name, not in the nomenclature file used here
        got = [g[:2] + g[3:] for g in got]
    if sorted(got) != sorted(exp):
        print('differs: got %d rows, expected %d; first missing %s; first extra %s' % (
            len(got), len(exp), sorted(set(exp) - set(got))[:2], sorted(set(got) - set(exp))[:2]))
    elif not got:
        print('no rows: the question must have an answer on the fixtures')
    else:
        print('ok')


main()
