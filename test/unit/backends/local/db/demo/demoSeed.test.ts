import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { demoShopFile } from '../../../../../../src/backends/local/db/demo/demoDatabase';
import { demoCounts, demoData, demoSchema } from '../../../../../../src/backends/local/db/demo/demoSeed';

describe('demo seed', () => {
  const day = new Date('2026-01-15T00:00:00Z');

  it('generates the same shop for the same day', () => {
    const hash = (tables: ReturnType<typeof demoData>) => createHash('sha256').update(JSON.stringify(tables)).digest('hex');
    assert.equal(hash(demoData(day)), hash(demoData(new Date(day))));
  });

  it('includes the rows the demo workspace fixes: UK customers and the QA account', () => {
    const customers = demoData(day).find((table) => table.table === 'customers')!;
    assert.equal(customers.rows.length, demoCounts.customers);
    assert.ok(customers.rows.some(([, email, name]) => email === 'qa@example.com' && name === 'QA Test Account'));
    assert.ok(customers.rows.some((row) => row[3] === 'UK'));
  });

  it('dates everything up to the day it is created, as UTC text SQLite compares directly', () => {
    const orders = demoData(day).find((table) => table.table === 'orders')!;
    const placed = orders.rows.map((row) => String(row[2]));
    assert.ok(placed.every((at) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(at)), placed[0]);
    assert.ok(placed.every((at) => at < '2026-01-16'));
    assert.ok(placed.some((at) => at >= '2026-01-01'), 'some orders this month');
    assert.ok(placed.some((at) => at >= '2025-12-01' && at < '2026-01-01'), 'some orders last month');
  });
});

describe('the shipped demo shop (demo-shop.sqlite)', () => {
  it('is what the seed generates for the day it records: run `npm run demo-database` after changing the seed', async () => {
    const SQL = await initSqlJs();
    const shipped = new SQL.Database(readFileSync(demoShopFile));
    const fresh = new SQL.Database();
    try {
      fresh.exec(demoSchema);
      const schema = (db: typeof fresh) => db.exec('SELECT type, name, sql FROM sqlite_master ORDER BY name')[0].values;
      assert.deepEqual(schema(shipped), schema(fresh), 'the schema');
      const [[day]] = shipped.exec('PRAGMA user_version')[0].values as number[][];
      const generated = demoData(new Date(day * 86_400_000));
      for (const { table, columns, rows } of generated) {
        const stored = shipped.exec(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`)[0].values;
        assert.deepEqual(stored, rows, `the rows of ${table}`);
      }
    } finally {
      shipped.close();
      fresh.close();
    }
  });
});
