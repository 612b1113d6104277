import * as assert from 'node:assert/strict';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import { allowMore, checkTicketKind, defaultKindRules, inferTicketKind } from '../../../../src/core/rules/kindRules';
import type { TicketKind } from '../../../../src/core/model/ticketKind';
import { classifyStatement } from '../../../../src/core/sql/classify';
import type { SqlDialect } from '../../../../src/core/sql/dialect';
import { splitSql } from '../../../../src/core/sql/splitter';

function statements(sql: string, dialect: SqlDialect = 'postgres') {
  return splitSql(sql, dialect).map((s) => ({ ...s, ...classifyStatement(s.text, dialect) }));
}

function infer(sql: string, dialect: SqlDialect = 'postgres') {
  return inferTicketKind(statements(sql, dialect));
}

function check(kind: TicketKind, sql: string) {
  return checkTicketKind(kind, statements(sql)).map((v) => v.message);
}

describe('analyzeSql at a place in a document', () => {
  it('names the lines of the document in positions, kind reasons and messages, not lines within the text', () => {
    const analysis = analyzeSql('SELECT 1;\nDROP TABLE orders;', { dialect: 'postgres', start: { line: 2, column: 7 } });
    assert.deepEqual(analysis.statements.map((s) => [s.start.line, s.start.column]), [[2, 7], [3, 1]]);
    assert.match(analysis.reason, /schema change: statement 1 \(SELECT, line 2\) is a query/);
    assert.deepEqual(checkTicketKind('DATA_EXPORT', analysis.statements).map((v) => v.summary), ['2 statements, not one', 'statement 2 (DROP TABLE, line 3) is DDL']);
    const [unterminated] = analyzeSql("SELECT 'oops", { dialect: 'postgres', start: { line: 5, column: 3 } }).statements;
    assert.match(unterminated.risks[0].message, /opened at line 5, column 10/);
  });
});

describe('ticket kind rules', () => {
  describe('inferTicketKind', () => {
    it('one read-only query is a data export', () => {
      assert.deepEqual(infer('SELECT id, name FROM customers LIMIT 10'), { kind: 'DATA_EXPORT', reason: 'one read-only query' });
    });

    it('DDL only is a schema change; DML only is a data change', () => {
      assert.deepEqual(infer('CREATE TABLE a (id int); ALTER TABLE a ADD b int;'), { kind: 'SCHEMA_CHANGE', reason: '2 DDL statements' });
      assert.deepEqual(infer('UPDATE t SET a = 1 WHERE id = 2', 'mysql'), { kind: 'DATA_CHANGE', reason: 'one DML statement' });
    });

    it('a mixed selection says which statement breaks which kind', () => {
      assert.deepEqual(infer('CREATE TABLE a (id int);\nDELETE FROM b WHERE id = 1;'), {
        kind: null,
        reason:
          'no ticket kind fits — data export: 2 statements, not one; schema change: statement 2 (DELETE, line 2) is DML; data change: statement 1 (CREATE TABLE, line 1) is DDL',
      });
    });

    it('a statement no kind takes is named once', () => {
      assert.deepEqual(infer('SET search_path = app'), {
        kind: null,
        reason: 'no ticket kind fits: statement 1 (SET, line 1) is a session setting, which no ticket kind takes',
      });
    });

    it('a locking or writing query is not an export', () => {
      const inference = infer('SELECT * FROM t FOR UPDATE');
      assert.equal(inference.kind, null);
      assert.match(inference.reason, /data export: statement 1 \(SELECT … FOR UPDATE, line 1\) is not read-only/);
      assert.equal(infer('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d').kind, 'DATA_CHANGE');
      assert.equal(infer('EXPLAIN ANALYZE DELETE FROM t').kind, 'DATA_CHANGE');
    });

    it('an empty selection fits no kind', () => {
      assert.deepEqual(infer('-- nothing here\n'), { kind: null, reason: 'the selection holds no SQL statement' });
    });

    it('a backend can allow more, and the reason says who allowed it', () => {
      const rules = allowMore(defaultKindRules, 'SCHEMA_CHANGE', ['dml'], 'DMS');
      assert.deepEqual(inferTicketKind(statements('CREATE TABLE a (id int); INSERT INTO a VALUES (1)'), rules), {
        kind: 'SCHEMA_CHANGE',
        reason: 'one DDL statement and one DML statement (DML allowed by DMS)',
      });
      // DML alone still goes to a data change: the kind whose own rule covers the statements wins.
      assert.equal(inferTicketKind(statements('INSERT INTO a VALUES (1)'), rules).kind, 'DATA_CHANGE');
    });
  });

  describe('checkTicketKind', () => {
    it('passes statements that fit', () => {
      assert.deepEqual(check('DATA_EXPORT', 'SELECT 1'), []);
      assert.deepEqual(check('SCHEMA_CHANGE', 'CREATE TABLE a (id int); DROP VIEW v'), []);
    });

    it('explains what breaks a data export and what to do', () => {
      assert.deepEqual(check('DATA_EXPORT', 'SELECT 1; SELECT 2'), [
        'A data export takes one statement, and the selection has 2: select only the statement for this ticket, or create one ticket per statement.',
      ]);
      assert.deepEqual(check('DATA_EXPORT', 'DELETE FROM t WHERE a = 1'), [
        'Statement 1 (DELETE, line 1) is DML, and a data export takes one read-only query: move it to a data change ticket.',
      ]);
      assert.deepEqual(check('DATA_EXPORT', 'SELECT * FROM t FOR SHARE'), [
        'Statement 1 (SELECT … FOR UPDATE, line 1) is not read-only (SELECT … FOR UPDATE/SHARE locks the rows it reads until the transaction ends), and a data export takes one read-only query: remove the clause that writes or locks.',
      ]);
    });

    it('explains what breaks a schema change or a data change', () => {
      assert.deepEqual(check('SCHEMA_CHANGE', 'CREATE TABLE a (id int);\nUPDATE a SET id = 1 WHERE id = 0'), [
        'Statement 2 (UPDATE, line 2) is DML, and a schema change takes DDL only: move it to a data change ticket.',
      ]);
      assert.deepEqual(check('DATA_CHANGE', 'BEGIN; DELETE FROM t WHERE a = 1; COMMIT'), [
        'Statement 1 (BEGIN, line 1) is transaction control, and a data change takes DML only: remove it: the ticket runs the statements in its own transaction.',
        'Statement 3 (COMMIT, line 1) is transaction control, and a data change takes DML only: remove it: the ticket runs the statements in its own transaction.',
      ]);
      assert.deepEqual(check('SCHEMA_CHANGE', 'SELECT 1'), ['Statement 1 (SELECT, line 1) is a query, and a schema change takes DDL only: export it with a data export ticket.']);
    });

    it('names the backend that allows more in its message', () => {
      const rules = allowMore(defaultKindRules, 'DATA_CHANGE', ['transaction'], 'Local');
      assert.deepEqual(checkTicketKind('DATA_CHANGE', statements('BEGIN; DELETE FROM t WHERE a = 1; COMMIT'), rules), []);
      assert.deepEqual(
        checkTicketKind('DATA_CHANGE', statements('CREATE TABLE t (a int)'), rules).map((v) => v.message),
        ['Statement 1 (CREATE TABLE, line 1) is DDL, and a data change takes DML, and transaction control as allowed by Local: move it to a schema change ticket.'],
      );
    });

    it('an empty selection fits no kind, and the message says what to select', () => {
      assert.deepEqual(check('DATA_CHANGE', '  '), ['The selection holds no SQL statement, only whitespace or comments: select the SQL for the ticket.']);
    });
  });

  it('analyzeSql lints an export chosen by the user even when the SQL would infer another kind', () => {
    const analysis = analyzeSql('SELECT * FROM t; SELECT 1', { dialect: 'generic', ticketKind: 'DATA_EXPORT' });
    assert.equal(analysis.ticketKind, null);
    assert.deepEqual(analysis.statements[0].risks.map((r) => r.rule), ['select-star', 'export-without-limit']);
  });
});
