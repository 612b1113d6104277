// The Tickets tree with 1k, 10k (and 30k) tickets loaded: how long a redraw of the whole tree takes (every node's
// children and item, as the workbench asks when the view changes), and a background refresh that finds nothing
// changed — with how many list requests it makes. The extension's own work only: the tree and model run in plain
// Node with a `vscode` stand-in (bench/vscodeStub.ts), over tickets held in memory. Each size in its own process;
// CPU time of that process, medians of nine.
//   node --import tsx bench/tree.bench.ts [--quick]
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { printBenchRows } from './benchRows';

interface Run {
  count: number;
  items: number;
  redrawMs: number;
  refreshMs: number;
  refreshLists: number;
  peakRssMb: number;
}

const quick = process.argv.includes('--quick');
const sizes = quick ? [1000, 10_000] : [1000, 10_000, 30_000];
// Inside the project (git-ignored), so the bundle's own dependencies resolve from node_modules.
const work = join(__dirname, '..', 'out', 'bench');

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const runner = join(work, 'treeRun.js');
  await esbuild.build({
    entryPoints: [join(__dirname, 'treeRun.ts')],
    outfile: runner,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    packages: 'external',
    alias: { vscode: join(__dirname, 'vscodeStub.ts') },
  });
  const runs: Run[] = sizes.map((count) => JSON.parse(execFileSync(process.execPath, [runner, String(count)], { encoding: 'utf8' })) as Run);
  console.log(`Tickets tree — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(1)}`);
  console.log('| tickets | tree items | redraw ms (CPU) | µs per item | refresh, nothing changed, ms (CPU) | list requests per refresh | peak RSS MiB |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    console.log(`| ${r.count.toLocaleString('en-US')} | ${r.items.toLocaleString('en-US')} | ${r.redrawMs.toFixed(1)} | ${((1000 * r.redrawMs) / r.items).toFixed(1)} | ${r.refreshMs.toFixed(1)} | ${r.refreshLists} | ${r.peakRssMb.toFixed(0)} |`);
  }
  const tenK = runs.find((r) => r.count === 10_000)!;
  const oneK = runs.find((r) => r.count === 1000)!;
  printBenchRows([
      { bench: 'tree', what: 'redraw of the Tickets tree with 10,000 tickets', value: Number(tenK.redrawMs.toFixed(1)), unit: 'ms', reference: 'the same with 1,000', ratio: Number((tenK.redrawMs / oneK.redrawMs).toFixed(1)), target: '< 100 ms', met: tenK.redrawMs < 100 },
      { bench: 'tree', what: 'background refresh with 10,000 tickets, nothing changed', value: Number(tenK.refreshMs.toFixed(1)), unit: 'ms', reference: `${tenK.refreshLists} list requests` },
    ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
