import type { TicketSummary } from '../backend/backend';
import type { TicketState } from '../model/ticketStatus';

export interface Transition {
  ticket: TicketSummary;
  from: TicketState;
}

/** What the last look at the tickets saw, by profile and id. */
export type Seen = ReadonlyMap<string, TicketState>;

export function seenKey(profile: string, id: string): string {
  return `${profile}\u0000${id}`;
}

/**
 * The tickets whose state changed since they were last seen. Tickets never seen before are not transitions —
 * so the first load, a new profile or a newly listed ticket never produces a notification.
 */
export function transitions(seen: Seen, profile: string, tickets: readonly TicketSummary[]): Transition[] {
  return tickets.flatMap((ticket) => {
    const from = seen.get(seenKey(profile, ticket.id));
    return from !== undefined && from !== ticket.status.state ? [{ ticket, from }] : [];
  });
}

/**
 * The tickets with replies the user has not read beyond what the last look saw (`seen`: unread replies by profile and
 * id). As with transitions, a ticket never seen before brings no news.
 */
export function newReplies(seen: ReadonlyMap<string, number>, profile: string, tickets: readonly TicketSummary[]): TicketSummary[] {
  return tickets.filter((ticket) => {
    const before = seen.get(seenKey(profile, ticket.id));
    return before !== undefined && (ticket.unreadReplies ?? 0) > before;
  });
}
