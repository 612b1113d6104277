import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { backendIds } from '../../src/backends/registry';
import type { ProfileConfig } from '../../src/backends/profiles';
import { profileContextValue } from '../../src/vscode/tickets/ticketsTree';
import { FakeDms } from '../fakes/dms/fakeDms';
import { usePostgres } from '../support/postgresServer';
import { createTeamStore } from '../support/teamStoreHarness';
import { QuickInputDriver } from './quickInputDriver';
import { logFiles } from './failureReport';
import { activateExtension, windowStubber, until, useLocalStore } from './stubs';

const settings = () => vscode.workspace.getConfiguration('dbTickets');
const userProfiles = () => settings().inspect<ProfileConfig[]>('profiles')?.globalValue ?? [];
const userConnections = () => settings().inspect<Array<Record<string, unknown>>>('connections')?.globalValue ?? [];
const profileNode = (profile: ProfileConfig) => ({ type: 'profile', profile });

const accessKeyId = 'LTAI-ui-test-key-id';
const accessKeySecret = 'UiTestSecret-7f3a9c';

describe('profiles and connections from the UI', function () {
  this.timeout(180_000);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-profiles-'));
  const restores: Array<() => void> = [];
  let ui: QuickInputDriver;

  const stub = windowStubber(restores);
  const messages = (name: 'showErrorMessage' | 'showInformationMessage' | 'showWarningMessage', answer?: string) =>
    stub(name, (async () => answer) as never);

  const dms = new FakeDms();

  before(async () => {
    await activateExtension();
    await useLocalStore(join(folder, 'store'));
    await dms.start();
    dms.addAccessKey(accessKeyId, { secret: accessKeySecret }, '101');
  });
  beforeEach(() => (ui = new QuickInputDriver()));
  afterEach(() => {
    ui.restore();
    restores.splice(0).forEach((restore) => restore());
  });
  after(async () => {
    await useLocalStore(undefined);
    await settings().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await dms.stop();
  });

  it('adds a DMS profile step by step, with Back and inline validation; secrets go to SecretStorage, never to settings', async () => {
    const infos = messages('showInformationMessage');
    const done = vscode.commands.executeCommand('dbTickets.addProfile');

    const backend = await ui.nextPick();
    assert.deepEqual([backend.step, backend.ignoreFocusOut], [1, true]);
    assert.deepEqual(backend.items.map((i) => i.value), backendIds, 'the registered backends, the Local workflow first');
    await ui.pick('Alibaba Cloud DMS', backend);

    const name = await ui.nextBox();
    assert.equal(name.validationMessage, undefined, 'the empty step opens with its prompt, not an error');
    await ui.enter('', name);
    assert.equal(name.step, 2);
    assert.ok(name.buttons.includes(vscode.QuickInputButtons.Back));
    assert.match(String(name.validationMessage), /short name/);
    await ui.enter('local', name);
    assert.match(String(name.validationMessage), /"local" is taken/);
    await ui.enter('dms test', name);
    assert.match(String(name.validationMessage), /letters, digits/);
    await ui.enter('dms-ui', name);

    await ui.pick('cn-shanghai');
    const endpoint = await ui.nextBox();
    assert.equal(endpoint.step, 4);
    await ui.back();
    const region = await ui.nextPick();
    assert.equal(region.step, 3);
    assert.equal(region.activeItems[0]?.value, 'cn-shanghai', 'Back shows the earlier answer');
    await ui.pick('cn-hangzhou', region);
    const endpointAgain = await ui.enter('ftp://dms.example');
    assert.match(String(endpointAgain.validationMessage), /https/);
    await ui.enter(dms.url, endpointAgain);

    await ui.pick('Public endpoint');
    const tid = await ui.enter('acme');
    assert.match(String(tid.validationMessage), /number/);
    await ui.enter('3000', tid);
    await ui.pick(/^V3/);
    const consoleUrl = await ui.enter('https://dms.aliyun.com/?orderId=');
    assert.match(String(consoleUrl.validationMessage), /\{id\}/);
    await ui.enter('https://dms.aliyun.com/?orderId={id}', consoleUrl);
    await ui.pick(/NDDL/);
    const staging = await ui.enter('s3://stage/');
    assert.match(String(staging.validationMessage), /oss:\/\/bucket\/prefix\//);
    await ui.enter('', staging);

    const keyId = await ui.enter('');
    assert.equal(keyId.password, true);
    assert.match(String(keyId.validationMessage), /required/);
    assert.equal(keyId.totalSteps, 13, 'the OSS endpoint is asked only with an OSS location');
    await ui.enter(accessKeyId, keyId);
    await ui.enter(accessKeySecret);
    await ui.enter('');
    await done;

    assert.deepEqual(userProfiles().find((p) => p.name === 'dms-ui'), {
      name: 'dms-ui', backend: 'dms', region: 'cn-hangzhou', endpoint: dms.url, tid: 3000, signatureVersion: 'v3',
      consoleUrl: 'https://dms.aliyun.com/?orderId={id}', schemaChangeAs: 'NDDL',
    });
    const written = JSON.stringify(settings().inspect('profiles'));
    assert.ok(!written.includes(accessKeySecret) && !written.includes(accessKeyId), 'a secret reached the settings');
    // Checked once saved: the DMS signed with the secrets from SecretStorage and named the tenant.
    assert.match(String(infos.calls[0]?.[0]), /^Profile "dms-ui" works\. .*acme/);
    assert.deepEqual(dms.rejections, []);
  });

  it('edits a profile with its values pre-filled; empty secrets keep the stored ones and a rename moves them', async () => {
    const errors = messages('showErrorMessage');
    messages('showInformationMessage');
    const profile = userProfiles().find((p) => p.name === 'dms-ui')!;
    const done = vscode.commands.executeCommand('dbTickets.editProfile', profileNode(profile));
    const name = await ui.nextBox();
    assert.equal(name.value, 'dms-ui');
    await ui.enter('dms-renamed', name);
    const region = await ui.nextPick();
    assert.equal(region.activeItems[0]?.value, 'cn-hangzhou');
    await ui.pick('cn-beijing', region);
    for (let i = 0; i < 7; i++) await ui.keep();
    for (let i = 0; i < 2; i++) {
      const secret = await ui.nextBox();
      assert.match(String(secret.prompt), /leave empty to keep the stored one/);
      await ui.enter('', secret);
    }
    const token = await ui.nextBox();
    assert.doesNotMatch(String(token.prompt), /stored/, 'no token was stored');
    await ui.enter('', token);
    await done;
    assert.deepEqual(errors.calls, [], 'the renamed profile no longer finds its secrets');

    const profiles = userProfiles();
    assert.ok(!profiles.some((p) => p.name === 'dms-ui'));
    assert.equal(profiles.find((p) => p.name === 'dms-renamed')?.region, 'cn-beijing');

    // The secrets moved with the name: editing the renamed profile finds them.
    const again = vscode.commands.executeCommand('dbTickets.editProfile', profileNode(profiles.find((p) => p.name === 'dms-renamed')!));
    for (let i = 0; i < 9; i++) await ui.keep();
    const keyId = await ui.nextBox();
    assert.match(String(keyId.prompt), /leave empty to keep the stored one/);
    keyId.hide();
    await again;
  });

  it('says when a profile does not work, offering to edit it or show the log', async () => {
    const errors = messages('showErrorMessage');
    const broken = { name: 'dms-down', backend: 'dms', endpoint: 'http://127.0.0.1:9' } as ProfileConfig;
    await settings().update('profiles', [...userProfiles(), broken], vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('dbTickets.checkProfile', profileNode(broken));
      assert.match(String(errors.calls[0]?.[0]), /^Profile "dms-down" does not work: /);
      assert.deepEqual(errors.calls[0]?.slice(1), ['Edit Profile', 'Show Log']);
    } finally {
      await settings().update('profiles', userProfiles().filter((p) => p.name !== 'dms-down'), vscode.ConfigurationTarget.Global);
    }
  });

  it('removes a profile and its secrets after a modal confirmation; the Local profile cannot be removed', async () => {
    const errors = messages('showErrorMessage');
    const confirm = messages('showWarningMessage', 'Remove');
    const profile = userProfiles().find((p) => p.name === 'dms-renamed')!;
    assert.equal(profileContextValue(profile), 'profile;backend:dms;editable;removable');
    assert.equal(profileContextValue({ name: 'local', backend: 'local' }), 'profile;backend:local;editable;connections');

    await vscode.commands.executeCommand('dbTickets.removeProfile', profileNode(profile));
    assert.equal((confirm.calls[0]?.[1] as vscode.MessageOptions).modal, true);
    assert.ok(!userProfiles().some((p) => p.name === 'dms-renamed'));

    // The same profile put back by hand has no secrets left: the form asks for them again.
    await settings().update('profiles', [...userProfiles(), profile], vscode.ConfigurationTarget.Global);
    const edit = vscode.commands.executeCommand('dbTickets.editProfile', profileNode(profile));
    for (let i = 0; i < 9; i++) await ui.keep();
    const keyId = await ui.enter('');
    assert.match(String(keyId.validationMessage), /required/);
    keyId.hide();
    await edit;
    await settings().update('profiles', userProfiles().filter((p) => p.name !== profile.name), vscode.ConfigurationTarget.Global);

    await vscode.commands.executeCommand('dbTickets.removeProfile', profileNode({ name: 'local', backend: 'local' }));
    assert.match(String(errors.calls[0]?.[0]), /The Local profile is built in and cannot be removed/);
    assert.ok(userProfiles().some((p) => p.name === 'local'));
  });

  it('adds a Local profile keeping its tickets in a chosen folder, and checks that it opens', async () => {
    const info = messages('showInformationMessage');
    const store = join(folder, 'team-store');
    stub('showOpenDialog', (async () => [vscode.Uri.file(store)]) as never);
    const done = vscode.commands.executeCommand('dbTickets.addProfile');
    await ui.pick('Local workflow');
    await ui.enter('local-team');
    const where = await ui.pick('Choose a Folder…');
    assert.equal(where.step, 3);
    await ui.enter('Dana');
    await done;
    assert.deepEqual(userProfiles().find((p) => p.name === 'local-team'), { name: 'local-team', backend: 'local', store, actor: 'Dana' });
    assert.equal(info.calls.at(-1)?.[0], 'Profile "local-team" works: its backend opened.');
    await settings().update('profiles', userProfiles().filter((p) => p.name !== 'local-team'), vscode.ConfigurationTarget.Global);
  });

  it('refuses to remove the built-in demo database', async () => {
    const errors = messages('showErrorMessage');
    stub('showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === 'demo')) as never);
    await vscode.commands.executeCommand('dbTickets.removeConnection');
    assert.match(String(errors.calls[0]?.[0]), /The demo database is built in and cannot be removed/);
  });

  describe('a PostgreSQL connection', () => {
    const server = usePostgres();

    it('is tested for real: a wrong password says so and Back to the fix; the password lands in SecretStorage only', async () => {
      const info = messages('showInformationMessage');
      const done = vscode.commands.executeCommand('dbTickets.addConnection');
      await ui.pick('PostgreSQL');
      await ui.enter('pg-ui');
      const host = await ui.nextBox();
      assert.equal(host.value, '127.0.0.1');
      await ui.enter(server().host, host);
      const port = await ui.nextBox();
      assert.equal(port.value, '5432', 'the driver\'s default port is offered');
      await ui.enter('99999', port);
      assert.match(String(port.validationMessage), /1 to 65535/);
      await ui.enter(String(server().port), port);
      await ui.enter(server().database);
      await ui.enter(server().user);
      await ui.pick('Off');
      const password = await ui.enter('wrong-password');
      assert.equal(password.password, true);

      const final = await ui.nextPick();
      assert.deepEqual([final.step, final.totalSteps], [9, 9]);
      await ui.pick(/Test Connection/, final);
      await until(() => final.items.some((i) => /Connection failed/.test(i.label)), 'a failed test');
      const failure = final.items[0];
      assert.match(String(failure.detail), /rejected the login: .*password authentication failed.*Check the user name and password/);
      assert.match(final.items[1].label, /Change User or Password/);
      assert.equal(final.items[1].description, 'suggested');

      await ui.pick(/Change User or Password/, final);
      const user = await ui.nextBox();
      assert.deepEqual([user.step, user.value], [6, server().user]);
      await ui.enter(server().user, user);
      await ui.keep(); // TLS stays off
      await ui.enter(server().password);
      const retry = await ui.nextPick();
      await ui.pick(/Test Connection/, retry);
      await until(() => /Connected to "pg-ui"/.test(String(retry.placeholder)), 'a passed test');
      await ui.pick(/Save/, retry);
      await done;

      assert.deepEqual(userConnections().find((c) => c.name === 'pg-ui'), {
        name: 'pg-ui', driver: 'postgres', host: server().host, port: server().port, database: server().database, user: server().user,
      });
      assert.ok(!JSON.stringify(settings().inspect('connections')).includes(server().password), 'the password reached the settings');
      assert.equal(info.calls.at(-1)?.[0], 'Database connection "pg-ui" saved.');

      // Editing it with the password left empty tests with the one in SecretStorage.
      stub('showQuickPick', (async (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === 'pg-ui')) as never);
      const edit = vscode.commands.executeCommand('dbTickets.editConnection');
      for (let i = 0; i < 6; i++) await ui.keep();
      const stored = await ui.nextBox();
      assert.match(String(stored.prompt), /leave empty to keep the stored one/);
      await ui.enter('', stored);
      const check = await ui.nextPick();
      await ui.pick(/Test Connection/, check);
      await until(() => /Connected to "pg-ui"/.test(String(check.placeholder)), 'a passed test with the stored password');
      check.hide();
      await edit;
    });

    it('keeps a Local profile in a team store chosen among the PostgreSQL connections, without asking for an actor, and edits it keeping the store', async () => {
      const team = await createTeamStore(server());
      process.env.DB_TICKETS_TEAM_UI_PASSWORD = 'team-password';
      const ann = { ...(await team.person('ann', ['submitter'])), name: 'team-ui', passwordEnv: 'DB_TICKETS_TEAM_UI_PASSWORD' };
      await settings().update('connections', [...userConnections().filter((c) => c.name !== 'team-ui'), ann], vscode.ConfigurationTarget.Global);
      const warnings = messages('showWarningMessage');
      const done = vscode.commands.executeCommand('dbTickets.addProfile');
      await ui.pick('Local workflow');
      await ui.enter('local-shared');
      const where = await ui.nextPick();
      assert.ok(where.items.some((item) => item.label === 'Team store in "team-ui"'));
      await ui.pick('Team store in "team-ui"', where);
      await done;
      const saved = { name: 'local-shared', backend: 'local', store: { connection: 'team-ui' } };
      assert.deepEqual(userProfiles().find((p) => p.name === 'local-shared'), saved);
      await until(() => warnings.calls.length > 0, 'the check of the new profile');
      assert.match(String(warnings.calls.at(-1)?.[0]), /Profile "local-shared" works\. Store: the ticket store in PostgreSQL ann@.* · You act as: ann · Your roles: submitter\nYou cannot approve or reject tickets/);

      const edit = vscode.commands.executeCommand('dbTickets.editProfile', profileNode(saved as ProfileConfig));
      await ui.enter('local-shared');
      const current = await ui.nextPick();
      assert.deepEqual(current.items.filter((item) => item.label === 'Team store in "team-ui"').map((item) => item.description), ['current']);
      await ui.pick('Team store in "team-ui"', current);
      await edit;
      assert.deepEqual(userProfiles().find((p) => p.name === 'local-shared'), saved);
      await settings().update('profiles', userProfiles().filter((p) => p.name !== 'local-shared'), vscode.ConfigurationTarget.Global);
    });

    it('never writes a secret saved through the UI to the log, even when an error message contains it', async () => {
      const errors = messages('showErrorMessage');
      stub('showInputBox', (async () => '') as never);
      for (const secret of [server().password, accessKeySecret]) {
        const ticket = { id: `lost-${secret}`, title: 'probe', actions: [], status: { state: 'pending_approval', native: 'pending_approval' } };
        await vscode.commands.executeCommand('dbTickets.approve', { type: 'ticket', profile: { name: 'local', backend: 'local' }, ticket });
      }
      assert.equal(errors.calls.length, 2);
      for (const call of errors.calls) {
        assert.match(String(call[0]), /^Ticket #lost-\*\*\* does not exist/);
      }
      const text = () => logFiles().map((file) => readFileSync(file, 'utf8')).join('\n');
      await until(() => (text().match(/Ticket #lost-\*\*\* does not exist/g) ?? []).length >= 2, 'both errors in the log file');
      const log = text();
      assert.ok(!log.includes(server().password), 'the database password is in the log');
      assert.ok(!log.includes(accessKeySecret), 'the access key secret is in the log');
    });
  });
});
