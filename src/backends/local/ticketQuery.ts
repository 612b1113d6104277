import type { ListFilter, Page, PageRequest } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import { normalizeStatus } from '../../core/model/ticketStatus';
import type { TicketProjection, TicketRecord } from './store/ticketProjection';
import { localStatusMap } from './store/transitions';
import { needsActor } from './ticketView';

/** One page of the tickets matching `filter`, newest first; the cursor is the id the next page starts below. */
export function queryTickets(tickets: TicketProjection, filter: ListFilter, page: PageRequest, actor: string): Page<TicketRecord> {
  const size = Math.max(1, Math.floor(page.size));
  const text = filter.text?.trim().toLowerCase().replace(/^#(?=\d+$)/, '');
  const matching = tickets.newestFirst().filter((ticket) => inScope(ticket, filter, actor) && inStates(ticket, filter, actor) && (!text || matchesText(ticket, text)));
  const rest = page.cursor === undefined ? matching : after(matching, page.cursor);
  const items = rest.slice(0, size);
  return { items, nextCursor: rest.length > size ? items[items.length - 1].id : undefined, total: matching.length };
}

function inScope(ticket: TicketRecord, filter: ListFilter, actor: string): boolean {
  switch (filter.scope ?? 'all') {
    case 'mine':
      return ticket.submitter === actor;
    case 'awaiting_me':
      return needsActor(ticket, actor);
    case 'related':
      return ticket.participants.has(actor) || ticket.stakeholders.includes(actor);
    case 'all':
      return true;
  }
}

function inStates(ticket: TicketRecord, filter: ListFilter, actor: string): boolean {
  if (!filter.states || filter.states.length === 0) return true;
  if (filter.states.includes('needs_you') && needsActor(ticket, actor)) return true;
  return filter.states.includes(normalizeStatus(ticket.state, localStatusMap).state);
}

function matchesText(ticket: TicketRecord, text: string): boolean {
  return ticket.id === text || [ticket.title, ticket.sql, ticket.database, ticket.submitter, ticket.reason].some((field) => field.toLowerCase().includes(text));
}

/** The tickets after the one the cursor names; when it is gone, those with a lower number. */
function after(tickets: TicketRecord[], cursor: string): TicketRecord[] {
  const match = /^([1-9]\d*)(-[0-9a-f]{8})?$/.exec(cursor);
  if (!match) throw new DbTicketsError('usage', `The page cursor "${cursor}" is not one this backend gave out: list again from the first page.`);
  const at = tickets.findIndex((ticket) => ticket.id === cursor);
  return at >= 0 ? tickets.slice(at + 1) : tickets.filter((ticket) => Number(ticket.number) < Number(match[1]));
}
