import { type DialectSyntax, type SqlDialect, dialectSyntax } from './dialect';

/** A place in the source: 1-based line and column (UTF-16 code units, like editors count), 0-based offset. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** What was still open when the input ended. */
export interface Unterminated {
  what: 'quote' | 'dollar-quote' | 'comment';
  at: SourcePosition;
}

/**
 * One statement: `text` is the source from its first token to its last, without surrounding comments,
 * whitespace and terminator; `end` is exclusive (the position just after the last character).
 */
export interface SqlStatement {
  index: number;
  text: string;
  start: SourcePosition;
  end: SourcePosition;
  unterminated?: Unterminated;
}

const CODE = 0;
const QUOTE = 1;
const LINE_COMMENT = 2;
const BLOCK_COMMENT = 3;
const DOLLAR = 4;

/** Words read per statement to recognise routine definitions and DELIMITER lines. */
const LEADING_WORDS = 6;

/**
 * Splits SQL into statements in one pass over char codes. Feed it text with `push` (any chunking, even one
 * character at a time) and call `end` once; each call returns the statements completed so far. It keeps only
 * the unfinished statement, so memory does not grow with the script.
 */
export class SqlSplitter {
  private readonly syntax: DialectSyntax;
  private buf = '';
  /** Absolute offset of buf[0]. */
  private base = 0;
  /** Scan position in buf. */
  private pos = 0;
  private mode = CODE;
  private quote = 0;
  private quoteEscapes = false;
  private commentDepth = 0;
  private commentIsCode = false;
  private dollarTag = '';
  /** Absolute offset where the open quote/comment/dollar body began. */
  private openedAt = 0;
  private delimiter = ';';
  private stmtStart = -1;
  private stmtEnd = -1;
  private words = 0;
  private firstWord = '';
  private routine = false;
  private blockDepth = 0;
  private afterEnd = false;
  private index = 0;
  private output: SqlStatement[] = [];
  // Line tracking for positions: a cursor that only moves forward.
  private cursor = 0;
  private line = 1;
  private lineStart = 0;
  private nextNewline = -1;

  constructor(dialect: SqlDialect) {
    this.syntax = dialectSyntax[dialect];
  }

  push(chunk: string): SqlStatement[] {
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    this.nextNewline = -1;
    this.scan(false);
    this.discardConsumed();
    return this.take();
  }

  end(): SqlStatement[] {
    this.scan(true);
    const open = this.openConstruct();
    const openInStatement = open && (open.what !== 'comment' || this.commentIsCode) ? open : undefined;
    if (openInStatement) this.stmtEnd = this.base + this.buf.length;
    if (this.stmtStart >= 0) this.emit(openInStatement);
    this.buf = '';
    return this.take();
  }

  private take(): SqlStatement[] {
    const out = this.output;
    this.output = [];
    return out;
  }

  private openConstruct(): { what: Unterminated['what']; offset: number } | undefined {
    switch (this.mode) {
      case QUOTE:
        return { what: 'quote', offset: this.openedAt };
      case DOLLAR:
        return { what: 'dollar-quote', offset: this.openedAt };
      case BLOCK_COMMENT:
        return { what: 'comment', offset: this.openedAt };
      default:
        return undefined;
    }
  }

  /** Drops text that no unfinished statement needs, after moving the line cursor past it. */
  private discardConsumed(): void {
    const keep = this.stmtStart >= 0 ? Math.min(this.stmtStart - this.base, this.pos) : this.pos;
    if (keep <= 0) return;
    this.advanceCursor(this.base + keep);
    this.buf = this.buf.slice(keep);
    this.base += keep;
    this.pos -= keep;
    this.nextNewline = -1;
  }

  private advanceCursor(target: number): void {
    for (;;) {
      if (this.nextNewline < this.cursor) {
        const found = this.buf.indexOf('\n', this.cursor - this.base);
        this.nextNewline = found < 0 ? this.base + this.buf.length : this.base + found;
      }
      if (this.nextNewline >= target || this.nextNewline >= this.base + this.buf.length) break;
      this.line++;
      this.lineStart = this.nextNewline + 1;
      this.cursor = this.nextNewline + 1;
    }
    this.cursor = target;
  }

  private position(offset: number): SourcePosition {
    this.advanceCursor(offset);
    return { line: this.line, column: offset - this.lineStart + 1, offset };
  }

  private emit(open?: { what: Unterminated['what']; offset: number }): void {
    const start = this.position(this.stmtStart);
    const statement: SqlStatement = {
      index: this.index++,
      text: this.buf.slice(this.stmtStart - this.base, this.stmtEnd - this.base),
      start,
      end: start,
    };
    if (open) statement.unterminated = { what: open.what, at: this.position(open.offset) };
    statement.end = this.position(this.stmtEnd);
    this.output.push(statement);
    this.stmtStart = -1;
    this.words = 0;
    this.firstWord = '';
    this.routine = false;
    this.blockDepth = 0;
    this.afterEnd = false;
  }

  /** Marks [from, to) as statement text. */
  private significant(from: number, to: number): void {
    if (this.stmtStart < 0) this.stmtStart = this.base + from;
    this.stmtEnd = this.base + to;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const len = buf.length;
    const syntax = this.syntax;
    let pos = this.pos;
    scanning: while (pos < len) {
      switch (this.mode) {
        case CODE: {
          const c = buf.charCodeAt(pos);
          if (c <= 32) {
            pos++;
            continue;
          }
          const delimiter = this.delimiter;
          if (delimiter !== ';' && c === delimiter.charCodeAt(0)) {
            if (pos + delimiter.length > len && !final && delimiter.startsWith(buf.slice(pos))) break scanning;
            if (buf.startsWith(delimiter, pos)) {
              if (this.stmtStart >= 0) this.emit();
              pos += delimiter.length;
              continue;
            }
          }
          switch (c) {
            case 59 /* ; */:
              if (delimiter === ';' && this.blockDepth <= 0) {
                if (this.stmtStart >= 0) this.emit();
              } else {
                this.significant(pos, pos + 1);
              }
              pos++;
              continue;
            case 39 /* ' */:
              this.openQuote(pos, c, syntax.backslashEscapes);
              pos++;
              continue;
            case 34 /* " */:
              this.openQuote(pos, c, syntax.doubleQuotedStrings && syntax.backslashEscapes);
              pos++;
              continue;
            case 96 /* ` */:
              this.openQuote(pos, c, false);
              pos++;
              continue;
            case 45 /* - */: {
              if (pos + 2 >= len && !final) break scanning;
              if (buf.charCodeAt(pos + 1) === 45 && (!syntax.dashCommentNeedsSpace || pos + 2 >= len || buf.charCodeAt(pos + 2) <= 32)) {
                this.mode = LINE_COMMENT;
                pos += 2;
                continue;
              }
              break;
            }
            case 35 /* # */:
              if (syntax.hashComments) {
                this.mode = LINE_COMMENT;
                pos++;
                continue;
              }
              break;
            case 47 /* / */: {
              if (pos + 2 >= len && !final) break scanning;
              if (buf.charCodeAt(pos + 1) === 42 /* * */) {
                const third = buf.charCodeAt(pos + 2);
                this.commentIsCode = syntax.executableComments && (third === 33 /* ! */ || third === 43 /* + */);
                if (this.commentIsCode) this.significant(pos, pos + 2);
                this.mode = BLOCK_COMMENT;
                this.commentDepth = 1;
                this.openedAt = this.base + pos;
                pos += 2;
                continue;
              }
              break;
            }
            case 36 /* $ */: {
              if (!syntax.dollarQuotes) break;
              let end = pos + 1;
              while (end < len && isTagChar(buf.charCodeAt(end), end === pos + 1)) end++;
              if (end >= len && !final) break scanning;
              if (end < len && buf.charCodeAt(end) === 36) {
                this.significant(pos, end + 1);
                this.dollarTag = buf.slice(pos, end + 1);
                this.openedAt = this.base + pos;
                this.mode = DOLLAR;
                pos = end + 1;
                continue;
              }
              break;
            }
            default:
              if (isWordChar(c)) {
                const next = this.word(pos, final);
                if (next < 0) break scanning;
                pos = next;
                continue;
              }
          }
          this.significant(pos, pos + 1);
          pos++;
          continue;
        }
        case QUOTE: {
          const quote = this.quote;
          const escapes = this.quoteEscapes;
          while (pos < len) {
            const c = buf.charCodeAt(pos);
            if (c === quote) {
              if (pos + 1 >= len && !final) break scanning;
              if (buf.charCodeAt(pos + 1) === quote) {
                pos += 2;
                continue;
              }
              pos++;
              this.mode = CODE;
              this.stmtEnd = this.base + pos;
              continue scanning;
            }
            if (c === 92 /* \ */ && escapes) {
              if (pos + 1 >= len && !final) break scanning;
              pos += 2;
              continue;
            }
            pos++;
          }
          pos = len;
          continue;
        }
        case LINE_COMMENT: {
          const newline = buf.indexOf('\n', pos);
          if (newline < 0) {
            pos = len;
            continue;
          }
          this.mode = CODE;
          pos = newline + 1;
          continue;
        }
        case BLOCK_COMMENT: {
          if (syntax.nestedComments) {
            pos = this.nestedComment(pos, final);
            if (this.commentDepth > 0) break scanning;
          } else {
            const close = buf.indexOf('*/', pos);
            if (close < 0) {
              // Keep a trailing '*': it may pair with the next chunk's first character.
              pos = final ? len : Math.max(pos, len - 1);
              break scanning;
            }
            pos = close + 2;
          }
          this.mode = CODE;
          if (this.commentIsCode) this.stmtEnd = this.base + pos;
          continue;
        }
        case DOLLAR: {
          const tag = this.dollarTag;
          const close = buf.indexOf(tag, pos);
          if (close < 0) {
            pos = final ? len : Math.max(pos, len - tag.length + 1);
            break scanning;
          }
          pos = close + tag.length;
          this.mode = CODE;
          this.stmtEnd = this.base + pos;
          continue;
        }
      }
    }
    this.pos = pos;
  }

  private openQuote(pos: number, quote: number, escapes: boolean): void {
    this.significant(pos, pos + 1);
    this.mode = QUOTE;
    this.quote = quote;
    this.quoteEscapes = escapes;
    this.openedAt = this.base + pos;
  }

  /**
   * Scans a nested block comment from `pos` and returns where scanning stopped: after the comment's final
   * `*\/`, at the end of the input, or at a last '*' or '/' that may pair with the next chunk.
   */
  private nestedComment(pos: number, final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    while (pos < len) {
      const c = buf.charCodeAt(pos);
      if ((c === 42 || c === 47) && pos + 1 >= len && !final) return pos;
      if (c === 42 /* * */ && buf.charCodeAt(pos + 1) === 47) {
        pos += 2;
        if (--this.commentDepth === 0) return pos;
      } else if (c === 47 /* / */ && buf.charCodeAt(pos + 1) === 42) {
        pos += 2;
        this.commentDepth++;
      } else {
        pos++;
      }
    }
    return len;
  }

  /** Reads a word (keyword, identifier or number) at `pos`; returns where it ends, or -1 to wait for more input. */
  private word(pos: number, final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    const delimiter = this.delimiter;
    const customDelimiter = delimiter !== ';' ? delimiter.charCodeAt(0) : -1;
    let end = pos + 1;
    while (end < len) {
      const c = buf.charCodeAt(end);
      if (!isWordChar(c) || (c === customDelimiter && buf.startsWith(delimiter, end))) break;
      end++;
    }
    if (end >= len && !final) return -1;
    if (end === pos + 1 && (buf.charCodeAt(pos) | 32) === 101 /* e */ && this.syntax.escapeStrings && buf.charCodeAt(end) === 39) {
      this.openQuote(pos, 39, true);
      this.words++;
      return end + 1;
    }
    const needed = this.words < LEADING_WORDS || this.routine;
    if (!needed) {
      this.significant(pos, end);
      return end;
    }
    const word = buf.slice(pos, end).toUpperCase();
    if (this.stmtStart < 0 && word === 'DELIMITER' && this.syntax.delimiterDirective && end < len && buf.charCodeAt(end) <= 32) {
      return this.delimiterDirective(end, final);
    }
    this.significant(pos, end);
    this.words++;
    if (this.words === 1) this.firstWord = word;
    else if (!this.routine && this.words <= LEADING_WORDS) {
      this.routine = startsRoutine(this.firstWord, word);
      // BEGIN NOT ATOMIC: the BEGIN that opened the block was read before the routine was recognised.
      if (this.routine && this.firstWord === 'BEGIN') this.blockDepth = 1;
    }
    if (this.routine) this.trackBlocks(word);
    return end;
  }

  /** BEGIN…END (and CASE…END) nesting inside routine bodies, where ';' does not end the statement. */
  private trackBlocks(word: string): void {
    if (this.afterEnd) {
      this.afterEnd = false;
      if (word === 'IF' || word === 'LOOP' || word === 'WHILE' || word === 'REPEAT') {
        this.blockDepth++;
        return;
      }
    }
    if (word === 'BEGIN' || word === 'CASE') this.blockDepth++;
    else if (word === 'END') {
      this.blockDepth--;
      this.afterEnd = true;
    }
  }

  /** `DELIMITER xx` up to the end of its line: a client directive, not a statement. */
  private delimiterDirective(from: number, final: boolean): number {
    const buf = this.buf;
    const newline = buf.indexOf('\n', from);
    if (newline < 0 && !final) return -1;
    const lineEnd = newline < 0 ? buf.length : newline;
    const argument = buf.slice(from, lineEnd).trim().split(/\s+/)[0];
    if (argument) this.delimiter = argument;
    return newline < 0 ? lineEnd : newline + 1;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 128;
}

function isTagChar(c: number, first: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128 || (!first && c >= 48 && c <= 57);
}

/** `CREATE [OR REPLACE] [DEFINER=…] PROCEDURE|FUNCTION|TRIGGER|EVENT`, or MariaDB's `BEGIN NOT ATOMIC`. */
function startsRoutine(firstWord: string, word: string): boolean {
  if (firstWord === 'CREATE') return word === 'PROCEDURE' || word === 'FUNCTION' || word === 'TRIGGER' || word === 'EVENT';
  return firstWord === 'BEGIN' && word === 'NOT';
}

/** Splits a whole script. */
export function splitSql(sql: string, dialect: SqlDialect): SqlStatement[] {
  const splitter = new SqlSplitter(dialect);
  const statements = splitter.push(sql);
  for (const statement of splitter.end()) statements.push(statement);
  return statements;
}

/** Splits a script that arrives in chunks (a file stream, a socket), yielding each statement once complete. */
export async function* splitSqlStream(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string>,
  dialect: SqlDialect,
): AsyncGenerator<SqlStatement> {
  const splitter = new SqlSplitter(dialect);
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* splitter.push(text);
  }
  const rest = decoder.decode();
  if (rest) yield* splitter.push(rest);
  yield* splitter.end();
}
