import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import initSqlJs from 'sql.js';
import { DbTicketsError } from '../../../../../src/core/errors';
import type { DatabaseEngine } from '../../../../../src/backends/local/db/engine';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { SqliteEngine } from '../../../../../src/backends/local/db/sqlite/sqliteEngine';
import { availableSqliteDrivers } from '../../../../../src/backends/local/db/sqlite/sqliteFile';
import { assertProgress, exportText, jsonLines } from './exportCapture';

const noPasswords = async () => undefined;

// Every SQLite library this runtime offers: sql.js always, node:sqlite on runtimes that have it (Node 22.16+).
for (const driver of availableSqliteDrivers()) {
describe(`SQLite engine (a database file, ${driver})`, () => {
  let folder: string;
  let engine: DatabaseEngine;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'db-tickets-sqlite-'));
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`CREATE TABLE exact (id INTEGER PRIMARY KEY, label TEXT, big INTEGER, ratio REAL, raw BLOB);
      INSERT INTO exact VALUES (1, NULL, 9007199254740993, 0.1, x'00ff10'), (2, '', -9223372036854775808, -1.5e300, x''),
        (3, 'Zoë "the" Émile, 李小龙 🚀' || char(10) || 'next line', 0, NULL, NULL);
      CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0));
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO accounts SELECT i, 100 FROM n;`);
    writeFileSync(join(folder, 'shop.db'), db.export());
    db.close();
    engine = new SqliteEngine('local-file', join(folder, 'shop.db'), { driver });
  });

  after(async () => {
    await engine?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('exports CSV and JSON Lines with exact integers, NULL vs empty string, binary as base64', async () => {
    const csv = await exportText(engine, 'SELECT id, label, big, ratio, raw FROM exact ORDER BY id', 'csv');
    assert.equal(csv.text, 'id,label,big,ratio,raw\n1,,9007199254740993,0.1,AP8Q\n2,"",-9223372036854775808,-1.5e+300,""\n3,"Zoë ""the"" Émile, 李小龙 🚀\nnext line",0,,\n');
    assert.deepEqual(csv.result.columns, ['id', 'label', 'big', 'ratio', 'raw']);
    const jsonl = await exportText(engine, 'SELECT id, label, big, raw FROM exact ORDER BY id', 'jsonl');
    assert.equal(jsonl.text.split('\n')[0], '{"id":1,"label":null,"big":9007199254740993,"raw":"AP8Q"}');
    assert.equal(jsonLines(jsonl.text)[1].label, '');
  });

  it('exports many rows with progress, and stops when cancelled', async () => {
    const sql = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) SELECT i, hex(i) FROM n';
    const { result, progress } = await exportText(engine, sql.replace('2000000', '25000'), 'csv');
    assert.equal(result.rows, 25_000);
    assertProgress(progress, 25_000);
    const controller = new AbortController();
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    await assert.rejects(
      engine.exportQuery(sql, sink, { format: 'csv', signal: controller.signal, onProgress: (rows) => rows >= 10_000 && controller.abort() }),
      (error: DbTicketsError) => error.kind === 'cancelled',
    );
  });

  it('runs a script in one transaction: a failure changes nothing, success is saved to the file', async () => {
    const failed = await engine.execute(['CREATE TABLE notes (id INTEGER)', 'UPDATE accounts SET balance = balance - 10 WHERE id = 1', 'UPDATE accounts SET balance = -1 WHERE id = 2', 'DELETE FROM accounts']);
    assert.deepEqual(failed.map((result) => [result.index, result.status]), [
      [1, 'rolled_back'],
      [2, 'rolled_back'],
      [3, 'failed'],
      [4, 'skipped'],
    ]);
    assert.match(failed[2].message!, /CHECK constraint failed/);
    const ok = await engine.execute(['CREATE TABLE notes (id INTEGER)', 'INSERT INTO notes VALUES (1), (2)', 'UPDATE accounts SET balance = 90 WHERE id <= 3']);
    assert.deepEqual(ok, [
      { index: 1, status: 'succeeded' },
      { index: 2, status: 'succeeded', rowsAffected: 2 },
      { index: 3, status: 'succeeded', rowsAffected: 3 },
    ]);
    const reopened = new SqliteEngine('again', join(folder, 'shop.db'), { driver });
    assert.equal((await exportText(reopened, 'SELECT (SELECT count(*) FROM notes) AS notes, sum(balance) AS total FROM accounts', 'csv')).text, 'notes,total\n2,4970\n');
  });

  it('validates in a rolled-back transaction; it has no row estimates', async () => {
    const checks = await engine.validate(['DELETE FROM accounts', 'UPDATE missing SET x = 1', "INSERT INTO notes VALUES ('x')"]);
    assert.deepEqual(checks.map((check) => check.status), ['ok', 'error', 'ok']);
    assert.match(checks[1].message!, /no such table: missing/);
    assert.equal((await exportText(engine, 'SELECT count(*) AS n FROM accounts', 'csv')).text, 'n\n50\n');
    assert.equal(await engine.estimateRows('SELECT * FROM accounts'), undefined);
  });

  it('a missing file is a config error naming the connection', async () => {
    const missing = await openEngine({ name: 'gone', driver: 'sqlite', file: join(folder, 'missing.db') }, noPasswords);
    await assert.rejects(missing.validate(['SELECT 1']), (error: DbTicketsError) => {
      assert.equal(error.kind, 'config');
      assert.match(error.message, /The SQLite file of "gone" cannot be opened .*missing\.db.*Check the connection's file path/);
      return true;
    });
  });
});
}
