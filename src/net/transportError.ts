/** Why a request got no HTTP response. */
export type TransportFailure = 'timeout' | 'connect' | 'reset' | 'tls' | 'cancelled';

/**
 * A request that got no HTTP response. `sent` is false only when the request certainly never reached the server
 * (it could not connect), so even a write may be sent again; when true the server may have acted on it.
 */
export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    readonly sent: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

const connectCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT']);
const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_)/;

/** Sorts what undici threw into a TransportError, keeping the original as the cause. */
export function toTransportError(error: unknown, timedOut: boolean, cancelled: boolean): TransportError {
  if (error instanceof TransportError) return error;
  const code = errorCode(error);
  if (cancelled) return new TransportError('cancelled', true, 'the request was cancelled', { cause: error });
  if (code && connectCodes.has(code)) return new TransportError('connect', false, `could not connect (${code})`, { cause: error });
  if (code && tlsCodes.test(code)) return new TransportError('tls', false, `the server's certificate was not accepted (${code})`, { cause: error });
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new TransportError('timeout', true, 'no answer in time', { cause: error });
  return new TransportError('reset', true, `the connection broke (${code ?? (error as Error)?.message ?? String(error)})`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}
