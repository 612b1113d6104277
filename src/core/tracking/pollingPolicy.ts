import type { TicketSummary } from '../backend/backend';

/** States in which a machine is working on the ticket: worth looking again soon. */
const moving = new Set(['prechecking', 'executing']);
/** States in which a person is expected to act: worth looking now and then. */
const waiting = new Set(['pending_approval', 'needs_you', 'approved', 'draft']);

export interface PollingIntervals {
  movingMs: number;
  waitingMs: number;
  /** With nothing open, the delay doubles after each quiet look, up to this. */
  idleMaxMs: number;
}

export const defaultIntervals: PollingIntervals = { movingMs: 5_000, waitingMs: 30_000, idleMaxMs: 300_000 };

/**
 * How long until the next look: short while a ticket is moving, longer while tickets wait on people, and
 * backing off while nothing is open at all (`quietLooks` counts the looks since anything changed).
 */
export function nextPollDelay(tickets: readonly TicketSummary[], quietLooks: number, intervals: PollingIntervals = defaultIntervals): number {
  if (tickets.some((t) => moving.has(t.status.state))) return intervals.movingMs;
  if (tickets.some((t) => waiting.has(t.status.state))) return intervals.waitingMs;
  return Math.min(intervals.waitingMs * 2 ** Math.max(0, quietLooks), intervals.idleMaxMs);
}
