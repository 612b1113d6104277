import type { RowEstimate, StatementCheck, StatementResult } from '../engine';
import type { PgSession } from './pgSession';

/** How a script runs: the engine's words for a failed statement, and the signal whose abort ends the run. */
export interface ScriptContext {
  errorText: (error: unknown) => string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface PlanNode {
  'Node Type'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

/**
 * The planner's row estimate (`EXPLAIN (FORMAT JSON)` "Plan Rows"): of the top node for a query, of the rows an
 * UPDATE/DELETE/INSERT feeds its ModifyTable node (which itself returns none).
 */
export async function explainRows(session: PgSession, sql: string): Promise<RowEstimate | undefined> {
  const { rows } = await session.query(`EXPLAIN (FORMAT JSON) ${sql}`);
  const cell = Object.values(rows[0] as Record<string, unknown>)[0];
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan?: PlanNode }[];
  let node = plan?.[0]?.Plan;
  if (node?.['Node Type'] === 'ModifyTable') node = node.Plans?.[0];
  const planRows = node?.['Plan Rows'];
  return typeof planRows === 'number' ? { rows: planRows, source: 'EXPLAIN' } : undefined;
}

/** Runs every statement in one transaction that is rolled back; a failed statement is undone to its savepoint so the rest are still checked. */
export async function validateInRollback(session: PgSession, statements: readonly string[], context: ScriptContext): Promise<StatementCheck[]> {
  const checks: StatementCheck[] = [];
  await session.query('BEGIN');
  try {
    await setLocalTimeout(session, context.timeoutMs);
    for (const [i, sql] of statements.entries()) {
      await session.query('SAVEPOINT db_tickets_check');
      try {
        await session.query(sql);
        checks.push({ index: i + 1, status: 'ok' });
      } catch (error) {
        if (context.signal?.aborted) throw error;
        checks.push({ index: i + 1, status: 'error', message: context.errorText(error) });
        await session.query('ROLLBACK TO SAVEPOINT db_tickets_check');
      }
    }
  } finally {
    await session.query('ROLLBACK');
  }
  return checks;
}

/**
 * Runs the script as one transaction: all or nothing. On the first failure the transaction is rolled back; the
 * statements before it are 'rolled_back', the failed one 'failed' with the engine's message, the rest 'skipped'.
 * A cancellation rolls back too and is thrown, as nothing changed.
 */
export async function executeAtomically(session: PgSession, statements: readonly string[], context: ScriptContext): Promise<StatementResult[]> {
  const results: StatementResult[] = [];
  await session.query('BEGIN');
  try {
    await setLocalTimeout(session, context.timeoutMs);
    for (const [i, sql] of statements.entries()) {
      try {
        const { rowsAffected } = await session.query(sql);
        results.push({ index: i + 1, status: 'succeeded', ...(rowsAffected === undefined ? {} : { rowsAffected }) });
      } catch (error) {
        if (context.signal?.aborted) throw error;
        await session.query('ROLLBACK');
        return statements.map((_, j): StatementResult => {
          if (j < i) return { ...results[j], status: 'rolled_back' };
          if (j === i) return { index: j + 1, status: 'failed', message: context.errorText(error) };
          return { index: j + 1, status: 'skipped' };
        });
      }
    }
    await session.query('COMMIT');
    return results;
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function setLocalTimeout(session: PgSession, timeoutMs: number | undefined): Promise<void> {
  if (timeoutMs) await session.query(`SET LOCAL statement_timeout = ${Math.ceil(timeoutMs)}`);
}
