import * as assert from 'node:assert/strict';
import { useFakeDms } from '../../../fakes/dms/harness';
import { accepted, call, correctParam, createCorrect, json, refused, refusedByGateway } from './client';

describe('fake DMS: CreateDataCorrectOrder and CreateFreeLockCorrectOrder', () => {
  const { fake } = useFakeDms();

  it('files a regular data change (DC_COMMON) with the SDK model’s Param, answering CreateOrderResult as a bare array', async () => {
    const reply = await createCorrect(fake(), correctParam(), { RelatedUserList: json([102, 103]) });
    accepted(reply);
    assert.deepEqual(reply.json.CreateOrderResult, [900001]);
    assert.equal(fake().orders[0].PluginType, 'DC_COMMON');
    assert.deepEqual(fake().orders[0].RelatedUserIds, ['102', '103']);
  });

  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no DbItemList', { DbItemList: undefined }, /DbItemList is mandatory/],
    ['an empty DbItemList', { DbItemList: [] }, /DbItemList must be a non-empty array/],
    ['an item without Logic', { DbItemList: [{ DbId: 1860 }] }, /DbItemList\[0\]\.Logic is mandatory/],
    ['an item with Logic as a string', { DbItemList: [{ DbId: 1860, Logic: 'false' }] }, /Logic must be true or false/],
    ['an item without DbId', { DbItemList: [{ Logic: false }] }, /DbItemList\[0\]\.DbId is mandatory/],
    ['an item with DbId as a string', { DbItemList: [{ DbId: '1860', Logic: false }] }, /DbId must be a non-negative integer/],
    ['an item with a camelCase key', { DbItemList: [{ dbId: 1860, DbId: 1860, Logic: false }] }, /unknown key "dbId"/],
    ['ExecMode MANUAL', { ExecMode: 'MANUAL' }, /ExecMode must be one of COMMITOR, AUTO, LAST_AUDITOR/],
    ['ExecMode in lowercase', { ExecMode: 'auto' }, /ExecMode must be one of/],
    ['no SqlType', { SqlType: undefined }, /SqlType is mandatory/],
    ['SqlType SQL', { SqlType: 'SQL' }, /SqlType must be one of TEXT, ATTACHMENT/],
    ['TEXT without ExecSQL', { ExecSQL: undefined }, /ExecSQL is mandatory when SqlType is TEXT/],
    ['TEXT with an empty ExecSQL', { ExecSQL: '' }, /ExecSQL is mandatory when SqlType is TEXT/],
    ['ATTACHMENT without AttachmentName', { SqlType: 'ATTACHMENT', ExecSQL: undefined }, /AttachmentName is mandatory when SqlType is ATTACHMENT/],
    ['no EstimateAffectRows', { EstimateAffectRows: undefined }, /EstimateAffectRows is mandatory/],
    ['EstimateAffectRows as a string', { EstimateAffectRows: '1' }, /EstimateAffectRows must be a non-negative integer/],
    ['Classify as a number', { Classify: 7 }, /Classify must be a string/],
    ['RollbackSqlType TEXT without RollbackSQL', { RollbackSqlType: 'TEXT' }, /RollbackSQL is mandatory when RollbackSqlType is TEXT/],
    ['an unknown key', { execSql: 'x' }, /unknown key "execSql"/],
  ];
  for (const [label, over, message] of refusals) {
    it(`refuses a Param with ${label} (InvalidParameterValid), creating nothing`, async () => {
      refused(await createCorrect(fake(), correctParam(over)), 'InvalidParameterValid', message);
      assert.equal(fake().orders.length, 0);
    });
  }

  it('refuses an ATTACHMENT whose AttachmentName DMS does not know, and files one it does', async () => {
    const param = correctParam({ SqlType: 'ATTACHMENT', ExecSQL: undefined, AttachmentName: 'upload_1_fix.sql' });
    refused(await createCorrect(fake(), param), 'InvalidParameterValid', /^Attachment \[upload_1_fix\.sql\] not exist$/);
    assert.equal(fake().orders.length, 0);
    fake().attachmentKeys.add('upload_1_fix.sql');
    accepted(await createCorrect(fake(), param));
    const detail = await call(fake(), 'GetDataCorrectOrderDetail', { query: { OrderId: 900001 } });
    assert.equal(detail.json.DataCorrectOrderDetail.OrderDetail.SqlType, 'ATTACHMENT');
    assert.equal(detail.json.DataCorrectOrderDetail.OrderDetail.AttachmentName, 'upload_1_fix.sql');
  });

  it('refuses related users who are not in the tenant (UserNotExist)', async () => {
    refused(await createCorrect(fake(), correctParam(), { RelatedUserList: json([102, 999]) }), 'UserNotExist', /^User \[999\] not exist$/);
    assert.equal(fake().orders.length, 0);
  });

  it('refuses a RelatedUserList that is not a JSON array of numbers, at the gateway (InvalidRelatedUserList)', async () => {
    for (const shape of ['102,103', json(['102']), json({ id: 102 }), '[102,']) {
      refusedByGateway(await createCorrect(fake(), correctParam(), { RelatedUserList: shape }), 400, 'InvalidRelatedUserList', /Specified parameter RelatedUserList is not valid\./);
    }
    assert.equal(fake().orders.length, 0);
  });

  it('refuses a Param that is not JSON, at the gateway (InvalidParam)', async () => {
    refusedByGateway(await call(fake(), 'CreateDataCorrectOrder', { query: { Comment: 'c', Param: 'DbId=1860' } }), 400, 'InvalidParam');
    assert.equal(fake().orders.length, 0);
  });

  describe('lock-free change (CreateFreeLockCorrectOrder, DC_CHUNK)', () => {
    it('files one with ExecSQL, EstimateAffectRows being optional as in its SDK model', async () => {
      const reply = await createCorrect(fake(), correctParam({ EstimateAffectRows: undefined }), {}, 'CreateFreeLockCorrectOrder');
      accepted(reply);
      assert.deepEqual(reply.json.CreateOrderResult, [900001]);
      assert.equal(fake().orders[0].PluginType, 'DC_CHUNK');
      const detail = await call(fake(), 'GetDataCorrectOrderDetail', { query: { OrderId: 900001 } });
      assert.equal(detail.json.DataCorrectOrderDetail.ConfigDetail.DetailType, 'CHUNK_DML');
    });

    it('refuses ATTACHMENT (not supported) even for a known attachment, and TEXT without ExecSQL', async () => {
      fake().attachmentKeys.add('upload_1_fix.sql');
      refused(await createCorrect(fake(), correctParam({ SqlType: 'ATTACHMENT', ExecSQL: undefined, AttachmentName: 'upload_1_fix.sql' }), {}, 'CreateFreeLockCorrectOrder'), 'InvalidParameterValid', /does not support SqlType ATTACHMENT/);
      refused(await createCorrect(fake(), correctParam({ ExecSQL: undefined }), {}, 'CreateFreeLockCorrectOrder'), 'InvalidParameterValid', /ExecSQL is mandatory/);
      refused(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: 1860 }] }), {}, 'CreateFreeLockCorrectOrder'), 'InvalidParameterValid', /Logic is mandatory/);
      assert.equal(fake().orders.length, 0);
    });
  });
});
