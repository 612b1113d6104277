import * as z from '../zod';

/** The normalized lifecycle every backend's statuses map into. */
export const TicketState = z.lazySchema(() =>
  z.enum([
    'draft',
    'prechecking',
    'pending_approval',
    'needs_you',
    'approved',
    'executing',
    'succeeded',
    'failed',
    'rejected',
    'cancelled',
    'unknown',
  ]),
);
export type TicketState = z.infer<typeof TicketState>;

export const ticketStateLabels: Record<TicketState, string> = {
  draft: 'draft',
  prechecking: 'prechecking',
  pending_approval: 'pending approval',
  needs_you: 'needs you',
  approved: 'approved',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled/closed',
  unknown: 'unknown',
};

/** A ticket's status: the normalized state and the backend's own value, which is always kept and shown. */
export const TicketStatus = z.lazySchema(() => z.object({ state: TicketState, native: z.string() }));
export type TicketStatus = z.infer<typeof TicketStatus>;

/** A backend's native status values and the states they mean. */
export type NativeStatusMap = Readonly<Record<string, Exclude<TicketState, 'unknown'>>>;

/** Maps a native status; a value the backend has not declared becomes `unknown`, never an error. */
export function normalizeStatus(native: string, map: NativeStatusMap): TicketStatus {
  const state = Object.hasOwn(map, native) ? map[native] : 'unknown';
  return { state, native };
}

/** How a status reads: "pending approval", or "unknown (AUDITING)" for an undeclared native value. */
export function statusLabel(status: TicketStatus): string {
  return status.state === 'unknown' ? `unknown (${status.native})` : ticketStateLabels[status.state];
}

/** States after which a ticket no longer changes. */
export function isFinalState(state: TicketState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'rejected' || state === 'cancelled';
}
