import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Backends } from '../../src/vscode/profiles/backends';
import { createThroughFlow } from './quickInputDriver';
import { activateExtension, stubWindow, hostContext, until, useLocalStore } from './stubs';


/** Opens a draft for the export query of orders.sql, as the create command does. */
async function exportDraft(): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0];
  const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'orders.sql'));
  editor.selection = new vscode.Selection(1, 0, 5, 30);
  return createThroughFlow('dbTickets.createDataExportTicket');
}

/** Types a value into a header line, as a user would. */
async function fill(editor: vscode.TextEditor, field: string, value: string): Promise<void> {
  const line = [...Array(editor.document.lineCount).keys()].map((i) => editor.document.lineAt(i)).find((l) => l.text.startsWith(`-- ${field}:`));
  assert.ok(line, `no ${field} line`);
  await editor.edit((edit) => edit.replace(line.range, `-- ${field}: ${value}`));
}

describe('submitting a draft', function () {
  this.timeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-submit-'));
  const restores: Array<() => void> = [];

  before(async () => {
    await activateExtension();
    await useLocalStore(join(folder, 'store'));
  });
  afterEach(async () => {
    restores.splice(0).forEach((restore) => restore());
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
  after(async () => {
    await useLocalStore(undefined);
  });

  it('sends the draft from its CodeLens, says which ticket it became, opens it, and marks the query in its file with it', async () => {
    const draft = await exportDraft();
    await fill(draft, 'Database', 'demo');
    await fill(draft, 'Title', 'Recent orders');
    await fill(draft, 'Reason', 'weekly report');
    const info = stubWindow('showInformationMessage', (async () => 'Open') as typeof vscode.window.showInformationMessage);
    restores.push(info.restore);
    const sql = draft.document.getText().slice(draft.document.getText().indexOf('\n\n') + 2);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', draft.document.uri);
    const submit = lenses.find((lens) => lens.command?.command === 'dbTickets.submitDraft');
    assert.equal(submit?.command?.title, '$(send) Submit Ticket');
    assert.equal(submit.range.start.line, 0);
    await vscode.commands.executeCommand(submit.command!.command, ...(submit.command!.arguments ?? []));

    assert.deepEqual(info.calls[0], ['Ticket #1 submitted — pending approval', 'Open', 'Copy ID']);
    const isDetails = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputWebview && tab.label === '#1 Recent orders';
    await until(() => vscode.window.tabGroups.all.some((group) => group.tabs.some(isDetails)), 'the details of #1 are open');
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isDetails));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(!tabs.some((tab) => (tab.input as { uri?: vscode.Uri }).uri?.toString() === draft.document.uri.toString()), 'the submitted draft is still open');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(draft.document.uri)), 'the submitted draft was not deleted');
    const backends = new Backends(hostContext(folder));
    try {
      const backend = await backends.get(backends.profiles()[0]);
      const ticket = await backend.get('1');
      assert.equal(ticket.title, 'Recent orders');
      assert.equal(ticket.database, 'demo');
      assert.equal(ticket.reason, 'weekly report');
      assert.equal(ticket.sql, sql);

      // Back in orders.sql, the query carries its ticket and status, follows the query when lines move, and
      // shows the next status once the Tickets view has seen it.
      const orders = vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/orders.sql'))!;
      const lens = async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', orders.uri);
        return lenses.find((l) => l.command?.command === 'dbTickets.openDetails' && l.command.title.includes(' #1 '));
      };
      assert.deepEqual([(await lens())?.command?.title, (await lens())?.range.start.line], ['$(database) #1 · pending approval', 1]);
      const above = new vscode.WorkspaceEdit();
      above.insert(orders.uri, new vscode.Position(0, 0), '-- two lines\n-- above\n');
      await vscode.workspace.applyEdit(above);
      assert.equal((await lens())?.range.start.line, 3);
      await backend.act('1', { action: 'approve' });
      await vscode.commands.executeCommand('dbTickets.tickets.focus');
      await vscode.commands.executeCommand('dbTickets.refresh');
      for (let i = 0; i < 100 && !(await lens())?.command?.title.endsWith('approved'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await lens())?.command?.title, '$(database) #1 · approved');
    } finally {
      // Hidden again, the view stops its background looks.
      await vscode.commands.executeCommand('workbench.view.explorer');
      backends.dispose();
    }
  });

  it('keeps a draft with an empty field open and names the line to fill', async () => {
    const draft = await exportDraft();
    await fill(draft, 'Database', '');
    const before = draft.document.getText();
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);

    await vscode.commands.executeCommand('dbTickets.submitDraft', draft.document.uri);

    assert.equal(error.calls[0]?.[0], 'Line 3: Database is empty: choose the database the SQL runs on. (the draft\'s "-- Database:" line)');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), before);
  });

  it('reports a mistyped header field by its line', async () => {
    const draft = await exportDraft();
    await draft.edit((edit) => edit.replace(draft.document.lineAt(2).range, '-- Databse: demo'));
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.equal(error.calls[0]?.[0], 'Line 3: The draft\'s header says "Databse": did you mean "Database"? Fix the label, or remove the line.');
  });

  it('refuses to submit an editor that is not a draft', async () => {
    const folderUri = vscode.workspace.workspaceFolders![0].uri;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folderUri, 'orders.sql'));
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.match(String(error.calls[0]?.[0]), /^This editor holds no ticket draft\. Select SQL and run "Create Ticket from Selection…" to start one\.$/);
  });
});
