import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, StoreEvent } from '../../../../../src/backends/local/store/events';
import type { StoreProblem } from '../../../../../src/backends/local/store/storeProblems';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';

const at = '2026-01-02T03:04:05.000Z';

function submitted(ticket: string, by = 'alice', draftId = `draft-${ticket}`): EventOf<'submitted'> {
  return { type: 'submitted', ticket, at, by, draftId, title: `Export ${ticket}`, kind: 'DATA_EXPORT', database: 'demo', reason: 'report', stakeholders: [], sql: 'SELECT 1' };
}

function line(event: StoreEvent): string {
  return JSON.stringify(event) + '\n';
}

describe('local store: the ticket event log', () => {
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-store-'));
    file = join(folder, 'tickets.jsonl');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('appends one JSON object a line and replays it into tickets with their history', async () => {
    const store = new TicketStore(folder);
    const id = await store.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: tickets.nextId() }));
    assert.equal(id, '1');
    await store.transact(() => ({ events: [{ type: 'prechecked', ticket: '1', at, by: 'alice', passed: true, items: [] }], result: undefined }));
    await store.transact(() => ({ events: [{ type: 'approved', ticket: '1', at, by: 'bob', self: false, comment: 'ok' }], result: undefined }));

    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 4, 'three lines and a final newline');
    assert.equal(lines[3], '');
    assert.deepEqual(lines.slice(0, 3).map((text) => JSON.parse(text).type), ['submitted', 'prechecked', 'approved']);
    assert.ok(lines[2].startsWith('{"type":"approved","ticket":"1","at":"2026-01-02T03:04:05.000Z","by":"bob"'), 'stable key order');

    const replayed = await new TicketStore(folder).read();
    const ticket = replayed.get('1')!;
    assert.equal(ticket.state, 'approved');
    assert.deepEqual(ticket.events.map((event) => `${event.type} by ${event.by}`), ['submitted by alice', 'prechecked by alice', 'approved by bob']);
    assert.equal(replayed.findByDraft('draft-1')?.id, '1');
    assert.equal(replayed.nextId(), '2');
  });

  it('reads only what other writers appended since its last read', async () => {
    const reader = new TicketStore(folder);
    const writer = new TicketStore(folder);
    assert.equal((await reader.read()).size, 0, 'a missing log is an empty store');
    await writer.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: undefined }));
    assert.equal((await reader.read()).size, 1);
    await writer.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: undefined }));
    const tickets = await reader.read();
    assert.deepEqual(tickets.newestFirst().map((ticket) => ticket.id), ['2', '1']);
  });

  it('a writer decides on the events other writers appended after its last read', async () => {
    const first = new TicketStore(folder);
    const second = new TicketStore(folder);
    await first.read();
    await second.read();
    await first.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: undefined }));
    const id = await second.transact((tickets) => ({ events: [submitted(tickets.nextId(), 'bob')], result: tickets.nextId() }));
    assert.equal(id, '2', 'the second writer saw ticket 1 before choosing an id');
  });

  it('a decision that throws writes nothing', async () => {
    const store = new TicketStore(folder);
    await assert.rejects(
      store.transact(() => {
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal((await store.read()).size, 0);
    await store.transact((tickets) => ({ events: [submitted(tickets.nextId())], result: undefined }));
    assert.equal((await store.read()).size, 1, 'the store keeps working after a refusal');
  });

  it('ignores and reports a torn last line, and the next append starts on a fresh line', async () => {
    writeFileSync(file, line(submitted('1')) + line(submitted('2')) + '{"type":"submitted","ticket":"3","at":"2026');
    const problems: StoreProblem[] = [];
    const store = new TicketStore(folder, { onProblem: (problem) => problems.push(problem) });
    const tickets = await store.read();
    assert.deepEqual(tickets.newestFirst().map((ticket) => ticket.id), ['2', '1']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /^\S+tickets\.jsonl:3: is incomplete \(43 bytes with no line end\): a write was cut off, probably by a crash, so it was skipped\. Events saved before it are intact; nothing needs to be done\.$/);

    const id = await store.transact((current) => ({ events: [submitted(current.nextId())], result: current.nextId() }));
    assert.equal(id, '3', 'the torn ticket 3 never existed');
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[2], '{"type":"submitted","ticket":"3","at":"2026', 'the torn line is kept as it was, on its own line');
    assert.equal(JSON.parse(lines[3]).ticket, '3');
    assert.equal(problems.length, 1, 'the same line is reported once');

    const fresh = new TicketStore(folder);
    assert.deepEqual((await fresh.read()).newestFirst().map((ticket) => ticket.id), ['3', '2', '1']);
    assert.equal(fresh.problems.length, 1);
    assert.match(fresh.problems[0].message, /^\S+tickets.jsonl:3: is not valid JSON, so it was skipped: it may be a write cut off by a crash/);
  });

  it('reports invalid, unknown and misplaced events with their line, and replays the rest', async () => {
    writeFileSync(
      file,
      [
        line(submitted('1')),
        '{"type":"approved","ticket":"1","at":"x","by":"bob"}\n',
        '{"type":"escalated","ticket":"1","at":"x","by":"bob"}\n',
        line({ type: 'approved', ticket: '1', at, by: 'bob', self: false }),
        line({ type: 'approved', ticket: '7', at, by: 'bob', self: false }),
        '\n',
        line({ type: 'prechecked', ticket: '1', at, by: 'alice', passed: true, items: [] }),
        line({ type: 'rejected', ticket: '1', at, by: 'bob' }),
        line(submitted('1', 'carol')),
      ].join(''),
    );
    const store = new TicketStore(folder);
    const ticket = (await store.read()).get('1')!;
    assert.equal(ticket.state, 'rejected');
    // The unknown event's change cannot be decided here, so the ticket shows as unknown, not as rejected.
    assert.equal(ticket.unknownEvent, 'escalated');
    assert.deepEqual(
      store.problems.map((problem) => [problem.line, problem.what]),
      [
        [2, 'is not a valid approved event (self: Invalid input: expected boolean, received undefined), so it was skipped: fix the line if it was edited by hand or merged.'],
        [3, 'has an unknown event type "escalated", probably written by a newer DB Tickets: its ticket shows as unknown until this one is updated.'],
        [4, "was skipped: it records \"approved\" for ticket #1, which was being prechecked at that point. If the log was merged from two copies, check that ticket's history."],
        [5, "was skipped: it records \"approved\" for ticket #7, which was never submitted. If the log was merged from two copies, check that ticket's history."],
        [9, "was skipped: it submits ticket #1 again, and that id is taken. If the log was merged from two copies, check that ticket's history."],
      ],
    );
  });

  it('reports a line that is no event at all as such, not as an event of a newer version', async () => {
    writeFileSync(file, [line(submitted('1')), '{"not":"an event"}\n', '{"type":"escalated"}\n'].join(''));
    const store = new TicketStore(folder);
    assert.equal((await store.read()).get('1')!.state, 'prechecking');
    const noEvent = 'is not an event of this store (it names no event type and ticket), so it was skipped: fix the line if it was edited by hand or merged, or remove it.';
    assert.deepEqual(store.problems.map((problem) => [problem.line, problem.kind, problem.what]), [[2, 'invalid', noEvent], [3, 'invalid', noEvent]]);
  });

  it('replays from scratch when the log was rewritten rather than appended to (e.g. a git checkout)', async () => {
    writeFileSync(file, line(submitted('1')) + line(submitted('2')));
    const store = new TicketStore(folder);
    assert.equal((await store.read()).size, 2);
    writeFileSync(file, line(submitted('1', 'zed', 'other')) + line(submitted('2')) + line(submitted('3')));
    const tickets = await store.read();
    assert.equal(tickets.size, 3);
    assert.equal(tickets.get('1')!.submitter, 'zed');
  });

  it('tolerates CRLF line ends (a log checked out on Windows)', async () => {
    writeFileSync(file, line(submitted('1')).replace('\n', '\r\n') + line(submitted('2')).replace('\n', '\r\n'));
    const store = new TicketStore(folder);
    assert.equal((await store.read()).size, 2);
    assert.deepEqual(store.problems, []);
  });

  it('replays a 100,000-event log, then reads only the new tail', async function () {
    this.timeout(120_000);
    const perTicket = 4;
    const count = 25_000;
    const chunk: string[] = [];
    for (let n = 1; n <= count; n++) {
      const ticket = String(n);
      chunk.push(
        line({ ...submitted(ticket, `user${n % 7}`), sql: `SELECT id, name FROM customers WHERE id = ${n}` }),
        line({ type: 'prechecked', ticket, at, by: 'alice', passed: true, estimatedRows: n, items: [{ check: 'kind', status: 'passed', message: 'The SQL fits.' }] }),
        line({ type: 'approved', ticket, at, by: 'bob', self: false }),
        line({ type: 'commented', ticket, at, by: 'carol', comment: `note ${n}` }),
      );
      if (chunk.length >= 10_000) appendFileSync(file, chunk.splice(0).join(''));
    }
    appendFileSync(file, chunk.join(''));
    const store = new TicketStore(folder);
    const tickets = await store.read();
    assert.equal(tickets.size, count);
    assert.equal(tickets.get('12345')!.events.length, perTicket);
    assert.equal(tickets.get('25000')!.state, 'approved');
    assert.deepEqual(store.problems, []);

    await new TicketStore(folder).transact((current) => ({ events: [submitted(current.nextId())], result: undefined }));
    const after = await store.read();
    assert.equal(after.size, count + 1);
    assert.equal(after.get('25001')!.state, 'prechecking');
  });
});
