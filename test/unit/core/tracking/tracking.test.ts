import * as assert from 'node:assert/strict';
import type { TicketSummary } from '../../../../src/core/backend/backend';
import type { TicketState } from '../../../../src/core/model/ticketStatus';
import { defaultIntervals, nextPollDelay } from '../../../../src/core/tracking/pollingPolicy';
import { newReplies, seenKey, transitions } from '../../../../src/core/tracking/transitions';

function ticket(id: string, state: TicketState): TicketSummary {
  return { id, title: `T${id}`, kind: 'DATA_EXPORT', status: { state, native: state }, createdAt: '', updatedAt: '', needsYou: false, actions: [] };
}

describe('tracking tickets', () => {
  describe('new replies', () => {
    it('reports tickets seen before whose unread replies grew, never a ticket seen for the first time', () => {
      const seen = new Map([
        [seenKey('hw', '1'), 0],
        [seenKey('hw', '2'), 1],
        [seenKey('hw', '3'), 2],
      ]);
      const found = newReplies(seen, 'hw', [
        { ...ticket('1', 'pending_approval'), unreadReplies: 1 },
        { ...ticket('2', 'pending_approval'), unreadReplies: 1 },
        { ...ticket('3', 'pending_approval') },
        { ...ticket('4', 'pending_approval'), unreadReplies: 5 },
      ]);
      assert.deepEqual(found.map((t) => t.id), ['1']);
    });
  });

  describe('transitions', () => {
    it('reports only tickets seen before whose state changed', () => {
      const seen = new Map([
        [seenKey('local', '1'), 'pending_approval' as const],
        [seenKey('local', '2'), 'approved' as const],
      ]);
      const found = transitions(seen, 'local', [ticket('1', 'approved'), ticket('2', 'approved'), ticket('3', 'pending_approval')]);
      assert.deepEqual(found.map((t) => [t.ticket.id, t.from, t.ticket.status.state]), [['1', 'pending_approval', 'approved']]);
    });

    it('never reports on a first load', () => {
      assert.deepEqual(transitions(new Map(), 'local', [ticket('1', 'succeeded')]), []);
    });

    it('keeps profiles apart', () => {
      const seen = new Map([[seenKey('dms', '1'), 'pending_approval' as const]]);
      assert.deepEqual(transitions(seen, 'local', [ticket('1', 'approved')]), []);
    });
  });

  describe('polling policy', () => {
    it('looks again soon while a machine works on a ticket', () => {
      assert.equal(nextPollDelay([ticket('1', 'succeeded'), ticket('2', 'executing')], 5), defaultIntervals.movingMs);
    });

    it('looks now and then while tickets wait on people', () => {
      assert.equal(nextPollDelay([ticket('1', 'pending_approval')], 5), defaultIntervals.waitingMs);
    });

    it('backs off while nothing is open, up to a ceiling', () => {
      const finished = [ticket('1', 'succeeded'), ticket('2', 'rejected')];
      const delays = [0, 1, 2, 3, 10].map((quiet) => nextPollDelay(finished, quiet));
      assert.deepEqual(delays, [30_000, 60_000, 120_000, 240_000, 300_000]);
    });
  });
});
