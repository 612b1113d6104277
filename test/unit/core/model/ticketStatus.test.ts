import * as assert from 'node:assert/strict';
import { type NativeStatusMap, isFinalState, normalizeStatus, statusLabel } from '../../../../src/core/model/ticketStatus';

const dms: NativeStatusMap = { new: 'pending_approval', approved: 'approved', processing: 'executing', success: 'succeeded', reject: 'rejected', closed: 'cancelled' };

describe('ticket status', () => {
  it('maps a native status to the lifecycle and keeps the native value', () => {
    assert.deepEqual(normalizeStatus('new', dms), { state: 'pending_approval', native: 'new' });
    assert.equal(statusLabel(normalizeStatus('new', dms)), 'pending approval');
    assert.equal(statusLabel(normalizeStatus('closed', dms)), 'cancelled/closed');
  });

  it('maps an undeclared native value to a visible unknown state instead of failing', () => {
    const status = normalizeStatus('AUDITING_BY_DBA', dms);
    assert.deepEqual(status, { state: 'unknown', native: 'AUDITING_BY_DBA' });
    assert.equal(statusLabel(status), 'unknown (AUDITING_BY_DBA)');
    assert.equal(normalizeStatus('toString', dms).state, 'unknown');
  });

  it('knows which states are final', () => {
    assert.deepEqual(
      (['pending_approval', 'executing', 'succeeded', 'failed', 'rejected', 'cancelled', 'unknown'] as const).map(isFinalState),
      [false, false, true, true, true, true, false],
    );
  });
});
