import * as assert from 'node:assert/strict';
import { DetailsPanelState, parseWebviewMessage } from '../../../../src/vscode/details/detailsMessages';

describe('details panel messages', () => {
  it('accepts the page being ready and the whitelisted actions', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    for (const action of ['approve', 'reject', 'execute', 'cancel', 'close', 'urge', 'transfer', 'comment', 'download', 'redraft', 'copyId', 'openInBrowser', 'openAsText', 'refresh']) {
      assert.deepEqual(parseWebviewMessage({ type: 'action', action }), { ok: true, message: { type: 'action', action } });
    }
  });

  it('refuses other commands, other types, extra fields and non-objects, saying why', () => {
    const refused = [
      { type: 'action', action: 'workbench.action.terminal.new' },
      { type: 'action', action: 'dbTickets.approve' },
      { type: 'action', action: 'approve', id: '7' },
      { type: 'action', action: 'approve', profile: 'prod' },
      { type: 'action' },
      { type: 'command', command: 'approve' },
      { type: 'ready', html: '<img>' },
      'approve',
      null,
      42,
      [],
    ];
    for (const raw of refused) {
      const result = parseWebviewMessage(raw);
      assert.equal(result.ok, false, JSON.stringify(raw));
      assert.ok(!result.ok && result.reason.length > 0);
    }
  });

  it('restores a panel only from a state naming a profile and a ticket', () => {
    assert.equal(DetailsPanelState.safeParse({ profile: 'local', id: '3', scrollY: 120 }).success, true);
    assert.equal(DetailsPanelState.safeParse({ profile: '', id: '3' }).success, false);
    assert.equal(DetailsPanelState.safeParse({ id: '3' }).success, false);
    assert.equal(DetailsPanelState.safeParse(undefined).success, false);
  });
});
