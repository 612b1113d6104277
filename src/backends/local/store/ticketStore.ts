import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EventLog, type EventLogOptions, type LogLine, type LogRead } from './eventLog';
import { StoreEvent } from './events';
import { openLine, sealLine } from './lineChecksum';
import { type ApplyOutcome, TicketProjection } from './ticketProjection';

/**
 * What is wrong with a line: `damaged` (fails its checksum, or is not JSON), `incomplete` (a cut-off last line),
 * `invalid` (not a valid event), `unknown` (an event type of a newer version), `refused` (does not fit its ticket),
 * `duplicate` (a ticket number taken on another, merged copy of the log).
 */
export type StoreProblemKind = 'damaged' | 'incomplete' | 'invalid' | 'unknown' | 'refused' | 'duplicate';

/** Something in the log that was not trusted as written; the store keeps working and reports it. */
export interface StoreProblem {
  file: string;
  /** 1-based line of the log. */
  line: number;
  kind: StoreProblemKind;
  /** What is wrong, and what to do. */
  what: string;
  /** `file:line: what`, for warnings. */
  message: string;
}

export interface TicketStoreOptions extends EventLogOptions {
  /** Told about each problem once, as it is found. */
  onProblem?: (problem: StoreProblem) => void;
}

/** What a transaction decided: the events to append and the caller's result. */
export interface Decision<T> {
  events: StoreEvent[];
  result: T;
}

/**
 * The Local backend's tickets, kept as an event log in a folder (`tickets.jsonl`). Reads replay only what was
 * appended since the last read; writes run under the store's lock and decide on an up-to-date replay, so two
 * processes sharing the folder neither lose events nor hand out the same ticket id.
 */
export class TicketStore {
  static readonly logName = 'tickets.jsonl';
  readonly logFile: string;
  private readonly log: EventLog;
  private projection = new TicketProjection();
  private found: StoreProblem[] = [];
  private readonly reportedLines = new Set<number>();
  private unchecked = 0;
  /** Serialises this process's reads and writes, so a tail is never replayed twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly options: TicketStoreOptions = {},
  ) {
    this.logFile = join(folder, TicketStore.logName);
    this.log = new EventLog(this.logFile, options);
  }

  /** Problems found in the log so far, oldest first. */
  get problems(): readonly StoreProblem[] {
    return this.found;
  }

  /** Lines read so far that carry no checksum (written by a version before checksums): trusted, but unchecked. */
  get uncheckedLines(): number {
    return this.unchecked;
  }

  /** The tickets, with whatever other processes appended since the last read. */
  read(): Promise<TicketProjection> {
    return this.serial(async () => {
      await this.catchUp(false);
      return this.projection;
    });
  }

  /**
   * Holds the lock, catches up with the log, lets `decide` look at the tickets and choose events, then appends
   * them (fsync'd). `decide` may throw to refuse; nothing is written then.
   */
  transact<T>(decide: (tickets: TicketProjection) => Decision<T>): Promise<T> {
    return this.serial(() =>
      this.log.withLock(async () => {
        await this.catchUp(true);
        const { events, result } = decide(this.projection);
        await this.log.append(events.map((event) => sealLine(JSON.stringify(StoreEvent.parse(this.keyed(event))))));
        await this.catchUp(true);
        return result;
      }),
    );
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
   * key, whichever id (`7` or `7-1a2b3c4d`) the caller used.
   */
  private keyed(event: StoreEvent): StoreEvent {
    if (event.type === 'submitted') return event.uid ? event : { ...event, uid: randomBytes(4).toString('hex') };
    const ticket = this.projection.get(event.ticket);
    return ticket ? { ...event, ticket: ticket.number, uid: ticket.uid } : event;
  }

  private async replayNew(): Promise<LogRead> {
    const read = await this.log.readNew();
    if (read.reset) {
      this.projection = new TicketProjection();
      this.found = [];
      this.reportedLines.clear();
      this.unchecked = 0;
    }
    for (const line of read.lines) this.replay(line);
    return read;
  }

  private replay({ line, text }: LogLine): void {
    const opened = openLine(text);
    if (opened.status === 'mismatch') {
      this.report(line, 'damaged', 'fails its checksum, so it was skipped: it was changed after it was written (a disk error, a bad hand edit or merge). Restore it from a backup or from git, or remove it.');
      return;
    }
    if (opened.status === 'unchecked') this.unchecked++;
    let json: unknown;
    try {
      json = JSON.parse(opened.json);
    } catch {
      this.report(line, 'damaged', 'is not valid JSON, so it was skipped: it may be a write cut off by a crash, or a bad hand edit or merge; fix or remove the line.');
      return;
    }
    const parsed = StoreEvent.safeParse(json);
    if (!parsed.success) {
      const { type, ticket, uid } = (json ?? {}) as { type?: unknown; ticket?: unknown; uid?: unknown };
      const known = StoreEvent.def.options.some((option) => option.shape.type.def.values.includes(type as never));
      if (!known && typeof type === 'string' && typeof ticket === 'string') this.projection.applyUnknown(ticket, type, typeof uid === 'string' ? uid : undefined);
      if (known) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
        this.report(line, 'invalid', `is not a valid ${String(type)} event (${issues}), so it was skipped: fix the line if it was edited by hand or merged.`);
      } else {
        this.report(line, 'unknown', `has an unknown event type ${JSON.stringify(type)}, probably written by a newer DB Tickets: its ticket shows as unknown until this one is updated.`);
      }
      return;
    }
    this.reportOutcome(line, this.projection.apply(parsed.data));
  }

  private reportOutcome(line: number, outcome: ApplyOutcome): void {
    if (!outcome) return;
    if ('refused' in outcome) {
      this.report(line, 'refused', `was skipped: ${outcome.refused}. If the log was merged from two copies, check that ticket's history.`);
      return;
    }
    const { renamed, numberOf } = outcome;
    this.report(
      line,
      'duplicate',
      `submits a second ticket #${renamed.number}: two copies of the log (e.g. git branches) each created one, and were merged. Both are kept: "${numberOf.title}" stays #${numberOf.id}, and "${renamed.title}" is #${renamed.id} — use that id for it. Nothing is lost; nothing needs to be done.`,
    );
  }

  private report(line: number, kind: StoreProblemKind, what: string): void {
    if (this.reportedLines.has(line)) return;
    this.reportedLines.add(line);
    const problem: StoreProblem = { file: this.logFile, line, kind, what, message: `${this.logFile}:${line}: ${what}` };
    this.found.push(problem);
    this.options.onProblem?.(problem);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
