import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { secretKey } from '../../src/backends/profiles';
import type { Backends } from '../../src/vscode/profiles/backends';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { FakeDms } from '../fakes/dms/fakeDms';
import { useTicketsFixture } from './fixture';

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
});
