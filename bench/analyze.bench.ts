// The SQL analysis (split, classify, lint, infer the kind) on adversarial input: each unit that once made it quadratic
// or overflow the stack, repeated to 1×, 2×, 4× and 8× a size, next to a normal generated script of the largest size
// in the same run. Reports seconds per MB and the growth per doubling (≈2 linear, ≈4 quadratic: the slope of log time
// over log size across the four sizes); CPU time of this process, the least of the runs, the sizes taken in turn.
//   node --import tsx bench/analyze.bench.ts [--quick] [--kb 128]
import { cpus, loadavg, totalmem } from 'node:os';
import { analyzeSql } from '../src/core/rules/analyzeSql';
import type { SqlDialect } from '../src/core/sql/dialect';
import { adversarialUnits, repeatTo } from '../test/support/adversarialSql';
import { cpuMs as measureCpu, growthPerDoubling } from '../test/support/growth';
import { generateScript } from './generateScript';
import { printBenchRows } from './benchRows';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const baseKb = Number(args.includes('--kb') ? args[args.indexOf('--kb') + 1] : quick ? 128 : 256);
const runs = quick ? 3 : 5;
const factors = [1, 2, 4, 8];
const dialects: Array<Exclude<SqlDialect, 'generic'>> = ['postgres', 'mysql'];

function cpuMs(text: string, dialect: SqlDialect): number {
  return Math.min(...Array.from({ length: runs }, () => measureCpu(() => analyzeSql(text, { dialect }))));
}

interface Row {
  dialect: string;
  input: string;
  ms: number[];
  secondsPerMb: number;
  perDoubling: number;
}

const rows: Row[] = [];
for (const dialect of dialects) {
  const normal = generateScript(dialect, baseKb * 8 * 1024);
  const normalMs = cpuMs(normal, dialect);
  rows.push({ dialect, input: 'normal script (reference)', ms: [normalMs], secondsPerMb: normalMs / 1000 / (normal.length / 2 ** 20), perDoubling: NaN });
  for (const unit of adversarialUnits) {
    const inputs = factors.map((factor) => repeatTo(unit, baseKb * factor * 1024));
    const { ms, perDoubling } = growthPerDoubling(inputs, (text) => analyzeSql(text, { dialect }), runs);
    rows.push({ dialect, input: JSON.stringify(unit), ms, secondsPerMb: ms.at(-1)! / 1000 / (inputs.at(-1)!.length / 2 ** 20), perDoubling });
  }
}

const sizes = factors.map((f) => `${baseKb * f} KB ms`);
console.log(`SQL analysis on adversarial input — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(1)}`);
console.log(`| dialect | input | ${sizes.join(' | ')} | s per MB | growth per doubling | vs normal script |`);
console.log(`|---|---|${sizes.map(() => '---:').join('|')}|---:|---:|---:|`);
for (const row of rows) {
  const reference = rows.find((r) => r.dialect === row.dialect && r.input.startsWith('normal'))!;
  const cells = row.ms.length === 1 ? [...sizes.slice(0, -1).map(() => ''), row.ms[0].toFixed(0)] : row.ms.map((ms) => ms.toFixed(0));
  const growth = Number.isNaN(row.perDoubling) ? '' : `${row.perDoubling.toFixed(2)}×`;
  console.log(`| ${row.dialect} | ${row.input} | ${cells.join(' | ')} | ${row.secondsPerMb.toFixed(3)} | ${growth} | ${(row.secondsPerMb / reference.secondsPerMb).toFixed(1)}× |`);
}
const adversarial = rows.filter((row) => !Number.isNaN(row.perDoubling));
const worstGrowth = adversarial.reduce((a, b) => (b.perDoubling > a.perDoubling ? b : a));
const slowest = adversarial.reduce((a, b) => (b.secondsPerMb > a.secondsPerMb ? b : a));
printBenchRows([
    { bench: 'analyze', what: `slowest adversarial input (${slowest.dialect} ${slowest.input})`, value: Number(slowest.secondsPerMb.toFixed(3)), unit: 's/MB', target: '≤ 1 s/MB', met: slowest.secondsPerMb <= 1 },
    { bench: 'analyze', what: `worst growth per doubling (${worstGrowth.dialect} ${worstGrowth.input})`, value: Number(worstGrowth.perDoubling.toFixed(2)), unit: '×', reference: 'linear 2, quadratic 4', target: '≤ 2.2×', met: worstGrowth.perDoubling <= 2.2 },
  ]);
