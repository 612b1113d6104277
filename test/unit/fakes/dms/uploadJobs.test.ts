import * as assert from 'node:assert/strict';
import { DbTicketsError } from '../../../../src/core/errors';
import { RpcClient } from '../../../../src/backends/dms/rpcClient';
import { createDispatcher } from '../../../../src/net/dispatcher';
import { HttpClient } from '../../../../src/net/httpClient';
import { FakeDms } from '../../../fakes/dms/fakeDms';

describe('fake DMS: attachment upload jobs', () => {
  let fake: FakeDms;
  let http: HttpClient;
  let dms: RpcClient;
  const objects = new Map<string, Buffer>([['https://oss-cn-hangzhou.aliyuncs.com|stage|t/1.sql', Buffer.from('UPDATE t SET a = 1;')]]);
  beforeEach(async () => {
    fake = new FakeDms();
    fake.uploads.readObject = (endpoint, bucket, object) => objects.get(`${endpoint}|${bucket}|${object}`);
    await fake.start();
    http = new HttpClient(createDispatcher());
    dms = new RpcClient({
      endpoint: new URL(fake.url),
      profile: 'test',
      signatureVersion: 'v3',
      accessKey: async () => ({ accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789', source: 'test' }),
      http,
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
  });
  afterEach(async () => {
    await http.close();
    await fake.stop();
  });

  const target = (ObjectName = 't/1.sql') => ({ Endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', BucketName: 'stage', ObjectName });
  const poll = (JobKey: string) => dms.call<{ UploadFileJobDetail: Record<string, unknown> }>('GetUserUploadFileJob', { JobKey }).then((r) => r.UploadFileJobDetail);
  const refused = (code: string, message: RegExp) => (e: unknown) => e instanceof DbTicketsError && e.message.includes(code) && message.test(e.message);

  it('runs an OSS job INIT → RUNNING → SUCCESS and registers its AttachmentKey with the content', async () => {
    fake.uploads.pollsBeforeDone = 2;
    const { JobKey } = await dms.call<{ JobKey: string }>('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'change.sql', UploadTarget: target() });
    assert.equal((await poll(JobKey)).JobStatus, 'INIT');
    assert.equal((await poll(JobKey)).JobStatus, 'RUNNING');
    const done = await poll(JobKey);
    assert.equal(done.JobStatus, 'SUCCESS');
    assert.match(String(done.AttachmentKey), /^upload_[0-9a-f-]{36}_change\.sql$/);
    assert.equal(done.UploadType, 'OSS');
    assert.deepEqual(done.UploadOSSParam, target());
    assert.equal(done.FileSize, 19);
    assert.ok(fake.attachmentKeys.has(String(done.AttachmentKey)));
    assert.equal(fake.uploads.attachments.get(String(done.AttachmentKey))!.content.toString(), 'UPDATE t SET a = 1;');
  });

  it('fails the job when the object cannot be read', async () => {
    const { JobKey } = await dms.call<{ JobKey: string }>('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'gone.sql', UploadTarget: target('t/gone.sql') });
    await poll(JobKey);
    const failed = await poll(JobKey);
    assert.equal(failed.JobStatus, 'FAIL');
    assert.equal(failed.AttachmentKey, undefined);
    assert.equal(fake.attachmentKeys.size, 0);
  });

  it('validates the parameters: required ones, FileSource, the .sql/.txt FileName and the UploadTarget JSON', async () => {
    await assert.rejects(dms.call('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'a.sql' }), refused('MissingUploadTarget', /mandatory/));
    await assert.rejects(dms.call('CreateUploadOSSFileJob', { FileSource: 'somewhere', FileName: 'a.sql', UploadTarget: target() }), refused('InvalidParameterValid', /FileSource/));
    await assert.rejects(dms.call('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'a.csv', UploadTarget: target() }), refused('InvalidParameterValid', /\.sql or \.txt/));
    await assert.rejects(dms.call('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'a.sql', UploadTarget: '{"Endpoint":' }), refused('InvalidUploadTarget', /UploadTarget is not valid/));
    await assert.rejects(dms.call('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'a.sql', UploadTarget: { Endpoint: 'https://oss', BucketName: 'stage' } }), refused('InvalidParameterValid', /ObjectName/));
    await assert.rejects(dms.call('GetUserUploadFileJob', { JobKey: 'nope' }), refused('InvalidParameterValid', /does not exist/));
    assert.equal(fake.uploads.jobs.size, 0);
  });

  it('lets CreateDataCorrectOrder take SqlType ATTACHMENT only with a registered AttachmentName, and create calls only registered AttachmentKeys', async () => {
    const param = { DbItemList: [{ DbId: 1860, Logic: false }], SqlType: 'ATTACHMENT', AttachmentName: 'upload_x_a.sql', EstimateAffectRows: 1 };
    await assert.rejects(dms.call('CreateDataCorrectOrder', { Comment: 'c', Param: param }), refused('InvalidParameterValid', /Attachment \[upload_x_a\.sql\] not exist/));
    await assert.rejects(dms.call('CreateDataCorrectOrder', { Comment: 'c', Param: { ...param, SqlType: 'TEXT', ExecSQL: 'SELECT 1' }, AttachmentKey: 'upload_y_b.txt' }), refused('InvalidParameterValid', /Attachment \[upload_y_b\.txt\] not exist/));
    assert.equal(fake.orders.length, 0);
    const { JobKey } = await dms.call<{ JobKey: string }>('CreateUploadOSSFileJob', { FileSource: 'datacorrect', FileName: 'change.sql', UploadTarget: target() });
    await poll(JobKey);
    const key = String((await poll(JobKey)).AttachmentKey);
    await dms.call('CreateDataCorrectOrder', { Comment: 'c', Param: { ...param, AttachmentName: key } });
    const detail = await dms.call<{ DataCorrectOrderDetail: { OrderDetail: Record<string, unknown> } }>('GetDataCorrectOrderDetail', { OrderId: fake.orders[0].OrderId });
    assert.equal(detail.DataCorrectOrderDetail.OrderDetail.SqlType, 'ATTACHMENT');
    assert.equal(detail.DataCorrectOrderDetail.OrderDetail.AttachmentName, key);
    assert.equal(fake.uploads.sqlOf(fake.orders[0].param), 'UPDATE t SET a = 1;');
  });
});
