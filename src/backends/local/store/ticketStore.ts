import { join } from 'node:path';
import { EventLog, type EventLogOptions, type LogLine, type LogRead } from './eventLog';
import { StoreEvent } from './events';
import { TicketProjection } from './ticketProjection';

/** Something wrong in the log that was skipped rather than trusted; the store keeps working. */
export interface StoreProblem {
  /** 1-based line of the log. */
  line: number;
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
  /** Serialises this process's reads and writes, so a tail is never replayed twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly folder: string,
    private readonly options: TicketStoreOptions = {},
  ) {
    this.logFile = join(folder, TicketStore.logName);
    this.log = new EventLog(this.logFile, options);
  }

  /** Problems found in the log so far (skipped lines), oldest first. */
  get problems(): readonly StoreProblem[] {
    return this.found;
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
        await this.log.append(events.map((event) => JSON.stringify(StoreEvent.parse(event))));
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
      this.report(read.tail.line, `is incomplete (${read.tail.bytes} bytes with no line end): a write was cut off, probably by a crash, so it was skipped. Events saved before it are intact; nothing needs to be done.`);
    }
  }

  private async replayNew(): Promise<LogRead> {
    const read = await this.log.readNew();
    if (read.reset) {
      this.projection = new TicketProjection();
      this.found = [];
      this.reportedLines.clear();
    }
    for (const line of read.lines) this.replay(line);
    return read;
  }

  private replay({ line, text }: LogLine): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.report(line, 'is not valid JSON, so it was skipped: it may be a write cut off by a crash, or a bad hand edit or merge; fix or remove the line.');
      return;
    }
    const parsed = StoreEvent.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      const known = StoreEvent.def.options.some((option) => option.shape.type.def.values.includes(type as never));
      const ticket = (json as { ticket?: unknown } | null)?.ticket;
      if (!known && typeof type === 'string' && typeof ticket === 'string') this.projection.applyUnknown(ticket, type);
      this.report(
        line,
        known
          ? `is not a valid ${String(type)} event (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ')}), so it was skipped: fix the line if it was edited by hand or merged.`
          : `has an unknown event type ${JSON.stringify(type)}, probably written by a newer DB Tickets: its ticket shows as unknown until this one is updated.`,
      );
      return;
    }
    const refusal = this.projection.apply(parsed.data);
    if (refusal) this.report(line, `was skipped: ${refusal}. If the log was merged from two copies, check that ticket's history.`);
  }

  private report(line: number, what: string): void {
    if (this.reportedLines.has(line)) return;
    this.reportedLines.add(line);
    const problem = { line, message: `Line ${line} of ${this.logFile} ${what}` };
    this.found.push(problem);
    this.options.onProblem?.(problem);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
