import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createThroughFlow, QuickInputDriver } from './quickInputDriver';
import { activateExtension, openSqlFile, stubWindow, until } from './stubs';

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
  let driver: QuickInputDriver;
  before(activateExtension);
  beforeEach(() => {
    driver = new QuickInputDriver();
    restores.push(() => driver.restore());
  });
  afterEach(async () => {
    restores.splice(0).forEach((restore) => restore());
    // Revert as they close: a draft edited in the last moment may not be saved yet, and VS Code would ask.
    while (vscode.window.activeTextEditor) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('asks the questions, then opens a draft holding the answers and exactly the selected SQL', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 5, 30);
    const selected = editor.document.getText(editor.selection);
    assert.match(selected, /^SELECT o\.id/);

    const done = vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    const database = await driver.pick('demo');
    assert.equal(database.title, 'Create Ticket');
    assert.deepEqual([database.step, database.totalSteps], [1, 5], 'one profile: no profile step; the kind was named by the command');
    const title = await driver.nextBox();
    assert.equal(title.value, 'Export orders', 'the title is suggested from the SQL');
    assert.deepEqual(title.buttons, [vscode.QuickInputButtons.Back]);
    title.value = 'Weekly orders';
    await driver.accept();
    await driver.enter('weekly report');
    const stakeholders = await driver.nextPick();
    assert.ok(stakeholders.canSelectMany);
    await until(() => stakeholders.items.some((item) => item.label.includes(userInfo().username)), 'the current user is offered as a stakeholder');
    stakeholders.selectedItems = stakeholders.items.filter((item) => item.label.includes(userInfo().username));
    await driver.accept();
    const estimate = await driver.nextBox();
    await until(() => estimate.value !== '', 'the row estimate arrives');
    assert.match(estimate.value, /^\d+$/);
    await driver.accept();
    await done;

    const draft = vscode.window.activeTextEditor?.document;
    assert.ok(draft && draft.uri.scheme === 'db-tickets-draft', 'no draft was opened');
    assert.equal(draft.languageId, 'sql');
    const text = draft.getText();
    assert.match(text, /^-- Kind: DATA_EXPORT \(chosen by command\)$/m);
    assert.match(text, /^-- Profile: local$/m);
    assert.match(text, /^-- Database: demo$/m);
    assert.match(text, /^-- Title: Weekly orders$/m);
    assert.match(text, /^-- Reason: weekly report$/m);
    assert.match(text, new RegExp(`^-- Stakeholders: ${userInfo().username}$`, 'm'));
    assert.match(text, new RegExp(`^-- Estimated rows: ${estimate.value}$`, 'm'));
    assert.equal(text.slice(text.indexOf('\n\n') + 2), selected);
  });

  it('goes back a step keeping the answers, and Escape abandons the flow without a draft or an error', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 5, 30);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    const done = vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    await driver.pick('demo');
    await driver.enter('First title');
    const reason = await driver.nextBox();
    assert.equal(reason.validationMessage, undefined, 'a step opens with its prompt, not an error');
    assert.match(String(reason.prompt), /\S/);
    await driver.enter('', reason);
    assert.match(String(reason.validationMessage), /reason/i, 'accepting it empty says what is missing');
    await driver.back();
    const title = await driver.nextBox();
    assert.equal(title.value, 'First title');
    assert.equal(title.step, 2);
    await driver.back();
    const database = await driver.nextPick();
    assert.equal(database.activeItems[0]?.label, '$(database) demo', 'the chosen database is still active');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await done;
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'a draft was opened');
    assert.equal(error.calls.length, 0);
  });

  it('uses the document the context menu was opened on', async () => {
    const editor = await openOrders();
    const alter = editor.document.lineAt(7).range;
    editor.selection = new vscode.Selection(alter.start, alter.end);
    const draft = await createThroughFlow('dbTickets.createSchemaChangeTicket', {}, editor.document.uri);
    const text = draft.document.getText();
    assert.match(text, /^-- Kind: SCHEMA_CHANGE \(/);
    assert.ok(text.endsWith('\n\nALTER TABLE orders ADD COLUMN gift_note text;'), text);
  });

  it('pre-selects the kind the SQL implies and says why; a kind the SQL cannot be is refused in place', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(editor.document.lineAt(7).range.start, editor.document.lineAt(7).range.end);
    const done = vscode.commands.executeCommand('dbTickets.createTicket');
    const kinds = await driver.nextPick();
    assert.match(kinds.activeItems[0]?.label ?? '', /Schema change/);
    assert.equal(kinds.activeItems[0]?.description, 'suggested: one DDL statement');
    const exportItem = kinds.items.find((item) => item.label.includes('Data export'))!;
    assert.match(exportItem.detail ?? '', /^Statement 1 \(ALTER TABLE, line 8\) is DDL/, 'the line of orders.sql, not of the selection');
    kinds.activeItems = [exportItem];
    await driver.accept();
    await until(() => kinds.placeholder?.startsWith('Statement 1') === true, 'the refused kind is explained');
    kinds.activeItems = [kinds.items.find((item) => item.label.includes('Schema change'))!];
    await driver.accept();
    await driver.pick('demo');
    await driver.enter('Gift notes');
    await driver.enter('customers asked');
    await driver.keep();
    await driver.keep();
    await done;
    assert.match(activeText(), /^-- Kind: SCHEMA_CHANGE \(inferred: one DDL statement\)$/m);
  });

  it('offers the previous answers first: the database, the reason and the stakeholders', async () => {
    const settings = vscode.workspace.getConfiguration('dbTickets');
    await settings.update('connections', [{ name: 'scratch', driver: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'db-tickets-create-')), 'scratch.db') }], vscode.ConfigurationTarget.Global);
    restores.push(() => void settings.update('connections', undefined, vscode.ConfigurationTarget.Global));
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 5, 30);
    driver.restore();
    await createThroughFlow('dbTickets.createDataExportTicket', { database: 'scratch', stakeholders: ['carol'] });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.window.showTextDocument(editor.document);
    driver = new QuickInputDriver();
    const done = vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    const database = await driver.nextPick();
    await until(() => database.items.length === 2, 'both databases are listed');
    assert.equal(database.activeItems[0]?.label, '$(database) scratch');
    await driver.accept();
    await driver.enter('Again');
    const reason = await driver.nextBox();
    assert.equal(reason.value, 'integration test');
    await driver.accept();
    const stakeholders = await driver.nextPick();
    assert.deepEqual(stakeholders.selectedItems.map((item) => item.label), ['$(person) carol']);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await done;
  });

  it('keeps the draft as a file that is saved as the user types', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 5, 30);
    const draft = await createThroughFlow('dbTickets.createDataExportTicket', { title: 'Saved draft' });
    assert.equal(draft.document.uri.path, '/Saved draft.sql');
    assert.match(draft.document.uri.query, /^[0-9a-f-]{36}$/);
    const line = draft.document.lineAt(3);
    await draft.edit((edit) => edit.replace(line.range, '-- Title: Edited title'));
    await until(() => !draft.document.isDirty, 'the draft is saved');
    const stored = new TextDecoder().decode(await vscode.workspace.fs.readFile(draft.document.uri));
    assert.equal(stored, draft.document.getText());
    assert.match(stored, /^-- Title: Edited title$/m);
  });

  it('refuses a kind the SQL cannot be, naming the statement that breaks it at its line of the file', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(editor.document.lineAt(7).range.start, editor.document.lineAt(7).range.end);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    assert.equal(String(error.calls[0]?.[0]), 'Statement 1 (ALTER TABLE, line 8) is DDL, and a data export takes one read-only query: move it to a schema change ticket.');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString(), 'a draft was opened');
  });

  it('refuses SQL that fits no kind, saying which statement breaks which kind', async () => {
    const editor = await openOrders();
    editor.selection = new vscode.Selection(1, 0, 7, 44);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createTicket');
    assert.match(String(error.calls[0]?.[0]), /^This SQL cannot become a ticket: no ticket kind fits — data export: 2 statements, not one; schema change: statement 1 \(SELECT, line 2\) is a query/);
  });

  it('names the line of the file for a selection that starts mid-line', async () => {
    const editor = await openSqlFile('-- cleanup\nSELECT 1; DROP TABLE legacy_coupons;\n');
    editor.selection = new vscode.Selection(1, 10, 1, 36);
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.createDataExportTicket');
    assert.equal(String(error.calls[0]?.[0]), 'Statement 1 (DROP TABLE, line 2) is DDL, and a data export takes one read-only query: move it to a schema change ticket.');
  });

  it('with nothing selected, uses the whole document once the user agrees', async () => {
    const editor = await openSqlFile('-- All products\nSELECT id, name FROM products;\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const warn = stubWindow('showWarningMessage', (async (_m: string, _o: unknown, use: string) => use) as typeof vscode.window.showWarningMessage);
    restores.push(warn.restore);
    driver.restore();
    await createThroughFlow('dbTickets.createTicket');
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
