import * as assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { DbTicketsError } from '../../../../../src/core/errors';
import type { EventOf, StoreEvent } from '../../../../../src/backends/local/store/events';
import { sealLine } from '../../../../../src/backends/local/store/lineChecksum';
import type { StoreProblem } from '../../../../../src/backends/local/store/storeProblems';
import { TicketStore, type TicketStoreOptions } from '../../../../../src/backends/local/store/ticketStore';
import { fullReplayView, storeView } from '../../../../support/storeView';

const at = '2026-01-02T03:04:05.000Z';

function submitted(ticket: string, uid: string, extra: Partial<EventOf<'submitted'>> = {}): EventOf<'submitted'> {
  return { type: 'submitted', ticket, uid, at, by: 'ann', draftId: `draft-${uid}`, title: `Export ${ticket}`, kind: 'DATA_EXPORT', database: 'demo', reason: 'report', stakeholders: ['cat'], sql: `SELECT ${ticket}`, ...extra };
}

function line(event: StoreEvent): string {
  return `${sealLine(JSON.stringify(event))}\n`;
}

function uidOf(n: number): string {
  return (0x10000000 + n).toString(16);
}

/** The lines of ticket `n`: submitted, prechecked, approved by bob, a comment. */
function ticketLines(n: number): string {
  const ticket = String(n);
  const uid = uidOf(n);
  return [
    line(submitted(ticket, uid)),
    line({ type: 'prechecked', ticket, uid, at, by: 'ann', passed: true, estimatedRows: n, items: [{ check: 'kind', status: 'passed', message: 'fits' }] }),
    line({ type: 'approved', ticket, uid, at, by: 'bob', self: false }),
    line({ type: 'commented', ticket, uid, at, by: 'cat', comment: `note ${n}` }),
  ].join('');
}

/** The lines of a log that have a line end and are not blank: those a replay parses. */
function completeLines(bytes: Buffer): number {
  return bytes.toString('latin1').split('\n').slice(0, -1).filter((text) => text.trim() !== '').length;
}

describe('local store: the snapshot beside the log', () => {
  let folder: string;
  let log: string;
  let snapshotFile: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-snapshot-'));
    log = join(folder, TicketStore.logName);
    snapshotFile = join(folder, TicketStore.snapshotName);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true, maxRetries: 5 }));

  function open(options: TicketStoreOptions = {}): TicketStore {
    return new TicketStore(folder, { snapshotEvery: 1, ...options });
  }

  /** Reads the log and waits for the snapshot that read writes. */
  async function snapshotOf(tickets: number): Promise<void> {
    let text = '';
    for (let n = 1; n <= tickets; n++) text += ticketLines(n);
    writeFileSync(log, text);
    const store = open();
    await store.read();
    await store.settled();
    assert.ok(existsSync(snapshotFile), 'the first read wrote a snapshot');
  }

  /** A new process's view of the store, and how many lines it parsed to get it. */
  async function readFresh(options: TicketStoreOptions = {}): Promise<{ store: TicketStore; parsed: number; view: string }> {
    const store = open(options);
    const tickets = await store.read();
    const parsed = store.parsedLines.replayed;
    return { store, parsed, view: storeView(store, tickets) };
  }

  it('a second process reads the snapshot instead of the log, and parses a ticket\'s lines only when it is looked at', async () => {
    await snapshotOf(50);
    const first = open();
    await first.read();
    assert.deepEqual(first.parsedLines, { replayed: 0, reread: 0 });

    const tickets = await first.read();
    assert.equal(tickets.size, 50);
    assert.equal(tickets.get('7')!.title, 'Export 7', 'facts come from the snapshot');
    assert.deepEqual(first.parsedLines, { replayed: 0, reread: 0 });
    assert.deepEqual(tickets.get('7')!.comments.map((comment) => comment.comment), ['note 7']);
    assert.deepEqual(first.parsedLines, { replayed: 0, reread: 4 }, 'looking at #7 read its 4 lines again');
    assert.equal(tickets.get('7')!.events.length, 4);
    assert.deepEqual(first.parsedLines, { replayed: 0, reread: 4 }, 'once');

    const fresh = await readFresh();
    assert.equal(fresh.view, await fullReplayView(folder));
  });

  it('after appends, a new process parses only the lines after the snapshot', async () => {
    await snapshotOf(30);
    const writer = open({ snapshotEvery: 1000 });
    for (let n = 0; n < 10; n++) {
      await writer.transact((tickets) => ({ events: [submitted(tickets.nextId(), uidOf(100 + n))], result: undefined }));
    }
    assert.deepEqual(writer.parsedLines, { replayed: 10, reread: 0 }, 'the writer too started from the snapshot');
    const { parsed, view } = await readFresh({ snapshotEvery: 1000 });
    assert.equal(parsed, 10);
    assert.equal(view, await fullReplayView(folder));
  });

  it('a writer appending while a snapshot is being written leaves a snapshot and a tail that add up', async () => {
    writeFileSync(log, ticketLines(1) + ticketLines(2));
    const reader = open();
    const writer = new TicketStore(folder, { snapshotEvery: 1000 });
    const [tickets] = await Promise.all([
      reader.read(),
      writer.transact((current) => ({ events: [submitted(current.nextId(), 'abcdef01')], result: undefined })),
      writer.transact((current) => ({ events: [submitted(current.nextId(), 'abcdef02')], result: undefined })),
    ]);
    assert.ok(tickets.size >= 2);
    await reader.settled();
    const { parsed, view } = await readFresh({ snapshotEvery: 1000 });
    assert.ok(parsed <= 2, `parsed ${parsed} lines`);
    assert.equal(view, await fullReplayView(folder));
  });

  it('keeps reporting the problems of the lines it covers, with file and line, and told once to a new process', async () => {
    writeFileSync(
      log,
      [
        ticketLines(1),
        line(submitted('2', uidOf(2))).replace('Export 2', 'Export Z'),
        '{"type":"approved","ticket":"1","at":"x","by":"bob"}\n',
        '{"type":"escalated","ticket":"1","at":"x","by":"bob"}\n',
        line({ type: 'approved', ticket: '9', at, by: 'bob', self: false }),
        'not json\n',
        line(submitted('1', 'abcdef01')),
        JSON.stringify({ type: 'commented', ticket: '1', uid: uidOf(1), at, by: 'eve', comment: 'unsealed' }) + '\n',
      ].join(''),
    );
    const first = open();
    await first.read();
    await first.settled();
    const told: StoreProblem[] = [];
    const second = open({ onProblem: (problem) => told.push(problem) });
    await second.read();
    assert.equal(second.parsedLines.replayed, 0);
    assert.deepEqual(second.problems, first.problems);
    assert.deepEqual(told, first.problems);
    assert.deepEqual(
      told.map((problem) => [problem.line, problem.kind]),
      [
        [5, 'damaged'],
        [6, 'invalid'],
        [7, 'unknown'],
        [8, 'refused'],
        [9, 'damaged'],
        [10, 'duplicate'],
      ],
    );
    assert.match(told[0].message, /tickets\.jsonl:5: fails its checksum, so it was skipped/);
    assert.equal(second.uncheckedLines, 4);
    assert.equal((await readFresh()).view, await fullReplayView(folder));
  });

  describe('is not used once the log no longer starts with what it covers', () => {
    const changes: Array<[string, (text: string) => string]> = [
      ['the log cut short at a line end', (text) => text.slice(0, text.indexOf('\n', text.length / 2) + 1)],
      ['the log cut inside a line', (text) => text.slice(0, Math.floor(text.length / 2))],
      ['the log cut, then appended to past its old length', (text) => text.slice(0, text.length / 2) + '\n' + ticketLines(99) + ticketLines(98)],
      ['a line removed in the middle (a merge)', (text) => { const lines = text.split('\n'); lines.splice(20, 1); return lines.join('\n'); }],
      ['lines inserted in the middle (a merge)', (text) => { const lines = text.split('\n'); lines.splice(20, 0, ...ticketLines(77).trimEnd().split('\n')); return lines.join('\n'); }],
      ['a line of the same length rewritten (sealed, so it passes its checksum)', (text) => text.replace(line({ type: 'commented', ticket: '3', uid: uidOf(3), at, by: 'cat', comment: 'note 3' }), line({ type: 'commented', ticket: '3', uid: uidOf(3), at, by: 'cat', comment: 'NOTE 3' }))],
      ['one byte flipped in the middle', (text) => { const bytes = Buffer.from(text); bytes[Math.floor(bytes.length / 3)] ^= 0x04; return bytes.toString('latin1'); }],
      ['CRLF line ends (a checkout on Windows)', (text) => text.replace(/\n/g, '\r\n')],
    ];
    for (const [change, edit] of changes) {
      it(`${change}: replayed from the first line, as a full replay tells it, and the snapshot rebuilt`, async () => {
        await snapshotOf(12);
        const before = readFileSync(snapshotFile);
        writeFileSync(log, Buffer.from(edit(readFileSync(log, 'utf8')), change.includes('flipped') ? 'latin1' : 'utf8'));
        const { store, parsed, view } = await readFresh();
        assert.equal(parsed, completeLines(readFileSync(log)), 'every line was replayed');
        assert.equal(view, await fullReplayView(folder));
        await store.settled();
        assert.notDeepEqual(readFileSync(snapshotFile), before, 'rebuilt');
        const next = await readFresh();
        assert.equal(next.parsed, 0, 'the rebuilt snapshot is used');
        assert.equal(next.view, view);
      });
    }
  });

  describe('a snapshot file that is not a sound one of this log is treated as absent', () => {
    async function expectRebuilt(): Promise<void> {
      const { store, parsed, view } = await readFresh();
      assert.equal(parsed, 48, 'the whole log was replayed');
      assert.equal(view, await fullReplayView(folder));
      await store.settled();
      assert.equal((await readFresh()).parsed, 0, 'and a sound snapshot written in its place');
    }

    /** The snapshot with its body replaced, and a header that vouches for it (as only a deliberate forgery has). */
    function forge(edit: (body: { tickets: Array<Record<string, unknown>>; problems: unknown[]; unchecked: unknown }) => unknown): void {
      const file = readFileSync(snapshotFile);
      const end = file.indexOf(0x0a);
      const header = JSON.parse(file.toString('utf8', 0, end));
      const body = Buffer.from(JSON.stringify(edit(JSON.parse(file.toString('utf8', end + 1)))));
      const { bytes, lines, sha256 } = header.log;
      header.body = { bytes: body.length, crc32: crc32(body, crc32(`${bytes} ${lines} ${sha256}\n`)).toString(16).padStart(8, '0') };
      writeFileSync(snapshotFile, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), body]));
    }

    const damages: Array<[string, (file: Buffer) => Buffer | string]> = [
      ['empty', () => ''],
      ['cut in half (a crash while writing)', (file) => file.subarray(0, file.length / 2)],
      ['cut after its header', (file) => file.subarray(0, file.indexOf(0x0a) + 1)],
      ['with a byte flipped in its body', (file) => { const copy = Buffer.from(file); copy[copy.length - 100] ^= 0x01; return copy; }],
      ['with its covered line count changed', (file) => file.toString('utf8').replace(/"lines":48/, '"lines":47')],
      ['with bytes appended', (file) => Buffer.concat([file, Buffer.from('{}\n')])],
      ['of another format', () => '{"format":"something else","version":1}\n{}'],
      ['of a newer version', (file) => file.toString('utf8').replace('"version":1', '"version":2')],
      ['JSON that is not an object', () => '[1,2,3]\n'],
      ['a header line longer than any header', (file) => ' '.repeat(4096) + file.toString('utf8')],
      ['hostile JSON: __proto__ keys and deep nesting', () => `{"__proto__":{"polluted":true},"format":"db-tickets store snapshot"}\n${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ];
    for (const [damage, edit] of damages) {
      it(damage, async () => {
        await snapshotOf(12);
        writeFileSync(snapshotFile, edit(readFileSync(snapshotFile)));
        await expectRebuilt();
        assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
      });
    }

    it('from another log (copied from another store)', async () => {
      const other = mkdtempSync(join(tmpdir(), 'db-tickets-snapshot-other-'));
      let text = '';
      for (let n = 1; n <= 12; n++) text += ticketLines(n).replace(/Export/g, 'Other');
      writeFileSync(join(other, TicketStore.logName), text);
      const store = new TicketStore(other, { snapshotEvery: 1 });
      await store.read();
      await store.settled();
      await snapshotOf(12);
      copyFileSync(join(other, TicketStore.snapshotName), snapshotFile);
      rmSync(other, { recursive: true, force: true });
      await expectRebuilt();
    });

    const forgeries: Array<[string, Parameters<typeof forge>[0]]> = [
      ['a ticket of a wrong shape', (body) => ({ ...body, tickets: [{ ...body.tickets[0], participants: 'bob' }, ...body.tickets.slice(1)] })],
      ['a state that does not exist', (body) => ({ ...body, tickets: [{ ...body.tickets[0], state: 'hacked' }, ...body.tickets.slice(1)] })],
      ['two tickets with one id', (body) => ({ ...body, tickets: [...body.tickets, body.tickets[0]] })],
      ['an id that is not its number', (body) => ({ ...body, tickets: [{ ...body.tickets[0], id: '999' }, ...body.tickets.slice(1)] })],
      ['a line range that is not a line', (body) => ({ ...body, tickets: [{ ...body.tickets[0], spans: [1, 20] }, ...body.tickets.slice(1)] })],
      ['a line range past the covered bytes', (body) => ({ ...body, tickets: [{ ...body.tickets[0], spans: [0, 10 ** 9] }, ...body.tickets.slice(1)] })],
      ['a problem on a line it does not cover', (body) => ({ ...body, problems: [{ line: 10 ** 6, kind: 'damaged', what: 'x' }] })],
      ['tickets that are not a list', (body) => ({ ...body, tickets: { length: 5 } })],
      ['a body that is null', () => null],
    ];
    for (const [forgery, edit] of forgeries) {
      it(`forged with ${forgery} (and a header vouching for it)`, async () => {
        await snapshotOf(12);
        forge(edit);
        await expectRebuilt();
      });
    }

    it('forged with a ticket whose events are another ticket\'s lines: found when they are read, removed, and the log replayed', async () => {
      await snapshotOf(12);
      forge((body) => ({ ...body, tickets: [{ ...body.tickets[0], spans: body.tickets[1].spans }, ...body.tickets.slice(1)] }));
      const store = open();
      const tickets = await store.read();
      assert.equal(tickets.get('1')!.title, 'Export 1');
      assert.throws(
        () => tickets.get('1')!.events,
        (error: unknown) => error instanceof DbTicketsError && /^The snapshot \S+ does not agree with the ticket log \S+ \(it was not written by DB Tickets, or was changed since\), so it was removed\. Run the command again: the tickets are read from the log\.$/.test(error.message),
      );
      const again = await store.read();
      assert.deepEqual(store.parsedLines, { replayed: 48, reread: 1 }, 'the whole log was replayed');
      assert.equal(storeView(store, again), await fullReplayView(folder));
    });
    it('forged with facts its lines do not tell: found when the ticket is looked at, and an action on it appends nothing', async () => {
      await snapshotOf(12);
      forge((body) => ({ ...body, tickets: body.tickets.map((ticket) => (ticket.id === '2' ? { ...ticket, state: 'pending_approval', decidedBy: undefined } : ticket)) }));
      const logBefore = readFileSync(log);
      const store = open();
      const tickets = await store.read();
      assert.equal(tickets.get('2')!.state, 'pending_approval', 'a list shows the facts of a snapshot of this log');
      await assert.rejects(
        store.transact((current) => ({ events: [{ type: 'rejected', ticket: current.get('2')!.id, at, by: 'bob' }], result: undefined })),
        (error: unknown) => error instanceof DbTicketsError && /does not agree with the ticket log/.test(error.message),
      );
      assert.deepEqual(readFileSync(log), logBefore, 'nothing was appended');
      const again = await store.read();
      assert.equal(again.get('2')!.state, 'approved');
      assert.equal(storeView(store, again), await fullReplayView(folder));
    });
  });

  it('readWholeLog trusts no snapshot: it replays every line and replaces the snapshot', async () => {
    await snapshotOf(12);
    const store = open();
    await store.readWholeLog();
    assert.equal(store.parsedLines.replayed, 48);
    assert.equal((await readFresh()).parsed, 0);
    writeFileSync(log, '');
    await open().readWholeLog();
    assert.equal(existsSync(snapshotFile), false, 'an empty log has no snapshot');
  });

  it('a folder where the snapshot would be: the log is replayed, and reading goes on without a snapshot', async () => {
    writeFileSync(log, ticketLines(1) + ticketLines(2));
    mkdirSync(snapshotFile);
    for (let run = 0; run < 2; run++) {
      const { store, parsed, view } = await readFresh();
      assert.equal(parsed, 8);
      assert.equal(view, await fullReplayView(folder));
      await store.settled();
    }
  });

  it('writes no snapshot until enough lines are past the last one', async () => {
    writeFileSync(log, ticketLines(1));
    const few = open({ snapshotEvery: 5 });
    await few.read();
    await few.settled();
    assert.equal(existsSync(snapshotFile), false, '4 lines are not worth a snapshot');
    appendFileSync(log, ticketLines(2));
    const enough = open({ snapshotEvery: 5 });
    await enough.read();
    await enough.settled();
    assert.ok(existsSync(snapshotFile));
  });
});
