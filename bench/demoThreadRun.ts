// One run of bench/demoThread.bench.ts, in its own process: the demo database on the caller's thread
// (DemoDatabase) or on its worker thread (DemoEngine), cold-started and then exporting `rows` rows as CSV to a file.
//   node demoThreadRun.cjs <caller|worker> <rows> <output file>
// Prints one JSON line: per phase the seconds and the longest and 99th-percentile stall of this thread's event
// loop, plus memory.
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import { DemoDatabase } from '../src/backends/local/db/demo/demoDatabase';
import { DemoEngine } from '../src/backends/local/db/demo/demoEngine';
import type { DatabaseEngine } from '../src/backends/local/db/engine';

/** Runs `work` while watching this thread's event loop (10 ms resolution) and its own heap. */
async function phase<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; maxDelayMs: number; p99DelayMs: number; mainHeapMb: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let mainHeap = 0;
  const sample = () => {
    const { heapUsed, external } = process.memoryUsage();
    mainHeap = Math.max(mainHeap, heapUsed + external);
  };
  const sampler = setInterval(sample, 20);
  delay.enable();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  clearInterval(sampler);
  sample();
  return { value, seconds, maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6, mainHeapMb: mainHeap / 2 ** 20 };
}

async function main(): Promise<void> {
  const [mode, rowsText, file] = process.argv.slice(2);
  const rows = Number(rowsText);
  const engine: DatabaseEngine = mode === 'worker' ? new DemoEngine('demo') : new DemoDatabase('demo');
  const open = await phase(() => engine.execute(['SELECT 1']));
  const out = createWriteStream(file);
  // The shop's orders, repeated to `rows` rows: integers, timestamps with zones, text.
  const sql = `SELECT o.*, r AS copy FROM orders o, generate_series(1, ${Math.ceil(rows / 8000)}) AS r LIMIT ${rows}`;
  const exported = await phase(async () => {
    const result = await engine.exportQuery(sql, out, { format: 'csv' });
    out.end();
    await finished(out);
    return result;
  });
  await engine.close();
  if (exported.value.rows !== rows) throw new Error(`exported ${exported.value.rows} rows, expected ${rows}`);
  console.log(
    JSON.stringify({
      open: { seconds: open.seconds, maxDelayMs: open.maxDelayMs, p99DelayMs: open.p99DelayMs, mainHeapMb: open.mainHeapMb },
      export: { seconds: exported.seconds, maxDelayMs: exported.maxDelayMs, p99DelayMs: exported.p99DelayMs, mainHeapMb: exported.mainHeapMb, bytes: exported.value.bytes },
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
