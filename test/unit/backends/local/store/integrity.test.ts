import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbTicketsError } from '../../../../../src/core/errors';
import type { AppendWrite } from '../../../../../src/backends/local/store/eventLog';
import type { EventOf, StoreEvent } from '../../../../../src/backends/local/store/events';
import { unwritableStore } from '../../../../../src/backends/local/store/storeErrors';
import type { TicketProjection } from '../../../../../src/backends/local/store/ticketProjection';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';
import { ticketView } from '../../../../support/storeView';

const at = '2026-01-02T03:04:05.000Z';

function submitted(ticket: string, by = 'alice'): EventOf<'submitted'> {
  return { type: 'submitted', ticket, at, by, draftId: `${by}-${ticket}`, title: `Export ${ticket} by ${by}`, kind: 'DATA_EXPORT', database: 'demo', reason: 'report', stakeholders: [], sql: 'SELECT 1' };
}

function comment(ticket: string, text: string): StoreEvent {
  return { type: 'commented', ticket, at, by: 'bob', comment: text };
}

async function append(store: TicketStore, ...events: StoreEvent[]): Promise<void> {
  await store.transact(() => ({ events, result: undefined }));
}

/** Everything the tickets show, to tell a change that matters from a harmless one. */
function seen(tickets: TicketProjection): string {
  return JSON.stringify(tickets.newestFirst().map(ticketView));
}

describe('local store: damage is reported, never silent', () => {
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-integrity-'));
    file = join(folder, TicketStore.logName);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  async function smallLog(): Promise<Buffer> {
    const store = new TicketStore(folder);
    await append(store, submitted('1'), { type: 'prechecked', ticket: '1', at, by: 'alice', passed: true, items: [] });
    await append(store, comment('1', 'looks fine'), submitted('2'));
    return readFileSync(file);
  }

  async function readAgain(): Promise<{ tickets: TicketProjection; store: TicketStore }> {
    const store = new TicketStore(folder);
    return { tickets: await store.read(), store };
  }

  it('reports every single-byte change that alters a ticket: flipping each byte of a log, none goes unnoticed', async () => {
    const original = await smallLog();
    const intact = seen((await readAgain()).tickets);
    const tally = { reported: 0, harmless: 0, silent: [] as string[] };
    for (let i = 0; i < original.length; i++) {
      for (const mask of [0x01, 0x10, 0x40]) {
        const damaged = Buffer.from(original);
        damaged[i] ^= mask;
        writeFileSync(file, damaged);
        const { tickets, store } = await readAgain();
        if (store.problems.length > 0) tally.reported++;
        else if (seen(tickets) === intact) tally.harmless++;
        else tally.silent.push(`byte ${i} ^ 0x${mask.toString(16)}`);
      }
    }
    assert.deepEqual(tally.silent, []);
    assert.ok(tally.reported > original.length * 2, `reported ${tally.reported}, harmless ${tally.harmless}`);
  });

  it('reports a log cut off anywhere inside its last line', async () => {
    const original = await smallLog();
    const lastLine = original.lastIndexOf(0x0a, original.length - 2) + 1;
    for (let cut = lastLine + 1; cut < original.length; cut++) {
      writeFileSync(file, original.subarray(0, cut));
      const { tickets, store } = await readAgain();
      assert.equal(tickets.get('2'), undefined);
      assert.deepEqual(store.problems.map((problem) => problem.kind), ['incomplete'], `cut at ${cut}`);
      assert.match(store.problems[0].message, /tickets\.jsonl:4: is incomplete/);
    }
  });

  it('reports a digit edited by hand that would move a comment to another ticket, and does not move it', async () => {
    const text = (await smallLog()).toString('utf8');
    writeFileSync(file, text.replace('"type":"commented","ticket":"1"', '"type":"commented","ticket":"2"'));
    const { tickets, store } = await readAgain();
    assert.deepEqual(tickets.get('2')!.comments, []);
    assert.deepEqual(tickets.get('1')!.comments, []);
    assert.deepEqual(store.problems.map((problem) => [problem.line, problem.kind]), [[3, 'damaged']]);
    assert.match(store.problems[0].message, /tickets\.jsonl:3: fails its checksum, so it was skipped/);
  });

  it('reads lines written before checksums as unchecked, without a problem', async () => {
    writeFileSync(file, `${JSON.stringify(submitted('1'))}\n`);
    const { tickets, store } = await readAgain();
    assert.equal(tickets.get('1')!.title, 'Export 1 by alice');
    assert.deepEqual(store.problems, []);
    assert.equal(store.uncheckedLines, 1);
  });

  it('keeps both tickets #7 of two merged branches, reports the duplicate, and acts on each by its id', async () => {
    const base = new TicketStore(folder);
    for (let n = 1; n <= 6; n++) await append(base, submitted(String(n)));
    const common = readFileSync(file, 'utf8');
    const branch = async (by: string) => {
      const copy = mkdtempSync(join(tmpdir(), 'db-tickets-branch-'));
      writeFileSync(join(copy, TicketStore.logName), common);
      const store = new TicketStore(copy);
      const id = await store.transact((tickets) => ({ events: [submitted(tickets.nextId(), by)], result: tickets.nextId() }));
      await append(store, comment(id, `from ${by}`));
      const added = readFileSync(join(copy, TicketStore.logName), 'utf8').slice(common.length);
      rmSync(copy, { recursive: true, force: true });
      return { id, added };
    };
    const ours = await branch('ann');
    const theirs = await branch('ben');
    assert.equal(ours.id, '7');
    assert.equal(theirs.id, '7');
    writeFileSync(file, common + ours.added + theirs.added);

    const store = new TicketStore(folder);
    const tickets = await store.read();
    const sevens = tickets.newestFirst().filter((ticket) => ticket.number === '7');
    assert.deepEqual(sevens.map((ticket) => ticket.submitter).sort(), ['ann', 'ben']);
    const renamed = sevens.find((ticket) => ticket.id !== '7')!;
    assert.match(renamed.id, /^7-[0-9a-f]{8}$/);
    assert.deepEqual(sevens.map((ticket) => ticket.comments.map((c) => c.comment)).sort(), [['from ann'], ['from ben']]);
    assert.deepEqual(store.problems.map((problem) => [problem.line, problem.kind]), [[9, 'duplicate']]);
    assert.match(store.problems[0].message, /tickets\.jsonl:9: submits a second ticket #7: two copies of the log .* were merged\. Both are kept/);
    assert.equal(tickets.nextId(), '8');

    await append(store, comment(renamed.id, 'on the renamed one'));
    const after = await new TicketStore(folder).read();
    assert.deepEqual(after.get(renamed.id)!.comments.map((c) => c.comment), [`from ${renamed.submitter}`, 'on the renamed one']);
    assert.equal(after.get('7')!.comments.length, 1);
  });
});

describe('local store: failed writes record nothing', () => {
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-enospc-'));
    file = join(folder, TicketStore.logName);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  /** Writes 50 bytes, then finds the disk full. */
  const fullAfter50: AppendWrite = async (handle, data) => {
    if (data.length <= 50) throw enospc();
    return (await handle.write(data.subarray(0, 50))).bytesWritten;
  };
  const writesNothing: AppendWrite = async () => 0;

  for (const [name, write] of [
    ['a write cut at 50 bytes by a full disk (ENOSPC)', fullAfter50],
    ['a short write that writes nothing', writesNothing],
  ] as const) {
    it(`fails the operation on ${name}, and the log reads back exactly as before`, async () => {
      await append(new TicketStore(folder), submitted('1'));
      const before = readFileSync(file);
      const full = new TicketStore(folder, { write });
      await assert.rejects(
        full.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: undefined })),
        (error: unknown) => error instanceof DbTicketsError && error.kind === 'unavailable' && /The disk holding the ticket store .* is full, so nothing was recorded\. Free some space/.test(error.message),
      );
      assert.deepEqual(readFileSync(file), before);
      const store = new TicketStore(folder);
      assert.deepEqual((await store.read()).newestFirst().map((ticket) => ticket.id), ['1']);
      assert.deepEqual(store.problems, []);
      await append(store, submitted('2'));
      assert.equal((await new TicketStore(folder).read()).size, 2);
    });
  }

  it('reports a store folder that cannot be made at once, with why and what to do', async () => {
    writeFileSync(join(folder, 'not-a-folder'), '');
    const store = new TicketStore(join(folder, 'not-a-folder', 'store'));
    const started = Date.now();
    await assert.rejects(
      store.transact(() => ({ events: [submitted('1')], result: undefined })),
      (error: unknown) =>
        error instanceof DbTicketsError &&
        error.kind === 'config' &&
        /cannot be written \(part of its path is a file, not a folder\): DB Tickets records every ticket there\. Make the folder writable, or set the profile's "store" to a folder you can write; nothing was recorded\./.test(error.message),
    );
    assert.ok(Date.now() - started < 500, 'no waiting for a lock');
  });

  it('says why a folder without write permission or on a read-only disk cannot be written', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    assert.match(unwritableStore('/s/tickets.jsonl', error('EACCES')).message, /^The ticket store \/s\/tickets\.jsonl cannot be written \(you have no permission to create files there\): .* Make the folder writable/);
    assert.match(unwritableStore('/s/tickets.jsonl', error('EROFS')).message, /\(it is on a read-only file system\)/);
  });
});
