import { createHash, createHmac } from 'node:crypto';
import { canonicalQuery } from './percentEncode';

/** The pieces of a request that the ACS3-HMAC-SHA256 signature covers. */
export interface V3Request {
  method: string;
  /** "/" for RPC APIs. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Header names in any case; `host`, `content-type` and every `x-acs-*` header are signed. */
  headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body bytes (of "" when there is none). */
  hashedPayload: string;
}

export const v3Algorithm = 'ACS3-HMAC-SHA256';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function signedHeaderValues(headers: Readonly<Record<string, string>>): Map<string, string[]> {
  const signed = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'host' && lower !== 'content-type' && !lower.startsWith('x-acs-')) continue;
    signed.set(lower, [...(signed.get(lower) ?? []), (value ?? '').trim()]);
  }
  return signed;
}

/** The names of the signed headers, sorted and joined by ";". */
export function signedHeaderNames(headers: Readonly<Record<string, string>>): string {
  return [...signedHeaderValues(headers).keys()].sort().join(';');
}

export function canonicalRequestV3(request: V3Request): string {
  const values = signedHeaderValues(request.headers);
  const names = [...values.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${values.get(name)!.sort().join(',')}\n`).join('');
  return [request.method, request.path, canonicalQuery(request.query), canonicalHeaders, names.join(';'), request.hashedPayload].join('\n');
}

export function stringToSignV3(request: V3Request): string {
  return `${v3Algorithm}\n${sha256Hex(canonicalRequestV3(request))}`;
}

/** The `Authorization` header value. */
export function authorizationV3(request: V3Request, accessKeyId: string, accessKeySecret: string): string {
  const signature = createHmac('sha256', accessKeySecret).update(stringToSignV3(request), 'utf8').digest('hex');
  return `${v3Algorithm} Credential=${accessKeyId},SignedHeaders=${signedHeaderNames(request.headers)},Signature=${signature}`;
}
