// The demo database on the caller's thread against on its worker thread: how long the caller's event loop stalls
// while the database cold-starts (initdb and the seed) and while it exports, export throughput, and memory. Each
// run is its own process (bench/demoThreadRun.ts, bundled by esbuild the way the extension and the CLI ship, with
// the worker bundle and PGlite's WebAssembly beside it); the median of the runs counts.
//   node --import tsx bench/demoThread.bench.ts [--rows 1000000] [--runs 3]
import { execFile } from 'node:child_process';
import * as esbuild from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

interface Run {
  open: { seconds: number; maxDelayMs: number; p99DelayMs: number; mainHeapMb: number };
  export: { seconds: number; maxDelayMs: number; p99DelayMs: number; mainHeapMb: number; bytes: number };
  peakRssMb: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rows = Number(option('--rows', '1000000'));
const runs = Number(option('--runs', '3'));
const repoRoot = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'db-tickets-demo-bench-'));

/** The same shim scripts/build.mjs gives the shipped bundles, so PGlite finds its WebAssembly beside them. */
async function bundle(): Promise<void> {
  const importMetaUrl = 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', define: { 'import.meta.url': '__importMetaUrl' }, banner: { js: importMetaUrl } } as const;
  await esbuild.build({ ...common, entryPoints: [join(__dirname, 'demoThreadRun.ts')], outfile: join(work, 'demoThreadRun.js') });
  await esbuild.build({ ...common, entryPoints: [join(repoRoot, 'src/backends/local/db/demo/demoWorker.ts')], outfile: join(work, 'demoWorker.js') });
  for (const asset of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) copyFileSync(join(repoRoot, 'node_modules/@electric-sql/pglite/dist', asset), join(work, asset));
}

async function measure(mode: 'caller' | 'worker'): Promise<Run> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(work, 'demoThreadRun.js'), mode, String(rows), join(work, 'out.csv')], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Run;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  console.log(`Hardware: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM; Node ${process.version}; load average ${loadavg()[0].toFixed(1)}; ${runs} runs each (median), ${rows.toLocaleString('en-US')} rows exported`);
  await bundle();
  const results: Record<string, Run[]> = { caller: [], worker: [] };
  // Alternate the modes, so a change in the machine's load falls on both.
  for (let i = 0; i < runs; i++) for (const mode of ['caller', 'worker'] as const) results[mode].push(await measure(mode));

  console.log('\n| demo database runs on | cold start s | stall max / p99, cold start ms | export s | rows/s | MB/s | stall max / p99, export ms | caller\'s heap peak MB | process peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const stall = (list: Run[], phase: 'open' | 'export') => `${median(list.map((r) => r[phase].maxDelayMs)).toFixed(0)} / ${median(list.map((r) => r[phase].p99DelayMs)).toFixed(0)}`;
  for (const [mode, list] of Object.entries(results)) {
    const exportSeconds = median(list.map((r) => r.export.seconds));
    const megabytes = list[0].export.bytes / 1e6;
    const cells = [
      mode === 'caller' ? "the caller's thread" : 'a worker thread',
      median(list.map((r) => r.open.seconds)).toFixed(2),
      stall(list, 'open'),
      exportSeconds.toFixed(2),
      Math.round(rows / exportSeconds).toLocaleString('en-US'),
      (megabytes / exportSeconds).toFixed(1),
      stall(list, 'export'),
      median(list.map((r) => Math.max(r.open.mainHeapMb, r.export.mainHeapMb))).toFixed(0),
      median(list.map((r) => r.peakRssMb)).toFixed(0),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(work, { recursive: true, force: true });
  process.exitCode = 1;
});
