import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import type { SqlDialect } from '../../../../src/core/sql/dialect';
import { SqlSplitter, type SqlStatement, splitSql } from '../../../../src/core/sql/splitter';

const dialects: SqlDialect[] = ['mysql', 'postgres', 'generic'];

/** Characters that stress a scanner: every quote, comment and terminator character, escapes and line breaks. */
const nastyChar = fc.constantFrom(';', "'", '"', '`', '\\', '$', '-', '#', '/', '*', '\n', '\r', ' ', 'a', 'E', 'b', '(', ')', 'é', '𝄞');
const nastyText = fc.array(nastyChar, { maxLength: 60 }).map((chars) => chars.join(''));
const content = fc.array(fc.constantFrom(';', "'", '"', '`', '\\', '$', '-', '#', '/', '*', '\n', ' ', 'x', '1', 'é'), { maxLength: 12 }).map((c) => c.join(''));

/** A token that is valid in `dialect` and whose content, whatever it holds, never ends the statement. */
function opaqueToken(dialect: SqlDialect): fc.Arbitrary<string> {
  const mysql = dialect === 'mysql';
  const tokens: Array<fc.Arbitrary<string>> = [
    content.map((c) => `'${mysql ? c.replace(/\\/g, '\\\\').replace(/'/g, "\\'") : c.replace(/'/g, "''")}'`),
    content.map((c) => '`' + c.replace(/`/g, '``') + '`'),
    content.map((c) => `/* ${c.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *')} */`),
    content.map((c) => `-- ${c.replace(/[\r\n]/g, ' ')}\n`),
  ];
  if (mysql) {
    tokens.push(content.map((c) => `"${c.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
    tokens.push(content.map((c) => `# ${c.replace(/[\r\n]/g, ' ')}\n`));
  } else {
    tokens.push(content.map((c) => `"${c.replace(/"/g, '""')}"`));
    tokens.push(content.map((c) => `E'${c.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`));
    tokens.push(fc.tuple(fc.constantFrom('', 'a', 'body'), content).map(([tag, c]) => `$${tag}$${c.split(`$${tag}$`).join('')}$${tag}$`));
  }
  // Removing '/*' and '*/' in one pass can leave a new one behind ('//**' → '/*'), so drop both characters.
  if (dialect === 'postgres') tokens.push(content.map((c) => `/* outer /* ${c.replace(/[/*]/g, '')} */ ; */`));
  return fc.oneof(...tokens);
}

const word = fc.constantFrom('SELECT', 'a', 'b_1', 'FROM', 't', 'WHERE', '42', '+', '(', ')', ',', '=', '.');

/** A statement that starts and ends with a word, with opaque tokens in between, so its expected text is known. */
function statement(dialect: SqlDialect): fc.Arbitrary<string> {
  return fc
    .tuple(word, fc.array(fc.oneof(word, opaqueToken(dialect)), { maxLength: 6 }), word)
    .map(([first, middle, last]) => [first, ...middle, last].join(' '));
}

const gap = fc.constantFrom(';', ' ;', ';\n', ';\n\n', '; -- done\n', '; /* between */ ', ';;');

function checkRanges(input: string, statements: SqlStatement[]): void {
  let previousEnd = 0;
  for (const s of statements) {
    assert.ok(s.start.offset >= previousEnd, 'statements are in order and do not overlap');
    assert.ok(s.end.offset > s.start.offset, 'a statement is never empty');
    assert.equal(s.text, input.slice(s.start.offset, s.end.offset));
    // An unterminated quote runs to the end of the input, blanks included: they are part of the quoted text.
    const text = s.unterminated ? s.text.trimStart() : s.text.trim();
    assert.equal(s.text, text, 'a statement starts and ends with non-blank text');
    for (const position of [s.start, s.end]) {
      const before = input.slice(0, position.offset);
      assert.equal(position.line, before.split('\n').length);
      assert.equal(position.column, position.offset - (before.lastIndexOf('\n') + 1) + 1);
    }
    previousEnd = s.end.offset;
  }
}

describe('splitSql properties', () => {
  for (const dialect of dialects) {
    describe(dialect, () => {
      it('a semicolon inside a string, comment, quoted identifier or dollar body never splits', () => {
        fc.assert(
          fc.property(fc.array(fc.tuple(statement(dialect), gap), { minLength: 1, maxLength: 5 }), (parts) => {
            const input = parts.map(([text, separator]) => text + separator).join('');
            assert.deepEqual(
              splitSql(input, dialect).map((s) => s.text),
              parts.map(([text]) => text),
            );
          }),
          { numRuns: 300 },
        );
      });

      it('ranges cover the non-blank text exactly once, in order, with consistent lines and columns', () => {
        fc.assert(
          fc.property(nastyText, (input) => {
            const statements = splitSql(input, dialect);
            checkRanges(input, statements);
            // What lies between statements holds no statement of its own: only blanks, comments and terminators.
            let from = 0;
            for (const s of [...statements, undefined]) {
              const between = input.slice(from, s ? s.start.offset : input.length);
              assert.deepEqual(splitSql(between, dialect), [], `text between statements: ${JSON.stringify(between)}`);
              if (s) from = s.end.offset;
            }
          }),
          { numRuns: 1000 },
        );
      });

      it('any chunking of the input gives the same statements', () => {
        fc.assert(
          fc.property(nastyText, fc.array(fc.nat({ max: 60 }), { maxLength: 8 }), (input, cuts) => {
            const splitter = new SqlSplitter(dialect);
            const streamed: SqlStatement[] = [];
            let from = 0;
            for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
              streamed.push(...splitter.push(input.slice(from, Math.max(from, cut))));
              from = Math.max(from, cut);
            }
            streamed.push(...splitter.push(input.slice(from)), ...splitter.end());
            assert.deepEqual(streamed, splitSql(input, dialect));
          }),
          { numRuns: 1000 },
        );
      });

      it('analysis never throws on arbitrary text', () => {
        fc.assert(
          fc.property(fc.oneof(nastyText, fc.string({ unit: 'binary', maxLength: 200 })), (input) => {
            const analysis = analyzeSql(input, { dialect });
            checkRanges(input, analysis.statements);
          }),
          { numRuns: 500 },
        );
      });

      it('analyzes 1 MB on a single line without hanging', () => {
        const unit = "SELECT 'a;b', \"c\", `d` FROM t WHERE x = $1 /* ; */; ";
        const input = unit.repeat(Math.ceil(1_000_000 / unit.length)) + "'" + 'x'.repeat(1000);
        const started = Date.now();
        const analysis = analyzeSql(input, { dialect });
        assert.ok(analysis.statements.length > 15_000);
        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      });
    });
  }
});
