import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DbTicketsError } from '../../../../src/core/errors';
import { RpcClient } from '../../../../src/backends/dms/rpcClient';
import { HttpClient } from '../../../../src/net/httpClient';
import { createDispatcher } from '../../../../src/net/dispatcher';
import type { FakeDms } from '../../../fakes/dms/fakeDms';
import { useFakeDms } from '../../../fakes/dms/harness';

const secret = 'alice-secret-0123456789';

/** A message must never carry the secret, an STS token or a signature. */
function assertClean(error: unknown): void {
  const text = `${(error as Error).message} ${String((error as Error).cause)}`;
  assert.ok(!text.includes(secret), text);
  assert.ok(!text.includes('sts-token-secret'), text);
  assert.ok(!/Signature=/.test(text), text);
}

function clientOn(fake: FakeDms, over: Partial<ConstructorParameters<typeof RpcClient>[0]> = {}): RpcClient {
  return new RpcClient({
    endpoint: new URL(fake.url),
    profile: 'dms-test',
    signatureVersion: 'v3',
    accessKey: async () => ({ accessKeyId: 'alice-ak', accessKeySecret: secret, source: 'environment variables' }),
    http: new HttpClient(createDispatcher()),
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...over,
  });
}

describe('DMS transport against the fake DMS', () => {
  const dms = useFakeDms();
  const { open } = dms;
  let fake: FakeDms;
  beforeEach(() => {
    fake = dms.fake();
  });

  for (const signatureVersion of ['v3', 'v1'] as const) {
    it(`signs with ${signatureVersion}; the fake verifies it, with and without an STS token`, async () => {
      fake.addAccessKey('sts-ak', { secret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }, '101');
      await open(fake, { signatureVersion }).searchUsers('bob');
      await open(fake, { signatureVersion }, { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }).searchUsers('bob');
      assert.deepEqual(fake.rejections, []);
      assert.deepEqual(fake.calls.map((c) => [c.version, c.accessKeyId]), [[signatureVersion, 'alice-ak'], [signatureVersion, 'sts-ak']]);
      const created = await open(fake, { signatureVersion }).searchDatabases('shop');
      assert.equal(created.length, 1);
    });
  }

  it('a V1 create puts the form-body parameters into the signature too', async () => {
    const backend = open(fake, { signatureVersion: 'v1' });
    await backend.submit({ id: 'd-1', title: 'Export', kind: 'DATA_EXPORT', sql: 'SELECT 1', database: '1860', reason: 'r', stakeholders: [], attachments: [], backendFields: {} });
    assert.deepEqual(fake.rejections, []);
    assert.ok(fake.callsOf('CreateOrder')[0].body.PluginParam);
  });

  it('a wrong secret is refused by the verifier, and the message says to re-enter it without showing it', async () => {
    const backend = open(fake, {}, { accessKeyId: 'alice-ak', accessKeySecret: 'wrong-secret-0123456789' });
    await assert.rejects(backend.searchUsers('x'), (e: DbTicketsError) => {
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /^DMS refused ListUsers \(SignatureDoesNotMatch: Specified signature is not matched with our calculation\.\): the AccessKey secret \(from secure storage\) does not match its AccessKey ID: enter the secret of profile "dms-test" again\. \(RequestId [0-9A-F-]+\)$/);
      assert.ok(!e.message.includes('wrong-secret'));
      return true;
    });
    await assert.rejects(open(fake, {}, { accessKeyId: 'nobody', accessKeySecret: 'x-secret-0123' }).searchUsers('x'), /InvalidAccessKeyId\.NotFound.*the AccessKey ID \(from secure storage\) is unknown or disabled/);
  });

  it("a V1 signature mismatch does not pass on the server's string to sign, which holds the STS token", async () => {
    fake.addAccessKey('sts-ak', { secret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }, '101');
    const backend = open(fake, { signatureVersion: 'v1' }, { accessKeyId: 'sts-ak', accessKeySecret: 'not-the-secret', securityToken: 'sts-token-secret' });
    await assert.rejects(backend.searchUsers('x'), (e: DbTicketsError) => {
      assertClean(e);
      return e.message.startsWith('DMS refused ListUsers (SignatureDoesNotMatch: Specified signature is not matched with our calculation.): the AccessKey secret');
    });
  });

  it('an expired STS token is an auth error saying to get a new one', async () => {
    fake.addAccessKey('sts-ak', { secret: 'sts-secret-0123456789', securityToken: 'current-token' }, '101');
    await assert.rejects(open(fake, {}, { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }).searchUsers('x'), (e: DbTicketsError) => {
      assertClean(e);
      return e.kind === 'auth' && /InvalidSecurityToken\.Expired.*get a new token/.test(e.message);
    });
  });

  it('a clock 20 minutes off is refused as a stale timestamp, and the message says to fix the clock', async () => {
    const skewed = clientOn(fake, { now: () => new Date(Date.now() - 20 * 60_000) });
    await assert.rejects(skewed.call('ListUserTenants'), (e: DbTicketsError) => e.kind === 'config' && /InvalidTimeStamp\.Expired.*correct this computer's clock/.test(e.message));
    const v1 = clientOn(fake, { signatureVersion: 'v1', now: () => new Date(Date.now() + 20 * 60_000) });
    await assert.rejects(v1.call('ListUserTenants'), /InvalidTimeStamp\.Expired/);
  });

  it('a reused nonce is refused by the fake; the client signs the retry afresh and gets through', async () => {
    let calls = 0;
    const fixed = clientOn(fake, { nonce: () => (calls++ < 2 ? 'same-nonce' : `nonce-${calls}`), retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await fixed.call('ListUserTenants');
    await assert.rejects(fixed.call('ListUserTenants'), /SignatureNonceUsed/);
    const retrying = clientOn(fake, { nonce: () => (calls++ < 4 ? 'same-nonce' : `nonce-${calls}`) });
    await retrying.call('ListUserTenants');
    assert.deepEqual(fake.rejections.map((r) => r.code), ['SignatureNonceUsed', 'SignatureNonceUsed', 'SignatureNonceUsed']);
  });

  it('a missing required parameter, or one in the wrong place, is refused with the Missing code', async () => {
    await assert.rejects(clientOn(fake).call('GetOrderBaseInfo', {}), (e: DbTicketsError) => e.kind === 'usage' && /MissingOrderId: OrderId is mandatory for this action\./.test(e.message));
    await assert.rejects(clientOn(fake).call('CloseOrder', { OrderId: 1 }), /MissingCloseReason/);
  });

  it('throttling is retried after the delay DMS asks for (x-acs-retry-after), for writes too', async () => {
    fake.inject({ kind: 'throttle', action: 'ListUsers', retryAfterMs: 30, times: 2 });
    const lines: string[] = [];
    const backend = open(fake, {}, undefined, (line) => lines.push(line));
    assert.deepEqual(await backend.searchUsers('bob'), [{ id: '102', name: 'bob' }]);
    assert.equal(fake.callsOf('ListUsers').length, 3);
    assert.match(lines.join('\n'), /ListUsers attempt 1: HTTP 400 RequestId [0-9A-F-]+ Throttling\.User\n[\s\S]*ListUsers attempt 3: HTTP 200/);
    fake.inject({ kind: 'throttle', action: 'CloseOrder', retryAfterMs: 10 });
    await assert.rejects(clientOn(fake).call('CloseOrder', { OrderId: 1, CloseReason: 'x' }), /InvalidOrderId/);
    assert.equal(fake.callsOf('CloseOrder').length, 2);
  });

  it('throttling that outlasts the retries is a throttled error that says to wait', async () => {
    fake.inject({ kind: 'throttle', retryAfterMs: 5, times: 3 });
    await assert.rejects(clientOn(fake).call('ListUserTenants'), (e: DbTicketsError) => {
      assertClean(e);
      return e.kind === 'throttled' && /Throttling\.User.*wait a minute and try again\. \(RequestId /.test(e.message);
    });
    fake.inject({ kind: 'throttle', retryAfterMs: 120_000 });
    await assert.rejects(clientOn(fake).call('ListUserTenants'), (e: DbTicketsError) => e.kind === 'throttled');
    assert.equal(fake.callsOf('ListUserTenants').length, 4);
  });

  it('5xx and resets are retried for reads but not for writes', async () => {
    fake.inject({ kind: '5xx', action: 'ListUsers' });
    fake.inject({ kind: 'reset', action: 'ListUsers' });
    await clientOn(fake).call('ListUsers');
    assert.equal(fake.callsOf('ListUsers').length, 3);
    fake.inject({ kind: '5xx', action: 'SubmitOrderApproval' });
    await assert.rejects(clientOn(fake).call('SubmitOrderApproval', { OrderId: 1 }), (e: DbTicketsError) => e.kind === 'unavailable' && /ServiceUnavailable.*DMS had a problem on its side: try again in a few minutes\. \(RequestId /.test(e.message));
    assert.equal(fake.callsOf('SubmitOrderApproval').length, 1);
    fake.inject({ kind: 'reset', action: 'ApproveOrder' });
    await assert.rejects(clientOn(fake).call('ApproveOrder', { WorkflowInstanceId: 1, ApprovalType: 'AGREE' }), (e: DbTicketsError) => {
      assertClean(e);
      return e.kind === 'unavailable' && /The connection to DMS \(http:\/\/127\.0\.0\.1:\d+\) broke during ApproveOrder: .* The request may have reached DMS: check the ticket list before trying again\./.test(e.message);
    });
    assert.equal(fake.callsOf('ApproveOrder').length, 1);
  });

  it('a malformed body is retried for reads and reported with what to do', async () => {
    fake.inject({ kind: 'malformed', action: 'ListUsers' });
    await clientOn(fake).call('ListUsers');
    fake.inject({ kind: 'malformed', action: 'ListUsers', times: 3 });
    await assert.rejects(clientOn(fake).call('ListUsers'), (e: DbTicketsError) => e.kind === 'unavailable' && /DMS answered ListUsers with HTTP 200 and a body that is not a DMS response\. Try again; if it persists, a proxy may be answering instead of DMS\. \(RequestId [0-9A-F-]+\)$/.test(e.message));
  });

  it('a slow answer times out with a message naming the timeoutMs setting; a read is retried', async () => {
    fake.inject({ kind: 'delay', action: 'ListUsers', delayMs: 600, times: 3 });
    await assert.rejects(clientOn(fake, { timeoutMs: 200 }).call('ListUsers'), (e: DbTicketsError) => e.kind === 'unavailable' && /DMS did not answer ListUsers in time \(http:\/\/127\.0\.0\.1:\d+\): check your network or proxy, or raise "timeoutMs" in profile "dms-test"\.$/.test(e.message));
    assert.equal(fake.callsOf('ListUsers').length, 3);
  });

  it('no server at the endpoint: connection refused is retried (nothing was sent) and then explained', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const client = clientOn(fake, { endpoint: new URL(`http://127.0.0.1:${port}`) });
    await assert.rejects(client.call('CreateOrder', { Comment: 'c', PluginType: 'DATA_EXPORT', PluginParam: {} }), (e: DbTicketsError) => e.kind === 'unavailable' && /^Could not reach DMS at http:\/\/127\.0\.0\.1:\d+ \(could not connect \(ECONNREFUSED\)\): check the network, the proxy settings/.test(e.message));
  });

  it('a cancelled call is reported as cancelled', async () => {
    fake.inject({ kind: 'delay', action: 'ListUsers', delayMs: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(clientOn(fake).call('ListUsers', {}, { signal: controller.signal }), (e: DbTicketsError) => e.kind === 'cancelled');
  });

  it('a Success:false envelope is an error with the RequestId; Success:true with ErrorCode UnknownError is not', async () => {
    const tenants = await clientOn(fake).call<{ TenantList?: unknown }>('ListUserTenants');
    assert.equal(tenants.ErrorCode, 'UnknownError');
    fake.inject({ kind: 'successFalse', code: 'UserNotExist', message: 'User [2001] not exist' });
    await assert.rejects(clientOn(fake).call('ListUsers'), (e: DbTicketsError) => e.kind === 'auth' && /UserNotExist: User \[2001\] not exist\): this Alibaba Cloud identity is not a user in the DMS tenant/.test(e.message) && e.details.requestId !== undefined);
  });

  it('logs one line per attempt without the secret, the token or the signature', async () => {
    fake.addAccessKey('sts-ak', { secret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }, '101');
    const lines: string[] = [];
    fake.inject({ kind: 'reset', action: 'ListUsers' });
    await open(fake, { signatureVersion: 'v1' }, { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret-0123456789', securityToken: 'sts-token-secret' }, (l) => lines.push(l)).searchUsers('');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(!/sts-secret|sts-token-secret|Signature=/.test(line), line);
  });
});
