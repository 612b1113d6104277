import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The fake's own signature verifier, written apart from the client's signer (byte-wise encoder, its own parsing of
 * the raw request), so that a bug shared by signer and verifier is unlikely.
 */

export interface Credential {
  secret: string;
  securityToken?: string;
}

export interface RawRequest {
  method: string;
  /** The request target as received, e.g. "/?A=1&B=2". */
  target: string;
  /** Node's rawHeaders: name, value, name, value … */
  rawHeaders: string[];
  body: Buffer;
}

export type Verdict =
  | { ok: true; accessKeyId: string; version: 'v3' | 'v1'; action: string; query: Map<string, string>; body: Map<string, string>; nonce: string; time: Date }
  | { ok: false; status: number; code: string; message: string };

const unreserved = /[A-Za-z0-9\-_.~]/;

/** RFC 3986 encoding, one UTF-8 byte at a time. */
export function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && unreserved.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes `a=b&c=d` (no "+" as space: the signers never send it). */
export function decodePairs(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const key = decodeURIComponent(at < 0 ? part : part.slice(0, at));
    pairs.set(key, at < 0 ? '' : decodeURIComponent(part.slice(at + 1)));
  }
  return pairs;
}

function sortedPairs(params: Map<string, string>): string {
  const keys = [...params.keys()];
  keys.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0));
  return keys.map((k) => `${encode(k)}=${encode(params.get(k)!)}`).join('&');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function headerList(raw: string[]): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) list.push([raw[i].toLowerCase(), raw[i + 1]]);
  return list;
}

const fail = (status: number, code: string, message: string): Verdict => ({ ok: false, status, code, message });

/** The canonical request of a V3 call as the service rebuilds it from what arrived. */
export function canonicalFromWire(request: RawRequest, signedNames: string[]): string {
  const [path, search = ''] = request.target.split(/\?(.*)/s);
  const headers = headerList(request.rawHeaders);
  const lines = signedNames.map((name) => {
    const values = headers.filter(([n]) => n === name).map(([, v]) => v.trim());
    values.sort();
    return `${name}:${values.join(',')}\n`;
  });
  const payloadHash = headers.find(([n]) => n === 'x-acs-content-sha256')?.[1] ?? '';
  return [request.method, path || '/', sortedPairs(decodePairs(search)), lines.join(''), signedNames.join(';'), payloadHash].join('\n');
}

export interface VerifyOptions {
  credentials: ReadonlyMap<string, Credential>;
  now: Date;
  /** Allowed clock difference; the service allows 15 minutes. */
  skewMs: number;
  seenNonce: (nonce: string) => boolean;
}

export function verify(request: RawRequest, options: VerifyOptions): Verdict {
  const headers = headerList(request.rawHeaders);
  const header = (name: string) => headers.find(([n]) => n === name)?.[1];
  const [, search = ''] = request.target.split(/\?(.*)/s);
  const query = decodePairs(search);
  const body = (header('content-type') ?? '').startsWith('application/x-www-form-urlencoded') ? decodePairs(request.body.toString('utf8')) : new Map<string, string>();
  const authorization = header('authorization');
  if (authorization) return verifyV3(request, authorization, header, query, body, options);
  if (query.has('Signature')) return verifyV1(request, query, body, options);
  return fail(400, 'MissingSignature', 'The request is not signed.');
}

function checkTimeAndNonce(timeText: string | undefined, nonce: string | undefined, options: VerifyOptions): Verdict | Date {
  if (!timeText || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timeText)) return fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  const time = new Date(timeText);
  if (Math.abs(time.getTime() - options.now.getTime()) > options.skewMs) return fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  if (!nonce) return fail(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
  if (options.seenNonce(nonce)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  return time;
}

function verifyV3(
  request: RawRequest,
  authorization: string,
  header: (name: string) => string | undefined,
  query: Map<string, string>,
  body: Map<string, string>,
  options: VerifyOptions,
): Verdict {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return fail(400, 'IncompleteSignature', 'The Authorization header is malformed.');
  const [, accessKeyId, signedList, signature] = match;
  const credential = options.credentials.get(accessKeyId);
  if (!credential) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const signedNames = signedList.split(';');
  for (const required of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!signedNames.includes(required)) return fail(400, 'IncompleteSignature', `Header ${required} is not signed.`);
  }
  if (request.body.length > 0 && !signedNames.includes('content-type')) return fail(400, 'IncompleteSignature', 'Header content-type is not signed.');
  if (createHash('sha256').update(request.body).digest('hex') !== header('x-acs-content-sha256')) return fail(400, 'SignatureDoesNotMatch', 'The body does not match x-acs-content-sha256.');
  const token = checkToken(credential, header('x-acs-security-token'), signedNames.includes('x-acs-security-token'));
  if (token) return token;
  const canonical = canonicalFromWire(request, signedNames);
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const expected = createHmac('sha256', credential.secret).update(stringToSign).digest('hex');
  if (!same(expected, signature)) return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
  const time = checkTimeAndNonce(header('x-acs-date'), header('x-acs-signature-nonce'), options);
  if (!(time instanceof Date)) return time;
  if (header('x-acs-version') !== '2018-11-01') return fail(400, 'NoSuchVersion', 'Specified API version is not supported.');
  return { ok: true, accessKeyId, version: 'v3', action: header('x-acs-action') ?? '', query, body, nonce: header('x-acs-signature-nonce')!, time };
}

function verifyV1(request: RawRequest, query: Map<string, string>, body: Map<string, string>, options: VerifyOptions): Verdict {
  const accessKeyId = query.get('AccessKeyId') ?? '';
  const credential = options.credentials.get(accessKeyId);
  if (!credential) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  if (query.get('SignatureMethod') !== 'HMAC-SHA1' || query.get('SignatureVersion') !== '1.0') return fail(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.');
  const token = checkToken(credential, query.get('SecurityToken'), true);
  if (token) return token;
  const signed = new Map([...query, ...body]);
  const signature = signed.get('Signature')!;
  signed.delete('Signature');
  const stringToSign = `${request.method}&${encode('/')}&${encode(sortedPairs(signed))}`;
  const expected = createHmac('sha1', `${credential.secret}&`).update(stringToSign).digest('base64');
  // Like the real service, the V1 answer echoes its string to sign (which holds the STS token, if any).
  if (!same(expected, signature)) return fail(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
  const time = checkTimeAndNonce(query.get('Timestamp'), query.get('SignatureNonce'), options);
  if (!(time instanceof Date)) return time;
  if (query.get('Version') !== '2018-11-01') return fail(400, 'NoSuchVersion', 'Specified API version is not supported.');
  const common = ['Action', 'Version', 'Format', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Signature', 'SecurityToken'];
  const params = new Map([...query].filter(([k]) => !common.includes(k)));
  return { ok: true, accessKeyId, version: 'v1', action: query.get('Action') ?? '', query: params, body, nonce: query.get('SignatureNonce')!, time };
}

function checkToken(credential: Credential, token: string | undefined, signed: boolean): Verdict | undefined {
  if (credential.securityToken === undefined) return undefined;
  if (!token) return fail(400, 'InvalidSecurityToken.MissingToken', 'The STS token is missing.');
  if (!signed) return fail(400, 'IncompleteSignature', 'The security token is not signed.');
  if (token !== credential.securityToken) return fail(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  return undefined;
}
