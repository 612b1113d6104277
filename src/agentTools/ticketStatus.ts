import type { TicketAction, TicketDetail } from '../core/backend/backend';
import { failedChecks } from '../core/backend/ticketText';
import { statusLabel } from '../core/model/ticketStatus';

/** Who moves a ticket on from where it is. */
export type NextActor = 'you' | 'approver' | 'executor' | 'service' | 'submitter' | 'nobody';

export interface StatusExplanation {
  state: string;
  label: string;
  native: string;
  /** One or two sentences: where the ticket is, why. */
  summary: string;
  nextActor: NextActor;
  /** What happens next, or what to do. */
  nextStep: string;
  /** The actions the current user may take now, as the backend says. */
  yourActions: TicketAction[];
}

/**
 * A ticket's status in plain words: where it is, who must act next and what they do. Who may act comes from the
 * backend itself — each ticket's `actions` and `needsYou` (the Local backend's `actionsFor` and `needsActor`, the
 * services' own answers) — so this never guesses at a service's rules.
 */
export function explainStatus(ticket: TicketDetail): StatusExplanation {
  const { state } = ticket.status;
  const actions = ticket.actions.filter((action) => action !== 'comment');
  const base = { state, label: statusLabel(ticket.status), native: ticket.status.native, yourActions: actions };
  const mine = ticket.needsYou;
  const current = ticket.approvals.find((step) => step.state === 'current');
  const approvers = current?.approvers.map((user) => user.name).join(', ');
  const failed = failedChecks(ticket.precheck);
  switch (state) {
    case 'draft':
      return { ...base, summary: 'The ticket is a draft on the service and has not been submitted.', nextActor: 'submitter', nextStep: 'The submitter completes and submits it.' };
    case 'prechecking':
      return { ...base, summary: 'The service is prechecking the SQL.', nextActor: 'service', nextStep: 'Wait: the ticket goes to approval when the precheck passes, or fails with its findings.' };
    case 'pending_approval':
    case 'needs_you':
      if (mine || state === 'needs_you') {
        return { ...base, summary: 'The ticket waits for approval, and you may decide.', nextActor: 'you', nextStep: `You ${actions.includes('approve') ? 'approve or reject it' : `act on it (${actions.join(', ') || 'on the service'})`}.` };
      }
      return {
        ...base,
        summary: `The ticket waits for approval${current ? ` at the step "${current.name}"` : ''}.`,
        nextActor: 'approver',
        nextStep: `${approvers ? `An approver (${approvers})` : 'An approver'} approves or rejects it${actions.includes('approve') ? '; you may decide too, as the service allows it' : ''}${actions.includes('cancel') ? '; you may still cancel it' : ''}.`,
      };
    case 'approved':
      if (mine || actions.includes('execute')) {
        return { ...base, summary: 'The ticket is approved and ready to run.', nextActor: 'you', nextStep: 'You execute it (the Execute action, or db-tickets execute ID).' };
      }
      return { ...base, summary: 'The ticket is approved.', nextActor: 'executor', nextStep: 'The person who runs approved tickets executes it; nothing runs until then.' };
    case 'executing':
      return { ...base, summary: 'The ticket\'s SQL is running.', nextActor: 'service', nextStep: 'Wait for it to succeed or fail.' };
    case 'succeeded':
      return ticket.execution?.hasResult
        ? { ...base, summary: 'The export ran and its result is ready.', nextActor: 'you', nextStep: 'Download the result (the Download action, or db-tickets download ID).' }
        : { ...base, summary: 'The ticket ran successfully.', nextActor: 'nobody', nextStep: 'Nothing: the ticket is finished.' };
    case 'failed': {
      const why = failed.length > 0 ? `Its precheck failed: ${failed.join('; ')}` : `It failed${ticket.execution?.message ? `: ${ticket.execution.message}` : '.'}`;
      return { ...base, summary: why, nextActor: 'submitter', nextStep: 'The submitter fixes the SQL and files a new ticket (Re-submit as New Draft keeps the fields).' };
    }
    case 'rejected': {
      const decision = ticket.approvals.find((step) => step.state === 'rejected');
      const by = decision?.actedBy ? ` by ${decision.actedBy.name}` : '';
      return { ...base, summary: `The ticket was rejected${by}${decision?.comment ? `: "${decision.comment}"` : ''}.`, nextActor: 'submitter', nextStep: 'The submitter addresses the rejection and files a new ticket, if it is still needed.' };
    }
    case 'cancelled':
      return { ...base, summary: 'The ticket was cancelled or closed.', nextActor: 'nobody', nextStep: 'Nothing: file a new ticket if the work is still needed.' };
    case 'unknown':
      return { ...base, summary: `The service reports a status DB Tickets does not know ("${ticket.status.native}").`, nextActor: 'service', nextStep: 'Look at the ticket on the service to see what it waits for.' };
  }
}

/** The explanation as a few lines of text. */
export function explanationText(ticket: Pick<TicketDetail, 'id' | 'title'>, explanation: StatusExplanation): string {
  const actions = explanation.yourActions.length > 0 ? `\nYour actions now: ${explanation.yourActions.join(', ')}.` : '';
  return `#${ticket.id} ${ticket.title} — ${explanation.label}.\n${explanation.summary}\nNext to act: ${explanation.nextActor}. ${explanation.nextStep}${actions}`;
}
