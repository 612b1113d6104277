import type { NativeStatusMap } from '../../../core/model/ticketStatus';
import type { StoreEvent, StoreEventType } from './events';

/** A Local ticket's own states; they are also its native status values. */
export const localStates = [
  'prechecking',
  'precheck_failed',
  'pending_approval',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
] as const;
export type LocalState = (typeof localStates)[number];

export const localStatusMap: NativeStatusMap = {
  prechecking: 'prechecking',
  precheck_failed: 'failed',
  pending_approval: 'pending_approval',
  approved: 'approved',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/** How a state reads in a sentence: "it is pending approval". */
export const localStateLabels: Record<LocalState, string> = {
  prechecking: 'being prechecked',
  precheck_failed: 'blocked by its precheck',
  pending_approval: 'pending approval',
  approved: 'approved',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

/** The states each event may follow; `submitted` starts a ticket. */
const allowedFrom: Record<Exclude<StoreEventType, 'submitted'>, readonly LocalState[] | 'any'> = {
  prechecked: ['prechecking'],
  approved: ['pending_approval'],
  rejected: ['pending_approval'],
  cancelled: ['prechecking', 'pending_approval', 'approved'],
  commented: 'any',
  execution_started: ['approved'],
  execution_succeeded: ['executing'],
  execution_failed: ['executing'],
  execution_cancelled: ['executing'],
};

/** Whether `type` may happen to a ticket in `state`. */
export function canHappen(type: Exclude<StoreEventType, 'submitted'>, state: LocalState): boolean {
  const from = allowedFrom[type];
  return from === 'any' || from.includes(state);
}

/** The states from which `type` may happen, or 'any'. */
export function statesAllowing(type: Exclude<StoreEventType, 'submitted'>): readonly LocalState[] | 'any' {
  return allowedFrom[type];
}

/** The state after `event`, applied to a ticket in `state` (when `canHappen`). */
export function nextState(state: LocalState | undefined, event: StoreEvent): LocalState {
  switch (event.type) {
    case 'submitted':
      return 'prechecking';
    case 'prechecked':
      return event.passed ? 'pending_approval' : 'precheck_failed';
    case 'approved':
      return 'approved';
    case 'rejected':
      return 'rejected';
    case 'cancelled':
      return 'cancelled';
    case 'commented':
      return state ?? 'prechecking';
    case 'execution_started':
      return 'executing';
    case 'execution_succeeded':
      return 'succeeded';
    case 'execution_failed':
      return 'failed';
    case 'execution_cancelled':
      return 'approved';
  }
}
