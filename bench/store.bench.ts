// `db-tickets list` on Local stores of growing size, through the built CLI (dist/cli.js, rebuilt when a source file is
// newer): the first read (no snapshot: the whole log is replayed and the snapshot written), later reads (snapshot and
// the lines after it), and reads after 10 more events were appended. `db-tickets store check` (a replay of the whole
// log, what every command paid before the snapshot), `db-tickets --version` (the CLI's start-up) and `node -e 0` are
// measured in the same run as references. Each measurement is its own process; its CPU time (user + system) comes
// from the process itself (bench/cpuReport.cjs), its wall time from here; the median of the runs counts.
//   node --import tsx bench/store.bench.ts [--quick] [--sizes 1000,10000,30000,100000] [--runs 5]
// --quick: 1,000 / 10,000 / 30,000 tickets, 3 runs and one full replay each (about a minute); otherwise 100,000
// too, 5 runs and 3 full replays.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { StoreEvent } from '../src/backends/local/store/events';
import { sealLine } from '../src/backends/local/store/lineChecksum';
import { TicketStore } from '../src/backends/local/store/ticketStore';
import { type BenchRow, printBenchRows } from './benchRows';

interface Run {
  wallMs: number;
  cpuMs: number;
}

type Row = BenchRow;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sizes = option('--sizes', quick ? '1000,10000,30000' : '1000,10000,30000,100000').split(',').map(Number);
const runs = Number(option('--runs', quick ? '3' : '5'));
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'db-tickets-store-bench-'));
const cpuFile = join(work, 'cpu.json');
const at = '2026-01-02T03:04:05.000Z';
const people = ['ann', 'bob', 'cy', 'dan', 'eve', 'fay', 'gus'];

/** dist/cli.js, built again when any source file is newer than it. */
function ensureBuilt(): void {
  const built = statSync(cli, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = (folder: string): number =>
    Math.max(0, ...readdirSync(folder, { withFileTypes: true }).map((entry) => (entry.isDirectory() ? newest(join(folder, entry.name)) : statSync(join(folder, entry.name)).mtimeMs)));
  if (newest(join(root, 'src')) <= built) return;
  console.log('Building dist/cli.js …');
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

function line(event: StoreEvent): string {
  return `${sealLine(JSON.stringify(event))}\n`;
}

/** The events of ticket `n` as a team's log has them: most exported and done, some rejected, a few still open. */
function ticketLines(n: number): string {
  const ticket = String(n);
  const uid = (0x10000000 + n).toString(16);
  const by = people[n % people.length];
  const approver = people[(n + 1) % people.length];
  const base = { ticket, uid, at };
  let text = line({ type: 'submitted', ...base, by, draftId: `draft-${n}`, title: `Export the orders of customer ${n}`, kind: n % 5 === 0 ? 'DATA_CHANGE' : 'DATA_EXPORT', database: 'shop', reason: 'Quarterly report for finance', stakeholders: [approver], estimatedRows: n % 1000, sql: `SELECT id, customer_id, total FROM orders WHERE customer_id = ${n} ORDER BY id` });
  text += line({ type: 'prechecked', ...base, by, passed: true, estimatedRows: n % 1000, items: [{ check: 'kind', status: 'passed', message: 'The SQL fits the ticket kind.' }] });
  if (n % 10 === 9) return text;
  if (n % 10 === 8) return text + line({ type: 'rejected', ...base, by: approver, comment: 'Not this quarter.' });
  text += line({ type: 'approved', ...base, by: approver, self: false, comment: 'OK' });
  text += line({ type: 'execution_started', ...base, by, host: 'build-7', pid: 4242, heartbeatMs: 5000 });
  return text + line({ type: 'execution_succeeded', ...base, by, rows: n % 1000, result: { file: `results/${n}/result.csv`, format: 'csv', columns: ['id', 'customer_id', 'total'], bytes: 1234, sha256: '0'.repeat(64) } });
}

function makeStore(tickets: number): string {
  const folder = join(work, `store-${tickets}`);
  mkdirSync(folder);
  const chunk: string[] = [];
  for (let n = 1; n <= tickets; n++) chunk.push(ticketLines(n));
  writeFileSync(join(folder, TicketStore.logName), chunk.join(''));
  return folder;
}

function environment(store: string): NodeJS.ProcessEnv {
  const home = join(work, 'home');
  return { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), DB_TICKETS_CONFIG: '', DB_TICKETS_USER: 'ann', DB_TICKETS_STORE: store, BENCH_CPU_FILE: cpuFile };
}

/** One process: `node --require cpuReport.cjs …args`; its wall and CPU time. */
function measure(nodeArgs: string[], store: string): Run {
  rmSync(cpuFile, { force: true });
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--require', join(__dirname, 'cpuReport.cjs'), ...nodeArgs], { env: environment(store), stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - started;
  if (run.status !== 0 && !(nodeArgs.includes('check') && run.status === 1)) throw new Error(`${nodeArgs.join(' ')} exited ${run.status}: ${run.stderr}`);
  const { user, system } = JSON.parse(readFileSync(cpuFile, 'utf8')) as { user: number; system: number };
  return { wallMs, cpuMs: (user + system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function repeat(times: number, run: () => Run): Run {
  const results = Array.from({ length: times }, run);
  return { wallMs: median(results.map((r) => r.wallMs)), cpuMs: median(results.map((r) => r.cpuMs)) };
}

async function appendTen(store: string): Promise<void> {
  const writer = new TicketStore(store);
  for (let i = 0; i < 10; i++) {
    await writer.transact((tickets) => ({ events: [{ type: 'commented', ticket: String(1 + ((i * 7919) % tickets.size)), at, by: 'hal', comment: `Looked again (${i})` }], result: undefined }));
  }
  await writer.settled();
}

interface SizeResult {
  tickets: number;
  logMb: number;
  cold: Run;
  warm: Run;
  appended: Run;
  check: Run;
}

async function measureSize(tickets: number): Promise<SizeResult> {
  const store = makeStore(tickets);
  const log = join(store, TicketStore.logName);
  const snapshot = join(store, TicketStore.snapshotName);
  const list = [cli, 'list'];
  const cold = repeat(runs, () => {
    rmSync(snapshot, { force: true });
    return measure(list, store);
  });
  const warm = repeat(runs, () => measure(list, store));
  await appendTen(store);
  const appended = repeat(runs, () => measure(list, store));
  const check = repeat(quick ? 1 : 3, () => measure([cli, 'store', 'check'], store));
  const result = { tickets, logMb: statSync(log).size / 1e6, cold, warm, appended, check };
  rmSync(store, { recursive: true, force: true });
  return result;
}

function hardware(): string {
  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return `${model}, nproc ${cpus().length}, Node ${process.version}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, load average ${loadavg()[0].toFixed(1)}`;
}

const ms = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(2)}×`;

async function main(): Promise<void> {
  ensureBuilt();
  console.log(`Hardware: ${hardware()}`);
  const nodeOnly = repeat(runs * 2, () => measure(['-e', '0'], work));
  const startup = repeat(runs * 2, () => measure([cli, '--version'], work));
  const results: SizeResult[] = [];
  for (const size of sizes) results.push(await measureSize(size));
  console.log(`Load average after: ${loadavg()[0].toFixed(1)}; median of ${runs} runs; CPU = user + system of the process.`);
  console.log('');
  console.log('| tickets | log MB | first list (cold) wall / CPU ms | later list wall / CPU ms | after +10 events wall / CPU ms | store check (full replay) CPU ms | later list CPU − start-up |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.tickets.toLocaleString('en-US')} | ${r.logMb.toFixed(1)} | ${ms(r.cold.wallMs)} / ${ms(r.cold.cpuMs)} | ${ms(r.warm.wallMs)} / ${ms(r.warm.cpuMs)} | ${ms(r.appended.wallMs)} / ${ms(r.appended.cpuMs)} | ${ms(r.check.cpuMs)} | ${ms(r.warm.cpuMs - startup.cpuMs)} |`);
  }
  console.log(`| reference: node -e 0 | | | ${ms(nodeOnly.wallMs)} / ${ms(nodeOnly.cpuMs)} | | | |`);
  console.log(`| reference: db-tickets --version (start-up) | | | ${ms(startup.wallMs)} / ${ms(startup.cpuMs)} | | | |`);
  console.log('');
  const rows: Row[] = [
    { bench: 'store', what: 'node -e 0, CPU', value: Math.round(nodeOnly.cpuMs), unit: 'ms' },
    { bench: 'store', what: 'db-tickets --version (CLI start-up), CPU', value: Math.round(startup.cpuMs), unit: 'ms', reference: 'node -e 0', ratio: +(startup.cpuMs / nodeOnly.cpuMs).toFixed(2) },
  ];
  for (const r of results) {
    const n = r.tickets.toLocaleString('en-US');
    const atTenThousand = r.tickets === 10_000;
    rows.push(
      { bench: 'store', what: `list at ${n} tickets, first read (builds the snapshot), CPU`, value: Math.round(r.cold.cpuMs), unit: 'ms', reference: 'node -e 0', ratio: +(r.cold.cpuMs / nodeOnly.cpuMs).toFixed(2) },
      {
        bench: 'store',
        what: `list at ${n} tickets, later reads, CPU`,
        value: Math.round(r.warm.cpuMs),
        unit: 'ms',
        reference: 'node -e 0',
        ratio: +(r.warm.cpuMs / nodeOnly.cpuMs).toFixed(2),
        ...(atTenThousand ? { target: '≤ 250 ms', met: r.warm.cpuMs <= 250 } : {}),
      },
      { bench: 'store', what: `list at ${n} tickets, later reads, wall`, value: Math.round(r.warm.wallMs), unit: 'ms', reference: 'node -e 0', ratio: +(r.warm.wallMs / nodeOnly.wallMs).toFixed(2) },
      { bench: 'store', what: `list at ${n} tickets after 10 more events, CPU`, value: Math.round(r.appended.cpuMs), unit: 'ms', reference: 'later reads', ratio: +(r.appended.cpuMs / r.warm.cpuMs).toFixed(2), target: '≤ 1.2× later reads', met: r.appended.cpuMs <= 1.2 * r.warm.cpuMs },
      { bench: 'store', what: `list at ${n} tickets, later reads vs a full replay (store check), CPU`, value: Math.round(r.warm.cpuMs), unit: 'ms', reference: 'store check', ratio: +(r.warm.cpuMs / r.check.cpuMs).toFixed(2) },
    );
  }
  console.log('Growth of the CPU time as the store grows (the log grows with the tickets):');
  for (let i = 1; i < results.length; i++) {
    const [small, large] = [results[i - 1], results[i]];
    const tickets = large.tickets / small.tickets;
    const list = large.warm.cpuMs / small.warm.cpuMs;
    const own = (large.warm.cpuMs - startup.cpuMs) / (small.warm.cpuMs - startup.cpuMs);
    const replay = large.check.cpuMs / small.check.cpuMs;
    // Below ~10,000 tickets a later list is mostly the CLI's start-up, and what is left is too small to divide by.
    const ownText = small.warm.cpuMs - startup.cpuMs >= 50 ? `, list beyond start-up ${times(own)}` : '';
    console.log(`  ${small.tickets.toLocaleString('en-US')} → ${large.tickets.toLocaleString('en-US')} tickets (${times(tickets)}): later list ${times(list)}${ownText}, full replay ${times(replay)}`);
    const span = `${small.tickets} → ${large.tickets} tickets`;
    rows.push(
      { bench: 'store', what: `later list growth, ${span}, CPU`, value: +list.toFixed(2), unit: '×', reference: `tickets ×${tickets}`, ratio: +(list / tickets).toFixed(2) },
      { bench: 'store', what: `full replay growth, ${span}, CPU`, value: +replay.toFixed(2), unit: '×', reference: `tickets ×${tickets}`, ratio: +(replay / tickets).toFixed(2) },
    );
    if (ownText) rows.push({ bench: 'store', what: `later list beyond start-up growth, ${span}, CPU`, value: +own.toFixed(2), unit: '×', reference: `tickets ×${tickets}`, ratio: +(own / tickets).toFixed(2) });
  }
  rmSync(work, { recursive: true, force: true });
  printBenchRows(rows);
}

void main().catch((error: unknown) => {
  rmSync(work, { recursive: true, force: true });
  console.error(error);
  process.exit(1);
});
