import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { stringify } from 'node:querystring';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { ACCESS_KEY, IAM_USER } from '../../../fakes/huawei/harness';
import type { IamUser } from '../../../fakes/huawei/iam';
import type { AccessKey } from '../../../fakes/huawei/verifier';

/**
 * A test client for the fake: signs with the official SDK's credentials (GlobalCredentials → AKSKSigner, which add
 * X-Domain-Id, X-Security-Token and X-Sdk-Content-Sha256 as the SDK does), puts the query on the wire as the SDK's
 * HTTP client does (querystring), and can tamper with the request after signing.
 */

export type QueryValue = string | number | boolean | Array<string | number>;

export interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface CallOptions {
  query?: Record<string, QueryValue>;
  /** A JSON body, serialised once (the bytes hashed are the bytes sent). */
  body?: unknown;
  /** A non-JSON body (multipart): sent with X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD. */
  raw?: { data: Buffer; contentType: string };
  /** The AK/SK to sign with (default the seeded permanent key); null sends the request unsigned. */
  key?: AccessKey | null;
  /** Send X-Domain-Id (default true). */
  domainId?: boolean;
  /** Authenticate with this IAM token instead of a signature. */
  token?: string;
  headers?: Record<string, string>;
  /** Changes the request after it was signed. */
  tamper?: (wire: Wire) => void;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  buffer: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function signWithSdk(base: string, method: string, path: string, options: CallOptions): Promise<Wire> {
  const query = options.query ?? {};
  const search = stringify(query);
  const headers: Record<string, string> = { 'content-type': options.raw?.contentType ?? 'application/json', ...options.headers };
  const body = options.raw ? options.raw.data : options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body), 'utf8');
  const wire: Wire = { method, path: search ? `${path}?${search}` : path, headers, body };
  if (options.token !== undefined) wire.headers['X-Auth-Token'] = options.token;
  const key = options.key === undefined ? ACCESS_KEY : options.key;
  if (options.token === undefined && key) {
    const credentials = new GlobalCredentials().withAk(key.ak).withSk(key.sk);
    if (key.securityToken) credentials.withSecurityToken(key.securityToken);
    if (options.domainId !== false) credentials.withDomainId(key.domainId);
    // The SDK hashes JSON.stringify(data): hand it the parsed body so that it hashes the bytes we send.
    const signed = await credentials.processAuthRequest(undefined as never, { endpoint: base, url: path, method, headers: { ...headers }, queryParams: query, data: options.raw ? undefined : options.body });
    wire.headers = signed.headers as Record<string, string>;
  }
  return wire;
}

export function send(base: string, wire: Wire): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: wire.method, path: wire.path, headers: { ...wire.headers, 'content-length': String(wire.body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        let json: unknown;
        try {
          json = JSON.parse(buffer.toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, buffer, json });
      });
    });
    req.on('error', reject);
    req.end(wire.body);
  });
}

export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const wire = await signWithSdk(base, method, path, options);
  options.tamper?.(wire);
  return send(base, wire);
}

/** The fake's OSM API at `/v2/servicerequest`. */
export function osm(fake: FakeOsm, defaults: CallOptions = {}) {
  const at = (method: string) => (path: string, options: CallOptions = {}) => call(fake.url, method, `/v2/servicerequest${path}`, { ...defaults, ...options });
  return { get: at('GET'), post: at('POST'), put: at('PUT'), delete: at('DELETE') };
}

export function loginBody(user: Pick<IamUser, 'domainName' | 'userName' | 'password'> = IAM_USER, scope: unknown = { domain: { name: user.domainName } }) {
  return { auth: { identity: { methods: ['password'], password: { user: { name: user.userName, password: user.password, domain: { name: user.domainName } } } }, scope } };
}

export async function login(fake: FakeOsm, user = IAM_USER): Promise<{ token: string; reply: Reply }> {
  const reply = await call(fake.iamUrl, 'POST', '/v3/auth/tokens', { key: null, body: loginBody(user), headers: { 'content-type': 'application/json;charset=utf8' } });
  return { token: String(reply.headers['x-subject-token'] ?? ''), reply };
}

/** A valid create-case body for the seeded RDS consultation problem type. */
export function caseBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    business_type_id: '0f1e2d3c4b5a49687766554433221101',
    simple_description: '[db-tickets] 变更 orders 表索引 (SQL change)',
    source_id: '83aeb0f2834c4df49826c781d32a963e',
    product_category_id: 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21',
    severity_id: 'sev-2',
    remind_time: '0',
    ...overrides,
  };
}

export async function createCase(fake: FakeOsm, overrides: Record<string, unknown> = {}): Promise<string> {
  const reply = await osm(fake).post('/cases', { body: caseBody(overrides) });
  if (reply.status !== 200 || typeof reply.json?.incident_id !== 'string') throw new Error(`create failed: ${reply.status} ${reply.buffer.toString()}`);
  return reply.json.incident_id;
}
