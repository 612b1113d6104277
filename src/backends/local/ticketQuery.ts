import type { ListFilter, Page, PageRequest } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import { normalizeStatus } from '../../core/model/ticketStatus';
import type { TicketProjection, TicketRecord } from './store/ticketProjection';
import { localStatusMap } from './store/transitions';
import type { Viewer } from './ticketActions';
import { needsActor } from './ticketView';

/** The tickets matching one filter, newest first, and where each one is among them (made on the first cursor). */
interface Matching {
  tickets: readonly TicketRecord[];
  places?: Map<string, number>;
}

/** Filters kept per version of the tickets: a tree shows a few groups, each paged through. */
const keptFilters = 16;

/**
 * Pages of the tickets matching a filter, newest first; a page's cursor is the id the next page starts below. What
 * matches a filter is found once for each version of the tickets (`TicketProjection.version`), so paging through
 * them costs one pass over the store and then a slice per page, not a sort and a filter per page.
 */
export class TicketQuery {
  private readonly matching = new Map<string, Matching>();
  private tickets?: TicketProjection;
  private version = -1;

  page(tickets: TicketProjection, filter: ListFilter, page: PageRequest, viewer: Viewer): Page<TicketRecord> {
    const size = Math.max(1, Math.floor(page.size));
    const matching = this.matchingOf(tickets, filter, viewer);
    const from = page.cursor === undefined ? 0 : after(matching, page.cursor);
    const items = matching.tickets.slice(from, from + size);
    return { items, nextCursor: from + size < matching.tickets.length ? items[items.length - 1].id : undefined, total: matching.tickets.length };
  }

  private matchingOf(tickets: TicketProjection, filter: ListFilter, viewer: Viewer): Matching {
    if (tickets !== this.tickets || tickets.version !== this.version) {
      this.matching.clear();
      this.tickets = tickets;
      this.version = tickets.version;
    }
    const text = filter.text?.trim().toLowerCase().replace(/^#(?=\d+$)/, '');
    const key = JSON.stringify([filter.scope ?? 'all', filter.states ?? [], text ?? '', viewer.name]);
    let found = this.matching.get(key);
    if (!found) {
      const all = tickets.newestFirst();
      const everything = (filter.scope ?? 'all') === 'all' && !filter.states?.length && !text;
      found = { tickets: everything ? all : all.filter((ticket) => inScope(ticket, filter, viewer) && inStates(ticket, filter, viewer) && (!text || matchesText(ticket, text))) };
      if (this.matching.size >= keptFilters) this.matching.delete(this.matching.keys().next().value!);
      this.matching.set(key, found);
    }
    return found;
  }
}

function inScope(ticket: TicketRecord, filter: ListFilter, viewer: Viewer): boolean {
  const actor = viewer.name;
  switch (filter.scope ?? 'all') {
    case 'mine':
      return ticket.submitter === actor;
    case 'awaiting_me':
      return needsActor(ticket, viewer);
    case 'related':
      return ticket.participants.has(actor) || ticket.stakeholders.includes(actor);
    case 'all':
      return true;
  }
}

function inStates(ticket: TicketRecord, filter: ListFilter, viewer: Viewer): boolean {
  if (!filter.states || filter.states.length === 0) return true;
  if (filter.states.includes('needs_you') && needsActor(ticket, viewer)) return true;
  return filter.states.includes(normalizeStatus(ticket.state, localStatusMap).state);
}

function matchesText(ticket: TicketRecord, text: string): boolean {
  return ticket.id === text || [ticket.title, ticket.sql, ticket.database, ticket.submitter, ticket.reason].some((field) => field.toLowerCase().includes(text));
}

/** Where the tickets after the one the cursor names start; when it is gone, the first with a lower number. */
function after(matching: Matching, cursor: string): number {
  const match = /^([1-9]\d*)(-[0-9a-f]{8})?$/.exec(cursor);
  if (!match) throw new DbTicketsError('usage', `The page cursor "${cursor}" is not one this backend gave out: list again from the first page.`);
  matching.places ??= new Map(matching.tickets.map((ticket, place) => [ticket.id, place]));
  const at = matching.places.get(cursor);
  if (at !== undefined) return at + 1;
  const below = matching.tickets.findIndex((ticket) => Number(ticket.number) < Number(match[1]));
  return below === -1 ? matching.tickets.length : below;
}
