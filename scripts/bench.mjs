// `npm run bench`: every benchmark under bench/ in its quick size, one after another, then one table of what each
// measured (its `BENCH-ROWS` line) with the machine it ran on. Each benchmark's own output is kept in
// test-results/bench/<name>.txt; `npm run bench -- analyze split` runs only those. Full sizes: run a file directly.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './sandbox.mjs';

/** Each benchmark with the arguments of its quick size; `build` when it runs the bundled CLI or extension. */
const benches = [
  { name: 'analyze', file: 'bench/analyze.bench.ts', args: ['--quick'] },
  { name: 'tree', file: 'bench/tree.bench.ts', args: ['--quick'] },
  { name: 'activation', file: 'bench/activation.bench.ts', args: ['--quick'] },
  { name: 'demo', file: 'bench/demo.bench.ts', args: ['--quick'] },
  { name: 'store', file: 'bench/store.bench.ts', args: ['--quick'], build: true },
  { name: 'split', file: 'bench/split.bench.ts', args: ['--mb', '5'] },
  { name: 'export', file: 'bench/export.bench.ts', args: ['--rows', '200000'] },
  { name: 'fuzz', file: 'bench/fuzz.ts', args: ['--inputs', '50000'] },
  { name: 'crashSoak', file: 'bench/crashSoak.ts', args: ['--seconds', '20', '--writers', '4'], build: true },
  { name: 'teamStore', file: 'bench/teamStore.bench.ts', args: ['--quick'] },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benches.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; they are ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? benches.filter((b) => wanted.includes(b.name)) : benches;
const outputs = join(repoRoot, 'test-results', 'bench');
mkdirSync(outputs, { recursive: true });

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', (error) => resolve({ code: 1, text: `${text}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

if (selected.some((b) => b.build)) {
  const { code, text } = await run(process.execPath, ['scripts/build.mjs']);
  if (code !== 0) {
    console.error(text);
    process.exit(1);
  }
}

const rows = [];
const failed = [];
for (const bench of selected) {
  const started = performance.now();
  process.stderr.write(`bench: ${bench.name} …`);
  const { code, text } = await run(process.execPath, ['--import', 'tsx', bench.file, ...bench.args]);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(` ${seconds.toFixed(0)} s${code === 0 ? '' : `, exit ${code}`}\n`);
  writeFileSync(join(outputs, `${bench.name}.txt`), text);
  const line = text.split('\n').find((l) => l.startsWith('BENCH-ROWS '));
  if (code !== 0 || !line) {
    failed.push(`${bench.name} (${code !== 0 ? `exit ${code}` : 'no BENCH-ROWS line'}; see test-results/bench/${bench.name}.txt)`);
    continue;
  }
  rows.push(...JSON.parse(line.slice('BENCH-ROWS '.length)));
}

const number = (value) => (Number.isInteger(value) ? value.toLocaleString('en-US') : String(value));
console.log(`\n${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg()[0].toFixed(1)}\n`);
console.log('| bench | measurement | value | reference | ratio | target | met |');
console.log('|---|---|---:|---|---:|---|---|');
for (const r of rows) {
  const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
  console.log(`| ${r.bench} | ${r.what} | ${number(r.value)} ${r.unit} | ${r.reference ?? ''} | ${r.ratio === undefined ? '' : `${r.ratio}×`} | ${r.target ?? ''} | ${met} |`);
}
for (const f of failed) console.log(`\nbench: ${f}`);
process.exit(failed.length > 0 ? 1 : 0);
