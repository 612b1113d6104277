import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { threadId } from 'node:worker_threads';
import { DbTicketsError } from '../../../../../../src/core/errors';
import { DemoDatabase } from '../../../../../../src/backends/local/db/demo/demoDatabase';
import { DemoEngine } from '../../../../../../src/backends/local/db/demo/demoEngine';
import { exportText } from '../exportCapture';

const repoRoot = join(__dirname, '..', '..', '..', '..', '..', '..');
/** `n` rows from SQLite alone (it has no generate_series). */
const numbers = (n: number) => `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${n}) SELECT n FROM g`;
const bigQuery = `SELECT a.n AS a, b.n AS b FROM (${numbers(3000)}) a, (${numbers(3000)}) b`;

/** Blocks this thread (no event loop turns at all) until `done()` holds, checking every 20 ms; false if it never did. */
function blockUntil(done: () => boolean, checks: number): boolean {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < checks; i++) {
    if (done()) return true;
    Atomics.wait(sleeper, 0, 0, 20);
  }
  return done();
}

/** A destination that takes nothing until released, so the export must wait for it. */
function stalledSink(): { sink: Writable; chunks: number; release: () => void } {
  const held: (() => void)[] = [];
  let stalled = true;
  const state = {
    chunks: 0,
    sink: new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        state.chunks += 1;
        if (stalled) held.push(done);
        else done();
      },
    }),
    release: () => {
      stalled = false;
      for (const done of held.splice(0)) done();
    },
  };
  return state;
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected an error'),
    (error: DbTicketsError) => ({ kind: error.kind, message: error.message, code: (error.cause as { code?: string } | undefined)?.code }),
  );

describe('demo engine thread', function () {
  this.timeout(120_000);
  let engine: DemoEngine;

  before(() => {
    engine = new DemoEngine('demo');
  });
  after(() => engine?.close());

  it('creates the database on its own thread, even while the caller is blocked', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-thread-'));
    const own = new DemoEngine('demo', { dataDir: folder });
    try {
      const first = own.execute(['SELECT 1']);
      assert.notEqual(own.worker?.threadId, threadId);
      // No turn of this thread's event loop happens here, yet the database file is created.
      assert.ok(blockUntil(() => existsSync(join(folder, 'demo.sqlite')), 3000), 'the database was created while the caller was blocked');
      assert.deepEqual((await first).map((result) => result.status), ['succeeded']);
    } finally {
      await own.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('fails and reports statements exactly as the database on the caller thread does', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-thread-'));
    const remoteEngine = new DemoEngine('demo', { dataDir: folder });
    const local = new DemoDatabase('demo', { dataDir: folder });
    const bad = ['SELECT * FROM customers', 'UPDATE customers SET nope = 1', 'SELEC 1'];
    try {
      assert.deepEqual(await remoteEngine.validate(bad), await local.validate(bad));
      assert.deepEqual(await remoteEngine.execute(bad), await local.execute(bad));
      const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
      const remote = await errorOf(remoteEngine.exportQuery('SELECT nope FROM customers', sink(), { format: 'csv' }));
      assert.deepEqual(remote, await errorOf(local.exportQuery('SELECT nope FROM customers', sink(), { format: 'csv' })));
      const file = join(folder, 'demo.sqlite');
      assert.deepEqual(remote, { kind: 'failed', message: `The statement failed on "demo" (SQLite ${file}): no such column: nope. Fix the SQL and try again.`, code: undefined });
    } finally {
      await Promise.all([remoteEngine.close(), local.close()]);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('cancels a long export from the caller, and an operation whose signal already fired', async () => {
    const controller = new AbortController();
    const exporting = engine.exportQuery(bigQuery, new Writable({ write: (_chunk, _encoding, done) => done() }), {
      format: 'csv',
      signal: controller.signal,
      onProgress: (rows) => rows >= 20_000 && controller.abort(),
    });
    const cancelled = await errorOf(exporting);
    assert.equal(cancelled.kind, 'cancelled');
    assert.match(cancelled.message, /^The export from "demo" was cancelled: the output holds only part of the rows/);

    const aborted = await errorOf(engine.execute(['DELETE FROM order_items'], { signal: AbortSignal.abort() }));
    assert.deepEqual(aborted, { kind: 'cancelled', message: 'The operation on "demo" was cancelled.', code: undefined });
    const { text } = await exportText(engine, 'SELECT count(*) > 0 AS items FROM order_items', 'csv');
    assert.equal(text, 'items\n1\n', 'the cancelled change did not run, and the engine still answers');
  });

  it('waits for a slow destination instead of buffering the whole export', async () => {
    const rows = 2_000_000;
    const progress: number[] = [];
    const destination = stalledSink();
    const exporting = engine.exportQuery(numbers(rows), destination.sink, { format: 'csv', onProgress: (n) => progress.push(n) });
    while (destination.chunks === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // With nothing written the worker may only run a few chunks ahead: watch until its progress stops (40 polls
    // without news) or passes a quarter of the rows, which only a worker that ignores its destination reaches.
    for (let quiet = 0, seen = progress.length; quiet < 40 && (progress.at(-1) ?? 0) < rows / 4; seen = progress.length) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      quiet = progress.length === seen ? quiet + 1 : 0;
    }
    assert.ok((progress.at(-1) ?? 0) < rows / 4, `the worker ran ahead to ${progress.at(-1)} rows`);
    destination.release();
    const result = await exporting;
    assert.equal(result.rows, rows);
    assert.equal(progress.at(-1), rows);
  });

  it('fails what is in flight when its thread dies, with a clear error, and starts again on next use', async () => {
    const crashed = engine.worker!;
    const crashedId = crashed.threadId;
    const exporting = engine.exportQuery(bigQuery, new Writable({ write: (_chunk, _encoding, done) => done() }), {
      format: 'jsonl',
      onProgress: (rows) => rows >= 10_000 && void crashed.terminate(),
    });
    const error = await errorOf(exporting);
    assert.equal(error.kind, 'unavailable');
    assert.equal(error.message, 'The demo database "demo" stopped unexpectedly (its thread exited with code 1), so the operation did not finish. Run it again: the database restarts on next use.');

    assert.deepEqual((await engine.execute(['SELECT 1'])).map((result) => result.status), ['succeeded']);
    assert.notEqual(engine.worker?.threadId, crashedId);
  });

  it('ends its thread when closed', async () => {
    await engine.estimateRows('SELECT * FROM orders');
    const worker = engine.worker!;
    await engine.close();
    assert.equal(worker.threadId, -1, 'the thread is gone');
    assert.equal(engine.worker, undefined);
  });

  it('ends its thread after the idle time and starts it again on next use, data intact', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-thread-'));
    const idle = new DemoEngine('demo', { dataDir: folder, idleMs: 200 });
    try {
      await idle.execute(["UPDATE customers SET full_name = 'Still Here' WHERE id = 2"]);
      const first = idle.worker!;
      for (let i = 0; i < 100 && first.threadId !== -1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(first.threadId, -1, 'the idle thread ended');
      assert.equal(idle.worker, undefined);
      const { text } = await exportText(idle, 'SELECT full_name FROM customers WHERE id = 2', 'csv');
      assert.equal(text, 'full_name\nStill Here\n');
      assert.notEqual(idle.worker, undefined, 'a new thread answered');
    } finally {
      await idle.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps its thread while an operation runs longer than the idle time', async () => {
    const busy = new DemoEngine('demo', { idleMs: 50 });
    try {
      const destination = stalledSink();
      const exporting = busy.exportQuery(numbers(200_000), destination.sink, { format: 'csv' });
      while (destination.chunks === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const thread = busy.worker!.threadId;
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(busy.worker?.threadId, thread, 'the same thread still runs the export');
      destination.release();
      assert.equal((await exporting).rows, 200_000);
    } finally {
      await busy.close();
    }
  });

  it('lets the process exit once closed', async () => {
    const script = `
      const { DemoEngine } = require('./src/backends/local/db/demo/demoEngine');
      const engine = new DemoEngine('demo');
      engine.estimateRows('SELECT * FROM customers').then(async (estimate) => { await engine.close(); console.log(estimate.rows); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot });
    assert.equal(stdout.trim(), '2000');
  });
});
