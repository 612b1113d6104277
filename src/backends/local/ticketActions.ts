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
