import { DbTicketsError } from '../../core/errors';
import type { TicketKind } from '../../core/model/ticketKind';
import { type AnalyzedStatement, analyzeSql } from '../../core/rules/analyzeSql';
import { checkTicketKind } from '../../core/rules/kindRules';
import type { SqlDialect } from '../../core/sql/dialect';
import type { DatabaseEngine, RowEstimate, RunOptions } from './db/engine';
import type { PrecheckItem } from './store/events';

const kindNouns: Record<TicketKind, string> = { DATA_EXPORT: 'data export', SCHEMA_CHANGE: 'schema change', DATA_CHANGE: 'data change' };

/**
 * The lines a precheck or execution message names count in the ticket's SQL, as the ticket shows it: the messages are
 * kept with the ticket, long after the draft or file it came from (where the SQL may have started lower) is gone.
 */
const linesIn = "the ticket's SQL";

/** Error kinds that are about the SQL; any other error is about reaching the database. */
const sqlErrorKinds: ReadonlySet<string> = new Set(['failed']);

export interface PrecheckOutcome {
  passed: boolean;
  estimatedRows?: number;
  items: PrecheckItem[];
}

export interface PrecheckTicket {
  kind: TicketKind;
  sql: string;
  database: string;
}

/**
 * The checks a ticket passes before it waits for approval. Core rules first (the SQL fits the kind; risk lints:
 * errors block, warnings are recorded); then, only when those pass, the database's own checks: the row estimate
 * (EXPLAIN, or a count on the demo database) for an export, and the statements run in a rolled-back transaction
 * for a change. What the SQL gets wrong is a failed check; a database that cannot be reached or logged into
 * throws instead (see `checkedOnly`), as that says nothing about the ticket.
 */
export async function precheck(ticket: PrecheckTicket, engine: DatabaseEngine, options: RunOptions): Promise<PrecheckOutcome> {
  const statements = analyze(ticket, engine.dialect);
  const items = coreChecks(ticket.kind, statements);
  if (items.some((item) => item.status === 'failed')) return { passed: false, items };
  const database = ticket.kind === 'DATA_EXPORT' ? await exportChecks(ticket, statements[0], engine, options) : await changeChecks(ticket, statements, engine, options);
  items.push(...database.items);
  return { passed: !items.some((item) => item.status === 'failed'), estimatedRows: database.estimatedRows, items };
}

/** The statements as the engine's dialect splits them. */
export function analyze(ticket: Pick<PrecheckTicket, 'kind' | 'sql'>, dialect: SqlDialect): AnalyzedStatement[] {
  return analyzeSql(ticket.sql, { dialect, ticketKind: ticket.kind }).statements;
}

function coreChecks(kind: TicketKind, statements: AnalyzedStatement[]): PrecheckItem[] {
  const items: PrecheckItem[] = checkTicketKind(kind, statements, undefined, { linesIn }).map((violation) => ({ check: 'kind', status: 'failed', message: violation.message }));
  if (items.length === 0) {
    items.push({ check: 'kind', status: 'passed', message: `The SQL fits a ${kindNouns[kind]} ticket (${count(statements.length, 'statement')}).` });
  }
  for (const statement of statements) {
    for (const risk of statement.risks) {
      items.push({
        check: `lint:${risk.rule}`,
        status: risk.severity === 'error' ? 'failed' : 'warning',
        message: `${where(statement)}: ${risk.message}`,
      });
    }
  }
  return items;
}

async function exportChecks(ticket: PrecheckTicket, query: AnalyzedStatement, engine: DatabaseEngine, options: RunOptions): Promise<{ items: PrecheckItem[]; estimatedRows?: number }> {
  try {
    const estimate = await engine.estimateRows(query.text, options);
    if (!estimate) return { items: [{ check: 'database', status: 'passed', message: `"${ticket.database}" accepts the query (it gives no row estimate).` }] };
    return {
      estimatedRows: estimate.rows,
      items: [{ check: 'rows', status: 'passed', message: `"${ticket.database}" estimates about ${count(estimate.rows, 'row')} (${estimate.source}).` }],
    };
  } catch (error) {
    return { items: [{ check: 'database', status: 'failed', message: checkedOnly(error, ticket.database).message }] };
  }
}

async function changeChecks(ticket: PrecheckTicket, statements: AnalyzedStatement[], engine: DatabaseEngine, options: RunOptions): Promise<{ items: PrecheckItem[]; estimatedRows?: number }> {
  const items: PrecheckItem[] = [];
  let checks;
  try {
    checks = await engine.validate(statements.map((statement) => statement.text), options);
  } catch (error) {
    return { items: [{ check: 'database', status: 'failed', message: checkedOnly(error, ticket.database).message }] };
  }
  for (const check of checks) {
    const statement = statements[check.index - 1];
    const subject = statement ? where(statement) : `Statement ${check.index}`;
    if (check.status === 'error') {
      items.push({ check: 'database', status: 'failed', message: `${subject} fails on "${ticket.database}": ${messageOf(check.message ?? 'the database gave no reason')} Fix the SQL and re-submit the ticket as a new draft.` });
    } else if (check.status === 'not_checked') {
      items.push({ check: 'database', status: 'warning', message: `${subject} was not checked on "${ticket.database}"${check.message ? `: ${check.message}` : ''}; review it before approving.` });
    }
  }
  if (!items.some((item) => item.status === 'failed')) {
    const checked = checks.filter((check) => check.status === 'ok').length;
    items.push({ check: 'database', status: 'passed', message: `${count(checked, 'statement')} ran without error on "${ticket.database}" in a transaction that was rolled back.` });
  }
  const estimate = await estimateChanges(statements, engine, options);
  if (estimate) items.push({ check: 'rows', status: 'passed', message: `The changes touch about ${count(estimate.rows, 'row')} (${estimate.source}).` });
  return { items, estimatedRows: estimate?.rows };
}

/**
 * The database's estimate of the rows a ticket reads or changes, before it is submitted; undefined when the engine
 * gives none or the SQL does not fit the kind.
 */
export async function estimateTicketRows(ticket: PrecheckTicket, engine: DatabaseEngine, options: RunOptions): Promise<number | undefined> {
  const statements = analyze(ticket, engine.dialect);
  if (checkTicketKind(ticket.kind, statements).length > 0) return undefined;
  if (ticket.kind === 'DATA_EXPORT') return (await engine.estimateRows(statements[0].text, options).catch(() => undefined))?.rows;
  return (await estimateChanges(statements, engine, options))?.rows;
}

/** The sum of the DML statements' estimates; a statement on a table the script creates has none, so it is left out. */
async function estimateChanges(statements: AnalyzedStatement[], engine: DatabaseEngine, options: RunOptions): Promise<RowEstimate | undefined> {
  let total: RowEstimate | undefined;
  for (const statement of statements.filter((s) => s.kind === 'dml')) {
    const estimate = await engine.estimateRows(statement.text, options).catch(() => undefined);
    if (estimate) total = { rows: (total?.rows ?? 0) + estimate.rows, source: estimate.source };
  }
  return total;
}

export function where(statement: Pick<AnalyzedStatement, 'index' | 'verb' | 'start'>): string {
  return `Statement ${statement.index} (${statement.verb}, line ${statement.start.line} of ${linesIn})`;
}

/** Returns an engine error that is about the SQL, so the precheck records it; throws any other (no connection, no password, cancelled). */
function checkedOnly(error: unknown, database: string): DbTicketsError {
  if (error instanceof DbTicketsError && sqlErrorKinds.has(error.kind)) return error;
  if (error instanceof DbTicketsError) throw error;
  throw new DbTicketsError('failed', `Could not check the SQL on "${database}": ${messageOf(error)} Check that the database works, then submit again.`, { cause: error });
}

/** An engine's own errors are already written for the user; anything else gets `context` in front and `advice` after. */
export function describeFailure(error: unknown, context: string, advice = ''): string {
  if (error instanceof DbTicketsError) return error.message;
  return `${context}: ${messageOf(error)}${advice ? ` ${advice}` : ''}`;
}

export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
