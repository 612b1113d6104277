import { type SqlDialect, dialectSyntax } from './dialect';
import { isTagChar, isWideSpace, isWordChar } from './splitter';

/**
 * A token of one statement. Words are upper-cased; quoted text and comments are skipped except that
 * strings and quoted identifiers appear as one `quoted` token. `depth` counts the open parentheses before it.
 */
export interface Token {
  type: 'word' | 'quoted' | 'symbol';
  text: string;
  depth: number;
  /** Offset of the token in the statement text. */
  offset: number;
}

/** Lexes a single statement lazily, so classification can stop after the first few tokens. */
export function* tokenize(text: string, dialect: SqlDialect): Generator<Token> {
  const syntax = dialectSyntax[dialect];
  const len = text.length;
  let depth = 0;
  let pos = 0;
  while (pos < len) {
    const c = text.charCodeAt(pos);
    const next = text.charCodeAt(pos + 1);
    if (c <= 32 || (c >= 160 && isWideSpace(c))) {
      pos++;
    } else if ((c === 45 && next === 45 && (!syntax.dashCommentNeedsSpace || !(text.charCodeAt(pos + 2) > 32))) || (c === 35 && syntax.hashComments)) {
      const newline = text.indexOf('\n', pos);
      pos = newline < 0 ? len : newline + 1;
    } else if (c === 47 && next === 42) {
      const third = text.charCodeAt(pos + 2);
      if (syntax.executableComments && third === 33) {
        // `/*!50100 code */`: the code runs, so lex it; the version number and the closing `*/` are skipped.
        pos += 3;
        while (pos < len && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
      } else {
        pos = skipBlockComment(text, pos, syntax.nestedComments);
      }
    } else if (c === 42 && next === 47 && syntax.executableComments) {
      pos += 2;
    } else if (c === 39 || c === 34 || c === 96) {
      const escapes = c !== 96 && syntax.backslashEscapes && (c === 39 || syntax.doubleQuotedStrings);
      const end = skipQuoted(text, pos, c, escapes);
      yield { type: 'quoted', text: text.slice(pos, end), depth, offset: pos };
      pos = end;
    } else if (c === 36 && syntax.dollarQuotes && isDollarTagAt(text, pos)) {
      const tagEnd = text.indexOf('$', pos + 1) + 1;
      const close = text.indexOf(text.slice(pos, tagEnd), tagEnd);
      const end = close < 0 ? len : close + (tagEnd - pos);
      yield { type: 'quoted', text: text.slice(pos, end), depth, offset: pos };
      pos = end;
    } else if (isWordChar(c)) {
      let end = pos + 1;
      while (end < len && isWordChar(text.charCodeAt(end))) end++;
      if (end === pos + 1 && (c | 32) === 101 && syntax.escapeStrings && text.charCodeAt(end) === 39) {
        const close = skipQuoted(text, end, 39, true);
        yield { type: 'quoted', text: text.slice(pos, close), depth, offset: pos };
        pos = close;
      } else {
        yield { type: 'word', text: upperCased(text.slice(pos, end)), depth, offset: pos };
        pos = end;
      }
    } else {
      if (c === 41 && depth > 0) depth--;
      yield { type: 'symbol', text: text[pos], depth, offset: pos };
      if (c === 40) depth++;
      pos++;
    }
  }
}

/**
 * Words repeat (keywords, names): each upper-cased form is made once and shared, so a statement's tokens hold no copy
 * of a word per occurrence. The table is bounded; a script of more distinct words than that upper-cases the rest anew.
 */
const upperWords = new Map<string, string>();
function upperCased(word: string): string {
  let upper = upperWords.get(word);
  if (upper === undefined) {
    upper = word.toUpperCase();
    if (upperWords.size < 8192) upperWords.set(word, upper);
  }
  return upper;
}

function skipQuoted(text: string, pos: number, quote: number, escapes: boolean): number {
  const len = text.length;
  pos++;
  while (pos < len) {
    const c = text.charCodeAt(pos);
    if (c === quote) {
      if (text.charCodeAt(pos + 1) !== quote) return pos + 1;
      pos += 2;
    } else {
      pos += c === 92 && escapes ? 2 : 1;
    }
  }
  return len;
}

function skipBlockComment(text: string, pos: number, nested: boolean): number {
  if (!nested) {
    const close = text.indexOf('*/', pos + 2);
    return close < 0 ? text.length : close + 2;
  }
  let depth = 0;
  while (pos < text.length) {
    if (text.startsWith('/*', pos)) {
      depth++;
      pos += 2;
    } else if (text.startsWith('*/', pos)) {
      pos += 2;
      if (--depth === 0) return pos;
    } else {
      pos++;
    }
  }
  return text.length;
}

function isDollarTagAt(text: string, pos: number): boolean {
  let end = pos + 1;
  while (end < text.length && isTagChar(text.charCodeAt(end), end === pos + 1)) end++;
  return text.charCodeAt(end) === 36;
}
