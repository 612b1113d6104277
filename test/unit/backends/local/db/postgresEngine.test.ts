import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../../src/core/errors';
import type { DatabaseEngine } from '../../../../../src/backends/local/db/engine';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { envPassword } from '../../../../../src/backends/local/db/passwordSource';
import { usePostgres } from '../../../../support/postgresServer';
import { assertProgress, exportText, jsonLines } from './exportCapture';

describe('PostgreSQL engine (a private server)', () => {
  const server = usePostgres();
  let engine: DatabaseEngine;

  before(async () => {
    const pg = server();
    await pg.createDatabase('engine_pg');
    engine = await openEngine(pg.connection({ database: 'engine_pg' }), envPassword(), { check: true });
    const results = await engine.execute([
      `CREATE TABLE exact (id int PRIMARY KEY, label text, big bigint, amount numeric(30,10), seen timestamptz, day date, raw bytea, doc jsonb)`,
      `INSERT INTO exact VALUES
        (1, NULL, 9007199254740993, 12345678901234567890.0123456789, '2024-03-10 01:30:00-08', '2024-02-29', '\\x00ff10', '{"a": [1, 2.50]}'),
        (2, '', -9223372036854775808, -0.0000000001, '2024-07-01 09:15:30.123456+09:00', '0001-01-01', '', NULL),
        (3, 'Zoë "the" Émile, 李小龙 🚀' || chr(10) || 'next line', 0, 0, NULL, NULL, NULL, '"text"')`,
      `CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0))`,
      `INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 50) AS g`,
    ]);
    assert.ok(results.every((result) => result.status === 'succeeded'), JSON.stringify(results));
  });

  after(() => engine?.close());

  describe('export', () => {
    it('writes CSV with a header, NULL as an empty field and the empty string as "", exact values, quoted text', async () => {
      const { text, result } = await exportText(engine, 'SELECT id, label, big, amount, seen, day, raw FROM exact ORDER BY id', 'csv');
      assert.equal(
        text,
        'id,label,big,amount,seen,day,raw\n' +
          '1,,9007199254740993,12345678901234567890.0123456789,2024-03-10 09:30:00+00,2024-02-29,AP8Q\n' +
          '2,"",-9223372036854775808,-0.0000000001,2024-07-01 00:15:30.123456+00,0001-01-01,""\n' +
          '3,"Zoë ""the"" Émile, 李小龙 🚀\nnext line",0,0.0000000000,,,\n',
      );
      assert.deepEqual(result, { rows: 3, bytes: Buffer.byteLength(text), columns: ['id', 'label', 'big', 'amount', 'seen', 'day', 'raw'] });
    });

    it('writes JSON Lines: one object per row, column order kept, big numbers exact, binary as base64, JSON embedded', async () => {
      const { text, result } = await exportText(engine, 'SELECT id, label, big, amount, seen, day, raw, doc FROM exact ORDER BY id;', 'jsonl');
      const lines = text.split('\n');
      assert.equal(lines.length, 4);
      assert.equal(lines[0], '{"id":1,"label":null,"big":9007199254740993,"amount":12345678901234567890.0123456789,"seen":"2024-03-10T09:30:00+00:00","day":"2024-02-29","raw":"AP8Q","doc":{"a": [1, 2.50]}}');
      const rows = jsonLines(text);
      assert.deepEqual(Object.keys(rows[1]), ['id', 'label', 'big', 'amount', 'seen', 'day', 'raw', 'doc']);
      assert.equal(rows[1].label, '');
      assert.equal(rows[2].label, 'Zoë "the" Émile, 李小龙 🚀\nnext line');
      assert.equal(rows[2].doc, 'text');
      assert.equal(result.rows, 3);
    });

    it('counts rows whose text holds newlines and reports progress', async () => {
      const { text, result, progress } = await exportText(engine, "SELECT g AS n, 'a' || chr(10) || 'b' AS two_lines FROM generate_series(1, 25000) AS g", 'csv');
      assert.equal(result.rows, 25_000);
      assert.equal(text.split('\n').length - 1, 1 + 25_000 * 2);
      assertProgress(progress, 25_000);
    });

    it('stops a running export when cancelled, with a cancelled error', async () => {
      const controller = new AbortController();
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      const exporting = engine.exportQuery('SELECT a, b, md5(b::text) FROM generate_series(1, 10000) AS a, generate_series(1, 10000) AS b', sink, {
        format: 'csv',
        signal: controller.signal,
        onProgress: (rows) => rows >= 20_000 && controller.abort(),
      });
      await assert.rejects(exporting, (error: DbTicketsError) => error.kind === 'cancelled' && /cancelled/.test(error.message));
    });

    it('stops a query that outlives the statement timeout', async () => {
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      await assert.rejects(
        engine.exportQuery('SELECT pg_sleep(5)', sink, { format: 'csv', timeoutMs: 100 }),
        (error: DbTicketsError) => error.kind === 'failed' && /statement timeout of 100 ms/.test(error.message),
      );
    });

    it('reports bad SQL as a failed export naming the connection', async () => {
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      await assert.rejects(engine.exportQuery('SELECT nope FROM exact', sink, { format: 'csv' }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'failed');
        assert.match(error.message, /"test-pg".*column "nope" does not exist \(SQLSTATE 42703\)/);
        return true;
      });
    });
  });

  describe('changes', () => {
    it('runs a script in one transaction: a failure mid-script commits nothing', async () => {
      const results = await engine.execute(['UPDATE accounts SET balance = balance - 10 WHERE id = 1', 'CREATE TABLE audit_note (id int)', 'UPDATE accounts SET balance = balance - 500 WHERE id = 2', 'DELETE FROM accounts']);
      assert.deepEqual(
        results.map((result) => [result.index, result.status]),
        [
          [1, 'rolled_back'],
          [2, 'rolled_back'],
          [3, 'failed'],
          [4, 'skipped'],
        ],
      );
      assert.match(results[2].message!, /violates check constraint "accounts_balance_check" \(SQLSTATE 23514\)/);
      const { text } = await exportText(engine, "SELECT balance, to_regclass('audit_note') AS audit FROM accounts WHERE id IN (1, 2) ORDER BY id", 'csv');
      assert.equal(text, 'balance,audit\n100,\n100,\n');
    });

    it('commits a successful script and reports the rows each statement touched', async () => {
      const results = await engine.execute(['CREATE TABLE tags (id int PRIMARY KEY, name text)', "INSERT INTO tags VALUES (1, 'new'), (2, 'sale')", "UPDATE tags SET name = upper(name) WHERE id = 2"]);
      assert.deepEqual(results, [
        { index: 1, status: 'succeeded' },
        { index: 2, status: 'succeeded', rowsAffected: 2 },
        { index: 3, status: 'succeeded', rowsAffected: 1 },
      ]);
      assert.equal((await exportText(engine, 'SELECT name FROM tags ORDER BY id', 'csv')).text, 'name\nnew\nSALE\n');
    });

    it('validates in a transaction that is rolled back: errors per statement, nothing persists', async () => {
      const checks = await engine.validate(['CREATE TABLE draft_only (id int)', 'INSERT INTO draft_only VALUES (1)', 'UPDATE missing_table SET x = 1', 'DELETE FROM accounts WHERE id > 25']);
      assert.deepEqual(checks.map((check) => [check.index, check.status]), [
        [1, 'ok'],
        [2, 'ok'],
        [3, 'error'],
        [4, 'ok'],
      ]);
      assert.match(checks[2].message!, /relation "missing_table" does not exist/);
      const { text } = await exportText(engine, "SELECT count(*) AS accounts, to_regclass('draft_only') AS draft FROM accounts", 'csv');
      assert.equal(text, 'accounts,draft\n50,\n');
    });

    it('a statement over the timeout fails and rolls the script back', async () => {
      const results = await engine.execute(['UPDATE accounts SET balance = 0 WHERE id = 3', 'SELECT pg_sleep(5)'], { timeoutMs: 100 });
      assert.deepEqual(results.map((result) => result.status), ['rolled_back', 'failed']);
      assert.match(results[1].message!, /statement timeout of 100 ms/);
    });

    it('cancelling a running change rolls it back and throws cancelled', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(engine.execute(['UPDATE accounts SET balance = 1 WHERE id = 4', 'SELECT pg_sleep(10)'], { signal: controller.signal }), (error: DbTicketsError) => error.kind === 'cancelled');
      assert.equal((await exportText(engine, 'SELECT balance FROM accounts WHERE id = 4', 'csv')).text, 'balance\n100\n');
    });

    it('estimates rows from EXPLAIN', async () => {
      await server().admin('ANALYZE accounts', 'engine_pg');
      assert.deepEqual(await engine.estimateRows('SELECT * FROM accounts'), { rows: 50, source: 'EXPLAIN' });
      // A DELETE's estimate is the rows it removes (the planner's guess for the range, not the exact count).
      const estimate = await engine.estimateRows('DELETE FROM accounts WHERE id <= 10');
      assert.ok(estimate && estimate.rows >= 5 && estimate.rows <= 20, JSON.stringify(estimate));
    });
  });

  describe('connection problems', () => {
    it('a wrong password is an auth error naming the connection, without the password', async () => {
      const pg = server();
      const wrong = await openEngine(pg.connection({ name: 'shop-dev' }), async () => 'not-the-password');
      await assert.rejects(wrong.estimateRows('SELECT 1'), (error: DbTicketsError) => {
        assert.equal(error.kind, 'auth');
        assert.match(error.message, /"shop-dev" \(PostgreSQL tickets@127\.0\.0\.1:\d+\/shop\) rejected the login: password authentication failed/);
        assert.ok(!error.message.includes('not-the-password'));
        return true;
      });
    });

    it('an unknown database is a config error', async () => {
      await assert.rejects(openEngine(server().connection({ database: 'no_such_db' }), envPassword(), { check: true }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'config');
        assert.match(error.message, /database "no_such_db" does not exist\. Check the connection's database name/);
        return true;
      });
    });

    it('a refused connection is unavailable, saying what to check', async () => {
      await assert.rejects(openEngine(server().connection({ port: 1 }), envPassword(), { check: true }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'unavailable');
        assert.match(error.message, /Cannot connect to "test-pg" \(PostgreSQL tickets@127\.0\.0\.1:1\/shop\): nothing accepts connections there\. Check that the server is running/);
        return true;
      });
    });

    it('an unreadable TLS CA file is a config error naming the connection and the file', async () => {
      const connection = server().connection({ name: 'shop-tls', tls: { rejectUnauthorized: true, caFile: 'no-such-ca.pem' } });
      await assert.rejects(openEngine(connection, envPassword(), { check: true }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'config');
        assert.match(error.message, /The CA file of "shop-tls" cannot be read \(no-such-ca\.pem\).*Fix the connection's tls\.caFile/);
        return true;
      });
    });

    it('a missing password is a config error listing the three ways to provide it', async () => {
      await assert.rejects(openEngine(server().connection({ name: 'shop-dev', passwordEnv: 'DB_TICKETS_UNSET_PASSWORD' }), envPassword({})), (error: DbTicketsError) => {
        assert.equal(error.kind, 'config');
        assert.match(error.message, /No password for connection "shop-dev".*set the environment variable DB_TICKETS_UNSET_PASSWORD; save it in the extension's secret storage.*; or add it to ~\/\.pgpass/);
        return true;
      });
    });
  });
});
