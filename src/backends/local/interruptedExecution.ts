import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionOutcome } from './execution';
import type { HeartbeatSite } from './executionHeartbeat';
import type { TicketRecord } from './store/ticketProjection';

/**
 * What a reader records for an execution whose process is gone (`reason`): an export changed nothing, so it is
 * approved again to be run again; a change may have been partly applied, so it is failed.
 */
export function interruptedOutcome(ticket: TicketRecord, reason: string): ExecutionOutcome {
  if (ticket.kind === 'DATA_EXPORT') {
    return {
      type: 'execution_cancelled',
      interrupted: true,
      message: `The export stopped before it finished: ${reason}. An export changes nothing, so its partial file was deleted and the ticket is approved again: execute it when ready.`,
    };
  }
  return {
    type: 'execution_failed',
    interrupted: true,
    message:
      `The change stopped before its outcome was recorded: ${reason}. A change that ran in one transaction (PostgreSQL, SQLite, the demo database, or data changes only) ` +
      'is rolled back by the database when its process dies; on MySQL/MariaDB, DDL statements that finished stay applied. Check the database, then re-submit the ticket as a new draft if it is still needed.',
  };
}

/** Deletes what an interrupted execution left: its heartbeat, and an export's unrecorded result files (`*.partial`). */
export async function removeLeftovers(folder: string, heartbeats: HeartbeatSite, ticket: TicketRecord): Promise<void> {
  await heartbeats.remove(ticket.id);
  if (ticket.kind === 'DATA_EXPORT') await rm(join(folder, 'results', ticket.id), { recursive: true, force: true });
}
