import { DbTicketsError } from '../../../../core/errors';
import { isUnreachable, unreachableError } from '../engineErrors';

interface MysqlError {
  code?: string;
  errno?: number;
  message: string;
}

/** MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024). */
const timeoutErrnos = new Set([1969, 3024]);
const interrupted = 1317;

export interface MysqlErrorContext {
  connection: string;
  target: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export function mysqlErrorText(error: unknown, context: MysqlErrorContext): string {
  const { errno, message } = error as MysqlError;
  if (errno !== undefined && timeoutErrnos.has(errno)) return `Stopped by the statement timeout of ${context.timeoutMs} ms.`;
  if (errno === interrupted && context.signal?.aborted) return 'Cancelled by the user before it finished.';
  // Only the number: mysql2 names errors after MySQL's list, which MariaDB's numbers do not always follow.
  return errno ? `${message} (error ${errno})` : String(message ?? error);
}

export function isCancellation(error: unknown, context: MysqlErrorContext): boolean {
  return context.signal?.aborted === true && ((error as MysqlError).errno === interrupted || (error as MysqlError).code === 'PROTOCOL_CONNECTION_LOST');
}

export function mysqlError(error: unknown, context: MysqlErrorContext, what: string): DbTicketsError {
  if (error instanceof DbTicketsError) return error;
  const { errno, message } = error as MysqlError;
  const { connection, target } = context;
  if (context.signal?.aborted) return new DbTicketsError('cancelled', `${what} on "${connection}" was cancelled.`, { cause: error });
  if (errno === 1045 || errno === 1044) {
    return new DbTicketsError('auth', `"${connection}" (${target}) rejected the login: ${message}. Check the user name and password for this connection.`, { cause: error });
  }
  if (errno === 1049) {
    return new DbTicketsError('config', `"${connection}" (${target}): ${message}. Check the connection's database name (the server has no such database).`, { cause: error });
  }
  if (errno === 1040 || errno === 1203) return new DbTicketsError('unavailable', `"${connection}" (${target}) cannot take connections now: ${message}. Try again in a moment.`, { cause: error });
  if (isUnreachable(error)) return unreachableError(connection, target, error);
  if (errno !== undefined && timeoutErrnos.has(errno)) {
    return new DbTicketsError('failed', `${what} on "${connection}" failed: ${mysqlErrorText(error, context)} Make the statement faster (an index, a narrower WHERE) or raise the timeout.`, { cause: error });
  }
  return new DbTicketsError('failed', `${what} on "${connection}" failed: ${mysqlErrorText(error, context)}. Fix the SQL and try again.`, { cause: error });
}
