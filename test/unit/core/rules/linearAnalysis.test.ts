import * as assert from 'node:assert/strict';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import type { SqlDialect } from '../../../../src/core/sql/dialect';
import { adversarialUnits, repeatTo } from '../../../support/adversarialSql';
import { growthPerDoubling } from '../../../support/growth';

const bound = 2.4;

/**
 * How time grows per doubling of the size, from the size to eight times it in one run (see `growthPerDoubling`):
 * about 2 when the analysis is linear, about 4 when quadratic. The bound, 2.4, leaves room for a busy machine
 * (bench/analyze.bench.ts reports the growth itself, against 2.2). An input is measured again (up to three times)
 * before a growth above it counts.
 */
function growth(unit: string, dialect: SqlDialect, bytes: number): number {
  const inputs = [1, 2, 4, 8].map((factor) => repeatTo(unit, bytes * factor));
  let perDoubling = Infinity;
  for (let attempt = 0; attempt < 3 && perDoubling > bound; attempt++) {
    perDoubling = Math.min(perDoubling, growthPerDoubling(inputs, (text) => analyzeSql(text, { dialect }), 3).perDoubling);
  }
  return perDoubling;
}

describe('analysis cost grows linearly on adversarial input', function () {
  this.timeout(120_000);

  for (const dialect of ['postgres', 'mysql'] as const) {
    it(`${dialect}: doubling any adversarial input at most about doubles the time`, () => {
      const slow = adversarialUnits
        .map((unit) => ({ unit, ratio: growth(unit, dialect, 128 * 1024) }))
        .filter(({ ratio }) => ratio > bound)
        .map(({ unit, ratio }) => `${JSON.stringify(unit)}: ${ratio.toFixed(2)}×`);
      assert.deepEqual(slow, []);
    });
  }

  it('says each risk once per statement, however often its clause repeats', () => {
    const [statement] = analyzeSql(repeatTo('(DELETE ', 256 * 1024), { dialect: 'postgres' }).statements;
    assert.deepEqual(statement.risks.map((r) => r.rule), ['delete-without-where']);
    const [both] = analyzeSql('WITH a AS (DELETE FROM t RETURNING *), b AS (UPDATE u SET x = 1 RETURNING *), c AS (DELETE FROM v RETURNING *) SELECT 1', { dialect: 'postgres' }).statements;
    const rules = both.risks.map((r) => r.rule);
    assert.equal(rules.filter((rule) => rule === 'delete-without-where').length, 1);
    assert.equal(rules.filter((rule) => rule === 'update-without-where').length, 1);
  });

  it('a long chain of EXPLAINs is a query, not a stack overflow', () => {
    const [statement] = analyzeSql(repeatTo('EXPLAIN ', 512 * 1024), { dialect: 'mysql' }).statements;
    assert.equal(statement.kind, 'query');
    assert.equal(statement.readOnly, true);
  });

  it('an unclosed run of nested comments stays a comment after the last statement', () => {
    const { statements } = analyzeSql(`SELECT 1;\nDELETE FROM t WHERE id = 1 ${repeatTo('/* ', 256 * 1024)}`, { dialect: 'postgres' });
    assert.deepEqual(statements.map((s) => s.text), ['SELECT 1', 'DELETE FROM t WHERE id = 1']);
  });
});
