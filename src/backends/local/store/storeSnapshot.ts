import { open } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { crc32 } from 'node:zlib';
import { TicketKind } from '../../../core/model/ticketKind';
import * as z from '../../../core/zod';
import type { LogPosition, VerifiedPrefix } from './eventLog';
import { storeProblemKinds, type StoreProblemKind } from './storeProblems';
import type { StoreEvent } from './events';
import { factsOf, type StoredFacts, type TicketFacts } from './ticketProjection';
import { localStates } from './transitions';

/**
 * A snapshot of the tickets a log's first bytes tell, kept beside the log (`tickets.jsonl.snapshot`) so that a new
 * process reads only what was appended after them. The log stays the record: the snapshot names exactly the bytes it
 * covers (`LogPosition`: length, line count, SHA-256) and is used only when the log still starts with them.
 *
 * The file is a header line, then the body. The header gives the format, the covered position, and the body's length
 * and a CRC-32 of the position and the body (as each log line has one of its own), so a cut, damaged or foreign file
 * is recognised before its body is parsed; the body is then checked field by field, so content that is not a snapshot
 * this version wrote is never used.
 */

/** A problem of a line the snapshot covers, told again to whoever reads the snapshot. */
export interface SnapshotProblem {
  line: number;
  kind: StoreProblemKind;
  what: string;
}

/** A ticket of the snapshot: its facts, and the byte ranges of its events in the log (`TicketRecord.spans`). */
export interface SnapshotTicket {
  facts: StoredFacts;
  spans: number[];
}

export interface StoreSnapshot {
  log: LogPosition;
  /** Lines without a checksum. */
  unchecked: number;
  problems: SnapshotProblem[];
  /** In the order they were submitted. */
  tickets: SnapshotTicket[];
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const format = 'db-tickets store snapshot';
const version = 1;
/** The header line is far shorter; a file whose first line is not is not a snapshot. */
const headerLimit = 1024;

const count = z.int().check(z.nonnegative());

const Header = z.object({
  format: z.literal(format),
  version: z.literal(version),
  log: z.object({ bytes: count, lines: count, sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
  body: z.object({ bytes: count, crc32: z.string().check(z.regex(/^[0-9a-f]{8}$/)) }),
});

/** The body but its tickets, which are checked in place (a schema would copy each, costing twice the parse). */
const Summary = z.object({
  unchecked: count,
  problems: z.array(z.object({ line: count, kind: z.enum(storeProblemKinds), what: z.string() })),
});

type Check = (value: unknown) => boolean;
const isText: Check = (value) => typeof value === 'string';
const isNamed: Check = (value) => typeof value === 'string' && value.length > 0;
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const matching = (pattern: RegExp): Check => (value) => typeof value === 'string' && pattern.test(value);
const oneOf = (values: readonly string[]): Check => (value) => typeof value === 'string' && values.includes(value);
const listOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
const optional = (check: Check): Check => (value) => value === undefined || check(value);

/** What each fact a snapshot keeps must be (as in the event it comes from); every fact of `TicketFacts` has one. */
const factChecks: { [Name in keyof TicketFacts]-?: Check } = {
  id: matching(/^[1-9]\d*(-[0-9a-f]{8})?$/),
  number: matching(/^[1-9]\d*$/),
  uid: optional(matching(/^[0-9a-f]{8}$/)),
  draftId: isNamed,
  title: isText,
  kind: oneOf(TicketKind.options),
  database: isText,
  reason: isText,
  stakeholders: listOf(isText),
  estimatedRows: optional(isCount),
  format: optional(oneOf(['csv', 'jsonl'])),
  sql: isText,
  submitter: isNamed,
  createdAt: isNamed,
  updatedAt: isNamed,
  state: oneOf(localStates),
  unknownEvent: optional(isText),
  resubmitOf: optional(isText),
  decidedBy: optional(isText),
  participants: listOf(isText),
};
const factNames = Object.keys(factChecks) as Array<keyof TicketFacts>;

/** The snapshot file's content. */
export function encodeSnapshot(snapshot: StoreSnapshot): Buffer {
  const tickets = snapshot.tickets.map(({ facts, spans }) => ({
    ...Object.fromEntries(factNames.map((name) => [name, facts[name]])),
    participants: [...facts.participants],
    spans,
  }));
  const body = Buffer.from(JSON.stringify({ unchecked: snapshot.unchecked, problems: snapshot.problems, tickets }), 'utf8');
  const header = { format, version, log: snapshot.log, body: { bytes: body.length, crc32: checksum(snapshot.log, body) } };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), body]);
}

/**
 * Whether a snapshot's ticket says what its own events say: every fact but `unknownEvent`, which lines of event types
 * this version does not know set.
 */
export function toldBy(facts: StoredFacts, events: readonly StoreEvent[]): boolean {
  const told = factsOf(facts.id, events);
  const plain = (value: unknown) => (value instanceof Set || Array.isArray(value) ? [...(value as Iterable<unknown>)] : value);
  return told !== undefined && factNames.every((name) => name === 'unknownEvent' || isDeepStrictEqual(plain(told[name]), plain(facts[name])));
}

/**
 * The snapshot in `file`, when it is one and whole and the log still starts with the bytes it covers; undefined when
 * there is none, or it is cut, damaged, of another format or log, or not consistent in itself. `verify` reads the
 * log's start (`EventLog.verifyPrefix`); it is asked before the body is read.
 */
export async function readSnapshot(
  file: string,
  verify: (log: LogPosition) => Promise<VerifiedPrefix | undefined>,
): Promise<{ snapshot: StoreSnapshot; prefix: VerifiedPrefix } | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const start = Buffer.alloc(headerLimit);
    const { bytesRead } = await handle.read(start, 0, start.length, 0);
    const end = start.subarray(0, bytesRead).indexOf(NEWLINE);
    const header = end > 0 ? Header.safeParse(parseJson(start.toString('utf8', 0, end))) : undefined;
    if (!header?.success) return undefined;
    const { log, body } = header.data;
    if ((await handle.stat()).size !== end + 1 + body.bytes) return undefined;
    const prefix = await verify(log);
    if (!prefix) return undefined;
    const content = Buffer.allocUnsafe(body.bytes);
    if ((await handle.read(content, 0, content.length, end + 1)).bytesRead !== content.length || checksum(log, content) !== body.crc32) return undefined;
    const parsed = parseJson(content.toString('utf8'));
    const summary = Summary.safeParse(parsed);
    const tickets = (parsed as { tickets?: unknown } | null)?.tickets;
    const snapshot = summary.success && Array.isArray(tickets) ? consistent(log, { ...summary.data, tickets }, prefix.bytes) : undefined;
    return snapshot && { snapshot, prefix };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** The snapshot, when its parts are sound and agree: problems on covered lines in order, unique ids, events on covered lines. */
function consistent(log: LogPosition, body: z.infer<typeof Summary> & { tickets: unknown[] }, prefix: Buffer): StoreSnapshot | undefined {
  if (body.unchecked > log.lines) return undefined;
  let line = 0;
  for (const problem of body.problems) {
    if (problem.line <= line || problem.line > log.lines) return undefined;
    line = problem.line;
  }
  const ids = new Set<string>();
  const tickets: SnapshotTicket[] = [];
  for (const stored of body.tickets) {
    const ticket = ticketOf(stored, prefix);
    if (!ticket || ids.has(ticket.facts.id)) return undefined;
    ids.add(ticket.facts.id);
    tickets.push(ticket);
  }
  return { log, unchecked: body.unchecked, problems: body.problems, tickets };
}

/** A stored ticket, when every fact is sound, its id is its number (with its uid), and its spans are ascending lines of the prefix. */
function ticketOf(stored: unknown, prefix: Buffer): SnapshotTicket | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  // Parsed from JSON just now, so it is a plain object of this module's; only the facts are read from it.
  const value = stored as Record<string, unknown>;
  for (const name of factNames) if (!factChecks[name](value[name])) return undefined;
  const facts = value as unknown as StoredFacts;
  if (facts.id !== facts.number && facts.id !== `${facts.number}-${facts.uid}`) return undefined;
  const spans = value.spans;
  if (!Array.isArray(spans) || spans.length === 0 || spans.length % 2 !== 0 || !spans.every(isCount)) return undefined;
  for (let i = 0, end = 0; i < spans.length; i += 2) {
    if (spans[i] < end || spans[i + 1] <= spans[i] || !isLine(prefix, spans[i], spans[i + 1])) return undefined;
    end = spans[i + 1];
  }
  return { facts, spans: spans as number[] };
}

/** Whether `start`–`end` is the text of a whole line of `bytes` (the line's own checks find a made-up range). */
function isLine(bytes: Buffer, start: number, end: number): boolean {
  if (end >= bytes.length || (start > 0 && bytes[start - 1] !== NEWLINE)) return false;
  return bytes[end] === NEWLINE || (bytes[end] === CARRIAGE_RETURN && bytes[end + 1] === NEWLINE);
}

/** The CRC-32 of the covered position and the body, so that neither changes unnoticed. */
function checksum(log: LogPosition, body: Buffer): string {
  return crc32(body, crc32(`${log.bytes} ${log.lines} ${log.sha256}\n`)).toString(16).padStart(8, '0');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
