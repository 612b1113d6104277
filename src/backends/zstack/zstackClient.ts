import { randomUUID } from 'node:crypto';
import { DbTicketsError } from '../../core/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../net/httpClient';
import { backoffMs, defaultRetryPolicy, sleep, withRetries } from '../../net/retry';
import { TransportError } from '../../net/transportError';
import { type ErrorContext, isSessionExpired, toDbTicketsError, ZStackApiError, type ZStackErrorCode, ZStackPlainError } from './zstackErrors';

export type Json = Record<string, unknown>;

/** Where the session comes from: the current one, and a new one when the service says it expired. */
export interface SessionSource {
  current(signal?: AbortSignal): Promise<string>;
  /** Logs in again (once per stale session) and returns the new session. */
  renew(stale: string, signal?: AbortSignal): Promise<string>;
}

export interface ZStackClientOptions {
  /** `<scheme>://<host>:<port><context>/v1`. */
  base: URL;
  profile: string;
  http: HttpClient;
  /** One HTTP exchange. */
  timeoutMs?: number;
  /** First pause between job polls; doubles up to 5 s. */
  pollMs?: number;
  /** How long a write's job may run before we stop waiting (the job goes on). */
  jobWaitMs?: number;
  log?: (line: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** What the user asked for, for messages, e.g. "approving ticket #x". */
  action?: string;
}

/** A write whose outcome could not be learnt: its job result is gone or could not be read. It may have run. */
export class ZStackOutcomeUnknown extends Error {
  constructor(
    readonly operation: string,
    readonly jobUuid: string,
    readonly reason: 'expired' | 'unreachable' | 'still running',
    options?: { cause?: unknown },
  ) {
    super(`${operation}: the outcome of job ${jobUuid} is unknown (${reason})`, options);
    this.name = 'ZStackOutcomeUnknown';
  }
}

/** Before a write is sent again after its job could not be found: a chance to find what the first attempt did. */
export type BeforeResend = () => Promise<Json | undefined>;

const hex32 = () => randomUUID().replace(/-/g, '');

/**
 * ZStack's REST API: JSON envelopes, `Authorization: OAuth <session>`, re-login once on ID.1001, and the async job
 * protocol for writes — each write carries its own X-Job-UUID, so an answer lost on the way back is recovered by
 * polling that job, and a write is sent again only when the service certainly did not run it.
 */
export class ZStackClient {
  constructor(
    private readonly options: ZStackClientOptions,
    private readonly session: SessionSource,
  ) {}

  get endpoint(): string {
    return this.options.base.origin;
  }

  /** A sync call needing no session (logins, logout). Retried only when it cannot have reached the server. */
  async anonymous(operation: string, method: HttpRequest['method'], path: string, body: Json | undefined, call: CallOptions = {}): Promise<Json> {
    try {
      return await withRetries(
        async () => this.parseSync(operation, await this.exchange(operation, method, this.url(path), body, undefined, undefined, call.signal)),
        (error, n) => (error instanceof TransportError && !error.sent && error.failure === 'connect' ? backoffMs(n, defaultRetryPolicy) : undefined),
        defaultRetryPolicy,
        call.signal,
      );
    } catch (error) {
      throw toDbTicketsError(error, this.context(operation, call));
    }
  }

  /** A query (`GET <path>?q=…`), retried after transport failures and 5xx; a new session once on ID.1001. */
  async query<T = Json>(operation: string, path: string, params: Array<[string, string]>, call: CallOptions = {}): Promise<{ inventories: T[]; total?: number }> {
    return this.authed(operation, call, (session) => this.runQuery<T>(session, operation, path, params, call));
  }

  /** A query with a given session (no re-login), e.g. while logging in. */
  async queryWith<T = Json>(session: string, operation: string, path: string, params: Array<[string, string]>, call: CallOptions = {}): Promise<{ inventories: T[]; total?: number }> {
    try {
      return await this.runQuery<T>(session, operation, path, params, call);
    } catch (error) {
      throw toDbTicketsError(error, this.context(operation, call));
    }
  }

  /** A sync call with a given session (no re-login), e.g. the project login. */
  async syncWith(session: string, operation: string, method: HttpRequest['method'], path: string, body: Json, call: CallOptions = {}): Promise<Json> {
    try {
      return this.parseSync(operation, await this.exchange(operation, method, this.url(path), body, session, undefined, call.signal));
    } catch (error) {
      throw toDbTicketsError(error, this.context(operation, call));
    }
  }

  private async runQuery<T>(session: string, operation: string, path: string, params: Array<[string, string]>, call: CallOptions): Promise<{ inventories: T[]; total?: number }> {
    const search = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const url = this.url(path) + (search ? `?${search}` : '');
    const body = await withRetries(
      async () => this.parseSync(operation, await this.exchange(operation, 'GET', url, undefined, session, undefined, call.signal)),
      (error, n) => (isRetryableRead(error) ? backoffMs(n, { ...defaultRetryPolicy, baseDelayMs: 200 }) : undefined),
      defaultRetryPolicy,
      call.signal,
    );
    const inventories = Array.isArray(body.inventories) ? (body.inventories as T[]) : [];
    const total = typeof body.total === 'number' ? body.total : undefined;
    return { inventories, total };
  }

  /**
   * An async write: sent once with a fresh X-Job-UUID, then its job polled until it ends. After an ambiguous failure
   * the same job is polled; only when the service has no such job is the write sent again, with the same X-Job-UUID
   * (the service refuses a duplicate), after `beforeResend` found nothing. ID.1001 as the job's result means the
   * write did not run: then it is sent again with a new session and job.
   */
  async write(operation: string, method: HttpRequest['method'], path: string, body: Json | undefined, call: CallOptions & { beforeResend?: BeforeResend } = {}): Promise<Json> {
    try {
      let session = await this.session.current(call.signal);
      let renewed = false;
      for (;;) {
        const jobUuid = hex32();
        try {
          return await this.runJob(operation, method, path, body, jobUuid, session, call, renewed);
        } catch (error) {
          if (!isSessionExpired(error) || renewed) throw error;
          renewed = true;
          session = await this.session.renew(session, call.signal);
        }
      }
    } catch (error) {
      throw toDbTicketsError(error, this.context(operation, call));
    }
  }

  private async runJob(operation: string, method: HttpRequest['method'], path: string, body: Json | undefined, jobUuid: string, session: string, call: CallOptions & { beforeResend?: BeforeResend }, renewed: boolean): Promise<Json> {
    let resends = 0;
    let exists = false;
    for (;;) {
      let response: HttpResponse | undefined;
      try {
        response = await this.exchange(operation, method, this.url(path), body, session, jobUuid, call.signal);
      } catch (error) {
        if (!(error instanceof TransportError) || error.failure === 'cancelled' || error.failure === 'tls') throw error;
        if (!error.sent && resends < 2) {
          resends++;
          await sleep(backoffMs(resends, defaultRetryPolicy), call.signal);
          continue;
        }
        if (!error.sent) throw error;
        response = undefined; // sent, no answer: the job may exist
      }
      if (response && response.status === 400 && /Duplicate job uuid/i.test(response.text)) {
        exists = true; // our earlier attempt got there
        response = undefined;
      }
      if (response && response.status !== 202 && response.status !== 200 && response.status !== 503 && response.status < 500) {
        throw new ZStackPlainError(operation, response.status, response.text); // refused before running (bad header, path, body)
      }
      if (response && (response.status === 200 || response.status === 503)) {
        const parsed = tryJson(response.text);
        if (parsed !== undefined) return this.result(operation, response.status, parsed, jobUuid);
        response = undefined; // unreadable: ask the job
      }
      const polled = await this.pollJob(operation, jobUuid, response?.status === 202 ? (tryJson(response.text) ?? {}) : exists ? {} : undefined, session, call, renewed);
      if (polled !== 'no such job') return polled;
      // The service has no job with our uuid: the write never arrived (or its result is long gone).
      if (resends >= 2) throw new ZStackOutcomeUnknown(operation, jobUuid, 'expired');
      const found = await call.beforeResend?.();
      if (found) return found;
      resends++;
      if (response && response.status >= 500) await sleep(backoffMs(resends, defaultRetryPolicy), call.signal);
    }
  }

  /** Polls a job until it ends: its result, an API error, or 'no such job' when the service answers 404 at once. */
  private async pollJob(operation: string, jobUuid: string, accepted: Json | undefined, session: string, call: CallOptions, renewed: boolean): Promise<Json | 'no such job'> {
    // The location names the management node's own address: keep only the job uuid and ask the configured endpoint.
    const location = typeof accepted?.location === 'string' ? accepted.location : undefined;
    const polledUuid = location ? (location.split('/').filter(Boolean).pop() ?? jobUuid) : jobUuid;
    const url = this.url(`/api-jobs/${encodeURIComponent(polledUuid)}`);
    const deadline = Date.now() + (this.options.jobWaitMs ?? 600_000);
    let failures = 0;
    let sessionNow = session;
    let renewedHere = renewed;
    for (let poll = 0; ; poll++) {
      let response: HttpResponse;
      try {
        response = await this.exchange('pollJob', 'GET', url, undefined, sessionNow, undefined, call.signal);
      } catch (error) {
        if (!(error instanceof TransportError) || error.failure === 'cancelled' || ++failures > 4) throw new ZStackOutcomeUnknown(operation, polledUuid, 'unreachable', { cause: error });
        await sleep(backoffMs(failures, defaultRetryPolicy), call.signal);
        continue;
      }
      if (response.status === 202) {
        failures = 0;
      } else if (response.status === 404) {
        if (!accepted && poll === 0) return 'no such job';
        throw new ZStackOutcomeUnknown(operation, polledUuid, 'expired');
      } else if (response.status === 200 || response.status === 503) {
        const parsed = tryJson(response.text);
        if (parsed === undefined) {
          if (++failures > 4) throw new ZStackOutcomeUnknown(operation, polledUuid, 'unreachable', { cause: new ZStackPlainError('pollJob', response.status, response.text) });
        } else {
          try {
            return this.result(operation, response.status, parsed, polledUuid);
          } catch (error) {
            // ID.1001 on a poll: log in again and ask the same job once more; only its own ID.1001 means it did not run.
            if (isSessionExpired(error) && !renewedHere) {
              renewedHere = true;
              sessionNow = await this.session.renew(sessionNow, call.signal);
              continue;
            }
            throw error;
          }
        }
      } else if (++failures > 4) {
        throw new ZStackOutcomeUnknown(operation, polledUuid, 'unreachable', { cause: new ZStackPlainError('pollJob', response.status, response.text) });
      }
      if (Date.now() > deadline) throw new ZStackOutcomeUnknown(operation, polledUuid, 'still running');
      await sleep(Math.min((this.options.pollMs ?? 500) * 2 ** Math.min(poll, 4), 5_000), call.signal);
    }
  }

  private async authed<T>(operation: string, call: CallOptions, run: (session: string) => Promise<T>): Promise<T> {
    try {
      const session = await this.session.current(call.signal);
      try {
        return await run(session);
      } catch (error) {
        if (!isSessionExpired(error)) throw error;
        return await run(await this.session.renew(session, call.signal));
      }
    } catch (error) {
      throw toDbTicketsError(error, this.context(operation, call));
    }
  }

  private parseSync(operation: string, response: HttpResponse): Json {
    const parsed = tryJson(response.text);
    if ((response.status === 200 || response.status === 503) && parsed !== undefined) return this.result(operation, response.status, parsed);
    throw new ZStackPlainError(operation, response.status, response.text);
  }

  private result(operation: string, status: number, body: Json, jobUuid?: string): Json {
    if (body.error && typeof body.error === 'object') throw new ZStackApiError(operation, body.error as ZStackErrorCode, jobUuid);
    if (status === 503) throw new ZStackApiError(operation, { code: 'SYS.1000', details: 'the service reported a failure without details' }, jobUuid);
    return body;
  }

  private async exchange(operation: string, method: HttpRequest['method'], url: string, body: Json | undefined, session: string | undefined, jobUuid: string | undefined, signal: AbortSignal | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'db-tickets' };
    if (body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
    if (session) headers.authorization = `OAuth ${session}`;
    if (jobUuid) headers['x-job-uuid'] = jobUuid;
    const started = Date.now();
    try {
      const response = await this.options.http.send({ method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) }, { signal, timeoutMs: this.options.timeoutMs ?? 30_000 });
      this.options.log?.(`ZStack ${operation} ${method} ${new URL(url).pathname}: HTTP ${response.status} in ${Date.now() - started} ms${jobUuid ? ` job ${jobUuid}` : ''}`);
      return response;
    } catch (error) {
      this.options.log?.(`ZStack ${operation} ${method} ${new URL(url).pathname}: ${(error as Error).message}`);
      throw error;
    }
  }

  private url(path: string): string {
    return `${this.options.base.href.replace(/\/$/, '')}${path}`;
  }

  private context(operation: string, call: CallOptions): ErrorContext {
    return { action: call.action ?? operation, profile: this.options.profile, endpoint: this.endpoint };
  }

  /** A write's unknown outcome as advice that cannot lead to a duplicate. */
  static unknownOutcome(error: ZStackOutcomeUnknown, what: string, check: string): DbTicketsError {
    const why =
      error.reason === 'expired'
        ? 'its result expired on the management node before it could be read'
        : error.reason === 'still running'
          ? 'it was still running when DB Tickets stopped waiting'
          : 'the management node could not be asked for its result';
    return new DbTicketsError('unavailable', `The outcome of ${what} is unknown: ${why} (job ${error.jobUuid}). It may have been carried out: ${check} before trying again.`, { requestId: error.jobUuid, cause: error });
  }
}

function isRetryableRead(error: unknown): boolean {
  if (error instanceof TransportError) return error.failure !== 'cancelled' && error.failure !== 'tls';
  if (error instanceof ZStackPlainError) return error.status >= 500 || error.status < 300 || error.status === 429;
  return false;
}

/** The body as a JSON object; an empty body is `{}` (the REST server writes empty results so). */
function tryJson(text: string): Json | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}
