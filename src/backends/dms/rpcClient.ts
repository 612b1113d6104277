import { randomUUID } from 'node:crypto';
import { DbTicketsError } from '../../core/errors';
import { type HttpClient, type HttpResponse } from '../../net/httpClient';
import { redact } from '../../net/redact';
import { backoffMs, defaultRetryPolicy, type RetryPolicy, withRetries } from '../../net/retry';
import { TransportError } from '../../net/transportError';
import type { AccessKey } from './credentials';
import { DmsRefusal, DmsUnreadableResponse, cleanServiceMessage, refusalError, transportFailure, unreadableError } from './dmsErrors';
import { type Operation, type Params, operations, placeParams } from './operations';
import { formBody, formEncode } from './percentEncode';
import { signatureV1 } from './signerV1';
import { authorizationV3, sha256Hex } from './signerV3';

export const apiVersion = '2018-11-01';

/** Every DMS response carries these; the payload fields sit beside them. */
export interface Envelope {
  RequestId?: string;
  Success?: boolean;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface RpcClientOptions {
  endpoint: URL;
  profile: string;
  signatureVersion: 'v3' | 'v1';
  accessKey: () => Promise<AccessKey>;
  http: HttpClient;
  timeoutMs: number;
  /** Sent with every call when set. */
  tid?: number;
  retry?: RetryPolicy;
  /** Longest wait DMS may ask for when it throttles before the call gives up. */
  maxThrottleWaitMs?: number;
  userAgent?: string;
  now?: () => Date;
  nonce?: () => string;
  random?: () => number;
  /** One line per attempt, secrets removed. */
  log?: (line: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * Calls DMS RPC operations: places parameters as the operation table says, signs each attempt afresh (new nonce
 * and time), and retries only what cannot do harm twice — reads after any failure, writes only when they were
 * refused before being carried out (no connection, throttling).
 */
export class RpcClient {
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RpcClientOptions) {
    this.retry = options.retry ?? defaultRetryPolicy;
  }

  async call<T extends object>(operation: Operation, params: Params = {}, call: CallOptions = {}): Promise<T & Envelope> {
    const key = await this.options.accessKey();
    const context = { action: operation, profile: this.options.profile, credentialSource: key.source };
    const safe = operations[operation].safe;
    try {
      return await withRetries(
        (attempt) => this.attempt<T>(operation, params, key, attempt, call.signal),
        (error, attempt) => this.retryDelay(error, attempt, safe),
        this.retry,
        call.signal,
      );
    } catch (error) {
      if (error instanceof DmsRefusal) throw refusalError(error, context);
      if (error instanceof DmsUnreadableResponse) throw unreadableError(error, context, !safe && (error.status < 400 || error.status >= 500));
      if (error instanceof TransportError) throw transportFailure(error, context, this.options.endpoint.origin, !safe && error.sent);
      if (call.signal?.aborted) throw new DbTicketsError('cancelled', `${operation} was cancelled.`, { cause: error });
      throw error;
    }
  }

  private retryDelay(error: unknown, attempt: number, safe: boolean): number | undefined {
    if (error instanceof DmsRefusal) {
      if (isThrottling(error)) {
        const asked = error.retryAfterMs;
        if (asked === undefined) return backoffMs(attempt, this.retry, this.options.random);
        return asked <= (this.options.maxThrottleWaitMs ?? 30_000) ? asked : undefined;
      }
      if (error.code === 'SignatureNonceUsed') return 0;
      return safe && error.status >= 500 ? backoffMs(attempt, this.retry, this.options.random) : undefined;
    }
    if (error instanceof TransportError) {
      if (error.failure === 'cancelled' || error.failure === 'tls') return undefined;
      return !error.sent || safe ? backoffMs(attempt, this.retry, this.options.random) : undefined;
    }
    if (error instanceof DmsUnreadableResponse) return safe ? backoffMs(attempt, this.retry, this.options.random) : undefined;
    return undefined;
  }

  private async attempt<T>(operation: Operation, params: Params, key: AccessKey, attempt: number, signal: AbortSignal | undefined): Promise<T & Envelope> {
    const { query, body } = placeParams(operation, this.options.tid === undefined || 'Tid' in params ? params : { ...params, Tid: this.options.tid });
    const request = this.options.signatureVersion === 'v1' ? this.signedV1(operation, query, body, key) : this.signedV3(operation, query, body, key);
    let response: HttpResponse;
    try {
      response = await this.options.http.send(request, { signal, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      this.log(`${operation} attempt ${attempt}: ${(error as Error).message}`, key);
      throw error;
    }
    const result = parseResponse<T>(operation, response, [key.accessKeySecret, key.securityToken]);
    this.log(`${operation} attempt ${attempt}: HTTP ${response.status} RequestId ${result.requestId ?? '-'}${result.refusal ? ` ${result.refusal.code}` : ''}`, key);
    if (result.refusal) throw result.refusal;
    return result.body!;
  }

  private signedV3(operation: Operation, query: Record<string, string>, body: Record<string, string>, key: AccessKey) {
    const { endpoint } = this.options;
    const payload = Object.keys(body).length > 0 ? formBody(body) : '';
    const headers: Record<string, string> = {
      host: endpoint.host,
      'x-acs-action': operation,
      'x-acs-version': apiVersion,
      'x-acs-date': this.timestamp(),
      'x-acs-signature-nonce': this.nonce(),
      'x-acs-content-sha256': sha256Hex(payload),
      accept: 'application/json',
      'user-agent': this.userAgent(),
    };
    if (payload) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (key.securityToken) {
      headers['x-acs-accesskey-id'] = key.accessKeyId;
      headers['x-acs-security-token'] = key.securityToken;
    }
    headers.authorization = authorizationV3({ method: 'POST', path: '/', query, headers, hashedPayload: headers['x-acs-content-sha256'] }, key.accessKeyId, key.accessKeySecret);
    const search = formEncode(query);
    return { method: 'POST' as const, url: `${endpoint.origin}/${search ? `?${search}` : ''}`, headers, body: payload || undefined };
  }

  private signedV1(operation: Operation, query: Record<string, string>, body: Record<string, string>, key: AccessKey) {
    const common: Record<string, string> = {
      Action: operation,
      Version: apiVersion,
      Format: 'json',
      AccessKeyId: key.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: this.nonce(),
      Timestamp: this.timestamp(),
      ...(key.securityToken ? { SecurityToken: key.securityToken } : {}),
    };
    const signedQuery = { ...common, ...query };
    const signature = signatureV1('POST', { ...signedQuery, ...body }, key.accessKeySecret);
    const payload = Object.keys(body).length > 0 ? formBody(body) : '';
    const headers: Record<string, string> = { 'user-agent': this.userAgent() };
    if (payload) headers['content-type'] = 'application/x-www-form-urlencoded';
    return { method: 'POST' as const, url: `${this.options.endpoint.origin}/?${formEncode({ ...signedQuery, Signature: signature })}`, headers, body: payload || undefined };
  }

  private timestamp(): string {
    return (this.options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private nonce(): string {
    return this.options.nonce?.() ?? randomUUID().replace(/-/g, '');
  }

  private userAgent(): string {
    return this.options.userAgent ?? 'db-tickets';
  }

  private log(line: string, key: AccessKey): void {
    this.options.log?.(redact(`DMS ${line}`, [key.accessKeySecret, key.securityToken]));
  }
}

function isThrottling(refusal: DmsRefusal): boolean {
  return refusal.status === 429 || refusal.code.toLowerCase().startsWith('throttling') || refusal.retryAfterMs !== undefined;
}

/** Reads both error shapes: HTTP 4xx/5xx with `Code`/`Message`, and HTTP 200 with `Success:false`. */
function parseResponse<T>(operation: string, response: HttpResponse, secrets: ReadonlyArray<string | undefined>): { body?: T & Envelope; refusal?: DmsRefusal; requestId?: string } {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const requestId = str(json?.RequestId) ?? str(json?.requestId) ?? response.headers['x-acs-request-id'];
  const retryAfter = Number(response.headers['x-acs-retry-after']);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers['x-acs-retry-after'] !== undefined ? retryAfter : undefined;
  if (!json) {
    if (retryAfterMs !== undefined || response.status === 429) return { refusal: new DmsRefusal(operation, response.status, 'Throttling', '', requestId, retryAfterMs), requestId };
    throw new DmsUnreadableResponse(operation, response.status, requestId);
  }
  if (response.status >= 400 || json.Success === false) {
    const code = str(json.Code) ?? str(json.code) ?? str(json.ErrorCode) ?? String(response.status);
    const message = cleanServiceMessage(str(json.Message) ?? str(json.message) ?? str(json.ErrorMessage) ?? '', secrets);
    return { refusal: new DmsRefusal(operation, response.status, code, message, requestId, retryAfterMs), requestId };
  }
  return { body: json as T & Envelope, requestId };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}
