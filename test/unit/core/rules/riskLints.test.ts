import * as assert from 'node:assert/strict';
import type { TicketKind } from '../../../../src/core/model/ticketKind';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import { isAtLeast } from '../../../../src/core/rules/riskLints';
import type { SqlDialect } from '../../../../src/core/sql/dialect';

function risks(sql: string, dialect: SqlDialect = 'generic', ticketKind?: TicketKind): string[] {
  return analyzeSql(sql, { dialect, ticketKind }).statements.flatMap((s) => s.risks.map((r) => `${r.severity} ${r.rule}`));
}

function messages(sql: string, dialect: SqlDialect = 'generic', ticketKind?: TicketKind): string[] {
  return analyzeSql(sql, { dialect, ticketKind }).statements.flatMap((s) => s.risks.map((r) => r.message));
}

describe('risk lints', () => {
  for (const dialect of ['mysql', 'postgres'] as SqlDialect[]) {
    describe(dialect, () => {
      it('DROP TABLE, DATABASE and SCHEMA are errors that name what is lost; DROP INDEX is not flagged', () => {
        assert.deepEqual(risks('DROP TABLE t; DROP DATABASE d; DROP SCHEMA s; DROP INDEX i', dialect), [
          'error drop-object',
          'error drop-object',
          'error drop-object',
        ]);
        assert.deepEqual(messages('drop table t', dialect), [
          'DROP TABLE deletes the table and all its data for good: check the name, and make sure a backup exists.',
        ]);
      });

      it('TRUNCATE is an error', () => {
        assert.deepEqual(risks('TRUNCATE TABLE t', dialect), ['error truncate']);
        assert.match(messages('TRUNCATE t', dialect)[0], /deletes every row.*backup/);
      });

      it('DELETE and UPDATE without WHERE are errors; a WHERE only in a subquery does not count', () => {
        assert.deepEqual(risks('DELETE FROM t', dialect), ['error delete-without-where']);
        assert.deepEqual(risks('UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1)', dialect), ['error update-without-where']);
        assert.deepEqual(risks('DELETE FROM t WHERE id = 1; UPDATE t SET a = 1 WHERE id = 2', dialect), []);
        assert.match(messages('UPDATE t SET a = 1', dialect)[0], /changes every row.*add a WHERE clause/);
      });

      it('finds unfiltered DELETE/UPDATE inside CTEs and routine bodies, but not in ON UPDATE or FOR UPDATE', () => {
        assert.ok(risks('WITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d', dialect).includes('error delete-without-where'));
        assert.ok(risks('CREATE PROCEDURE p() BEGIN UPDATE t SET a = 1; END', dialect).includes('error update-without-where'));
        assert.deepEqual(risks('CREATE TABLE c (p int REFERENCES t (id) ON DELETE CASCADE ON UPDATE CASCADE)', dialect), []);
        assert.deepEqual(risks('INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2', dialect), []);
      });

      it('GRANT ALL and grants to PUBLIC are warnings', () => {
        assert.deepEqual(risks('GRANT ALL PRIVILEGES ON t TO app', dialect), ['warning grant-all']);
        assert.deepEqual(risks('GRANT SELECT ON t TO PUBLIC', dialect), ['warning grant-to-public']);
        assert.deepEqual(risks('GRANT SELECT ON t TO app', dialect), []);
        assert.match(messages('GRANT SELECT ON t TO PUBLIC', dialect)[0], /every current and future user: grant it to a specific role/);
      });

      it('a data export warns about SELECT * and notes a missing LIMIT', () => {
        assert.deepEqual(risks('SELECT * FROM t', dialect), ['warning select-star', 'info export-without-limit']);
        assert.deepEqual(risks('SELECT t.* FROM t LIMIT 10', dialect), ['warning select-star']);
        assert.deepEqual(risks('SELECT count(*), a * 2 FROM t LIMIT 10', dialect), []);
        assert.deepEqual(risks('SELECT a FROM t', dialect), ['info export-without-limit']);
      });

      it('export lints apply only to a data export', () => {
        assert.deepEqual(risks('SELECT * FROM t', dialect, 'DATA_CHANGE'), []);
      });

      it('writes disguised as reads carry a warning that says what they really do', () => {
        assert.deepEqual(risks('SELECT id FROM t LIMIT 1 FOR UPDATE', dialect), ['warning hidden-effect']);
        assert.deepEqual(messages('CALL p()', dialect), [
          'CALL runs a stored procedure; what it changes is not visible in the SQL: check that this is intended before submitting.',
        ]);
      });
    });
  }

  it('ALTER TABLE clauses that rewrite the table are warnings, per engine', () => {
    assert.deepEqual(risks('ALTER TABLE t ALTER COLUMN a TYPE bigint', 'postgres'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t ADD COLUMN id uuid DEFAULT gen_random_uuid()', 'postgres'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t ADD COLUMN n int DEFAULT 0', 'postgres'), []);
    assert.deepEqual(risks('ALTER TABLE t SET LOGGED', 'postgres'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t MODIFY COLUMN a bigint', 'mysql'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t ENGINE = InnoDB', 'mysql'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4', 'mysql'), ['warning alter-rewrites-table']);
    assert.deepEqual(risks('ALTER TABLE t ADD COLUMN b int', 'mysql'), []);
    assert.deepEqual(messages('ALTER TABLE t MODIFY a bigint', 'mysql'), [
      'ALTER TABLE … MODIFY COLUMN rewrites the whole table, locking it for the duration on large tables: schedule it for a quiet period or use an online schema change tool.',
    ]);
  });

  it('an unterminated quote is an error that says where it opened', () => {
    assert.deepEqual(messages("UPDATE t SET a = 'x WHERE id = 1", 'postgres'), [
      'The quoted text opened at line 1, column 18 is never closed, so the rest of the input is part of it: close it where it should end.',
      'UPDATE without WHERE changes every row of the table: add a WHERE clause that selects the rows to change.',
    ]);
  });

  it('orders severities for --fail-on', () => {
    assert.ok(isAtLeast('error', 'warning'));
    assert.ok(isAtLeast('warning', 'warning'));
    assert.ok(!isAtLeast('info', 'warning'));
    assert.ok(!isAtLeast('warning', 'error'));
  });
});
