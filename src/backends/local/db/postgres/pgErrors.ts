import { DbTicketsError } from '../../../../core/errors';
import { isUnreachable, unreachableError } from '../engineErrors';
import type { PgError } from './pgSession';

const queryCanceled = '57014';

export interface PgErrorContext {
  connection: string;
  target: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The engine's own words for a statement's failure, with its SQLSTATE. */
export function pgErrorText(error: unknown, context: PgErrorContext): string {
  const { code, message } = error as PgError;
  if (code === queryCanceled) return context.signal?.aborted ? 'Cancelled by the user before it finished.' : `Stopped by the statement timeout of ${context.timeoutMs} ms.`;
  return code ? `${message} (SQLSTATE ${code})` : String(message ?? error);
}

/** Maps a driver error to what the user should do about it. */
export function pgError(error: unknown, context: PgErrorContext, what: string): DbTicketsError {
  if (error instanceof DbTicketsError) return error;
  const { code, message } = error as PgError;
  const { connection, target } = context;
  if (code === queryCanceled && context.signal?.aborted) return new DbTicketsError('cancelled', `${what} on "${connection}" was cancelled.`, { cause: error });
  if (code === queryCanceled) {
    return new DbTicketsError('failed', `${what} on "${connection}" failed: ${pgErrorText(error, context)} Make the statement faster (an index, a narrower WHERE) or raise the timeout.`, { cause: error });
  }
  if (code === '28P01' || code === '28000') {
    return new DbTicketsError('auth', `"${connection}" (${target}) rejected the login: ${message}. Check the user name and password for this connection.`, { cause: error });
  }
  if (code === '3D000') {
    return new DbTicketsError('config', `"${connection}" (${target}): ${message}. Check the connection's database name (the server has no such database).`, { cause: error });
  }
  if (code === '57P03' || code === '53300') return new DbTicketsError('unavailable', `"${connection}" (${target}) cannot take connections now: ${message}. Try again in a moment.`, { cause: error });
  if (isUnreachable(error)) return unreachableError(connection, target, error);
  return new DbTicketsError('failed', `${what} on "${connection}" failed: ${pgErrorText(error, context)}. Fix the SQL and try again.`, { cause: error });
}
