import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoConnection } from '../../../../../src/backends/local/db/connectionConfig';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { envPassword } from '../../../../../src/backends/local/db/passwordSource';
import { LocalBackend } from '../../../../../src/backends/local/localBackend';
import { draft, useStore } from '../../../../support/workflowHarness';

describe('local workflow: the whole lifecycle on the demo database', function () {
  this.timeout(120_000);
  const store = useStore();
  /** Wired as the front ends wire it: the configured connections and the real engine factory. */
  const backend = (actor: string) =>
    store.keep(
      new LocalBackend({
        storeFolder: store.folder(),
        actor,
        connections: () => [demoConnection],
        openEngine: (name) => openEngine([demoConnection].find((connection) => connection.name === name)!, envPassword()),
      }),
    );

  it('exports from the demo shop', async () => {
    const alice = backend('alice');
    const bob = backend('bob');
    const sql = "SELECT id, email, country FROM customers WHERE country = 'DE' ORDER BY id LIMIT 25";
    const submitted = await alice.submit(draft({ database: 'demo', title: 'German customers', sql }));
    assert.equal(submitted.status.state, 'pending_approval');
    await bob.act(submitted.id, { action: 'approve' });
    const done = await alice.act(submitted.id, { action: 'execute' });
    assert.equal(done.status.state, 'succeeded');
    assert.ok(done.precheck?.items.some((item) => /^"demo" estimates about \d+ rows \(counted\)\.$/.test(item.message)), JSON.stringify(done.precheck));
    assert.equal(done.dialect, 'generic', 'the demo database is SQLite, read as generic SQL');
    const lines = readFileSync(join(store.folder(), 'results', submitted.id, 'result.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'id,email,country');
    assert.equal(lines.length - 1, done.execution?.rows);
    assert.ok(done.execution!.rows! > 0 && done.execution!.rows! <= 25);
    assert.ok(lines.slice(1).every((line) => line.endsWith(',DE')));
    const metadata = JSON.parse(readFileSync(join(store.folder(), 'results', submitted.id, 'metadata.json'), 'utf8'));
    assert.equal(metadata.approver, 'bob');
    assert.equal(metadata.rows, done.execution?.rows);
  });

  it('changes the schema, then the data, then exports what changed', async () => {
    const alice = backend('alice');
    const bob = backend('bob');
    const run = async (overrides: Parameters<typeof draft>[0]) => {
      const { id } = await alice.submit(draft({ database: 'demo', ...overrides }));
      await bob.act(id, { action: 'approve' });
      return alice.act(id, { action: 'execute' });
    };
    const schema = await run({ kind: 'SCHEMA_CHANGE', title: 'Add customers.vip', sql: 'ALTER TABLE customers ADD COLUMN vip boolean NOT NULL DEFAULT false;' });
    assert.equal(schema.status.state, 'succeeded', schema.execution?.message);
    const data = await run({ kind: 'DATA_CHANGE', title: 'Mark VIPs', sql: 'UPDATE customers SET vip = true WHERE id <= 3;' });
    assert.equal(data.status.state, 'succeeded', data.execution?.message);
    assert.equal(data.execution?.rows, 3);
    assert.ok(data.precheck?.items.some((item) => item.message === 'The changes touch about 3 rows (counted in a transaction that was rolled back).'), JSON.stringify(data.precheck));
    const exported = await run({ title: 'Count VIPs', sql: 'SELECT count(*) AS vips FROM customers WHERE vip LIMIT 1' });
    assert.equal(exported.status.state, 'succeeded', exported.execution?.message);
    assert.equal(readFileSync(join(store.folder(), 'results', exported.id, 'result.csv'), 'utf8'), 'vips\n3\n');
  });

  it('estimates the rows a draft would read or change, before it is submitted', async () => {
    const alice = backend('alice');
    const customers = await alice.estimateRows({ kind: 'DATA_EXPORT', database: 'demo', sql: 'SELECT * FROM customers' });
    assert.ok(customers !== undefined && customers >= 1000 && customers <= 4000, `estimate ${customers}`);
    const update = await alice.estimateRows({ kind: 'DATA_CHANGE', database: 'demo', sql: 'UPDATE products SET price = price WHERE id <= 10;' });
    assert.ok(update !== undefined && update >= 1 && update <= 150, `estimate ${update}`);
    assert.equal(await alice.estimateRows({ kind: 'DATA_EXPORT', database: 'demo', sql: 'DROP TABLE customers' }), undefined);
  });
});
