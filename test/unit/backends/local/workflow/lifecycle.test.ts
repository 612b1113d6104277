import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '../../../../../src/core/backend/backend';
import { draft, usePostgresShop, useStore } from '../../../../support/workflowHarness';

describe('local workflow: the whole lifecycle on PostgreSQL', function () {
  this.timeout(60_000);
  const shop = usePostgresShop('shop');
  const store = useStore();

  it('exports: submit → precheck → approve → execute → succeeded, with the result file, its metadata and a download', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);

    const submitted = await alice.submit(draft());
    assert.equal(submitted.id, '1');
    assert.deepEqual(submitted.status, { state: 'pending_approval', native: 'pending_approval' });
    assert.equal(submitted.needsYou, false, 'the submitter is not flagged to approve their own ticket');
    assert.deepEqual(submitted.actions, ['approve', 'reject', 'cancel', 'comment']);

    const waiting = await bob.list({ scope: 'awaiting_me' }, { size: 10 });
    assert.deepEqual(waiting.items.map((ticket) => [ticket.id, ticket.needsYou]), [['1', true]]);
    const prechecked = await bob.get('1');
    assert.equal(prechecked.precheck?.passed, true);
    assert.deepEqual(prechecked.precheck?.items.map((item) => `${item.check}: ${item.status}`), ['kind: passed', 'lint:export-without-limit: warning', 'rows: passed']);
    assert.match(prechecked.precheck!.items[2].message, /^"shop" estimates about [\d,]+ rows \(EXPLAIN\)\.$/);
    assert.equal(prechecked.estimatedRows !== undefined, true);

    const approved = await bob.act('1', { action: 'approve', comment: 'Fine for the report' });
    assert.equal(approved.status.state, 'approved');
    assert.deepEqual(approved.approvals[0].actedBy, { id: 'bob', name: 'bob' });
    assert.equal((await alice.get('1')).needsYou, true, 'an approved ticket waits for its submitter to execute it');

    const progress: Progress[] = [];
    const done = await alice.act('1', { action: 'execute' }, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(done.status, { state: 'succeeded', native: 'succeeded' });
    assert.equal(done.execution?.rows, 3);
    assert.equal(done.execution?.hasResult, true);
    assert.equal(done.execution?.resultName, 'ticket-1.csv');
    assert.equal(progress.at(-1)?.done, 3);
    assert.deepEqual(
      done.history.map((event) => `${event.actor.name} ${event.action}${event.comment ? ` — ${event.comment}` : ''}`),
      ['alice submitted', 'alice precheck passed with 1 warning', 'bob approved — Fine for the report', 'alice execution started', 'alice execution succeeded: 3 rows exported'],
    );

    const file = join(store.folder(), 'results', '1', 'result.csv');
    assert.equal(readFileSync(file, 'utf8'), 'id,name,email\n1,Ada Lovelace,ada@example.com\n2,Zoë Émile,zoe@example.com\n3,"Grace, ""Amazing"" Hopper",\n');
    const metadata = JSON.parse(readFileSync(join(store.folder(), 'results', '1', 'metadata.json'), 'utf8'));
    assert.deepEqual({ ...metadata, exportedAt: typeof metadata.exportedAt }, {
      ticket: '1',
      title: 'Export customers',
      database: 'shop',
      sql: 'SELECT id, name, email FROM customers ORDER BY id',
      submitter: 'alice',
      approver: 'bob',
      executedBy: 'alice',
      exportedAt: 'string',
      format: 'csv',
      rows: 3,
      bytes: statSync(file).size,
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      columns: ['id', 'name', 'email'],
    });

    const downloads: Progress[] = [];
    const target = join(store.folder(), 'downloads', 'customers.csv');
    const downloaded = await bob.download('1', { path: target }, { onProgress: (p) => downloads.push(p) });
    assert.deepEqual(downloaded, { path: target, bytes: statSync(file).size });
    assert.equal(readFileSync(target, 'utf8'), readFileSync(file, 'utf8'));
    assert.deepEqual(downloads.at(-1), { message: 'Downloading', done: downloaded.bytes, total: downloaded.bytes });
  });

  it('exports JSON Lines when the draft asks for it', async () => {
    const alice = store.backend('alice', [shop()]);
    await alice.submit(draft({ sql: 'SELECT c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id LIMIT 10', backendFields: { exportFormat: 'jsonl' } }));
    await alice.act('1', { action: 'approve' });
    const done = await alice.act('1', { action: 'execute' });
    assert.equal(done.execution?.resultName, 'ticket-1.jsonl');
    const lines = readFileSync(join(store.folder(), 'results', '1', 'result.jsonl'), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((text) => JSON.parse(text).name), ['Ada Lovelace', 'Ada Lovelace', 'Zoë Émile']);
  });

  it('changes the schema: the DDL runs and each statement is reported', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    const sql = 'ALTER TABLE customers ADD COLUMN vip boolean NOT NULL DEFAULT false;\nCREATE INDEX customers_country ON customers (country);';
    const submitted = await alice.submit(draft({ kind: 'SCHEMA_CHANGE', title: 'Add customers.vip', sql }));
    assert.equal(submitted.status.state, 'pending_approval');
    const prechecked = await bob.get(submitted.id);
    assert.deepEqual(prechecked.precheck?.items.find((item) => item.check === 'database'), {
      check: 'database',
      status: 'passed',
      message: '2 statements ran without error on "shop" in a transaction that was rolled back.',
    });
    await assert.rejects(shop().run('UPDATE customers SET vip = true WHERE id = 1'), /vip/, 'the precheck left no trace');

    await bob.act(submitted.id, { action: 'approve' });
    const done = await alice.act(submitted.id, { action: 'execute' });
    assert.equal(done.status.state, 'succeeded');
    assert.deepEqual(done.execution?.statements?.map((statement) => [statement.index, statement.status]), [[1, 'succeeded'], [2, 'succeeded']]);
    assert.equal(done.execution?.hasResult, false);
    await shop().run('UPDATE customers SET vip = true WHERE id = 1');
  });

  it('changes data: rows affected per statement and in total', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    const sql = "UPDATE customers SET country = 'DE' WHERE id = 2;\nDELETE FROM orders WHERE customer_id = 1;";
    const { id } = await alice.submit(draft({ kind: 'DATA_CHANGE', title: 'Fix customer 2', sql }));
    const prechecked = await bob.get(id);
    assert.equal(prechecked.precheck?.passed, true);
    assert.ok(prechecked.precheck?.items.some((item) => item.check === 'rows'), 'the DML row estimate is recorded');
    await bob.act(id, { action: 'approve' });
    const done = await alice.act(id, { action: 'execute' });
    assert.equal(done.status.state, 'succeeded');
    assert.equal(done.execution?.rows, 3);
    assert.deepEqual(done.execution?.statements, [
      { index: 1, status: 'succeeded', rows: 1 },
      { index: 2, status: 'succeeded', rows: 2 },
    ]);
    assert.equal(done.history.at(-1)?.action, 'execution succeeded: 3 rows affected');
  });
});
