// The embedded demo database: the candidates side by side in one run. The chosen engine (the shop as a SQLite file
// through sql.js, copied from the shipped file at first use) on a worker thread (the extension) and on the caller's
// thread (the CLI), SQLite seeded at first use instead, PGlite (PostgreSQL in WebAssembly, the earlier demo engine)
// seeded at first use or from a prebuilt data directory, and a private PostgreSQL server as the reference. Measured: time to the first query on a new database (cold) and on an
// existing one (warm), the CLI creating, approving and executing an export on a fresh home (wall time and peak RSS of
// the CLI processes), a long-lived process holding the engine as the extension host does (RSS growth after the first
// query and after idling past the release time, the caller's event-loop stalls, exports of 1×/10×/100× rows), and
// what each adds to the .vsix. Every measurement is a fresh process running esbuild bundles, as shipped.
//   node --import tsx bench/demo.bench.ts [--quick] [--runs 3] [--only sqlite-worker,pglite,…]
// --quick: one run, smaller exports, no prebuilt PGlite, no long-lived PGlite process, no packaging (under two
// minutes). --only: these candidates (and the PostgreSQL reference), no packaging.
import { execFileSync, spawn } from 'node:child_process';
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { ServerConnection } from '../src/backends/local/db/passwordSource';
import { startPostgres, type PostgresServer } from '../test/support/postgresServer';
import type { Candidate, Job, Phase, SessionResult } from './demoBenchRun';
import { postgresShopInserts, postgresShopSchema } from './pgliteDemo';
import { type BenchRow, printBenchRows } from './benchRows';

type Row = BenchRow & { bench: 'demo' };

interface FirstQuery {
  ms: number;
  peakRssMb: number;
}

interface CliFlow {
  seconds: number;
  peakRssMb: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = quick ? 1 : Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : '3');
const exportRows = quick ? [1_000, 10_000, 100_000] : [10_000, 100_000, 1_000_000];
const largest = exportRows.at(-1)!;
/** The chosen engine's idle time in the session (the product waits three minutes: same code, shorter timer). */
const idleMs = 2_000;
const prebuiltDays = 30;
const repoRoot = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'db-tickets-demo-bench-'));
const labels: Record<Candidate, string> = {
  'sqlite-worker': 'SQLite on a worker thread (chosen: extension)',
  'sqlite-thread': "SQLite on the caller's thread (chosen: CLI)",
  'sqlite-seed': 'SQLite seeded at first use, not copied',
  pglite: 'PGlite seeded at first use (before)',
  'pglite-prebuilt': 'PGlite from a prebuilt data directory',
  postgres: 'PostgreSQL 15 server (reference)',
};
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const candidates = (quick ? ['sqlite-worker', 'sqlite-thread', 'sqlite-seed', 'pglite', 'postgres'] : ['sqlite-worker', 'sqlite-thread', 'sqlite-seed', 'pglite', 'pglite-prebuilt', 'postgres']).filter(
  (c) => c === 'postgres' || !only || only.includes(c),
) as Candidate[];
/** The CLI flow runs the shipped CLI (the demo on its own thread), and CLI bundles with the worker or PGlite swapped in. */
const cliCandidates: Candidate[] = candidates.filter((c) => c !== 'sqlite-seed');
const cliDirs: Partial<Record<Candidate, string>> = { 'sqlite-worker': 'worker-dist', pglite: 'pglite-dist', 'pglite-prebuilt': 'pglite-dist' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 0) => Number(value.toFixed(digits));

const importMetaUrl = 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';
const bundleOptions: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  logLevel: 'silent',
  external: ['proxy-agent'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaUrl },
};

/** The CLI with its demo engine swapped: openEngine's import of the caller-thread demo gets `module` instead. */
function demoSwappedFor(module: string): esbuild.Plugin {
  return {
    name: 'demo-swapped',
    setup(build) {
      build.onResolve({ filter: /\/demo\/demoDatabase$/ }, (resolved) => (resolved.importer.endsWith('openEngine.ts') ? { path: module } : undefined));
    },
  };
}

/** The bundles with the WebAssembly and the shop beside them, as scripts/build.mjs lays out dist/. */
async function bundle(): Promise<void> {
  const [shipped, worker, pglite] = ['dist', 'worker-dist', 'pglite-dist'].map((dir) => join(work, dir));
  for (const dir of [shipped, worker, pglite]) mkdirSync(dir);
  const workerDemo = join(work, 'workerDemo.ts');
  writeFileSync(workerDemo, `export { DemoEngine as DemoDatabase } from ${JSON.stringify(join(repoRoot, 'src/backends/local/db/demo/demoEngine'))};\n`);
  const cli = join(repoRoot, 'src/cli/main.ts');
  const demoWorker = join(repoRoot, 'src/backends/local/db/demo/demoWorker.ts');
  await Promise.all([
    esbuild.build({ ...bundleOptions, entryPoints: [join(__dirname, 'demoBenchRun.ts')], outfile: join(shipped, 'demoBenchRun.js') }),
    esbuild.build({ ...bundleOptions, entryPoints: [cli], outfile: join(shipped, 'cli.js') }),
    esbuild.build({ ...bundleOptions, entryPoints: [demoWorker], outfile: join(shipped, 'demoWorker.js') }),
    esbuild.build({ ...bundleOptions, entryPoints: [cli], outfile: join(worker, 'cli.js'), plugins: [demoSwappedFor(workerDemo)] }),
    esbuild.build({ ...bundleOptions, entryPoints: [demoWorker], outfile: join(worker, 'demoWorker.js') }),
    esbuild.build({ ...bundleOptions, entryPoints: [cli], outfile: join(pglite, 'cli.js'), plugins: [demoSwappedFor(join(__dirname, 'pgliteDemo.ts'))] }),
  ]);
  const sqliteAssets = [join(repoRoot, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(repoRoot, 'src/backends/local/db/demo/demo-shop.sqlite')];
  const pgliteAssets = ['pglite.wasm', 'pglite.data', 'initdb.wasm'].map((file) => join(repoRoot, 'node_modules/@electric-sql/pglite/dist', file));
  const copy = (files: string[], dir: string) => files.forEach((file) => copyFileSync(file, join(dir, file.split('/').pop()!)));
  copy([...sqliteAssets, ...pgliteAssets], shipped);
  copy(sqliteAssets, worker);
  copy(pgliteAssets, pglite);
  // Each CLI process reports its peak RSS (worker threads included) as it exits.
  writeFileSync(
    join(work, 'rss.cjs'),
    "process.on('exit', () => require('node:fs').appendFileSync(process.env.BENCH_RSS_FILE, /VmHWM:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'));\n",
  );
}

function daysAgo(days: number): Date {
  const today = new Date(new Date().toISOString().slice(0, 10));
  return new Date(today.getTime() - days * 86_400_000);
}

/** PGlite's prebuilt data directory, seeded `prebuiltDays` ago, as a build would have made it. */
async function prebuildPglite(): Promise<string> {
  const db = await PGlite.create();
  await db.exec(postgresShopSchema);
  for (const insert of postgresShopInserts(daysAgo(prebuiltDays))) await db.exec(insert);
  await db.exec('ANALYZE');
  const pglite = join(work, 'prebuilt-pglite.tar.gz');
  writeFileSync(pglite, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
  await db.close();
  return pglite;
}

async function seedPostgres(server: PostgresServer): Promise<void> {
  await server.admin(`SET ROLE tickets; SET TimeZone = 'UTC'; ${postgresShopSchema}; ${postgresShopInserts(daysAgo(0)).join(';\n')}; ANALYZE`);
}

function run(script: string, nodeArgs: string[], scriptArgs: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...scriptArgs], { env: { ...process.env, ...options.env }, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${script} ${scriptArgs.join(' ')} exited with ${code}:\n${stderr}`))));
    child.stdin.end(options.stdin ?? '');
  });
}

function job(candidate: Candidate, task: Job['task'], dataDir: string, context: Context): Job {
  const prebuilt = candidate === 'pglite-prebuilt' ? context.pgliteDump : undefined;
  return {
    task,
    candidate,
    dataDir,
    ...(prebuilt && { prebuilt: { file: prebuilt, days: prebuiltDays } }),
    ...(candidate === 'postgres' && { postgres: { connection: context.postgres.connection({ name: 'shop' }) as ServerConnection, password: context.postgres.password } }),
    ...(task === 'session' && { exportRows, idleMs: candidate === 'sqlite-worker' ? idleMs : 0 }),
  };
}

async function runner<T>(job: Job): Promise<T> {
  return JSON.parse(await run(join(work, 'dist', 'demoBenchRun.js'), ['--expose-gc'], [JSON.stringify(job)])) as T;
}

interface Context {
  postgres: PostgresServer;
  pgliteDump?: string;
}

/** Cold: a new data folder; warm: the same folder again, in a new process. */
async function firstQueries(candidate: Candidate, context: Context): Promise<{ cold: FirstQuery; warm: FirstQuery }> {
  const cold: FirstQuery[] = [];
  const warm: FirstQuery[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(work, 'data-'));
    cold.push(await runner<FirstQuery>(job(candidate, 'first', dataDir, context)));
    // What a first use left is opened as it is.
    warm.push(await runner<FirstQuery>(job(candidate === 'sqlite-seed' ? 'sqlite-thread' : candidate, 'first', dataDir, context)));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const pick = (list: FirstQuery[]) => ({ ms: median(list.map((r) => r.ms)), peakRssMb: median(list.map((r) => r.peakRssMb)) });
  return { cold: pick(cold), warm: pick(warm) };
}

/** create (the precheck runs the engine), approve, execute (the export): three CLI processes on a fresh home. */
async function cliFlow(candidate: Candidate, context: Context): Promise<CliFlow> {
  const flows: CliFlow[] = [];
  for (let i = 0; i < runs; i++) {
    const home = mkdtempSync(join(work, 'home-'));
    const rssFile = join(home, 'rss');
    const env: NodeJS.ProcessEnv = {
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      DB_TICKETS_USER: 'alice',
      DB_TICKETS_CONFIG: '',
      DB_TICKETS_STORE: '',
      BENCH_RSS_FILE: rssFile,
    };
    let database = 'demo';
    if (candidate === 'postgres') {
      database = 'shop';
      env.DB_TICKETS_CONFIG = join(home, 'config.json');
      env.DB_TICKETS_BENCH_PG_PASSWORD = context.postgres.password;
      writeFileSync(env.DB_TICKETS_CONFIG, JSON.stringify({ connections: [context.postgres.connection({ name: 'shop', passwordEnv: 'DB_TICKETS_BENCH_PG_PASSWORD' })] }));
    }
    if (candidate === 'pglite-prebuilt') Object.assign(env, { DB_TICKETS_BENCH_PGLITE_DUMP: context.pgliteDump, DB_TICKETS_BENCH_PREBUILT_DAYS: String(prebuiltDays) });
    const cli = join(work, cliDirs[candidate] ?? 'dist', 'cli.js');
    const dbTickets = (cliArgs: string[], stdin?: string) => run(cli, ['--require', join(work, 'rss.cjs')], cliArgs, { env, stdin, cwd: home });
    const started = performance.now();
    const created = JSON.parse(await dbTickets(['create', '--kind', 'export', '--db', database, '--title', 'All orders', '--reason', 'benchmark', '--json'], 'SELECT * FROM orders;\n')) as { id: string; status: { state: string } };
    if (created.status.state !== 'pending_approval') throw new Error(`${candidate}: the ticket is ${created.status.state} after create`);
    await dbTickets(['approve', created.id]);
    const executed = await dbTickets(['execute', created.id]);
    if (!/succeeded/.test(executed)) throw new Error(`${candidate}: the export did not succeed: ${executed}`);
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number)) / 1024;
    flows.push({ seconds, peakRssMb });
    rmSync(home, { recursive: true, force: true });
  }
  return { seconds: median(flows.map((f) => f.seconds)), peakRssMb: median(flows.map((f) => f.peakRssMb)) };
}

async function session(candidate: Candidate, context: Context): Promise<SessionResult> {
  const dataDir = mkdtempSync(join(work, 'data-'));
  try {
    return await runner<SessionResult>(job(candidate, 'session', dataDir, context));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The files a candidate needs in dist/ (sql.js's WebAssembly ships for SQLite connections anyway), deflated as the .vsix (a zip) stores them. */
function vsixShare(candidate: Candidate, pgliteDump: string | undefined): number | undefined {
  const dist = (file: string) => join(work, 'dist', file);
  const files: Partial<Record<Candidate, string[]>> = {
    'sqlite-worker': ['demoWorker.js', 'sql-wasm.wasm', 'demo-shop.sqlite'].map(dist),
    'sqlite-thread': ['sql-wasm.wasm', 'demo-shop.sqlite'].map(dist),
    'sqlite-seed': [dist('sql-wasm.wasm')],
    pglite: ['pglite.wasm', 'pglite.data', 'initdb.wasm'].map(dist),
    'pglite-prebuilt': [...['pglite.wasm', 'pglite.data'].map(dist), ...(pgliteDump ? [pgliteDump] : [])],
  };
  const list = files[candidate];
  return list && list.reduce((sum, file) => sum + deflateRawSync(readFileSync(file)).length, 0) / 1e6;
}

/** The real package, in full mode: a production build and vsce, as `npm run package` does. */
async function packageSize(): Promise<number> {
  const { packageVsix } = (await import(join(repoRoot, 'scripts', 'package.mjs'))) as { packageVsix: () => string };
  const vsix = packageVsix();
  const size = statSync(vsix).size / 1e6;
  rmSync(vsix);
  // Back to the development build the tests use.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot });
  return size;
}

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Hardware: ${cpu}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`Mode: ${quick ? 'quick' : 'full'}; ${runs} run(s) per measurement (median); exports of ${exportRows.map((r) => r.toLocaleString('en-US')).join(' / ')} rows\n`);
  await bundle();
  const postgres = await startPostgres();
  try {
    await seedPostgres(postgres);
    const context: Context = { postgres, ...(candidates.includes('pglite-prebuilt') && { pgliteDump: await prebuildPglite() }) };
    const first: Partial<Record<Candidate, { cold: FirstQuery; warm: FirstQuery }>> = {};
    const flows: Partial<Record<Candidate, CliFlow>> = {};
    const sessions: Partial<Record<Candidate, SessionResult>> = {};
    for (const candidate of candidates) {
      first[candidate] = await firstQueries(candidate, context);
      if (cliCandidates.includes(candidate)) flows[candidate] = await cliFlow(candidate, context);
      if (!['sqlite-seed', 'pglite-prebuilt', ...(quick ? ['pglite'] : [])].includes(candidate)) sessions[candidate] = await session(candidate, context);
      console.error(`measured ${labels[candidate]}`);
    }
    const vsix = quick || only ? undefined : await packageSize();

    const cell = (value: number | undefined, digits = 0) => (value === undefined ? '—' : value.toFixed(digits));
    console.log(
      table(
        ['candidate', 'cold first query ms', 'warm first query ms', 'peak RSS cold MiB', 'CLI flow s', 'CLI peak RSS MiB', 'held after first use MiB', 'after idle MiB', 'after 2nd use + idle MiB', 'needs in .vsix MB'],
        candidates.map((c) => [
          labels[c],
          cell(first[c]?.cold.ms),
          cell(first[c]?.warm.ms),
          cell(first[c]?.cold.peakRssMb),
          cell(flows[c]?.seconds, 1),
          cell(flows[c]?.peakRssMb),
          cell(sessions[c]?.heldAfterFirstMb),
          cell(sessions[c]?.heldAfterIdleMb),
          cell(sessions[c]?.heldAfterSecondIdleMb),
          cell(vsixShare(c, context.pgliteDump), 2),
        ]),
      ),
    );
    console.log("\nThe caller's event loop in the long-lived process: longest stall in ms (of the work's own time):");
    const sessionCandidates = candidates.filter((c) => sessions[c]);
    console.log(
      table(
        ['candidate', 'first use (creates the database)', 'demo queries', ...exportRows.map((rows) => `export ${rows.toLocaleString('en-US')} rows`), `the same ${largest.toLocaleString('en-US')} sorted`],
        sessionCandidates.map((c) => {
          const s = sessions[c]!;
          return [labels[c], stall(s.first), stall(s.demoQueries), ...s.exports.map(stall), s.sortedExport ? stall(s.sortedExport) : '—'];
        }),
      ),
    );
    if (vsix !== undefined) console.log(`\nThe .vsix (production build): ${vsix.toFixed(2)} MB`);

    const [extension, cli] = ['sqlite-worker', 'sqlite-thread'];
    const reference = labels.postgres;
    const rows: Row[] = [];
    const add = (row: Omit<Row, 'bench'>) => rows.push({ bench: 'demo', ...row });
    for (const c of candidates) {
      const f = first[c]!;
      const chosen = c === extension || c === cli;
      const coldTarget = chosen ? { target: '≤ 1000 ms', met: f.cold.ms <= 1000 } : {};
      const warmTarget = chosen ? { target: '≤ 300 ms', met: f.warm.ms <= 300 } : {};
      add({ what: `cold first query, ${labels[c]}`, value: round(f.cold.ms), unit: 'ms', ...coldTarget });
      add({ what: `warm first query, ${labels[c]}`, value: round(f.warm.ms), unit: 'ms', ...warmTarget });
    }
    const pgFlow = flows.postgres!;
    for (const c of cliCandidates) {
      const flow = flows[c]!;
      const mine = c === cli;
      add({ what: `CLI create+approve+execute, wall, ${labels[c]}`, value: round(flow.seconds, 2), unit: 's', ...(c !== 'postgres' && { reference, ratio: round(flow.seconds / pgFlow.seconds, 2) }), ...(mine && { target: '≤ 1.5× PostgreSQL', met: flow.seconds <= 1.5 * pgFlow.seconds }) });
      add({ what: `CLI create+approve+execute, peak RSS, ${labels[c]}`, value: round(flow.peakRssMb), unit: 'MiB', ...(c !== 'postgres' && { reference, ratio: round(flow.peakRssMb / pgFlow.peakRssMb, 2) }), ...(mine && { target: '≤ 150 MiB', met: flow.peakRssMb <= 150 }) });
    }
    for (const c of sessionCandidates) {
      const s = sessions[c]!;
      const mine = c === extension;
      add({ what: `extension host: held after the first use, ${labels[c]}`, value: round(s.heldAfterFirstMb), unit: 'MiB', ...(mine && { target: '≤ +60 MiB', met: s.heldAfterFirstMb <= 60 }) });
      add({ what: `extension host: held after idling past the release, ${labels[c]}`, value: round(s.heldAfterIdleMb), unit: 'MiB', reference: 'held after the first use', ratio: round(s.heldAfterIdleMb / s.heldAfterFirstMb, 2) });
      add({ what: `extension host: held after a second use and release, ${labels[c]}`, value: round(s.heldAfterSecondIdleMb), unit: 'MiB', reference: 'after the first release', ratio: round(s.heldAfterSecondIdleMb / s.heldAfterIdleMb, 2), ...(mine && { target: 'no growth (≤ 1.2×)', met: s.heldAfterSecondIdleMb <= 1.2 * s.heldAfterIdleMb }) });
      add({ what: `caller's longest stall, first query, ${labels[c]}`, value: round(s.first.stallMs), unit: 'ms' });
      add({ what: `caller's longest stall, demo queries, ${labels[c]}`, value: round(s.demoQueries.stallMs), unit: 'ms' });
      for (const [i, e] of s.exports.entries()) {
        const growth = i > 0 ? { reference: `${s.exports[i - 1].rows.toLocaleString('en-US')} rows`, ratio: round(e.ms / s.exports[i - 1].ms, 2), ...(mine && { target: '≤ 12× for 10× rows', met: e.ms / s.exports[i - 1].ms <= 12 }) } : {};
        add({ what: `export ${e.rows.toLocaleString('en-US')} rows, ${labels[c]}`, value: round(e.ms), unit: 'ms', ...growth });
        add({ what: `caller's longest stall, export ${e.rows.toLocaleString('en-US')} rows, ${labels[c]}`, value: round(e.stallMs), unit: 'ms' });
      }
      if (s.sortedExport) add({ what: `caller's longest stall, export ${largest.toLocaleString('en-US')} rows sorted, ${labels[c]}`, value: round(s.sortedExport.stallMs), unit: 'ms', reference: 'its own time', ratio: round(s.sortedExport.stallMs / s.sortedExport.ms, 2) });
    }
    for (const c of candidates) {
      const share = vsixShare(c, context.pgliteDump);
      if (share !== undefined) add({ what: `adds to the .vsix (deflated), ${labels[c]}`, value: round(share, 2), unit: 'MB' });
    }
    if (vsix !== undefined) add({ what: 'the .vsix, production build', value: round(vsix, 2), unit: 'MB', target: '≤ 5 MB', met: vsix <= 5 });
    console.log('');
    printBenchRows(rows);
  } finally {
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function stall(phase: Phase): string {
  return `${phase.stallMs.toFixed(0)} (of ${(phase.ms / 1000).toFixed(2)} s)`;
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = 1;
});
