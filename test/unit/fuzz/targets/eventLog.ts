import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { StoreEvent } from '../../../../src/backends/local/store/events';
import { openLine, sealLine } from '../../../../src/backends/local/store/lineChecksum';
import { TicketStore } from '../../../../src/backends/local/store/ticketStore';
import { TicketKind } from '../../../../src/core/model/ticketKind';
import { fullReplayView, storeView } from '../../../support/storeView';
import { anyText, boundedAsync, type FuzzProperty } from '../harness';

const at = '2026-01-02T03:04:05.000Z';
const ticketNumber = fc.integer({ min: 1, max: 4 }).map(String);
const uid = fc.constantFrom(undefined, '0a0b0c0d', '1a2b3c4d');
const words = fc.string({ maxLength: 12 });

/** Who acts: a few names, so that participants repeat. */
const actor = fc.constantFrom('ann', 'ben', 'cy');
/** The ticket an event names: by number, and maybe by its uid. */
const target = fc.record({ ticket: ticketNumber, uid });

/** Valid events of a few tickets, in any order: some fit their ticket, some are refused. */
const event: fc.Arbitrary<StoreEvent> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ ticket: ticketNumber, uid, title: words, kind: fc.constantFrom(...TicketKind.options), sql: words, resubmit: fc.option(ticketNumber, { nil: undefined }) }).map(({ ticket, uid: key, title, kind, sql, resubmit }): StoreEvent => ({ type: 'submitted', ticket, ...(key ? { uid: key } : {}), at, by: 'ann', draftId: `d${ticket}${title}`, title, kind, database: 'demo', reason: 'r', stakeholders: [], ...(resubmit ? { resubmitOf: resubmit } : {}), sql })) },
  { weight: 1, arbitrary: fc.record({ ticket: ticketNumber, comment: fc.string({ minLength: 1, maxLength: 8 }) }).map(({ ticket, comment }): StoreEvent => ({ type: 'commented', ticket, at, by: 'ben', comment })) },
  { weight: 1, arbitrary: ticketNumber.map((ticket): StoreEvent => ({ type: 'approved', ticket, at, by: 'ben', self: false })) },
  { weight: 1, arbitrary: ticketNumber.map((ticket): StoreEvent => ({ type: 'cancelled', ticket, at, by: 'ann' })) },
  { weight: 1, arbitrary: fc.record({ on: target, by: actor, passed: fc.boolean(), rows: fc.option(fc.nat(99), { nil: undefined }) }).map(({ on, by, passed, rows }): StoreEvent => ({ type: 'prechecked', ...on, at, by, passed, ...(rows === undefined ? {} : { estimatedRows: rows }), items: [] })) },
  { weight: 1, arbitrary: fc.record({ on: target, by: actor }).map(({ on, by }): StoreEvent => ({ type: 'rejected', ...on, at, by })) },
  { weight: 1, arbitrary: fc.record({ on: target, by: actor }).map(({ on, by }): StoreEvent => ({ type: 'execution_started', ...on, at, by, host: 'h', pid: 1 })) },
  {
    weight: 1,
    arbitrary: fc.record({ on: target, by: actor, end: fc.constantFrom('execution_succeeded', 'execution_failed', 'execution_cancelled') }).map(({ on, by, end }): StoreEvent =>
      end === 'execution_succeeded' ? { type: end, ...on, at, by, rows: 1 } : { type: end, ...on, at, by, message: 'm' },
    ),
  },
);

/** A line as it may be found in the log: sealed, unsealed (an older version), damaged, or not an event at all. */
const line = fc.oneof(
  { weight: 6, arbitrary: event.map((e) => sealLine(JSON.stringify(e))) },
  { weight: 1, arbitrary: event.map((e) => JSON.stringify(e)) },
  { weight: 2, arbitrary: fc.tuple(event, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([e, i, mask]) => flip(sealLine(JSON.stringify(e)), i, mask)) },
  { weight: 1, arbitrary: fc.tuple(event, fc.nat()).map(([e, cut]) => { const text = sealLine(JSON.stringify(e)); return text.slice(0, cut % text.length); }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('submitted', 'approved', 'renamed'), ticket: fc.oneof(ticketNumber, fc.jsonValue()) }, { requiredKeys: [] }).map((v) => sealLine(JSON.stringify({ ...v, at: 1 }))) },
  { weight: 1, arbitrary: anyText(40) },
);

/** The line with one byte of its UTF-8 changed (it may no longer be valid UTF-8). */
function flip(text: string, index: number, mask: number): string {
  const bytes = Buffer.from(text, 'utf8');
  bytes[index % bytes.length] ^= mask;
  return bytes.toString('latin1');
}

/** The log's bytes: lines joined by LF or CRLF, the last one maybe without its line end. */
const log = fc.tuple(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.boolean()).map(([lines, crlf, ended]) => {
  const end = crlf ? '\r\n' : '\n';
  return Buffer.from(lines.join(end) + (ended && lines.length > 0 ? end : ''), 'latin1');
});

let folder: string | undefined;
function storeFolder(): string {
  if (!folder) {
    const created = mkdtempSync(join(tmpdir(), 'db-tickets-fuzz-store-'));
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
    folder = created;
  }
  return folder;
}

/** The lines of a log that have a line end and are not blank: those a replay parses. */
function completeLines(bytes: Buffer): number {
  return bytes.toString('latin1').split('\n').slice(0, -1).filter((text) => text.trim() !== '').length;
}

/** What may happen to a store after its snapshot was written, besides appends. */
const change = fc.oneof(
  fc.constant({ kind: 'none' as const, at: 0, mask: 0 }),
  fc.record({ kind: fc.constantFrom('flip' as const, 'snapshot flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constantFrom('cut' as const, 'remove line' as const), at: fc.nat(), mask: fc.constant(0) }),
  fc.record({ kind: fc.constant('insert line' as const), at: fc.nat(), mask: fc.constant(0), text: line }),
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

/** The log after `what` happened to it (or the snapshot file, for `snapshot flip`). */
function damage(logBytes: Buffer, snapshot: string, what: Change): Buffer {
  const bytes = Buffer.from(logBytes);
  switch (what.kind) {
    case 'none':
      return bytes;
    case 'flip':
      if (bytes.length > 0) bytes[what.at % bytes.length] ^= what.mask;
      return bytes;
    case 'snapshot flip': {
      const file = readFileSync(snapshot);
      file[what.at % file.length] ^= what.mask;
      writeFileSync(snapshot, file);
      return bytes;
    }
    case 'cut':
      return bytes.subarray(0, what.at % (bytes.length + 1));
    case 'remove line':
    case 'insert line': {
      const lines = bytes.toString('latin1').split('\n');
      const at = what.at % lines.length;
      if (what.kind === 'remove line') lines.splice(at, 1);
      else if ('text' in what) lines.splice(at, 0, what.text);
      return Buffer.from(lines.join('\n'), 'latin1');
    }
  }
}

/** The event on a line the store did not report, parsed as the store would; undefined for a line it must reject. */
function eventOn(text: string): StoreEvent | undefined {
  const opened = openLine(text);
  if (opened.status === 'mismatch') return undefined;
  try {
    const parsed = StoreEvent.safeParse(JSON.parse(opened.json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const eventLogProperties: FuzzProperty[] = [
  {
    target: 'event log',
    name: 'TicketStore.read on any log: tickets and reported problems, and no ticket from a line it reported',
    runs: 1000,
    benchShare: 0.01,
    property: () =>
      fc.asyncProperty(
        log,
        boundedAsync(async (bytes: Buffer) => {
          const dir = storeFolder();
          writeFileSync(join(dir, TicketStore.logName), bytes);
          const store = new TicketStore(dir);
          const tickets = await store.read();
          const lines = bytes.toString('utf8').split('\n');
          // A duplicate number is reported and kept (under another id); every other problem line is skipped.
          const reported = new Set(store.problems.filter((p) => p.kind !== 'duplicate').map((p) => p.line));
          for (const problem of store.problems) {
            assert.ok(problem.line >= 1 && problem.line <= lines.length, `problem at line ${problem.line} of ${lines.length}`);
            assert.ok(problem.message.startsWith(`${store.logFile}:${problem.line}: `));
          }
          // Every ticket comes from a submitted event on a line that was read without a problem.
          const submittedOnGoodLines = lines.flatMap((text, i) => {
            const e = reported.has(i + 1) ? undefined : eventOn(text.replace(/\r$/, ''));
            return e?.type === 'submitted' ? [e] : [];
          });
          assert.ok(tickets.size <= submittedOnGoodLines.length);
          for (const ticket of tickets.newestFirst()) {
            assert.ok(
              submittedOnGoodLines.some((e) => e.ticket === ticket.number && e.uid === ticket.uid && e.title === ticket.title && e.sql === ticket.sql),
              `ticket ${ticket.id} "${ticket.title}" comes from no line read without a problem`,
            );
          }
        }),
      ),
  },
  {
    target: 'event log',
    name: 'a snapshot and the lines after it tell what a full replay tells, whatever was appended, cut, removed, inserted or flipped',
    runs: 150,
    benchShare: 0.001,
    property: () =>
      fc.asyncProperty(
        fc.array(line, { maxLength: 10 }),
        fc.array(line, { maxLength: 6 }),
        fc.boolean(),
        change,
        boundedAsync(async (before: string[], after: string[], crlf: boolean, what: Change) => {
          const dir = storeFolder();
          for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
          const log = join(dir, TicketStore.logName);
          const end = crlf ? '\r\n' : '\n';
          writeFileSync(log, Buffer.from(before.map((text) => text + end).join(''), 'latin1'));
          const first = new TicketStore(dir, { snapshotEvery: 1 });
          await first.read();
          await first.settled();
          const snapshot = join(dir, TicketStore.snapshotName);
          const covered = before.length > 0 ? JSON.parse(readFileSync(snapshot, 'utf8').split('\n')[0]).log.bytes : 0;
          appendFileSync(log, Buffer.from(after.map((text) => text + end).join(''), 'latin1'));
          if (before.length > 0) writeFileSync(log, damage(readFileSync(log), snapshot, what));

          const second = new TicketStore(dir, { snapshotEvery: 1 });
          const tickets = await second.read();
          if (what.kind === 'none') assert.equal(second.parsedLines.replayed, completeLines(readFileSync(log).subarray(covered)), 'only the lines after the snapshot were parsed');
          assert.equal(storeView(second, tickets), await fullReplayView(dir));
          await second.settled();
        }),
      ),
  },
];
