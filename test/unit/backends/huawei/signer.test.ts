import * as assert from 'node:assert/strict';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { canonicalQuery, canonicalUri, sdkDate, sign } from '../../../../src/backends/huawei/signer';
import { ACCESS_KEY, TEMPORARY_KEY, useFakeOsm } from '../../../fakes/huawei/harness';
import type { AccessKey } from '../../../fakes/huawei/verifier';
import { send, signWithSdk } from '../../fakes/huawei/client';

describe('Huawei Cloud SDK-HMAC-SHA256 signer', () => {
  describe('the official vectors', () => {
    const base = { ak: 'AccessKey', sk: 'SecretKey', url: new URL('https://service.endpoint.myhuaweicloud.com/resources?size=1') };
    const headers = { 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' };

    it('vector 1: a GET with an empty body (underscore header not signed)', () => {
      const signed = sign({ ...base, method: 'GET', headers, body: '' });
      assert.equal(signed.canonicalRequest, 'GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      assert.equal(signed.authorization, 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842');
    });

    it('vector 2: a POST with a JSON body', () => {
      const signed = sign({ ...base, method: 'POST', headers, body: '{"name":"test","id":1}' });
      assert.match(signed.canonicalRequest, /\n8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c$/);
      assert.equal(signed.authorization, 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f');
    });

    it('vector 3: the documentation example with Content-Type', () => {
      const signed = sign({
        method: 'GET',
        url: new URL('https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0'),
        headers: { 'Content-Type': 'application/json', Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z' },
        body: '',
        ak: 'QTWAOYTTINDUT2QVKYUC',
        sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
      });
      assert.equal(signed.authorization, 'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe');
    });

    it('canonical query: sorted keys, one pair per array value, RFC 3986 encoding', () => {
      const pairs: Array<[string, string]> = [['limit', '1'], ['enable', 'true'], ['test', '一 (&=?!#%.*)'], ['path', '/tmp/123'], ['multi', '1'], ['multi', '2'], ['multi', '3']];
      assert.equal(canonicalQuery(pairs), 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29');
      assert.equal(canonicalUri('/v2/servicerequest/cases'), '/v2/servicerequest/cases/');
      assert.equal(sdkDate(new Date(Date.UTC(2020, 5, 8, 2, 39, 0, 123))), '20200608T023900Z');
    });
  });

  describe('fidelity: the official SDK signer and ours agree, and the fake accepts both', function () {
    this.timeout(20_000);
    const fake = useFakeOsm();
    interface Row {
      title: string;
      key: AccessKey;
      method: string;
      path: string;
      query?: Record<string, string | string[]>;
      body?: unknown;
    }
    const rows: Row[] = [
      { title: 'Chinese text in a JSON body', key: ACCESS_KEY, method: 'POST', path: '/v2/servicerequest/cases', body: { business_type_id: '0f1e2d3c4b5a49687766554433221101', simple_description: '变更 orders 表索引：ALTER TABLE 订单 “引号” & <tags> 🙂', source_id: '83aeb0f2834c4df49826c781d32a963e' } },
      { title: 'an array query parameter with Chinese and spaces', key: ACCESS_KEY, method: 'GET', path: '/v2/servicerequest/cases', query: { search_key: ['索引 慢', 'orders'], offset: '0', limit: '10' } },
      { title: 'an empty-body GET', key: ACCESS_KEY, method: 'GET', path: '/v2/servicerequest/config/regions' },
      { title: 'a path parameter and a query-string action', key: ACCESS_KEY, method: 'POST', path: '/v2/servicerequest/cases/{id}/action', query: { action_id: 'press' }, body: { operate_desc: '请尽快处理 (urgent!)' } },
      { title: 'a temporary key (STS) with its security token', key: TEMPORARY_KEY, method: 'GET', path: '/v2/servicerequest/config/severities', query: { product_category_id: 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21' } },
    ];

    for (const row of rows) {
      it(row.title, async () => {
        let path = row.path;
        if (path.includes('{id}')) {
          const created = await send(fake().url, await signWithSdk(fake().url, 'POST', '/v2/servicerequest/cases', { body: rows[0].body }));
          path = path.replace('{id}', created.json.incident_id);
        }
        const date = sdkDate(new Date());
        const pairs = Object.entries(row.query ?? {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]));
        const search = canonicalQuery(pairs);
        const body = row.body === undefined ? '' : JSON.stringify(row.body);
        const headers: Record<string, string> = { 'content-type': 'application/json', 'X-Sdk-Date': date, 'X-Domain-Id': row.key.domainId, ...(row.key.securityToken ? { 'X-Security-Token': row.key.securityToken } : {}) };
        const ours = sign({ method: row.method, url: new URL(`${fake().url}${path}${search ? `?${search}` : ''}`), headers, body, ak: row.key.ak, sk: row.key.sk }).authorization;

        const credentials = new GlobalCredentials().withAk(row.key.ak).withSk(row.key.sk).withDomainId(row.key.domainId);
        if (row.key.securityToken) credentials.withSecurityToken(row.key.securityToken);
        const sdk = await credentials.processAuthRequest(undefined as never, { endpoint: fake().url, url: path, method: row.method, headers: { 'content-type': 'application/json', 'X-Sdk-Date': date }, queryParams: row.query ?? {}, data: row.body } as never);
        assert.equal(ours, (sdk.headers as Record<string, string>).Authorization);

        const before = fake().requests.length;
        const mine = await send(fake().url, { method: row.method, path: `${path}${search ? `?${search}` : ''}`, headers: { ...headers, Authorization: ours }, body: Buffer.from(body, 'utf8') });
        const theirs = await send(fake().url, await signWithSdk(fake().url, row.method, path, { key: row.key, query: row.query, body: row.body }));
        assert.equal(mine.status, 200, JSON.stringify(mine.json));
        assert.equal(theirs.status, 200, JSON.stringify(theirs.json));
        assert.ok(fake().requests.slice(before).every((r) => r.verified));
      });
    }
  });
});
