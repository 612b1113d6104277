import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * SDK-HMAC-SHA256 as API Gateway checks it, rebuilt from the raw request that arrived (its own URI, query and header
 * canonicalisation, not a client's), so that a signer bug cannot hide behind a verifier sharing its code.
 */

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface AccessKey {
  ak: string;
  sk: string;
  /** Set for a temporary AK/SK: the request must then carry (and sign) this X-Security-Token. */
  securityToken?: string;
  domainId: string;
  userId?: string;
  userName?: string;
}

export interface RawRequest {
  method: string;
  /** The request target as received, e.g. "/v2/servicerequest/cases?limit=10". */
  target: string;
  /** Node's rawHeaders: name, value, name, value … */
  rawHeaders: string[];
  body: Buffer;
}

/** How the canonical URI was built: decoded then encoded once (spec, Python SDK), or the sent path encoded again (Node SDK). */
export type UriStyle = 'decoded' | 'as-sent';
/** Where the payload hash came from: the body, or the X-Sdk-Content-Sha256 header (UNSIGNED-PAYLOAD or a declared hash). */
export type PayloadStyle = 'hashed' | 'unsigned' | 'declared';

export type RefusalReason =
  | 'no-authorization'
  | 'malformed-authorization'
  | 'unknown-ak'
  | 'host-not-signed'
  | 'date-not-signed'
  | 'bad-date'
  | 'skew'
  | 'token-missing'
  | 'token-not-signed'
  | 'token-mismatch'
  | 'domain-mismatch'
  | 'signature';

export type SignatureVerdict =
  | { ok: true; key: AccessKey; signedHeaders: string[]; uriStyle: UriStyle; payload: PayloadStyle; time: Date; domainIdHeader: boolean }
  | { ok: false; reason: RefusalReason; message: string };

const unreserved = /^[A-Za-z0-9\-_.~]$/;

/** RFC 3986 encoding, one UTF-8 byte at a time (space → %20, `*` → %2A, `/` → %2F). */
export function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && unreserved.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits a raw query string into its (decoded) pairs, keeping repeats; "+" stays a plus sign. */
export function queryPairs(search: string): Array<[string, string]> {
  if (!search) return [];
  return search
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return [decode(at < 0 ? part : part.slice(0, at)), at < 0 ? '' : decode(part.slice(at + 1))];
    });
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Keys sorted, a repeated key once per value with the values sorted, each side RFC 3986-encoded. */
export function canonicalQuery(pairs: Array<[string, string]>): string {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  return [...grouped.keys()]
    .sort(byCodeUnit)
    .flatMap((k) => grouped.get(k)!.sort(byCodeUnit).map((v) => `${encode(k)}=${encode(v)}`))
    .join('&');
}

export function canonicalUri(path: string, style: UriStyle): string {
  const segments = style === 'decoded' ? decode(path).split('/') : path.split('/');
  const joined = segments.map(encode).join('/');
  return joined.endsWith('/') ? joined : `${joined}/`;
}

export function headerList(raw: string[]): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) list.push([raw[i].toLowerCase(), raw[i + 1]]);
  return list;
}

export function splitTarget(target: string): { path: string; search: string } {
  const at = target.indexOf('?');
  return at < 0 ? { path: target, search: '' } : { path: target.slice(0, at), search: target.slice(at + 1) };
}

/** The payload hash the gateway signs: X-Sdk-Content-Sha256 taken literally when sent, else the body's SHA-256. */
export function payloadHash(request: RawRequest): { hash: string; style: PayloadStyle } {
  const declared = headerList(request.rawHeaders).find(([n]) => n === 'x-sdk-content-sha256')?.[1];
  if (declared !== undefined) return { hash: declared, style: declared === 'UNSIGNED-PAYLOAD' ? 'unsigned' : 'declared' };
  return { hash: createHash('sha256').update(request.body).digest('hex'), style: 'hashed' };
}

/** The canonical request (spec §3 step 8) of what arrived, for the given signed header names. */
export function canonicalFromWire(request: RawRequest, signedNames: string[], style: UriStyle = 'decoded'): string {
  const { path, search } = splitTarget(request.target);
  const headers = headerList(request.rawHeaders);
  const block = signedNames.map((name) => `${name}:${headers.filter(([n]) => n === name).map(([, v]) => v.trim()).join(',')}\n`).join('');
  return [request.method, canonicalUri(path || '/', style), canonicalQuery(queryPairs(search)), block, signedNames.join(';'), payloadHash(request).hash].join('\n');
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

export function signature(sk: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(sk, 'utf8')).update(toSign, 'utf8').digest('hex');
}

/** Parses `YYYYMMDDTHHMMSSZ`. */
export function parseSdkDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})$/;

export interface VerifyOptions {
  keys: ReadonlyMap<string, AccessKey>;
  now: Date;
  /** Allowed clock difference either way; API Gateway allows 15 minutes. */
  skewMs: number;
}

const refuse = (reason: RefusalReason, message: string): SignatureVerdict => ({ ok: false, reason, message });

export function verifySignature(request: RawRequest, options: VerifyOptions): SignatureVerdict {
  const headers = headerList(request.rawHeaders);
  const header = (name: string) => headers.find(([n]) => n === name)?.[1];
  const authorization = header('authorization');
  if (!authorization) return refuse('no-authorization', 'Incorrect IAM authentication information: Authorization header not found');
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) return refuse('malformed-authorization', 'Incorrect IAM authentication information: Authorization format incorrect');
  const [, ak, signedList, given] = match;
  const key = options.keys.get(ak);
  if (!key) return refuse('unknown-ak', `Incorrect IAM authentication information: Get secretKey failed,ak:${ak},err:ak not exist`);
  const signedNames = signedList.split(';');
  if (!signedNames.includes('host')) return refuse('host-not-signed', 'Incorrect IAM authentication information: host is not in SignedHeaders');
  if (!signedNames.includes('x-sdk-date')) return refuse('date-not-signed', 'Incorrect IAM authentication information: x-sdk-date is not in SignedHeaders');
  const dateText = header('x-sdk-date') ?? '';
  const time = parseSdkDate(dateText.trim());
  if (!time) return refuse('bad-date', `Incorrect IAM authentication information: x-sdk-date format incorrect: ${dateText}`);
  if (Math.abs(time.getTime() - options.now.getTime()) > options.skewMs) {
    return refuse('skew', `Incorrect IAM authentication information: verify aksk signature fail, the request x-sdk-date ${dateText} differs from the server time by more than 15 minutes`);
  }
  if (key.securityToken !== undefined) {
    const token = header('x-security-token');
    if (!token) return refuse('token-missing', 'Incorrect IAM authentication information: X-Security-Token is required for a temporary AK');
    if (!signedNames.includes('x-security-token')) return refuse('token-not-signed', 'Incorrect IAM authentication information: x-security-token is not in SignedHeaders');
    if (token.trim() !== key.securityToken) return refuse('token-mismatch', 'Incorrect IAM authentication information: security token invalid or expired');
  }
  const payload = payloadHash(request).style;
  // Only the spec's URI canonicalisation and the Node SDK's differ, and only for paths holding a percent sign.
  const style = (['decoded', 'as-sent'] as const).find((s) => same(signature(key.sk, stringToSign(dateText.trim(), canonicalFromWire(request, signedNames, s))), given.toLowerCase()));
  if (!style) return refuse('signature', 'Incorrect IAM authentication information: verify aksk signature fail');
  const domainId = header('x-domain-id');
  if (domainId !== undefined && domainId.trim() !== key.domainId) return refuse('domain-mismatch', 'Incorrect IAM authentication information: the X-Domain-Id does not match the AK');
  return { ok: true, key, signedHeaders: signedNames, uriStyle: style, payload, time, domainIdHeader: domainId !== undefined };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
