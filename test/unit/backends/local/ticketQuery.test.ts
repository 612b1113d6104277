import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListFilter } from '../../../../src/core/backend/backend';
import type { StoreEvent } from '../../../../src/backends/local/store/events';
import { sealLine } from '../../../../src/backends/local/store/lineChecksum';
import type { TicketProjection, TicketRecord } from '../../../../src/backends/local/store/ticketProjection';
import { TicketStore } from '../../../../src/backends/local/store/ticketStore';
import { TicketQuery } from '../../../../src/backends/local/ticketQuery';

const at = '2026-01-02T03:04:05.000Z';
const people = ['ann', 'bob', 'cy'];

function line(event: StoreEvent): string {
  return `${sealLine(JSON.stringify(event))}\n`;
}

/** Ticket `n`: submitted by one of three people, prechecked, and every third approved by the next person. */
function ticketLines(n: number): string {
  const ticket = String(n);
  const by = people[n % 3];
  let text = line({ type: 'submitted', ticket, at, by, draftId: `d${n}`, title: `Export ${n % 7 === 0 ? 'orders' : 'customers'}`, kind: 'DATA_EXPORT', database: 'demo', reason: 'r', stakeholders: [], sql: 'SELECT 1' });
  text += line({ type: 'prechecked', ticket, at, by, passed: true, items: [] });
  if (n % 3 === 0) text += line({ type: 'approved', ticket, at, by: people[(n + 1) % 3], self: false });
  return text;
}

/** Every page of `filter`, through the cursors. */
function allPages(query: TicketQuery, tickets: TicketProjection, filter: ListFilter, size: number): { ids: string[]; pages: number; totals: Set<number | undefined> } {
  const ids: string[] = [];
  const totals = new Set<number | undefined>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = query.page(tickets, filter, { size, cursor }, { name: 'ann' });
    pages++;
    totals.add(page.total);
    ids.push(...page.items.map((ticket) => ticket.id));
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, pages, totals };
}

/** Counts the projection's sorts and full listings while `work` runs. */
function counting<T>(tickets: TicketProjection, work: () => T): { result: T; listings: number } {
  const newestFirst = tickets.newestFirst.bind(tickets);
  let listings = 0;
  tickets.newestFirst = () => {
    listings++;
    return newestFirst();
  };
  try {
    return { result: work(), listings };
  } finally {
    delete (tickets as Partial<TicketProjection>).newestFirst;
  }
}

describe('local backend: listing pages of tickets', () => {
  let folder: string;
  let store: TicketStore;
  let tickets: TicketProjection;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-query-'));
    let text = '';
    for (let n = 1; n <= 1000; n++) text += ticketLines(n);
    writeFileSync(join(folder, TicketStore.logName), text);
    store = new TicketStore(folder, { snapshotEvery: Infinity });
    tickets = await store.read();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  const expected = (keep: (ticket: TicketRecord) => boolean) =>
    [...tickets.inLogOrder()]
      .filter(keep)
      .sort((a, b) => Number(b.number) - Number(a.number))
      .map((ticket) => ticket.id);

  const filters: Array<[string, ListFilter, (ticket: TicketRecord) => boolean]> = [
    ['all', {}, () => true],
    ['mine', { scope: 'mine' }, (ticket) => ticket.submitter === 'ann'],
    ['awaiting me', { scope: 'awaiting_me' }, (ticket) => (ticket.state === 'pending_approval' && ticket.submitter !== 'ann') || (ticket.state === 'approved' && ticket.submitter === 'ann')],
    ['approved', { states: ['approved'] }, (ticket) => ticket.state === 'approved'],
    ['text', { text: 'ORDERS' }, (ticket) => ticket.title.includes('orders')],
  ];
  for (const [name, filter, keep] of filters) {
    it(`pages through "${name}" newest first, each ticket once, finding what matches once for all pages`, () => {
      const { result, listings } = counting(tickets, () => allPages(new TicketQuery(), tickets, filter, 7));
      assert.deepEqual(result.ids, expected(keep));
      assert.deepEqual([...result.totals], [result.ids.length]);
      assert.equal(result.pages, Math.max(1, Math.ceil(result.ids.length / 7)));
      assert.equal(listings, 1, `${result.pages} pages, one listing`);
    });
  }

  it('sorts the store once for each set of tickets, and finds matches again only when the tickets changed', async () => {
    const query = new TicketQuery();
    const sorted = tickets.newestFirst();
    assert.equal(tickets.newestFirst(), sorted, 'the same sorted list, not sorted again');
    const before = counting(tickets, () => [allPages(query, tickets, { scope: 'mine' }, 50), allPages(query, tickets, {}, 50), allPages(query, tickets, { scope: 'mine' }, 50)]);
    assert.equal(before.listings, 2, 'two filters, each found once');

    appendFileSync(store.logFile, line({ type: 'approved', ticket: '2', at, by: 'bob', self: false }));
    const changed = await store.read();
    assert.equal(changed.newestFirst(), sorted, 'an event of an existing ticket does not sort again');
    const after = counting(changed, () => allPages(query, changed, { scope: 'mine' }, 50));
    assert.equal(after.listings, 1, 'the tickets changed: matches are found again');
    assert.equal(after.result.ids.length, before.result[0].ids.length);

    appendFileSync(store.logFile, ticketLines(1001));
    const grown = await store.read();
    assert.notEqual(grown.newestFirst(), sorted, 'a new ticket is sorted in');
    assert.equal(allPages(query, grown, {}, 50).ids[0], '1001');
  });

  it('a cursor whose ticket no longer matches goes on with the tickets below its number', () => {
    const query = new TicketQuery();
    const first = query.page(tickets, { states: ['approved'] }, { size: 3 }, { name: 'ann' });
    assert.deepEqual(first.items.map((ticket) => ticket.id), ['999', '996', '993']);
    assert.deepEqual(query.page(tickets, { states: ['approved'] }, { size: 3, cursor: '995' }, { name: 'ann' }).items.map((ticket) => ticket.id), ['993', '990', '987']);
    assert.deepEqual(query.page(tickets, { states: ['approved'] }, { size: 3, cursor: '1' }, { name: 'ann' }).items, []);
  });
});
