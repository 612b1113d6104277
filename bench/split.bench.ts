// Splitting throughput and memory, compared in one run: this scanner, dbgate-query-splitter, node-sql-parser
// (on the part of the script it parses) and a bare character-loop scan as the ceiling of a JavaScript scanner.
// Each measurement runs in a fresh process so its peak RSS is its own; the fastest of seven runs counts.
//   node --import tsx bench/split.bench.ts [--mb 50]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { SqlDialect } from '../src/core/sql/dialect';
import { SqlSplitter, splitSql } from '../src/core/sql/splitter';
import { bareScan } from './bareScan';
import { generateScript, scriptChunks, singleStatementChunks } from './generateScript';
import { type BenchRow, printBenchRows } from './benchRows';

type Dialect = Exclude<SqlDialect, 'generic'>;
type Tool = 'bare-scan' | 'db-tickets' | 'db-tickets-stream' | 'db-tickets-stream-one-statement' | 'dbgate' | 'node-sql-parser';

interface Measurement {
  tool: Tool;
  dialect: Dialect;
  megabytes: number;
  seconds: number;
  statements: number;
  peakRssMb: number;
}

/** node-sql-parser builds a full AST; it gets a smaller sample of the statements it can parse. */
const parserSampleMb = 2;

/** Timed runs per measurement; the fastest counts, as the slower ones mostly measure JIT warm-up and other load. */
const runs = 7;

async function measure(tool: Tool, dialect: Dialect, megabytes: number): Promise<Measurement> {
  const bytes = megabytes * 1024 * 1024;
  const streamed = tool.startsWith('db-tickets-stream');
  const script = streamed ? '' : generateScript(dialect, bytes, tool === 'node-sql-parser');
  const run = streamed
    ? () => {
        // Chunks arrive as from a file stream; the script is never held whole, so memory must stay flat.
        const splitter = new SqlSplitter(dialect);
        const chunkSize = 64 * 1024;
        const chunks = tool === 'db-tickets-stream' ? scriptChunks(dialect, bytes, chunkSize) : singleStatementChunks(bytes, chunkSize);
        let count = 0;
        for (const chunk of chunks) count += splitter.push(chunk).length;
        return count + splitter.end().length;
      }
    : await runner(tool, dialect);
  let statements = 0;
  let seconds = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    statements = run(script);
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
  }
  return { tool, dialect, megabytes, seconds, statements, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Libraries load only in the process that measures them, so they do not inflate the others' memory. */
async function runner(tool: Tool, dialect: Dialect): Promise<(script: string) => number> {
  switch (tool) {
    case 'bare-scan':
      return (script) => bareScan(script, dialect);
    case 'db-tickets':
      return (script) => splitSql(script, dialect).length;
    case 'dbgate': {
      const { mysqlSplitterOptions, postgreSplitterOptions, splitQuery } = await import('dbgate-query-splitter');
      const options = dialect === 'mysql' ? mysqlSplitterOptions : postgreSplitterOptions;
      return (script) => splitQuery(script, options).length;
    }
    case 'node-sql-parser': {
      const { default: sqlParser } = await import('node-sql-parser');
      const parser = new sqlParser.Parser();
      const database = dialect === 'mysql' ? 'MySQL' : 'PostgresQL';
      return (script) => {
        const ast = parser.astify(script, { database });
        return Array.isArray(ast) ? ast.length : 1;
      };
    }
    default:
      throw new Error(`no runner for ${tool}`);
  }
}

function childMeasurement(tool: Tool, dialect: Dialect, megabytes: number): Measurement {
  const result = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', tool, dialect, String(megabytes)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${tool} ${dialect} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measurement;
}

function hardware(): string {
  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `${model}, nproc ${nproc}, Node ${process.version}, ${process.platform} ${process.arch}`;
}

function row(m: Measurement, dbgate?: Measurement, bare?: Measurement): string {
  const mbPerSecond = m.megabytes / m.seconds;
  const vsDbgate = dbgate ? `${(mbPerSecond / (dbgate.megabytes / dbgate.seconds)).toFixed(1)}×` : '';
  const vsBare = bare ? `${Math.round((100 * mbPerSecond) / (bare.megabytes / bare.seconds))}%` : '';
  return `| ${m.dialect} | ${m.tool} | ${m.megabytes} | ${mbPerSecond.toFixed(1)} | ${Math.round(m.statements / m.seconds).toLocaleString('en-US')} | ${m.statements.toLocaleString('en-US')} | ${Math.round(m.peakRssMb)} | ${vsDbgate} | ${vsBare} |`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    process.stdout.write(JSON.stringify(await measure(args[1] as Tool, args[2] as Dialect, Number(args[3]))));
    return;
  }
  const benchRows: BenchRow[] = [];
  const mbIndex = args.indexOf('--mb');
  const megabytes = mbIndex >= 0 ? Number(args[mbIndex + 1]) : 50;
  console.log(`Hardware: ${hardware()}`);
  console.log('');
  console.log('| dialect | splitter | input MB | MB/s | statements/s | statements | peak RSS MB | vs dbgate | vs bare scan |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const dialect of ['mysql', 'postgres'] as Dialect[]) {
    const bare = childMeasurement('bare-scan', dialect, megabytes);
    const dbgate = childMeasurement('dbgate', dialect, megabytes);
    const ours = childMeasurement('db-tickets', dialect, megabytes);
    const stream = childMeasurement('db-tickets-stream', dialect, megabytes);
    const streamLarge = childMeasurement('db-tickets-stream', dialect, megabytes * 4);
    const oneStatement = childMeasurement('db-tickets-stream-one-statement', dialect, megabytes);
    const parser = childMeasurement('node-sql-parser', dialect, parserSampleMb);
    console.log(row(bare));
    console.log(row(ours, dbgate, bare));
    console.log(row(stream, dbgate, bare));
    console.log(row(streamLarge, dbgate, bare));
    console.log(row(oneStatement, dbgate, bare));
    console.log(row(dbgate, undefined, bare));
    console.log(row(parser, dbgate, bare));
    const mbps = (m: Measurement) => m.megabytes / m.seconds;
    benchRows.push({ bench: 'split', what: `${dialect} split of ${megabytes} MB`, value: Number(mbps(ours).toFixed(1)), unit: 'MB/s', reference: 'dbgate-query-splitter', ratio: Number((mbps(ours) / mbps(dbgate)).toFixed(1)) });
    benchRows.push({ bench: 'split', what: `${dialect} streamed split of ${megabytes * 4} MB, peak RSS`, value: Math.round(streamLarge.peakRssMb), unit: 'MiB', reference: `the same of ${megabytes} MB`, ratio: Number((streamLarge.peakRssMb / stream.peakRssMb).toFixed(2)) });
  }
  printBenchRows(benchRows);
}

void main();
