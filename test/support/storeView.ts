import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TicketProjection, TicketRecord } from '../../src/backends/local/store/ticketProjection';
import { TicketStore } from '../../src/backends/local/store/ticketStore';

/** Everything a ticket shows: its facts and its whole history (not where its lines are). */
export function ticketView(ticket: TicketRecord): unknown {
  return {
    id: ticket.id,
    number: ticket.number,
    uid: ticket.uid,
    draftId: ticket.draftId,
    title: ticket.title,
    kind: ticket.kind,
    database: ticket.database,
    reason: ticket.reason,
    stakeholders: ticket.stakeholders,
    estimatedRows: ticket.estimatedRows,
    format: ticket.format,
    sql: ticket.sql,
    submitter: ticket.submitter,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    state: ticket.state,
    unknownEvent: ticket.unknownEvent,
    resubmitOf: ticket.resubmitOf,
    resubmittedAs: ticket.resubmittedAs,
    decidedBy: ticket.decidedBy,
    participants: [...ticket.participants],
    events: ticket.events,
    precheck: ticket.precheck,
    decision: ticket.decision,
    execution: ticket.execution,
    comments: ticket.comments,
  };
}

/** Everything a store tells, as JSON: tickets newest first (with where their lines are), lookups, problems. */
export function storeView(store: TicketStore, tickets: TicketProjection): string {
  return JSON.stringify({
    tickets: tickets.newestFirst().map((ticket) => ({ ...(ticketView(ticket) as object), spans: ticket.spans })),
    inLogOrder: [...tickets.inLogOrder()].map((ticket) => ticket.id),
    byDraft: [...tickets.inLogOrder()].map((ticket) => tickets.findByDraft(ticket.draftId)?.id),
    executing: tickets.executing().map((ticket) => ticket.id),
    nextId: tickets.nextId(),
    problems: store.problems.map(({ line, kind, what }) => ({ line, kind, what })),
    unchecked: store.uncheckedLines,
  });
}

/** What a full replay of the log in `folder` tells, read from a copy of the log alone (no snapshot). */
export async function fullReplayView(folder: string): Promise<string> {
  const copy = mkdtempSync(join(tmpdir(), 'db-tickets-replay-'));
  try {
    const log = join(folder, TicketStore.logName);
    if (existsSync(log)) copyFileSync(log, join(copy, TicketStore.logName));
    const store = new TicketStore(copy, { snapshotEvery: Infinity });
    return storeView(store, await store.read());
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
