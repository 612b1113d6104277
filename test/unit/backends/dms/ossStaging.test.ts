import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TicketDraft } from '../../../../src/core/model/ticketDraft';
import { DbTicketsError } from '../../../../src/core/errors';
import { english } from '../../../../src/core/localizable';
import { checkDraft } from '../../../../src/core/draft/checkDraft';
import { renderDraftDocument } from '../../../../src/core/draft/draftDocument';
import { DmsProfile, ossEndpointOf, parseOssLocation } from '../../../../src/backends/dms/dmsProfile';
import { openDmsBackend } from '../../../../src/backends/dms/openDms';
import { draftFolder } from '../../../../src/backends/dms/ossStaging';
import type { FakeDms } from '../../../fakes/dms/fakeDms';
import { dmsDraft, useFakeDms } from '../../../fakes/dms/harness';
import { FakeOss } from '../../../fakes/oss/fakeOss';
import { forwardProxy } from '../../../support/forwardProxy';

const draft = (overrides: Partial<TicketDraft> = {}) => dmsDraft({ title: 'Backfill prices', kind: 'DATA_CHANGE', sql: 'UPDATE prices SET amount = 1 WHERE id = 1;', reason: 'price fix', estimatedRows: 1, ...overrides });

/** UPDATE statements adding up to at least `chars` characters. */
function longSql(chars: number): string {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < chars; i++) {
    const line = `UPDATE prices SET amount = ${i} WHERE id = ${i}; -- ${'x'.repeat(60)}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/** A forward proxy on this machine, listening. */
async function startProxy(): Promise<{ server: Server; url: string; carried: string[] }> {
  const { server, carried } = forwardProxy();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, carried };
}

const sqlOf = (fake: FakeDms) => fake.uploads.sqlOf(fake.orders[0].param);

describe('DMS backend: staging files in OSS (ossStaging)', () => {
  const dms = useFakeDms();
  let fake: FakeDms;
  let oss: FakeOss;
  let staging: Record<string, unknown>;
  beforeEach(async () => {
    fake = dms.fake();
    oss = new FakeOss();
    oss.addAccessKey('alice-ak', { secret: 'alice-secret-0123456789' });
    oss.addBucket('db-stage');
    await oss.start();
    fake.uploads.readObject = oss.reader();
    staging = { region: 'cn-hangzhou', ossStaging: 'oss://db-stage/tickets/', ossEndpoint: oss.url };
  });
  afterEach(() => oss.stop());

  it('files a data change of ~100 KB as SqlType ATTACHMENT: uploaded to OSS, taken by an upload job, the ticket holding the exact SQL', async () => {
    const backend = dms.open(fake, staging);
    assert.equal(backend.capabilities.attachments, true);
    const sql = longSql(100_000);
    const progress: string[] = [];
    const input = draft({ sql });
    const submitted = await backend.submit(input, { onProgress: (p) => p.message && progress.push(p.message) });
    assert.equal(submitted.status.state, 'pending_approval', 'the precheck read the attached SQL and passed');
    const [create] = fake.callsOf('CreateDataCorrectOrder');
    const param = JSON.parse(create.query.Param);
    assert.equal(param.SqlType, 'ATTACHMENT');
    assert.equal(param.ExecSQL, undefined);
    assert.ok(fake.attachmentKeys.has(param.AttachmentName));
    assert.ok(create.query.Param.length < 1_000);
    assert.equal(sqlOf(fake), sql);
    const objectName = `tickets/${draftFolder(input.id)}/sql.sql`;
    assert.equal(oss.object('db-stage', objectName)!.toString('utf8'), sql);
    const [job] = fake.callsOf('CreateUploadOSSFileJob');
    assert.equal(job.query.FileSource, 'datacorrect');
    assert.match(job.query.FileName, /\.sql$/);
    assert.deepEqual(JSON.parse(job.query.UploadTarget), { Endpoint: oss.url, BucketName: 'db-stage', ObjectName: objectName });
    assert.ok(progress.some((m) => m.startsWith(`Uploading the SQL of "Backfill prices" to oss://db-stage/${objectName}`)));
  });

  it('refuses the same without ossStaging, naming the limit and the field, before anything is sent', async () => {
    const backend = dms.open(fake);
    assert.equal(backend.capabilities.attachments, false);
    assert.equal(backend.capabilities.attachmentsSetting, 'ossStaging');
    await assert.rejects(backend.submit(draft({ sql: longSql(100_000) })), (e: DbTicketsError) => e.kind === 'usage' && /32,000-character limit/.test(e.message) && /set "ossStaging" in profile "dms-test"/.test(e.message));
    assert.equal(fake.callsOf('CreateDataCorrectOrder').length, 0);
    await assert.rejects(backend.submit(draft({ attachments: [{ name: 'plan.txt', path: '/nonexistent/plan.txt' }] })), (e: DbTicketsError) => e.kind === 'usage' && /attachments only through OSS: set "ossStaging"/.test(e.message));
    assert.equal(fake.orders.length, 0);
  });

  it('keeps SQL under the limit inline, and stages 1×, 10× and 100× the limit exactly', async () => {
    const backend = dms.open(fake, staging);
    // Inline SQL stays well below the limit here: the fake's HTTP server takes request heads of 16 KiB at most.
    await backend.submit(draft({ sql: longSql(5_000) }));
    assert.equal(JSON.parse(fake.callsOf('CreateDataCorrectOrder')[0].query.Param).SqlType, 'TEXT');
    assert.equal(oss.requests.length, 0);
    for (const [i, size] of [32_000, 320_000, 3_200_000].entries()) {
      const sql = longSql(size);
      await backend.submit(draft({ sql }));
      const order = fake.orders[i + 1];
      assert.equal(order.param.SqlType, 'ATTACHMENT');
      assert.equal(fake.uploads.sqlOf(order.param), sql, `${size} characters`);
    }
    assert.equal(oss.puts().length, 3);
  });

  it("stages the draft's attachment and sends it as the ticket's AttachmentKey", async () => {
    const backend = dms.open(fake, staging);
    const dir = mkdtempSync(join(tmpdir(), 'dms-attach-'));
    writeFileSync(join(dir, 'rollback plan.txt'), 'restore from backup 42\n');
    const input = draft({ kind: 'DATA_EXPORT', sql: 'SELECT id FROM prices', attachments: [{ name: 'rollback plan.txt', path: join(dir, 'rollback plan.txt') }] });
    const submitted = await backend.submit(input);
    const [create] = fake.callsOf('CreateOrder');
    assert.ok(fake.attachmentKeys.has(create.query.AttachmentKey));
    assert.equal(fake.uploads.attachments.get(create.query.AttachmentKey)!.content.toString(), 'restore from backup 42\n');
    const [job] = fake.callsOf('CreateUploadOSSFileJob');
    assert.equal(job.query.FileSource, 'order_info_attachment');
    assert.equal(job.query.FileName, 'rollback_plan.txt');
    assert.equal(JSON.parse(job.query.UploadTarget).ObjectName, `tickets/${draftFolder(input.id)}/attachment-rollback_plan.txt`);
    assert.deepEqual((await backend.get(submitted.id)).attachments, [{ name: 'rollback_plan.txt' }]);
  });

  it('refuses more than one attachment, or one that is not .sql or .txt, before uploading anything', async () => {
    const backend = dms.open(fake, staging);
    const two = [{ name: 'a.txt', path: '/x/a.txt' }, { name: 'b.sql', path: '/x/b.sql' }];
    await assert.rejects(backend.submit(draft({ attachments: two })), (e: DbTicketsError) => e.kind === 'usage' && /one attachment per ticket/.test(e.message));
    await assert.rejects(backend.submit(draft({ attachments: [{ name: 'plan.pdf', path: '/x/plan.pdf' }] })), (e: DbTicketsError) => e.kind === 'usage' && /only \.sql or \.txt attachments/.test(e.message));
    assert.equal(oss.requests.length, 0);
    assert.equal(fake.orders.length, 0);
  });

  it('reports an OSS refusal with its code, what to do and the OSS request id, and files no ticket', async () => {
    oss.buckets.get('db-stage')!.denied.add('alice-ak');
    const backend = dms.open(fake, staging);
    const error = await backend.submit(draft({ sql: longSql(100_000) })).then(() => assert.fail('submitted'), (e: DbTicketsError) => e);
    const requestId = oss.requests[0].requestId;
    assert.equal(error.kind, 'auth');
    assert.match(error.message, /OSS refused the upload of the SQL of "Backfill prices" to oss:\/\/db-stage\/tickets\/.*\(AccessDenied: .*HTTP 403\): the AccessKey may not write there: grant it oss:PutObject on acs:oss:\*:\*:db-stage\/tickets\/\*\. No DMS ticket was created\./);
    assert.ok(error.message.endsWith(`(OSS RequestId ${requestId})`));
    assert.equal(error.details.requestId, requestId);
    assert.equal(fake.callsOf('CreateUploadOSSFileJob').length, 0);
    assert.equal(fake.orders.length, 0);

    const missing = dms.open(fake, { ...staging, ossStaging: 'oss://no-such-bucket/' });
    await assert.rejects(missing.submit(draft({ sql: longSql(40_000) })), (e: DbTicketsError) => e.kind === 'config' && /NoSuchBucket/.test(e.message) && /check "ossStaging" of profile "dms-test"/.test(e.message));
  });

  it('reports a failed upload job (DMS cannot read the object) and files no ticket', async () => {
    oss.buckets.get('db-stage')!.dmsCanRead = false;
    const backend = dms.open(fake, staging);
    await assert.rejects(backend.submit(draft({ sql: longSql(40_000) })), (e: DbTicketsError) => e.kind === 'failed' && /DMS could not take the SQL of "Backfill prices"/.test(e.message) && /oss:GetObject/.test(e.message));
    assert.equal(fake.orders.length, 0);
  });

  it('uploads with an STS AccessKey, its token signed', async () => {
    fake.addAccessKey('STS.alice', { secret: 'sts-secret', securityToken: 'sts-token-1' }, '101');
    oss.addAccessKey('STS.alice', { secret: 'sts-secret', securityToken: 'sts-token-1' });
    const backend = dms.open(fake, staging, { accessKeyId: 'STS.alice', accessKeySecret: 'sts-secret', securityToken: 'sts-token-1' });
    await backend.submit(draft({ sql: longSql(40_000) }));
    assert.equal(oss.puts()[0].headers['x-oss-security-token'], 'sts-token-1');
    assert.equal(fake.orders[0].param.SqlType, 'ATTACHMENT');
  });

  it('after a lost create response, a retried submit neither stages again nor files twice', async () => {
    const backend = dms.open(fake, staging);
    const input = draft({ sql: longSql(100_000) });
    fake.listLagMs = 60_000;
    fake.inject({ kind: 'dropAfterCommit', action: 'CreateDataCorrectOrder' });
    await assert.rejects(backend.submit(input), (e: DbTicketsError) => e.kind === 'unavailable' && /whether DMS created it is unknown/.test(e.message));
    fake.listLagMs = 0;
    const again = await backend.submit(input);
    assert.equal(again.id, String(fake.orders[0].OrderId));
    assert.equal(fake.orders.length, 1);
    assert.equal(fake.callsOf('CreateDataCorrectOrder').length, 1);
    assert.equal(fake.callsOf('CreateUploadOSSFileJob').length, 1);
    assert.equal(oss.puts().length, 1);
    assert.equal(sqlOf(fake), input.sql);
  });

  it('after a refused create, a retried submit uploads to the same object again', async () => {
    const backend = dms.open(fake, staging);
    const input = draft({ sql: longSql(40_000) });
    fake.inject({ kind: 'successFalse', action: 'CreateDataCorrectOrder', code: 'InvalidParameterValid', message: 'try later' });
    await assert.rejects(backend.submit(input));
    await backend.submit(input);
    assert.equal(fake.orders.length, 1);
    const puts = oss.puts();
    assert.equal(puts.length, 2);
    assert.equal(puts[0].path, puts[1].path);
    assert.equal(oss.buckets.get('db-stage')!.objects.size, 1);
  });

  it("uploads through the host's proxy, like the DMS calls", async () => {
    const proxy = await startProxy();
    const saved = { NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const backend = openDmsBackend(
      { name: 'dms-test', backend: 'dms', endpoint: fake.url, timeoutMs: 2_000, ...staging },
      { storeDir: mkdtempSync(join(tmpdir(), 'dms-store-')), secret: async (_p, field) => ({ accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' })[field], env: {}, homeDir: mkdtempSync(join(tmpdir(), 'dms-home-')), net: { proxy: proxy.url } },
      { pollMs: 5 },
    );
    try {
      await backend.submit(draft({ sql: longSql(40_000) }));
      const ossPort = new URL(oss.url).port;
      assert.ok(proxy.carried.some((target) => target.includes(`127.0.0.1:${ossPort}`)), `the proxy carried ${proxy.carried.join(', ')}`);
      assert.equal(oss.puts().length, 1);
    } finally {
      await backend.dispose();
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
      await new Promise((r) => proxy.server.close(r));
    }
  });

  it('stops waiting for the upload job when cancelled, filing nothing', async () => {
    fake.uploads.pollsBeforeDone = 1_000;
    const backend = dms.open(fake, staging);
    const abort = new AbortController();
    const submitting = backend.submit(draft({ sql: longSql(40_000) }), { signal: abort.signal, onProgress: (p) => p.message?.startsWith('Waiting for DMS to take') && abort.abort() });
    await assert.rejects(submitting, (e: DbTicketsError) => e.kind === 'cancelled' && /no DMS ticket was created/.test(e.message));
    assert.equal(fake.orders.length, 0);
  });
});

describe('DMS profile: ossStaging and ossEndpoint', () => {
  const base = { name: 'p', backend: 'dms', region: 'cn-shanghai' };
  const problem = (profile: Record<string, unknown>) => {
    const parsed = DmsProfile.safeParse({ ...base, ...profile });
    return parsed.success ? undefined : parsed.error.issues[0].message;
  };

  it('takes oss://bucket/prefix/ with OSS bucket name rules', () => {
    assert.deepEqual(parseOssLocation('oss://db-stage/tickets/'), { bucket: 'db-stage', prefix: 'tickets/' });
    assert.deepEqual(parseOssLocation('oss://db-stage/a/b'), { bucket: 'db-stage', prefix: 'a/b/' });
    assert.deepEqual(parseOssLocation('oss://abc'), { bucket: 'abc', prefix: '' });
    for (const bad of ['oss://ab/', 'oss://Db-stage/', 'oss://-stage/', 'oss://stage-/', 'oss://db_stage/', `oss://${'a'.repeat(64)}/`, 'https://db-stage/', 'oss://db-stage//x/', 'db-stage/x/']) {
      assert.equal(parseOssLocation(bad), undefined, bad);
      assert.match(problem({ ossStaging: bad })!, /ossStaging must be an OSS location written oss:\/\/bucket\/prefix\//);
    }
    assert.equal(problem({ ossStaging: 'oss://db-stage/tickets/' }), undefined);
  });

  it("defaults the endpoint to the region's, internal with vpc; a custom one is https, or http on this machine", () => {
    const endpoint = (profile: Record<string, unknown>) => ossEndpointOf(DmsProfile.parse({ ...base, ossStaging: 'oss://db-stage/', ...profile })).href;
    assert.equal(endpoint({}), 'https://oss-cn-shanghai.aliyuncs.com/');
    assert.equal(endpoint({ vpc: true }), 'https://oss-cn-shanghai-internal.aliyuncs.com/');
    assert.equal(endpoint({ ossEndpoint: 'oss-accelerate.aliyuncs.com' }), 'https://oss-accelerate.aliyuncs.com/');
    assert.equal(endpoint({ ossEndpoint: 'http://127.0.0.1:9000' }), 'http://127.0.0.1:9000/');
    assert.throws(() => endpoint({ ossEndpoint: 'http://oss.example.com' }), /uses plain HTTP/);
    const regionless = DmsProfile.parse({ ...base, region: undefined, endpoint: 'https://dms.example.com', ossStaging: 'oss://db-stage/' });
    assert.throws(() => ossEndpointOf(regionless), /ossStaging needs the OSS endpoint: give the region/);
    assert.equal(ossEndpointOf(regionless, { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }).href, 'https://oss-cn-beijing.aliyuncs.com/');
  });

  it('names the field that allows attachments when a draft has some', () => {
    const header = { kind: 'DATA_CHANGE' as const, kindReason: 'inferred' as const, profile: 'dms', database: 'shop', title: 't', reason: 'r', attachments: ['/tmp/plan.txt'] };
    const target = { name: 'Alibaba Cloud DMS', capabilities: { kinds: ['DATA_CHANGE' as const], attachments: false, attachmentsSetting: 'ossStaging' } };
    const check = checkDraft(renderDraftDocument(header, 'UPDATE t SET a = 1 WHERE id = 1;'), { id: 'd', dialect: 'mysql', target });
    assert.equal(check.ok, false);
    assert.match(english(check.ok ? '' : check.problems[0].message), /^Alibaba Cloud DMS takes attachments only when its profile sets "ossStaging", and the draft names 1: set it/);
  });
});
