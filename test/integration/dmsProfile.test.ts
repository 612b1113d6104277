import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { secretKey } from '../../src/backends/profiles';
import { Backends } from '../../src/vscode/profiles/backends';
import { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { FakeDms } from '../fakes/dms/fakeDms';
import { activateExtension, useLocalStore } from './stubs';

describe('A DMS profile in the extension (fake DMS)', function () {
  this.timeout(60_000);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-dms-'));
  const fake = new FakeDms();
  const stored = new Map<string, string>();
  let backends: Backends;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;

  before(async () => {
    await activateExtension();
    await fake.start();
    await useLocalStore(join(folder, 'store'));
    const local = vscode.workspace.getConfiguration('dbTickets').get<object[]>('profiles', []);
    await vscode.workspace
      .getConfiguration('dbTickets')
      .update('profiles', [...local, { name: 'dms', backend: 'dms', endpoint: fake.url, consoleUrl: 'https://dms.aliyun.com/?orderId={id}' }], vscode.ConfigurationTarget.Global);
    stored.set(secretKey('dms', 'accessKeyId'), 'alice-ak');
    stored.set(secretKey('dms', 'accessKeySecret'), 'alice-secret-0123456789');
    const context = { globalStorageUri: vscode.Uri.file(folder), secrets: { get: async (key: string) => stored.get(key) } } as unknown as vscode.ExtensionContext;
    backends = new Backends(context);
    tickets = new TicketsModel(backends);
    tree = new TicketsTreeProvider(tickets);
  });
  after(async () => {
    tree.dispose();
    tickets.dispose();
    backends.dispose();
    await useLocalStore(undefined);
    await fake.stop();
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('signs with the AccessKey from SecretStorage and shows the DMS tickets in the tree', async () => {
    const profile = backends.profiles().find((p) => p.name === 'dms')!;
    const backend = await backends.get(profile);
    const submitted = await backend.submit({
      id: randomUUID(),
      title: 'Export customers',
      kind: 'DATA_EXPORT',
      sql: 'SELECT id, email FROM customers',
      database: 'shop_prod',
      reason: 'extension test',
      stakeholders: [],
      attachments: [],
      backendFields: {},
    });
    assert.equal(submitted.status.state, 'pending_approval');
    assert.deepEqual(fake.rejections, []);
    tickets.refresh();
    const roots = await tree.getChildren();
    const dmsRoot = roots.find((node) => tree.getTreeItem(node).label === 'dms')!;
    assert.ok(dmsRoot, 'the DMS profile is a root of the tree');
    const [group] = await tree.getChildren(dmsRoot);
    assert.equal(tree.getTreeItem(group).label, 'pending approval');
    const [ticket] = await tree.getChildren(group);
    const item = tree.getTreeItem(ticket);
    assert.equal(item.label, `#${submitted.id} Export customers`);
    assert.ok(String(item.contextValue).split(';').includes('can:cancel'), item.contextValue);
  });
});
