import * as assert from 'node:assert/strict';
import { type StatementClass, classifyStatement } from '../../../../src/core/sql/classify';
import type { SqlDialect } from '../../../../src/core/sql/dialect';

function classify(sql: string, dialect: SqlDialect = 'generic'): Pick<StatementClass, 'kind' | 'readOnly' | 'verb'> {
  const { kind, readOnly, verb } = classifyStatement(sql, dialect);
  return { kind, readOnly, verb };
}

describe('classifyStatement', () => {
  for (const dialect of ['mysql', 'postgres'] as SqlDialect[]) {
    describe(dialect, () => {
      const cases: Array<[string, StatementClass['kind'], boolean, string]> = [
        ['SELECT a FROM t', 'query', true, 'SELECT'],
        ['  (SELECT 1) UNION (SELECT 2)', 'query', true, 'SELECT'],
        ['/* lead */ select a from t where b in (select c from u for update)', 'query', true, 'SELECT'],
        ['SHOW TABLES', 'query', true, 'SHOW'],
        ['\u00a0DELETE\u00a0FROM t', 'dml', false, 'DELETE'],
        ['EXPLAIN SELECT 1', 'query', true, 'EXPLAIN SELECT'],
        ['EXPLAIN DELETE FROM t', 'query', true, 'EXPLAIN DELETE'],
        ['WITH x AS (SELECT 1) SELECT * FROM x', 'query', true, 'WITH … SELECT'],
        ['INSERT INTO t VALUES (1)', 'dml', false, 'INSERT'],
        ['update t set a = 1', 'dml', false, 'UPDATE'],
        ['DELETE FROM t WHERE a = 1', 'dml', false, 'DELETE'],
        ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'dml', false, 'MERGE'],
        ['CREATE TABLE t (id int)', 'ddl', false, 'CREATE TABLE'],
        ['CREATE OR REPLACE VIEW v AS SELECT 1', 'ddl', false, 'CREATE VIEW'],
        ['CREATE UNIQUE INDEX i ON t (a)', 'ddl', false, 'CREATE INDEX'],
        ['ALTER TABLE t ADD COLUMN b int', 'ddl', false, 'ALTER TABLE'],
        ['DROP TABLE IF EXISTS t', 'ddl', false, 'DROP TABLE'],
        ['TRUNCATE TABLE t', 'ddl', false, 'TRUNCATE'],
        ['GRANT SELECT ON t TO app', 'dcl', false, 'GRANT'],
        ['REVOKE ALL ON t FROM app', 'dcl', false, 'REVOKE'],
        ['CREATE USER app', 'dcl', false, 'CREATE USER'],
        ['BEGIN', 'transaction', false, 'BEGIN'],
        ['START TRANSACTION', 'transaction', false, 'START'],
        ['COMMIT', 'transaction', false, 'COMMIT'],
        ['ROLLBACK', 'transaction', false, 'ROLLBACK'],
        ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'transaction', false, 'SET TRANSACTION'],
        ['SET search_path = app', 'session', false, 'SET'],
        ['USE app', 'session', false, 'USE'],
        ['VACUUM t', 'other', false, 'VACUUM'],
        ['FROBNICATE t', 'other', false, 'FROBNICATE'],
      ];
      for (const [sql, kind, readOnly, verb] of cases) {
        it(`${sql} → ${kind}`, () => assert.deepEqual(classify(sql, dialect), { kind, readOnly, verb }));
      }
    });
  }

  describe('writes disguised as reads', () => {
    it('WITH … DELETE/UPDATE/INSERT is DML, in the main statement or inside a CTE', () => {
      assert.deepEqual(classify('WITH old AS (SELECT id FROM t) DELETE FROM t WHERE id IN (SELECT id FROM old)', 'postgres'), {
        kind: 'dml',
        readOnly: false,
        verb: 'WITH … DELETE',
      });
      assert.equal(classify('WITH moved AS (DELETE FROM t RETURNING *) SELECT * FROM moved', 'postgres').kind, 'dml');
      assert.equal(classify('WITH x AS (SELECT 1) UPDATE t SET a = 1', 'mysql').verb, 'WITH … UPDATE');
      assert.equal(classify('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', 'postgres').verb, 'WITH … INSERT');
    });

    it('SELECT … INTO creates a table in PostgreSQL, and writes a file or variables in MySQL', () => {
      assert.deepEqual(classify('SELECT * INTO archive FROM orders', 'postgres'), { kind: 'ddl', readOnly: false, verb: 'SELECT … INTO' });
      assert.deepEqual(classify("SELECT * FROM t INTO OUTFILE '/tmp/t.csv'", 'mysql'), { kind: 'other', readOnly: false, verb: 'SELECT … INTO OUTFILE' });
      assert.equal(classify('SELECT count(*) INTO @n FROM t', 'mysql').readOnly, false);
      assert.equal(classifyStatement('SELECT * INTO archive FROM orders', 'postgres').note, 'SELECT … INTO creates a new table from the result');
    });

    it('EXPLAIN ANALYZE of DML executes it: the statement is DML', () => {
      assert.deepEqual(classify('EXPLAIN ANALYZE DELETE FROM t', 'postgres'), { kind: 'dml', readOnly: false, verb: 'EXPLAIN ANALYZE DELETE' });
      assert.deepEqual(classify('EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1', 'postgres'), { kind: 'dml', readOnly: false, verb: 'EXPLAIN ANALYZE UPDATE' });
      assert.deepEqual(classify('EXPLAIN ANALYZE SELECT 1', 'mysql'), { kind: 'query', readOnly: true, verb: 'EXPLAIN ANALYZE SELECT' });
      assert.match(classifyStatement('EXPLAIN ANALYZE DELETE FROM t', 'postgres').note ?? '', /executes the DELETE/);
    });

    it('SELECT … FOR UPDATE/SHARE and LOCK IN SHARE MODE lock rows: a query, but not read-only', () => {
      for (const sql of ['SELECT * FROM t FOR UPDATE', 'SELECT * FROM t FOR NO KEY UPDATE', 'SELECT * FROM t FOR SHARE', 'SELECT * FROM t LOCK IN SHARE MODE']) {
        assert.deepEqual(classify(sql, 'mysql'), { kind: 'query', readOnly: false, verb: 'SELECT … FOR UPDATE' }, sql);
      }
      assert.match(classifyStatement('SELECT * FROM t FOR UPDATE', 'postgres').note ?? '', /locks the rows/);
    });

    it('COPY … FROM loads data; COPY … TO STDOUT is an export; COPY … TO a file writes on the server', () => {
      assert.deepEqual(classify("COPY t (a, b) FROM '/data/t.csv' WITH (FORMAT csv)", 'postgres'), { kind: 'dml', readOnly: false, verb: 'COPY … FROM' });
      assert.deepEqual(classify('COPY (SELECT * FROM t) TO STDOUT', 'postgres'), { kind: 'query', readOnly: true, verb: 'COPY … TO STDOUT' });
      assert.deepEqual(classify("COPY t TO '/tmp/t.csv'", 'postgres'), { kind: 'other', readOnly: false, verb: 'COPY … TO' });
    });

    it('CALL and DO have an unknown effect, and say so', () => {
      assert.deepEqual(classify('CALL refresh_totals()', 'mysql'), { kind: 'other', readOnly: false, verb: 'CALL' });
      assert.match(classifyStatement('CALL refresh_totals()', 'mysql').note ?? '', /stored procedure/);
      assert.deepEqual(classify("DO $$ BEGIN DELETE FROM t; END $$", 'postgres'), { kind: 'other', readOnly: false, verb: 'DO' });
      assert.match(classifyStatement('DO $$ BEGIN END $$', 'postgres').note ?? '', /not visible/);
    });
  });

  it('looks inside MySQL executable comments', () => {
    assert.deepEqual(classify('/*!40101 SET NAMES utf8mb4 */', 'mysql'), { kind: 'session', readOnly: false, verb: 'SET' });
    assert.deepEqual(classify('/*!50001 DROP VIEW IF EXISTS v */', 'mysql'), { kind: 'ddl', readOnly: false, verb: 'DROP VIEW' });
  });

  it('a routine definition is DDL whatever its body does', () => {
    assert.deepEqual(classify('CREATE PROCEDURE p() BEGIN DELETE FROM t; END', 'mysql'), { kind: 'ddl', readOnly: false, verb: 'CREATE PROCEDURE' });
    assert.deepEqual(classify('CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql', 'postgres'), { kind: 'ddl', readOnly: false, verb: 'CREATE FUNCTION' });
  });
});
