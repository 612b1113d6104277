// The line every benchmark ends with, which `npm run bench` (scripts/bench.mjs) gathers into one table.

/** One figure: what was measured, its value and unit, and what it is set against. */
export interface BenchRow {
  bench: string;
  what: string;
  value: number;
  unit: string;
  reference?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}

export function printBenchRows(rows: readonly BenchRow[]): void {
  console.log(`BENCH-ROWS ${JSON.stringify(rows)}`);
}
