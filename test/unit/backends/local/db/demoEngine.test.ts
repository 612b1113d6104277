import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../../src/core/errors';
import { splitSql } from '../../../../../src/core/sql/splitter';
import { demoConnection } from '../../../../../src/backends/local/db/connectionConfig';
import { DemoEngine } from '../../../../../src/backends/local/db/demo/demoEngine';
import { DemoDatabase } from '../../../../../src/backends/local/db/demo/demoDatabase';
import { demoCounts, demoData } from '../../../../../src/backends/local/db/demo/demoSeed';
import type { DatabaseEngine } from '../../../../../src/backends/local/db/engine';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { assertProgress, exportText, jsonLines } from './exportCapture';

const demoFolder = join(__dirname, '..', '..', '..', '..', '..', 'demo');
const demoStatements = (file: string) => splitSql(readFileSync(join(demoFolder, file), 'utf8'), 'generic').map((statement) => statement.text);
const noPasswords = async () => undefined;
/** `n` rows from SQLite alone (it has no generate_series). */
const numbers = (n: number) => `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${n}) SELECT n FROM g`;

describe('demo engine (SQLite, on a worker thread)', function () {
  this.timeout(60_000);
  let engine: DatabaseEngine;

  before(async () => {
    engine = await openEngine(demoConnection, noPasswords);
  });
  after(() => engine?.close());

  it('is SQLite, read as generic SQL, with transactional DDL', () => {
    assert.equal(engine.name, 'demo');
    assert.equal(engine.dialect, 'generic');
    assert.equal(engine.transactionalDdl, true);
  });

  it('starts with the shop: customers, products, orders with items, all linked', async () => {
    const { text } = await exportText(
      engine,
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM products) AS products,
              (SELECT count(*) FROM orders) AS orders, (SELECT count(*) > 0 FROM order_items) AS items,
              (SELECT count(*) FROM legacy_coupons) AS coupons,
              (SELECT count(*) FROM orders o WHERE total_cents <> (SELECT sum(quantity * round(unit_price * 100)) FROM order_items i WHERE i.order_id = o.id)) AS wrong_totals`,
      'csv',
    );
    assert.equal(text, `customers,products,orders,items,coupons,wrong_totals\n${demoCounts.customers},${demoCounts.products},${demoCounts.orders},1,${demoCounts.coupons},0\n`);
  });

  it('has realistic rows: names, emails, countries, prices, UTC timestamps', async () => {
    const { text } = await exportText(engine, 'SELECT c.email, c.full_name, c.country, c.created_at, p.name, p.price FROM customers c, products p ORDER BY c.id, p.id LIMIT 3', 'jsonl');
    for (const row of jsonLines(text)) {
      assert.match(String(row.email), /^[a-z-]+\.[a-z'-]+\d*@[a-z.]+$/);
      assert.match(String(row.full_name), /^\S+ \S+/);
      assert.match(String(row.country), /^[A-Z]{2}$/);
      assert.match(String(row.created_at), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(typeof row.price, 'number');
    }
  });

  it('is the shipped shop with its dates moved to today: the same rows as a shop generated today', async () => {
    const today = new Date(new Date().toISOString().slice(0, 10));
    for (const { table, columns, rows } of demoData(today)) {
      const { text } = await exportText(engine, `SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`, 'jsonl');
      assert.deepEqual(jsonLines(text).map((row) => columns.map((column) => row[column])), rows, table);
    }
  });

  it("runs the demo workspace's exports, with exact counts as estimates", async () => {
    for (const sql of demoStatements('exports.sql')) {
      const { result } = await exportText(engine, sql, 'csv');
      assert.ok(result.columns.length > 0, sql);
      if (/revenue/.test(sql)) assert.ok(result.rows > 0, 'orders were placed last month');
      if (/SELECT \* FROM orders/.test(sql)) assert.equal(result.rows, demoCounts.orders);
      assert.deepEqual(await engine.estimateRows(sql), { rows: result.rows, source: 'counted' });
    }
  });

  it('counts the rows a change would touch in a transaction it rolls back; DDL has no estimate', async () => {
    const uk = Number((await exportText(engine, "SELECT count(*) AS n FROM customers WHERE country = 'UK'", 'csv')).text.split('\n')[1]);
    assert.ok(uk > 0);
    assert.deepEqual(await engine.estimateRows("UPDATE customers SET country = 'GB' WHERE country = 'UK'"), { rows: uk, source: 'counted in a transaction that was rolled back' });
    assert.equal((await exportText(engine, "SELECT count(*) AS n FROM customers WHERE country = 'UK'", 'csv')).text, `n\n${uk}\n`, 'nothing changed');
    assert.equal(await engine.estimateRows('DROP TABLE legacy_coupons'), undefined);
    await assert.rejects(engine.estimateRows('SELECT nope FROM customers'), (error: DbTicketsError) => error.kind === 'failed' && /no such column: nope/.test(error.message));
  });

  it("checks and runs the demo workspace's data fixes and schema changes, with foreign keys enforced", async () => {
    const fixes = demoStatements('data-fixes.sql');
    assert.deepEqual((await engine.validate(fixes)).map((check) => check.status), ['ok', 'ok']);
    const fixed = await engine.execute(fixes);
    assert.deepEqual(fixed.map((result) => result.status), ['succeeded', 'succeeded']);
    assert.ok(fixed[0].rowsAffected! > 0, 'customers with UK exist');
    assert.ok(fixed[1].rowsAffected! > 0, 'the QA account has orders');

    const changes = await engine.execute(demoStatements('schema-changes.sql'));
    assert.deepEqual(changes.map((result) => result.status), ['succeeded', 'succeeded', 'succeeded']);
    const { text } = await exportText(
      engine,
      `SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'legacy_coupons') AS coupons, (SELECT count(*) FROM customers WHERE country = 'UK') AS uk,
              (SELECT count(*) FROM order_items WHERE order_id NOT IN (SELECT id FROM orders)) AS orphaned_items`,
      'csv',
    );
    assert.equal(text, 'coupons,uk,orphaned_items\n0,0,0\n', 'the deleted orders took their items with them');

    const [kept] = await engine.validate(['DELETE FROM customers WHERE id = 1']);
    assert.equal(kept.status, 'error');
    assert.match(kept.message!, /FOREIGN KEY constraint failed/);
  });

  it('exports values as stored: integers, decimals, NULL against empty text, unicode, binary as base64', async () => {
    await engine.execute([
      'CREATE TABLE exact (id integer PRIMARY KEY, label text, big integer, amount numeric(10,2), seen text, raw blob)',
      `INSERT INTO exact VALUES (1, NULL, 9007199254740993, 12.5, '2024-03-10 09:30:00', x'00ff10'),
        (2, '', -9223372036854775808, -0.01, '2024-07-01 00:15:30', x''),
        (3, 'Zoë "the" Émile, 李小龙 🚀' || char(10) || 'next line', 0, 0, NULL, NULL)`,
    ]);
    const csv = await exportText(engine, 'SELECT * FROM exact ORDER BY id', 'csv');
    assert.equal(
      csv.text,
      'id,label,big,amount,seen,raw\n' +
        '1,,9007199254740993,12.5,2024-03-10 09:30:00,AP8Q\n' +
        '2,"",-9223372036854775808,-0.01,2024-07-01 00:15:30,""\n' +
        '3,"Zoë ""the"" Émile, 李小龙 🚀\nnext line",0,0,,\n',
    );
    const jsonl = await exportText(engine, 'SELECT * FROM exact ORDER BY id', 'jsonl');
    assert.equal(jsonl.text.split('\n')[0], '{"id":1,"label":null,"big":9007199254740993,"amount":12.5,"seen":"2024-03-10 09:30:00","raw":"AP8Q"}');
  });

  it('rolls a failed script back and reports where it stopped', async () => {
    const results = await engine.execute(["UPDATE products SET price = price * 2 WHERE category = 'Books'", 'UPDATE products SET price = -1 WHERE id = 1', 'DELETE FROM products']);
    assert.deepEqual(results.map((result) => result.status), ['rolled_back', 'failed', 'skipped']);
    assert.match(results[1].message!, /CHECK constraint failed: products_price_check/);
  });

  it('exports with progress and stops between batches when cancelled', async () => {
    const { result, progress } = await exportText(engine, numbers(25_000), 'csv');
    assert.equal(result.rows, 25_000);
    assertProgress(progress, 25_000);

    const controller = new AbortController();
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const exporting = engine.exportQuery(`SELECT a.n AS a, b.n AS b FROM (${numbers(3000)}) a, (${numbers(3000)}) b`, sink, {
      format: 'jsonl',
      signal: controller.signal,
      onProgress: (rows) => rows >= 10_000 && controller.abort(),
    });
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
      assert.deepEqual(readdirSync(folder), ['demo.sqlite']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("replaces the earlier demo database's PostgreSQL files, which it cannot read", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-'));
    writeFileSync(join(folder, 'PG_VERSION'), '17\n');
    mkdirSync(join(folder, 'base', '1'), { recursive: true });
    writeFileSync(join(folder, 'base', '1', '1259'), 'pages');
    const demo = new DemoEngine('demo', { dataDir: folder });
    try {
      assert.equal((await exportText(demo, 'SELECT count(*) AS n FROM customers', 'csv')).text, `n\n${demoCounts.customers}\n`);
      assert.deepEqual(readdirSync(folder), ['demo.sqlite']);
    } finally {
      await demo.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("runs on the caller's thread when the host asks (the CLI)", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-demo-'));
    const demo = await openEngine(demoConnection, noPasswords, { demoDir: folder, demoOn: 'caller' });
    try {
      assert.ok(demo instanceof DemoDatabase);
      assert.deepEqual(await demo.estimateRows('SELECT * FROM products'), { rows: demoCounts.products, source: 'counted' });
    } finally {
      await demo.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('removes its temporary folder on close when given no data folder', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('db-tickets-demo-')));
    const demo = new DemoEngine('demo');
    await demo.estimateRows('SELECT * FROM products');
    const created = readdirSync(tmpdir()).filter((name) => name.startsWith('db-tickets-demo-') && !before.has(name));
    assert.ok(created.some((name) => existsSync(join(tmpdir(), name, 'demo.sqlite'))), 'seeded in a temporary folder');
    await demo.close();
    assert.ok(created.every((name) => !existsSync(join(tmpdir(), name, 'demo.sqlite'))));
  });
});
