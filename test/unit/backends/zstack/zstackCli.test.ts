import * as assert from 'node:assert/strict';
import { checkJsonShape } from '../../../support/cliJsonShapes';
import { cliSandbox } from '../../../support/cliSandbox';
import { runCli as dbTickets } from '../../../support/runCli';
import { DB_CHANGE_API, type FakeZStack, startFakeZStack, WORLD } from '../../../fakes/zstack/harness';

describe('db-tickets on a ZStack profile (fake ZStack)', function () {
  this.timeout(60_000);
  let fake: FakeZStack;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await startFakeZStack();
    const request = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 };
    const profile = (name: string, username: string) => ({ name, backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username, project: WORLD.project.uuid, request });
    const profiles = [profile('zs', 'alice'), profile('zs-bob', 'bob'), profile('zs-carol', 'carol'), { name: 'zs-bare', backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username: 'alice', project: 'db-changes' }];
    env = { ...cliSandbox({ profiles }), ZSTACK_PASSWORD: '' };
  });
  afterEach(() => fake.stop());

  it('creates, approves in two steps and shows a succeeded ticket, with ZSTACK_PASSWORD only', async () => {
    const as = (password: string) => ({ ...env, ZSTACK_PASSWORD: password });
    const created = await dbTickets(as(WORLD.submitter.password), ['--profile', 'zs', 'create', '--kind', 'change', '--db', 'shop', '--reason', 'customer paid', '--json'], "UPDATE orders SET state = 'paid' WHERE id = 42;\n");
    assert.equal(created.code, 0, created.stderr);
    const ticket = JSON.parse(created.stdout);
    assert.equal(ticket.status.native, 'Pending');
    assert.equal(fake.tickets.length, 1);

    const awaiting = await dbTickets(as(WORLD.lead.password), ['--profile', 'zs-bob', 'list', '--scope', 'awaiting_me']);
    assert.equal(awaiting.code, 0, awaiting.stderr);
    assert.match(awaiting.stdout, new RegExp(`#${ticket.id}`));

    const bob = await dbTickets(as(WORLD.lead.password), ['--profile', 'zs-bob', 'approve', ticket.id, '--comment', 'fine']);
    assert.equal(bob.code, 0, bob.stderr);
    const wrong = await dbTickets(as(WORLD.lead.password), ['--profile', 'zs-bob', 'approve', ticket.id]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /whose approver is carol, not bob/);
    const carol = await dbTickets(as(WORLD.dba.password), ['--profile', 'zs-carol', 'approve', ticket.id]);
    assert.equal(carol.code, 0, carol.stderr);
    assert.match(carol.stdout, /succeeded/);

    const shown = await dbTickets(as(WORLD.submitter.password), ['--profile', 'zs', 'show', ticket.id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /UPDATE orders SET state = 'paid' WHERE id = 42;/);
    assert.match(shown.stdout, /fine/);

    const check = await dbTickets(as(WORLD.submitter.password), ['--profile', 'zs', 'check']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /two-step review/);
  });

  it('cancels and reopens; refuses without a password or a request template', async () => {
    const as = { ...env, ZSTACK_PASSWORD: WORLD.submitter.password };
    const created = await dbTickets(as, ['--profile', 'zs', 'create', '--kind', 'change', '--db', 'shop', '--reason', 'r', '--json'], 'DELETE FROM carts WHERE id = 1;\n');
    assert.equal(created.code, 0, created.stderr);
    const id = JSON.parse(created.stdout).id;
    assert.equal((await dbTickets(as, ['--profile', 'zs', 'cancel', id])).code, 0);
    const reopened = await dbTickets(as, ['--profile', 'zs', 'reopen', id, '--json']);
    assert.equal(reopened.code, 0, reopened.stderr);
    assert.equal(JSON.parse(reopened.stdout).status.native, 'Pending');
    checkJsonShape('reopen', reopened.stdout);

    const noPassword = await dbTickets(env, ['--profile', 'zs', 'list']);
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /No ZStack password for profile "zs".*ZSTACK_PASSWORD/);
    const bare = await dbTickets(as, ['--profile', 'zs-bare', 'create', '--kind', 'change', '--db', 'shop', '--reason', 'r'], 'DELETE FROM carts WHERE id = 2;\n');
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /no "request" template.*DATABASE_CHANGE_TICKET_TYPE/);
  });

  it('deletes a finished ticket of the user; comment alone is refused, pointing at --comment on a status change', async () => {
    const as = { ...env, ZSTACK_PASSWORD: WORLD.submitter.password };
    const created = await dbTickets(as, ['--profile', 'zs', 'create', '--kind', 'change', '--db', 'shop', '--reason', 'r', '--json'], 'DELETE FROM carts WHERE id = 3;\n');
    assert.equal(created.code, 0, created.stderr);
    const id = JSON.parse(created.stdout).id;

    const comment = await dbTickets(as, ['--profile', 'zs', 'comment', id, 'looks fine']);
    assert.equal(comment.code, 2);
    assert.match(comment.stderr, /ZStack keeps comments only with a status change: .*approve, reject, cancel or reopen \(--comment\)/);

    const early = await dbTickets(as, ['--profile', 'zs', 'delete', id]);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /cannot be deleted now: its actions now are cancel/);
    assert.equal(fake.tickets.length, 1);

    assert.equal((await dbTickets(as, ['--profile', 'zs', 'cancel', id, '--comment', 'wrong cart'])).code, 0);
    const deleted = await dbTickets(as, ['--profile', 'zs', 'delete', id]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Ticket #${id} "${JSON.parse(created.stdout).title}" deleted.\n`);
    assert.equal(fake.tickets.length, 0);
    assert.equal(fake.requests.filter((r) => r.operation === 'DeleteTicket').length, 1);
    const gone = await dbTickets(as, ['--profile', 'zs', 'show', id]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /has no ticket/);
  });
});
