import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DbTicketsError } from '../../../core/errors';
import { locateStoredResult } from '../storedResult';
import type { StoreEvent } from '../store/events';
import type { StoreProblem } from '../store/storeProblems';
import type { TicketRecord } from '../store/ticketProjection';
import { TicketStore } from '../store/ticketStore';
import { storeResultChunks } from './teamTicketStore';

export interface MigrationReport {
  from: string;
  to: string;
  tickets: { found: number; copied: number; already: number; refused: Array<{ id: string; why: string }> };
  events: { found: number; copied: number; already: number };
  results: { copied: number; already: number; missing: Array<{ id: string; why: string }> };
  /** Lines of the folder's log that were not trusted, and so not copied (as `store check` lists them). */
  problems: StoreProblem[];
  /** Tickets whose state or number of events differ between the folder and the database after the copy. */
  mismatches: string[];
}

/**
 * Copies a folder store's tickets (their events, and exports' results) into a team store, keeping numbers, authors
 * and times. Each event is copied with its origin (the ticket's key and the event's place in its history), so a run
 * made again copies nothing twice. Each ticket is copied in a transaction of its own: one that cannot be (its
 * number is taken by another ticket in the database) is reported and skipped whole. Needs the schema's owner: only
 * it may record events in other people's names. Ends by comparing each copied ticket's state and history length.
 */
export async function migrateFolder(folder: string, client: pg.ClientBase, location: string): Promise<MigrationReport> {
  const store = new TicketStore(folder);
  const problems = [...(await store.readWholeLog())];
  const tickets = [...(await store.read()).inLogOrder()];
  const report: MigrationReport = {
    from: store.logFile,
    to: location,
    tickets: { found: tickets.length, copied: 0, already: 0, refused: [] },
    events: { found: 0, copied: 0, already: 0 },
    results: { copied: 0, already: 0, missing: [] },
    problems,
    mismatches: [],
  };
  for (const ticket of tickets) {
    const events = ticket.events;
    report.events.found += events.length;
    if (ticket.id !== ticket.number) {
      report.tickets.refused.push({ id: ticket.id, why: `its number ${ticket.number} belongs to another ticket of the same log (two merged copies): the team store keeps one ticket per number` });
      continue;
    }
    await client.query('BEGIN');
    try {
      let copied = 0;
      for (const [index, event] of events.entries()) {
        const origin = originOf(ticket, index);
        const { rowCount } = await client.query('INSERT INTO db_tickets.events (body, origin) VALUES ($1, $2)', [JSON.stringify(event), origin]);
        copied += rowCount ?? 0;
      }
      const shared = await copyResult(client, folder, ticket, events);
      await client.query('COMMIT');
      report.events.copied += copied;
      report.events.already += events.length - copied;
      if (copied === 0) report.tickets.already++;
      else report.tickets.copied++;
      if (shared === 'copied') report.results.copied++;
      else if (shared === 'already') report.results.already++;
      else if (shared) report.results.missing.push({ id: ticket.id, why: shared.missing });
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const { code, message } = error as { code?: string; message?: string };
      if (code === 'DT403') throw new DbTicketsError('auth', `${message} Run store migrate as the owner of the db_tickets schema (the role that ran store init).`, { cause: error });
      if (!code?.startsWith('DT')) throw error;
      report.tickets.refused.push({ id: ticket.id, why: message ?? String(error) });
    }
  }
  report.mismatches = await compare(client, tickets.filter((ticket) => !report.tickets.refused.some((refused) => refused.id === ticket.id)));
  return report;
}

/** Where an event of a folder store's ticket came from: the same on every run over the same log. */
function originOf(ticket: TicketRecord, index: number): string {
  const key = ticket.uid ?? `${ticket.number}@${ticket.createdAt}`;
  return `folder:${createHash('sha256').update(`${key}\n${index}`).digest('hex').slice(0, 32)}`;
}

/** Copies an export's result file into the database, unless it is there already. */
async function copyResult(client: pg.ClientBase, folder: string, ticket: TicketRecord, events: readonly StoreEvent[]): Promise<'copied' | 'already' | { missing: string } | undefined> {
  const ended = events.findLast((event) => event.type === 'execution_succeeded');
  const result = ended?.type === 'execution_succeeded' ? ended.result : undefined;
  if (!result) return undefined;
  const { rowCount } = await client.query('SELECT 1 FROM db_tickets.results WHERE ticket = $1 LIMIT 1', [Number(ticket.number)]);
  if (rowCount) return 'already';
  let file: string;
  try {
    file = await locateStoredResult(folder, ticket.id, result.file);
  } catch (error) {
    return { missing: (error as Error).message };
  }
  await storeResultChunks(client, ticket.number, file);
  return 'copied';
}

async function compare(client: pg.ClientBase, tickets: readonly TicketRecord[]): Promise<string[]> {
  const { rows } = await client.query<{ number: number; state: string; events: string }>(
    'SELECT t.number, t.state, (SELECT count(*) FROM db_tickets.events e WHERE e.ticket = t.number) AS events FROM db_tickets.tickets t WHERE t.number = ANY($1)',
    [tickets.map((ticket) => Number(ticket.number))],
  );
  const stored = new Map(rows.map((row) => [String(row.number), row]));
  return tickets.flatMap((ticket) => {
    const row = stored.get(ticket.number);
    if (!row) return [`#${ticket.id} is not in the database`];
    // More events in the database than in the folder: the team went on with the ticket after an earlier copy.
    if (Number(row.events) < ticket.events.length) return [`#${ticket.id} has ${row.events} events in the database, ${ticket.events.length} in the folder`];
    if (Number(row.events) === ticket.events.length && row.state !== ticket.state) return [`#${ticket.id} is ${row.state} in the database, ${ticket.state} in the folder`];
    return [];
  });
}
