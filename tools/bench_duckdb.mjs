// The DuckDB side of `make bench`'s query comparison (tools/bench_queries.sh): loads the same
// BACI CSV files into an in-memory table shaped like v_trade (names from the country and
// chapter tables exported from tradereport's database), then runs each query of
// tools/bench_queries.sql RUNS times. Prints "load <ms>" and "Qn <median ms>" lines and
// writes each query's rows to OUT/duck_Qn.tsv for comparison with tradereport's.
// Usage: node bench_duckdb.mjs MODULES_DIR COUNTRIES_CSV CHAPTERS_CSV QUERIES_SQL OUT RUNS CSV...
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [modules, countries, chapters, queriesFile, out, runsArg, ...csvs] = process.argv.slice(2);
const require = createRequire(join(resolve(modules), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const runs = Number(runsArg);
const q = (s) => "'" + s.replace(/'/g, "''") + "'";

function queries(text) {   // "-- Qn ..." starts a query; the lines up to the next one are it
    const out = [];
    for (const line of text.split('\n')) {
        const m = line.match(/^-- (Q\d+)\b/);
        if (m) out.push({ id: m[1], sql: '' });
        else if (out.length && !line.startsWith('--')) out[out.length - 1].sql += line + '\n';
    }
    return out;
}

function cell(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'object' && 'toDouble' in v) return String(v.toDouble());
    return String(v);
}

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await instance.connect();
const files = '[' + csvs.map(q).join(', ') + ']';
let t0 = performance.now();
await con.run(`CREATE TABLE country AS SELECT * FROM read_csv(${q(countries)}, header = true,
    columns = {'code': 'VARCHAR', 'iso3': 'VARCHAR'})`);
await con.run(`CREATE TABLE chapter AS SELECT * FROM read_csv(${q(chapters)}, header = true,
    columns = {'chapter': 'VARCHAR', 'section': 'VARCHAR'})`);
await con.run(`CREATE TABLE v_trade AS
    SELECT 'baci' AS source, f.t AS year, r.iso3 AS reporter, p.iso3 AS partner, f.k AS product,
           substr(f.k, 1, 2) AS chapter, c.section,
           CAST(f.v * 1000 AS BIGINT) AS value_usd,
           CASE WHEN trim(f.q) = 'NA' THEN NULL ELSE CAST(trim(f.q) AS DOUBLE) * 1000 END
               AS net_wgt_kg
    FROM read_csv(${files}, header = true, columns = {'t': 'INTEGER', 'i': 'VARCHAR',
         'j': 'VARCHAR', 'k': 'VARCHAR', 'v': 'DECIMAL(18,3)', 'q': 'VARCHAR'}) f
    JOIN country r ON r.code = f.i JOIN country p ON p.code = f.j
    LEFT JOIN chapter c ON c.chapter = substr(f.k, 1, 2)`);
// the sums over partners as views: DuckDB computes them from every fact when a query runs
await con.run(`CREATE VIEW v_trade_product AS
    SELECT source, year, reporter, product, chapter, section, SUM(value_usd) AS value_usd,
           SUM(net_wgt_kg) AS net_wgt_kg FROM v_trade GROUP BY ALL`);
await con.run(`CREATE VIEW v_trade_chapter AS
    SELECT source, year, reporter, chapter, section, SUM(value_usd) AS value_usd,
           SUM(net_wgt_kg) AS net_wgt_kg FROM v_trade GROUP BY ALL`);
console.log(`load ${Math.round(performance.now() - t0)}`);

for (const { id, sql } of queries(readFileSync(queriesFile, 'utf8'))) {
    const times = [];
    let rows = [];
    for (let i = 0; i < runs; i++) {
        t0 = performance.now();
        const reader = await con.runAndReadAll(sql);
        rows = reader.getRows();
        times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    writeFileSync(join(out, `duck_${id}.tsv`),
                  rows.map((r) => r.map(cell).join('\t')).join('\n') + (rows.length ? '\n' : ''));
    console.log(`${id} ${times[Math.floor(times.length / 2)].toFixed(1)}`);
}
