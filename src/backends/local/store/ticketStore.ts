import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DbTicketsError } from '../../../core/errors';
import { replaceFile } from '../../../files/durableFile';
import type { Decision, LocalStore } from './localStore';
import { EventLog, type EventLogOptions, type LogLine, type LogRead, type VerifiedPrefix } from './eventLog';
import { StoreEvent } from './events';
import { openLine, sealLine } from './lineChecksum';
import type { StoreProblem, StoreProblemKind } from './storeProblems';
import { encodeSnapshot, readSnapshot, type SnapshotTicket, toldBy } from './storeSnapshot';
import { type ApplyOutcome, type EventSource, type TicketFacts, TicketProjection, TicketRecord } from './ticketProjection';

export interface TicketStoreOptions extends EventLogOptions {
  /** Told about each problem once, as it is found. */
  onProblem?: (problem: StoreProblem) => void;
  /** How many lines not covered by the snapshot make it worth writing a new one. Default 256. */
  snapshotEvery?: number;
}


/**
 * The Local backend's tickets, kept as an event log in a folder (`tickets.jsonl`). Reads replay only what was
 * appended since the last read; writes run under the store's lock and decide on an up-to-date replay, so two
 * processes sharing the folder neither lose events nor hand out the same ticket id.
 *
 * A process starts from the snapshot beside the log (`tickets.jsonl.snapshot`, see `storeSnapshot.ts`) when the log
 * still starts with exactly the bytes it covers, and replays only the lines after them; otherwise from the log's
 * first line. Once enough lines were read past the snapshot, it writes a new one (atomically, after the read).
 */
export class TicketStore implements LocalStore {
  static readonly logName = 'tickets.jsonl';
  static readonly snapshotName = 'tickets.jsonl.snapshot';
  readonly logFile: string;
  readonly snapshotFile: string;
  private readonly log: EventLog;
  private projection = new TicketProjection();
  /** The problems of the lines read, in line order: what a replay of the log from its first line finds. */
  private lineProblems: StoreProblem[] = [];
  /** The problems told, each line once. */
  private found: StoreProblem[] = [];
  private readonly reportedLines = new Set<number>();
  private unchecked = 0;
  private readonly parsed = { replayed: 0, reread: 0 };
  /** Lines the newest snapshot this process read or wrote covers. */
  private snapshotLines = 0;
  /** The snapshot is not to be trusted (it disagreed with the log): the next read starts again from the log's first line. */
  private snapshotRefuted = false;
  private readonly snapshotEvery: number;
  /** Serialises this process's reads and writes, so a tail is never replayed twice. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Snapshots being written, one after the other. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly options: TicketStoreOptions = {},
  ) {
    this.logFile = join(folder, TicketStore.logName);
    this.snapshotFile = join(folder, TicketStore.snapshotName);
    this.log = new EventLog(this.logFile, options);
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? 256);
  }

  get location(): string {
    return this.folder;
  }

  /** Problems found in the log so far, oldest first. */
  get problems(): readonly StoreProblem[] {
    return this.found;
  }

  /** Lines read so far that carry no checksum (written by a version before checksums): trusted, but unchecked. */
  get uncheckedLines(): number {
    return this.unchecked;
  }

  /**
   * Lines of the log this store has parsed and checked: those it replayed, and those it read again for a ticket
   * restored from a snapshot when the ticket's events were first needed. What a snapshot saves shows here.
   */
  get parsedLines(): { readonly replayed: number; readonly reread: number } {
    return { ...this.parsed };
  }

  /** The tickets, with whatever other processes appended since the last read. */
  read(): Promise<TicketProjection> {
    return this.serial(async () => {
      await this.catchUp(false);
      this.snapshotIfDue();
      return this.projection;
    });
  }

  /**
   * Replays the whole log from its first line, trusting no snapshot, and replaces the snapshot with what it found;
   * returns the problems found.
   */
  readWholeLog(): Promise<readonly StoreProblem[]> {
    return this.serial(async () => {
      this.snapshotRefuted = true;
      await this.catchUp(false);
      if (this.log.atStart) await rm(this.snapshotFile, { force: true }).catch(() => undefined);
      else this.writeSnapshot();
      await this.saving;
      return this.found;
    });
  }

  /**
   * Holds the lock, catches up with the log, lets `decide` look at the tickets and choose events, then appends
   * them (fsync'd). `decide` may throw to refuse; nothing is written then.
   */
  transact<T>(decide: (tickets: TicketProjection) => Decision<T>): Promise<T> {
    return this.serial(async () => {
      const result = await this.log.withLock(async () => {
        await this.catchUp(true);
        const { events, result } = decide(this.projection);
        await this.log.append(events.map((event) => sealLine(JSON.stringify(StoreEvent.parse(this.keyed(event))))));
        await this.catchUp(true);
        return result;
      });
      this.snapshotIfDue();
      return result;
    });
  }

  private async catchUp(locked: boolean): Promise<void> {
    let read = await this.replayNew();
    // Without the lock, a cut-off last line may be an append still in progress in another process: it is torn
    // only if nobody holds the lock and a second look still finds it unfinished.
    if (read.tail && !locked) {
      if (await this.log.isLocked()) return;
      read = await this.replayNew();
    }
    if (read.tail) {
      this.report(read.tail.line, 'incomplete', `is incomplete (${read.tail.bytes} bytes with no line end): a write was cut off, probably by a crash, so it was skipped. Events saved before it are intact; nothing needs to be done.`);
    }
  }

  /**
   * The event as stored: a new ticket gets its unique key; an event of an existing ticket names it by number and
   * key, whichever id (`7` or `7-1a2b3c4d`) the caller used. That ticket's lines are read first, so that nothing is
   * appended on the word of a snapshot alone.
   */
  private keyed(event: StoreEvent): StoreEvent {
    if (event.type === 'submitted') return event.uid ? event : { ...event, uid: randomBytes(4).toString('hex') };
    const ticket = this.projection.get(event.ticket);
    ticket?.confirm();
    return ticket ? { ...event, ticket: ticket.number, uid: ticket.uid } : event;
  }

  private async replayNew(): Promise<LogRead> {
    if (this.snapshotRefuted) {
      this.startOver();
      this.snapshotRefuted = false;
    } else if (this.log.atStart) {
      await this.restoreSnapshot();
    }
    for (;;) {
      const read = await this.log.readNew();
      if (read.reset) {
        this.startOver();
        await this.restoreSnapshot();
        continue;
      }
      for (const line of read.lines) this.replay(line);
      return read;
    }
  }

  /** Forgets what was read: the log is read again from its first line. */
  private startOver(): void {
    this.log.rewind();
    this.projection = new TicketProjection();
    this.lineProblems = [];
    this.found = [];
    this.reportedLines.clear();
    this.unchecked = 0;
    this.snapshotLines = 0;
  }

  /** Starts from the snapshot, when there is one the log still agrees with. */
  private async restoreSnapshot(): Promise<void> {
    const found = await readSnapshot(this.snapshotFile, (position) => this.log.verifyPrefix(position));
    if (!found) return;
    const { snapshot, prefix } = found;
    this.startOver();
    this.log.resume(prefix);
    this.projection = TicketProjection.of(snapshot.tickets.map((ticket) => new TicketRecord(ticket.facts, ticket.spans, this.eventsOf(ticket, prefix))));
    this.unchecked = snapshot.unchecked;
    this.snapshotLines = snapshot.log.lines;
    for (const { line, kind, what } of snapshot.problems) this.problem(line, kind, what);
  }

  /**
   * A snapshot's ticket's events, read from the log's verified start when first needed. Should one not be the
   * ticket's valid event, or the events not tell the facts the snapshot gave — only a snapshot made or edited by
   * something else than DB Tickets can say so — the snapshot is removed and the operation fails; the next read
   * starts from the log's first line.
   */
  private eventsOf({ facts, spans }: SnapshotTicket, prefix: VerifiedPrefix): EventSource {
    return () => {
      const events: StoreEvent[] = [];
      for (let i = 0; i < spans.length; i += 2) {
        this.parsed.reread++;
        const event = eventOn(prefix.bytes.toString('utf8', spans[i], spans[i + 1]));
        if (!event || !belongsTo(event, facts, i === 0)) throw this.refuteSnapshot();
        events.push(event);
      }
      if (!toldBy(facts, events)) throw this.refuteSnapshot();
      return events;
    };
  }

  private refuteSnapshot(): DbTicketsError {
    this.snapshotRefuted = true;
    void rm(this.snapshotFile, { force: true }).catch(() => undefined);
    return new DbTicketsError(
      'unavailable',
      `The snapshot ${this.snapshotFile} does not agree with the ticket log ${this.logFile} (it was not written by DB Tickets, or was changed since), so it was removed. Run the command again: the tickets are read from the log.`,
    );
  }

  /** Writes a new snapshot once enough lines were read past the last one (never from a refuted one). */
  private snapshotIfDue(): void {
    if (!this.snapshotRefuted && this.log.position().lines - this.snapshotLines >= this.snapshotEvery) this.writeSnapshot();
  }

  /** Writes a snapshot of what was read; it is built now, and written after. */
  private writeSnapshot(): void {
    const position = this.log.position();
    this.snapshotLines = position.lines;
    const content = encodeSnapshot({
      log: position,
      unchecked: this.unchecked,
      problems: this.lineProblems.map(({ line, kind, what }) => ({ line, kind, what })),
      tickets: [...this.projection.inLogOrder()].map((ticket) => ({ facts: ticket, spans: ticket.spans })),
    });
    // A cache, which checks its own content: it is not flushed to disk, and should it not be written (a read-only
    // folder, a full disk), the log is replayed as before.
    this.saving = this.saving.then(() => replaceFile(this.snapshotFile, content)).catch(() => undefined);
  }

  /** Resolves once the snapshots being written are on disk (or failed to be). */
  settled(): Promise<void> {
    return this.saving;
  }

  private replay({ line, text, start, end }: LogLine): void {
    this.parsed.replayed++;
    const opened = openLine(text);
    if (opened.status === 'mismatch') {
      this.problem(line, 'damaged', 'fails its checksum, so it was skipped: it was changed after it was written (a disk error, a bad hand edit or merge). Restore it from a backup or from git, or remove it.');
      return;
    }
    if (opened.status === 'unchecked') this.unchecked++;
    let json: unknown;
    try {
      json = JSON.parse(opened.json);
    } catch {
      this.problem(line, 'damaged', 'is not valid JSON, so it was skipped: it may be a write cut off by a crash, or a bad hand edit or merge; fix or remove the line.');
      return;
    }
    const parsed = StoreEvent.safeParse(json);
    if (!parsed.success) {
      const { type, ticket, uid } = (json ?? {}) as { type?: unknown; ticket?: unknown; uid?: unknown };
      const known = StoreEvent.def.options.some((option) => option.shape.type.def.values.includes(type as never));
      if (!known && typeof type === 'string' && typeof ticket === 'string') this.projection.applyUnknown(ticket, type, typeof uid === 'string' ? uid : undefined);
      if (known) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
        this.problem(line, 'invalid', `is not a valid ${String(type)} event (${issues}), so it was skipped: fix the line if it was edited by hand or merged.`);
      } else if (typeof type !== 'string' || typeof ticket !== 'string') {
        // Not an event at all (no type or ticket): nothing a newer DB Tickets writes.
        this.problem(line, 'invalid', 'is not an event of this store (it names no event type and ticket), so it was skipped: fix the line if it was edited by hand or merged, or remove it.');
      } else {
        this.problem(line, 'unknown', `has an unknown event type ${JSON.stringify(type)}, probably written by a newer DB Tickets: its ticket shows as unknown until this one is updated.`);
      }
      return;
    }
    this.problemOf(line, this.projection.apply(parsed.data, start, end));
  }

  private problemOf(line: number, outcome: ApplyOutcome): void {
    if (!outcome) return;
    if ('refused' in outcome) {
      this.problem(line, 'refused', `was skipped: ${outcome.refused}. If the log was merged from two copies, check that ticket's history.`);
      return;
    }
    const { renamed, numberOf } = outcome;
    this.problem(
      line,
      'duplicate',
      `submits a second ticket #${renamed.number}: two copies of the log (e.g. git branches) each created one, and were merged. Both are kept: "${numberOf.title}" stays #${numberOf.id}, and "${renamed.title}" is #${renamed.id} — use that id for it. Nothing is lost; nothing needs to be done.`,
    );
  }

  /** A problem of a complete line: part of what the log says, kept in snapshots. */
  private problem(line: number, kind: StoreProblemKind, what: string): void {
    this.lineProblems.push(this.problemAt(line, kind, what));
    this.report(line, kind, what);
  }

  private report(line: number, kind: StoreProblemKind, what: string): void {
    if (this.reportedLines.has(line)) return;
    this.reportedLines.add(line);
    const problem = this.problemAt(line, kind, what);
    this.found.push(problem);
    this.options.onProblem?.(problem);
  }

  private problemAt(line: number, kind: StoreProblemKind, what: string): StoreProblem {
    return { file: this.logFile, line, kind, what, message: `${this.logFile}:${line}: ${what}` };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The valid event on a line, or undefined. */
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

/** Whether an event is one of the ticket's: its submission first, then events naming it as replay would find it. */
function belongsTo(event: StoreEvent, ticket: Pick<TicketFacts, 'id' | 'number' | 'uid'>, first: boolean): boolean {
  if (first) return event.type === 'submitted' && event.ticket === ticket.number && event.uid === ticket.uid;
  return event.type !== 'submitted' && (event.uid === undefined ? event.ticket === ticket.id : event.uid === ticket.uid);
}
