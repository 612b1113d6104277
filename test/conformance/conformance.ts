import * as assert from 'node:assert/strict';
import { type Backend, type TicketSummary, ticketActions } from '../../src/core/backend/backend';
import { DbTicketsError } from '../../src/core/errors';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import type { TicketState } from '../../src/core/model/ticketStatus';
import { draft as workflowDraft } from '../support/workflowHarness';

/**
 * One backend under test, on a service (or store) of its own: what the conformance suite needs to provoke the
 * situations every backend must handle. Cloud backends run against their protocol-faithful fakes, Local on real
 * database engines.
 */
export interface ConformanceSubject {
  /** The backend, as the user's first process opened it. */
  backend: Backend;
  /** Another backend on the same service and identity, as a second process would open it (a re-run CLI command). */
  reopen(): Promise<Backend>;
  /** A draft this backend accepts, with a fresh id. */
  draft(overrides?: Partial<TicketDraft>): TicketDraft;
  /** A draft whose precheck the service fails (where it prechecks). */
  failingDraft(): TicketDraft;
  /** The next submit is committed by the service, but its answer never reaches the backend. */
  loseNextSubmitAnswer(): void;
  /** New tickets appear in the service's lists (and searches) only `ms` after they were created. */
  lagLists(ms: number): void;
  /** Someone else (an approver) decides ticket `id`; returns the state it is in afterwards. */
  decideElsewhere(id: string): Promise<TicketState>;
  /** Gives ticket `id` a native status the backend does not know; returns it as the backend should show it. */
  setUnknownStatus(id: string): Promise<string>;
  /** Starts a call that the service leaves pending (until `signal` aborts it). */
  pendingCall(backend: Backend, signal: AbortSignal): Promise<unknown>;
  /** The tickets the service holds for the user's drafts. */
  ticketCount(): Promise<number>;
  close(): Promise<void>;
}

/** What a service does at all, so only the behaviour that applies to it is asked of its backend. */
export interface Features {
  /** The service checks a ticket before it goes to approval and can fail it there. */
  precheck: boolean;
}

/** Every listed ticket, page by page, with the page sizes seen. */
async function listAll(backend: Backend, filter: Parameters<Backend['list']>[0], size: number): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await backend.list(filter, { size, cursor });
    ids.push(...page.items.map((t) => t.id));
    pages.push(page.items.length);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { ids, pages };
}

/** Advice that would make a user send the same draft again, filing a second ticket. */
const duplicatingAdvice = /\b(submit|send|create) (it |the draft |the ticket )?again\b|\btry again\b|\bretry\b/i;

/**
 * The behaviour every backend must show, whatever service it speaks to (see docs/architecture.md). `subject` makes a
 * fresh subject for each test.
 */
export function conformance(name: string, subject: () => Promise<ConformanceSubject>, features: Features, timeoutMs = 60_000): void {
  describe(`conformance: ${name}`, function () {
    this.timeout(timeoutMs);
    let s: ConformanceSubject;
    beforeEach(async function () {
      this.timeout(120_000);
      s = await subject();
    });
    afterEach(async () => {
      await s?.close();
    });

    it('submit is idempotent on the draft id, from the same process and from another', async () => {
      const draft = s.draft();
      const first = await s.backend.submit(draft);
      const again = await s.backend.submit(draft);
      const elsewhere = await (await s.reopen()).submit(draft);
      assert.equal(again.id, first.id);
      assert.equal(elsewhere.id, first.id);
      assert.equal(await s.ticketCount(), 1);
    });

    it('a submit whose answer was lost after the service committed never becomes two tickets', async () => {
      const draft = s.draft();
      s.loseNextSubmitAnswer();
      const first = await s.backend.submit(draft).catch((error: unknown) => error);
      if (first instanceof Error) assert.doesNotMatch(first.message, duplicatingAdvice, 'an undecided outcome must not advise sending again');
      const again = await (await s.reopen()).submit(draft);
      if (!(first instanceof Error)) assert.equal(again.id, (first as TicketSummary).id);
      assert.equal(await s.ticketCount(), 1);
    });

    it("a lost answer while the service's list lags behind its creates still gives one ticket", async () => {
      const draft = s.draft();
      s.lagLists(2_000);
      s.loseNextSubmitAnswer();
      const first = await s.backend.submit(draft).catch((error: unknown) => error);
      if (first instanceof Error) assert.doesNotMatch(first.message, duplicatingAdvice, 'an undecided outcome must not advise sending again');
      await (await s.reopen()).submit(draft);
      assert.equal(await s.ticketCount(), 1);
    });

    it('list pages return every ticket exactly once', async () => {
      const submitted: string[] = [];
      for (let i = 0; i < 5; i++) submitted.push((await s.backend.submit(s.draft({ title: `Page test ${i}` }))).id);
      const { ids } = await listAll(s.backend, { scope: 'all' }, 2);
      assert.deepEqual([...ids].sort(), [...submitted].sort());
      assert.equal(new Set(ids).size, ids.length, 'a ticket listed twice');
    });

    it('filters by state before paging: a page is never empty while matches exist', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push((await s.backend.submit(s.draft({ title: `Filter test ${i}` }))).id);
      // The oldest ticket is the one that matches, so unfiltered it would be on the last page.
      const state = await s.decideElsewhere(ids[0]);
      const first = await s.backend.list({ scope: 'all', states: [state] }, { size: 1 });
      assert.deepEqual(first.items.map((t) => t.id), [ids[0]]);
      const { ids: all } = await listAll(s.backend, { scope: 'all', states: [state] }, 1);
      assert.deepEqual(all, [ids[0]]);
    });

    it('get returns the SQL byte for byte and the reason apart from it', async () => {
      const sql = "SELECT id, email\r\n  FROM customers  \n WHERE country = 'FR' -- Zoë's \"list\"\n ORDER BY id LIMIT 10;\n\n";
      const reason = 'Quarterly report for the\nmarketing team';
      const ticket = await s.backend.submit(s.draft({ sql, reason }));
      const detail = await s.backend.get(ticket.id);
      assert.equal(detail.sql, sql);
      assert.equal(detail.reason?.replace(/\s+/g, ' '), reason.replace(/\s+/g, ' '));
      assert.ok(!detail.sql.includes('Quarterly report'), 'the reason leaked into the SQL');
    });

    it('an action the ticket lists works, and an action the backend does not declare is refused clearly', async () => {
      const ticket = await s.backend.submit(s.draft());
      assert.ok(ticket.actions.includes('cancel'), `a new ticket lists cancel: ${ticket.actions.join(', ')}`);
      const cancelled = await s.backend.act(ticket.id, { action: 'cancel', comment: 'not needed' });
      assert.equal(cancelled.status.state, 'cancelled');
      const undeclared = ticketActions.find((action) => !s.backend.capabilities.actions.includes(action) && action !== 'transfer' && action !== 'comment');
      assert.ok(undeclared, 'every action is declared');
      await assert.rejects(s.backend.act(ticket.id, { action: undeclared as 'urge' }), (error: unknown) => {
        assert.ok(error instanceof DbTicketsError, String(error));
        assert.ok(['usage', 'conflict'].includes(error.kind), error.kind);
        assert.match(error.message, new RegExp(`\\b${undeclared}\\b`));
        return true;
      });
    });

    it('shows a native status it does not know as unknown, keeping the value', async () => {
      const ticket = await s.backend.submit(s.draft());
      const native = await s.setUnknownStatus(ticket.id);
      const detail = await s.backend.get(ticket.id);
      assert.equal(detail.status.state, 'unknown');
      assert.equal(detail.status.native, native);
      const listed = (await listAll(s.backend, { scope: 'all' }, 50)).ids;
      assert.ok(listed.includes(ticket.id), 'a ticket in an unknown state is still listed');
    });

    it('an AbortSignal cancels a pending call within a second', async () => {
      await s.backend.submit(s.draft());
      const controller = new AbortController();
      const call = s.pendingCall(s.backend, controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const aborted = Date.now();
      controller.abort();
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof DbTicketsError, String(error));
        assert.equal(error.kind, 'cancelled', error.message);
        return true;
      });
      assert.ok(Date.now() - aborted < 1_000, `took ${Date.now() - aborted} ms`);
    });

    if (features.precheck) {
      it('a ticket whose precheck fails is reported as failed', async () => {
        const ticket = await s.backend.submit(s.failingDraft());
        assert.equal(ticket.status.state, 'failed');
      });
    }
  });
}

/** A draft of the shape the suites share: the workflow tests' draft, with a bounded export. */
export function baseDraft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  return workflowDraft({ sql: 'SELECT id, email FROM customers ORDER BY id LIMIT 10', ...overrides });
}
