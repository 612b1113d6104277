import { DbTicketsError } from '../core/errors';

/** When to try again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first backoff; each further one doubles, up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 5_000 };

/** "Full jitter" exponential backoff before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

/**
 * Runs `attempt` until it succeeds, `retryDelay` says not to retry (undefined), or the attempts run out; the
 * last error is thrown. `retryDelay` sees the error and the attempt number and returns how long to wait.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  retryDelay: (error: unknown, n: number) => number | undefined,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const delay = n < policy.maxAttempts && !signal?.aborted ? retryDelay(error, n) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, signal);
    }
  }
}

/** Waits, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits between polls; a cancellation becomes a 'cancelled' error whose message (`cancelled`) says where things stand. */
export async function pause(ms: number, signal: AbortSignal | undefined, cancelled: string): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    throw new DbTicketsError('cancelled', cancelled, { cause: error });
  }
}
