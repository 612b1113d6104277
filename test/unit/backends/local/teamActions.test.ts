import * as assert from 'node:assert/strict';
import { actionsFor, type LocalRole, type Viewer } from '../../../../src/backends/local/ticketActions';
import type { LocalState } from '../../../../src/backends/local/store/transitions';

const member = (name: string, roles: LocalRole[], selfApproval = false): Viewer => ({ name, team: { roles: new Set(roles), selfApproval } });
const ticket = (state: LocalState) => ({ state, submitter: 'ann' });

describe('the actions a team store offers each member', () => {
  it('offers what the state allows to everyone on a folder store', () => {
    assert.deepEqual(actionsFor(ticket('pending_approval'), { name: 'zed' }), ['approve', 'reject', 'cancel', 'comment']);
  });

  it('offers approving and rejecting to approvers only, and approving one\'s own ticket only where self-approval is on', () => {
    assert.deepEqual(actionsFor(ticket('pending_approval'), member('bob', ['approver'])), ['approve', 'reject', 'cancel', 'comment']);
    assert.deepEqual(actionsFor(ticket('pending_approval'), member('carol', ['submitter'])), ['comment']);
    assert.deepEqual(actionsFor(ticket('pending_approval'), member('ann', ['submitter', 'approver'])), ['reject', 'cancel', 'comment']);
    assert.deepEqual(actionsFor(ticket('pending_approval'), member('ann', ['submitter', 'approver'], true)), ['approve', 'reject', 'cancel', 'comment']);
  });

  it('offers executing to executors, cancelling to the submitter or an approver, and nothing to a role without team roles', () => {
    assert.deepEqual(actionsFor(ticket('approved'), member('ann', ['submitter'])), ['cancel', 'comment']);
    assert.deepEqual(actionsFor(ticket('approved'), member('eve', ['executor'])), ['execute', 'comment']);
    assert.deepEqual(actionsFor(ticket('approved'), member('nobody', [])), []);
  });
});
