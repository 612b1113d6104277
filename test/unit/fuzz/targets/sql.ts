import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import { SqlDialect } from '../../../../src/core/sql/dialect';
import { sqlExcerpt } from '../../../../src/core/sql/excerpt';
import { highlightSql } from '../../../../src/core/sql/highlight';
import { SqlSplitter, type SqlStatement, splitSql } from '../../../../src/core/sql/splitter';
import { tokenize } from '../../../../src/core/sql/tokens';
import { anyText, bounded, type FuzzProperty } from '../harness';

const dialect = fc.constantFrom(...SqlDialect.options);

/** Pieces of SQL that open, close or change lexical modes, in every dialect's syntax. */
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('SELECT', 'FROM', 't', 'WHERE', 'x', '1', '0x1F', 'CREATE', 'PROCEDURE', 'FUNCTION', 'TRIGGER', 'BEGIN', 'NOT', 'ATOMIC', 'END', 'CASE', 'IF', 'LOOP', 'WITH', 'DELETE', 'UPDATE', 'INSERT', 'DROP', 'TABLE', 'EXPLAIN', 'ANALYZE', 'DO', 'CALL', 'E', 'ß', 'é') },
  { weight: 8, arbitrary: fc.constantFrom("'", '"', '`', "''", '\\', "\\'", "E'", '$$', '$tag$', '$a1$', '$1', '$', '--', '-- ', '#', '/*', '*/', '/*!', '/*+', '/*!50100', '(', ')', ',', '=', '.') },
  { weight: 4, arbitrary: fc.constantFrom(';', ';;', '//', '$$ ', '\nDELIMITER //\n', '\nDELIMITER ;\n', 'DELIMITER $$\n', 'DELIMITER', '\n', '\r\n', '\r', ' ', '\t') },
  { weight: 1, arbitrary: fc.constantFrom('\0', '\uD800', '\uDC00', '𝄞', '\uFEFF', '\u2028', '\x1b') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

/** SQL-like text half the time, fully random text the other half. */
export const sqlText = fc.oneof(
  fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join('')),
  fc.array(fc.tuple(fragment, fc.constantFrom('', ' ', '\n')), { maxLength: 50 }).map((parts) => parts.flat().join('')),
  anyText(300),
);

function checkStatements(input: string, statements: readonly SqlStatement[]): void {
  let previousEnd = 0;
  for (const s of statements) {
    assert.ok(s.start.offset >= previousEnd, 'statements are in order and do not overlap');
    assert.ok(s.end.offset > s.start.offset && s.end.offset <= input.length, 'a statement is a non-empty range of the input');
    assert.equal(s.text, input.slice(s.start.offset, s.end.offset));
    assert.notEqual(s.text.trim(), '', 'a statement is never blank');
    previousEnd = s.end.offset;
  }
}

export const sqlProperties: FuzzProperty[] = [
  {
    target: 'sql',
    name: 'analyzeSql: statements are ordered, disjoint, non-blank ranges of the input; the text between holds none',
    runs: 2000,
    benchShare: 0.25,
    property: () =>
      fc.property(
        sqlText,
        dialect,
        bounded((input: string, d: SqlDialect) => {
          const analysis = analyzeSql(input, { dialect: d });
          checkStatements(input, analysis.statements);
          // What lies between statements is blanks, comments, terminators and DELIMITER lines: the input cut at the
          // start of a statement splits into exactly the statements before it.
          analysis.statements.forEach((s, k) => {
            const before = splitSql(input.slice(0, s.start.offset), d);
            assert.deepEqual(before, splitSql(input, d).slice(0, k), `input cut before statement ${k + 1}`);
          });
          for (const s of analysis.statements) {
            assert.equal(typeof s.verb, 'string');
            assert.ok(s.verb.length <= s.text.length + 40, 'a verb is a short name');
            for (const risk of s.risks) assert.ok(risk.message.length < 1000 + s.text.length);
          }
          assert.ok(analysis.ticketKind === null || typeof analysis.ticketKind === 'string');
        }),
      ),
  },
  {
    target: 'sql',
    name: 'splitSql: any chunking of the input gives the same statements as the whole',
    runs: 2000,
    benchShare: 0.12,
    property: () =>
      fc.property(
        sqlText,
        dialect,
        fc.array(fc.nat({ max: 300 }), { maxLength: 8 }),
        bounded((input: string, d: SqlDialect, cuts: number[]) => {
          const splitter = new SqlSplitter(d);
          const streamed: SqlStatement[] = [];
          let from = 0;
          for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
            if (cut <= from) continue;
            streamed.push(...splitter.push(input.slice(from, cut)));
            from = cut;
          }
          streamed.push(...splitter.push(input.slice(from)), ...splitter.end());
          assert.deepEqual(streamed, splitSql(input, d));
        }),
      ),
  },
  {
    target: 'sql',
    name: 'highlightSql: non-empty spans that join back to the input exactly',
    runs: 2000,
    benchShare: 0.15,
    property: () =>
      fc.property(
        sqlText,
        dialect,
        bounded((input: string, d: SqlDialect) => {
          const spans = highlightSql(input, d);
          assert.equal(spans.map(([, text]) => text).join(''), input);
          for (const [kind, text] of spans) {
            assert.ok(text.length > 0, `empty ${kind} span`);
            assert.ok(['keyword', 'identifier', 'string', 'number', 'comment', 'operator', 'space'].includes(kind));
          }
        }),
      ),
  },
  {
    target: 'sql',
    name: 'tokenize: tokens in order, inside the input, at most one per character',
    runs: 2000,
    benchShare: 0.1,
    property: () =>
      fc.property(
        sqlText,
        dialect,
        bounded((input: string, d: SqlDialect) => {
          let previous = -1;
          let count = 0;
          for (const token of tokenize(input, d)) {
            assert.ok(token.offset > previous && token.offset < input.length, `token at ${token.offset}`);
            assert.ok(token.depth >= 0);
            if (token.type !== 'word') assert.equal(token.text, input.slice(token.offset, token.offset + token.text.length));
            previous = token.offset;
            count++;
          }
          assert.ok(count <= input.length);
        }),
      ),
  },
  {
    target: 'sql',
    name: 'sqlExcerpt: at most six lines and 400 characters of the trimmed SQL, "…" when cut',
    runs: 1000,
    benchShare: 0.05,
    property: () =>
      fc.property(
        fc.oneof(sqlText, fc.array(sqlText, { maxLength: 12 }).map((parts) => parts.join('\n'))),
        bounded((input: string) => {
          const excerpt = sqlExcerpt(input);
          const cut = excerpt.endsWith('\n…');
          const shown = cut ? excerpt.slice(0, -2) : excerpt;
          assert.ok(shown.length <= 400);
          assert.ok(shown.split('\n').length <= 6);
          if (!cut) assert.equal(shown, input.trim().replace(/\r\n/g, '\n'));
          else assert.ok(input.trim().replace(/\r\n/g, '\n').startsWith(shown.split('\n')[0]));
        }),
      ),
  },
];
