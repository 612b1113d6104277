import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SqlDialect } from '../../../../src/core/sql/dialect';
import { highlightSql } from '../../../../src/core/sql/highlight';

describe('highlightSql', () => {
  it('marks keywords, identifiers, strings, numbers, comments and operators, keeping the original case', () => {
    const spans = highlightSql("select id, 'a;b' -- why\nFROM t WHERE n > 42", 'generic');
    assert.deepEqual(spans, [
      ['keyword', 'select'], ['space', ' '], ['identifier', 'id'], ['operator', ','], ['space', ' '], ['string', "'a;b'"],
      ['comment', ' -- why\n'], ['keyword', 'FROM'], ['space', ' '], ['identifier', 't'], ['space', ' '], ['keyword', 'WHERE'],
      ['space', ' '], ['identifier', 'n'], ['space', ' '], ['operator', '>'], ['space', ' '], ['number', '42'],
    ]);
  });

  it('follows the dialect: "…" is an identifier in PostgreSQL and a string in MySQL; # comments only in MySQL', () => {
    assert.deepEqual(highlightSql('"x"', 'postgres'), [['identifier', '"x"']]);
    assert.deepEqual(highlightSql('"x"', 'mysql'), [['string', '"x"']]);
    assert.deepEqual(highlightSql('`x`', 'mysql'), [['identifier', '`x`']]);
    assert.deepEqual(highlightSql('# c\n1', 'mysql'), [['comment', '# c\n'], ['number', '1']]);
    assert.deepEqual(highlightSql("$$ a ' b $$ /* c */", 'postgres'), [['string', "$$ a ' b $$"], ['comment', ' /* c */']]);
  });

  it('keeps words whose upper case is longer than they are (ß → SS)', () => {
    assert.deepEqual(highlightSql('straße = 1', 'generic'), [['identifier', 'straße'], ['space', ' '], ['operator', '='], ['space', ' '], ['number', '1']]);
  });

  it('keeps markup as plain text in spans, for the page to show as text', () => {
    const spans = highlightSql("SELECT '<script>alert(1)</script>' AS \"<img src=x>\"", 'postgres');
    assert.deepEqual(spans.filter(([kind]) => kind !== 'space').map(([, text]) => text), ['SELECT', "'<script>alert(1)</script>'", 'AS', '"<img src=x>"']);
  });

  it('gives the text back exactly, whatever it holds, in every dialect', () => {
    const chars = fc.constantFrom(';', "'", '"', '`', '\\', '$', '-', '#', '/', '*', '\n', ' ', 'a', 'E', 'ß', '1', '(', ')', '<', '𝄞');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 80 }).map((c) => c.join('')), fc.constantFrom<SqlDialect>('mysql', 'postgres', 'generic'), (text, dialect) => {
        const spans = highlightSql(text, dialect);
        assert.equal(spans.map(([, t]) => t).join(''), text);
        assert.ok(spans.every(([, t]) => t.length > 0));
      }),
      { numRuns: 2000 },
    );
  });
});
