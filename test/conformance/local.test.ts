import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/core/backend/backend';
import { DbTicketsError } from '../../src/core/errors';
import { LocalBackend } from '../../src/backends/local/localBackend';
import { type PostgresServer, usePostgres } from '../support/postgresServer';
import { createTeamStore } from '../support/teamStoreHarness';
import { usePostgresShop, type WorkflowDatabase } from '../support/workflowHarness';
import { baseDraft, conformance, type ConformanceSubject } from './conformance';

/** Where a Local subject keeps its tickets, and the people who use them: alice submits and executes, bob approves. */
interface LocalSite {
  open(person: 'alice' | 'bob'): Promise<LocalBackend>;
  /** Records an event of a type a newer DB Tickets knows, for ticket `id`. */
  recordUnknownEvent(id: string): Promise<void>;
  remove(): Promise<void>;
}

async function localSubject(shop: WorkflowDatabase, site: LocalSite): Promise<ConformanceSubject> {
  const opened: LocalBackend[] = [];
  const open = async (person: 'alice' | 'bob') => {
    const backend = await site.open(person);
    opened.push(backend);
    return backend;
  };
  const real = await open('alice');
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
    reopen: () => open('alice'),
    draft: (overrides) => baseDraft({ database: shop.name, ...overrides }),
    failingDraft: () => baseDraft({ database: shop.name, sql: 'SELECT id FROM no_such_table' }),
    loseNextSubmitAnswer: () => (loseAnswer = true),
    lagLists: () => undefined, // every read asks the store itself: nothing lags
    decideElsewhere: async (id) => {
      await (await open('bob')).act(id, { action: 'approve', comment: 'ok' });
      return 'approved';
    },
    setUnknownStatus: async (id) => {
      await site.recordUnknownEvent(id);
      return 'escalated';
    },
    pendingCall: async (subject, signal) => {
      const ticket = await subject.submit(baseDraft({ database: shop.name, title: 'Slow export', sql: 'SELECT pg_sleep(30) AS slept' }));
      await (await open('bob')).act(ticket.id, { action: 'approve' });
      return subject.act(ticket.id, { action: 'execute' }, { signal });
    },
    ticketCount: async () => (await real.list({ scope: 'all' }, { size: 1000 })).items.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      await site.remove();
    },
  };
}

/** A store folder of its own, which every person's process shares. */
function folderSite(shop: WorkflowDatabase): LocalSite {
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-conformance-'));
  return {
    open: async (actor) => new LocalBackend({ storeFolder: folder, actor, connections: () => [{ name: shop.name, driver: shop.driver }], openEngine: async () => shop.open() }),
    recordUnknownEvent: async (id) => {
      appendFileSync(join(folder, 'tickets.jsonl'), `${JSON.stringify({ type: 'escalated', ticket: id, at: new Date().toISOString(), by: 'carol' })}\n`);
    },
    remove: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** A team store in PostgreSQL of its own, each person connecting as their own role. */
async function teamSite(shop: WorkflowDatabase, server: PostgresServer): Promise<LocalSite> {
  const team = await createTeamStore(server);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-conformance-'));
  return {
    open: async (person) => {
      const store = await team.open(await team.person(person, person === 'alice' ? ['submitter', 'executor'] : ['approver']));
      return new LocalBackend({ storeFolder: folder, store, actor: store.actor, connections: () => [{ name: shop.name, driver: shop.driver }], openEngine: async () => shop.open() });
    },
    recordUnknownEvent: async (id) => {
      // This version's rules do not know the event, so it is written past them, as a newer version's would not be.
      await server.admin(
        `SET session_replication_role = replica;
         INSERT INTO db_tickets.events (seq, ticket, type, actor, at, body)
           SELECT nextval('db_tickets.event_seq'), ${Number(id)}, 'escalated', 'carol', now(),
             jsonb_build_object('type', 'escalated', 'ticket', '${id}', 'uid', uid, 'at', '2026-01-01T00:00:00.000Z', 'by', 'carol')
           FROM db_tickets.tickets WHERE number = ${Number(id)}`,
        team.database,
      );
    },
    remove: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

describe('Local backend on PostgreSQL', () => {
  const shop = usePostgresShop('shop');
  conformance('local', async () => localSubject(shop(), folderSite(shop())), { precheck: true });
});

describe('Local backend on a team store in PostgreSQL', () => {
  const server = usePostgres();
  const shop = usePostgresShop('teamshop');
  conformance('local (team store)', async () => localSubject(shop(), await teamSite(shop(), server())), { precheck: true });
});
