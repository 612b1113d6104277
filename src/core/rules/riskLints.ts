import * as z from '../zod';
import type { TicketKind } from '../model/ticketKind';
import type { StatementClass } from '../sql/classify';
import type { SqlDialect } from '../sql/dialect';
import type { SqlStatement } from '../sql/splitter';
import { capitalize } from './sentence';
import { type Token, tokenize } from '../sql/tokens';

export const RiskSeverity = z.lazySchema(() => z.enum(['error', 'warning', 'info']));
export type RiskSeverity = z.infer<typeof RiskSeverity>;

/** A reason to look twice before sending a statement: `rule` is a stable id, `message` says what, why and what to do. */
export interface Risk {
  rule: string;
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

/** The risk lints for one classified statement. */
export function lintStatement(statement: SqlStatement & StatementClass, context: LintContext): Risk[] {
  const cls = statement;
  const risks: Risk[] = [];
  if (statement.unterminated) risks.push(unterminatedRisk(statement));
  if (cls.note) {
    risks.push({ rule: 'hidden-effect', severity: 'warning', message: `${capitalize(cls.note)}: check that this is intended before submitting.` });
  }
  const tokens = [...tokenize(statement.text, context.dialect)];
  const first = tokens[0]?.text;
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
  risks.push(...unfilteredChanges(tokens));
  if (first === 'GRANT') risks.push(...grantRisks(tokens));
  if (first === 'ALTER' && cls.verb === 'ALTER TABLE') {
    const rewrite = tableRewrite(tokens, context.dialect);
    if (rewrite) {
      risks.push({
        rule: 'alter-rewrites-table',
        severity: 'warning',
        message: `ALTER TABLE ${rewrite} rewrites the whole table, locking it for the duration on large tables: schedule it for a quiet period or use an online schema change tool.`,
      });
    }
  }
  if (context.ticketKind === 'DATA_EXPORT' && cls.kind === 'query') risks.push(...exportRisks(tokens));
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
function unfilteredChanges(tokens: Token[]): Risk[] {
  const risks = new Map<string, Risk>();
  let filtered: boolean[] | undefined;
  for (let i = 0; i < tokens.length && risks.size < 2; i++) {
    const token = tokens[i];
    if (token.type !== 'word' || (token.text !== 'DELETE' && token.text !== 'UPDATE')) continue;
    const previous = tokens[i - 1];
    const startsStatement = !previous || previous.text === '(' || previous.text === ';' || (previous.text === ')' && previous.depth === token.depth) || statementStarters.has(previous.text);
    if (!startsStatement || (previous?.text === 'ROW' && tokens[i - 2]?.text !== 'EACH') || risks.has(token.text)) continue;
    filtered ??= whereFollows(tokens);
    if (filtered[i]) continue;
    risks.set(
      token.text,
      token.text === 'DELETE'
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
function whereFollows(tokens: readonly Token[]): boolean[] {
  const follows = new Array<boolean>(tokens.length);
  const ahead: number[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const { depth, text } = tokens[i];
    follows[i] = ahead.at(-1) === depth;
    while (ahead.length > 0 && ahead.at(-1)! > depth) ahead.pop();
    if (text === ';' && ahead.at(-1) === depth) ahead.pop();
    else if (text === 'WHERE' && ahead.at(-1) !== depth) ahead.push(depth);
  }
  return follows;
}

function grantRisks(tokens: Token[]): Risk[] {
  const risks: Risk[] = [];
  if (tokens[1]?.text === 'ALL') {
    risks.push({
      rule: 'grant-all',
      severity: 'warning',
      message: 'GRANT ALL gives every privilege on the object, including dropping and altering it: grant only the privileges needed, e.g. SELECT, INSERT.',
    });
  }
  const to = tokens.findIndex((token) => token.text === 'TO');
  if (to >= 0 && tokens.slice(to + 1).some((token) => token.text === 'PUBLIC')) {
    risks.push({
      rule: 'grant-to-public',
      severity: 'warning',
      message: 'GRANT … TO PUBLIC gives the privilege to every current and future user: grant it to a specific role instead.',
    });
  }
  return risks;
}

const volatileDefaults = new Set(['RANDOM', 'GEN_RANDOM_UUID', 'UUID_GENERATE_V4', 'CLOCK_TIMESTAMP', 'TIMEOFDAY', 'NEXTVAL', 'UUID']);

/** The clause of an ALTER TABLE that is known to rewrite the table on the given engine, if any. */
function tableRewrite(tokens: Token[], dialect: SqlDialect): string | undefined {
  const mysql = dialect !== 'postgres';
  const postgres = dialect !== 'mysql';
  for (let i = 2; i < tokens.length; i++) {
    const word = tokens[i].text;
    const next = tokens[i + 1]?.text;
    if (postgres && word === 'TYPE' && tokens.slice(2, i).some((t) => t.text === 'ALTER')) return '… ALTER COLUMN … TYPE';
    if (postgres && word === 'SET' && (next === 'LOGGED' || next === 'UNLOGGED' || next === 'TABLESPACE')) return `… SET ${next}`;
    if (postgres && word === 'DEFAULT' && next && volatileDefaults.has(next) && tokens.slice(2, i).some((t) => t.text === 'ADD')) {
      return `… ADD COLUMN … DEFAULT ${next.toLowerCase()}()`;
    }
    if (postgres && word === 'STORED' && tokens.slice(2, i).some((t) => t.text === 'ADD')) return '… ADD COLUMN … GENERATED … STORED';
    if (mysql && (word === 'MODIFY' || word === 'CHANGE') && tokens[i].depth === 0) return `… ${word} COLUMN`;
    if (mysql && word === 'CONVERT' && next === 'TO') return '… CONVERT TO CHARACTER SET';
    if (mysql && (word === 'ENGINE' || word === 'FORCE' || word === 'ROW_FORMAT')) return `… ${word}`;
    if (mysql && word === 'ALGORITHM' && tokens.slice(i + 1, i + 3).some((t) => t.text === 'COPY')) return '… ALGORITHM=COPY';
    if (mysql && word === 'PRIMARY' && (tokens[i - 1]?.text === 'ADD' || tokens[i - 1]?.text === 'DROP')) return `… ${tokens[i - 1].text} PRIMARY KEY`;
  }
  return undefined;
}

function exportRisks(tokens: Token[]): Risk[] {
  const risks: Risk[] = [];
  const select = tokens.find((token) => token.text === 'SELECT');
  const depth = select?.depth ?? 0;
  const star = tokens.some((token, i) => {
    if (token.text !== '*' || token.depth !== depth) return false;
    const before = tokens[i - 1]?.text;
    return before === 'SELECT' || before === 'DISTINCT' || before === 'ALL' || before === ',' || before === '.';
  });
  if (star) {
    risks.push({
      rule: 'select-star',
      severity: 'warning',
      message: 'SELECT * exports every column, including sensitive ones and any added later: list the columns the export needs.',
    });
  }
  const limited = tokens.some((token) => token.depth <= depth && (token.text === 'LIMIT' || token.text === 'FETCH' || token.text === 'TOP'));
  if (!limited) {
    risks.push({
      rule: 'export-without-limit',
      severity: 'info',
      message: 'The export has no LIMIT, so it returns every matching row: add a LIMIT, or check the estimated row count before submitting.',
    });
  }
  return risks;
}
