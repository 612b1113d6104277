import * as assert from 'node:assert/strict';
import { runCli as dbTickets } from '../../../support/runCli';
import { huaweiCliEnvironment } from './cliEnvironment';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { startFakeOsm } from '../../../fakes/huawei/harness';

/** The operations only some services have — delete, score, related cases — as `db-tickets` commands. */
describe('db-tickets delete, score and relate (fake OSM)', function () {
  this.timeout(60_000);
  let fake: FakeOsm;
  let env: NodeJS.ProcessEnv;
  const hw = (...args: string[]) => dbTickets(env, ['--profile', 'hw', ...args]);

  async function create(title: string): Promise<string> {
    const run = await dbTickets(env, ['--profile', 'hw', 'create', '--kind', 'change', '--db', 'shop', '--title', title, '--reason', 'cli extras', '--json'], 'UPDATE orders SET status = 2 WHERE id = 7;\n');
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).id;
  }

  beforeEach(async () => {
    fake = await startFakeOsm();
    env = huaweiCliEnvironment(fake);
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.errors, []);
  });

  it('refuses a --rating outside 1..5 with exit 2, before calling the service', async () => {
    for (const rating of ['0', '6', '2.5', 'x', '-1', '']) {
      const run = await hw('score', 'CS1', '--rating', rating);
      assert.equal(run.code, 2, `--rating "${rating}": ${run.stderr}`);
      assert.match(run.stderr, /--rating must be a whole number from 1 to 5/);
    }
    const missing = await hw('score', 'CS1');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--rating/);
    assert.equal(fake.requests.length, 0);
  });

  it('scores a completed case once, on every satisfaction dimension, with the comment as the judgement', async () => {
    const id = await create('Score me');
    const early = await hw('score', id, '--rating', '4');
    assert.equal(early.code, 1);
    assert.match(early.stderr, /cannot be scored: only a completed case can/);
    fake.setNativeStatus(id, 3);
    const scored = await hw('score', id, '--rating', '4', '--comment', 'quick and clear');
    assert.equal(scored.code, 0, scored.stderr);
    assert.match(scored.stdout, /Rated 4\/5/);
    assert.deepEqual(fake.caseById(id)!.satisfaction, [1, 2, 3].map((satisfaction_id) => ({ satisfaction_id, satisfaction_value: 4 })));
    assert.equal(fake.caseById(id)!.judgement, 'quick and clear');
    const shown = JSON.parse((await hw('show', id, '--json')).stdout);
    assert.ok(shown.history.some((e: { action: string; comment?: string }) => /^rated .*4\/5/.test(e.action) && e.comment === 'quick and clear'), JSON.stringify(shown.history));
    const again = await hw('score', id, '--rating', '5');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /scored already/);
  });

  it('relates cases (at most 3), lists and removes the relations', async () => {
    const [a, b, c, d, e] = [await create('A'), await create('B'), await create('C'), await create('D'), await create('E')];
    const none = await hw('relate', a);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, `#${a} has no related tickets.\n`);
    const added = await hw('relate', a, b, c);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, `#${b}  B  (alice)\n#${c}  C  (alice)\n`);
    assert.deepEqual(fake.caseById(a)!.relations, [b, c]);
    const tooMany = await hw('relate', a, d, e);
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /at most 3 related cases/);
    assert.equal((await hw('relate', a, a)).code, 2);
    const listed = await hw('relate', a, '--json');
    assert.deepEqual(JSON.parse(listed.stdout).items.map((t: { id: string }) => t.id), [b, c]);
    const removed = await hw('relate', a, '--remove', b);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `#${c}  C  (alice)\n`);
    const notRelated = await hw('relate', a, '--remove', d);
    assert.equal(notRelated.code, 2);
    assert.match(notRelated.stderr, new RegExp(`Case ${d} is not related to case ${a}: its related cases are ${c}`));
    assert.equal((await hw('relate', a, d, '--remove', c)).code, 2);
  });

  it('deletes a finished case, and refuses one still open', async () => {
    const id = await create('Delete me');
    const open = await hw('delete', id);
    assert.equal(open.code, 1);
    assert.match(open.stderr, /cannot be deleted: that applies only once the case is completed, cancelled or invalid\./);
    assert.equal((await hw('cancel', id)).code, 0);
    const deleted = await hw('delete', id, '--json');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(JSON.parse(deleted.stdout).status, { state: 'cancelled', native: '13' });
    assert.equal(fake.requestsOf('action').at(-1)!.query.action_id[0], 'delete');
  });

  it('on a service without them, says so with exit 2', async () => {
    for (const args of [['score', '1', '--rating', '3'], ['relate', '1', '2']]) {
      const run = await dbTickets(env, args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /The service of profile "local" cannot (rate tickets|link related tickets)\./);
    }
    const remove = await dbTickets(env, ['delete', '1']);
    assert.equal(remove.code, 2, remove.stderr);
    assert.match(remove.stderr, /The Local backend has no "delete" action: its actions are /);
  });
});
