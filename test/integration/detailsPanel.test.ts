import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../src/backends/profiles';
import type { Backend } from '../../src/core/backend/backend';
import { DetailsPanels, detailsViewType } from '../../src/vscode/details/detailsPanel';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { type TicketsFixture, useTicketsFixture } from './fixture';
import { extensionId, until } from './stubs';

const payloadTitle = `<script>document.body.dataset.pwned='1'</script>`;

describe('ticket details panel', function () {
  this.timeout(120_000);
  let panels: DetailsPanels;
  // Registered before the fixture, so the panels close before the backends they use.
  after(() => panels?.dispose());
  const suite = useTicketsFixture();
  let backend: Backend;
  let profile: ProfileConfig;
  let tickets: TicketsModel;
  const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);

  async function submitExport(title: string): Promise<string> {
    const ticket = await backend.submit({
      id: randomUUID(), title, kind: 'DATA_EXPORT', sql: "SELECT id, email FROM customers WHERE email <> '<b>' /* comments /* do not nest in SQLite */ ORDER BY id LIMIT 3",
      database: 'demo', reason: 'details test', stakeholders: [], attachments: [], backendFields: {},
    });
    return ticket.id;
  }

  async function openPanel(id: string) {
    const details = panels.open(profile, await backend.get(id));
    await details.refresh();
    return details;
  }

  function detailsTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(detailsViewType));
  }

  before(() => {
    ({ backend, local: profile, tickets } = suite());
    panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, suite().backends, tickets);
  });


  it('opens one webview panel per ticket from the Open Ticket Details command, titled "#id title"', async () => {
    const id = await submitExport('Export customers');
    const node = { type: 'ticket', profile, ticket: await backend.get(id) };
    await vscode.commands.executeCommand('dbTickets.openDetails', node);
    await vscode.commands.executeCommand('dbTickets.openDetails', node);
    const all = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} ${t.input?.constructor.name} ${(t.input as { viewType?: string })?.viewType}`);
    await until(() => detailsTabs().length > 0, 'a details tab opens');
    const tabs = detailsTabs();
    assert.equal(tabs.length, 1, all().join(', '));
    assert.equal(tabs[0].label, `#${id} Export customers`);
    assert.ok(tabs[0].isActive);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('serves a page with the strict policy, a fresh nonce on every script, and no ticket text in its HTML', async () => {
    const id = await submitExport(payloadTitle);
    const details = await openPanel(id);
    const html = details.panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
    assert.ok(csp, html);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, csp);
    const source = details.panel.webview.cspSource;
    assert.equal(csp, `default-src 'none'; style-src ${source} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${source} data:; font-src ${source}`);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length > 0);
    for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
    assert.ok(!html.includes('pwned'), 'ticket text reached the HTML');
    assert.equal(details.panel.title, `#${id} ${payloadTitle}`);

    const view = details.content;
    assert.equal(view?.type, 'render');
    if (view?.type !== 'render') return;
    assert.equal(view.view.heading, `#${id} ${payloadTitle}`);
    assert.equal(view.view.status.label, 'pending approval');
    assert.deepEqual(view.view.actions.map((a) => a.action), ['approve', 'reject', 'comment', 'cancel', 'copyId', 'openAsText']);
    const sql = view.view.main.find((s) => s.type === 'sql');
    assert.ok(sql?.type === 'sql');
    assert.equal(sql.spans.map(([, text]) => text).join(''), (await backend.get(id)).sql);
    assert.ok(sql.spans.some(([kind, text]) => kind === 'string' && text === "'<b>'"));
    // Highlighted as the demo database (SQLite) reads it: the comment ends at the first "*/" (PostgreSQL's would nest).
    assert.ok(sql.spans.some(([kind, text]) => kind === 'comment' && text.trim() === '/* comments /* do not nest in SQLite */'), JSON.stringify(sql.spans));
    assert.ok(sql.spans.some(([kind, text]) => kind === 'keyword' && text === 'ORDER'), JSON.stringify(sql.spans));
    details.panel.dispose();
  });

  it('approves when the page asks: the store records it and the panel shows the new status', async () => {
    const id = await submitExport('Approve from the panel');
    const details = await openPanel(id);
    stub('showInputBox', (async () => 'fine from the panel') as typeof vscode.window.showInputBox);
    stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);

    assert.equal(await details.handleMessage({ type: 'action', action: 'approve' }), true);
    const stored = await backend.get(id);
    assert.equal(stored.status.state, 'approved');
    assert.equal(stored.history.find((e) => e.action.startsWith('approved'))?.comment, 'fine from the panel');
    assert.equal(details.ticket?.status.state, 'approved');
    const content = details.content;
    assert.ok(content?.type === 'render');
    assert.equal(content.view.status.label, 'approved');
    assert.ok(content.view.actions.some((a) => a.action === 'execute'));
    details.panel.dispose();
  });

  it('refuses malformed messages, unknown commands and actions the ticket does not offer now', async () => {
    const id = await submitExport('Untouchable');
    const details = await openPanel(id);
    const events = (await backend.get(id)).history.length;
    const refused: unknown[] = [
      { type: 'action', action: 'workbench.action.terminal.new' },
      { type: 'action', action: 'dbTickets.approve' },
      { type: 'action', action: 'approve', id: '1' },
      { type: 'command', command: 'approve' },
      { type: 'action', action: 'execute' },
      { type: 'action', action: 'download' },
      { type: 'action', action: 'openInBrowser' },
      'approve',
      null,
    ];
    for (const raw of refused) assert.equal(await details.handleMessage(raw), false, JSON.stringify(raw));
    const stored = await backend.get(id);
    assert.equal(stored.status.state, 'pending_approval');
    assert.equal(stored.history.length, events);
    details.panel.dispose();
  });

  it('opens the ticket as text from the panel', async () => {
    const id = await submitExport('As text');
    const details = await openPanel(id);
    assert.equal(await details.handleMessage({ type: 'action', action: 'openAsText' }), true);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.scheme, 'db-tickets-ticket');
    assert.match(editor.document.getText(), new RegExp(`^#${id} As text — pending approval`));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('follows the tickets model: a change made elsewhere shows after its next load', async () => {
    const id = await submitExport('Changed elsewhere');
    const details = await openPanel(id);
    await backend.act(id, { action: 'comment', comment: 'from the CLI' });
    tickets.refresh();
    await tickets.load();
    await until(() => details.ticket?.comments.at(-1)?.text === 'from the CLI', 'the panel shows the new comment');
    details.panel.dispose();
  });

  it('says why when the ticket cannot be loaded, and offers to retry', async () => {
    const details = panels.open(profile, { id: '9999', title: 'Gone' });
    await details.refresh();
    const content = details.content;
    assert.ok(content?.type === 'error');
    assert.match(content.view.message, /^Could not load ticket #9999: /);
    assert.equal(content.view.retry.action, 'refresh');
    details.panel.dispose();
  });

  it('takes over a panel restored after a reload, and closes one whose saved state is unusable', async () => {
    const id = await submitExport('Restored');
    const restored = vscode.window.createWebviewPanel(detailsViewType, 'restored', vscode.ViewColumn.Active, {});
    panels.revive(restored, { profile: profile.name, id, scrollY: 300 });
    const details = panels.find({ profile: profile.name, id });
    assert.equal(details?.panel, restored);
    await details.refresh();
    assert.equal(restored.title, `#${id} Restored`);
    restored.dispose();

    const broken = vscode.window.createWebviewPanel(detailsViewType, 'broken', vscode.ViewColumn.Active, {});
    // As after a reload, the workbench has the panel open before it is handed over.
    await until(() => vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.label === 'broken')), 'the panel is open');
    let disposed = false;
    broken.onDidDispose(() => (disposed = true));
    panels.revive(broken, { id });
    assert.ok(disposed);
  });
});
