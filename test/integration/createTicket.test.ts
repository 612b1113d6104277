import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, stubWindow } from './stubs';

async function openOrders(): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is not open');
  return vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'orders.sql'));
}

function activeText(): string {
  const editor = vscode.window.activeTextEditor;
  assert.ok(editor, 'no active editor');
  return editor.document.getText();
}

describe('create ticket from SQL', () => {
  const restores: Array<() => void> = [];
  before(activateExtension);
  afterEach(async () => {
    restores.splice(0).forEach((restore) => restore());
    // Drafts are unsaved documents: revert them as they close, or VS Code asks whether to save.
    while (vscode.window.activeTextEditor) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('opens a draft holding exactly the selected SQL', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 5, 30);
    const selected = editor.document.getText(editor.selection);
    assert.match(selected, /^SELECT o\.id/);

    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');

    const draft = vscode.window.activeTextEditor?.document;
    assert.ok(draft && draft.uri.toString() !== editor.document.uri.toString(), 'no draft was opened');
    assert.equal(draft.languageId, 'sql');
    const text = draft.getText();
    assert.match(text, /^-- Kind: DATA_EXPORT \(/);
    assert.match(text, /^-- Profile: local$/m);
    assert.equal(text.slice(text.indexOf('\n\n') + 2), selected);
  });

  it('uses the document the context menu was opened on', async () => {
    const editor = await openOrders();
    const alter = editor.document.lineAt(7).range;
    editor.selection = new vscode.Selection(alter.start, alter.end);
    await vscode.commands.executeCommand('dbTickets.createSchemaChangeTicket', editor.document.uri);
    const text = activeText();
    assert.match(text, /^-- Kind: SCHEMA_CHANGE \(/);
    assert.ok(text.endsWith('\n\nALTER TABLE orders ADD COLUMN gift_note text;'), text);
  });

  it('infers the kind from the SQL and says why', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(editor.document.lineAt(7).range.start, editor.document.lineAt(7).range.end);
    await vscode.commands.executeCommand('dbTickets.createTicket');
    assert.match(activeText(), /^-- Kind: SCHEMA_CHANGE \(inferred: one DDL statement\)$/m);
  });

  it('refuses a kind the SQL cannot be, naming the statement that breaks it', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(editor.document.lineAt(7).range.start, editor.document.lineAt(7).range.end);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    assert.equal(String(error.calls[0]?.[0]), 'Statement 1 (ALTER TABLE, line 1) is DDL, and a data export takes one read-only query: move it to a schema change ticket.');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'a draft was opened');
  });

  it('refuses SQL that fits no kind, saying which statement breaks which kind', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 7, 44);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createTicket');
    assert.match(String(error.calls[0]?.[0]), /^This SQL cannot become a ticket: no ticket kind fits — data export: 2 statements, not one; schema change: statement 1 \(SELECT, line 1\) is a query/);
  });

  it('with nothing selected, uses the whole document once the user agrees', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: '-- All products\nSELECT id, name FROM products;\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const warn = stubWindow('showWarningMessage', (async (_m: string, _o: unknown, use: string) => use) as typeof vscode.window.showWarningMessage);
    restores.push(warn.restore);
    await vscode.commands.executeCommand('dbTickets.createTicket');
    assert.equal(String(warn.calls[0]?.[0]), 'No SQL is selected. Create the ticket from the whole document (3 lines)?');
    assert.ok(activeText().endsWith('\n\n-- All products\nSELECT id, name FROM products;\n'));
    assert.match(activeText(), /^-- Kind: DATA_EXPORT \(inferred: one read-only query\)$/m);
  });

  it('with nothing selected and the user declining, opens nothing and reports no error', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const warn = stubWindow('showWarningMessage', (async () => undefined) as typeof vscode.window.showWarningMessage);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(warn.restore, error.restore);
    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    assert.equal(error.calls.length, 0);
  });

  it('without an SQL editor, says what to do', async () => {
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    assert.equal(error.calls.length, 1);
    assert.match(String(error.calls[0]?.[0]), /No SQL editor is active\. Open a \.sql file, select the SQL/);
    assert.equal(error.calls[0]?.[1], 'Show Log');
  });
});
