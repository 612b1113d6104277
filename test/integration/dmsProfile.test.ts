import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type DraftHeader, renderDraftDocument } from '../../src/core/draft/draftDocument';
import { randomUUID } from 'node:crypto';
import { secretKey } from '../../src/backends/profiles';
import type { Backends } from '../../src/vscode/profiles/backends';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { FakeDms } from '../fakes/dms/fakeDms';
import { useTicketsFixture } from './fixture';
import { until } from './stubs';

describe('A DMS profile in the extension (fake DMS)', function () {
  this.timeout(60_000);
  const fake = new FakeDms();
  before(() => fake.start());
  after(() => fake.stop());
  const suite = useTicketsFixture({
    profiles: () => [{ name: 'dms', backend: 'dms', endpoint: fake.url, consoleUrl: 'https://dms.aliyun.com/?orderId={id}' }],
    secrets: new Map([
      [secretKey('dms', 'accessKeyId'), 'alice-ak'],
      [secretKey('dms', 'accessKeySecret'), 'alice-secret-0123456789'],
    ]),
  });
  let backends: Backends;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;
  before(() => ({ backends, tickets, tree } = suite()));

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

  it('tells above a draft\'s Kind line that a schema design ticket will not run its DDL, and offers to close a ticket whose precheck failed', async () => {
    const saved = { id: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, secret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
    // The extension's own profiles read the AccessKey from its SecretStorage, then from the environment.
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = 'alice-ak';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'alice-secret-0123456789';
    const openDraft = async (header: Partial<DraftHeader>, sql: string) => {
      const uri = vscode.Uri.from({ scheme: 'db-tickets-draft', path: '/draft.sql', query: randomUUID() });
      const text = renderDraftDocument({ kind: 'DATA_CHANGE', kindReason: 'chosen', profile: 'dms', database: 'shop_prod', title: 'Test', reason: 'integration test', ...header }, sql);
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    };
    try {
      const schema = await openDraft({ kind: 'SCHEMA_CHANGE', title: 'Add vip flag' }, 'ALTER TABLE customers ADD vip BOOLEAN;');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', schema.document.uri);
      const note = lenses.find((lens) => lens.command?.title.startsWith('$(info)'));
      assert.equal(note?.command?.title, '$(info) DMS files this schema change as a schema design ticket (NDDL): approving it does not run the DDL');
      assert.equal(note!.range.start.line, 0, 'above the Kind line');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      const warning = suite().stub('showWarningMessage', (async () => 'Close Ticket') as typeof vscode.window.showWarningMessage);
      const info = suite().stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
      const failing = await openDraft({ title: 'Fix notes' }, "UPDATE customers SET note = 'FAIL_PRECHECK' WHERE id = 1;");
      await vscode.commands.executeCommand('dbTickets.submitDraft', failing.document.uri);
      const order = fake.orders.at(-1)!;
      await until(() => info.calls.length > 0, 'the ticket is closed and the close is reported');
      assert.equal(order.StatusCode, 'closed');
      assert.match(String(info.calls[0][0]), new RegExp(`^Ticket #${order.OrderId}: cancelled`));
      assert.deepEqual(warning.calls[0], [
        `The precheck of ticket #${order.OrderId} failed: SQL_SYNTAX_CHECK: SQL syntax error near FAIL_PRECHECK. It stays open on dms until you close it.`,
        'Close Ticket',
        'Keep Open',
        'Open',
      ]);
    } finally {
      process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = saved.id;
      process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = saved.secret;
      if (saved.id === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    }
  });
});
