import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { RpcClient } from '../../../../src/backends/dms/rpcClient';
import type { Operation, Params } from '../../../../src/backends/dms/operations';
import { signatureV1 } from '../../../../src/backends/dms/signerV1';
import { authorizationV3 } from '../../../../src/backends/dms/signerV3';
import { createDispatcher } from '../../../../src/net/dispatcher';
import { HttpClient } from '../../../../src/net/httpClient';
import { canonicalFromWire, decodePairs, type RawRequest, verify } from '../../../fakes/dms/verifier';

/**
 * The same call made by the official engine (@alicloud/openapi-core, which the DMS SDK wraps) and by our client,
 * captured on a loopback server: both must pass the fake's verifier and agree on the canonical request, and our
 * signer must reproduce the official signature of the official request. So signer and verifier cannot share a bug
 * unnoticed.
 */

interface Captured extends RawRequest {
  headers: Record<string, string>;
}

const akId = 'fidelity-ak';
const akSecret = 'fidelity-secret-0123456789';
const stsToken = 'fidelity-sts-token';

class CaptureServer {
  readonly captured: Captured[] = [];
  private server?: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.captured.push({ method: req.method!, target: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks), headers: req.headers as Record<string, string> });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: 'CAPTURED', Success: true }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server!.close(() => r()));
  }
}

interface Case {
  action: Operation;
  query: Record<string, string>;
  body?: Record<string, string>;
}

const cases: Case[] = [
  { action: 'GetOrderBaseInfo', query: { OrderId: '12345', Tid: '3000' } },
  {
    action: 'CreateOrder',
    query: { Comment: "Export 'q' (1)*!~ 客户 a+b=c&d", PluginType: 'DATA_EXPORT', RelatedUserList: '101,102', Tid: '3000' },
    body: { PluginParam: JSON.stringify({ classify: 'weekly report', dbId: 1860, exeSQL: "SELECT * FROM t WHERE name = 'x y' -- 注释", logic: false, ignoreAffectRows: false, affectRows: 1 }) },
  },
  { action: 'ListOrders', query: { OrderResultType: 'AS_COMMITTER', OrderStatus: 'ALL', PageNumber: '1', PageSize: '10', SearchContent: '[db-tickets draft 1f]' } },
  { action: 'GetDataExportOrderDetail', query: {}, body: { OrderId: '777' } },
];

async function official(port: number, version: 'v3' | 'v1', sts: boolean, c: Case): Promise<void> {
  const client = new OpenApi(
    new $OpenApiUtil.Config({ accessKeyId: akId, accessKeySecret: akSecret, securityToken: sts ? stsToken : undefined, endpoint: `127.0.0.1:${port}`, protocol: 'HTTP', ...(version === 'v1' ? { signatureAlgorithm: 'v2' } : {}) }),
  );
  const params = new $OpenApiUtil.Params({ action: c.action, version: '2018-11-01', protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(c.query), body: c.body ? OpenApiUtil.parseToMap(c.body) : undefined });
  await client.callApi(params, request, new $dara.RuntimeOptions({}));
}

async function ours(port: number, version: 'v3' | 'v1', sts: boolean, c: Case, time: string, nonce: string): Promise<void> {
  const http = new HttpClient(createDispatcher());
  const client = new RpcClient({
    endpoint: new URL(`http://127.0.0.1:${port}`),
    profile: 'fidelity',
    signatureVersion: version,
    accessKey: async () => ({ accessKeyId: akId, accessKeySecret: akSecret, securityToken: sts ? stsToken : undefined, source: 'test' }),
    http,
    timeoutMs: 5_000,
    now: () => new Date(time),
    nonce: () => nonce,
  });
  await client.call(c.action, { ...c.query, ...(c.body ?? {}) } as Params);
  await http.close();
}

function verifies(request: RawRequest, time: string): void {
  const verdict = verify(request, { credentials: new Map([[akId, { secret: akSecret }], ['sts', { secret: 'x' }]]), now: new Date(time), skewMs: 60_000, seenNonce: () => false });
  assert.ok(verdict.ok, JSON.stringify(verdict));
}

function header(request: Captured, name: string): string {
  return request.headers[name] ?? '';
}

describe('Fidelity with the official engine (@alicloud/openapi-core)', function () {
  this.timeout(30_000);
  const server = new CaptureServer();
  before(() => server.start());
  after(() => server.stop());

  for (const sts of [false, true]) {
    for (const c of cases) {
      it(`V3 ${c.action}${sts ? ' with an STS token' : ''}: same canonical request, and our signer reproduces the official signature`, async () => {
        await official(server.port, 'v3', sts, c);
        const sdk = server.captured.at(-1)!;
        const time = header(sdk, 'x-acs-date');
        const nonce = header(sdk, 'x-acs-signature-nonce');
        verifiesSts(sdk, time, sts);
        await ours(server.port, 'v3', sts, c, time, nonce);
        const mine = server.captured.at(-1)!;
        verifiesSts(mine, time, sts);

        const signedBy = (r: Captured) => /SignedHeaders=([^,]*)/.exec(header(r, 'authorization'))![1].split(';');
        const sdkSigned = signedBy(sdk);
        const mineSigned = signedBy(mine);
        assert.deepEqual(sdkSigned.filter((h) => !mineSigned.includes(h)).filter((h) => h !== 'x-acs-credentials-provider'), []);
        assert.deepEqual(mineSigned.filter((h) => !sdkSigned.includes(h)), []);
        assert.equal(canonicalFromWire(mine, mineSigned), canonicalFromWire(sdk, mineSigned));
        assert.deepEqual(decodePairs(mine.body.toString()), decodePairs(sdk.body.toString()));

        // Our signer over the official request's own parts gives the official Authorization.
        const sdkQuery = Object.fromEntries(decodePairs(sdk.target.split('?')[1] ?? ''));
        const signedHeaders = Object.fromEntries(sdkSigned.map((name) => [name, header(sdk, name)]));
        assert.equal(authorizationV3({ method: 'POST', path: '/', query: sdkQuery, headers: signedHeaders, hashedPayload: header(sdk, 'x-acs-content-sha256') }, akId, akSecret), header(sdk, 'authorization'));
      });

      it(`V1 ${c.action}${sts ? ' with an STS token' : ''}: same parameters and the same signature`, async () => {
        await official(server.port, 'v1', sts, c);
        const sdk = server.captured.at(-1)!;
        const sdkQuery = decodePairs(sdk.target.split('?')[1]);
        const time = sdkQuery.get('Timestamp')!;
        verifiesSts(sdk, time, sts);
        await ours(server.port, 'v1', sts, c, time, sdkQuery.get('SignatureNonce')!);
        const mine = server.captured.at(-1)!;
        verifiesSts(mine, time, sts);
        const mineQuery = decodePairs(mine.target.split('?')[1]);
        assert.deepEqual(new Map([...mineQuery].sort()), new Map([...sdkQuery].sort()));
        assert.deepEqual(decodePairs(mine.body.toString()), decodePairs(sdk.body.toString()));
        const all = Object.fromEntries([...sdkQuery, ...decodePairs(sdk.body.toString())].filter(([k]) => k !== 'Signature'));
        assert.equal(signatureV1('POST', all, akSecret), sdkQuery.get('Signature'));
      });
    }
  }
});

function verifiesSts(request: RawRequest, time: string, sts: boolean): void {
  if (!sts) return verifies(request, time);
  const verdict = verify(request, { credentials: new Map([[akId, { secret: akSecret, securityToken: stsToken }]]), now: new Date(time), skewMs: 60_000, seenNonce: () => false });
  assert.ok(verdict.ok, JSON.stringify(verdict));
}
