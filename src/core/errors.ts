/**
 * Why an operation failed, as far as the caller needs to know to react: front ends map `usage` and `config`
 * to "fix your input" (CLI exit 2) and everything else to "the operation failed" (CLI exit 1).
 */
export const errorKinds = [
  'usage', // the request itself is malformed: wrong kind for the SQL, unknown option
  'config', // a profile, connection or credential is missing or wrong
  'not_found', // no such ticket, database, user
  'conflict', // the ticket is not in a state that allows this action
  'auth', // credentials rejected, session expired, permission denied
  'throttled', // the service asks to slow down
  'unavailable', // network failure, timeout, 5xx
  'cancelled', // the user cancelled
  'failed', // the operation ran and failed (bad SQL, failed execution)
] as const;
export type ErrorKind = (typeof errorKinds)[number];

/** An error whose message is written for the user: what happened, why, and what to do. */
export class DbTicketsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: {
      requestId?: string;
      cause?: unknown;
      /** The draft id whose submit, made again, resumes what this error left unfinished (a create of unclear outcome). */
      resumeDraftId?: string;
    } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'DbTicketsError';
  }
}

export function isUsageError(error: unknown): boolean {
  return error instanceof DbTicketsError && (error.kind === 'usage' || error.kind === 'config');
}
