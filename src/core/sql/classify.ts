import * as z from '../zod';
import type { SqlDialect } from './dialect';
import { type Token, tokenize } from './tokens';

/** What a statement does, as far as ticket rules care. `other` covers unknown and opaque statements. */
export const StatementKind = z.lazySchema(() => z.enum(['query', 'ddl', 'dml', 'dcl', 'transaction', 'session', 'other']));
export type StatementKind = z.infer<typeof StatementKind>;

/** How a statement kind reads in a sentence: "statement 2 (DELETE) is DML". */
export const statementKindPhrases: Record<StatementKind, string> = {
  query: 'a query',
  ddl: 'DDL',
  dml: 'DML',
  dcl: 'DCL (privileges)',
  transaction: 'transaction control',
  session: 'a session setting',
  other: 'of unknown effect',
};

export interface StatementClass {
  kind: StatementKind;
  /** Only a query that neither writes, locks nor runs unknown code is read-only. */
  readOnly: boolean;
  /** A short name for messages: "SELECT", "DROP TABLE", "WITH … DELETE", "EXPLAIN ANALYZE UPDATE". */
  verb: string;
  /** Why the statement is not what its first word suggests, or why its effect is unknown. */
  note?: string;
}

const objectWords = new Set([
  'TABLE', 'VIEW', 'INDEX', 'DATABASE', 'SCHEMA', 'FUNCTION', 'PROCEDURE', 'TRIGGER', 'SEQUENCE', 'TYPE', 'EXTENSION',
  'EVENT', 'USER', 'ROLE', 'GROUP', 'DOMAIN', 'POLICY', 'COLUMN', 'TABLESPACE', 'SERVER', 'PUBLICATION', 'SUBSCRIPTION',
  'COLLATION', 'AGGREGATE', 'OPERATOR', 'RULE', 'SYSTEM', 'OWNED',
]);
const accountObjects = new Set(['USER', 'ROLE', 'GROUP', 'DEFAULT PRIVILEGES', 'OWNED']);
const dmlWords = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'UPSERT']);
const queryWords = new Set(['SELECT', 'VALUES', 'TABLE', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC', 'HELP']);
const transactionWords = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'END', 'ABORT', 'XA', 'LOCK', 'UNLOCK']);
const sessionWords = new Set(['SET', 'USE', 'RESET', 'DISCARD']);
const unknownEffect: Record<string, string> = {
  CALL: 'CALL runs a stored procedure; what it changes is not visible in the SQL',
  DO: 'DO runs code whose effect is not visible in the SQL',
  EXECUTE: 'EXECUTE runs a prepared statement; what it does is not visible here',
  EXEC: 'EXEC runs a procedure; what it changes is not visible in the SQL',
};

/** Classifies one statement from its first tokens (and, for queries, its top-level clauses). */
export function classifyStatement(text: string, dialect: SqlDialect): StatementClass {
  const tokens = tokenize(text, dialect);
  let first = tokens.next().value as Token | undefined;
  while (first && first.text === '(') first = tokens.next().value as Token | undefined;
  if (!first || first.type !== 'word') return { kind: 'other', readOnly: false, verb: first ? first.text : '(empty)' };
  const word = first.text;

  if (word === 'WITH') return classifyWith(tokens);
  if (word === 'EXPLAIN' || word === 'DESCRIBE' || word === 'DESC') {
    const explained = classifyExplain(text, dialect, tokens, word);
    if (explained) return explained;
  }
  if (word === 'SELECT') return classifySelect(tokens, first.depth, dialect);
  if (queryWords.has(word)) return { kind: 'query', readOnly: true, verb: word };
  if (dmlWords.has(word)) return { kind: 'dml', readOnly: false, verb: word };
  if (word === 'LOAD') return { kind: 'dml', readOnly: false, verb: 'LOAD DATA' };
  if (word === 'COPY') return classifyCopy(tokens);
  if (word === 'CREATE' || word === 'ALTER' || word === 'DROP') {
    const object = objectAfter(tokens);
    const verb = object ? `${word} ${object}` : word;
    if (object && accountObjects.has(object)) return { kind: 'dcl', readOnly: false, verb };
    if (object === 'SYSTEM') return { kind: 'session', readOnly: false, verb };
    return { kind: 'ddl', readOnly: false, verb };
  }
  if (word === 'TRUNCATE' || word === 'RENAME' || word === 'COMMENT') return { kind: 'ddl', readOnly: false, verb: word };
  if (word === 'GRANT' || word === 'REVOKE') return { kind: 'dcl', readOnly: false, verb: word };
  if (word === 'BEGIN') {
    const second = tokens.next().value as Token | undefined;
    if (second?.text === 'NOT') return { kind: 'other', readOnly: false, verb: 'BEGIN NOT ATOMIC', note: 'BEGIN NOT ATOMIC runs a block of code whose effect is not checked here' };
    return { kind: 'transaction', readOnly: false, verb: word };
  }
  if (word === 'PREPARE') {
    const second = tokens.next().value as Token | undefined;
    if (second?.text === 'TRANSACTION') return { kind: 'transaction', readOnly: false, verb: 'PREPARE TRANSACTION' };
    return { kind: 'other', readOnly: false, verb: word };
  }
  if (transactionWords.has(word)) return { kind: 'transaction', readOnly: false, verb: word };
  if (word === 'SET') {
    const second = (tokens.next().value as Token | undefined)?.text;
    if (second === 'TRANSACTION') return { kind: 'transaction', readOnly: false, verb: 'SET TRANSACTION' };
    if (second === 'PASSWORD') return { kind: 'dcl', readOnly: false, verb: 'SET PASSWORD' };
    return { kind: 'session', readOnly: false, verb: word };
  }
  if (sessionWords.has(word)) return { kind: 'session', readOnly: false, verb: word };
  if (unknownEffect[word]) return { kind: 'other', readOnly: false, verb: word, note: unknownEffect[word] };
  return { kind: 'other', readOnly: false, verb: word };
}

function objectAfter(tokens: Iterator<Token>): string | undefined {
  for (let i = 0; i < 8; i++) {
    const token = tokens.next().value as Token | undefined;
    if (!token) return undefined;
    if (token.type !== 'word') continue;
    if (token.text === 'MATERIALIZED') return 'MATERIALIZED VIEW';
    if (token.text === 'DEFAULT') return 'DEFAULT PRIVILEGES';
    if (objectWords.has(token.text)) return token.text;
  }
  return undefined;
}

const lockingSelect: StatementClass = {
  kind: 'query',
  readOnly: false,
  verb: 'SELECT … FOR UPDATE',
  note: 'SELECT … FOR UPDATE/SHARE locks the rows it reads until the transaction ends',
};

/** FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE, LOCK IN SHARE MODE. */
function locksRows(previous: string, word: string): boolean {
  if (previous === 'LOCK') return word === 'IN';
  return previous === 'FOR' && (word === 'UPDATE' || word === 'SHARE' || word === 'NO' || word === 'KEY');
}

/** SELECT … INTO writes (a table, a file or variables); FOR UPDATE/SHARE and LOCK IN SHARE MODE lock rows. */
function classifySelect(tokens: Iterator<Token>, depth: number, dialect: SqlDialect): StatementClass {
  let previous = '';
  for (let result = tokens.next(); !result.done; result = tokens.next()) {
    const token = result.value;
    if (token.type !== 'word' || token.depth > depth) {
      previous = token.text;
      continue;
    }
    if (token.text === 'INTO') return selectInto(tokens, dialect);
    if (locksRows(previous, token.text)) return { ...lockingSelect };
    previous = token.text;
  }
  return { kind: 'query', readOnly: true, verb: 'SELECT' };
}

function selectInto(tokens: Iterator<Token>, dialect: SqlDialect): StatementClass {
  const target = tokens.next().value as Token | undefined;
  const text = target?.text ?? '';
  if (text === 'OUTFILE' || text === 'DUMPFILE') {
    return { kind: 'other', readOnly: false, verb: `SELECT … INTO ${text}`, note: `SELECT … INTO ${text} writes a file on the database server` };
  }
  if (text === '@' || dialect === 'mysql') {
    return { kind: 'other', readOnly: false, verb: 'SELECT … INTO', note: 'SELECT … INTO stores the result in variables instead of returning it' };
  }
  return { kind: 'ddl', readOnly: false, verb: 'SELECT … INTO', note: 'SELECT … INTO creates a new table from the result' };
}

/** A data-modifying statement anywhere in a WITH makes the whole statement DML. */
function classifyWith(tokens: Iterator<Token>): StatementClass {
  let previous = '';
  let main: string | undefined;
  for (let result = tokens.next(); !result.done; result = tokens.next()) {
    const token = result.value;
    if (token.type === 'word') {
      const modifies = dmlWords.has(token.text) && token.text !== 'REPLACE' && !(token.text === 'UPDATE' && (previous === 'FOR' || previous === 'KEY'));
      if (modifies) {
        return { kind: 'dml', readOnly: false, verb: `WITH … ${token.text}`, note: `the WITH query contains ${token.text}, which changes data` };
      }
      if (!main && token.depth === 0 && token.text === 'SELECT') main = token.text;
      if (main && token.depth === 0 && token.text === 'INTO') {
        return { kind: 'ddl', readOnly: false, verb: 'WITH … SELECT … INTO', note: 'SELECT … INTO creates a new table from the result' };
      }
      if (token.depth === 0 && locksRows(previous, token.text)) return { ...lockingSelect };
    }
    previous = token.text;
  }
  return { kind: 'query', readOnly: true, verb: 'WITH … SELECT' };
}

/** EXPLAIN only plans, but EXPLAIN ANALYZE runs the statement: its effect is the statement's. */
function classifyExplain(text: string, dialect: SqlDialect, tokens: Iterator<Token>, word: string): StatementClass | undefined {
  let analyze = false;
  for (let result = tokens.next(); !result.done; result = tokens.next()) {
    const token = result.value;
    if (token.depth > 0 || token.text === '(' || token.text === ')' || token.text === ',' || token.text === '=' || token.type === 'quoted') {
      if (token.type === 'word' && (token.text === 'ANALYZE' || token.text === 'ANALYSE')) analyze = true;
      continue;
    }
    if (token.type !== 'word') return undefined;
    if (token.text === 'ANALYZE' || token.text === 'ANALYSE') {
      analyze = true;
      continue;
    }
    if (['VERBOSE', 'FORMAT', 'EXTENDED', 'PARTITIONS', 'JSON', 'TREE', 'TRADITIONAL', 'COSTS', 'BUFFERS', 'TRUE', 'FALSE', 'ON', 'OFF'].includes(token.text)) continue;
    // No engine explains an EXPLAIN: not looked into, so a long run of them is neither deep recursion nor quadratic.
    if (token.text === 'EXPLAIN' || token.text === 'DESCRIBE' || token.text === 'DESC') return undefined;
    const inner = classifyStatement(text.slice(token.offset), dialect);
    if (inner.kind === 'other' && inner.verb === token.text && !unknownEffect[token.text]) return undefined;
    if (!analyze) return { kind: 'query', readOnly: true, verb: `${word} ${inner.verb}` };
    const verb = `${word} ANALYZE ${inner.verb}`;
    if (inner.readOnly) return { kind: 'query', readOnly: true, verb };
    return { ...inner, verb, note: `${word} ANALYZE executes the ${inner.verb} it explains` };
  }
  return undefined;
}

/** COPY … FROM loads rows; COPY … TO STDOUT exports; COPY … TO a file or program writes on the server. */
function classifyCopy(tokens: Iterator<Token>): StatementClass {
  for (let result = tokens.next(); !result.done; result = tokens.next()) {
    const token = result.value;
    if (token.depth > 0 || token.type !== 'word') continue;
    if (token.text === 'FROM') return { kind: 'dml', readOnly: false, verb: 'COPY … FROM', note: 'COPY … FROM loads rows into the table' };
    if (token.text === 'TO') {
      const target = (tokens.next().value as Token | undefined)?.text;
      if (target === 'STDOUT') return { kind: 'query', readOnly: true, verb: 'COPY … TO STDOUT' };
      return { kind: 'other', readOnly: false, verb: 'COPY … TO', note: 'COPY … TO a file or program writes on the database server' };
    }
  }
  return { kind: 'other', readOnly: false, verb: 'COPY' };
}
