import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Backend } from '../../src/core/backend/backend';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { DownloadFolder, downloadsFolder } from '../../src/vscode/tickets/downloadFolder';
import { type TicketsFixture, useTicketsFixture } from './fixture';
import { memoryMemento } from './stubs';


describe('ticket actions from the Tickets view', function () {
  this.timeout(120_000);
  const suite = useTicketsFixture();
  let backend: Backend;
  let tree: TicketsTreeProvider;
  let folder: string;
  before(() => ({ backend, tree, folder } = suite()));
  const node = (id: string) => suite().node(id);
  const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);
  const submitExport = async (title: string) => (await suite().submitExport(title)).id;

  it('approves with a comment, executes, and downloads the export', async () => {
    const id = await submitExport('Export customers');
    const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    stub('showInputBox', (async () => 'looks fine') as typeof vscode.window.showInputBox);

    await vscode.commands.executeCommand('dbTickets.approve', await node(id));
    assert.equal(info.calls[0]?.[0], `Ticket #${id}: approved`);
    const approvedItem = tree.getTreeItem(await node(id));
    assert.match(String(approvedItem.contextValue), /;can:execute(;|$)/);

    await vscode.commands.executeCommand('dbTickets.execute', await node(id));
    assert.equal(info.calls[1]?.[0], `Ticket #${id}: succeeded`);

    const out = join(folder, 'customers.csv');
    stub('showSaveDialog', (async () => vscode.Uri.file(out)) as typeof vscode.window.showSaveDialog);
    await vscode.commands.executeCommand('dbTickets.download', await node(id));
    assert.match(String(info.calls[2]?.[0]), new RegExp(`^Saved \\d+ bytes to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'id,email');
    assert.equal(lines.length, 4);

    const detail = await backend.get(id);
    assert.equal(detail.history.find((e) => e.action.startsWith('approved'))?.comment, 'looks fine');
  });

  it('offers to save a result in the downloads folder, then in the folder chosen last, never in the workspace by default', async () => {
    const downloads = new DownloadFolder(memoryMemento());
    const first = downloads.suggest('ticket-1.csv');
    assert.equal(first.fsPath, join(downloadsFolder(), 'ticket-1.csv'));
    for (const workspace of vscode.workspace.workspaceFolders ?? []) assert.ok(!first.fsPath.startsWith(workspace.uri.fsPath), `${first.fsPath} is in the workspace`);
    const xdg = mkdtempSync(join(tmpdir(), 'db-tickets-xdg-'));
    assert.equal(downloadsFolder({ XDG_DOWNLOAD_DIR: xdg }, folder), xdg);
    assert.equal(downloadsFolder({ XDG_DOWNLOAD_DIR: join(xdg, 'gone') }, folder), folder, 'a folder that does not exist is not offered');

    // The extension's own command: a download to one folder makes it the next download's suggestion.
    const id = await submitExport('Export twice');
    stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    stub('showInputBox', (async () => '') as typeof vscode.window.showInputBox);
    await vscode.commands.executeCommand('dbTickets.approve', await node(id));
    await vscode.commands.executeCommand('dbTickets.execute', await node(id));
    const chosen = mkdtempSync(join(tmpdir(), 'db-tickets-chosen-'));
    const offered: Array<vscode.Uri | undefined> = [];
    stub('showSaveDialog', (async (options?: vscode.SaveDialogOptions) => {
      offered.push(options?.defaultUri);
      return vscode.Uri.file(join(chosen, `result-${offered.length}.csv`));
    }) as typeof vscode.window.showSaveDialog);
    await vscode.commands.executeCommand('dbTickets.download', await node(id));
    await vscode.commands.executeCommand('dbTickets.download', await node(id));
    assert.equal(offered[1] && dirname(offered[1].fsPath), chosen);
  });

  it('rejects, comments and cancels; a stale node gets the backend\'s reason', async () => {
    const rejected = await submitExport('Too broad');
    const cancelled = await submitExport('Not needed');
    const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const error = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    stub('showInputBox', (async () => 'not this quarter') as typeof vscode.window.showInputBox);

    const stale = await node(rejected);
    await vscode.commands.executeCommand('dbTickets.reject', stale);
    await vscode.commands.executeCommand('dbTickets.comment', await node(rejected));
    await vscode.commands.executeCommand('dbTickets.cancel', await node(cancelled));
    assert.deepEqual(info.calls.map((c) => c[0]), [`Ticket #${rejected}: rejected`, `Ticket #${cancelled}: cancelled/closed`]);
    assert.equal((await backend.get(rejected)).comments.at(-1)?.text, 'not this quarter');

    await vscode.commands.executeCommand('dbTickets.approve', stale);
    assert.match(String(error.calls[0]?.[0]), new RegExp(`^Ticket #${rejected} cannot be approved: `));
  });

  it('cancelling the comment box changes nothing and reports nothing', async () => {
    const id = await submitExport('Untouched');
    const error = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    stub('showInputBox', (async () => undefined) as typeof vscode.window.showInputBox);
    await vscode.commands.executeCommand('dbTickets.approve', await node(id));
    assert.equal((await backend.get(id)).status.state, 'pending_approval');
    assert.equal(error.calls.length, 0);
  });
});
