import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../src/backends/profiles';
import type { DmsBackend } from '../../src/backends/dms/dmsBackend';
import type { Backends } from '../../src/vscode/profiles/backends';
import { DetailsPanels } from '../../src/vscode/details/detailsPanel';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { FakeDms } from '../fakes/dms/fakeDms';
import { dmsOn } from '../fakes/dms/harness';
import { QuickInputDriver } from './quickInputDriver';
import { type TicketsFixture, useTicketsFixture } from './fixture';
import { extensionId, until } from './stubs';

/**
 * The ticket actions only some backends have — transfer, close, urge, open in browser — on a DMS profile whose
 * service is the fake DMS. The extension signs in as bob, the approver, with the AccessKey in the environment;
 * alice submits through a backend of her own.
 */
describe('DMS ticket actions in the extension (fake DMS)', function () {
  this.timeout(120_000);
  const fake = new FakeDms();
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'bob-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bob-secret-0123456789' };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  /** The service's web console: records the pages the browser asks for. */
  const consoleRequests: string[] = [];
  let webConsole: Server;
  let alice: DmsBackend;
  before(async () => {
    await fake.start();
    webConsole = createServer((req, res) => {
      consoleRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>DMS console</title>');
    });
    await new Promise<void>((resolve) => webConsole.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, env);
    alice = dmsOn(fake);
  });
  after(async () => {
    await alice.dispose();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await fake.stop();
    await new Promise((resolve) => webConsole.close(resolve));
  });
  const suite = useTicketsFixture({
    profiles: () => [{ name: 'dms-fake', backend: 'dms', endpoint: fake.url, consoleUrl: `http://127.0.0.1:${(webConsole.address() as AddressInfo).port}/order?orderId={id}` }],
  });
  let backends: Backends;
  let profile: ProfileConfig;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;
  before(() => {
    ({ backends, tickets, tree } = suite());
    profile = backends.profiles().find((p) => p.name === 'dms-fake')!;
  });
  const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);
  const node = (id: string) => suite().node(id, profile.name);

  async function submit(title: string): Promise<string> {
    const ticket = await alice.submit({
      id: randomUUID(), title, kind: 'DATA_EXPORT', sql: 'SELECT id, email FROM customers', database: 'shop_prod',
      reason: 'dms actions test', stakeholders: [], attachments: [], backendFields: {},
    });
    return ticket.id;
  }

  const order = (id: string) => fake.orders.find((o) => String(o.OrderId) === id)!;


  it('tags tickets with a web page, and opens it in the browser', async () => {
    const id = await submit('Open me');
    const ticket = await node(id);
    assert.ok(String(tree.getTreeItem(ticket).contextValue).split(';').includes('web'), tree.getTreeItem(ticket).contextValue);
    await vscode.commands.executeCommand('dbTickets.openInBrowser', ticket);
    await until(() => consoleRequests.includes(`/order?orderId=${id}`), `the browser asks the console for #${id}`);
  });

  it('transfers the approval to a user found by search, with a comment', async () => {
    const id = await submit('Transfer me');
    assert.deepEqual(order(id).handlers, ['102']);
    const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const ui = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand('dbTickets.transfer', await node(id));
      const who = await ui.nextPick();
      assert.deepEqual([who.step, who.totalSteps], [1, 2]);
      assert.deepEqual(who.items.map((item) => item.label), ['$(person) alice', '$(person) bob', '$(person) carol']);
      who.value = 'car';
      await until(() => who.items.length === 1, 'the search narrows the list to carol');
      await ui.pick('$(person) carol', who);
      const comment = await ui.nextBox();
      assert.equal(comment.prompt, 'Comment for carol (optional)');
      await ui.enter('carol knows this database', comment);
      await done;
    } finally {
      ui.restore();
    }
    assert.deepEqual(order(id).handlers, ['103']);
    const call = fake.callsOf('ApproveOrder').at(-1)!;
    const sent = { ...call.query, ...call.body };
    assert.deepEqual([sent.ApprovalType, sent.NewApprover, sent.Comment], ['TRANSFER', '103', 'carol knows this database']);
    assert.deepEqual(info.calls[0], [`Ticket #${id} transferred to carol`]);
  });

  it('offers Transfer in the details panel of a ticket awaiting the user, and runs the same command', async () => {
    const id = await submit('Transfer from the panel');
    const panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, backends, tickets);
    stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const ui = new QuickInputDriver();
    try {
      const details = panels.open(profile, await (await backends.get(profile)).get(id));
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render');
      const actions = content.view.actions.map((a) => a.action);
      assert.ok(actions.includes('transfer') && actions.includes('openInBrowser'), actions.join(', '));
      const done = details.handleMessage({ type: 'action', action: 'transfer' });
      await ui.pick('$(person) alice');
      await ui.enter('');
      assert.equal(await done, true);
      assert.deepEqual(order(id).handlers, ['101']);
    } finally {
      ui.restore();
      panels.dispose();
    }
  });

  it('closes a ticket with a reason', async () => {
    const id = await submit('Close me');
    stub('showInputBox', (async () => 'no longer needed') as typeof vscode.window.showInputBox);
    const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    await vscode.commands.executeCommand('dbTickets.close', await node(id));
    assert.equal(order(id).StatusCode, 'closed');
    const call = fake.callsOf('CloseOrder').at(-1)!;
    assert.equal({ ...call.query, ...call.body }.CloseReason, 'no longer needed');
    assert.equal(info.calls[0]?.[0], `Ticket #${id}: cancelled/closed`);
    const closed = String(tree.getTreeItem(await node(id)).contextValue).split(';');
    assert.ok(closed.includes('can:redraft') && !closed.includes('can:cancel'), closed.join(';'));
  });

  it('says so when the backend has no urge action', async () => {
    const id = await submit('Urge me');
    const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    await vscode.commands.executeCommand('dbTickets.urge', await node(id));
    assert.match(String(errors.calls[0]?.[0]), /^DMS has no "urge" action for tickets: its actions are approve, reject, transfer, cancel, close, execute\./);
    assert.equal(order(id).StatusCode, 'toaudit');
  });
});
