import * as assert from 'node:assert/strict';
import { runCli as dbTickets } from '../../../support/runCli';
import { huaweiCliEnvironment } from './cliEnvironment';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { DOMAIN_ID, startFakeOsm } from '../../../fakes/huawei/harness';

describe('db-tickets on a Huawei Cloud profile (fake OSM)', function () {
  this.timeout(60_000);
  let fake: FakeOsm;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await startFakeOsm();
    env = huaweiCliEnvironment(fake);
  });
  afterEach(() => fake.stop());

  it('creates an export and a schema change, lists, shows, comments, urges and cancels with HUAWEICLOUD_SDK_* only', async () => {
    const exported = await dbTickets(env, ['--profile', 'hw', 'create', '--kind', 'export', '--db', 'shop', '--reason', 'quarterly report', '--json'], 'SELECT id, email FROM customers LIMIT 10;\n');
    assert.equal(exported.code, 0, exported.stderr);
    const exportCase = JSON.parse(exported.stdout);
    assert.equal(exportCase.status.native, '0');
    const schema = await dbTickets(env, ['--profile', 'hw', 'create', '--kind', 'schema', '--db', 'shop', '--reason', 'faster lookups', '--json'], 'ALTER TABLE orders ADD INDEX idx_customer (customer_id);\n');
    assert.equal(schema.code, 0, schema.stderr);
    const id = JSON.parse(schema.stdout).id;
    assert.equal(fake.cases.all.length, 2);
    assert.ok(fake.requests.every((r) => r.verified), 'every request verified');

    const listed = await dbTickets(env, ['--profile', 'hw', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(id));
    assert.match(listed.stdout, new RegExp(exportCase.id));

    fake.addEngineerMessage(id, 'We will look at the index.');
    assert.equal((await dbTickets(env, ['--profile', 'hw', 'comment', id, 'The table has 40M rows.'])).code, 0);
    const urged = await dbTickets(env, ['--profile', 'hw', 'urge', id]);
    assert.equal(urged.code, 0, urged.stderr);
    assert.equal(fake.requestsOf('action').at(-1)!.query.action_id[0], 'press');

    const shown = await dbTickets(env, ['--profile', 'hw', 'show', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /ALTER TABLE orders ADD INDEX idx_customer \(customer_id\);/);
    const json = await dbTickets(env, ['--profile', 'hw', 'show', id, '--json']);
    assert.deepEqual(JSON.parse(json.stdout).comments.map((c: { author: { name: string }; text: string }) => [c.author.name, c.text]), [
      ['华为云技术支持 (Huawei Cloud support)', 'We will look at the index.'],
      ['alice', 'The table has 40M rows.'],
    ]);

    const cancelled = await dbTickets(env, ['--profile', 'hw', 'cancel', id, '--comment', 'done another way', '--json']);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(JSON.parse(cancelled.stdout).status.state, 'cancelled');
    const again = await dbTickets(env, ['--profile', 'hw', 'urge', id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cannot be urged/);

    const check = await dbTickets(env, ['--profile', 'hw', 'check']);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, new RegExp(DOMAIN_ID));
    assert.match(check.stdout, /SQL execution and changes|SQL 执行与变更/);
  });

  it('without the access key variables: exit 2 naming them', async () => {
    const run = await dbTickets({ ...env, HUAWEICLOUD_SDK_AK: '', HUAWEICLOUD_SDK_SK: '' }, ['--profile', 'hw', 'list']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
  });
});
