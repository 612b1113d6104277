/**
 * How the service reports failures. API failures are an ErrorCode inside `{"error": …}` (HTTP 503 for sync calls
 * and for finished jobs); transport failures (bad headers, bad query parameters, unparsable bodies, unknown paths)
 * are plain text with a 4xx/5xx status, written before any API runs.
 */

export interface ErrorCode {
  code: string;
  description: string;
  details: string;
  elaboration?: string | null;
  cause?: ErrorCode;
  opaque?: unknown;
}

const descriptions: Record<string, string> = {
  'SYS.1000': 'An internal error happened in system',
  'SYS.1001': 'A message or a operation timeout',
  'SYS.1003': 'Unable to find resource',
  'SYS.1006': 'An operation failed',
  'SYS.1007': 'One or more API argument is invalid',
  'ID.1000': 'Authentication failure',
  'ID.1001': "Invalid session, the session doesn't exist or has expired",
  'ID.1002': 'Permission denied',
};

export function errorCode(code: string, details: string, cause?: ErrorCode): ErrorCode {
  return { code, description: descriptions[code] ?? 'An operation failed', details, ...(cause ? { cause } : {}) };
}

/** An API-level failure: becomes `{"error": ErrorCode}`. */
export class ApiFailure extends Error {
  constructor(readonly error: ErrorCode) {
    super(`${error.code}: ${error.details}`);
  }
}

/** A transport-level failure: a plain-text body with this status. */
export class PlainFailure extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly headers?: Record<string, string>,
  ) {
    super(text);
  }
}

/** SYS.1007, the code of every parameter and argument refusal ("argerr" in the service). */
export const argumentError = (details: string) => new ApiFailure(errorCode('SYS.1007', details));
/** SYS.1006, the code of "operation denied" refusals ("operr" in the service). */
export const operationError = (details: string) => new ApiFailure(errorCode('SYS.1006', details));
export const sessionExpired = () => new ApiFailure(errorCode('ID.1001', 'Session expired'));
