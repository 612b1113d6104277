// One measurement of bench/demo.bench.ts, in a process of its own (an esbuild bundle, as the extension and the CLI
// ship): a demo engine candidate's first query, or a session the way the extension host holds the engine.
//   node --expose-gc demoBenchRun.js '<job as JSON>'
// Prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { demoFileName } from '../src/backends/local/db/demo/demoDatabase';
import { writeDemoShop } from '../src/backends/local/db/demo/demoSeed';
import type { DatabaseEngine } from '../src/backends/local/db/engine';
import type { ServerConnection } from '../src/backends/local/db/passwordSource';

export type Candidate = 'sqlite-worker' | 'sqlite-thread' | 'sqlite-seed' | 'pglite' | 'pglite-prebuilt' | 'postgres';

export interface Job {
  task: 'first' | 'session';
  candidate: Candidate;
  dataDir: string;
  /** PGlite's prebuilt data directory (a tarball) and how many days ago it was seeded. */
  prebuilt?: { file: string; days: number };
  postgres?: { connection: ServerConnection; password: string };
  /** Session: rows of the large exports, and how long to idle before the release is measured. */
  exportRows?: number[];
  idleMs?: number;
}

export interface Phase {
  ms: number;
  /** The longest the caller's event loop was held (10 ms resolution). */
  stallMs: number;
}

export interface SessionResult {
  first: Phase;
  demoQueries: Phase;
  exports: (Phase & { rows: number })[];
  /** The largest export sorted: one statement works through every row before the first comes out. */
  sortedExport?: Phase & { rows: number };
  /** RSS growth over the process before the engine opened, after a garbage collection. */
  heldAfterFirstMb: number;
  heldAfterIdleMb: number;
  /** After a second use and release. */
  heldAfterSecondIdleMb: number;
  peakRssMb: number;
}

/** The demo's sample work in both dialects: the exports of demo/exports.sql and the data fixes' check. */
const demoQueries = {
  sqlite: [
    "SELECT id, email, full_name, country, created_at FROM customers WHERE created_at >= date('now', 'start of year') ORDER BY created_at LIMIT 5000",
    `SELECT p.category, count(DISTINCT o.id) AS orders, round(sum(oi.quantity * oi.unit_price), 2) AS revenue FROM orders o
     JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id
     WHERE o.placed_at >= date('now', 'start of month', '-1 month') AND o.placed_at < date('now', 'start of month') GROUP BY p.category ORDER BY revenue DESC`,
    'SELECT * FROM orders',
  ],
  postgres: [
    "SELECT id, email, full_name, country, created_at FROM customers WHERE created_at >= date_trunc('year', now()) ORDER BY created_at LIMIT 5000",
    `SELECT p.category, count(DISTINCT o.id) AS orders, sum(oi.quantity * oi.unit_price) AS revenue FROM orders o
     JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id
     WHERE o.placed_at >= date_trunc('month', now()) - interval '1 month' AND o.placed_at < date_trunc('month', now()) GROUP BY p.category ORDER BY revenue DESC`,
    'SELECT * FROM orders',
  ],
};
const dataFixes = ["UPDATE customers SET country = 'GB' WHERE country = 'UK'", "DELETE FROM orders WHERE customer_id = (SELECT id FROM customers WHERE email = 'qa@example.com')"];

/** The shop's orders repeated to `rows` rows; the same SQL on SQLite and PostgreSQL. */
const repeatedOrders = (rows: number, orderBy = '') =>
  `WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ${Math.ceil(rows / 8000)})
   SELECT o.*, copies.n AS copy FROM orders o, copies ${orderBy} LIMIT ${rows}`;

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
/** The process's peak RSS (all threads): VmHWM, as getrusage's maximum can carry the parent's over exec. */
const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collectedRssMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    await settle(100);
  }
  return rssMb();
}

/**
 * Runs `work`, watching the longest gap between the ticks of a 10 ms timer: what exceeds 10 ms is the longest the
 * event loop was held. (perf_hooks' monitorEventLoopDelay missed some long blocks here: a timer is plainer.)
 */
async function phase(work: () => Promise<unknown>): Promise<Phase> {
  let longest = 0;
  let last = performance.now();
  const ticks = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(ticks);
  return { ms, stallMs: Math.max(0, longest - 10) };
}

/**
 * Loads a candidate's code and returns how to make its engine. The code is loaded before anything is measured:
 * the extension host and the CLI have parsed their whole bundle by the time the engine is first used.
 */
async function engineFactory(job: Job): Promise<() => DatabaseEngine> {
  switch (job.candidate) {
    case 'sqlite-worker': {
      const { DemoEngine } = await import('../src/backends/local/db/demo/demoEngine');
      return () => new DemoEngine('demo', { dataDir: job.dataDir, ...(job.idleMs !== undefined && { idleMs: job.idleMs }) });
    }
    case 'sqlite-thread':
    case 'sqlite-seed': {
      const { DemoDatabase } = await import('../src/backends/local/db/demo/demoDatabase');
      return () => new DemoDatabase('demo', { dataDir: job.dataDir });
    }
    case 'pglite':
    case 'pglite-prebuilt': {
      const { PgliteDemoEngine } = await import('./pgliteDemo');
      const prebuilt = job.prebuilt && { dump: job.prebuilt.file, days: job.prebuilt.days };
      return () => new PgliteDemoEngine('demo', { dataDir: job.dataDir, ...(prebuilt && { prebuilt }) });
    }
    case 'postgres': {
      const { PostgresEngine } = await import('../src/backends/local/db/postgres/postgresEngine');
      return () => new PostgresEngine(job.postgres!.connection, job.postgres!.password);
    }
  }
}

/** From the engine's creation to the first query's answer: starting, creating or opening the database, the query. */
async function firstQuery(job: Job, engine: () => DatabaseEngine): Promise<DatabaseEngine> {
  // The alternative to copying the shipped shop: generating it on the spot (the demo then opens it as it is).
  if (job.candidate === 'sqlite-seed') await writeDemoShop(join(job.dataDir, demoFileName), new Date(new Date().toISOString().slice(0, 10)));
  const opened = engine();
  await opened.exportQuery('SELECT count(*) AS n FROM orders', sink(), { format: 'csv' });
  return opened;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as Job;
  const factory = await engineFactory(job);
  if (job.task === 'first') {
    let engine: DatabaseEngine | undefined;
    const first = await phase(async () => (engine = await firstQuery(job, factory)));
    await engine!.close();
    console.log(JSON.stringify({ ...first, peakRssMb: peakRssMb() }));
    return;
  }

  // A long-lived process, as the extension host: the code is loaded before the engine is first used.
  const before = await collectedRssMb();
  const engine = factory();
  const use = async () => {
    await engine.exportQuery('SELECT count(*) AS n FROM orders', sink(), { format: 'csv' });
    await engine.exportQuery('SELECT * FROM orders', sink(), { format: 'csv' });
  };
  // Idle past the release time; the engines without an idle timer of their own are closed, as one would.
  const idle = async () => {
    await settle(job.idleMs ?? 0);
    if (job.candidate !== 'sqlite-worker') await engine.close();
    await settle(1000);
  };
  const first = await phase(use);
  const heldAfterFirstMb = (await collectedRssMb()) - before;
  await idle();
  const heldAfterIdleMb = (await collectedRssMb()) - before;
  // Used and released again: what stays is reused, not added to.
  await use();
  await idle();
  const heldAfterSecondIdleMb = (await collectedRssMb()) - before;

  const queries = job.candidate.startsWith('sqlite') ? demoQueries.sqlite : demoQueries.postgres;
  const demo = await phase(async () => {
    for (const sql of queries) await engine.exportQuery(sql, sink(), { format: 'csv' });
    await engine.validate(dataFixes);
  });
  const exports: SessionResult['exports'] = [];
  for (const rows of job.exportRows ?? []) {
    const measured = await phase(() => engine.exportQuery(repeatedOrders(rows), sink(), { format: 'csv' }));
    exports.push({ ...measured, rows });
  }
  const largest = Math.max(...(job.exportRows ?? []));
  const sortedExport = largest > 0 ? { ...(await phase(() => engine.exportQuery(repeatedOrders(largest, 'ORDER BY o.placed_at DESC, copy'), sink(), { format: 'csv' }))), rows: largest } : undefined;
  await engine.close();
  const result: SessionResult = { first, demoQueries: demo, exports, ...(sortedExport && { sortedExport }), heldAfterFirstMb, heldAfterIdleMb, heldAfterSecondIdleMb, peakRssMb: peakRssMb() };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
