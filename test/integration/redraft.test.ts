import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../src/backends/profiles';
import type { Backend } from '../../src/core/backend/backend';
import { DetailsPanels } from '../../src/vscode/details/detailsPanel';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { type TicketsFixture, useTicketsFixture } from './fixture';

describe('re-submitting a finished ticket as a new draft (Local backend)', function () {
  this.timeout(120_000);
  const suite = useTicketsFixture();
  let backend: Backend;
  let profile: ProfileConfig;
  let tree: TicketsTreeProvider;
  before(() => ({ backend, local: profile, tree } = suite()));
  const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);
  const node = (id: string) => suite().node(id);

  async function submitExport(title: string, backendFields: Record<string, unknown> = {}): Promise<string> {
    const ticket = await backend.submit({
      id: randomUUID(), title, kind: 'DATA_EXPORT', sql: 'SELECT id, email FROM customers ORDER BY id LIMIT 2',
      database: 'demo', reason: 'the first try', stakeholders: ['bob'], estimatedRows: 2, attachments: [], backendFields,
    });
    return ticket.id;
  }

  function draftEditor(): vscode.TextEditor {
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'db-tickets-draft', 'no draft was opened');
    return editor;
  }

  afterEach(async () => {
    for (let i = 0; i < 5 && vscode.window.activeTextEditor; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('tags only finished tickets for re-submitting', async () => {
    const pending = await submitExport('Still pending');
    const rejected = await submitExport('Rejected one');
    await backend.act(rejected, { action: 'reject', comment: 'no' });
    const tags = async (id: string) => String(tree.getTreeItem(await node(id)).contextValue).split(';');
    assert.ok(!(await tags(pending)).includes('can:redraft'));
    assert.ok((await tags(rejected)).includes('can:redraft'));
    assert.ok(!(await tags(rejected)).includes('web'), 'Local tickets have no web page');
  });

  it('opens the rejected ticket as a prefilled draft whose submit records that it re-submits the old one, keeping its export format', async () => {
    const old = await submitExport('Export emails', { exportFormat: 'jsonl' });
    await backend.act(old, { action: 'reject', comment: 'use jsonl, and fewer rows' });

    await vscode.commands.executeCommand('dbTickets.redraft', await node(old));
    const draft = draftEditor();
    assert.equal(
      draft.document.getText(),
      [
        `-- Kind: DATA_EXPORT (as ticket #${old})`,
        '-- Profile: local',
        '-- Database: demo',
        '-- Title: Export emails',
        '-- Reason: the first try',
        '-- Stakeholders: bob',
        '-- Estimated rows: 2',
        `-- Backend fields: {"resubmitOf":"${old}","exportFormat":"jsonl"}`,
        '',
        'SELECT id, email FROM customers ORDER BY id LIMIT 2',
      ].join('\n'),
    );
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, 'Export emails.sql');

    const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    const id = /^Ticket #(\d+) submitted/.exec(String(info.calls[0]?.[0]))?.[1];
    assert.ok(id, String(info.calls[0]?.[0]));
    const submitted = await backend.get(id);
    assert.equal(submitted.history[0].action, `submitted (re-submits #${old})`);
    assert.ok((await backend.get(old)).history.some((e) => e.action === `re-submitted as #${id}`));

    await backend.act(id, { action: 'approve' });
    const done = await backend.act(id, { action: 'execute' });
    assert.equal(done.status.state, 'succeeded');
    assert.match(String(done.execution?.resultName), /\.jsonl$/, 'the export format came through the draft');
  });

  it('names the line when the backend fields are not valid JSON, and keeps the draft', async () => {
    const old = await submitExport('Broken fields');
    await backend.act(old, { action: 'cancel' });
    await vscode.commands.executeCommand('dbTickets.redraft', await node(old));
    const draft = draftEditor();
    const line = draft.document.lineAt(7);
    assert.match(line.text, /^-- Backend fields: /);
    await draft.edit((edit) => edit.replace(line.range, '-- Backend fields: {"resubmitOf": 12'));
    const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    await vscode.commands.executeCommand('dbTickets.submitDraft');
    assert.match(
      String(errors.calls[0]?.[0]),
      /^Line 8: The draft's "-- Backend fields:" line is not valid: .*JSON.*\. Write the fields as JSON, e\.g\. \{"resubmitOf": "12"\}, or remove the line\.$/,
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), draft.document.uri.toString());
  });

  it('says why a ticket that is not finished cannot be re-submitted', async () => {
    const id = await submitExport('Moving on');
    const stale = await node(id);
    const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    await vscode.commands.executeCommand('dbTickets.redraft', stale);
    assert.match(String(errors.calls[0]?.[0]), new RegExp(`^Ticket #${id} is not finished \\(pending approval\\), so it cannot be re-submitted as a new draft yet`));
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.scheme, 'db-tickets-draft');
  });

  it('offers Re-submit in the details panel of a finished ticket only, and opens the draft from there', async () => {
    const extension = vscode.extensions.getExtension('db-tickets.db-tickets')!;
    const panels = new DetailsPanels(extension.extensionUri, suite().backends, suite().tickets);
    try {
      const id = await submitExport('From the panel');
      const details = panels.open(profile, await backend.get(id));
      await details.refresh();
      assert.equal(await details.handleMessage({ type: 'action', action: 'redraft' }), false, 'refused while pending');
      await backend.act(id, { action: 'reject' });
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render');
      assert.ok(content.view.actions.some((a) => a.action === 'redraft' && a.label === 'Re-submit as New Draft'));
      assert.equal(await details.handleMessage({ type: 'action', action: 'redraft' }), true);
      assert.match(draftEditor().document.getText(), new RegExp(`^-- Kind: DATA_EXPORT \\(as ticket #${id}\\)`));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      panels.dispose();
    }
  });
});
