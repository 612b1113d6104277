import { type TicketKind, TicketKind as TicketKinds } from '../model/ticketKind';
import { type StatementClass, type StatementKind, statementKindPhrases } from '../sql/classify';
import type { SqlStatement } from '../sql/splitter';
import { capitalize } from './sentence';

/**
 * What a ticket kind takes. The defaults are strict; a backend whose workflow takes more passes its own rules
 * (see `allowMore`), and messages then name who allowed the extra statement kinds.
 */
export interface KindRule {
  accepts: readonly StatementKind[];
  /** Statement kinds a backend accepts on top of `accepts`, and the backend's name for messages. */
  extra?: { kinds: readonly StatementKind[]; by: string };
  maxStatements?: number;
  /** Queries must not write, lock or run unknown code. */
  readOnly?: boolean;
}
export type KindRules = Record<TicketKind, KindRule>;

export const defaultKindRules: KindRules = {
  DATA_EXPORT: { accepts: ['query'], maxStatements: 1, readOnly: true },
  SCHEMA_CHANGE: { accepts: ['ddl'] },
  DATA_CHANGE: { accepts: ['dml'] },
};

/** Rules where `kind` also takes `kinds`, as allowed by `by` (a backend name). */
export function allowMore(rules: KindRules, kind: TicketKind, kinds: readonly StatementKind[], by: string): KindRules {
  const extra = [...(rules[kind].extra?.kinds ?? []), ...kinds];
  return { ...rules, [kind]: { ...rules[kind], extra: { kinds: extra, by } } };
}

/** The facts about a statement the rules look at. */
export type RuleStatement = Pick<SqlStatement, 'index' | 'start'> & StatementClass;

export interface KindViolation {
  /** The statement that breaks the rule; null when the selection as a whole does. */
  statementIndex: number | null;
  /** A short phrase for one-line reasons: "statement 2 (DELETE, line 3) is DML". */
  summary: string;
  /** The full message: what, why and what to do. */
  message: string;
}

export interface KindInference {
  kind: TicketKind | null;
  /** One line: why this kind, or which statement breaks which kind. */
  reason: string;
}

const kindNouns: Record<TicketKind, string> = {
  DATA_EXPORT: 'data export',
  SCHEMA_CHANGE: 'schema change',
  DATA_CHANGE: 'data change',
};

const shortNames: Record<StatementKind, string> = {
  query: 'query',
  ddl: 'DDL',
  dml: 'DML',
  dcl: 'DCL',
  transaction: 'transaction control',
  session: 'session',
  other: 'other',
};

/** Where a statement of each kind belongs instead. */
const fixes: Record<StatementKind, string> = {
  query: 'export it with a data export ticket',
  ddl: 'move it to a schema change ticket',
  dml: 'move it to a data change ticket',
  dcl: 'ask a database administrator to change privileges',
  transaction: 'remove it: the ticket runs the statements in its own transaction',
  session: 'remove it, or state the setting in the ticket reason',
  other: 'remove it, or replace it with the statements it runs',
};

/**
 * Why `statements` do not fit `kind`; empty when they do. `linesIn` names what the line numbers count in when that
 * is not the text the user is looking at (e.g. "the ticket's SQL"); `limit` stops at that many reasons (whether a
 * kind fits needs one).
 */
export function checkTicketKind(
  kind: TicketKind,
  statements: readonly RuleStatement[],
  rules: KindRules = defaultKindRules,
  { linesIn, limit = Infinity }: { linesIn?: string; limit?: number } = {},
): KindViolation[] {
  const rule = rules[kind];
  const noun = kindNouns[kind];
  if (statements.length === 0) {
    return [{ statementIndex: null, summary: 'no statement', message: 'The selection holds no SQL statement, only whitespace or comments: select the SQL for the ticket.' }];
  }
  const violations: KindViolation[] = [];
  if (rule.maxStatements !== undefined && statements.length > rule.maxStatements) {
    violations.push({
      statementIndex: null,
      summary: `${statements.length} statements, not ${countWords(rule.maxStatements)}`,
      message: `A ${noun} takes ${countWords(rule.maxStatements)} statement, and the selection has ${statements.length}: select only the statement for this ticket, or create one ticket per statement.`,
    });
  }
  const accepted = new Set([...rule.accepts, ...(rule.extra?.kinds ?? [])]);
  for (const statement of statements) {
    if (violations.length >= limit) break;
    const subject = `statement ${statement.index} (${statement.verb}, line ${statement.start.line}${linesIn ? ` of ${linesIn}` : ''})`;
    if (!accepted.has(statement.kind)) {
      violations.push({
        statementIndex: statement.index,
        summary: `${subject} is ${statementKindPhrases[statement.kind]}`,
        message: `${capitalize(subject)} is ${statementKindPhrases[statement.kind]}, and ${describeRule(kind, rule)}: ${fixes[statement.kind]}.`,
      });
    } else if (rule.readOnly && statement.kind === 'query' && !statement.readOnly) {
      violations.push({
        statementIndex: statement.index,
        summary: `${subject} is not read-only`,
        message: `${capitalize(subject)} is not read-only (${statement.note ?? 'it changes data'}), and ${describeRule(kind, rule)}: remove the clause that writes or locks.`,
      });
    }
  }
  return violations;
}

/** The ticket kind that fits the statements, preferring the kind whose default rule covers the most of them. */
export function inferTicketKind(statements: readonly RuleStatement[], rules: KindRules = defaultKindRules): KindInference {
  if (statements.length === 0) return { kind: null, reason: 'the selection holds no SQL statement' };
  let best: { kind: TicketKind; score: number } | undefined;
  const misfits: Array<[TicketKind, string]> = [];
  for (const kind of TicketKinds.options) {
    const violations = checkTicketKind(kind, statements, rules, { limit: 1 });
    if (violations.length > 0) {
      misfits.push([kind, violations[0].summary]);
      continue;
    }
    const score = statements.filter((statement) => rules[kind].accepts.includes(statement.kind)).length;
    if (!best || score > best.score) best = { kind, score };
  }
  if (!best) return { kind: null, reason: describeMisfit(misfits) };
  return { kind: best.kind, reason: describeFit(best.kind, statements, rules[best.kind]) };
}

function describeMisfit(misfits: Array<[TicketKind, string]>): string {
  const summaries = new Set(misfits.map(([, summary]) => summary));
  if (summaries.size === 1) return `no ticket kind fits: ${misfits[0][1]}, which no ticket kind takes`;
  return `no ticket kind fits — ${misfits.map(([kind, summary]) => `${kindNouns[kind]}: ${summary}`).join('; ')}`;
}

function describeFit(kind: TicketKind, statements: readonly RuleStatement[], rule: KindRule): string {
  if (kind === 'DATA_EXPORT' && statements.length === 1) return 'one read-only query';
  const counts = new Map<StatementKind, number>();
  for (const statement of statements) counts.set(statement.kind, (counts.get(statement.kind) ?? 0) + 1);
  const parts = [...counts].map(([statementKind, n]) => `${countWords(n)} ${shortNames[statementKind]} statement${n === 1 ? '' : 's'}`);
  const widened = rule.extra && [...counts.keys()].filter((k) => !rule.accepts.includes(k));
  const allowance = widened && widened.length > 0 ? ` (${widened.map((k) => shortNames[k]).join(', ')} allowed by ${rule.extra!.by})` : '';
  return `${parts.join(' and ')}${allowance}`;
}

function describeRule(kind: TicketKind, rule: KindRule): string {
  const noun = kindNouns[kind];
  if (kind === 'DATA_EXPORT' && rule.maxStatements === 1 && !rule.extra) return `a ${noun} takes one read-only query`;
  const kinds = rule.accepts.map((k) => shortNames[k]).join(', ');
  const extra = rule.extra ? `, and ${rule.extra.kinds.map((k) => shortNames[k]).join(', ')} as allowed by ${rule.extra.by}` : ' only';
  return `a ${noun} takes ${kinds}${extra}`;
}

function countWords(n: number): string {
  return n === 1 ? 'one' : String(n);
}
