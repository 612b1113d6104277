import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Backend } from '../../src/core/backend/backend';
import { type TreeNode, TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { useTicketsFixture } from './fixture';

describe('Load More in the Tickets tree', function () {
  this.timeout(120_000);
  const suite = useTicketsFixture({ pageSize: 2 });
  let backend: Backend;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;
  const ids: string[] = [];

  /** The ids under the profile, the "Load More…" node if any, as the view would list them. */
  async function look(): Promise<{ ids: string[]; more?: Extract<TreeNode, { type: 'more' }> }> {
    const [profile] = await tree.getChildren();
    const children = await tree.getChildren(profile);
    const tickets = (await Promise.all(children.filter((n) => n.type === 'group').map((group) => tree.getChildren(group)))).flat();
    const more = children.find((n) => n.type === 'more');
    assert.ok(children.indexOf(more!) === -1 || children.at(-1) === more, '"Load More…" comes after the status groups');
    return { ids: tickets.flatMap((n) => (n.type === 'ticket' ? [n.ticket.id] : [])).sort((a, b) => Number(a) - Number(b)), more: more?.type === 'more' ? more : undefined };
  }

  before(async () => {
    ({ backend, tickets, tree } = suite());
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      const ticket = await backend.submit({
        id: randomUUID(), title, kind: 'DATA_EXPORT', sql: 'SELECT id FROM customers ORDER BY id LIMIT 1',
        database: 'demo', reason: 'load more test', stakeholders: [], attachments: [], backendFields: {},
      });
      ids.push(ticket.id);
    }
    await backend.act(ids[0], { action: 'reject', comment: 'oldest' });
  });

  it('shows the first page and a "Load More…" node with the count so far, which lists the next page into the groups', async () => {
    const first = await look();
    assert.deepEqual(first.ids, ids.slice(3));
    assert.ok(first.more, 'a "Load More…" node');
    const item = tree.getTreeItem(first.more);
    assert.equal(item.label, 'Load More…');
    assert.equal(item.description, '2 of 5 loaded');
    assert.equal(item.contextValue, 'more');
    assert.deepEqual([item.command?.command, item.command?.arguments], ['dbTickets.loadMore', [first.more]]);

    await vscode.commands.executeCommand(item.command!.command, ...item.command!.arguments!);
    const second = await look();
    assert.deepEqual(second.ids, ids.slice(1));
    assert.equal(tree.getTreeItem(second.more!).description, '4 of 5 loaded');

    await vscode.commands.executeCommand('dbTickets.loadMore', second.more);
    const all = await look();
    assert.deepEqual(all.ids, ids);
    assert.equal(all.more, undefined, 'no "Load More…" once everything is listed');
    const [profile] = await tree.getChildren();
    const groups = (await tree.getChildren(profile)).map((n) => tree.getTreeItem(n).label);
    assert.deepEqual(groups, ['pending approval', 'rejected'], 'the last page merged into its status group');
  });

  it('keeps the pages loaded on a background look, and starts from the first page on a refresh', async () => {
    await tree.getChildren(); // the view lists again after the previous test's loads
    await tickets.look();
    assert.deepEqual((await look()).ids, ids);
    tickets.refresh();
    const again = await look();
    assert.deepEqual(again.ids, ids.slice(3));
    assert.equal(tree.getTreeItem(again.more!).description, '2 of 5 loaded');
  });

  it('drops a page that a refresh overtook', async () => {
    const { more } = await look();
    const loading = more!.load();
    tickets.refresh();
    await loading;
    assert.deepEqual((await look()).ids, ids.slice(3));
  });

  it('says where to find "Load More…" when run without its node', async () => {
    const errors = suite().stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    await vscode.commands.executeCommand('dbTickets.loadMore');
    assert.equal(errors.calls[0]?.[0], 'No list was chosen. Use "Load More…" under a profile in the Tickets view.');
  });
});
