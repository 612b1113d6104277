import type { TicketAction } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import type { StoreEventType } from './store/events';
import type { TicketRecord } from './store/ticketProjection';
import { type LocalState, localStateLabels, statesAllowing } from './store/transitions';

/** The actions the Local backend has, and the event each one appends. */
export const localActions = ['approve', 'reject', 'execute', 'cancel', 'comment'] as const satisfies readonly TicketAction[];
export type LocalAction = (typeof localActions)[number];

export const actionEvents: Record<LocalAction, Exclude<StoreEventType, 'submitted'>> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  execute: 'execution_started',
  comment: 'commented',
};

const participles: Record<LocalAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  execute: 'executed',
  comment: 'commented on',
};

const finalStates: readonly LocalState[] = ['precheck_failed', 'succeeded', 'failed', 'rejected', 'cancelled'];

export function isLocalAction(action: string): action is LocalAction {
  return (localActions as readonly string[]).includes(action);
}

/** Actions that apply to a ticket in `state`. */
export function actionsIn(state: LocalState): LocalAction[] {
  return localActions.filter((action) => {
    const from = statesAllowing(actionEvents[action]);
    return from === 'any' || from.includes(state);
  });
}

/** The team roles a member of a team store may hold. */
export type LocalRole = 'submitter' | 'approver' | 'executor';

/** Who looks at the tickets: their name, and on a team store the roles they hold there (a folder store has none). */
export interface Viewer {
  name: string;
  team?: { roles: ReadonlySet<LocalRole>; selfApproval: boolean };
}

/**
 * The actions the viewer may take on the ticket now: those its state allows, and on a team store only those the
 * database would let them record (approve and reject for approvers, execute for executors, cancel for the submitter
 * or an approver, comments for any member).
 */
export function actionsFor(ticket: Pick<TicketRecord, 'state' | 'submitter'>, { name, team }: Viewer): LocalAction[] {
  const allowed = actionsIn(ticket.state);
  if (!team) return allowed;
  const { roles, selfApproval } = team;
  return allowed.filter((action) => {
    switch (action) {
      case 'approve':
        return roles.has('approver') && (ticket.submitter !== name || selfApproval);
      case 'reject':
        return roles.has('approver');
      case 'execute':
        return roles.has('executor');
      case 'cancel':
        return ticket.submitter === name || roles.has('approver');
      case 'comment':
        return roles.size > 0;
    }
  });
}

/** Whether the ticket is finished and may be re-submitted as a new draft. */
function canRedraft(state: LocalState): boolean {
  return finalStates.includes(state);
}

/** The 'conflict' error for an action the ticket's state does not allow: what state it is in, what it needs, what it allows. */
/** Nothing is done to a ticket whose state this version cannot decide. */
export function unknownState(ticket: TicketRecord): DbTicketsError {
  return new DbTicketsError(
    'conflict',
    `Ticket #${ticket.id} has a change this version of DB Tickets does not know ("${ticket.unknownEvent}"), so its state cannot be decided here: update DB Tickets, then try again.`,
  );
}

export function actionConflict(ticket: TicketRecord, action: LocalAction): DbTicketsError {
  const from = statesAllowing(actionEvents[action]);
  const needs = from === 'any' ? '' : ` A ticket can be ${participles[action]} only while ${joinOr(from.map((state) => localStateLabels[state]))}.`;
  const allowed: string[] = actionsIn(ticket.state);
  if (canRedraft(ticket.state)) allowed.push('re-submit as a new draft');
  const hint =
    ticket.state === 'executing' && action === 'cancel' ? ' To stop the execution, cancel the operation that runs it.' : '';
  return new DbTicketsError(
    'conflict',
    `Ticket #${ticket.id} cannot be ${participles[action]}: it is ${localStateLabels[ticket.state]}.${needs} What #${ticket.id} allows now: ${allowed.join(', ')}.${hint}`,
  );
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
