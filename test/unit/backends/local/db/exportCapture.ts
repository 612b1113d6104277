import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { DatabaseEngine, ExportFormat, ExportOptions, ExportResult } from '../../../../../src/backends/local/db/engine';

export interface Captured {
  text: string;
  result: ExportResult;
  progress: number[];
}

/** A destination that takes a while per chunk and holds little, so the exporter must wait for it. */
export function slowSink(chunks: Buffer[]): Writable {
  return new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
}

export async function exportText(engine: DatabaseEngine, sql: string, format: ExportFormat, options: Partial<ExportOptions> = {}): Promise<Captured> {
  const chunks: Buffer[] = [];
  const progress: number[] = [];
  const result = await engine.exportQuery(sql, slowSink(chunks), { format, onProgress: (rows) => progress.push(rows), ...options });
  return { text: Buffer.concat(chunks).toString('utf8'), result, progress };
}

/** Parses JSON Lines, checking each line is one object. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Progress comes now and then while rows are written, never backwards, and ends with the total. */
export function assertProgress(progress: number[], total: number): void {
  assert.ok(progress.length >= 2, `progress was reported ${progress.length} times`);
  assert.ok(progress[0] >= 10_000 && progress[0] < total, `first progress at ${progress[0]}`);
  assert.deepEqual([...progress].sort((a, b) => a - b), progress);
  assert.equal(progress.at(-1), total);
}
