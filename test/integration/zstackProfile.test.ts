import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { secretKey, type ProfileConfig } from '../../src/backends/profiles';
import type { Backend } from '../../src/core/backend/backend';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import { DetailsPanels } from '../../src/vscode/details/detailsPanel';
import type { Backends } from '../../src/vscode/profiles/backends';
import type { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import type { TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { DB_CHANGE_API, type FakeZStack, sha512Hex, startFakeZStack, WORLD } from '../fakes/zstack/harness';
import { type TicketsFixture, useTicketsFixture } from './fixture';
import { QuickInputDriver } from './quickInputDriver';
import { extensionId } from './stubs';

const settings = () => vscode.workspace.getConfiguration('dbTickets');
const userProfiles = () => settings().inspect<ProfileConfig[]>('profiles')?.globalValue ?? [];
const request = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 };

/**
 * ZStack profiles in the extension host against the fake ZStack: alice (the submitter) and bob and carol (the two
 * approval steps) each have a profile. The Add Profile test types alice's password into the extension's SecretStorage;
 * the commands of the other tests run on the extension's own backends, which read the one ZSTACK_PASSWORD the three
 * share there (the suite's own backends read the suite's secret storage).
 */
describe('A ZStack profile in the extension (fake ZStack)', function () {
  this.timeout(120_000);
  let fake: FakeZStack;
  before(async () => {
    fake = await startFakeZStack();
  });
  const saved = process.env.ZSTACK_PASSWORD;
  const shared = 'team-Passw0rd';
  /** From here on the extension's ZStack profiles log in with ZSTACK_PASSWORD, which bob, carol and alice share. */
  function sharePassword(): void {
    for (const vid of fake.directory.virtualIds) vid.passwordHash = sha512Hex(shared);
    process.env.ZSTACK_PASSWORD = shared;
  }
  after(async () => {
    if (saved === undefined) delete process.env.ZSTACK_PASSWORD;
    else process.env.ZSTACK_PASSWORD = saved;
    await fake.stop();
  });
  const profile = (name: string, username: string) => ({ name, backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username, project: WORLD.project.name, request });
  const suite = useTicketsFixture({
    profiles: () => [profile('zs', 'alice'), profile('zs-bob', 'bob'), profile('zs-carol', 'carol')],
    secrets: new Map([
      [secretKey('zs', 'password'), 'team-Passw0rd'],
      [secretKey('zs-bob', 'password'), 'team-Passw0rd'],
      [secretKey('zs-carol', 'password'), 'team-Passw0rd'],
    ]),
  });
  let backends: Backends;
  let tickets: TicketsModel;
  let tree: TicketsTreeProvider;
  before(() => ({ backends, tickets, tree } = suite()));
  /** Alice's backend now: a change of the settings (a profile added) opens the backends anew. */
  const aliceNow = (): Promise<Backend> => backends.get(backends.profiles().find((p) => p.name === 'zs')!);
  let shares = false;
  beforeEach(function () {
    if (this.currentTest?.title.startsWith('adds a ZStack profile') || shares) return;
    sharePassword();
    shares = true;
  });
  const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);
  const node = (id: string, as = 'zs') => suite().node(id, as);
  const tags = async (id: string, as = 'zs') => String(tree.getTreeItem(await node(id, as)).contextValue).split(';');
  const answer = (text: string | undefined) => stub('showInputBox', (async () => text) as typeof vscode.window.showInputBox);
  const quietly = () => stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);

  function draft(title: string, over: Partial<TicketDraft> = {}): TicketDraft {
    return { id: randomUUID(), title, kind: 'DATA_CHANGE', sql: `UPDATE orders SET state = 'paid' WHERE id = ${Math.floor(Math.random() * 1000)};`, database: 'shop', reason: 'extension test', stakeholders: [], attachments: [], backendFields: {}, ...over };
  }

  it('adds a ZStack profile through the form: the password goes to SecretStorage only, the request is a template of a ticket type the server offers, Check Profile names the ticket types', async () => {
    const infos = quietly();
    const ui = new QuickInputDriver();
    try {
      const done = vscode.commands.executeCommand('dbTickets.addProfile');
      await ui.pick('ZStack Cloud');
      await ui.enter('zs-ui');
      const endpoint = await ui.enter('ftp://zstack.example');
      assert.match(String(endpoint.validationMessage), /http/);
      await ui.enter(fake.url, endpoint);
      const loginAs = await ui.nextPick();
      assert.equal(loginAs.activeItems[0]?.label, 'IAM2 virtual ID');
      await ui.pick('IAM2 virtual ID', loginAs);
      await ui.enter('alice');
      await ui.enter(WORLD.project.name);
      const password = await ui.enter('');
      assert.equal(password.password, true);
      assert.match(String(password.validationMessage), /required/);
      await ui.enter(WORLD.submitter.password, password);
      // Asked of ZStack as alice, with the password just typed: the project's approval flows.
      const flows = await ui.fetched();
      assert.equal(flows.items.find((item) => item.label === 'two-step review')?.description, 'team-lead → dba · default');
      assert.ok(!flows.items.some((item) => item.label === 'analytics review'), 'flows of another project are not offered');
      await ui.pick("The project's default flow collection", flows);
      // The server's ticket types, each as a request template (typed JSON is checked as in the unit tests).
      const template = await ui.fetched();
      assert.ok(template.items.some((item) => item.label === 'CREATE_VM_INSTANCE_TICKET_TYPE'), template.items.map((i) => i.label).join(', '));
      await ui.pick('DATABASE_CHANGE_TICKET_TYPE', template);
      await done;
    } finally {
      ui.restore();
    }
    try {
      assert.deepEqual(userProfiles().find((p) => p.name === 'zs-ui'), { name: 'zs-ui', backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username: 'alice', project: WORLD.project.name, request });
      assert.ok(!JSON.stringify(settings().inspect('profiles')).includes(WORLD.submitter.password), 'the password reached the settings');
      assert.match(String(infos.calls[0]?.[0]), /^Profile "zs-ui" works\. .*alice .*db-changes.*two-step review.*DATABASE_CHANGE_TICKET_TYPE/);

      // Check Profile again, from the tree's profile node.
      await vscode.commands.executeCommand('dbTickets.checkProfile', { type: 'profile', profile: userProfiles().find((p) => p.name === 'zs-ui') });
      assert.match(String(infos.calls[1]?.[0]), /^Profile "zs-ui" works\./);
    } finally {
      stub('showWarningMessage', (async () => 'Remove') as never);
      await vscode.commands.executeCommand('dbTickets.removeProfile', { type: 'profile', profile: userProfiles().find((p) => p.name === 'zs-ui') });
    }
    assert.ok(!userProfiles().some((p) => p.name === 'zs-ui'));
  });

  it('shows tickets under their statuses, and approves in two steps from the tree as each approver', async () => {
    quietly();
    const ticket = await (await aliceNow()).submit(draft('Mark order paid'));
    assert.deepEqual(await tags(ticket.id), ['ticket', 'status:pending_approval', 'kind:DATA_CHANGE', 'can:cancel']);
    const root = (await tree.getChildren()).find((n) => tree.getTreeItem(n).label === 'zs')!;
    const groups = await tree.getChildren(root);
    assert.ok(groups.some((g) => tree.getTreeItem(g).label === 'pending approval'), groups.map((g) => tree.getTreeItem(g).label).join(', '));
    assert.ok((await tags(ticket.id, 'zs-bob')).includes('can:approve'), 'bob, the first step, may approve');
    assert.ok(!(await tags(ticket.id, 'zs-carol')).includes('can:approve'), 'carol is not the current step yet');

    answer('looks right');
    await vscode.commands.executeCommand('dbTickets.approve', await node(ticket.id, 'zs-bob'));
    assert.equal(fake.ticket(ticket.id)!.status, 'IntermediateApproved');
    answer('');
    await vscode.commands.executeCommand('dbTickets.approve', await node(ticket.id, 'zs-carol'));
    assert.equal(fake.ticket(ticket.id)!.status, 'FinalApproved');
    const done = await tags(ticket.id);
    assert.ok(done.includes('status:succeeded') && done.includes('can:delete') && done.includes('can:redraft'), done.join(';'));

    // The details panel: the steps with who approved, the history and the results of the requests.
    const panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, backends, tickets);
    try {
      const profileConfig = backends.profiles().find((p) => p.name === 'zs')!;
      const details = panels.open(profileConfig, await (await aliceNow()).get(ticket.id));
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render');
      const steps = content.view.side.find((s) => s.type === 'steps') as unknown as { items: Array<{ name: string; state: string; people: string; comment?: string }> };
      assert.deepEqual(steps.items.map((s) => [s.name.split(' (')[0], s.state, s.people]), [['team-lead', 'approved', 'bob'], ['dba', 'approved', 'carol']]);
      assert.equal(steps.items[0].comment, 'looks right');
      const history = content.view.side.find((s) => s.type === 'timeline') as unknown as { items: Array<{ actor: string; action: string }> };
      assert.deepEqual(history.items.map((e) => e.action), ['submitted', 'approved (team-lead)', `approved (dba); requests ran: ${DB_CHANGE_API} 1 succeeded, 0 failed`]);
      const execution = content.view.main.find((s) => s.type === 'execution') as unknown as { message: string; rows: Array<{ cells: string[] }> };
      assert.match(execution.message, /1 succeeded, 0 failed/);
      assert.equal(execution.rows.length, 1);
      const actions = content.view.actions.map((a) => a.action);
      assert.ok(actions.includes('delete') && actions.includes('redraft') && !actions.includes('approve'), actions.join(', '));
    } finally {
      panels.dispose();
    }
  });

  it('shows the current step in the details panel, rejects as the approver, and reopens and cancels as the submitter', async () => {
    quietly();
    const ticket = await (await aliceNow()).submit(draft('Reject me'));
    const panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, backends, tickets);
    try {
      const bob = backends.profiles().find((p) => p.name === 'zs-bob')!;
      const details = panels.open(bob, await (await backends.get(bob)).get(ticket.id));
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render');
      const steps = content.view.side.find((s) => s.type === 'steps') as unknown as { items: Array<{ name: string; state: string; people: string }> };
      assert.deepEqual(steps.items.map((s) => [s.name.split(' (')[0], s.state, s.people]), [['team-lead', 'awaiting decision', 'bob'], ['dba', 'waiting', 'carol']]);
      assert.ok(content.view.actions.some((a) => a.action === 'reject'));
      // Reject from the panel: the tree's own command runs.
      answer('wrong order id');
      assert.equal(await details.handleMessage({ type: 'action', action: 'reject' }), true);
    } finally {
      panels.dispose();
    }
    assert.equal(fake.ticket(ticket.id)!.status, 'Rejected');
    assert.deepEqual(await tags(ticket.id), ['ticket', 'status:rejected', 'kind:DATA_CHANGE', 'can:reopen', 'can:delete', 'can:redraft']);

    answer('fixed the order id');
    await vscode.commands.executeCommand('dbTickets.reopen', await node(ticket.id));
    assert.equal(fake.ticket(ticket.id)!.status, 'Pending');
    answer('not needed');
    await vscode.commands.executeCommand('dbTickets.cancel', await node(ticket.id));
    assert.equal(fake.ticket(ticket.id)!.status, 'Cancelled');
    const detail = await (await aliceNow()).get(ticket.id);
    assert.deepEqual(detail.history.map((e) => [e.action, e.comment]), [['submitted', undefined], ['rejected (team-lead)', 'wrong order id'], ['reopened', 'fixed the order id'], ['cancelled', 'not needed']]);
  });

  it('refuses a bare comment, naming --comment on a status change', async () => {
    const ticket = await (await aliceNow()).submit(draft('Comment on me'));
    const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
    answer('just a note');
    await vscode.commands.executeCommand('dbTickets.comment', { profile: 'zs', id: ticket.id });
    assert.match(String(errors.calls[0]?.[0]), /ZStack keeps comments only with a status change/);
  });

  it('deletes a finished ticket from the tree only after a modal confirmation', async () => {
    quietly();
    const ticket = await (await aliceNow()).submit(draft('Delete me'));
    answer('');
    await vscode.commands.executeCommand('dbTickets.cancel', await node(ticket.id));
    const declined = stub('showWarningMessage', (async () => undefined) as never);
    await vscode.commands.executeCommand('dbTickets.deleteTicket', await node(ticket.id));
    assert.equal((declined.calls[0]?.[1] as vscode.MessageOptions).modal, true);
    assert.match(String(declined.calls[0]?.[0]), new RegExp(`^Delete ticket #${ticket.id} "Delete me" from zs\\?`));
    assert.ok(fake.ticket(ticket.id), 'deleted without confirmation');
    stub('showWarningMessage', (async () => 'Delete') as never);
    await vscode.commands.executeCommand('dbTickets.deleteTicket', await node(ticket.id));
    assert.equal(fake.ticket(ticket.id), undefined);
    await assert.rejects(node(ticket.id), /not in the tree/);
  });

  it('re-submits a cancelled ticket as a new draft into the same ticket: new requests, reopened, said in its history', async () => {
    quietly();
    const ticket = await (await aliceNow()).submit(draft('Fix me'));
    answer('wrong id');
    await vscode.commands.executeCommand('dbTickets.cancel', await node(ticket.id));
    const next = { ...(await (await aliceNow()).redraft(ticket.id)), sql: "UPDATE orders SET state = 'paid' WHERE id = 7;" };
    const again = await (await aliceNow()).submit(next);
    assert.equal(again.id, ticket.id);
    assert.equal(fake.ticket(ticket.id)!.requests[0].apiBody.sql, next.sql);
    assert.deepEqual(await tags(ticket.id), ['ticket', 'status:pending_approval', 'kind:DATA_CHANGE', 'can:cancel']);
    const detail = await (await aliceNow()).get(ticket.id);
    assert.equal(detail.history.at(-1)!.action, 'reopened with the SQL and requests of a new draft');
  });
});
