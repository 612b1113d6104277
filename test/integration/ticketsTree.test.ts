import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Backends } from '../../src/vscode/profiles/backends';
import type { TreeNode, TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { useTicketsFixture } from './fixture';
import { until } from './stubs';


async function setting(key: 'connections', value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('dbTickets').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('Tickets tree on the Local backend', function () {
  this.timeout(120_000);
  const suite = useTicketsFixture();
  let backends: Backends;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;
  before(() => ({ backends, tickets, tree } = suite()));
  after(async () => {
    await setting('connections', undefined);
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('is empty while there are no tickets, so the welcome shows', async () => {
    assert.deepEqual(await tree.getChildren(), []);
  });

  it('shows a submitted ticket under its profile and status, with its actions as context tags', async () => {
    const [profile] = backends.profiles();
    const backend = await backends.get(profile);
    const submitted = await backend.submit({
      id: randomUUID(),
      title: 'Export customers',
      kind: 'DATA_EXPORT',
      sql: 'SELECT id, email FROM customers ORDER BY id LIMIT 5',
      database: 'demo',
      reason: 'tree test',
      stakeholders: [],
      attachments: [],
      backendFields: {},
    });
    assert.equal(submitted.status.state, 'pending_approval');
    tickets.refresh();

    const roots = await tree.getChildren();
    assert.deepEqual(roots.map((node) => tree.getTreeItem(node).label), ['local']);
    const groups = await tree.getChildren(roots[0]);
    const group = tree.getTreeItem(groups[0]);
    assert.equal(group.label, 'pending approval');
    assert.equal(group.description, '1');
    const [ticketNode] = await tree.getChildren(groups[0]);
    const item = tree.getTreeItem(ticketNode);
    assert.equal(item.label, `#${submitted.id} Export customers`);
    assert.equal(item.tooltip, undefined, 'the tooltip is built on hover, not on every draw');
    const hovered = tree.resolveTreeItem(new vscode.TreeItem(''), ticketNode);
    assert.match(String(item.description), /^pending approval · /);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'clock');
    const tags = String(item.contextValue).split(';');
    assert.deepEqual(tags.slice(0, 2), ['ticket', 'status:pending_approval']);
    assert.ok(tags.includes('can:approve') && tags.includes('can:cancel'), item.contextValue);
    assert.ok(!tags.includes('can:execute'), 'a ticket pending approval cannot be executed yet');
    assert.match((hovered.tooltip as vscode.MarkdownString).value, /\*\*Database:\*\* demo {2}\n\*\*Submitter:\*\* alice/);
    assert.ok((hovered.tooltip as vscode.MarkdownString).value.endsWith('\n\n```sql\nSELECT id, email FROM customers ORDER BY id LIMIT 5\n```\n'));

    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    const activeTab = () => vscode.window.tabGroups.activeTabGroup.activeTab;
    await until(() => activeTab()?.input instanceof vscode.TabInputWebview, 'the details panel opens');
    const details = activeTab();
    assert.ok(details?.input instanceof vscode.TabInputWebview && details.input.viewType.endsWith('dbTickets.details'), details?.label);
    assert.equal(details.label, `#${submitted.id} Export customers`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows who approved in the tooltip, and keeps SQL with backticks inside its code block', async () => {
    const [profile] = backends.profiles();
    const backend = await backends.get(profile);
    const sql = 'SELECT id FROM customers -- ```\n-- [click](https://example.com) ````\nLIMIT 1';
    const submitted = await backend.submit({ id: randomUUID(), title: 'Backticks', kind: 'DATA_EXPORT', sql, database: 'demo', reason: 'tooltip test', stakeholders: [], attachments: [], backendFields: {} });
    await backend.act(submitted.id, { action: 'approve' });
    tickets.refresh();
    const [root] = await tree.getChildren();
    const groups = await tree.getChildren(root);
    const nodes = (await Promise.all(groups.map((group) => tree.getChildren(group)))).flat();
    const node = nodes.find((candidate) => candidate.type === 'ticket' && candidate.ticket.id === submitted.id)!;
    const tooltip = (tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /\*\*Approver:\*\* alice/);
    const fence = '`'.repeat(5);
    assert.ok(tooltip.endsWith(`\n\n${fence}sql\n${sql}\n${fence}\n`), tooltip);
  });

  it('shows invalid settings as an error node that opens the log, never an endless spinner', async () => {
    await setting('connections', [{ name: 'x', driver: 'oracle' }]);
    tickets.refresh();
    const [node] = await tree.getChildren();
    const item = tree.getTreeItem(node as TreeNode);
    assert.equal(item.label, 'Could not load tickets: The setting dbTickets.connections is invalid at 0.driver: Driver must be one of demo, postgres, mysql, sqlite.');
    assert.equal(item.command?.command, 'dbTickets.showLog');
    await setting('connections', undefined);
  });
});
