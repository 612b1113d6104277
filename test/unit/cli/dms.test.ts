import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets, startCli } from '../../support/runCli';
import type { FakeDms } from '../../fakes/dms/fakeDms';
import { startFake } from '../../fakes/dms/harness';
import { checkJsonShape } from '../../support/cliJsonShapes';


const alice = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'alice-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'alice-secret-0123456789' };
const bob = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'bob-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bob-secret-0123456789' };

describe('db-tickets on a DMS profile (fake DMS)', function () {
  this.timeout(60_000);
  let fake: FakeDms;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await startFake();
    env = {
      ...cliSandbox({
        profiles: [
          { name: 'dms', backend: 'dms', endpoint: fake.url, timeoutMs: 5000 },
          { name: 'dms-v1', backend: 'dms', endpoint: fake.url, signatureVersion: 'v1', tid: 3000, consoleUrl: 'https://dms.aliyun.com/?orderId={id}' },
        ],
      }),
      ALIBABA_CLOUD_ACCESS_KEY_ID: '',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: '',
      ALIBABA_CLOUD_SECURITY_TOKEN: '',
      ALIBABA_CLOUD_PROFILE: '',
    };
  });
  afterEach(() => fake.stop());

  it('runs an export through its whole life with environment-variable credentials', async () => {
    const as = (who: object) => ({ ...env, ...who });
    const created = await dbTickets(as(alice), ['--profile', 'dms', 'create', '--kind', 'export', '--db', 'shop_prod', '--reason', 'weekly report', '--json'], 'SELECT id, email FROM customers;\n');
    assert.equal(created.code, 0, created.stderr);
    const ticket = JSON.parse(created.stdout);
    assert.equal(ticket.status.state, 'pending_approval');
    assert.equal(ticket.status.native, 'toaudit');
    assert.equal(ticket.title, 'Export customers');

    const listed = await dbTickets(as(alice), ['--profile', 'dms', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^#${ticket.id} +pending approval +DATA_EXPORT +Export customers$`, 'm'));
    assert.equal(fake.callsOf('ListOrders').at(-1)!.query.OrderResultType, 'AS_COMMITTER');

    const awaiting = await dbTickets(as(bob), ['--profile', 'dms', 'list', '--scope', 'awaiting_me']);
    assert.match(awaiting.stdout, new RegExp(`^#${ticket.id} +pending approval +DATA_EXPORT +● +Export customers$`, 'm'));

    const approved = await dbTickets(as(bob), ['--profile', 'dms', 'approve', ticket.id, '--comment', 'fine by me']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout, `#${ticket.id} Export customers — approved\n`);

    const executed = await dbTickets(as(alice), ['--profile', 'dms', 'execute', `#${ticket.id}`]);
    assert.equal(executed.code, 0, executed.stderr);
    assert.match(executed.stdout, /— succeeded \[success\]/);

    const downloaded = await dbTickets(as(alice), ['--profile', 'dms', 'download', ticket.id]);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    assert.deepEqual(readFileSync(join(env.HOME!, `ticket-${ticket.id}.zip`)), fake.exportResult);

    const shown = await dbTickets(as(alice), ['--profile', 'dms', 'show', ticket.id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^Reason: +weekly report$/m);
    assert.match(shown.stdout, /^ {2}SELECT id, email FROM customers;$/m);
    assert.match(shown.stdout, /approved \(DBA\) — fine by me$/m);

    const watched = await dbTickets(as(alice), ['--profile', 'dms', 'watch', ticket.id]);
    assert.equal(watched.code, 0, watched.stderr);
  });

  it('reads an Aliyun CLI StsToken profile, signs V1, and links tickets to the console', async () => {
    fake.addAccessKey('sts-ak', { secret: 'sts-secret-0123456789', securityToken: 'sts-token-value' }, '101');
    mkdirSync(join(env.HOME!, '.aliyun'));
    writeFileSync(
      join(env.HOME!, '.aliyun', 'config.json'),
      JSON.stringify({ current: 'work', profiles: [{ name: 'work', mode: 'StsToken', access_key_id: 'sts-ak', access_key_secret: 'sts-secret-0123456789', sts_token: 'sts-token-value', region_id: 'cn-hangzhou' }] }),
    );
    const created = await dbTickets(env, ['--profile', 'dms-v1', '--json', 'create', '--kind', 'schema', '--db', '1861', '--title', 'Add vip flag', '--reason', 'loyalty'], 'ALTER TABLE customers ADD vip BOOLEAN;');
    assert.equal(created.code, 0, created.stderr);
    const ticket = JSON.parse(created.stdout);
    assert.equal(ticket.kind, 'SCHEMA_CHANGE');
    assert.equal(ticket.webUrl, `https://dms.aliyun.com/?orderId=${ticket.id}`);
    assert.ok(fake.calls.every((c) => c.version === 'v1' && c.accessKeyId === 'sts-ak' && c.query.Tid === '3000'));
  });

  it('check shows tenant, user, control mode and quota; warns for an edition that cannot run the tickets', async () => {
    const ok = await dbTickets({ ...env, ...alice }, ['--profile', 'dms', 'check']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'Tenant:                         acme (tid 3000)\nUser:                           alice (DMS user 101), USER\nControl mode:                   Security Collaboration\nQuota (Security Collaboration): 12 instances, 7 in purchase orders, until 2027-01-01 00:00:00\n');
    fake.effectiveOrders = [{ CommodityType: 'VersionType', VersionType: 'stand', TotalQuota: 2 }];
    const warned = await dbTickets({ ...env, ...alice }, ['--profile', 'dms', 'check', '--json']);
    const result = JSON.parse(warned.stdout);
    assert.match(result.warnings[0], /This tenant has Stable Change/);
  });

  it('transfer hands the approval over to another user', async () => {
    const { id } = JSON.parse((await dbTickets({ ...env, ...alice }, ['--profile', 'dms', '--json', 'create', '--kind', 'change', '--db', '1860', '--reason', 'fix'], 'UPDATE customers SET vip = true WHERE id = 1;')).stdout);
    const moved = await dbTickets({ ...env, ...bob }, ['--profile', 'dms', 'transfer', id, '--to', 'carol', '--comment', 'yours', '--json']);
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(fake.orders[0].handlers[0], '103');
    checkJsonShape('transfer', moved.stdout);
  });

  it('without credentials: exit 2 saying where to put them', async () => {
    const run = await dbTickets(env, ['--profile', 'dms', 'list']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^db-tickets: No Alibaba Cloud AccessKey for profile "dms": .* set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure the Aliyun CLI/);
  });

  it('a wrong secret: exit 1, the message says what to do and shows neither the secret nor a signature', async () => {
    const run = await dbTickets({ ...env, ALIBABA_CLOUD_ACCESS_KEY_ID: 'alice-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-right-secret' }, ['--profile', 'dms', 'list']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /SignatureDoesNotMatch.*the AccessKey secret \(from environment variables\) does not match its AccessKey ID.*\(RequestId [0-9A-F-]+\)\n$/);
    assert.ok(!run.stderr.includes('not-the-right-secret'));
    assert.ok(!/Signature=|ACS3-HMAC-SHA256 Credential/.test(run.stderr));
  });

  it('an unreachable endpoint: exit 1 naming the proxy settings', async () => {
    await fake.stop();
    const run = await dbTickets({ ...env, ...alice }, ['--profile', 'dms', 'show', '12']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^db-tickets: Could not reach DMS at http:\/\/127\.0\.0\.1:\d+ \(could not connect \(ECONNREFUSED\)\): check the network, the proxy settings \(HTTPS_PROXY, NO_PROXY\)/);
    fake = await startFake();
  });

  describe('create', () => {
    const as = () => ({ ...env, ...alice });

    it('sends stakeholders, the row estimate and the logical flag from the command line', async () => {
      const created = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'export', '--db', 'orders_logic', '--logical', '--rows', '250', '--stakeholder', '102', '--stakeholder', 'carol', '--reason', 'audit'], 'SELECT id FROM orders;');
      assert.equal(created.code, 0, created.stderr);
      const [call] = fake.callsOf('CreateOrder');
      assert.equal(call.query.RelatedUserList, '102,103');
      assert.equal(fake.callsOf('SearchDatabase')[0].query.SearchTarget, 'LOGIC_DB');
      const param = JSON.parse(call.body.PluginParam);
      assert.equal(param.dbId, 1890);
      assert.equal(param.logic, true);
      const physical = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'export', '--db', '1860', '--logical', '--reason', 'audit'], 'SELECT id FROM customers;');
      assert.equal(physical.code, 1);
      assert.match(physical.stderr, /InvalidDbId: .*\): DMS has no database with that id for you — or it is a physical database marked logical, or the reverse/);
      assert.equal(param.affectRows, 250);
      assert.equal(param.ignoreAffectRows, false);
      const badRows = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'export', '--db', '1860', '--rows', 'many'], 'SELECT 1;');
      assert.equal(badRows.code, 2);
      assert.match(badRows.stderr, /--rows must be a whole number of rows, 0 or more; not "many"\./);
    });

    it('tells before submitting that a schema design ticket will not run its DDL when approved', async () => {
      const created = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'schema', '--db', '1861', '--reason', 'loyalty'], 'ALTER TABLE customers ADD vip BOOLEAN;');
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stderr, /^db-tickets: note: DMS files this schema change as a schema design ticket \(NDDL\): approving it does not run the DDL/m);
      const shown = await dbTickets(as(), ['--profile', 'dms', 'show', fake.orders[0].OrderId.toString()]);
      assert.match(shown.stdout, /^Filed as: +Schema design ticket \(NDDL\): approving it does not run the DDL/m);
      assert.match(shown.stdout, /^Reason: +loyalty$/m);
      assert.match(shown.stdout, /^SQL:\n {2}ALTER TABLE customers ADD vip BOOLEAN;\n/m);
    });

    it('a failed precheck exits 1 with its findings and keeps the ticket open, saying how to close it; --on-precheck-failure close closes it', async () => {
      const sql = "UPDATE customers SET note = 'FAIL_PRECHECK' WHERE id = 1;";
      const kept = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'change', '--db', '1860', '--reason', 'fix'], sql);
      assert.equal(kept.code, 1);
      const id = String(fake.orders[0].OrderId);
      assert.match(kept.stdout, new RegExp(`^Submitted #${id} .* — failed`));
      assert.match(kept.stderr, new RegExp(`db-tickets: the precheck of #${id} failed:\n {2}SQL_SYNTAX_CHECK: SQL syntax error near FAIL_PRECHECK\nTicket #${id} stays open on the service\\. Fix the SQL and create a new ticket, then close this one: db-tickets cancel ${id}\n$`));
      assert.equal(fake.orders[0].StatusCode, 'new');
      const closed = await dbTickets(as(), ['--profile', 'dms', 'create', '--kind', 'change', '--db', '1860', '--reason', 'fix', '--on-precheck-failure', 'close'], sql);
      assert.equal(closed.code, 1);
      assert.equal(fake.orders[1].StatusCode, 'closed');
      assert.match(closed.stderr, new RegExp(`Ticket #${fake.orders[1].OrderId} is closed \\(cancelled\\/closed\\)\\. Fix the SQL and create a new ticket\\.\n$`));
    });

    it('the same --key in a later run resumes the ticket a lost answer left unknown; without --key the message names the key to use', async () => {
      fake.inject({ kind: 'dropAfterCommit', action: 'CreateOrder' });
      // After the look-up before the create, DMS's lists fail: the run cannot tell what became of its create.
      fake.inject({ kind: '5xx', action: 'ListOrders', after: 1, times: 10_000 });
      const args = ['--profile', 'dms', 'create', '--kind', 'export', '--db', 'shop_prod', '--reason', 'report'];
      const lost = await dbTickets(as(), args, 'SELECT id FROM customers;');
      assert.equal(lost.code, 1);
      const key = /run the same command again with --key ([0-9a-f-]{36})\./.exec(lost.stderr)?.[1];
      assert.ok(key, lost.stderr);
      assert.match(lost.stderr, /whether DMS created it is unknown\./);
      fake.clearFaults();
      const resumed = await dbTickets(as(), [...args, '--key', key, '--json'], 'SELECT id FROM customers;');
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(JSON.parse(resumed.stdout).id, String(fake.orders[0].OrderId));
      assert.equal(fake.orders.length, 1);
      assert.equal(fake.callsOf('CreateOrder').length, 1);
    });

    it('a run killed (SIGKILL) while DMS creates the ticket: the next run with the same --key finds it and files no second', async () => {
      fake.listLagMs = 1_500;
      fake.inject({ kind: 'delay', action: 'CreateOrder', delayMs: 1_000 });
      const args = ['--profile', 'dms', 'create', '--kind', 'export', '--db', 'shop_prod', '--reason', 'nightly', '--key', 'pipeline-run-77', '--json'];
      const first = startCli(as(), args, 'SELECT id FROM customers;');
      for (let waited = 0; fake.callsOf('CreateOrder').length === 0; waited += 10) {
        assert.ok(waited < 20_000, 'the first run sent its create');
        await new Promise((r) => setTimeout(r, 10));
      }
      first.child.kill('SIGKILL');
      assert.equal((await first.done).code, null);
      const second = await dbTickets(as(), args, 'SELECT id FROM customers;');
      assert.equal(second.code, 0, second.stderr);
      assert.equal(fake.orders.length, 1);
      assert.equal(JSON.parse(second.stdout).id, String(fake.orders[0].OrderId));
      assert.equal(fake.callsOf('CreateOrder').length, 1);
    });
  });
});
