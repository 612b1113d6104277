import type { SqlDialect } from './dialect';
import { dialectSyntax } from './dialect';
import { isWordChar } from './splitter';
import { tokenize } from './tokens';

export type SqlSpanKind = 'keyword' | 'identifier' | 'string' | 'number' | 'comment' | 'operator' | 'space';

/** A run of SQL text and what it is; the spans of a text, joined, give the text back exactly. */
export type SqlSpan = [kind: SqlSpanKind, text: string];

const keywords = new Set(
  `ADD ALL ALTER ANALYZE AND ANY AS ASC BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLUMN COMMIT CONSTRAINT CREATE
  CROSS CURRENT_DATE CURRENT_TIMESTAMP DATABASE DEFAULT DELETE DESC DISTINCT DO DROP ELSE END ESCAPE EXCEPT EXISTS
  EXPLAIN FALSE FETCH FOR FOREIGN FROM FULL FUNCTION GRANT GROUP HAVING IF IGNORE ILIKE IN INDEX INNER INSERT
  INTERSECT INTERVAL INTO IS JOIN KEY LEFT LIKE LIMIT LOCK NOT NULL OFFSET ON OR ORDER OUTER OVER PARTITION PRIMARY
  PROCEDURE REFERENCES RENAME REPLACE RETURNING REVOKE RIGHT ROLLBACK ROW ROWS SCHEMA SELECT SET TABLE THEN TO
  TRANSACTION TRIGGER TRUE TRUNCATE UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHERE WINDOW WITH`.split(/\s+/),
);

/**
 * Splits SQL into highlighted spans with the same lexer the analysis uses, so what is shown as a string or a
 * comment is exactly what the splitter treats as one. Whatever lies between two tokens is whitespace or comments.
 */
export function highlightSql(text: string, dialect: SqlDialect): SqlSpan[] {
  const spans: SqlSpan[] = [];
  const push = (kind: SqlSpanKind, from: number, to: number) => {
    if (to > from) spans.push([kind, text.slice(from, to)]);
  };
  const gap = (from: number, to: number) => push(/^\s*$/.test(text.slice(from, to)) ? 'space' : 'comment', from, to);
  const doubleQuotedStrings = dialectSyntax[dialect].doubleQuotedStrings;
  let pos = 0;
  for (const token of tokenize(text, dialect)) {
    gap(pos, token.offset);
    const end = token.type === 'word' ? wordEnd(text, token.offset) : token.offset + token.text.length;
    push(kindOf(token.type, text.slice(token.offset, end), doubleQuotedStrings), token.offset, end);
    pos = end;
  }
  gap(pos, text.length);
  return spans;
}

/** Words come upper-cased from the lexer, and upper-casing can change a length ('ß' → 'SS'): find the end in the text. */
function wordEnd(text: string, pos: number): number {
  while (pos < text.length && isWordChar(text.charCodeAt(pos))) pos++;
  return pos;
}

function kindOf(type: 'word' | 'quoted' | 'symbol', source: string, doubleQuotedStrings: boolean): SqlSpanKind {
  if (type === 'symbol') return 'operator';
  if (type === 'word') {
    if (/^[0-9]/.test(source)) return 'number';
    return keywords.has(source.toUpperCase()) ? 'keyword' : 'identifier';
  }
  const quote = source[0];
  return quote === '`' || (quote === '"' && !doubleQuotedStrings) ? 'identifier' : 'string';
}
