import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/core/backend/backend';
import { DbTicketsError } from '../../src/core/errors';
import { LocalBackend } from '../../src/backends/local/localBackend';
import { usePostgres } from '../support/postgresServer';
import { createTeamStore } from '../support/teamStoreHarness';
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

/**
 * The Local backend on a team store in PostgreSQL: alice submits and executes, bob approves elsewhere, each as their
 * own database role.
 */
async function teamSubject(shop: WorkflowDatabase, server: ReturnType<ReturnType<typeof usePostgres>>): Promise<ConformanceSubject> {
  const team = await createTeamStore(server);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-conformance-'));
  const opened: LocalBackend[] = [];
  const open = async (person: string, roles: Array<'submitter' | 'approver' | 'executor'>) => {
    const store = await team.open(await team.person(person, roles));
    const backend = new LocalBackend({
      storeFolder: folder,
      store,
      actor: store.actor,
      connections: () => [{ name: shop.name, driver: shop.driver }],
      openEngine: async () => shop.open(),
    });
    opened.push(backend);
    return backend;
  };
  const real = await open('alice', ['submitter', 'executor']);
  let loseAnswer = false;
  const backend: Backend = Object.create(real);
  backend.submit = async (draft, ctx) => {
    const ticket = await real.submit(draft, ctx);
    if (!loseAnswer) return ticket;
    loseAnswer = false;
    throw new DbTicketsError('unavailable', 'The connection was lost before the answer came.');
  };
  return {
    backend,
    reopen: () => open('alice', ['submitter', 'executor']),
    draft: (overrides) => baseDraft({ database: shop.name, ...overrides }),
    failingDraft: () => baseDraft({ database: shop.name, sql: 'SELECT id FROM no_such_table' }),
    loseNextSubmitAnswer: () => (loseAnswer = true),
    lagLists: () => undefined, // every read asks the database: nothing lags
    decideElsewhere: async (id) => {
      await (await open('bob', ['approver'])).act(id, { action: 'approve', comment: 'ok' });
      return 'approved';
    },
    setUnknownStatus: async (id) => {
      // An event a newer DB Tickets recorded: this version's rules do not know it, so it is written past them.
      await server.admin(
        `SET session_replication_role = replica;
         INSERT INTO db_tickets.events (seq, ticket, type, actor, at, body)
           SELECT nextval('db_tickets.event_seq'), ${Number(id)}, 'escalated', 'carol', now(),
             jsonb_build_object('type', 'escalated', 'ticket', '${id}', 'uid', uid, 'at', '2026-01-01T00:00:00.000Z', 'by', 'carol')
           FROM db_tickets.tickets WHERE number = ${Number(id)}`,
        team.database,
      );
      return 'escalated';
    },
    pendingCall: async (subject, signal) => {
      const ticket = await subject.submit(baseDraft({ database: shop.name, title: 'Slow export', sql: 'SELECT pg_sleep(30) AS slept' }));
      await (await open('bob', ['approver'])).act(ticket.id, { action: 'approve' });
      return subject.act(ticket.id, { action: 'execute' }, { signal });
    },
    ticketCount: async () => (await real.list({ scope: 'all' }, { size: 1000 })).items.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('Local backend on a team store in PostgreSQL', () => {
  const server = usePostgres();
  const shop = usePostgresShop('teamshop');
  conformance('local (team store)', async () => teamSubject(shop(), server()), { precheck: true });
});
