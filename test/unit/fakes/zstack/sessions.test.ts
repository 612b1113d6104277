import * as assert from 'node:assert/strict';
import { sha512Hex, useFakeZStack, WORLD } from '../../../fakes/zstack/harness';
import { asSubmitter, loginAccount, send } from './wire';

describe('fake ZStack: logins and sessions', () => {
  const fake = useFakeZStack();

  it('logs an IAM2 virtual ID in with the lowercase SHA-512 hex of its password', async () => {
    const reply = await send(fake(), 'PUT', '/iam2/virtual-ids/login', { body: { loginIAM2VirtualID: { name: 'alice', password: sha512Hex(WORLD.submitter.password) } } });
    assert.equal(reply.status, 200);
    const inventory = reply.json.inventory;
    assert.match(inventory.uuid, /^[0-9a-f]{32}$/);
    assert.equal(inventory.userUuid, WORLD.submitter.uuid);
    assert.equal(inventory.userType, 'IAM2VirtualIDVO');
    assert.match(inventory.expiredDate, /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
  });

  for (const [label, password] of [
    ['a plain password', WORLD.submitter.password],
    ['upper-case hex', sha512Hex(WORLD.submitter.password).toUpperCase()],
    ['the hash of another password', sha512Hex('wrong')],
  ] as const) {
    it(`refuses ${label} as a wrong password (503 ID.1000)`, async () => {
      const reply = await send(fake(), 'PUT', '/iam2/virtual-ids/login', { body: { loginIAM2VirtualID: { name: 'alice', password } } });
      assert.equal(reply.status, 503);
      assert.equal(reply.json.error.code, 'ID.1000');
      assert.equal(typeof reply.json.error.description, 'string');
      assert.equal(typeof reply.json.error.details, 'string');
    });
  }

  it('logs an account in, and refuses its plain password', async () => {
    const ok = await send(fake(), 'PUT', '/accounts/login', { body: { logInByAccount: { accountName: 'admin', password: sha512Hex('password') } } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.inventory.accountUuid, WORLD.admin.uuid);
    assert.equal(ok.json.inventory.userType, 'AccountVO');
    const plain = await send(fake(), 'PUT', '/accounts/login', { body: { logInByAccount: { accountName: 'admin', password: 'password' } } });
    assert.equal(plain.status, 503);
    assert.equal(plain.json.error.code, 'ID.1000');
  });

  it("logs a user of an account in by the account's name or uuid", async () => {
    const byName = await send(fake(), 'PUT', '/accounts/users/login', { body: { logInByUser: { accountName: 'dbteam', userName: 'ops', password: sha512Hex(WORLD.user.password) } } });
    assert.equal(byName.status, 200);
    assert.equal(byName.json.inventory.userUuid, WORLD.user.uuid);
    assert.equal(byName.json.inventory.accountUuid, WORLD.account.uuid);
    assert.equal(byName.json.inventory.userType, 'UserVO');
    const byUuid = await send(fake(), 'PUT', '/accounts/users/login', { body: { logInByUser: { accountUuid: WORLD.account.uuid, userName: 'ops', password: sha512Hex(WORLD.user.password) } } });
    assert.equal(byUuid.status, 200);
    const plain = await send(fake(), 'PUT', '/accounts/users/login', { body: { logInByUser: { accountName: 'dbteam', userName: 'ops', password: WORLD.user.password } } });
    assert.equal(plain.json.error.code, 'ID.1000');
  });

  it('refuses a login without its mandatory fields (SYS.1007)', async () => {
    const reply = await send(fake(), 'PUT', '/iam2/virtual-ids/login', { body: { loginIAM2VirtualID: { password: sha512Hex('x') } } });
    assert.equal(reply.status, 503);
    assert.equal(reply.json.error.code, 'SYS.1007');
    assert.match(reply.json.error.details, /name/);
  });

  it('logs a virtual ID into one of its projects by name, and not into a project it is not in', async () => {
    const session = await asSubmitter(fake());
    const project = await send(fake(), 'PUT', '/iam2/projects/login', { session, body: { loginIAM2Project: { projectName: WORLD.project.name } } });
    assert.equal(project.status, 200);
    assert.notEqual(project.json.inventory.uuid, session);
    assert.equal(project.json.inventory.userUuid, WORLD.submitter.uuid);
    assert.equal(project.json.inventory.accountUuid, WORLD.account.uuid, 'a project session acts as the project’s linked account');
    const other = await send(fake(), 'PUT', '/iam2/projects/login', { session, body: { loginIAM2Project: { projectName: WORLD.otherProject.name } } });
    assert.equal(other.status, 503);
    assert.equal(other.json.error.code, 'SYS.1007');
    const noAuth = await send(fake(), 'PUT', '/iam2/projects/login', { body: { loginIAM2Project: { projectName: WORLD.project.name } } });
    assert.equal(noAuth.status, 400);
  });

  it('requires "Authorization: OAuth <session>" on every other call (plain-text 400)', async () => {
    const missing = await send(fake(), 'GET', '/tickets');
    assert.equal(missing.status, 400);
    assert.equal(missing.text, "missing header 'Authorization'");
    assert.match(missing.contentType, /text\/plain/);
    const session = await asSubmitter(fake());
    const bearer = await send(fake(), 'GET', '/tickets', { authorization: `Bearer ${session}` });
    assert.equal(bearer.status, 400);
    assert.equal(bearer.text, "Authorization type must be 'OAuth'");
    const ok = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(ok.status, 200);
  });

  it('answers an unknown session with ID.1001 (503), not at HTTP level', async () => {
    const reply = await send(fake(), 'GET', '/tickets', { session: 'f'.repeat(32) });
    assert.equal(reply.status, 503);
    assert.equal(reply.json.error.code, 'ID.1001');
  });

  it('expires sessions after sessionLifetimeMs', async () => {
    fake().sessionLifetimeMs = 60;
    const session = await asSubmitter(fake());
    assert.equal((await send(fake(), 'GET', '/tickets', { session })).status, 200);
    await new Promise((r) => setTimeout(r, 80));
    const late = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(late.status, 503);
    assert.equal(late.json.error.code, 'ID.1001');
    assert.equal((await send(fake(), 'GET', `/accounts/sessions/${session}/valid`)).json.valid, false);
  });

  it('expires a session after a number of uses', async () => {
    const session = await asSubmitter(fake());
    const other = await loginAccount(fake(), 'admin', 'password');
    fake().expireSessionAfterUses(2, session);
    assert.equal((await send(fake(), 'GET', '/tickets', { session })).status, 200);
    assert.equal((await send(fake(), 'GET', '/ticket-types', { session })).status, 200);
    const third = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(third.status, 503);
    assert.equal(third.json.error.code, 'ID.1001');
    assert.equal((await send(fake(), 'GET', '/tickets', { session: other })).status, 200, 'other sessions live on');
    const again = await asSubmitter(fake());
    assert.equal((await send(fake(), 'GET', '/tickets', { session: again })).status, 200, 'a new login works');
  });

  it('validates and logs out a session without Authorization', async () => {
    const session = await asSubmitter(fake());
    const valid = await send(fake(), 'GET', `/accounts/sessions/${session}/valid`);
    assert.equal(valid.status, 200);
    assert.equal(valid.json.valid, true);
    const out = await send(fake(), 'DELETE', `/accounts/sessions/${session}`);
    assert.equal(out.status, 200);
    const after = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(after.json.error.code, 'ID.1001');
  });

  it('records who made each call', async () => {
    const session = await asSubmitter(fake());
    await send(fake(), 'GET', '/tickets', { session });
    const [call] = fake().requestsOf('QueryTicket');
    assert.equal(call.session?.uuid, session);
    assert.deepEqual(call.session?.identity, { kind: 'virtualId', uuid: WORLD.submitter.uuid, name: 'alice' });
    assert.equal(call.headers.authorization, `OAuth ${session}`);
  });
});
