import { sqlExcerpt } from '../../core/sql/excerpt';
import type { ExecutionSummary, TicketDetail, TicketEvent, TicketSummary, UserRef } from '../../core/backend/backend';
import { normalizeStatus } from '../../core/model/ticketStatus';
import type { StoreEvent } from './store/events';
import type { TicketProjection, TicketRecord } from './store/ticketProjection';
import { localStatusMap } from './store/transitions';
import { actionsFor, type Viewer } from './ticketActions';

export function user(name: string): UserRef {
  return { id: name, name };
}

/**
 * Whether the viewer is expected to act. In a folder store anyone may approve, but a ticket is flagged only to people
 * other than its submitter (self-approval stays possible), and an approved ticket waits for its submitter to execute
 * it. On a team store, a pending ticket waits for the approvers (its submitter among them only where self-approval is
 * allowed) and an approved one for the executors.
 */
export function needsActor(ticket: TicketRecord, { name, team }: Viewer): boolean {
  if (ticket.state === 'pending_approval') return team ? team.roles.has('approver') && (ticket.submitter !== name || team.selfApproval) : ticket.submitter !== name;
  if (ticket.state === 'approved') return team ? team.roles.has('executor') : ticket.submitter === name;
  return false;
}

export function toSummary(ticket: TicketRecord, viewer: Viewer): TicketSummary {
  return {
    id: ticket.id,
    title: ticket.title,
    kind: ticket.kind,
    status: normalizeStatus(ticket.unknownEvent ?? ticket.state, localStatusMap),
    database: ticket.database,
    submitter: user(ticket.submitter),
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    needsYou: !ticket.unknownEvent && needsActor(ticket, viewer),
    actions: ticket.unknownEvent ? [] : actionsFor(ticket, viewer),
    sqlExcerpt: sqlExcerpt(ticket.sql),
    approver: ticket.decidedBy === undefined ? undefined : user(ticket.decidedBy),
  };
}

export function toDetail(ticket: TicketRecord, viewer: Viewer, tickets: TicketProjection): TicketDetail {
  const decision = ticket.decision;
  const approval = decision?.type === 'approved' || decision?.type === 'rejected' ? decision : undefined;
  return {
    ...toSummary(ticket, viewer),
    sql: ticket.sql,
    reason: ticket.reason,
    stakeholders: ticket.stakeholders.map(user),
    estimatedRows: ticket.estimatedRows,
    precheck: ticket.precheck && { passed: ticket.precheck.passed, items: ticket.precheck.items },
    approvals: [
      {
        name: 'Approval',
        state: approval ? approval.type : ticket.state === 'pending_approval' ? 'current' : ticket.state === 'cancelled' || ticket.state === 'precheck_failed' ? 'skipped' : 'waiting',
        approvers: [],
        actedBy: approval && user(approval.by),
        at: approval?.at,
        comment: approval?.comment,
      },
    ],
    comments: ticket.comments.map((event) => ({ author: user(event.by), at: event.at, text: event.comment })),
    attachments: [],
    execution: execution(ticket),
    history: history(ticket, tickets),
  };
}

function execution(ticket: TicketRecord): ExecutionSummary | undefined {
  if (!ticket.execution) return undefined;
  const { started, ended } = ticket.execution;
  const summary: ExecutionSummary = { startedAt: started.at, finishedAt: ended?.at, hasResult: false };
  if (ended?.type === 'execution_succeeded') {
    summary.rows = ended.rows;
    summary.statements = ended.statements;
    summary.hasResult = ended.result !== undefined;
  } else if (ended?.type === 'execution_failed') {
    summary.message = ended.message;
    summary.statements = ended.statements;
  } else if (ended) {
    summary.message = ended.message;
  }
  return summary;
}

function history(ticket: TicketRecord, tickets: TicketProjection): TicketEvent[] {
  const entries = ticket.events.map((event) => ({ at: event.at, actor: user(event.by), action: describe(event, ticket), comment: commentOf(event) }));
  for (const id of ticket.resubmittedAs) {
    const next = tickets.get(id);
    if (next) entries.push({ at: next.createdAt, actor: user(next.submitter), action: `re-submitted as #${id}`, comment: undefined });
  }
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map(({ comment, ...entry }) => (comment === undefined ? entry : { ...entry, comment }));
}

function describe(event: StoreEvent, ticket: TicketRecord): string {
  switch (event.type) {
    case 'submitted':
      return event.resubmitOf ? `submitted (re-submits #${event.resubmitOf})` : 'submitted';
    case 'prechecked': {
      if (!event.passed) return 'precheck failed';
      const warnings = event.items.filter((item) => item.status === 'warning').length;
      return warnings === 0 ? 'precheck passed' : `precheck passed with ${warnings} warning${warnings === 1 ? '' : 's'}`;
    }
    case 'approved':
      return event.self ? 'approved (self-approval)' : 'approved';
    case 'rejected':
    case 'cancelled':
    case 'commented':
      return event.type;
    case 'execution_started':
      return 'execution started';
    case 'execution_succeeded':
      return `execution succeeded: ${event.rows} row${event.rows === 1 ? '' : 's'} ${ticket.kind === 'DATA_EXPORT' ? 'exported' : 'affected'}`;
    case 'execution_failed':
      if (event.interrupted) return 'execution interrupted';
      return event.stoppedAt === undefined ? 'execution failed' : `execution failed at statement ${event.stoppedAt}`;
    case 'execution_cancelled':
      return event.interrupted ? 'execution interrupted' : 'execution cancelled';
  }
}

function commentOf(event: StoreEvent): string | undefined {
  switch (event.type) {
    case 'approved':
    case 'rejected':
    case 'cancelled':
    case 'commented':
      return event.comment;
    case 'prechecked':
      return event.passed ? undefined : event.items.filter((item) => item.status === 'failed').map((item) => item.message).join('\n');
    case 'execution_failed':
    case 'execution_cancelled':
      return event.message;
    default:
      return undefined;
  }
}
