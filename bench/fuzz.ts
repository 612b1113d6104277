// The unit tier's fuzz properties with one million inputs in all, shared among them by their `benchShare`.
// Prints inputs/s per property and totals per target; exits 1 when a property fails (with fast-check's seed and
// shrunk counterexample). DB_TICKETS_FUZZ_SEED replays a run.
//   node --import tsx bench/fuzz.ts [--inputs 1000000]
import { cpus } from 'node:os';
import { type FuzzProperty, runProperty } from '../test/unit/fuzz/harness';
import { backendProperties } from '../test/unit/fuzz/targets/backends';
import { configProperties } from '../test/unit/fuzz/targets/config';
import { draftProperties } from '../test/unit/fuzz/targets/draft';
import { eventLogProperties } from '../test/unit/fuzz/targets/eventLog';
import { sqlProperties } from '../test/unit/fuzz/targets/sql';
import { printBenchRows } from './benchRows';

const properties: FuzzProperty[] = [...sqlProperties, ...draftProperties, ...backendProperties, ...configProperties, ...eventLogProperties];
const flag = process.argv.indexOf('--inputs');
const total = flag >= 0 ? Number(process.argv[flag + 1]) : 1_000_000;
if (!Number.isSafeInteger(total) || total <= 0) {
  console.error('fuzz: --inputs takes a positive whole number');
  process.exit(2);
}
const shares = properties.reduce((sum, p) => sum + p.benchShare, 0);

console.log(`${total.toLocaleString('en')} inputs, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
async function main(): Promise<void> {
  const totals = new Map<string, { inputs: number; seconds: number; failed: number }>();
  for (const property of properties) {
    const inputs = Math.max(1, Math.round((total * property.benchShare) / shares));
    const started = performance.now();
    let failed = false;
    try {
      await runProperty(property, inputs);
    } catch (error) {
      failed = true;
      // fast-check's report holds the whole counterexample, which may be megabytes of generated text.
      console.error(`FAILED ${property.target}: ${property.name}\n${(error instanceof Error ? error.message : String(error)).slice(0, 4000)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${failed ? 'FAIL' : 'ok  '} ${property.target}: ${property.name}: ${inputs.toLocaleString('en')} inputs, ${seconds.toFixed(1)} s, ${Math.round(inputs / seconds).toLocaleString('en')}/s`);
    const sum = totals.get(property.target) ?? { inputs: 0, seconds: 0, failed: 0 };
    totals.set(property.target, { inputs: sum.inputs + inputs, seconds: sum.seconds + seconds, failed: sum.failed + (failed ? 1 : 0) });
  }

  console.log('\n| target | inputs | seconds | inputs/s | failed properties |\n|---|---:|---:|---:|---:|');
  let failures = 0;
  for (const [target, { inputs, seconds, failed }] of totals) {
    console.log(`| ${target} | ${inputs.toLocaleString('en')} | ${seconds.toFixed(1)} | ${Math.round(inputs / seconds).toLocaleString('en')} | ${failed} |`);
    failures += failed;
  }
  const inputs = [...totals.values()].reduce((sum, t) => sum + t.inputs, 0);
  const seconds = [...totals.values()].reduce((sum, t) => sum + t.seconds, 0);
  printBenchRows([
      { bench: 'fuzz', what: `${inputs.toLocaleString('en')} fuzz inputs over ${properties.length} properties`, value: Math.round(inputs / seconds), unit: 'inputs/s' },
      { bench: 'fuzz', what: 'failed fuzz properties', value: failures, unit: 'count', target: '0', met: failures === 0 },
    ]);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
