import { DbTicketsError } from '../../core/errors';
import { type HttpClient, type HttpRequest, type HttpResponse, HttpStatusError } from '../../net/httpClient';
import { backoffMs, defaultRetryPolicy, type RetryPolicy, withRetries } from '../../net/retry';
import { TransportError } from '../../net/transportError';
import { type ErrorContext, errorOf, OsmRefusal, OsmUnreadable, toDbTicketsError } from './osmErrors';
import { canonicalQuery, sdkDate, sign } from './signer';

export type Query = Array<[string, string]>;

export interface CallOptions {
  /** What is being done, for messages, e.g. `listing cases`. */
  action: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  server?: 'osm' | 'iam';
  /** How the request is authenticated: the profile's way (default), not at all, or signed without X-Domain-Id. */
  auth?: 'profile' | 'none' | 'signedOnly';
  /** Extra headers (IAM's login Content-Type). */
  headers?: Record<string, string>;
  /** The answer is a file (an attachment's bytes), not JSON. */
  file?: boolean;
}

export interface Answer<T> {
  json: T;
  headers: Record<string, string>;
  status: number;
}

/** How requests are authenticated: AK/SK signing or an IAM token. */
export interface Authenticator {
  /** Adds the authentication headers to a request whose other headers and body are final. */
  authorize(request: HttpRequest, options: { withDomainId: boolean; signal?: AbortSignal }): Promise<void>;
  /** After a 401 the service gave `request`: new credentials (true) to send it once more, or false. */
  renew?(request: HttpRequest, signal?: AbortSignal): Promise<boolean>;
  /** Where the credentials came from, for messages. */
  readonly source: string;
}

export interface OsmClientOptions {
  osm: URL;
  iam: URL;
  profile: string;
  http: HttpClient;
  language: string;
  intl: boolean;
  timeoutMs?: number;
  retry?: RetryPolicy;
  log?: (line: string) => void;
}

/** "GMT+8", "GMT-3:30": the zone the service renders times in, this computer's. */
export function timeZoneHeader(offsetMinutes = -new Date().getTimezoneOffset()): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `GMT${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/** zh-cn for a Chinese display language, else en-us. */
export function languageHeader(language: string): 'zh-cn' | 'en-us' {
  return /^zh/i.test(language) ? 'zh-cn' : 'en-us';
}

/**
 * The ticket service's transport: JSON over HTTPS with the common headers, authenticated by the profile's
 * `Authenticator`. A 2xx body with an `error_code` is a failure. Reads are retried on a broken connection, a 5xx or
 * throttling; writes only when they certainly did not happen (no connection, throttled or refused at the gateway).
 */
export class OsmClient {
  private auth?: Authenticator;

  constructor(readonly options: OsmClientOptions) {}

  attach(auth: Authenticator): void {
    this.auth = auth;
  }

  get credentialSource(): string | undefined {
    return this.auth?.source;
  }

  async call<T>(method: HttpRequest['method'], path: string, options: CallOptions): Promise<T> {
    return (await this.exchange<T>(method, path, options)).json;
  }

  async exchange<T>(method: HttpRequest['method'], path: string, options: CallOptions): Promise<Answer<T>> {
    const write = method !== 'GET';
    const base = options.server === 'iam' ? this.options.iam : this.options.osm;
    const policy = this.options.retry ?? defaultRetryPolicy;
    try {
      return await withRetries(
        () => this.attempt<T>(method, base, path, options),
        (error, n) => {
          if (error instanceof TransportError) return error.failure !== 'cancelled' && (!write || !error.sent) ? backoffMs(n, policy) : undefined;
          if (error instanceof OsmRefusal && (error.status === 429 || error.code === 'APIGW.0308')) return error.retryAfterMs ?? backoffMs(n, policy);
          if (error instanceof OsmRefusal && !write && error.status >= 500) return backoffMs(n, policy);
          if (error instanceof OsmUnreadable && !write) return backoffMs(n, policy);
          return undefined;
        },
        policy,
        options.signal,
      );
    } catch (error) {
      if (options.signal?.aborted && !(error instanceof DbTicketsError)) {
        throw new DbTicketsError('cancelled', `${options.action.charAt(0).toUpperCase()}${options.action.slice(1)} was cancelled.`, { cause: error });
      }
      const context: ErrorContext = { action: options.action, profile: this.options.profile, endpoint: base.origin, credentialSource: this.auth?.source };
      throw toDbTicketsError(error, context, write);
    }
  }

  /**
   * Streams a file answer (an attachment's bytes) to `target` through the HTTP layer's download: a temporary file,
   * renamed when complete, so a failure leaves nothing under `target`. A JSON answer is the service's refusal, read
   * like any other; a 401 renews the credentials once. Not retried. Returns the bytes written.
   */
  async download(path: string, target: string, options: CallOptions & { onProgress?: (bytes: number, total: number | undefined) => void }): Promise<number> {
    const base = this.options.osm;
    const once = async (request: HttpRequest): Promise<number> => {
      const started = Date.now();
      try {
        const bytes = await this.options.http.download(request.url, target, {
          headers: request.headers,
          signal: options.signal,
          timeoutMs: this.options.timeoutMs ?? 20_000,
          onProgress: options.onProgress,
          notFile: (headers) => /\bjson\b/i.test(headers['content-type'] ?? ''),
        });
        this.options.log?.(`huawei GET ${new URL(request.url).pathname} → ${bytes} bytes in ${Date.now() - started} ms`);
        return bytes;
      } catch (error) {
        this.options.log?.(`huawei GET ${new URL(request.url).pathname} → ${(error as Error).message}`);
        if (!(error instanceof HttpStatusError)) throw error;
        this.read({ status: error.status, headers: error.headers, text: error.text }, { ...options, file: false });
        throw new OsmUnreadable(options.action, error.status, error.headers['x-request-id'] || undefined);
      }
    };
    try {
      const request = this.build('GET', base, path, options);
      await this.requireAuth().authorize(request, { withDomainId: true, signal: options.signal });
      try {
        return await once(request);
      } catch (error) {
        if (!(error instanceof OsmRefusal && error.status === 401 && this.auth?.renew)) throw error;
        const again = this.build('GET', base, path, options);
        again.headers = { ...request.headers };
        if (!(await this.auth.renew(again, options.signal))) throw error;
        return await once(again);
      }
    } catch (error) {
      if (options.signal?.aborted && !(error instanceof DbTicketsError)) {
        throw new DbTicketsError('cancelled', `${options.action.charAt(0).toUpperCase()}${options.action.slice(1)} was cancelled.`, { cause: error });
      }
      throw toDbTicketsError(error, { action: options.action, profile: this.options.profile, endpoint: base.origin, credentialSource: this.auth?.source }, false);
    }
  }

  private async attempt<T>(method: HttpRequest['method'], base: URL, path: string, options: CallOptions): Promise<Answer<T>> {
    const request = this.build(method, base, path, options);
    const authMode = options.auth ?? 'profile';
    if (authMode !== 'none') await this.requireAuth().authorize(request, { withDomainId: authMode === 'profile', signal: options.signal });
    let response = await this.send(request, options);
    if (response.status === 401 && authMode === 'profile' && this.auth?.renew) {
      const again = this.build(method, base, path, options);
      if (await this.auth.renew(again, options.signal)) response = await this.send(again, options);
    }
    return this.read<T>(response, options);
  }

  private build(method: HttpRequest['method'], base: URL, path: string, options: CallOptions): HttpRequest {
    const query = canonicalQuery(options.query ?? []);
    const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers };
    if (options.server !== 'iam') {
      headers['X-Language'] = languageHeader(this.options.language);
      headers['X-Time-Zone'] = timeZoneHeader();
      if (this.options.intl) headers['X-Site'] = '1';
    }
    return { method, url, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) };
  }

  private requireAuth(): Authenticator {
    if (!this.auth) throw new Error('OsmClient: no authenticator attached');
    return this.auth;
  }

  private async send(request: HttpRequest, options: CallOptions): Promise<HttpResponse> {
    const started = Date.now();
    try {
      const response = await this.options.http.send(request, { signal: options.signal, timeoutMs: this.options.timeoutMs ?? 20_000 });
      this.options.log?.(`huawei ${request.method} ${new URL(request.url).pathname} → ${response.status} in ${Date.now() - started} ms (X-Request-Id ${response.headers['x-request-id'] ?? '-'})`);
      return response;
    } catch (error) {
      this.options.log?.(`huawei ${request.method} ${new URL(request.url).pathname} → ${(error as Error).message}`);
      throw error;
    }
  }

  private read<T>(response: HttpResponse, options: CallOptions): Answer<T> {
    const requestId = response.headers['x-request-id'] || undefined;
    let json: unknown;
    let parsed = true;
    try {
      json = response.text === '' ? {} : JSON.parse(response.text);
    } catch {
      parsed = false;
    }
    const ok = response.status >= 200 && response.status < 300;
    if (ok) {
      // A 2xx with a non-empty error_code is a refusal (the service's business errors come with HTTP 200).
      const body = parsed && json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
      const code = body?.error_code ?? body?.errorCode;
      if (typeof code === 'string' && code !== '') throw new OsmRefusal(options.action, response.status, code, String(body?.error_msg ?? body?.errorMsg ?? ''), requestId);
      if (options.file) return { json: response.text as T, headers: response.headers, status: response.status };
      if (!body) throw new OsmUnreadable(options.action, response.status, requestId);
      return { json: body as T, headers: response.headers, status: response.status };
    }
    const error = parsed ? errorOf(json) : undefined;
    const retryAfter = Number(response.headers['retry-after']);
    throw new OsmRefusal(
      options.action,
      response.status,
      error?.code ?? `HTTP ${response.status}`,
      error?.message ?? response.text.slice(0, 300),
      requestId ?? (parsed ? (json as { request_id?: string }).request_id : undefined),
      Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter * 1000, 30_000) : undefined,
    );
  }
}

/** AK/SK signing: X-Sdk-Date, X-Security-Token for a temporary key, X-Domain-Id (looked up once when not given). */
export class AkSkAuthenticator implements Authenticator {
  private key?: Promise<AccessKeyPair>;
  private loaded?: AccessKeyPair;

  constructor(
    /** Reads the key (from the host's secrets or the environment) on first use. */
    private readonly loadKey: () => Promise<AccessKeyPair>,
    /** The account id, or a way to look it up (once; the caller memoizes). */
    private readonly domainId: (signal?: AbortSignal) => Promise<string | undefined>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get source(): string {
    return this.loaded?.source ?? 'the access key';
  }

  async authorize(request: HttpRequest, options: { withDomainId: boolean; signal?: AbortSignal }): Promise<void> {
    if (!this.key) {
      this.key = this.loadKey();
      this.key.catch(() => (this.key = undefined));
    }
    const key = (this.loaded = await this.key);
    if (options.withDomainId) {
      const domainId = await this.domainId(options.signal);
      if (domainId) request.headers['X-Domain-Id'] = domainId;
    }
    if (key.securityToken) request.headers['X-Security-Token'] = key.securityToken;
    request.headers['X-Sdk-Date'] = sdkDate(this.now());
    request.headers.Authorization = sign({ method: request.method, url: new URL(request.url), headers: request.headers, body: request.body ?? '', ak: key.ak, sk: key.sk }).authorization;
  }
}

export interface AccessKeyPair {
  ak: string;
  sk: string;
  securityToken?: string;
  source: string;
}
