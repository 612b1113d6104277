import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBackend } from '../../../../src/backends/local/localBackend';
import { TicketStore } from '../../../../src/backends/local/store/ticketStore';

/** Records approved export #1 and an execution of it by `host`/`pid`, then leaves files as a crash would. */
async function startedExport(folder: string, started: { host: string; pid: number; heartbeatMs?: number; at?: string }): Promise<void> {
  const base = { ticket: '1', at: started.at ?? new Date().toISOString(), by: 'alice' };
  await new TicketStore(folder).transact(() => ({
    events: [
      { type: 'submitted', ...base, draftId: randomUUID(), title: 'Export ids', kind: 'DATA_EXPORT', database: 'demo', reason: 'report', stakeholders: [], sql: 'SELECT id FROM customers' },
      { type: 'prechecked', ...base, passed: true, items: [] },
      { type: 'approved', ...base, self: true },
      { type: 'execution_started', ...base, host: started.host, pid: started.pid, heartbeatMs: started.heartbeatMs },
    ],
    result: undefined,
  }));
  mkdirSync(join(folder, 'results', '1'), { recursive: true });
  writeFileSync(join(folder, 'results', '1', 'result.csv.partial'), 'id\n1\n2\n3');
  mkdirSync(join(folder, 'executions'), { recursive: true });
  writeFileSync(join(folder, 'executions', '1.heartbeat'), '{}\n');
}

describe('Local executions interrupted by a crash', () => {
  let folder: string;
  let backend: LocalBackend;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-interrupted-'));
    backend = new LocalBackend({ storeFolder: folder, actor: 'bob', connections: () => [], openEngine: () => Promise.reject(new Error('no database here')) });
  });
  afterEach(async () => {
    await backend.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('(7) an export whose process on this computer died is approved again by the next reader, without leftovers', async () => {
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    await startedExport(folder, { host: hostname(), pid: deadPid, heartbeatMs: 5000 });
    const listed = await backend.list({ scope: 'all' }, { size: 10 });
    assert.equal(listed.items[0].status.state, 'approved');
    const detail = await backend.get('1');
    assert.equal(detail.history.at(-1)?.action, 'execution interrupted');
    assert.equal(
      detail.history.at(-1)?.comment,
      `The export stopped before it finished: its process (pid ${deadPid}) on this computer is gone. An export changes nothing, so its partial file was deleted and the ticket is approved again: execute it when ready.`,
    );
    assert.equal(existsSync(join(folder, 'results', '1')), false, 'the partial result is gone');
    assert.equal(existsSync(join(folder, 'executions', '1.heartbeat')), false, 'the heartbeat is gone');
    assert.deepEqual(detail.actions, ['execute', 'cancel', 'comment']);
  });

  it('an execution on another computer is interrupted once its heartbeat is stale, not before', async () => {
    await startedExport(folder, { host: 'elsewhere', pid: 4242, heartbeatMs: 60_000 });
    assert.equal((await backend.get('1')).status.state, 'executing', 'a fresh heartbeat: still running');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    await startedExport(folder, { host: 'elsewhere', pid: 4242, heartbeatMs: 100 });
    const old = new Date(Date.now() - 10_000);
    utimesSync(join(folder, 'executions', '1.heartbeat'), old, old);
    const detail = await backend.get('1');
    assert.equal(detail.status.state, 'approved');
    assert.match(detail.history.at(-1)!.comment!, /^The export stopped before it finished: its process \(pid 4242 on elsewhere\) has not renewed its heartbeat since \d{4}-.*Z\./);
  });

  it('an execution by an older version (no heartbeat) on another computer is left alone', async () => {
    await startedExport(folder, { host: 'elsewhere', pid: 4242, at: new Date(Date.now() - 3_600_000).toISOString() });
    assert.equal((await backend.get('1')).status.state, 'executing');
  });
});
