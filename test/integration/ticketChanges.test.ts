import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TicketSummary } from '../../src/core/backend/backend';
import { DetailsPanels } from '../../src/vscode/details/detailsPanel';
import { LiveStatus } from '../../src/vscode/tickets/liveStatus';
import { SourceTickets } from '../../src/vscode/tickets/sourceTickets';
import type { TreeNode } from '../../src/vscode/tickets/ticketsTree';
import { useTicketsFixture } from './fixture';
import { extensionId, memoryMemento, openSqlFile } from './stubs';

/** The Tickets view as LiveStatus sees it: its badge is where the count of tickets that need the user shows. */
function viewStandIn(): vscode.TreeView<TreeNode> {
  return { visible: false, badge: undefined, onDidChangeVisibility: () => ({ dispose() {} }) } as unknown as vscode.TreeView<TreeNode>;
}

describe('one state of a ticket in every view', function () {
  this.timeout(120_000);
  const suite = useTicketsFixture();
  const disposables: vscode.Disposable[] = [];
  after(() => disposables.splice(0).forEach((d) => d.dispose()));

  async function treeState(id: string): Promise<string | undefined> {
    const { tree } = suite();
    for (const root of await tree.getChildren()) {
      for (const group of await tree.getChildren(root)) {
        if (group.type !== 'group') continue;
        if ((await tree.getChildren(group)).some((n) => n.type === 'ticket' && n.ticket.id === id)) return group.state;
      }
    }
    return undefined;
  }

  async function lensTitle(uri: vscode.Uri): Promise<string | undefined> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return lenses.find((lens) => lens.command?.title.includes('#'))?.command?.title;
  }

  it('a ticket seen fresher in its details panel moves the tree, the source CodeLens and the badge at once, with no load', async () => {
    const { tickets, backend, local, backends } = suite();
    const sources = new SourceTickets(memoryMemento(), backends, tickets);
    const view = viewStandIn();
    const panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, backends, tickets);
    disposables.push(sources, new LiveStatus(tickets, view), panels, vscode.languages.registerCodeLensProvider({ scheme: 'file' }, sources));

    const editor = await openSqlFile('-- orders to export\nSELECT id, email FROM customers ORDER BY id LIMIT 3;\n');
    const ticket = await suite().submitExport('Export customers');
    await sources.noteDraft('draft-one-truth', editor.document, 'SELECT id, email FROM customers ORDER BY id LIMIT 3;');
    await sources.linkSubmitted('draft-one-truth', local.name, ticket);
    // Someone else approves it: the submitter is now to execute it.
    await backend.act(ticket.id, { action: 'approve', comment: 'ok' });
    tickets.refresh();
    await tickets.load();
    assert.equal(await treeState(ticket.id), 'approved');
    assert.equal(await lensTitle(editor.document.uri), `$(database) #${ticket.id} · approved`);
    assert.equal((view.badge as { value: number } | undefined)?.value, 1, 'the badge counts the ticket awaiting its execution');

    // And executes it elsewhere; no load of the lists happens after this.
    let done: TicketSummary = await backend.act(ticket.id, { action: 'execute' });
    for (let i = 0; i < 100 && done.status.state !== 'succeeded'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await backend.get(ticket.id);
    }
    assert.equal(done.status.state, 'succeeded');
    const loads: unknown[] = [];
    disposables.push(tickets.onDidLoad((loaded) => loads.push(loaded)));

    const panel = panels.open(local, ticket);
    await panel.refresh();
    assert.equal(panel.ticket?.status.state, 'succeeded');
    assert.equal(await treeState(ticket.id), 'succeeded');
    assert.equal(await lensTitle(editor.document.uri), `$(database) #${ticket.id} · succeeded`);
    assert.equal(view.badge, undefined, 'no ticket needs the user any more');
    assert.equal(tickets.find(local.name, ticket.id)?.status.state, 'succeeded');
    assert.deepEqual(loads, [], 'the views moved without a load of the lists');
    panel.panel.dispose();
  });

  it('a list that lags behind a fresher look does not take the ticket back', async () => {
    const { tickets, backend, local } = suite();
    const ticket = await suite().submitExport('Export lagging');
    tickets.refresh();
    await tickets.load();
    const approved = await backend.act(ticket.id, { action: 'approve', comment: 'ok' });
    tickets.observe(local.name, approved);
    assert.equal(await treeState(ticket.id), 'approved');

    // The next list still shows the ticket as it was a moment before (a service whose list lags).
    const stale = { ...approved, status: ticket.status, updatedAt: ticket.updatedAt, actions: ticket.actions, needsYou: ticket.needsYou };
    const list = backend.list.bind(backend);
    backend.list = async (...args) => {
      const page = await list(...args);
      return { ...page, items: page.items.map((t) => (t.id === ticket.id ? stale : t)) };
    };
    try {
      tickets.refresh();
      await tickets.load();
      assert.equal(await treeState(ticket.id), 'approved');
      assert.equal(tickets.find(local.name, ticket.id)?.status.state, 'approved');
    } finally {
      backend.list = list;
    }
    // Once the list catches up, it is the list again that the views show.
    tickets.refresh();
    await tickets.load();
    assert.equal(await treeState(ticket.id), 'approved');
  });

  it("after the user's action, the tree draws again only from lists already in, so a row clicked meanwhile still finds its ticket", async () => {
    const { tickets, backend, tree, local } = suite();
    const ticket = await suite().submitExport('Export acted on');
    tickets.refresh();
    await tree.getChildren();
    await tickets.load();
    // VS Code forgets the rows' tickets when the tree is told to draw again, until it has the rows anew: a click on a
    // row in between reaches the command with no ticket. So no redraw may wait for the backend to list: here every
    // list waits until the test opens the gate, and the tree must draw meanwhile.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let listsStarted = 0;
    const list = backend.list.bind(backend);
    backend.list = async (...args) => {
      listsStarted++;
      await gate;
      return list(...args);
    };
    const draws: Array<Promise<string | undefined>> = [];
    const listening = tree.onDidChangeTreeData(() => draws.push(treeState(ticket.id)));
    const looked = new Promise<void>((resolve) => {
      const once = tickets.onDidLoad(() => {
        once.dispose();
        resolve();
      });
    });
    try {
      await tickets.act(local.name, ticket.id, () => backend.act(ticket.id, { action: 'approve', comment: 'ok' }));
      assert.ok(draws.length > 0, 'the tree is told to draw again at once');
      const stuck = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000));
      assert.deepEqual(await Promise.race([Promise.all(draws), stuck]), draws.map(() => 'approved'), 'the tree draws while the lists are taken');
      assert.ok(listsStarted > 0, 'the lists are taken again after the action');
      openGate();
      await looked;
      assert.deepEqual(await Promise.all(draws), draws.map(() => 'approved'));
    } finally {
      openGate();
      listening.dispose();
      backend.list = list;
    }
  });

  it('a background look redraws the tree only when it found a change', async () => {
    const { tickets, backend, tree } = suite();
    const ticket = await suite().submitExport('Export looked at');
    tickets.refresh();
    await tree.getChildren();
    await tickets.load();
    let redraws = 0;
    const listening = tree.onDidChangeTreeData(() => redraws++);
    const loads: unknown[] = [];
    const loading = tickets.onDidLoad((loaded) => loads.push(loaded));
    try {
      await tickets.look();
      assert.equal(redraws, 0, 'nothing changed: the tree is not drawn again');
      assert.equal(loads.length, 1, 'the look is still a load for live status');
      await backend.act(ticket.id, { action: 'approve', comment: 'ok' });
      await tickets.look();
      assert.equal(redraws, 1);
      assert.equal(await treeState(ticket.id), 'approved');
    } finally {
      listening.dispose();
      loading.dispose();
    }
  });
});
