import * as assert from 'node:assert/strict';
import { sqlExcerpt } from '../../../../src/core/sql/excerpt';

describe('SQL excerpt', () => {
  it('keeps short SQL whole, without the surrounding blank lines', () => {
    assert.equal(sqlExcerpt('\n  SELECT 1;\r\n\n'), 'SELECT 1;');
  });

  it('cuts after six lines or 400 characters and says so', () => {
    const lines = Array.from({ length: 9 }, (_, i) => `SELECT ${i};`);
    assert.equal(sqlExcerpt(lines.join('\n')), `${lines.slice(0, 6).join('\n')}\n…`);
    const long = sqlExcerpt(`SELECT '${'x'.repeat(1000)}'`);
    assert.equal(long.length, 402);
    assert.ok(long.endsWith('\n…'));
  });
});
