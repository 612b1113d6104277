import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../../src/core/errors';
import { splitSql } from '../../../../../src/core/sql/splitter';
import { demoConnection } from '../../../../../src/backends/local/db/connectionConfig';
import { DemoEngine } from '../../../../../src/backends/local/db/demo/demoEngine';
import { demoCounts } from '../../../../../src/backends/local/db/demo/demoSeed';
import type { DatabaseEngine } from '../../../../../src/backends/local/db/engine';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { assertProgress, exportText, jsonLines } from './exportCapture';

const demoFolder = join(__dirname, '..', '..', '..', '..', '..', 'demo');
const demoStatements = (file: string) => splitSql(readFileSync(join(demoFolder, file), 'utf8'), 'postgres').map((statement) => statement.text);
const noPasswords = async () => undefined;

describe('demo engine (PGlite, on a worker thread)', function () {
  this.timeout(60_000);
  let engine: DatabaseEngine;

  before(async () => {
    engine = await openEngine(demoConnection, noPasswords);
  });
  after(() => engine?.close());

  it('is the PostgreSQL dialect with transactional DDL', () => {
    assert.equal(engine.name, 'demo');
    assert.equal(engine.dialect, 'postgres');
    assert.equal(engine.transactionalDdl, true);
  });

  it('starts seeded with the shop: customers, products, orders with items, all linked', async () => {
    const { text } = await exportText(
      engine,
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM products) AS products,
              (SELECT count(*) FROM orders) AS orders, (SELECT count(*) > 0 FROM order_items) AS items,
              (SELECT count(*) FROM legacy_coupons) AS coupons,
              (SELECT count(*) FROM orders o WHERE total_cents <> (SELECT sum(quantity * unit_price * 100) FROM order_items i WHERE i.order_id = o.id)) AS wrong_totals`,
      'csv',
    );
    assert.equal(text, `customers,products,orders,items,coupons,wrong_totals\n${demoCounts.customers},${demoCounts.products},${demoCounts.orders},t,${demoCounts.coupons},0\n`);
  });

  it('has realistic rows: names, emails, countries, prices, timestamps', async () => {
    const { text } = await exportText(engine, 'SELECT c.email, c.full_name, c.country, c.created_at, p.name, p.price FROM customers c, products p ORDER BY c.id, p.id LIMIT 3', 'jsonl');
    for (const row of jsonLines(text)) {
      assert.match(String(row.email), /^[a-z-]+\.[a-z'-]+\d*@[a-z.]+$/);
      assert.match(String(row.full_name), /^\S+ \S+/);
      assert.match(String(row.country), /^[A-Z]{2}$/);
      assert.match(String(row.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
      assert.equal(typeof row.price, 'number');
    }
  });

  it("runs the demo workspace's exports", async () => {
    for (const sql of demoStatements('exports.sql')) {
      const { result } = await exportText(engine, sql, 'csv');
      assert.ok(result.columns.length > 0, sql);
      if (/SELECT \* FROM orders/.test(sql)) assert.equal(result.rows, demoCounts.orders);
      assert.equal((await engine.estimateRows(sql))?.source, 'EXPLAIN');
    }
  });

  it("checks and runs the demo workspace's data fixes and schema changes", async () => {
    const fixes = demoStatements('data-fixes.sql');
    assert.deepEqual((await engine.validate(fixes)).map((check) => check.status), ['ok', 'ok']);
    const fixed = await engine.execute(fixes);
    assert.deepEqual(fixed.map((result) => result.status), ['succeeded', 'succeeded']);
    assert.ok(fixed[0].rowsAffected! > 0, 'customers with UK exist');
    assert.ok(fixed[1].rowsAffected! > 0, 'the QA account has orders');

    const changes = await engine.execute(demoStatements('schema-changes.sql'));
    assert.deepEqual(changes.map((result) => result.status), ['succeeded', 'succeeded', 'succeeded']);
    const { text } = await exportText(engine, "SELECT to_regclass('legacy_coupons') AS coupons, count(*) FILTER (WHERE country = 'UK') AS uk FROM customers", 'csv');
    assert.equal(text, 'coupons,uk\n,0\n');
  });

  it('exports exact values as PostgreSQL does (same bytes as COPY on a server)', async () => {
    await engine.execute([
      'CREATE TABLE exact (id int PRIMARY KEY, label text, big bigint, amount numeric(30,10), seen timestamptz, raw bytea)',
      `INSERT INTO exact VALUES (1, NULL, 9007199254740993, 12345678901234567890.0123456789, '2024-03-10 01:30:00-08', '\\x00ff10'),
        (2, '', -9223372036854775808, -0.0000000001, '2024-07-01 09:15:30.123456+09:00', ''),
        (3, 'Zoë "the" Émile, 李小龙 🚀' || chr(10) || 'next line', 0, 0, NULL, NULL)`,
    ]);
    const csv = await exportText(engine, 'SELECT * FROM exact ORDER BY id', 'csv');
    assert.equal(
      csv.text,
      'id,label,big,amount,seen,raw\n' +
        '1,,9007199254740993,12345678901234567890.0123456789,2024-03-10 09:30:00+00,AP8Q\n' +
        '2,"",-9223372036854775808,-0.0000000001,2024-07-01 00:15:30.123456+00,""\n' +
        '3,"Zoë ""the"" Émile, 李小龙 🚀\nnext line",0,0.0000000000,,\n',
    );
    const jsonl = await exportText(engine, 'SELECT * FROM exact ORDER BY id', 'jsonl');
    assert.equal(jsonl.text.split('\n')[0], '{"id":1,"label":null,"big":9007199254740993,"amount":12345678901234567890.0123456789,"seen":"2024-03-10T09:30:00+00:00","raw":"AP8Q"}');
  });

  it('rolls a failed script back and reports where it stopped', async () => {
    const results = await engine.execute(["UPDATE products SET price = price * 2 WHERE category = 'Books'", 'UPDATE products SET price = -1 WHERE id = 1', 'DELETE FROM products']);
    assert.deepEqual(results.map((result) => result.status), ['rolled_back', 'failed', 'skipped']);
    assert.match(results[1].message!, /violates check constraint "products_price_check"/);
  });

  it('exports with progress and stops between batches when cancelled', async () => {
    const { result, progress } = await exportText(engine, 'SELECT g FROM generate_series(1, 25000) AS g', 'csv');
    assert.equal(result.rows, 25_000);
    assertProgress(progress, 25_000);

    const controller = new AbortController();
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const exporting = engine.exportQuery('SELECT a, b FROM generate_series(1, 3000) AS a, generate_series(1, 3000) AS b', sink, { format: 'jsonl', signal: controller.signal, onProgress: (rows) => rows >= 10_000 && controller.abort() });
    await assert.rejects(exporting, (error: DbTicketsError) => error.kind === 'cancelled');
  });

  it('keeps its data in the given folder across restarts', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-'));
    try {
      const first = new DemoEngine('demo', { dataDir: folder });
      assert.deepEqual((await first.execute(["UPDATE customers SET full_name = 'Renamed Person' WHERE id = 1"])).map((result) => result.status), ['succeeded']);
      await first.close();
      const second = new DemoEngine('demo', { dataDir: folder });
      try {
        const { text } = await exportText(second, 'SELECT full_name, (SELECT count(*) FROM customers) AS customers FROM customers WHERE id = 1', 'csv');
        assert.equal(text, `full_name,customers\nRenamed Person,${demoCounts.customers}\n`);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
