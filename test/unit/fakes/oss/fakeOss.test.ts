import * as assert from 'node:assert/strict';
import OSS from 'ali-oss';
import { request } from 'undici';
import { FakeOss } from '../../../fakes/oss/fakeOss';

const writer = { accessKeyId: 'oss-writer', accessKeySecret: 'writer-secret-0123456789' };

describe('fake OSS, driven by ali-oss', () => {
  let fake: FakeOss;
  beforeEach(async () => {
    fake = new FakeOss();
    fake.addAccessKey(writer.accessKeyId, { secret: writer.accessKeySecret });
    fake.addBucket('tickets-stage');
    await fake.start();
  });
  afterEach(() => fake.stop());

  /** ali-oss on the loopback address: it keeps the path and names the bucket in the Host (virtual-host style). */
  const client = (options: Partial<OSS.Options> = {}) => new OSS({ ...writer, bucket: 'tickets-stage', endpoint: fake.url, region: 'oss-cn-hangzhou', ...options });
  const refusal = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as { code?: string; status?: number; requestId?: string };
    }
    assert.fail('OSS accepted the request');
  };

  it('accepts ali-oss PutObject signed with V1 (virtual-host addressing), stores it, and serves it to GetObject and HeadObject', async () => {
    const content = Buffer.from('UPDATE t SET a = 1;\n');
    await client().put('stage/d-1/sql.sql', content);
    assert.deepEqual(fake.object('tickets-stage', 'stage/d-1/sql.sql'), content);
    const [put] = fake.requests;
    assert.equal(put.host, 'tickets-stage.oss-cn-hangzhou.aliyuncs.com');
    assert.equal(put.path, '/stage/d-1/sql.sql');
    assert.ok(put.headers['content-md5'], 'ali-oss sends Content-MD5, which is checked');
    assert.ok(put.headers['x-oss-date'], 'ali-oss dates with x-oss-date');
    const got = await client().get('stage/d-1/sql.sql');
    assert.deepEqual(got.content, content);
    const head = await client().head('stage/d-1/sql.sql');
    assert.equal(head.status, 200);
  });

  it('accepts path-style requests (/bucket/object on its own address)', async () => {
    const port = new URL(fake.url).port;
    await client({ endpoint: `http://localhost:${port}`, sldEnable: true } as Partial<OSS.Options>).put('a b/ü.txt', Buffer.from('x'));
    assert.equal(fake.requests[0].path, '/tickets-stage/a%20b/%C3%BC.txt');
    assert.deepEqual(fake.object('tickets-stage', 'a b/ü.txt'), Buffer.from('x'));
  });

  it('refuses a wrong secret with SignatureDoesNotMatch, and an unknown AccessKey with InvalidAccessKeyId, with the RequestId', async () => {
    const wrong = await refusal(client({ accessKeySecret: 'not-the-secret' }).put('x.sql', Buffer.from('x')));
    assert.equal(wrong.code, 'SignatureDoesNotMatch');
    assert.equal(wrong.status, 403);
    assert.equal(wrong.requestId, fake.requests[0].requestId);
    assert.match(wrong.requestId!, /^[0-9A-F]{24}$/);
    const unknown = await refusal(client({ accessKeyId: 'nobody' }).put('x.sql', Buffer.from('x')));
    assert.equal(unknown.code, 'InvalidAccessKeyId');
    assert.equal(fake.object('tickets-stage', 'x.sql'), undefined);
  });

  it('refuses a replayed request whose object, type or body was tampered with', async () => {
    await client().put('good.sql', Buffer.from('SELECT 1;'), { mime: 'text/plain' });
    const { headers } = fake.requests[0];
    const replay = (path: string, changes: Record<string, string>, body = 'SELECT 1;') =>
      request(`${fake.url}${path}`, { method: 'PUT', headers: { ...headers, ...changes }, body }).then(async (r) => ({ status: r.statusCode, text: await r.body.text() }));
    const otherObject = await replay('/evil.sql', {});
    assert.equal(otherObject.status, 403);
    assert.match(otherObject.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(otherObject.text, /<RequestId>[0-9A-F]{24}<\/RequestId>/);
    assert.equal((await replay('/good.sql', { 'content-type': 'text/html' })).status, 403);
    const otherBody = await replay('/good.sql', {}, 'SELECT 2;');
    assert.equal(otherBody.status, 400);
    assert.match(otherBody.text, /<Code>InvalidDigest<\/Code>/);
    assert.equal(fake.object('tickets-stage', 'good.sql')!.toString(), 'SELECT 1;');
    assert.equal(fake.object('tickets-stage', 'evil.sql'), undefined);
  });

  it('takes an STS AccessKey only with its security token (signed as x-oss-security-token)', async () => {
    fake.addAccessKey('STS.temp', { secret: 'sts-secret', securityToken: 'token-123' });
    await client({ accessKeyId: 'STS.temp', accessKeySecret: 'sts-secret', stsToken: 'token-123', refreshSTSTokenInterval: 3_600_000 }).put('sts.sql', Buffer.from('x'));
    assert.equal(fake.requests[0].headers['x-oss-security-token'], 'token-123');
    const missing = await refusal(client({ accessKeyId: 'STS.temp', accessKeySecret: 'sts-secret' }).put('sts2.sql', Buffer.from('x')));
    assert.equal(missing.code, 'InvalidAccessKeyId');
    const wrong = await refusal(client({ accessKeyId: 'STS.temp', accessKeySecret: 'sts-secret', stsToken: 'token-999', refreshSTSTokenInterval: 3_600_000 }).put('sts3.sql', Buffer.from('x')));
    assert.equal(wrong.code, 'InvalidAccessKeyId');
  });

  it('answers NoSuchBucket for an unknown bucket and AccessDenied for a refused AccessKey, as OSS XML with the RequestId', async () => {
    const none = await refusal(client({ bucket: 'no-such-bucket' }).put('x.sql', Buffer.from('x')));
    assert.equal(none.code, 'NoSuchBucket');
    assert.equal(none.status, 404);
    fake.buckets.get('tickets-stage')!.denied.add(writer.accessKeyId);
    const denied = await refusal(client().put('x.sql', Buffer.from('x')));
    assert.equal(denied.code, 'AccessDenied');
    assert.equal(denied.status, 403);
    assert.equal(denied.requestId, fake.requests[1].requestId);
  });

  it('refuses a request dated more than 15 minutes off its clock', async () => {
    fake.clock = () => new Date(Date.now() + 20 * 60_000);
    assert.equal((await refusal(client().put('x.sql', Buffer.from('x')))).code, 'RequestTimeTooSkewed');
  });

  it('lets DMS read an object only at its own address and from a bucket DMS may read', async () => {
    await client().put('r.sql', Buffer.from('x'));
    const read = fake.reader();
    assert.deepEqual(read(fake.url, 'tickets-stage', 'r.sql'), Buffer.from('x'));
    assert.equal(read('https://oss-cn-hangzhou.aliyuncs.com', 'tickets-stage', 'r.sql'), undefined);
    fake.buckets.get('tickets-stage')!.dmsCanRead = false;
    assert.equal(read(fake.url, 'tickets-stage', 'r.sql'), undefined);
  });
});
