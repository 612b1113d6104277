import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../src/backends/profiles';
import { secretKey } from '../../src/backends/profiles';
import { sqlFileName } from '../../src/backends/huawei/osmCases';
import type { Backend } from '../../src/core/backend/backend';
import type { TicketState } from '../../src/core/model/ticketStatus';
import { DetailsPanels } from '../../src/vscode/details/detailsPanel';
import type { Section } from '../../src/vscode/details/detailsView';
import { FakeOsm } from '../fakes/huawei/fakeOsm';
import { ACCESS_KEY, DOMAIN_ID, IAM_USER } from '../fakes/huawei/harness';
import { type TicketsFixture, useTicketsFixture } from './fixture';
import { QuickInputDriver } from './quickInputDriver';
import { extensionId } from './stubs';

const settings = () => vscode.workspace.getConfiguration('dbTickets');
const userProfiles = () => settings().inspect<ProfileConfig[]>('profiles')?.globalValue ?? [];
const profileNode = (profile: ProfileConfig) => ({ type: 'profile', profile });
const productCategoryId = 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21';
const businessTypeId = '0f1e2d3c4b5a49687766554433221101';

/**
 * Huawei Cloud service tickets in the real extension host, against the fake OSM (plain HTTP on 127.0.0.1, which a
 * Huawei profile allows only on this computer): the Add Profile form and Check Profile, cases in the tree under
 * their statuses, the details panel with the engineers' replies, attachments and the score, and the actions a case
 * allows, run from the tree through the extension's commands.
 */
describe('Huawei Cloud profiles and cases in the extension (fake OSM)', function () {
  this.timeout(120_000);
  const fake = new FakeOsm();
  before(async () => {
    fake.addAccessKey(ACCESS_KEY);
    fake.addIamUser(IAM_USER);
    await fake.start();
  });
  after(async () => {
    await fake.stop();
    assert.deepEqual(fake.errors, [], 'the fake OSM failed while answering');
  });

  describe('the Add Profile form', () => {
    const suite = useTicketsFixture();
    const messages = (name: 'showErrorMessage' | 'showInformationMessage' | 'showWarningMessage') => suite().stub(name, (async () => undefined) as never);
    let ui: QuickInputDriver;
    beforeEach(() => (ui = new QuickInputDriver()));
    afterEach(() => ui.restore());

    it('adds a profile signing with an access key: the AK/SK go to SecretStorage, never to settings, and the saved profile is checked', async () => {
      const infos = messages('showInformationMessage');
      const warnings = messages('showWarningMessage');
      const errors = messages('showErrorMessage');
      const before = fake.requests.length;
      const done = vscode.commands.executeCommand('dbTickets.addProfile');
      await ui.pick('Huawei Cloud tickets');
      await ui.enter('hw-ui');
      const site = await ui.nextPick();
      assert.deepEqual(site.items.map((i) => i.value), ['cn', 'intl']);
      await ui.pick('China site', site);
      const endpoint = await ui.enter('http://osm.example.com');
      assert.match(String(endpoint.validationMessage), /https:\/\//, 'plain HTTP is refused away from this computer');
      await ui.enter(fake.url, endpoint);
      await ui.enter(fake.iamUrl);
      const auth = await ui.nextPick();
      assert.deepEqual(auth.items.map((i) => i.value), ['aksk', 'token']);
      await ui.pick('Access key (AK/SK)', auth);
      const domainId = await ui.enter('not an id!');
      assert.match(String(domainId.validationMessage), /is not an id/);
      await ui.enter('', domainId); // looked up through IAM
      await ui.enter(''); // no region
      const ak = await ui.nextBox();
      assert.equal(ak.password, true);
      assert.equal(ak.prompt, 'Access key ID (AK)');
      await ui.enter(ACCESS_KEY.ak, ak);
      const sk = await ui.nextBox();
      assert.equal(sk.prompt, 'Secret access key (SK)');
      await ui.enter(ACCESS_KEY.sk, sk);
      const token = await ui.nextBox();
      assert.match(String(token.prompt), /Security token/);
      await ui.enter('', token);
      // Asked of the service with the keys just typed: its product categories, then that category's problem types.
      const product = await ui.pickFetched('Relational Database Service');
      assert.ok(product.items.some((item) => item.label === 'Any product category'));
      const problem = await ui.nextPick();
      await ui.pickFetched('SQL execution and changes', problem);
      assert.ok(problem.items.some((item) => item.label === 'Instance fault report' && /fault report: needs a region/.test(String(item.description))));
      await done;

      assert.deepEqual(errors.calls, []);
      assert.deepEqual(userProfiles().find((p) => p.name === 'hw-ui'), {
        name: 'hw-ui', backend: 'huawei', site: 'cn', endpoint: fake.url, iamEndpoint: fake.iamUrl, auth: 'aksk', productCategoryId, businessTypeId,
      });
      const written = JSON.stringify(settings().inspect('profiles'));
      assert.ok(!written.includes(ACCESS_KEY.sk) && !written.includes(ACCESS_KEY.ak), 'a secret reached the settings');
      // Checked once saved, signed with the key from SecretStorage (nothing in the environment): the account and the problem type.
      assert.deepEqual(warnings.calls, []);
      const works = String(infos.calls[0]?.[0]);
      assert.match(works, /^Profile "hw-ui" works\. /);
      assert.ok(works.includes(DOMAIN_ID), works);
      assert.match(works, /SQL execution and changes|SQL 执行与变更/);
      const made = fake.requests.slice(before);
      assert.ok(made.some((r) => r.operation === 'iamDomains'), 'the account id was looked up through IAM');
      assert.ok(made.length > 0 && made.every((r) => r.verified && r.auth === 'aksk'), 'every request signed with the access key');

      // Check Profile on demand says the same.
      await vscode.commands.executeCommand('dbTickets.checkProfile', profileNode(userProfiles().find((p) => p.name === 'hw-ui')!));
      assert.equal(infos.calls[1]?.[0], works);
    });

    it('adds a profile logging in as an IAM user: asks the account and user, and the password instead of an access key', async () => {
      const infos = messages('showInformationMessage');
      messages('showWarningMessage');
      const done = vscode.commands.executeCommand('dbTickets.addProfile');
      await ui.pick('Huawei Cloud tickets');
      await ui.enter('hw-token');
      await ui.pick('International site');
      await ui.enter(fake.url);
      await ui.enter(fake.iamUrl);
      await ui.pick('IAM user name and password');
      const account = await ui.enter('');
      assert.match(String(account.validationMessage), /account/);
      await ui.enter(IAM_USER.domainName, account);
      await ui.enter(IAM_USER.userName);
      await ui.enter(DOMAIN_ID);
      await ui.enter('cn-north-4');
      const password = await ui.nextBox();
      assert.equal(password.prompt, 'IAM user password (token login)');
      assert.equal(password.password, true);
      await ui.enter(IAM_USER.password, password);
      await ui.pickFetched('Relational Database Service');
      await ui.pickFetched('SQL execution and changes');
      await done;

      assert.deepEqual(userProfiles().find((p) => p.name === 'hw-token'), {
        name: 'hw-token', backend: 'huawei', site: 'intl', endpoint: fake.url, iamEndpoint: fake.iamUrl, auth: 'token',
        domainName: IAM_USER.domainName, userName: IAM_USER.userName, domainId: DOMAIN_ID, productCategoryId, businessTypeId, regionId: 'cn-north-4',
      });
      assert.ok(!JSON.stringify(settings().inspect('profiles')).includes(IAM_USER.password), 'the password reached the settings');
      assert.match(String(infos.calls[0]?.[0]), /^Profile "hw-token" works\. .*as IAM user alice \(token\)/);
      assert.ok(fake.requests.some((r) => r.operation === 'iamToken' && r.verified), 'logged in through IAM');
    });
  });

  describe('cases in the Tickets view', () => {
    // The extension's own backends read the access key from the environment here; the suite's from its secrets.
    const env = { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    before(() => void Object.assign(process.env, env));
    after(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    let panels: DetailsPanels | undefined;
    // Registered before the fixture, so the panels close before the backends they use.
    after(() => panels?.dispose());
    const suite = useTicketsFixture({
      profiles: () => [{ name: 'hw', backend: 'huawei', endpoint: fake.url, iamEndpoint: fake.iamUrl, auth: 'aksk', domainId: DOMAIN_ID, productCategoryId, businessTypeId }],
      secrets: new Map([
        [secretKey('hw', 'accessKeyId'), ACCESS_KEY.ak],
        [secretKey('hw', 'secretAccessKey'), ACCESS_KEY.sk],
      ]),
    });
    let profile: ProfileConfig;
    let backend: Backend;
    const stub: TicketsFixture['stub'] = (name, impl) => suite().stub(name, impl);
    const node = (id: string) => suite().node(id, profile.name);
    before(async () => {
      profile = suite().backends.profiles().find((p) => p.name === 'hw')!;
      backend = await suite().backends.get(profile);
    });

    async function submit(title: string, sql = 'UPDATE orders SET status = 2 WHERE id = 7'): Promise<string> {
      const ticket = await backend.submit({
        id: randomUUID(), title, kind: 'DATA_CHANGE', sql, database: 'shop', reason: 'huawei extension test', stakeholders: [], attachments: [], backendFields: {},
      });
      return ticket.id;
    }

    const section = <T extends Section['type']>(sections: Section[], type: T) => sections.find((s): s is Extract<Section, { type: T }> => s.type === type);

    it('shows the cases under their statuses, tagged with the actions each allows', async () => {
      const waiting = await submit('Waiting case');
      const processing = await submit('Processing case');
      const completed = await submit('Completed case');
      fake.setNativeStatus(processing, 1);
      fake.setNativeStatus(completed, 3);
      suite().tickets.refresh();
      const root = (await suite().tree.getChildren()).find((n) => n.type === 'profile' && n.profile.name === 'hw');
      assert.ok(root, 'the Huawei profile is a root of the tree');
      const where = new Map<string, TicketState>();
      for (const group of await suite().tree.getChildren(root)) {
        assert.equal(group.type, 'group');
        for (const ticket of await suite().tree.getChildren(group)) if (ticket.type === 'ticket' && group.type === 'group') where.set(ticket.ticket.id, group.state);
      }
      assert.deepEqual([where.get(waiting), where.get(processing), where.get(completed)], ['pending_approval', 'executing', 'succeeded'] satisfies TicketState[]);
      const tags = async (id: string) => String(suite().tree.getTreeItem(await node(id)).contextValue).split(';').filter((t) => t.startsWith('can:'));
      for (const tag of ['can:cancel', 'can:urge', 'can:comment']) assert.ok((await tags(waiting)).includes(tag), `${tag} on a waiting case`);
      assert.ok((await tags(processing)).includes('can:close'), 'close on a case being processed');
      assert.ok(!(await tags(completed)).some((t) => ['can:urge', 'can:cancel', 'can:close', 'can:comment'].includes(t)), 'no actions on a completed case');
    });

    it('shows a case in the details panel: the engineer\'s reply as a comment from them, the attached SQL and the score', async () => {
      const longSql = `INSERT INTO audit_notes (note) VALUES ${Array.from({ length: 60 }, (_, i) => `('note number ${i} for the audit')`).join(',\n')};`;
      const draftId = randomUUID();
      const submitted = await backend.submit({
        id: draftId, title: 'Long change', kind: 'DATA_CHANGE', sql: longSql, database: 'shop', reason: 'attach it', stakeholders: [], attachments: [], backendFields: {},
      });
      const id = submitted.id;
      fake.addEngineerMessage(id, 'We are looking at the statement.');
      stub('showInputBox', (async () => 'It runs on the primary.') as typeof vscode.window.showInputBox);
      await vscode.commands.executeCommand('dbTickets.comment', await node(id));
      fake.setNativeStatus(id, 3);
      await backend.rate!(id, { score: 4, comment: 'quick and clear' });

      panels = new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, suite().backends, suite().tickets);
      const details = panels.open(profile, await backend.get(id));
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render', JSON.stringify(content));
      const view = content.view;
      assert.equal(view.heading, `#${id} Long change`);
      assert.deepEqual(section(view.main, 'comments')?.items.map((c) => [c.author, c.text]), [
        ['华为云技术支持 (Huawei Cloud support)', 'We are looking at the statement.'],
        ['alice', 'It runs on the primary.'],
      ]);
      assert.deepEqual(section(view.side, 'list')?.items, [sqlFileName(draftId)]);
      assert.equal(section(view.main, 'sql')?.spans.map(([, text]) => text).join(''), longSql, 'the SQL read back from the attachment');
      const history = section(view.side, 'timeline')?.items ?? [];
      const rated = history.find((e) => /^rated /.test(e.action));
      assert.ok(rated, history.map((e) => e.action).join(' | '));
      assert.match(rated.action, /Service attitude: 4\/5/);
      assert.equal(rated.comment, 'quick and clear');
    });

    it('downloads an attachment of a case from the tree: picks it, then where to save it', async () => {
      const longSql = `UPDATE orders SET note = 'checked' WHERE id IN (${Array.from({ length: 400 }, (_, i) => i + 1).join(', ')});`;
      const draftId = randomUUID();
      const { id } = await backend.submit({ id: draftId, title: 'Attachment case', kind: 'DATA_CHANGE', sql: longSql, database: 'shop', reason: 'attach it', stakeholders: [], attachments: [], backendFields: {} });
      const tags = String(suite().tree.getTreeItem(await node(id)).contextValue).split(';');
      assert.ok(tags.includes('has:attachments'), tags.join(';'));
      const offered: string[][] = [];
      stub('showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => {
        offered.push(items.map((i) => i.label));
        return items[0];
      }) as never);
      const target = join(mkdtempSync(join(tmpdir(), 'db-tickets-hw-attachment-')), 'saved.txt');
      const dialogs: Array<vscode.SaveDialogOptions | undefined> = [];
      stub('showSaveDialog', (async (options?: vscode.SaveDialogOptions) => {
        dialogs.push(options);
        return vscode.Uri.file(target);
      }) as typeof vscode.window.showSaveDialog);
      const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
      const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
      await vscode.commands.executeCommand('dbTickets.downloadAttachment', await node(id));
      assert.deepEqual(errors.calls, []);
      assert.deepEqual(offered, [[sqlFileName(draftId)]]);
      assert.equal(dialogs[0]?.defaultUri?.path.split('/').at(-1), sqlFileName(draftId));
      assert.equal(readFileSync(target, 'utf8'), longSql);
      assert.equal(info.calls.at(-1)?.[0], `Saved ${Buffer.byteLength(longSql)} bytes to ${target}`);
    });

    it('urges, comments on, cancels and closes cases from the tree through the extension\'s commands, and from the details panel', async () => {
      const info = stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
      const errors = stub('showErrorMessage', (async () => undefined) as typeof vscode.window.showErrorMessage);
      const waiting = await submit('Urge and cancel me');
      await vscode.commands.executeCommand('dbTickets.urge', await node(waiting));
      assert.equal(fake.requestsOf('action').at(-1)?.query.action_id[0], 'press');
      assert.equal(info.calls.at(-1)?.[0], `Ticket #${waiting}: pending approval`);

      const answers = ['please hurry', 'done another way'];
      stub('showInputBox', (async () => answers.shift()) as typeof vscode.window.showInputBox);
      await vscode.commands.executeCommand('dbTickets.comment', await node(waiting));
      assert.equal(fake.caseById(waiting)!.messages.at(-1)?.content, 'please hurry');
      await vscode.commands.executeCommand('dbTickets.cancel', await node(waiting));
      assert.equal(fake.caseById(waiting)!.status, 4);
      assert.equal(fake.requestsOf('action').at(-1)?.query.action_id[0], 'cancel');
      assert.equal(info.calls.at(-1)?.[0], `Ticket #${waiting}: cancelled/closed`);
      const left = String(suite().tree.getTreeItem(await node(waiting)).contextValue).split(';');
      assert.ok(!left.some((t) => ['can:urge', 'can:cancel', 'can:close', 'can:comment'].includes(t)), `a cancelled case allows no action: ${left.join(';')}`);

      const processing = await submit('Close me');
      fake.setNativeStatus(processing, 1);
      stub('showInputBox', (async () => 'solved') as typeof vscode.window.showInputBox);
      await vscode.commands.executeCommand('dbTickets.close', await node(processing));
      assert.equal(fake.caseById(processing)!.status, 3);
      assert.equal(info.calls.at(-1)?.[0], `Ticket #${processing}: succeeded`);

      // The details panel offers what the case allows and runs the same command.
      const fromPanel = await submit('Urge me from the panel');
      panels ??= new DetailsPanels(vscode.extensions.getExtension(extensionId)!.extensionUri, suite().backends, suite().tickets);
      const details = panels.open(profile, await backend.get(fromPanel));
      await details.refresh();
      const content = details.content;
      assert.ok(content?.type === 'render');
      const offered = content.view.actions.map((a) => a.action);
      assert.ok(['comment', 'urge', 'cancel'].every((a) => offered.includes(a as never)) && !offered.includes('close' as never), offered.join(', '));
      const presses = fake.requestsOf('action').length;
      assert.equal(await details.handleMessage({ type: 'action', action: 'urge' }), true);
      assert.equal(fake.requestsOf('action').length, presses + 1);
      assert.equal(fake.requestsOf('action').at(-1)?.query.action_id[0], 'press');
      assert.deepEqual(errors.calls, []);
    });
  });
});
