import type { TicketKind } from '../../../core/model/ticketKind';
import type { EventOf, StoreEvent } from './events';
import { type LocalState, canHappen, localStateLabels, nextState } from './transitions';

/** A ticket as the log tells it: the facts from its events, and the events themselves (its audit trail). */
export interface TicketRecord {
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
  /** Tickets submitted from a draft of this one. */
  resubmittedAs: string[];
  precheck?: EventOf<'prechecked'>;
  decision?: EventOf<'approved'> | EventOf<'rejected'> | EventOf<'cancelled'>;
  execution?: { started: EventOf<'execution_started'>; ended?: EventOf<'execution_succeeded'> | EventOf<'execution_failed'> | EventOf<'execution_cancelled'> };
  comments: Array<EventOf<'commented'>>;
  /** Everyone who acted on the ticket. */
  participants: Set<string>;
  events: StoreEvent[];
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

  get size(): number {
    return this.tickets.size;
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

  /** All tickets, newest (highest number) first. */
  /** The tickets being executed now, in no particular order. */
  executing(): TicketRecord[] {
    return [...this.tickets.values()].filter((ticket) => ticket.state === 'executing');
  }

  newestFirst(): TicketRecord[] {
    return [...this.tickets.values()].sort((a, b) => Number(b.number) - Number(a.number) || b.createdAt.localeCompare(a.createdAt));
  }

  /** Notes an event of a type this version does not know on its ticket; false when there is no such ticket. */
  applyUnknown(id: string, type: string, uid?: string): boolean {
    const ticket = this.ticketOf({ ticket: id, uid });
    if (ticket) ticket.unknownEvent = type;
    return ticket !== undefined;
  }

  /** The ticket an event refers to: by its unique key when it has one, else by number. */
  ticketOf(event: { ticket: string; uid?: string }): TicketRecord | undefined {
    return event.uid === undefined ? this.tickets.get(event.ticket) : this.byUid.get(event.uid);
  }

  /** Applies an event; says why it was refused, or which ticket got another id because its number was taken. */
  apply(event: StoreEvent): ApplyOutcome {
    if (event.type === 'submitted') return this.submit(event);
    const ticket = this.ticketOf(event);
    if (!ticket) return { refused: `it records "${event.type}" for ticket #${event.ticket}, which was never submitted` };
    if (!canHappen(event.type, ticket.state)) {
      return { refused: `it records "${event.type}" for ticket #${ticket.id}, which was ${localStateLabels[ticket.state]} at that point` };
    }
    ticket.state = nextState(ticket.state, event);
    ticket.updatedAt = event.at;
    ticket.events.push(event);
    ticket.participants.add(event.by);
    switch (event.type) {
      case 'prechecked':
        ticket.precheck = event;
        if (event.estimatedRows !== undefined) ticket.estimatedRows = event.estimatedRows;
        break;
      case 'approved':
      case 'rejected':
      case 'cancelled':
        ticket.decision = event;
        break;
      case 'commented':
        ticket.comments.push(event);
        break;
      case 'execution_started':
        ticket.execution = { started: event };
        break;
      case 'execution_succeeded':
      case 'execution_failed':
      case 'execution_cancelled':
        ticket.execution = { started: ticket.execution!.started, ended: event };
        break;
    }
    return undefined;
  }

  private submit(event: EventOf<'submitted'>): ApplyOutcome {
    const taken = this.tickets.get(event.ticket);
    if (taken && (event.uid === undefined || this.byUid.has(event.uid))) return { refused: `it submits ticket #${event.ticket} again, and that id is taken` };
    const ticket: TicketRecord = {
      id: taken ? `${event.ticket}-${event.uid}` : event.ticket,
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
      resubmittedAs: [],
      comments: [],
      participants: new Set([event.by]),
      events: [event],
    };
    this.tickets.set(ticket.id, ticket);
    if (event.uid !== undefined) this.byUid.set(event.uid, ticket);
    if (!this.byDraft.has(event.draftId)) this.byDraft.set(event.draftId, ticket.id);
    this.highestId = Math.max(this.highestId, Number(ticket.number));
    if (event.resubmitOf) this.tickets.get(event.resubmitOf)?.resubmittedAs.push(ticket.id);
    return taken ? { renamed: ticket, numberOf: taken } : undefined;
  }
}
