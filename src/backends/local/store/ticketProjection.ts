import type { TicketKind } from '../../../core/model/ticketKind';
import type { EventOf, StoreEvent } from './events';
import { type LocalState, canHappen, localStateLabels, nextState } from './transitions';

/**
 * What a ticket's list entry shows and what queries filter on, kept up to date as its events apply. Snapshots keep
 * these; the events themselves are read again only when a ticket is looked at (`TicketRecord.events`).
 */
export interface TicketFacts {
  /** What users see and type: its number, or `<number>-<uid>` when another ticket of a merged copy of the log has that number. */
  id: string;
  /** The number its events carry. */
  number: string;
  uid?: string;
  draftId: string;
  title: string;
  kind: TicketKind;
  database: string;
  reason: string;
  stakeholders: string[];
  estimatedRows?: number;
  format?: 'csv' | 'jsonl';
  sql: string;
  submitter: string;
  createdAt: string;
  updatedAt: string;
  state: LocalState;
  /**
   * The type of an event this version does not know (written by a newer DB Tickets sharing the store): from then on
   * the ticket's state cannot be decided here, so it shows as unknown and nothing is done to it.
   */
  unknownEvent?: string;
  resubmitOf?: string;
  /** Who approved or rejected it, while that decision stands. */
  decidedBy?: string;
  /** Everyone who acted on the ticket. */
  participants: Set<string>;
}

/** Facts as a snapshot keeps them: the participants as a list. */
export type StoredFacts = Omit<TicketFacts, 'participants'> & { participants: Iterable<string> };

/** A ticket's events in log order, read when they are first needed. */
export type EventSource = () => StoreEvent[];

type Decision = EventOf<'approved'> | EventOf<'rejected'> | EventOf<'cancelled'>;
type Execution = { started: EventOf<'execution_started'>; ended?: EventOf<'execution_succeeded'> | EventOf<'execution_failed'> | EventOf<'execution_cancelled'> };

/** A ticket's audit trail and what it tells. */
class TicketHistory {
  readonly events: StoreEvent[] = [];
  readonly comments: Array<EventOf<'commented'>> = [];
  precheck?: EventOf<'prechecked'>;
  decision?: Decision;
  execution?: Execution;

  add(event: StoreEvent): void {
    this.events.push(event);
    switch (event.type) {
      case 'prechecked':
        this.precheck = event;
        break;
      case 'approved':
      case 'rejected':
      case 'cancelled':
        this.decision = event;
        break;
      case 'commented':
        this.comments.push(event);
        break;
      case 'execution_started':
        this.execution = { started: event };
        break;
      case 'execution_succeeded':
      case 'execution_failed':
      case 'execution_cancelled':
        if (this.execution) this.execution = { started: this.execution.started, ended: event };
        break;
    }
  }
}

/** A ticket as the log tells it: its facts, and its events (its audit trail), read from their source on first use. */
export class TicketRecord implements TicketFacts {
  id: string;
  number: string;
  uid?: string;
  draftId: string;
  title: string;
  kind: TicketKind;
  database: string;
  reason: string;
  stakeholders: string[];
  estimatedRows?: number;
  format?: 'csv' | 'jsonl';
  sql: string;
  submitter: string;
  createdAt: string;
  updatedAt: string;
  state: LocalState;
  unknownEvent?: string;
  resubmitOf?: string;
  decidedBy?: string;
  participants: Set<string>;
  /** Tickets submitted from a draft of this one. */
  readonly resubmittedAs: string[] = [];
  private history?: TicketHistory;

  constructor(
    facts: StoredFacts,
    /** Where its events are in the log: the byte range of each line, as [start, end, start, end, …]. */
    readonly spans: number[],
    private readonly source: EventSource,
  ) {
    this.id = facts.id;
    this.number = facts.number;
    this.uid = facts.uid;
    this.draftId = facts.draftId;
    this.title = facts.title;
    this.kind = facts.kind;
    this.database = facts.database;
    this.reason = facts.reason;
    this.stakeholders = facts.stakeholders;
    this.estimatedRows = facts.estimatedRows;
    this.format = facts.format;
    this.sql = facts.sql;
    this.submitter = facts.submitter;
    this.createdAt = facts.createdAt;
    this.updatedAt = facts.updatedAt;
    this.state = facts.state;
    this.unknownEvent = facts.unknownEvent;
    this.resubmitOf = facts.resubmitOf;
    this.decidedBy = facts.decidedBy;
    // Its own: later events add to it, while `facts` may be kept to check this ticket's events against.
    this.participants = new Set(facts.participants);
  }

  get events(): readonly StoreEvent[] {
    return this.trail().events;
  }

  get precheck(): EventOf<'prechecked'> | undefined {
    return this.trail().precheck;
  }

  get decision(): Decision | undefined {
    return this.trail().decision;
  }

  get execution(): Execution | undefined {
    return this.trail().execution;
  }

  get comments(): ReadonlyArray<EventOf<'commented'>> {
    return this.trail().comments;
  }

  /** Reads its events now, if they were not: a ticket restored from a snapshot is checked against its lines then. */
  confirm(): void {
    this.trail();
  }

  /** Adds an event that applies to it, found at `start`–`end` in the log. */
  record(event: StoreEvent, start: number, end: number): void {
    this.trail().add(event);
    this.spans.push(start, end);
  }

  private trail(): TicketHistory {
    if (!this.history) {
      const history = new TicketHistory();
      for (const event of this.source()) history.add(event);
      this.history = history;
    }
    return this.history;
  }
}

/**
 * The facts a ticket's accepted events tell, by themselves: all but `unknownEvent`, which lines of unknown events set
 * (the ticket's `id` is given, as it depends on other tickets).
 */
export function factsOf(id: string, [submitted, ...later]: readonly StoreEvent[]): TicketFacts | undefined {
  if (submitted?.type !== 'submitted') return undefined;
  const facts = submittedFacts(submitted, id);
  for (const event of later) {
    if (event.type === 'submitted' || !canHappen(event.type, facts.state)) return undefined;
    advance(facts, event);
  }
  return facts;
}

function submittedFacts(event: EventOf<'submitted'>, id: string): TicketFacts {
  return {
    id,
    number: event.ticket,
    uid: event.uid,
    draftId: event.draftId,
    title: event.title,
    kind: event.kind,
    database: event.database,
    reason: event.reason,
    stakeholders: event.stakeholders,
    estimatedRows: event.estimatedRows,
    format: event.format,
    sql: event.sql,
    submitter: event.by,
    createdAt: event.at,
    updatedAt: event.at,
    state: nextState(undefined, event),
    resubmitOf: event.resubmitOf,
    participants: new Set([event.by]),
  };
}

/** What an accepted event of a ticket changes in its facts. */
function advance(facts: TicketFacts, event: Exclude<StoreEvent, EventOf<'submitted'>>): void {
  facts.state = nextState(facts.state, event);
  facts.updatedAt = event.at;
  facts.participants.add(event.by);
  if (event.type === 'prechecked' && event.estimatedRows !== undefined) facts.estimatedRows = event.estimatedRows;
  if (event.type === 'approved' || event.type === 'rejected') facts.decidedBy = event.by;
  if (event.type === 'cancelled') facts.decidedBy = undefined;
}

/** What applying an event did: refused it (with why), or kept a ticket whose number was taken under another id. */
export type ApplyOutcome = { refused: string } | { renamed: TicketRecord; numberOf: TicketRecord } | undefined;

/**
 * Current state from the events, folded one at a time so that replay is incremental. An event that does not fit
 * (an approval of a rejected ticket, say, after a careless merge) is refused with the reason and left out.
 */
export class TicketProjection {
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly byDraft = new Map<string, string>();
  private readonly byUid = new Map<string, TicketRecord>();
  private highestId = 0;
  private changes = 0;
  private sorted?: TicketRecord[];

  /** Tickets in the order they were submitted, as a snapshot keeps them. */
  static of(tickets: Iterable<TicketRecord>): TicketProjection {
    const projection = new TicketProjection();
    for (const ticket of tickets) projection.add(ticket);
    return projection;
  }

  get size(): number {
    return this.tickets.size;
  }

  /** Changes with every event applied: what was computed from the tickets at one version holds until it changes. */
  get version(): number {
    return this.changes;
  }

  get(id: string): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  findByDraft(draftId: string): TicketRecord | undefined {
    const id = this.byDraft.get(draftId);
    return id === undefined ? undefined : this.tickets.get(id);
  }

  /** The id the next ticket gets. */
  nextId(): string {
    return String(this.highestId + 1);
  }

  /** The tickets being executed now, in no particular order. */
  executing(): TicketRecord[] {
    return [...this.tickets.values()].filter((ticket) => ticket.state === 'executing');
  }

  /** All tickets, in the order they were submitted. */
  inLogOrder(): IterableIterator<TicketRecord> {
    return this.tickets.values();
  }

  /** All tickets, newest (highest number) first; sorted once for each set of tickets. */
  newestFirst(): readonly TicketRecord[] {
    if (this.sorted?.length !== this.tickets.size) {
      this.sorted = [...this.tickets.values()].sort((a, b) => Number(b.number) - Number(a.number) || b.createdAt.localeCompare(a.createdAt));
    }
    return this.sorted;
  }

  /** Notes an event of a type this version does not know on its ticket; false when there is no such ticket. */
  applyUnknown(id: string, type: string, uid?: string): boolean {
    const ticket = this.ticketOf({ ticket: id, uid });
    if (ticket) {
      ticket.unknownEvent = type;
      this.changes++;
    }
    return ticket !== undefined;
  }

  /** The ticket an event refers to: by its unique key when it has one, else by number. */
  ticketOf(event: { ticket: string; uid?: string }): TicketRecord | undefined {
    return event.uid === undefined ? this.tickets.get(event.ticket) : this.byUid.get(event.uid);
  }

  /**
   * Applies an event found at `start`–`end` in the log; says why it was refused, or which ticket got another id
   * because its number was taken.
   */
  apply(event: StoreEvent, start: number, end: number): ApplyOutcome {
    if (event.type === 'submitted') return this.submit(event, start, end);
    const ticket = this.ticketOf(event);
    if (!ticket) return { refused: `it records "${event.type}" for ticket #${event.ticket}, which was never submitted` };
    if (!canHappen(event.type, ticket.state)) {
      return { refused: `it records "${event.type}" for ticket #${ticket.id}, which was ${localStateLabels[ticket.state]} at that point` };
    }
    this.changes++;
    advance(ticket, event);
    ticket.record(event, start, end);
    return undefined;
  }

  private submit(event: EventOf<'submitted'>, start: number, end: number): ApplyOutcome {
    const taken = this.tickets.get(event.ticket);
    if (taken && (event.uid === undefined || this.byUid.has(event.uid))) return { refused: `it submits ticket #${event.ticket} again, and that id is taken` };
    const ticket = new TicketRecord(submittedFacts(event, taken ? `${event.ticket}-${event.uid}` : event.ticket), [start, end], () => [event]);
    this.add(ticket);
    return taken ? { renamed: ticket, numberOf: taken } : undefined;
  }

  private add(ticket: TicketRecord): void {
    this.changes++;
    this.tickets.set(ticket.id, ticket);
    if (ticket.uid !== undefined) this.byUid.set(ticket.uid, ticket);
    if (!this.byDraft.has(ticket.draftId)) this.byDraft.set(ticket.draftId, ticket.id);
    this.highestId = Math.max(this.highestId, Number(ticket.number));
    if (ticket.resubmitOf) this.tickets.get(ticket.resubmitOf)?.resubmittedAs.push(ticket.id);
  }
}
