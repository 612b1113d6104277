import * as assert from 'node:assert/strict';
import FormData from 'form-data';
import { GlobalCredentials, Region } from '@huaweicloud/huaweicloud-sdk-core';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import { useFakeOsm, ACCESS_KEY, TEMPORARY_KEY } from '../../../fakes/huawei/harness';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import type { AccessKey } from '../../../fakes/huawei/verifier';
import { call, caseBody, createCase } from './client';

/**
 * Requests made end to end by the official SDK (@huaweicloud/huaweicloud-sdk-core 3.1.211: its HcClient, credentials,
 * AKSKSigner and axios transport) reach the fake and verify; the same requests changed after signing are refused.
 */

interface SdkCall {
  method: string;
  url: string;
  queryParams?: Record<string, unknown>;
  pathParams?: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  contentType?: string;
}

function sdkClient(fake: FakeOsm, key: AccessKey, withDomainId: boolean): HcClient {
  const credentials = new GlobalCredentials().withAk(key.ak).withSk(key.sk).withIamEndpoint(fake.iamUrl);
  if (key.securityToken) credentials.withSecurityToken(key.securityToken);
  if (withDomainId) credentials.withDomainId(key.domainId);
  // What ClientBuilder.build() assembles, without its user-agent module (which needs a package the SDK does not declare).
  const region = new Region(`fake-${Math.random()}`, [fake.url]);
  return new HcClient(new DefaultHttpClient({ headers: {}, disableSslVerification: true }, region.endpoints)).withRegion(region).withCredential(credentials).withEndpoints(region.endpoints);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function sdkSend(client: HcClient, request: SdkCall): Promise<any> {
  return client.sendRequest({ queryParams: {}, pathParams: {}, headers: {}, contentType: 'application/json', ...request });
}

describe('Fake OSM: requests signed and sent by the official SDK', function () {
  this.timeout(20_000);
  const fake = useFakeOsm();

  const table: Array<{ title: string; key: AccessKey; withDomainId?: boolean; request: (fake: FakeOsm) => Promise<SdkCall>; check: (answer: Record<string, unknown>, fake: FakeOsm) => void }> = [
    {
      title: 'create a case with Chinese text in the body',
      key: ACCESS_KEY,
      request: async () => ({ method: 'POST', url: '/v2/servicerequest/cases', data: caseBody({ simple_description: '请执行：ALTER TABLE 订单 ADD INDEX idx_客户 (customer_id); -- “引号” & <tags> 🙂' }) }),
      check: (answer, fake) => assert.ok(fake.caseById(String(answer.incident_id))?.simple_description.includes('🙂')),
    },
    {
      title: 'list cases with an array query parameter and numbers',
      key: ACCESS_KEY,
      request: async (fake) => {
        await createCase(fake, { simple_description: 'orders 索引 slow query' });
        return { method: 'GET', url: '/v2/servicerequest/cases', queryParams: { search_key: ['orders', '索引'], status: 0, offset: 0, limit: 10 } };
      },
      check: (answer) => assert.equal(answer.total_count, 1),
    },
    {
      title: 'an empty-body GET',
      key: ACCESS_KEY,
      request: async () => ({ method: 'GET', url: '/v2/servicerequest/config/regions' }),
      check: (answer) => assert.ok(Array.isArray(answer.data_center_list)),
    },
    {
      title: 'path parameters and a query-string action',
      key: ACCESS_KEY,
      request: async (fake) => ({ method: 'POST', url: '/v2/servicerequest/cases/{case_id}/action', pathParams: { case_id: await createCase(fake) }, queryParams: { action_id: 'press' }, data: { operate_desc: '请尽快处理' } }),
      check: (answer) => assert.equal(answer.error_code, undefined),
    },
    {
      title: 'a DELETE with a JSON body',
      key: ACCESS_KEY,
      request: async (fake) => {
        const [a, b] = [await createCase(fake), await createCase(fake)];
        await call(fake.url, 'POST', `/v2/servicerequest/cases/${a}/relations`, { body: { related_id_list: [b] } });
        return { method: 'DELETE', url: '/v2/servicerequest/cases/{case_id}/relations', pathParams: { case_id: a }, data: { related_id: b } };
      },
      check: (answer) => assert.equal(answer.error_code, undefined),
    },
    {
      title: 'a temporary AK/SK with its security token',
      key: TEMPORARY_KEY,
      request: async (fake) => ({ method: 'GET', url: '/v2/servicerequest/cases/{case_id}', pathParams: { case_id: await createCase(fake) } }),
      check: (answer) => assert.equal((answer.incident_detail_info as { status: number }).status, 0),
    },
    {
      title: 'no domain id configured: the SDK asks IAM (/v3/auth/domains) first, then sends X-Domain-Id',
      key: ACCESS_KEY,
      withDomainId: false,
      request: async () => ({ method: 'GET', url: '/v2/servicerequest/config/severities', queryParams: { product_category_id: 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21' } }),
      check: (answer, fake) => {
        assert.equal((answer.severity_list as unknown[]).length, 3);
        assert.equal(fake.requestsOf('iamDomains').length, 1);
        assert.equal(fake.requestsOf('listSeverities')[0].headers['x-domain-id'], ACCESS_KEY.domainId);
      },
    },
    {
      title: 'a multipart attachment upload (UNSIGNED-PAYLOAD)',
      key: ACCESS_KEY,
      request: async () => {
        const form = new FormData();
        form.append('file', Buffer.from('慢查询日志\n'), { filename: 'slow.txt', contentType: 'text/plain' });
        form.append('form_data', JSON.stringify({ fileName: '慢查询.txt', accessoryFrom: 'incident', uploadType: 0 }));
        return { method: 'POST', url: '/v2/servicerequest/accessorys', data: form, contentType: 'multipart/form-data' };
      },
      check: (answer, fake) => {
        assert.equal(fake.attachments.items.get(String(answer.accessory_id))?.name, '慢查询.txt');
        assert.equal(fake.requestsOf('uploadAttachment')[0].seen.payload, 'unsigned');
      },
    },
  ];

  for (const row of table) {
    it(`verifies ${row.title}`, async () => {
      const request = await row.request(fake());
      const before = fake().requests.length;
      const answer = await sdkSend(sdkClient(fake(), row.key, row.withDomainId ?? true), request);
      row.check(answer, fake());
      const sent = fake().requests.slice(before);
      assert.ok(sent.length >= 1);
      for (const r of sent) assert.ok(r.verified && r.status === 200, `${r.method} ${r.path}: ${r.status} ${r.errorCode} ${r.refusal}`);
      assert.ok(fake().requests.every((r) => r.verified), 'every request verified');
    });
  }

  it('refuses SDK-signed requests changed after signing with 401 APIGW.0301', async () => {
    const body = caseBody({ simple_description: '中文描述 1' });
    const tampered = [
      await call(fake().url, 'POST', '/v2/servicerequest/cases', { body, tamper: (w) => (w.body = Buffer.from(w.body.toString('utf8').replace('描述 1', '描述 2'))) }),
      await call(fake().url, 'GET', '/v2/servicerequest/cases', { query: { search_key: ['a', 'b'], limit: 10 }, tamper: (w) => (w.path = w.path.replace('limit=10', 'limit=11')) }),
      await call(fake().url, 'GET', '/v2/servicerequest/cases', { query: { search_key: ['a', 'b'] }, tamper: (w) => (w.path = w.path.replace('search_key=b', 'search_key=c')) }),
      await call(fake().url, 'GET', '/v2/servicerequest/config/regions', { tamper: (w) => (w.path = '/v2/servicerequest/config/severities') }),
    ];
    for (const reply of tampered) {
      assert.equal(reply.status, 401);
      assert.equal(reply.json.error_code, 'APIGW.0301');
      assert.match(reply.json.error_msg, /verify aksk signature fail/);
      assert.equal(reply.json.request_id, reply.headers['x-request-id']);
    }
    assert.deepEqual(fake().requests.map((r) => r.refusal), ['signature', 'signature', 'signature', 'signature']);
    assert.equal(fake().cases.all.length, 0);
  });

  it('the untampered twin of each of those requests verifies', async () => {
    assert.equal((await call(fake().url, 'POST', '/v2/servicerequest/cases', { body: caseBody({ simple_description: '中文描述 1' }) })).status, 200);
    assert.equal((await call(fake().url, 'GET', '/v2/servicerequest/cases', { query: { search_key: ['a', 'b'], limit: 10 } })).status, 200);
    assert.ok(fake().requests.every((r) => r.verified));
  });
});
