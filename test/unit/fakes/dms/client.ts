import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import type { FakeDms } from '../../../fakes/dms/fakeDms';

/**
 * Raw calls to the fake, signed and sent by the official engine (@alicloud/openapi-core, which the DMS SDK wraps) as
 * the SDK sends them, so the fake is checked against the official signer rather than against the client's own.
 */

export interface CallOptions {
  query?: Record<string, string | number | boolean>;
  body?: Record<string, string | number | boolean>;
  method?: 'GET' | 'POST' | 'PUT';
  signature?: 'v3' | 'v1';
  accessKeyId?: string;
  accessKeySecret?: string;
}

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const secrets: Record<string, string> = { 'alice-ak': 'alice-secret-0123456789', 'bob-ak': 'bob-secret-0123456789', 'carol-ak': 'carol-secret-0123456789' };

/** Objects and arrays in `query`/`body` go as one JSON string, as the SDK's "json" style does. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

export async function call(fake: FakeDms, action: string, options: CallOptions = {}): Promise<Reply> {
  const accessKeyId = options.accessKeyId ?? 'alice-ak';
  const client = new OpenApi(
    new $OpenApiUtil.Config({
      accessKeyId,
      accessKeySecret: options.accessKeySecret ?? secrets[accessKeyId],
      endpoint: new URL(fake.url).host,
      protocol: 'HTTP',
      ...(options.signature === 'v1' ? { signatureAlgorithm: 'v2' } : {}),
    }),
  );
  const params = new $OpenApiUtil.Params({ action, version: '2018-11-01', protocol: 'HTTP', pathname: '/', method: options.method ?? 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(options.query ?? {}), body: options.body ? OpenApiUtil.parseToMap(options.body) : undefined });
  try {
    const response = await client.callApi(params, request, new $dara.RuntimeOptions({ autoretry: false, maxAttempts: 0 }));
    return { status: response.statusCode as number, json: response.body };
  } catch (error) {
    const e = error as { statusCode?: number; data?: unknown; message?: string };
    if (e.statusCode === undefined) throw error;
    return { status: e.statusCode, json: e.data };
  }
}

export const exportParam = (over: Record<string, unknown> = {}) => ({
  classify: 'weekly report',
  dbId: 1860,
  exeSQL: 'SELECT id FROM customers',
  logic: false,
  ignoreAffectRows: false,
  affectRows: 2,
  ignoreAffectRowsReason: '',
  ...over,
});

export const nddlParam = (over: Record<string, unknown> = {}) => ({ title: 'Add vip flag', description: 'ALTER TABLE customers ADD vip BOOLEAN', dbId: 1861, logic: false, relatedIds: [], ...over });

export const correctParam = (over: Record<string, unknown> = {}) => ({
  DbItemList: [{ DbId: 1860, Logic: false }],
  SqlType: 'TEXT',
  ExecSQL: 'UPDATE customers SET vip = 1 WHERE id = 1',
  EstimateAffectRows: 1,
  Classify: 'fix',
  ExecMode: 'COMMITOR',
  ...over,
});

/** Leaves out the keys whose value is undefined. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

export function createOrder(fake: FakeDms, pluginType: string, pluginParam: Record<string, unknown>, query: Record<string, string | number> = {}, options: CallOptions = {}): Promise<Reply> {
  return call(fake, 'CreateOrder', { ...options, query: { Comment: 'a ticket', PluginType: pluginType, ...query }, body: { PluginParam: json(defined(pluginParam)) } });
}

export function createCorrect(fake: FakeDms, param: Record<string, unknown>, query: Record<string, string | number> = {}, action = 'CreateDataCorrectOrder'): Promise<Reply> {
  return call(fake, action, { query: { Comment: 'a change', Param: json(defined(param)), ...query } });
}

/** A business refusal: HTTP 200, Success:false, the code (and message pattern). */
export function refused(reply: Reply, code: string, message?: RegExp): void {
  if (reply.status !== 200 || reply.json?.Success !== false || reply.json.ErrorCode !== code || (message && !message.test(reply.json.ErrorMessage))) {
    throw new Error(`expected HTTP 200 Success:false ${code}${message ? ` ${message}` : ''}, got HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
  }
}

/** A gateway-shaped refusal: HTTP status, body {RequestId, HostId, Code, Message, Recommend}. */
export function refusedByGateway(reply: Reply, status: number, code: string, message?: RegExp): void {
  const j = reply.json ?? {};
  const shaped = typeof j.RequestId === 'string' && typeof j.HostId === 'string' && typeof j.Recommend === 'string' && j.Success === undefined;
  if (reply.status !== status || !shaped || j.Code !== code || (message && !message.test(j.Message))) {
    throw new Error(`expected HTTP ${status} ${code}${message ? ` ${message}` : ''} in the gateway's shape, got HTTP ${reply.status} ${JSON.stringify(j)}`);
  }
}

export function accepted(reply: Reply): void {
  if (reply.status !== 200 || reply.json?.Success !== true) throw new Error(`expected success, got HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
}
