import type { TicketKind } from '../../../core/model/ticketKind';
import type { EventOf, StoreEvent } from './events';
import { type LocalState, canHappen, localStateLabels, nextState } from './transitions';

/** A ticket as the log tells it: the facts from its events, and the events themselves (its audit trail). */
export interface TicketRecord {
  id: string;
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

/**
 * Current state from the events, folded one at a time so that replay is incremental. An event that does not fit
 * (an approval of a rejected ticket, say, after a careless merge) is refused with the reason and left out.
 */
export class TicketProjection {
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly byDraft = new Map<string, string>();
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

  /** All tickets, newest (highest id) first. */
  newestFirst(): TicketRecord[] {
    return [...this.tickets.values()].sort((a, b) => Number(b.id) - Number(a.id));
  }

  /** Notes an event of a type this version does not know on its ticket; false when there is no such ticket. */
  applyUnknown(id: string, type: string): boolean {
    const ticket = this.tickets.get(id);
    if (ticket) ticket.unknownEvent = type;
    return ticket !== undefined;
  }

  /** Applies an event; returns why it was refused, or undefined when applied. */
  apply(event: StoreEvent): string | undefined {
    if (event.type === 'submitted') return this.submit(event);
    const ticket = this.tickets.get(event.ticket);
    if (!ticket) return `it records "${event.type}" for ticket #${event.ticket}, which was never submitted`;
    if (!canHappen(event.type, ticket.state)) {
      return `it records "${event.type}" for ticket #${ticket.id}, which was ${localStateLabels[ticket.state]} at that point`;
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

  private submit(event: EventOf<'submitted'>): string | undefined {
    if (this.tickets.has(event.ticket)) return `it submits ticket #${event.ticket} again, and that id is taken`;
    const ticket: TicketRecord = {
      id: event.ticket,
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
    if (!this.byDraft.has(event.draftId)) this.byDraft.set(event.draftId, ticket.id);
    this.highestId = Math.max(this.highestId, Number(ticket.id));
    if (event.resubmitOf) this.tickets.get(event.resubmitOf)?.resubmittedAs.push(ticket.id);
    return undefined;
  }
}
