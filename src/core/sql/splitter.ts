import { type DialectSyntax, type SqlDialect, dialectSyntax } from './dialect';

/**
 * A place in the source: 1-based line and column (UTF-16 code units, like editors count) in the document the text
 * came from (see `TextStart`), and the 0-based offset in the text itself, so `text.slice(offset)` finds it.
 */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/**
 * Where the text begins in its document, 1-based: a selection from line 9, column 5, or a draft's SQL below its
 * header. Positions then name lines and columns of the document. Default: line 1, column 1.
 */
export interface TextStart {
  line: number;
  column: number;
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
  /** 1-based position of the statement in the input. */
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
 * the unfinished statement, so memory does not grow with the script, and scans each character once.
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
  private index = 1;
  private output: SqlStatement[] = [];
  /** Text of the unfinished statement already dropped from `buf`: absolute [stmtStart, base). */
  private pieces: string[] = [];
  /** Positions of offsets in text dropped from `buf`, which the line cursor has moved past. */
  private remembered = new Map<number, SourcePosition>();
  // Line tracking for positions: a cursor that only moves forward.
  private cursor = 0;
  private line: number;
  /** Offset of the current line's first character; before 0 on a first line that starts mid-line in its document. */
  private lineStart: number;
  private nextNewline = -1;

  constructor(dialect: SqlDialect, start: TextStart = { line: 1, column: 1 }) {
    this.syntax = dialectSyntax[dialect];
    this.line = start.line;
    this.lineStart = 1 - start.column;
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

  /**
   * Drops the scanned text from `buf`, so a long statement arriving in many chunks is not copied again on each
   * one: its scanned part moves to `pieces`, and the positions it will report are worked out before the line
   * cursor moves past them.
   */
  private discardConsumed(): void {
    const keep = this.pos;
    if (keep <= 0) return;
    const cut = this.base + keep;
    if (this.stmtStart >= 0) {
      const offsets = [this.stmtStart, this.stmtEnd];
      if (this.mode !== CODE && this.mode !== LINE_COMMENT) offsets.push(this.openedAt);
      for (const offset of offsets.sort((a, b) => a - b)) {
        if (offset >= this.cursor && offset < cut && !this.remembered.has(offset)) this.remembered.set(offset, this.position(offset));
      }
      this.pieces.push(this.buf.slice(Math.max(0, this.stmtStart - this.base), keep));
    }
    this.advanceCursor(cut);
    this.buf = this.buf.slice(keep);
    this.base = cut;
    this.pos = 0;
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
    const remembered = this.remembered.size > 0 ? this.remembered.get(offset) : undefined;
    if (remembered) return remembered;
    this.advanceCursor(offset);
    return { line: this.line, column: offset - this.lineStart + 1, offset };
  }

  private statementText(): string {
    if (this.pieces.length === 0) return this.buf.slice(this.stmtStart - this.base, this.stmtEnd - this.base);
    const text = this.pieces.join('') + this.buf.slice(0, Math.max(0, this.stmtEnd - this.base));
    this.pieces = [];
    return text.slice(0, this.stmtEnd - this.stmtStart);
  }

  private emit(open?: { what: Unterminated['what']; offset: number }): void {
    const start = this.position(this.stmtStart);
    const statement: SqlStatement = { index: this.index++, text: this.statementText(), start, end: start };
    if (open) statement.unterminated = { what: open.what, at: this.position(open.offset) };
    statement.end = this.position(this.stmtEnd);
    if (this.remembered.size > 0) this.remembered.clear();
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
          const base = this.base;
          const delimiter = this.delimiter;
          const customDelimiter = delimiter === ';' ? -1 : delimiter.charCodeAt(0);
          while (pos < len) {
            const c = buf.charCodeAt(pos);
            if (c <= 32 || (c >= 160 && isWideSpace(c))) {
              pos++;
              continue;
            }
            if (c !== 36 && c !== customDelimiter && isWordChar(c)) {
              let end = pos + 1;
              for (; end < len; end++) {
                const d = buf.charCodeAt(end);
                if (!isWordChar(d) || (d === customDelimiter && buf.startsWith(delimiter, end))) break;
              }
              if (end >= len && !final) break scanning;
              if (this.words >= LEADING_WORDS && !this.routine && end !== pos + 1) {
                // Past the leading words of an ordinary statement a word only extends the statement.
                this.stmtEnd = base + end;
                pos = end;
                continue;
              }
              const next = this.word(pos, end, final);
              if (next < 0) break scanning;
              pos = next;
              continue scanning;
            }
            if (c === customDelimiter) {
              if (pos + delimiter.length > len && !final && delimiter.startsWith(buf.slice(pos))) break scanning;
              if (buf.startsWith(delimiter, pos)) {
                if (this.stmtStart >= 0) this.emit();
                pos += delimiter.length;
                continue;
              }
            }
            switch (c) {
              case 59 /* ; */:
                if (customDelimiter < 0 && this.blockDepth <= 0) {
                  if (this.stmtStart >= 0) this.emit();
                  pos++;
                  continue;
                }
                this.afterEnd = false;
                break;
              case 39 /* ' */:
                this.openQuote(pos, c, syntax.backslashEscapes);
                pos++;
                continue scanning;
              case 34 /* " */:
                this.openQuote(pos, c, syntax.doubleQuotedStrings && syntax.backslashEscapes);
                pos++;
                continue scanning;
              case 96 /* ` */:
                this.openQuote(pos, c, false);
                pos++;
                continue scanning;
              case 45 /* - */:
                if (pos + 2 >= len && !final) break scanning;
                if (buf.charCodeAt(pos + 1) === 45 && (!syntax.dashCommentNeedsSpace || pos + 2 >= len || buf.charCodeAt(pos + 2) <= 32)) {
                  this.mode = LINE_COMMENT;
                  pos += 2;
                  continue scanning;
                }
                break;
              case 35 /* # */:
                if (syntax.hashComments) {
                  this.mode = LINE_COMMENT;
                  pos++;
                  continue scanning;
                }
                break;
              case 47 /* / */:
                if (pos + 2 >= len && !final) break scanning;
                if (buf.charCodeAt(pos + 1) === 42 /* * */) {
                  const third = buf.charCodeAt(pos + 2);
                  this.commentIsCode = syntax.executableComments && (third === 33 /* ! */ || third === 43 /* + */);
                  if (this.commentIsCode) this.significant(pos, pos + 2);
                  this.mode = BLOCK_COMMENT;
                  this.commentDepth = 1;
                  this.openedAt = base + pos;
                  pos += 2;
                  continue scanning;
                }
                break;
              case 36 /* $ */: {
                if (!syntax.dollarQuotes) break;
                let end = pos + 1;
                while (end < len && isTagChar(buf.charCodeAt(end), end === pos + 1)) end++;
                if (end >= len && !final) break scanning;
                if (end < len && buf.charCodeAt(end) === 36) {
                  this.significant(pos, end + 1);
                  this.dollarTag = buf.slice(pos, end + 1);
                  this.openedAt = base + pos;
                  this.mode = DOLLAR;
                  pos = end + 1;
                  continue scanning;
                }
                break;
              }
            }
            if (this.stmtStart < 0) this.stmtStart = base + pos;
            this.stmtEnd = base + pos + 1;
            pos++;
          }
          continue;
        }
        case QUOTE: {
          const quote = this.quote;
          if (this.quoteEscapes) {
            // Short strings with escapes: a plain loop beats repeated searches for the quote and the backslash.
            while (pos < len) {
              const c = buf.charCodeAt(pos);
              if (c === 92 /* \ */) {
                if (pos + 1 >= len && !final) break scanning;
                pos += 2;
              } else if (c === quote) {
                if (pos + 1 >= len && !final) break scanning;
                if (buf.charCodeAt(pos + 1) === quote) {
                  pos += 2;
                  continue;
                }
                pos++;
                this.mode = CODE;
                this.stmtEnd = this.base + pos;
                continue scanning;
              } else {
                pos++;
              }
            }
            pos = len;
            continue;
          }
          const quoteChar = quote === 39 ? "'" : quote === 34 ? '"' : '`';
          for (;;) {
            const close = buf.indexOf(quoteChar, pos);
            if (close < 0) {
              pos = len;
              continue scanning;
            }
            if (close + 1 >= len && !final) {
              pos = close;
              break scanning;
            }
            if (buf.charCodeAt(close + 1) === quote) {
              pos = close + 2;
              continue;
            }
            pos = close + 1;
            this.mode = CODE;
            this.stmtEnd = this.base + pos;
            continue scanning;
          }
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
    // Searched again only once passed: with no close ahead, every opener would otherwise search to the end again.
    let close = buf.indexOf('*/', pos);
    for (;;) {
      if (close >= 0 && close < pos) close = buf.indexOf('*/', pos);
      // Look for a nested opener only up to the close: searching on would run into the next comment.
      const limit = close < 0 ? len : close;
      let open = -1;
      for (let i = pos; i < limit; i++) {
        if (buf.charCodeAt(i) === 47 && buf.charCodeAt(i + 1) === 42) {
          open = i;
          break;
        }
      }
      if (open >= 0) {
        this.commentDepth++;
        pos = open + 2;
      } else if (close >= 0) {
        pos = close + 2;
        if (--this.commentDepth === 0) return pos;
      } else {
        return final ? len : Math.max(pos, len - 1);
      }
    }
  }

  /**
   * Handles the word buf[pos, end): E'' strings, DELIMITER directives and the leading words that reveal a
   * routine definition. Returns where scanning continues, or -1 to wait for more input.
   */
  private word(pos: number, end: number, final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    if (end === pos + 1 && (buf.charCodeAt(pos) | 32) === 101 /* e */ && this.syntax.escapeStrings && buf.charCodeAt(end) === 39) {
      this.openQuote(pos, 39, true);
      this.words++;
      return end + 1;
    }
    const startsStatement = this.stmtStart < 0;
    this.significant(pos, end);
    const words = ++this.words;
    if (words === 1) {
      if (startsStatement && this.syntax.delimiterDirective && isKeyword(buf, pos, end, 'DELIMITER') && end < len && buf.charCodeAt(end) <= 32) {
        this.stmtStart = -1;
        this.words = 0;
        return this.delimiterDirective(end, final);
      }
      this.firstWord = isKeyword(buf, pos, end, 'CREATE') ? 'CREATE' : isKeyword(buf, pos, end, 'BEGIN') ? 'BEGIN' : '';
    } else if (!this.routine && words <= LEADING_WORDS && this.firstWord !== '') {
      this.routine = startsRoutine(this.firstWord, buf, pos, end);
      // BEGIN NOT ATOMIC: the BEGIN that opened the block was read before the routine was recognised.
      if (this.routine && this.firstWord === 'BEGIN') this.blockDepth = 1;
    } else if (this.routine) {
      this.trackBlocks(buf, pos, end);
    }
    return end;
  }

  /** BEGIN…END (and CASE…END) nesting inside routine bodies, where ';' does not end the statement. */
  private trackBlocks(buf: string, pos: number, end: number): void {
    if (this.afterEnd) {
      this.afterEnd = false;
      if (isKeyword(buf, pos, end, 'IF') || isKeyword(buf, pos, end, 'LOOP') || isKeyword(buf, pos, end, 'WHILE') || isKeyword(buf, pos, end, 'REPEAT')) {
        this.blockDepth++;
        return;
      }
    }
    if (isKeyword(buf, pos, end, 'BEGIN') || isKeyword(buf, pos, end, 'CASE')) this.blockDepth++;
    else if (isKeyword(buf, pos, end, 'END')) {
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

// The scanner's hot loop calls these; they live here rather than in a module of their own because a call
// through another module's export is measurably slower when the files are run unbundled.

/** Identifier and keyword characters: ASCII letters, digits, `_`, `$`, and anything non-ASCII but blanks. */
export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || (c >= 128 && !isWideSpace(c));
}

/**
 * Blanks beyond ASCII, as `String.prototype.trim` counts them: a byte order mark, a no-break space pasted from a web
 * page. Read as whitespace, so they never make a statement of their own or glue onto a keyword.
 */
export function isWideSpace(c: number): boolean {
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Characters of a dollar-quote tag (`$tag$`): like an identifier, but no `$` and no leading digit. */
export function isTagChar(c: number, first: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128 || (!first && c >= 48 && c <= 57);
}

/** Whether buf[pos, end) is `keyword` (given in upper case), in any case, without allocating. */
function isKeyword(buf: string, pos: number, end: number, keyword: string): boolean {
  if (end - pos !== keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    if ((buf.charCodeAt(pos + i) & ~32) !== keyword.charCodeAt(i)) return false;
  }
  return true;
}

/** `CREATE [OR REPLACE] [DEFINER=…] PROCEDURE|FUNCTION|TRIGGER|EVENT`, or MariaDB's `BEGIN NOT ATOMIC`. */
function startsRoutine(firstWord: string, buf: string, pos: number, end: number): boolean {
  if (firstWord === 'BEGIN') return isKeyword(buf, pos, end, 'NOT');
  return isKeyword(buf, pos, end, 'PROCEDURE') || isKeyword(buf, pos, end, 'FUNCTION') || isKeyword(buf, pos, end, 'TRIGGER') || isKeyword(buf, pos, end, 'EVENT');
}

/** Splits a whole script; `start` is where it begins in its document, for positions in the document's lines. */
export function splitSql(sql: string, dialect: SqlDialect, start?: TextStart): SqlStatement[] {
  const splitter = new SqlSplitter(dialect, start);
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
