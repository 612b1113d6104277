import type { AnalyzedStatement } from '../rules/analyzeSql';
import type { SqlDialect } from '../sql/dialect';
import { tokenize } from '../sql/tokens';

const maxLength = 60;

/**
 * A first title for a draft, for the user to accept or edit: "Export customers" for a query, else the first
 * statement's opening words ("ALTER TABLE orders ADD COLUMN gift_note text"), with "(+2 more)" for a script.
 */
export function suggestTitle(statements: readonly AnalyzedStatement[], dialect: SqlDialect): string {
  const [first] = statements;
  if (!first) return '';
  const table = first.kind === 'query' ? firstTable(first.text, dialect) : undefined;
  const title = table ? `Export ${table}` : clip(words(first.text, dialect));
  return statements.length > 1 ? `${title} (+${statements.length - 1} more)` : title;
}

/** The name after the outermost FROM, as written (`shop.orders`, `Order Items`). */
function firstTable(text: string, dialect: SqlDialect): string | undefined {
  const tokens = tokenize(text, dialect);
  for (const token of tokens) {
    if (token.depth !== 0 || token.type !== 'word' || token.text !== 'FROM') continue;
    const parts: string[] = [];
    for (const part of tokens) {
      if (part.type === 'symbol' && part.text === '.' && parts.length > 0) continue;
      if (part.type === 'symbol') break;
      if (parts.length > 0 && text[part.offset - 1] !== '.') break;
      parts.push(original(text, part.offset));
    }
    return parts.length > 0 ? parts.join('.') : undefined;
  }
  return undefined;
}

/** The token's text as the user wrote it (tokens are upper-cased), without identifier quotes. */
function original(text: string, offset: number): string {
  const quote = text[offset];
  if (quote === '"' || quote === '`' || quote === '[') {
    const close = text.indexOf(quote === '[' ? ']' : quote, offset + 1);
    return text.slice(offset + 1, close === -1 ? undefined : close);
  }
  return /^[\w$]+/u.exec(text.slice(offset))?.[0] ?? text[offset];
}

/** The statement without comments, on one line. */
function words(text: string, dialect: SqlDialect): string {
  const tokens = [...tokenize(text, dialect)];
  if (tokens.length === 0) return '';
  const last = tokens.at(-1)!;
  const code = text.slice(tokens[0].offset, last.offset + last.text.length);
  return code.replace(/\s+/g, ' ').replace(/\s*;$/, '');
}

function clip(text: string): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1).trimEnd()}…`;
}
