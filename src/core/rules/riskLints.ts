import * as z from '../zod';
import type { TicketKind } from '../model/ticketKind';
import type { StatementClass } from '../sql/classify';
import type { SqlDialect } from '../sql/dialect';
import type { SqlStatement } from '../sql/splitter';
import type { RiskRuleId } from './riskRules';
import { capitalize } from './sentence';
import { tokenize } from '../sql/tokens';

export const RiskSeverity = z.lazySchema(() => z.enum(['error', 'warning', 'info']));
export type RiskSeverity = z.infer<typeof RiskSeverity>;

/** A reason to look twice before sending a statement: `rule` is a stable id, `message` says what, why and what to do. */
export interface Risk {
  rule: RiskRuleId;
  severity: RiskSeverity;
  message: string;
}

export interface LintContext {
  dialect: SqlDialect;
  /** The kind of the ticket the statement goes into; export-only lints apply to DATA_EXPORT. */
  ticketKind: TicketKind | null;
}

const severityOrder: Record<RiskSeverity, number> = { error: 0, warning: 1, info: 2 };

/** True when `severity` is at least as serious as `threshold`. */
export function isAtLeast(severity: RiskSeverity, threshold: RiskSeverity): boolean {
  return severityOrder[severity] <= severityOrder[threshold];
}

const droppedForGood = new Set(['TABLE', 'DATABASE', 'SCHEMA']);
/** Words after which DELETE/UPDATE begins a statement of its own (routine bodies, CTEs, EXPLAIN, triggers). */
const statementStarters = new Set(['BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP', 'REPEAT', 'ATOMIC', 'ANALYZE', 'ANALYSE', 'VERBOSE', 'ROW']);

/**
 * A statement's tokens as two columns: the text of each (words upper-cased, a quoted token as `'…'`, since no lint
 * reads inside quotes) and the parentheses open before it. Columns of shared strings and small integers, not an
 * object per token, so a statement of a million tokens costs the garbage collector little.
 */
interface Lexed {
  texts: string[];
  depths: number[];
}

const quotedText = "'…'";

function lex(text: string, dialect: SqlDialect): Lexed {
  const texts: string[] = [];
  const depths: number[] = [];
  for (const token of tokenize(text, dialect)) {
    texts.push(token.type === 'quoted' ? quotedText : token.text);
    depths.push(token.depth);
  }
  return { texts, depths };
}

/**
 * The first token's text, and whether a DELETE or UPDATE begins a statement of its own anywhere (only then is a WHERE
 * looked for): one pass that keeps nothing, stopping at the first such verb.
 */
function glance(text: string, dialect: SqlDialect): { first?: string; changes: boolean } {
  let first: string | undefined;
  let previous: string | undefined;
  let beforePrevious: string | undefined;
  let previousDepth = 0;
  for (const token of tokenize(text, dialect)) {
    first ??= token.text;
    if (beginsChange(token.text, token.depth, previous, previousDepth, beforePrevious)) return { first, changes: true };
    beforePrevious = previous;
    previous = token.text;
    previousDepth = token.depth;
  }
  return { first, changes: false };
}

/** Whether this token is a DELETE or UPDATE that begins a statement: first, or after `(`, `;`, a closed clause or a word that opens a body. */
function beginsChange(text: string, depth: number, previous: string | undefined, previousDepth: number, beforePrevious: string | undefined): boolean {
  if (text !== 'DELETE' && text !== 'UPDATE') return false;
  const startsStatement = previous === undefined || previous === '(' || previous === ';' || (previous === ')' && previousDepth === depth) || statementStarters.has(previous);
  return startsStatement && !(previous === 'ROW' && beforePrevious !== 'EACH');
}

/** The risk lints for one classified statement. */
export function lintStatement(statement: SqlStatement & StatementClass, context: LintContext): Risk[] {
  const cls = statement;
  const risks: Risk[] = [];
  if (statement.unterminated) risks.push(unterminatedRisk(statement));
  if (cls.note) {
    risks.push({ rule: 'hidden-effect', severity: 'warning', message: `${capitalize(cls.note)}: check that this is intended before submitting.` });
  }
  const { first, changes } = glance(statement.text, context.dialect);
  const exported = context.ticketKind === 'DATA_EXPORT' && cls.kind === 'query';
  const altersTable = first === 'ALTER' && cls.verb === 'ALTER TABLE';
  // Most statements (INSERTs, DDL) need no more than the glance: their tokens are not kept.
  const tokens = changes || exported || altersTable || first === 'GRANT' ? lex(statement.text, context.dialect) : undefined;
  if (first === 'DROP' && cls.verb.startsWith('DROP ') && droppedForGood.has(cls.verb.slice(5))) {
    risks.push({
      rule: 'drop-object',
      severity: 'error',
      message: `${cls.verb} deletes the ${cls.verb.slice(5).toLowerCase()} and all its data for good: check the name, and make sure a backup exists.`,
    });
  }
  if (first === 'TRUNCATE') {
    risks.push({
      rule: 'truncate',
      severity: 'error',
      message: 'TRUNCATE deletes every row and cannot be undone on most engines: check that emptying the table is intended and that a backup exists.',
    });
  }
  if (!tokens) return risks;
  if (changes) risks.push(...unfilteredChanges(tokens));
  if (first === 'GRANT') risks.push(...grantRisks(tokens));
  if (altersTable) {
    const rewrite = tableRewrite(tokens, context.dialect);
    if (rewrite) {
      risks.push({
        rule: 'alter-rewrites-table',
        severity: 'warning',
        message: `ALTER TABLE ${rewrite} rewrites the whole table, locking it for the duration on large tables: schedule it for a quiet period or use an online schema change tool.`,
      });
    }
  }
  if (exported) risks.push(...exportRisks(tokens));
  return risks;
}

function unterminatedRisk(statement: SqlStatement): Risk {
  const { what, at } = statement.unterminated!;
  const name = what === 'quote' ? 'quoted text' : what === 'dollar-quote' ? 'dollar-quoted body' : 'comment';
  return {
    rule: 'unterminated',
    severity: 'error',
    message: `The ${name} opened at line ${at.line}, column ${at.column} is never closed, so the rest of the input is part of it: close it where it should end.`,
  };
}

/**
 * DELETE or UPDATE with no WHERE at its own level changes every row. Said once per verb: the risk is the statement's,
 * and a statement of many such clauses is still one thing to fix.
 */
function unfilteredChanges({ texts, depths }: Lexed): Risk[] {
  const risks = new Map<string, Risk>();
  let filtered: boolean[] | undefined;
  for (let i = 0; i < texts.length && risks.size < 2; i++) {
    const text = texts[i];
    if (!beginsChange(text, depths[i], texts[i - 1], depths[i - 1], texts[i - 2]) || risks.has(text)) continue;
    filtered ??= whereFollows(texts, depths);
    if (filtered[i]) continue;
    risks.set(
      text,
      text === 'DELETE'
        ? { rule: 'delete-without-where', severity: 'error', message: 'DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.' }
        : { rule: 'update-without-where', severity: 'error', message: 'UPDATE without WHERE changes every row of the table: add a WHERE clause that selects the rows to change.' },
    );
  }
  return [...risks.values()];
}

/**
 * For each token, whether a WHERE at its depth follows it before its clause ends (a token at a lower depth, or a `;`
 * at its own). One pass from the end, so a statement of many nested DELETEs stays linear: the depths that have a
 * WHERE ahead form a stack, deepest on top, and a token closes every deeper clause.
 */
function whereFollows(texts: readonly string[], depths: readonly number[]): boolean[] {
  const follows = new Array<boolean>(texts.length);
  const ahead: number[] = [];
  for (let i = texts.length - 1; i >= 0; i--) {
    const depth = depths[i];
    const text = texts[i];
    follows[i] = ahead.at(-1) === depth;
    while (ahead.length > 0 && ahead.at(-1)! > depth) ahead.pop();
    if (text === ';' && ahead.at(-1) === depth) ahead.pop();
    else if (text === 'WHERE' && ahead.at(-1) !== depth) ahead.push(depth);
  }
  return follows;
}

function grantRisks({ texts }: Lexed): Risk[] {
  const risks: Risk[] = [];
  if (texts[1] === 'ALL') {
    risks.push({
      rule: 'grant-all',
      severity: 'warning',
      message: 'GRANT ALL gives every privilege on the object, including dropping and altering it: grant only the privileges needed, e.g. SELECT, INSERT.',
    });
  }
  const to = texts.indexOf('TO');
  if (to >= 0 && texts.indexOf('PUBLIC', to + 1) > to) {
    risks.push({
      rule: 'grant-to-public',
      severity: 'warning',
      message: 'GRANT … TO PUBLIC gives the privilege to every current and future user: grant it to a specific role instead.',
    });
  }
  return risks;
}

const volatileDefaults = new Set(['RANDOM', 'GEN_RANDOM_UUID', 'UUID_GENERATE_V4', 'CLOCK_TIMESTAMP', 'TIMEOFDAY', 'NEXTVAL', 'UUID']);

/**
 * The clause of an ALTER TABLE that is known to rewrite the table on the given engine, if any. One pass: whether an
 * ALTER or ADD came earlier is carried along, never looked up again, so a statement of many clauses stays linear.
 */
function tableRewrite({ texts, depths }: Lexed, dialect: SqlDialect): string | undefined {
  const mysql = dialect !== 'postgres';
  const postgres = dialect !== 'mysql';
  let altered = false;
  let added = false;
  for (let i = 2; i < texts.length; i++) {
    const word = texts[i];
    const next = texts[i + 1];
    if (postgres && word === 'TYPE' && altered) return '… ALTER COLUMN … TYPE';
    if (postgres && word === 'SET' && (next === 'LOGGED' || next === 'UNLOGGED' || next === 'TABLESPACE')) return `… SET ${next}`;
    if (postgres && word === 'DEFAULT' && next && volatileDefaults.has(next) && added) return `… ADD COLUMN … DEFAULT ${next.toLowerCase()}()`;
    if (postgres && word === 'STORED' && added) return '… ADD COLUMN … GENERATED … STORED';
    if (mysql && (word === 'MODIFY' || word === 'CHANGE') && depths[i] === 0) return `… ${word} COLUMN`;
    if (mysql && word === 'CONVERT' && next === 'TO') return '… CONVERT TO CHARACTER SET';
    if (mysql && (word === 'ENGINE' || word === 'FORCE' || word === 'ROW_FORMAT')) return `… ${word}`;
    if (mysql && word === 'ALGORITHM' && (next === 'COPY' || texts[i + 2] === 'COPY')) return '… ALGORITHM=COPY';
    if (mysql && word === 'PRIMARY' && (texts[i - 1] === 'ADD' || texts[i - 1] === 'DROP')) return `… ${texts[i - 1]} PRIMARY KEY`;
    altered ||= word === 'ALTER';
    added ||= word === 'ADD';
  }
  return undefined;
}

function exportRisks({ texts, depths }: Lexed): Risk[] {
  const risks: Risk[] = [];
  const select = texts.indexOf('SELECT');
  const depth = select >= 0 ? depths[select] : 0;
  const star = texts.some((text, i) => {
    if (text !== '*' || depths[i] !== depth) return false;
    const before = texts[i - 1];
    return before === 'SELECT' || before === 'DISTINCT' || before === 'ALL' || before === ',' || before === '.';
  });
  if (star) {
    risks.push({
      rule: 'select-star',
      severity: 'warning',
      message: 'SELECT * exports every column, including sensitive ones and any added later: list the columns the export needs.',
    });
  }
  const limited = texts.some((text, i) => depths[i] <= depth && (text === 'LIMIT' || text === 'FETCH' || text === 'TOP'));
  if (!limited) {
    risks.push({
      rule: 'export-without-limit',
      severity: 'info',
      message: 'The export has no LIMIT, so it returns every matching row: add a LIMIT, or check the estimated row count before submitting.',
    });
  }
  return risks;
}
