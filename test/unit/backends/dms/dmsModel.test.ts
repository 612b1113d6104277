import * as assert from 'node:assert/strict';
import { DmsProfile, endpointOf } from '../../../../src/backends/dms/dmsProfile';
import { kindOfPlugin, orderStatus, precheckState } from '../../../../src/backends/dms/dmsStatus';
import { createdOrderIds, splitComment } from '../../../../src/backends/dms/dmsDraft';
import { openBackend } from '../../../../src/backends/openBackend';
import { statusLabel } from '../../../../src/core/model/ticketStatus';

const profile = (over: Record<string, unknown>) => DmsProfile.parse({ name: 'p', backend: 'dms', ...over });

describe('DMS statuses and ticket types', () => {
  it('maps every documented StatusCode, whatever its case, keeping the native value', () => {
    const expected: Record<string, string> = { new: 'prechecking', toaudit: 'pending_approval', approved: 'approved', processing: 'executing', success: 'succeeded', fail: 'failed', reject: 'rejected', cancel: 'cancelled', closed: 'cancelled' };
    for (const [native, state] of Object.entries(expected)) {
      assert.deepEqual(orderStatus(native), { state, native });
      assert.deepEqual(orderStatus(native.toUpperCase()), { state, native: native.toUpperCase() });
    }
    assert.equal(orderStatus('Approved').state, 'approved');
  });

  it('shows an unknown status as such instead of failing', () => {
    const status = orderStatus('waiting_schedule');
    assert.deepEqual(status, { state: 'unknown', native: 'waiting_schedule' });
    assert.equal(statusLabel(status), 'unknown (waiting_schedule)');
  });

  it('reads prechecks from both detail calls, in either documented spelling', () => {
    assert.equal(precheckState('precheck_fail'), 'failed');
    assert.equal(precheckState('precheckFailed'), 'failed');
    assert.equal(precheckState('PRE_CHECK_FAIL'), 'failed');
    assert.equal(precheckState('PRE_CHECKING'), 'running');
    assert.equal(precheckState('precheck'), 'running');
    assert.equal(precheckState('PRE_CHECK_SUCCESS'), 'passed');
    assert.equal(precheckState('precheck_success'), 'passed');
    assert.equal(precheckState(undefined), undefined);
  });

  it('knows our kinds among the plugin types and leaves others without one', () => {
    assert.equal(kindOfPlugin('DATA_EXPORT'), 'DATA_EXPORT');
    assert.equal(kindOfPlugin('nddl'), 'SCHEMA_CHANGE');
    assert.equal(kindOfPlugin('DC_COMMON'), 'DATA_CHANGE');
    assert.equal(kindOfPlugin('PERM_APPLY'), null);
  });

  it('reads ticket ids from the three create-response shapes', () => {
    assert.deepEqual(createdOrderIds({ CreateOrderResult: [7] }), ['7']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { OrderIds: [8] } }), ['8']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { CreateOrderResult: [9] } }), ['9']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { OrderIds: 12345 } }), ['12345']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { OrderIds: '12345' } }), ['12345']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: 77 }), ['77']);
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { OrderIds: '12***' } }), [], 'a masked sample id is no id');
    assert.deepEqual(createdOrderIds({ CreateOrderResult: { OrderIds: [0] } }), [], 'the sample placeholder 0 is no id');
    assert.deepEqual(createdOrderIds({}), []);
  });

  it('takes title and reason from a Comment, dropping the draft marker', () => {
    assert.deepEqual(splitComment('Export x\nfor the report\n[db-tickets draft 1f-2]'), { title: 'Export x', reason: 'for the report' });
    assert.deepEqual(splitComment('made in the console'), { title: 'made in the console', reason: undefined });
  });
});

describe('DMS profile', () => {
  it('builds the public, VPC and custom endpoints', () => {
    assert.equal(endpointOf(profile({ region: 'cn-hangzhou' })).origin, 'https://dms-enterprise.cn-hangzhou.aliyuncs.com');
    assert.equal(endpointOf(profile({ region: 'ap-southeast-1', vpc: true })).origin, 'https://dms-enterprise-vpc.ap-southeast-1.aliyuncs.com');
    assert.equal(endpointOf(profile({ endpoint: 'dms-enterprise.aliyuncs.com' })).origin, 'https://dms-enterprise.aliyuncs.com');
    assert.throws(() => endpointOf(profile({ endpoint: 'http://dms.example.com' })), /plain HTTP, which would expose your requests: use https:\/\//);
    assert.throws(() => endpointOf(profile({ endpoint: 'https://dms.example.com/api' })), /has a path or query/);
  });

  it('takes regionId as another name for region, and ALIBABA_CLOUD_REGION_ID when the profile gives neither', () => {
    assert.equal(endpointOf(profile({ regionId: 'cn-shanghai' })).origin, 'https://dms-enterprise.cn-shanghai.aliyuncs.com');
    assert.equal(endpointOf(profile({}), { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }).origin, 'https://dms-enterprise.cn-beijing.aliyuncs.com');
    assert.equal(endpointOf(profile({ region: 'cn-shenzhen' }), { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }).origin, 'https://dms-enterprise.cn-shenzhen.aliyuncs.com', 'the profile wins over the environment');
    assert.throws(() => endpointOf(profile({}), { ALIBABA_CLOUD_REGION_ID: 'Beijing' }), /ALIBABA_CLOUD_REGION_ID is "Beijing", not a region id/);
    assert.throws(() => endpointOf(profile({}), {}), /region is missing/);
  });

  it('opening a profile with a bad field is a config error naming the field and the fix', async () => {
    const host = { storeDir: '', demoDir: '', actor: 'a', connections: () => [], passwords: async () => undefined, secret: async () => undefined, env: {}, language: 'en' };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /^Profile "p": region is missing: give the DMS region in the profile, e\.g\. "region": "cn-hangzhou" \(or set ALIBABA_CLOUD_REGION_ID\), or a custom endpoint\.$/],
      [{ region: 'cn-hangzhou', regionId: 'cn-beijing' }, /regionId: region and regionId name different regions/],
      [{ regionId: 'hangzhou' }, /regionId: regionId must be a region id such as cn-hangzhou\./],
      [{ region: 'Hangzhou' }, /region: region must be a region id such as cn-hangzhou\./],
      [{ region: 'cn-hangzhou', signatureVersion: 'v2' }, /signatureVersion must be "v3"/],
      [{ region: 'cn-hangzhou', consoleUrl: 'https://dms.aliyun.com/' }, /consoleUrl must contain \{id\}/],
      [{ region: 'cn-hangzhou', schemaChangeAs: 'STRUCT_SYNC' }, /schemaChangeAs must be "NDDL"/],
      [{ region: 'cn-hangzhou', tid: 'acme' }, /tid must be the DMS tenant id/],
      [{ region: 'cn-hangzhou', timeoutMs: 10 }, /timeoutMs must be a whole number of milliseconds, 1000 or more\./],
      [{ endpoint: 'http://dms.example.com' }, /^Profile "p": endpoint http:\/\/dms\.example\.com uses plain HTTP/],
    ];
    for (const [over, pattern] of cases) {
      await assert.rejects(openBackend({ name: 'p', backend: 'dms', ...over }, host), (e: Error & { kind?: string }) => e.kind === 'config' && pattern.test(e.message));
    }
    const opened = await openBackend({ name: 'p', backend: 'dms', region: 'cn-hangzhou', consoleUrl: 'https://dms.aliyun.com/?orderId={id}' }, host);
    assert.equal(opened.capabilities.webConsole, true);
    await opened.dispose();
  });
});
