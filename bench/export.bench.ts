// Export throughput and memory, compared in one run with the native clients on the same private servers:
// DB Tickets' PostgreSQL engine (COPY … TO STDOUT, CSV and JSON Lines) against psql's \copy, and its MySQL/MariaDB
// engine (mysql2 streaming) against `mariadb --batch --quick`. Every export runs in its own process under
// /usr/bin/time, so wall time and peak RSS are that process's own; the fastest of the runs counts. Our exporter
// runs as an esbuild bundle in plain Node, the way the CLI and the extension ship it.
//   node --import tsx bench/export.bench.ts [--rows 1000000,10000000] [--runs 1] [--only postgres|mariadb] [--baseline dir]
// --baseline names another copy of the project (e.g. the last release, unpacked with its node_modules): its exporter
// is measured in the same run, as "baseline".
import { execFileSync, spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mariadbPasswordEnv, startMariadb, type MariadbServer } from '../test/support/mariadbServer';
import { postgresPasswordEnv, startPostgres, type PostgresServer } from '../test/support/postgresServer';
import { type BenchRow, printBenchRows } from './benchRows';

interface Measurement {
  tool: string;
  rows: number;
  /** Wall time of the whole process, start-up included. */
  seconds: number;
  /** Our exporter's time from the first query to the last byte written, without Node's start-up. */
  exportSeconds?: number;
  megabytes: number;
  peakRssMb: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sizes = option('--rows', '1000000,10000000').split(',').map(Number);
const runs = Number(option('--runs', '1'));
const largest = Math.max(...sizes);
const work = mkdtempSync(join(tmpdir(), 'db-tickets-export-bench-'));
const output = join(work, 'out');
const worker = join(work, 'exportWorker.cjs');
const baseline = option('--baseline', '');
const baselineWorker = join(work, 'baselineWorker.cjs');

/** A realistic order table: integers, text, emails, decimals, timestamps with zones, booleans, NULLs and quoted text. */
const postgresTable = (rows: number) => `
  CREATE UNLOGGED TABLE bench_orders AS
  SELECT g::bigint AS id, 'Customer ' || (g % 100000) AS customer, 'user' || g || '@example.com' AS email,
         ((g::bigint * 7919) % 100000 / 100.0)::numeric(12,2) AS amount,
         timestamptz '2020-01-01 00:00:00+00' + (g % 100000000) * interval '1 second' AS placed_at,
         g % 3 = 0 AS gift, (g % 7)::int AS quantity,
         CASE WHEN g % 10 = 0 THEN 'note, with "quotes"' WHEN g % 10 = 1 THEN NULL ELSE 'standard delivery' END AS note
  FROM generate_series(1, ${rows}) AS g`;

const mariadbTable = (rows: number) => `
  CREATE TABLE bench_orders (id bigint PRIMARY KEY, customer varchar(40), email varchar(60), amount decimal(12,2),
    placed_at timestamp NULL, gift boolean, quantity int, note varchar(40)) ENGINE=InnoDB;
  INSERT INTO bench_orders
  SELECT seq, CONCAT('Customer ', seq % 100000), CONCAT('user', seq, '@example.com'), ((seq * 7919) % 100000) / 100,
         TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq % 100000000) SECOND, seq % 3 = 0, seq % 7,
         CASE WHEN seq % 10 = 0 THEN 'note, with "quotes"' WHEN seq % 10 = 1 THEN NULL ELSE 'standard delivery' END
  FROM seq_1_to_${rows}`;

const query = (rows: number) => `SELECT * FROM bench_orders WHERE id <= ${rows} ORDER BY id`;

/** Runs a command under /usr/bin/time with stdout to the output file; returns wall seconds and peak RSS. */
async function timed(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<{ seconds: number; peakRssMb: number }> {
  const timeFile = join(work, 'time');
  const out = openSync(output, 'w');
  const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, command, ...commandArgs], { stdio: ['ignore', out, 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  closeSync(out);
  if (code !== 0) throw new Error(`${command} failed (${code}): ${stderr}`);
  const [seconds, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { seconds, peakRssMb: kb / 1024 };
}

async function ours(tool: string, connection: object, format: 'csv' | 'jsonl', rows: number, env: NodeJS.ProcessEnv, exporter = worker): Promise<Measurement> {
  const file = join(work, `ours.${format}`);
  const { seconds, peakRssMb } = await timed(process.execPath, [exporter, JSON.stringify(connection), format, file, query(rows)], env);
  const result = JSON.parse(readFileSync(output, 'utf8')) as { rows: number; bytes: number; seconds: number };
  if (result.rows !== rows) throw new Error(`${tool} exported ${result.rows} rows, expected ${rows}`);
  rmSync(file, { force: true });
  return { tool, rows, seconds, megabytes: result.bytes / 1e6, peakRssMb, exportSeconds: result.seconds };
}

async function psql(pg: PostgresServer, rows: number): Promise<Measurement> {
  const file = join(work, 'psql.csv');
  const { seconds, peakRssMb } = await timed(join(pg.binDir, 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-X', '-q', '-c', `\\copy (${query(rows)}) to '${file}' csv header`], {
    PGPASSWORD: pg.password,
  });
  const megabytes = statSync(file).size / 1e6;
  rmSync(file, { force: true });
  return { tool: 'psql \\copy (CSV)', rows, seconds, megabytes, peakRssMb };
}

async function mariadbClient(db: MariadbServer, rows: number): Promise<Measurement> {
  const { seconds, peakRssMb } = await timed('mariadb', ['--batch', '--quick', '-h', db.host, '-P', String(db.port), '-u', db.user, db.database, '-e', query(rows)], { MYSQL_PWD: db.password });
  return { tool: 'mariadb --batch --quick (TSV)', rows, seconds, megabytes: statSync(output).size / 1e6, peakRssMb };
}

async function best(measure: () => Promise<Measurement>): Promise<Measurement> {
  let fastest: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const measurement = await measure();
    if (!fastest || measurement.seconds < fastest.seconds) fastest = measurement;
  }
  return fastest!;
}

/** The rows `npm run bench` gathers: our CSV export against the native client, at the largest size. */
const benchRows: BenchRow[] = [];

function print(group: string, measurements: Measurement[], baseline: string): void {
  const native = measurements.find((n) => n.tool === baseline && n.rows === largest);
  const csv = measurements.find((m) => m.tool === 'DB Tickets (CSV)' && m.rows === largest);
  if (native && csv) {
    benchRows.push({ bench: 'export', what: `${group} CSV export of ${largest.toLocaleString('en-US')} rows, wall time`, value: Number(csv.seconds.toFixed(2)), unit: 's', reference: baseline, ratio: Number((csv.seconds / native.seconds).toFixed(2)) });
    benchRows.push({ bench: 'export', what: `${group} CSV export of ${largest.toLocaleString('en-US')} rows, peak RSS`, value: Math.round(csv.peakRssMb), unit: 'MiB', reference: baseline, ratio: Number((csv.peakRssMb / native.peakRssMb).toFixed(2)) });
  }
  console.log(`\n${group}`);
  console.log('| tool | rows | wall s | rows/s | MB | MB/s | peak RSS MB | vs native | export s (no start-up) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of measurements) {
    const native = measurements.find((n) => n.tool === baseline && n.rows === m.rows)!;
    const ratio = native.seconds / m.seconds;
    console.log(`| ${m.tool} | ${m.rows.toLocaleString('en-US')} | ${m.seconds.toFixed(2)} | ${Math.round(m.rows / m.seconds).toLocaleString('en-US')} | ${m.megabytes.toFixed(0)} | ${(m.megabytes / m.seconds).toFixed(0)} | ${m.peakRssMb.toFixed(0)} | ${ratio.toFixed(2)}× | ${m.exportSeconds?.toFixed(2) ?? ''} |`);
  }
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Hardware: ${cpus().length} CPUs (nproc ${execFileSync('nproc', { encoding: 'utf8' }).trim()}), ${cpu}; Node ${process.version}; runs per measurement: ${runs} (fastest counts)`);

  const bundle = (entry: string, outfile: string) =>
    esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', external: ['@electric-sql/pglite', 'sql.js'] });
  await bundle(join(__dirname, 'exportWorker.ts'), worker);
  if (baseline) await bundle(join(baseline, 'bench', 'exportWorker.ts'), baselineWorker);

  if (option('--only', 'postgres') === 'postgres') await benchPostgres();
  if (option('--only', 'mariadb') === 'mariadb') await benchMariadb();
  rmSync(work, { recursive: true, force: true });
  printBenchRows(benchRows);
}

async function benchPostgres(): Promise<void> {
  const pg = await startPostgres();
  try {
    console.log(`PostgreSQL: ${(await pg.admin<{ version: string }>('SELECT version()'))[0].version.split(' on ')[0]}; generating ${largest.toLocaleString('en-US')} rows…`);
    await pg.admin(postgresTable(largest), 'shop');
    await pg.admin('ALTER TABLE bench_orders ADD PRIMARY KEY (id); ALTER TABLE bench_orders OWNER TO tickets; ANALYZE bench_orders', 'shop');
    const connection = pg.connection({ name: 'bench-pg' });
    const env = { [postgresPasswordEnv]: pg.password };
    const results: Measurement[] = [];
    for (const rows of sizes) {
      results.push(await best(() => psql(pg, rows)));
      results.push(await best(() => ours('DB Tickets (CSV)', connection, 'csv', rows, env)));
      if (baseline) results.push(await best(() => ours('DB Tickets baseline (CSV)', connection, 'csv', rows, env, baselineWorker)));
      results.push(await best(() => ours('DB Tickets (JSON Lines)', connection, 'jsonl', rows, env)));
      if (baseline) results.push(await best(() => ours('DB Tickets baseline (JSON Lines)', connection, 'jsonl', rows, env, baselineWorker)));
    }
    print('PostgreSQL', results, 'psql \\copy (CSV)');
  } finally {
    await pg.stop();
  }
}

async function benchMariadb(): Promise<void> {
    const db = await startMariadb();
    try {
      console.log(`\nMariaDB: ${(await db.admin<{ v: string }>('SELECT VERSION() AS v'))[0].v}; generating ${largest.toLocaleString('en-US')} rows…`);
      await db.admin(mariadbTable(largest), 'shop');
      const connection = db.connection({ name: 'bench-mariadb' });
      const env = { [mariadbPasswordEnv]: db.password };
      const results: Measurement[] = [];
      for (const rows of sizes) {
        results.push(await best(() => mariadbClient(db, rows)));
        results.push(await best(() => ours('DB Tickets (CSV)', connection, 'csv', rows, env)));
        if (baseline) results.push(await best(() => ours('DB Tickets baseline (CSV)', connection, 'csv', rows, env, baselineWorker)));
        results.push(await best(() => ours('DB Tickets (JSON Lines)', connection, 'jsonl', rows, env)));
        if (baseline) results.push(await best(() => ours('DB Tickets baseline (JSON Lines)', connection, 'jsonl', rows, env, baselineWorker)));
      }
      print('MariaDB', results, 'mariadb --batch --quick (TSV)');
    } finally {
      await db.stop();
    }
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = 1;
});
