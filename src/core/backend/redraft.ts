import { randomUUID } from 'node:crypto';
import { DbTicketsError } from '../errors';
import type { TicketDraft } from '../model/ticketDraft';
import { isFinalState, statusLabel } from '../model/ticketStatus';
import type { TicketDetail } from './backend';

/**
 * A new draft (with a new id) from a finished ticket, to fix and submit again; `backendFields` adds what only the
 * backend re-submits (the ticket it replaces is always recorded as `resubmitOf`). Attachments are not carried over.
 */
export function redraftOf(ticket: TicketDetail, backendFields: Record<string, unknown> = {}): TicketDraft {
  if (!isFinalState(ticket.status.state)) {
    throw new DbTicketsError(
      'conflict',
      `Ticket #${ticket.id} is not finished (${statusLabel(ticket.status)}), so it cannot be re-submitted as a new draft yet: only a rejected, failed, cancelled or succeeded ticket can. Cancel it first if it should be replaced.`,
    );
  }
  if (!ticket.kind) {
    throw new DbTicketsError('usage', `Ticket #${ticket.id} is of a type DB Tickets does not create (${ticket.status.native}): create it again in the service itself.`);
  }
  return {
    id: randomUUID(),
    title: ticket.title,
    kind: ticket.kind,
    sql: ticket.sql,
    database: ticket.database ?? '',
    reason: ticket.reason ?? '',
    stakeholders: ticket.stakeholders.map((user) => user.id),
    estimatedRows: ticket.estimatedRows,
    attachments: [],
    backendFields: { resubmitOf: ticket.id, ...backendFields },
  };
}
