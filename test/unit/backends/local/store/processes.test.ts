import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreEvent } from '../../../../../src/backends/local/store/events';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';

const writerScript = join(__dirname, '..', '..', '..', '..', 'support', 'storeWriterChild.ts');

interface Writer {
  child: ChildProcess;
  /** Lines printed so far: "submitted 12", "approved 12". */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startWriter(...args: string[]): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (data: string) => {
    const parts = (partial + data).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, lines, exited };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 6000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

function ids(lines: string[], verb: string): string[] {
  return lines.filter((text) => text.startsWith(`${verb} `)).map((text) => text.slice(verb.length + 1));
}

describe('local store: several processes', function () {
  this.timeout(120_000);
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'db-tickets-store-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps every committed event of a writer killed with SIGKILL mid-stream, and the store stays writable', async () => {
    const writer = startWriter('append', folder, 'crashy');
    await until(() => ids(writer.lines, 'submitted').length >= 300, 'the writer to commit 300 tickets');
    writer.child.kill('SIGKILL');
    const { signal } = await writer.exited;
    assert.equal(signal, 'SIGKILL');
    const committed = ids(writer.lines, 'submitted');

    const store = new TicketStore(folder, { staleLockMs: 2000 });
    const tickets = await store.read();
    for (const id of committed) assert.equal(tickets.get(id)?.state, 'pending_approval', `ticket #${id} was reported committed`);
    assert.ok(tickets.size >= committed.length);
    assert.ok(store.problems.length <= 1, 'at most the last line is torn');
    for (const problem of store.problems) assert.match(problem.message, /is incomplete .* cut off, probably by a crash/);
    const lines = readFileSync(store.logFile, 'utf8').split('\n');
    for (const text of lines.slice(0, -1)) StoreEvent.parse(JSON.parse(text));

    // The dead writer's lock is taken over once stale, and the next append starts on a fresh line.
    const next = await store.transact((current) => ({
      events: [{ type: 'commented', ticket: committed[0], at: new Date().toISOString(), by: 'survivor', comment: 'after the crash' }],
      result: current.size,
    }));
    assert.equal(next, tickets.size);
    const after = await new TicketStore(folder).read();
    assert.equal(after.get(committed[0])!.comments[0].comment, 'after the crash');
  });

  it('two processes writing at once lose nothing, interleave nothing, and never share a ticket id', async () => {
    const perWriter = 120;
    const writers = [startWriter('race', folder, 'ann', String(perWriter)), startWriter('race', folder, 'ben', String(perWriter))];
    await until(() => writers.every((writer) => writer.lines.includes('ready')), 'both writers to start');
    writeFileSync(join(folder, 'go'), '');
    for (const writer of writers) {
      const { code, stderr } = await writer.exited;
      assert.equal(code, 0, stderr);
    }
    const submitted = writers.map((writer) => ids(writer.lines, 'submitted'));
    const approved = writers.flatMap((writer) => ids(writer.lines, 'approved'));
    const all = [...submitted[0], ...submitted[1]];
    assert.equal(new Set(all).size, 2 * perWriter, 'no id handed out twice');
    assert.deepEqual(all.map(Number).sort((a, b) => a - b), Array.from({ length: 2 * perWriter }, (_, i) => i + 1));
    assert.equal(approved.length, 2 * perWriter, 'each ticket approved exactly once, by whichever writer got there first');
    assert.equal(new Set(approved).size, 2 * perWriter);

    const text = readFileSync(join(folder, 'tickets.jsonl'), 'utf8');
    assert.ok(text.endsWith('\n'));
    const events = text.slice(0, -1).split('\n').map((line) => StoreEvent.parse(JSON.parse(line)));
    assert.equal(events.length, 2 * perWriter * 3);
    const store = new TicketStore(folder);
    const tickets = await store.read();
    assert.deepEqual(store.problems, []);
    for (const id of all) {
      const ticket = tickets.get(id)!;
      assert.equal(ticket.state, 'approved');
      assert.deepEqual(ticket.events.map((event) => event.type), ['submitted', 'prechecked', 'approved']);
    }
    const submitters = events.filter((event) => event.type === 'submitted').map((event) => event.by);
    assert.ok(submitters.some((by, i) => i > 0 && by !== submitters[i - 1] && submitters.indexOf(by) < i), 'the writers really took turns');
  });
});

describe('local store: the lock', function () {
  this.timeout(60_000);
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'db-tickets-lock-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const comment = (by: string) => ({ events: [], result: by });
  const submitOne = (store: TicketStore) =>
    store.transact((tickets) => {
      const ticket = tickets.nextId();
      return {
        events: [{ type: 'submitted' as const, ticket, at: new Date().toISOString(), by: 'bob', draftId: `bob-${ticket}`, title: 'after', kind: 'DATA_EXPORT' as const, database: 'demo', reason: 'r', stakeholders: [], sql: 'SELECT 1' }],
        result: ticket,
      };
    });

  it('takes over the lock of a paused (SIGSTOPped) writer, which then fails and appends nothing', async () => {
    const paused = startWriter('hold', folder, 'paused');
    await until(() => paused.lines.includes('locked'), 'the writer to take the lock');
    paused.child.kill('SIGSTOP');
    const started = Date.now();
    const id = await submitOne(new TicketStore(folder, { staleLockMs: 2000 }));
    assert.ok(Date.now() - started >= 1500, 'the live holder was waited for until its lock went stale');
    assert.equal(id, '1');
    writeFileSync(join(folder, 'go'), '');
    paused.child.kill('SIGCONT');
    const { code, stderr } = await paused.exited;
    assert.equal(code, 1);
    assert.match(stderr, /lost the lock of the ticket store .* so nothing was recorded/);
    assert.ok(!paused.lines.includes('submitted 1'));
    const store = new TicketStore(folder);
    const tickets = await store.read();
    assert.deepEqual(tickets.newestFirst().map((ticket) => `${ticket.id} ${ticket.submitter}`), ['1 bob']);
    assert.deepEqual(store.problems, []);
    assert.equal(readFileSync(store.logFile, 'utf8').split('\n').length, 2, 'one line and its newline');
  });

  it('recognises at once the lock of a holder that was killed (SIGKILL), long before it goes stale', async () => {
    const dead = startWriter('hold', folder, 'dead');
    await until(() => dead.lines.includes('locked'), 'the writer to take the lock');
    dead.child.kill('SIGKILL');
    await dead.exited;
    const started = Date.now();
    assert.equal(await new TicketStore(folder, { staleLockMs: 10_000 }).transact(() => comment('survivor')), 'survivor');
    const waited = Date.now() - started;
    assert.ok(waited < 1000, `waited ${waited} ms for a dead holder's lock`);
  });
});
