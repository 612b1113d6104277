import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { renderDraftDocument } from '../../src/core/draft/draftDocument';
import { useTicketsFixture } from './fixture';

/** Makes the workspace look untrusted (Restricted Mode) to the extension until the returned function runs. */
function restrictedMode(): () => void {
  const own = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
  Object.defineProperty(vscode.workspace, 'isTrusted', { get: () => false, configurable: true });
  return () => (own ? Object.defineProperty(vscode.workspace, 'isTrusted', own) : delete (vscode.workspace as { isTrusted?: boolean }).isTrusted);
}

describe('Workspace Trust', function () {
  this.timeout(60_000);
  const suite = useTicketsFixture();

  it('in Restricted Mode runs no SQL against a Local database: execute and submit are refused, saying how to trust', async () => {
    const { backend, node, stub, submitExport } = suite();
    const ticket = await submitExport('Export in restricted mode');
    await backend.act(ticket.id, { action: 'approve' });
    const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    const trusted = restrictedMode();
    try {
      assert.equal(vscode.workspace.isTrusted, false);
      await vscode.commands.executeCommand('dbTickets.execute', await node(ticket.id));
      assert.match(String(errors.calls[0]?.[0]), /^Executing ticket #\d+ runs SQL against your databases, which DB Tickets does not do in Restricted Mode: trust this workspace \(Manage Workspace Trust\)/);
      assert.equal((await backend.get(ticket.id)).status.state, 'approved', 'nothing ran');

      const uri = vscode.Uri.from({ scheme: 'db-tickets-draft', path: '/restricted.sql', query: randomUUID() });
      const text = renderDraftDocument({ kind: 'DATA_EXPORT', kindReason: 'chosen', profile: 'local', database: 'demo', title: 'Restricted', reason: 'trust test' }, 'SELECT 1;');
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await vscode.commands.executeCommand('dbTickets.submitDraft', uri);
      assert.match(String(errors.calls[1]?.[0]), /^Submitting to profile "local" runs SQL against your databases/);
      assert.ok(!(await backend.list({}, { size: 50 })).items.some((t) => t.title === 'Restricted'), 'nothing was filed');
    } finally {
      trusted();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
