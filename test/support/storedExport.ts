// A Local store holding one executed export, written straight into the log: the download tests need a result,
// not a database.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ResultFile } from '../../src/backends/local/store/events';
import { TicketStore } from '../../src/backends/local/store/ticketStore';

/** Records export #1 as succeeded with `content` as its result; `recorded` overrides what the log says about it. */
export async function seedExport(folder: string, content: string | Buffer, recorded: Partial<ResultFile> = {}): Promise<{ id: string; file: string }> {
  const file = join(folder, 'results', '1', 'result.csv');
  mkdirSync(join(folder, 'results', '1'), { recursive: true });
  writeFileSync(file, content);
  const body = Buffer.from(content);
  const result: ResultFile = {
    file: 'results/1/result.csv',
    format: 'csv',
    columns: ['id'],
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    ...recorded,
  };
  const at = new Date().toISOString();
  const base = { ticket: '1', at, by: 'alice' };
  await new TicketStore(folder).transact(() => ({
    events: [
      { type: 'submitted', ...base, draftId: randomUUID(), title: 'Export ids', kind: 'DATA_EXPORT', database: 'demo', reason: 'report', stakeholders: [], sql: 'SELECT id FROM customers' },
      { type: 'prechecked', ...base, passed: true, items: [] },
      { type: 'approved', ...base, self: true },
      { type: 'execution_started', ...base, host: hostname(), pid: process.pid },
      { type: 'execution_succeeded', ...base, rows: 1, result },
    ],
    result: undefined,
  }));
  return { id: '1', file };
}
