import { DbTicketsError } from '../../../core/errors';

/** Network failures that mean "the server cannot be reached", whatever the driver. */
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return (code !== undefined && unreachable.has(code)) || /timeout expired|connection terminated|connect ETIMEDOUT/i.test(String((error as Error)?.message));
}

export function unreachableError(connectionName: string, target: string, error: unknown): DbTicketsError {
  const code = (error as { code?: string }).code;
  const why = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve' : code === 'ECONNREFUSED' ? 'nothing accepts connections there' : (error as Error).message;
  return new DbTicketsError(
    'unavailable',
    `Cannot connect to "${connectionName}" (${target}): ${why}. Check that the server is running and that the connection's host and port are right, then try again.`,
    { cause: error },
  );
}
