import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/core/backend/backend';
import { DbTicketsError } from '../../src/core/errors';
import { LocalBackend } from '../../src/backends/local/localBackend';
import { usePostgresShop, type WorkflowDatabase } from '../support/workflowHarness';
import { baseDraft, conformance, type ConformanceSubject } from './conformance';

/** The Local backend on a store folder of its own, running tickets on a real PostgreSQL server. */
function localSubject(shop: WorkflowDatabase): ConformanceSubject {
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-conformance-'));
  const opened: LocalBackend[] = [];
  const open = (actor: string) => {
    const backend = new LocalBackend({
      storeFolder: folder,
      actor,
      connections: () => [{ name: shop.name, driver: shop.driver }],
      openEngine: async () => shop.open(),
    });
    opened.push(backend);
    return backend;
  };
  const real = open('alice');
  let loseAnswer = false;
  // The process that submitted dies after the event is durable and before it can answer.
  const backend: Backend = Object.create(real);
  backend.submit = async (draft, ctx) => {
    const ticket = await real.submit(draft, ctx);
    if (!loseAnswer) return ticket;
    loseAnswer = false;
    throw new DbTicketsError('unavailable', 'The process ended before it could answer.');
  };
  return {
    backend,
    reopen: async () => open('alice'),
    draft: (overrides) => baseDraft({ database: shop.name, ...overrides }),
    failingDraft: () => baseDraft({ database: shop.name, sql: 'SELECT id FROM no_such_table' }),
    loseNextSubmitAnswer: () => (loseAnswer = true),
    lagLists: () => undefined, // the store is read directly: nothing lags
    decideElsewhere: async (id) => {
      await open('bob').act(id, { action: 'approve', comment: 'ok' });
      return 'approved';
    },
    setUnknownStatus: async (id) => {
      // An event a newer DB Tickets wrote into the shared store.
      appendFileSync(join(folder, 'tickets.jsonl'), `${JSON.stringify({ type: 'escalated', ticket: id, at: new Date().toISOString(), by: 'carol' })}\n`);
      return 'escalated';
    },
    pendingCall: async (subject, signal) => {
      const ticket = await subject.submit(baseDraft({ database: shop.name, title: 'Slow export', sql: 'SELECT pg_sleep(30) AS slept' }));
      await open('bob').act(ticket.id, { action: 'approve' });
      return subject.act(ticket.id, { action: 'execute' }, { signal });
    },
    ticketCount: async () => (await real.list({ scope: 'all' }, { size: 1000 })).items.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('Local backend on PostgreSQL', () => {
  const shop = usePostgresShop('shop');
  conformance('local', async () => localSubject(shop()), { precheck: true });
});
