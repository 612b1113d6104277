import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../../src/core/errors';
import type { DatabaseEngine } from '../../../../../src/backends/local/db/engine';
import { openEngine } from '../../../../../src/backends/local/db/openEngine';
import { envPassword } from '../../../../../src/backends/local/db/passwordSource';
import { useMariadb } from '../../../../support/mariadbServer';
import { assertProgress, exportText, jsonLines } from './exportCapture';

describe('MySQL/MariaDB engine (a private MariaDB server)', () => {
  const server = useMariadb();
  let engine: DatabaseEngine;

  before(async () => {
    const db = server();
    await db.createDatabase('engine_my');
    engine = await openEngine(db.connection({ database: 'engine_my' }), envPassword(), { check: true });
    const results = await engine.execute([
      'CREATE TABLE exact (id int PRIMARY KEY, label varchar(100), big bigint, ubig bigint unsigned, amount decimal(30,10), seen timestamp(6) NULL, day date, raw varbinary(16), ratio double, doc json)',
      `INSERT INTO exact VALUES
        (1, NULL, 9007199254740993, 18446744073709551615, 12345678901234567890.0123456789, '2024-03-10 09:30:00', '2024-02-29', x'00ff10', 0.1, '{"a": [1, 2.5]}'),
        (2, '', -9223372036854775808, 0, -0.0000000001, '2024-07-01 00:15:30.123456', '1000-01-01', x'', -1.5e300, NULL),
        (3, CONCAT('Zoë "the" Émile, 李小龙 🚀', CHAR(10), 'next line'), 0, 0, 0, NULL, NULL, NULL, NULL, '"text"')`,
      'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL, CHECK (balance >= 0)) ENGINE=InnoDB',
      'INSERT INTO accounts SELECT seq, 100 FROM seq_1_to_50',
    ]);
    assert.ok(results.every((result) => result.status === 'succeeded'), JSON.stringify(results));
  });

  after(() => engine?.close());

  describe('export', () => {
    it('writes CSV with NULL as an empty field, the empty string as "", exact numbers, binary as base64', async () => {
      const { text, result } = await exportText(engine, 'SELECT id, label, big, ubig, amount, seen, day, raw, ratio FROM exact ORDER BY id', 'csv');
      assert.equal(
        text,
        'id,label,big,ubig,amount,seen,day,raw,ratio\n' +
          '1,,9007199254740993,18446744073709551615,12345678901234567890.0123456789,2024-03-10 09:30:00.000000,2024-02-29,AP8Q,0.1\n' +
          '2,"",-9223372036854775808,0,-0.0000000001,2024-07-01 00:15:30.123456,1000-01-01,"",-1.5e+300\n' +
          '3,"Zoë ""the"" Émile, 李小龙 🚀\nnext line",0,0,0.0000000000,,,,\n',
      );
      assert.deepEqual(result, { rows: 3, bytes: Buffer.byteLength(text), columns: ['id', 'label', 'big', 'ubig', 'amount', 'seen', 'day', 'raw', 'ratio'] });
    });

    it('writes CSV from the text protocol as the values read: numbers, bits and geometry, quoting, long fields', async () => {
      const results = await engine.execute([
        'CREATE TABLE typed (z int(5) zerofill, f float, d double, b bit(10), tags set(\'a\',\'b\'), mood enum(\'say "hi"\'), raw varbinary(4), shape geometry, line varchar(10), medium varchar(400), long_text mediumtext)',
        `INSERT INTO typed VALUES (7, 0.1, 1e21, b'1010101010', 'a,b', 'say "hi"', x'01', POINT(1, 2), CONCAT('a', CHAR(13), 'b'), REPEAT('x', 300), REPEAT('é', 40000))`,
      ]);
      assert.ok(results.every((result) => result.status === 'succeeded'), JSON.stringify(results));
      const { text } = await exportText(engine, 'SELECT * FROM typed', 'csv');
      assert.equal(
        text,
        'z,f,d,b,tags,mood,raw,shape,line,medium,long_text\n' +
          `7,0.1,1e+21,Aqo=,"a,b","say ""hi""",AQ==,AAAAAAEBAAAAAAAAAAAA8D8AAAAAAAAAQA==,"a\rb",${'x'.repeat(300)},${'é'.repeat(40_000)}\n`,
      );
    });

    it('writes CSV rows across many chunks in order, waiting for a slow destination', async () => {
      const { text, result, progress } = await exportText(engine, "SELECT seq, REPEAT('a,', seq % 5) AS pad FROM seq_1_to_50000", 'csv');
      const pad = (n: number) => (n % 5 === 0 ? '""' : `"${'a,'.repeat(n % 5)}"`);
      assert.equal(text, ['seq,pad', ...Array.from({ length: 50_000 }, (_, i) => `${i + 1},${pad(i + 1)}`)].join('\n') + '\n');
      assert.equal(result.rows, 50_000);
      assertProgress(progress, 50_000);
    });

    it('writes JSON Lines with exact numbers and column order kept (MariaDB JSON is LONGTEXT, so it stays text)', async () => {
      const { text } = await exportText(engine, 'SELECT id, label, big, ubig, amount, raw, doc FROM exact ORDER BY id', 'jsonl');
      const lines = text.split('\n');
      assert.equal(lines[0], '{"id":1,"label":null,"big":9007199254740993,"ubig":18446744073709551615,"amount":12345678901234567890.0123456789,"raw":"AP8Q","doc":"{\\"a\\": [1, 2.5]}"}');
      const rows = jsonLines(text);
      assert.equal(rows.length, 3);
      assert.equal(rows[1].label, '');
      assert.equal(rows[2].label, 'Zoë "the" Émile, 李小龙 🚀\nnext line');
    });

    it('streams many rows with progress', async () => {
      const { result, progress } = await exportText(engine, 'SELECT seq, REPEAT("x", 20) AS pad FROM seq_1_to_30000', 'jsonl');
      assert.equal(result.rows, 30_000);
      assertProgress(progress, 30_000);
    });

    it('stops a running export when cancelled', async () => {
      const controller = new AbortController();
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      const exporting = engine.exportQuery('SELECT a.seq, b.seq, MD5(b.seq) FROM seq_1_to_10000 a, seq_1_to_10000 b', sink, {
        format: 'csv',
        signal: controller.signal,
        onProgress: (rows) => rows >= 20_000 && controller.abort(),
      });
      await assert.rejects(exporting, (error: DbTicketsError) => error.kind === 'cancelled');
    });

    it('stops a query that outlives the statement timeout', async () => {
      const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
      await assert.rejects(
        engine.exportQuery('SELECT SLEEP(5) AS slept, COUNT(*) FROM seq_1_to_10', sink, { format: 'csv', timeoutMs: 200 }),
        (error: DbTicketsError) => error.kind === 'failed' && /statement timeout of 200 ms/.test(error.message),
      );
    });
  });

  describe('changes', () => {
    it('DDL auto-commits: statements before a failure stay committed, the failure has its index, the rest are skipped', async () => {
      const results = await engine.execute([
        'CREATE TABLE audit_note (id int)',
        'INSERT INTO audit_note VALUES (1)',
        'UPDATE accounts SET balance = balance - 500 WHERE id = 2',
        'DROP TABLE audit_note',
      ]);
      assert.deepEqual(results.map((result) => [result.index, result.status]), [
        [1, 'succeeded'],
        [2, 'succeeded'],
        [3, 'failed'],
        [4, 'skipped'],
      ]);
      assert.match(results[2].message!, /CONSTRAINT `CONSTRAINT_1` failed for `engine_my`.`accounts` \(error 4025\)/);
      assert.equal((await exportText(engine, 'SELECT id FROM audit_note', 'csv')).text, 'id\n1\n');
    });

    it('a DML-only script is one transaction: a failure rolls back the earlier statements', async () => {
      const results = await engine.execute(['UPDATE accounts SET balance = 50 WHERE id = 5', 'UPDATE accounts SET balance = -1 WHERE id = 6']);
      assert.deepEqual(results.map((result) => result.status), ['rolled_back', 'failed']);
      assert.equal((await exportText(engine, 'SELECT balance FROM accounts WHERE id = 5', 'csv')).text, 'balance\n100\n');
    });

    it('reports rows touched per statement', async () => {
      const results = await engine.execute(['CREATE TABLE tags (id int PRIMARY KEY, name text)', "INSERT INTO tags VALUES (1, 'new'), (2, 'sale')", 'DELETE FROM tags WHERE id = 2']);
      assert.deepEqual(results, [
        { index: 1, status: 'succeeded' },
        { index: 2, status: 'succeeded', rowsAffected: 2 },
        { index: 3, status: 'succeeded', rowsAffected: 1 },
      ]);
    });

    it('validates DML in a rolled-back transaction and reports DDL as not checked', async () => {
      const checks = await engine.validate(['DELETE FROM accounts WHERE id > 10', 'UPDATE missing_table SET x = 1', 'ALTER TABLE accounts ADD COLUMN note text']);
      assert.deepEqual(checks.map((check) => [check.index, check.status]), [
        [1, 'ok'],
        [2, 'error'],
        [3, 'not_checked'],
      ]);
      assert.match(checks[1].message!, /Table 'engine_my\.missing_table' doesn't exist \(error 1146\)/);
      assert.match(checks[2].message!, /commits DDL implicitly/);
      assert.equal((await exportText(engine, 'SELECT COUNT(*) AS n FROM accounts', 'csv')).text, 'n\n50\n');
    });

    it('a statement over the timeout fails with the timeout named', async () => {
      const results = await engine.execute(['CREATE TABLE slow_check (id int)', 'SELECT SLEEP(5) FROM seq_1_to_2'], { timeoutMs: 200 });
      assert.deepEqual(results.map((result) => result.status), ['succeeded', 'failed']);
      assert.match(results[1].message!, /statement timeout of 200 ms/);
    });

    it('cancelling a running statement stops it with KILL QUERY', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(engine.execute(['UPDATE accounts SET balance = 1 WHERE id = 7 AND SLEEP(10) = 0'], { signal: controller.signal }), (error: DbTicketsError) => error.kind === 'cancelled');
      assert.equal((await exportText(engine, 'SELECT balance FROM accounts WHERE id = 7', 'csv')).text, 'balance\n100\n');
    });

    it('estimates rows from EXPLAIN', async () => {
      const estimate = await engine.estimateRows('SELECT * FROM accounts');
      assert.equal(estimate?.source, 'EXPLAIN');
      assert.ok(estimate.rows >= 40 && estimate.rows <= 60, JSON.stringify(estimate));
    });
  });

  describe('connection problems', () => {
    it('a wrong password is an auth error without the password', async () => {
      const wrong = await openEngine(server().connection({ name: 'shop-dev' }), async () => 'not-the-password');
      await assert.rejects(wrong.estimateRows('SELECT 1'), (error: DbTicketsError) => {
        assert.equal(error.kind, 'auth');
        assert.match(error.message, /"shop-dev" \(MySQL\/MariaDB tickets@127\.0\.0\.1:\d+\/shop\) rejected the login: Access denied for user 'tickets'@'127\.0\.0\.1'/);
        assert.ok(!error.message.includes('not-the-password'));
        return true;
      });
    });

    it('an unknown database is a config error', async () => {
      await assert.rejects(openEngine(server().connection({ database: 'no_such_db' }), envPassword(), { check: true }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'config');
        assert.match(error.message, /Unknown database 'no_such_db'\. Check the connection's database name/);
        return true;
      });
    });

    it('a refused connection is unavailable', async () => {
      await assert.rejects(openEngine(server().connection({ port: 1 }), envPassword(), { check: true }), (error: DbTicketsError) => {
        assert.equal(error.kind, 'unavailable');
        assert.match(error.message, /Cannot connect to "test-mariadb" \(MySQL\/MariaDB tickets@127\.0\.0\.1:1\/shop\): nothing accepts connections there/);
        return true;
      });
    });

    it('a missing password names ~/.my.cnf among the ways to provide it', async () => {
      await assert.rejects(openEngine(server().connection({ passwordEnv: undefined }), envPassword({})), (error: DbTicketsError) => {
        assert.equal(error.kind, 'config');
        assert.match(error.message, /No password for connection "test-mariadb".*name an environment variable in the connection's "passwordEnv" and set it.*\[client\] section of ~\/\.my\.cnf/);
        return true;
      });
    });
  });
});
