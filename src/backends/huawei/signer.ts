import { createHash, createHmac } from 'node:crypto';

/** SDK-HMAC-SHA256, the request signature of Huawei Cloud's API Gateway (AK/SK authentication). */

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986: everything but A-Z a-z 0-9 - _ . ~ percent-encoded, byte by byte of the UTF-8 text. */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The canonical query: keys sorted, a repeated key once per value with its values sorted; also what is sent. */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  return [...grouped.keys()]
    .sort(byCodeUnit)
    .flatMap((key) => grouped.get(key)!.sort(byCodeUnit).map((value) => `${percentEncode(key)}=${percentEncode(value)}`))
    .join('&');
}

/** The path decoded, each segment encoded again, with a trailing slash (for the signature only). */
export function canonicalUri(path: string): string {
  const joined = path
    .split('/')
    .map((segment) => percentEncode(safeDecode(segment)))
    .join('/');
  return joined.endsWith('/') ? joined : `${joined}/`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface SignInput {
  method: string;
  /** The request URL with its query string exactly as sent. */
  url: URL;
  /** Every header to be sent but Host (which comes from the URL unless given); X-Sdk-Date must be among them. */
  headers: Readonly<Record<string, string>>;
  /** The body bytes exactly as sent; empty for none. */
  body: string | Buffer;
  ak: string;
  sk: string;
}

export interface Signed {
  authorization: string;
  canonicalRequest: string;
  signedHeaders: string;
}

/**
 * Signs a request: every header sent (lower-cased, sorted; names holding "_" are left out as the SDKs do, and a
 * multipart Content-Type), the canonical URI and query, and the body's SHA-256 (or X-Sdk-Content-Sha256 as given).
 */
export function sign(input: SignInput): Signed {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (lower.includes('_') || lower === 'authorization') continue;
    if (lower === 'content-type' && /^multipart\/form-data/i.test(value)) continue;
    headers.set(lower, value.trim());
  }
  if (!headers.has('host')) headers.set('host', input.url.host);
  const date = headers.get('x-sdk-date');
  if (!date) throw new Error('sign: the X-Sdk-Date header is missing');
  const names = [...headers.keys()].sort(byCodeUnit);
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((name) => `${name}:${headers.get(name)}\n`).join('');
  const query = input.url.search.replace(/^\?/, '');
  const pairs = query === '' ? [] : query.split('&').map((part): [string, string] => {
    const at = part.indexOf('=');
    return at < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, at)), safeDecode(part.slice(at + 1))];
  });
  const payloadHash = headers.get('x-sdk-content-sha256') ?? sha256(input.body);
  const canonicalRequest = [input.method.toUpperCase(), canonicalUri(input.url.pathname), canonicalQuery(pairs), canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const stringToSign = `${ALGORITHM}\n${date}\n${sha256(canonicalRequest)}`;
  const signature = createHmac('sha256', Buffer.from(input.sk, 'utf8')).update(stringToSign, 'utf8').digest('hex');
  return { authorization: `${ALGORITHM} Access=${input.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`, canonicalRequest, signedHeaders };
}
