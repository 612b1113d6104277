import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createThroughFlow } from './quickInputDriver';
import { activateExtension, openSqlFile, stubWindow, until, useLocalStore } from './stubs';

/** The precheck's marks on a document now. */
function marks(uri: vscode.Uri): readonly vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'DB Tickets');
}

async function diagnosticsOf(uri: vscode.Uri, until: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'DB Tickets');
    if (until(diagnostics)) return diagnostics;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the diagnostics of ${uri.toString()} never settled: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`);
}

/** A draft for `sql` with its header filled in, as a user would leave it before submitting. */
async function filledDraft(sql: string): Promise<vscode.TextEditor> {
  const editor = await openSqlFile(sql);
  const { document } = editor;
  editor.selection = new vscode.Selection(0, 0, document.lineCount, 0);
  const draft = await createThroughFlow('dbTickets.createTicket');
  for (const [field, value] of [['Database', 'demo'], ['Title', 'Risky'], ['Reason', 'diagnostics test']]) {
    const line = [...Array(draft.document.lineCount).keys()].map((i) => draft.document.lineAt(i)).find((l) => l.text.startsWith(`-- ${field}:`))!;
    await draft.edit((edit) => edit.replace(line.range, `-- ${field}: ${value}`));
  }
  return draft;
}

describe('precheck in the editor', function () {
  this.timeout(120_000);
  const restores: Array<() => void> = [];
  before(async () => {
    await activateExtension();
    const store = join(mkdtempSync(join(tmpdir(), 'db-tickets-diag-')), 'store');
    await useLocalStore(store);
  });
  afterEach(async () => {
    restores.splice(0).forEach((restore) => restore());
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
  after(async () => {
    await useLocalStore(undefined);
  });

  it('marks a risky statement on its exact range with the rule id, and clears it once fixed', async () => {
    const { document } = await openSqlFile('SELECT 1;\n  DELETE FROM orders;\n');
    const [diagnostic] = await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'delete-without-where'));
    assert.equal(diagnostic.code, 'delete-without-where');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character], [1, 2, 1, 20]);
    assert.match(diagnostic.message, /DELETE/);

    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 20), ' WHERE id = 1'));
    await diagnosticsOf(document.uri, (d) => !d.some((x) => x.code === 'delete-without-where'));
  });

  it('marks a mistyped or missing header line of a draft on its line as the user types, and clears the mark once fixed', async () => {
    const draft = await filledDraft('SELECT id FROM customers LIMIT 5;');
    const { document } = draft;
    const lineOf = (prefix: string) => [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.startsWith(prefix))!;
    const drafted = (d: readonly vscode.Diagnostic[]) => d.filter((x) => x.code === 'draft');
    // A blank line and a note above the Kind line are fine.
    await draft.edit((edit) => edit.insert(new vscode.Position(0, 0), '\n-- for the weekly report\n'));
    await diagnosticsOf(document.uri, (d) => drafted(d).length === 0 && lineOf('-- Kind:') === 2);

    const database = lineOf('-- Database:');
    await draft.edit((edit) => edit.replace(document.lineAt(database).range, '-- Databse: demo'));
    const [typo] = drafted(await diagnosticsOf(document.uri, (d) => drafted(d).length > 0));
    assert.equal(typo.message, 'The draft\'s header says "Databse": did you mean "Database"? Fix the label, or remove the line.');
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([typo.range.start.line, typo.range.start.character, typo.range.end.line, typo.range.end.character], [database, 0, database, 16]);

    await draft.edit((edit) => edit.replace(document.lineAt(database).range, '-- Database: demo'));
    await diagnosticsOf(document.uri, (d) => drafted(d).length === 0);

    await draft.edit((edit) => edit.delete(document.lineAt(lineOf('-- Kind:')).rangeIncludingLineBreak));
    const [missing] = drafted(await diagnosticsOf(document.uri, (d) => drafted(d).length > 0));
    assert.match(missing.message, /^The draft has no "-- Kind:" line: add one at the top of the draft/);
    assert.equal(missing.range.start.line, lineOf('-- Profile:'), 'where the header starts, after the note');
  });

  it('marks every problem a refused submit found, and says how many more there are', async () => {
    const draft = await filledDraft('SELECT id FROM customers LIMIT 5;');
    const { document } = draft;
    const lineOf = (prefix: string) => [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.startsWith(prefix))!;
    await draft.edit((edit) => edit.insert(document.lineAt(document.lineCount - 1).range.end, '\nDELETE FROM orders WHERE id = 1;'));
    await draft.edit((edit) => edit.replace(document.lineAt(lineOf('-- Reason:')).range, '-- Reason:'));
    await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'draft'));
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    const select = lineOf('SELECT') + 1;
    const remove = lineOf('DELETE') + 1;
    assert.equal(
      String(error.calls[0]?.[0]),
      `Line ${select}: A data export takes one statement, and the selection has 2: select only the statement for this ticket, or create one ticket per statement. (2 more problem(s) are marked in the editor.)`,
    );
    const marked = (await diagnosticsOf(document.uri, (d) => d.filter((x) => x.code === 'draft').length === 3)).filter((x) => x.code === 'draft');
    assert.deepEqual(marked.map((x) => x.range.start.line + 1).sort((a, b) => a - b), [lineOf('-- Reason:') + 1, select, remove].sort((a, b) => a - b));
    assert.ok(marked.some((x) => x.message === `Statement 2 (DELETE, line ${remove}) is DML, and a data export takes one read-only query: move it to a data change ticket.`), JSON.stringify(marked));
  });

  it('blocks submitting a draft that has an error, naming it', async () => {
    await filledDraft('DELETE FROM orders;');
    const error = stubWindow('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    restores.push(error.restore);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.match(String(error.calls[0]?.[0]), /^Line \d+: DELETE without WHERE deletes every row of the table/);
  });

  it('asks before submitting a draft with warnings, and submits only when the user agrees', async () => {
    await filledDraft('SELECT * FROM customers LIMIT 5;');
    const info = stubWindow('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const user = { answer: undefined as string | undefined };
    const warn = stubWindow('showWarningMessage', (async () => user.answer) as typeof vscode.window.showWarningMessage);
    restores.push(info.restore, warn.restore);

    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.equal(warn.calls[0]?.[0], 'The draft has 1 warning(s). Submit it anyway?');
    assert.match(String((warn.calls[0]?.[1] as { detail: string }).detail), /SELECT \*/);
    assert.equal(info.calls.length, 0, 'submitted although the user declined');

    user.answer = 'Submit Anyway';
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.match(String(info.calls[0]?.[0]), /^Ticket #\d+ submitted — pending approval$/);
  });

  it('drops a submitted draft\'s marks at once, though VS Code closes its document later', async () => {
    const { document } = await filledDraft('SELECT * FROM customers LIMIT 5;');
    await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'select-star'));
    const info = stubWindow('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const warn = stubWindow('showWarningMessage', (async () => 'Submit Anyway') as typeof vscode.window.showWarningMessage);
    restores.push(info.restore, warn.restore);

    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.match(String(info.calls[0]?.[0]), /^Ticket #\d+ submitted/);
    assert.deepEqual(marks(document.uri), []);
  });

  it('drops a discarded draft\'s marks at once', async () => {
    const { document } = await filledDraft('SELECT * FROM customers LIMIT 5;');
    await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'select-star'));
    const confirm = stubWindow('showWarningMessage', (async () => 'Discard') as typeof vscode.window.showWarningMessage);
    restores.push(confirm.restore);

    await vscode.commands.executeCommand('dbTickets.discardDraft');
    assert.equal(confirm.calls[0]?.[0], 'Discard the draft "Risky"?');
    assert.deepEqual(marks(document.uri), []);
  });

  it('drops a draft\'s marks when its last tab closes, while VS Code still holds its document, and marks it again once shown', async () => {
    const { document } = await filledDraft('SELECT * FROM customers LIMIT 5;');
    await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'select-star'));
    await until(() => !document.isDirty, 'the draft is saved');
    await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === document.uri.toString());
    assert.equal(tabs().length, 2);

    await vscode.window.tabGroups.close(tabs()[0]);
    assert.equal(marks(document.uri).length, 1, 'another tab still shows the draft');
    await vscode.window.tabGroups.close(tabs()[0]);
    await diagnosticsOf(document.uri, (d) => d.length === 0);
    assert.ok(!document.isClosed, 'VS Code closed the document already: this test no longer shows that its marks go with the tab');

    await vscode.window.showTextDocument(document.uri);
    await diagnosticsOf(document.uri, (d) => d.some((x) => x.code === 'select-star'));
  });
});
