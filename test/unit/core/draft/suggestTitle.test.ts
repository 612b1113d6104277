import * as assert from 'node:assert/strict';
import { suggestTitle } from '../../../../src/core/draft/suggestTitle';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import type { SqlDialect } from '../../../../src/core/sql/dialect';

const title = (sql: string, dialect: SqlDialect = 'postgres') => suggestTitle(analyzeSql(sql, { dialect }).statements, dialect);

describe('suggested draft title', () => {
  it('names the table an export reads, past subqueries and comments', () => {
    assert.equal(title('-- monthly\nSELECT o.id, (SELECT 1 FROM x) FROM shop.orders o JOIN y ON true'), 'Export shop.orders');
    assert.equal(title('SELECT * FROM "Order Items" WHERE true'), 'Export Order Items');
    assert.equal(title('select * from `orders`', 'mysql'), 'Export orders');
  });

  it('uses the opening words of a change, on one line, and counts the rest of a script', () => {
    assert.equal(title('ALTER TABLE orders\n  ADD COLUMN gift_note text;'), 'ALTER TABLE orders ADD COLUMN gift_note text');
    assert.equal(title('UPDATE customers SET vip = true WHERE id = 2; DELETE FROM carts;'), 'UPDATE customers SET vip = true WHERE id = 2 (+1 more)');
  });

  it('keeps a query without FROM as written, and clips long statements', () => {
    assert.equal(title('SELECT 1'), 'SELECT 1');
    const long = title(`CREATE TABLE t (${'a int, '.repeat(30)}b int)`);
    assert.equal(long.length, 60);
    assert.ok(long.endsWith('…'));
  });

  it('suggests nothing for no SQL', () => {
    assert.equal(title('  -- only a comment\n'), '');
  });
});
