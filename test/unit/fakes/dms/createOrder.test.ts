import * as assert from 'node:assert/strict';
import { useFakeDms } from '../../../fakes/dms/harness';
import { accepted, call, createOrder, exportParam, json, nddlParam, refused, refusedByGateway } from './client';

describe('fake DMS: CreateOrder', () => {
  const { fake } = useFakeDms();

  it('files a data export and a schema design with the documented PluginParam, answering OrderIds as an array by default', async () => {
    const exported = await createOrder(fake(), 'DATA_EXPORT', exportParam(), { RelatedUserList: '102,103' });
    accepted(exported);
    assert.deepEqual(exported.json.CreateOrderResult, { OrderIds: [900001] });
    accepted(await createOrder(fake(), 'NDDL', nddlParam({ relatedIds: [102] })));
    assert.deepEqual(fake().orders.map((o) => [o.PluginType, o.RelatedUserIds]), [['DATA_EXPORT', ['102', '103']], ['NDDL', ['102']]]);
  });

  it('answers OrderIds as a number or a string when told to, as the API document’s sample shows', async () => {
    fake().orderIdsShape = 'number';
    assert.deepEqual((await createOrder(fake(), 'DATA_EXPORT', exportParam())).json.CreateOrderResult, { OrderIds: 900001 });
    fake().orderIdsShape = 'string';
    assert.deepEqual((await createOrder(fake(), 'DATA_EXPORT', exportParam())).json.CreateOrderResult, { OrderIds: '900002' });
  });

  it('takes ignoreAffectRows:true with a reason', async () => {
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam({ ignoreAffectRows: true, affectRows: 0, ignoreAffectRowsReason: 'not estimated' })));
    assert.equal(fake().orders.length, 1);
  });

  const exportRefusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['dbId as a string', { dbId: '1860' }, /dbId must be a non-negative integer/],
    ['dbId as a fraction', { dbId: 1860.5 }, /dbId must be a non-negative integer/],
    ['no classify', { classify: undefined }, /classify is mandatory/],
    ['an empty classify', { classify: ' ' }, /classify is mandatory/],
    ['no logic', { logic: undefined }, /logic is mandatory/],
    ['logic as a string', { logic: 'false' }, /logic must be true or false/],
    ['no affectRows', { affectRows: undefined }, /affectRows is mandatory/],
    ['affectRows as a string', { affectRows: '2' }, /affectRows must be a non-negative integer/],
    ['a negative affectRows', { affectRows: -1 }, /affectRows must be a non-negative integer/],
    ['no exeSQL', { exeSQL: undefined }, /exeSQL is mandatory/],
    ['exeSQL as a number', { exeSQL: 1 }, /exeSQL must be a string/],
    ['no ignoreAffectRows', { ignoreAffectRows: undefined }, /ignoreAffectRows is mandatory/],
    ['ignoreAffectRows as a string', { ignoreAffectRows: 'true', ignoreAffectRowsReason: 'x' }, /ignoreAffectRows must be true or false/],
    ['ignoreAffectRows:true without a reason', { ignoreAffectRows: true }, /ignoreAffectRowsReason is mandatory when ignoreAffectRows is true/],
    ['ignoreAffectRows:true with a blank reason', { ignoreAffectRows: true, ignoreAffectRowsReason: '  ' }, /ignoreAffectRowsReason is mandatory/],
    ['an unknown key (a misspelt one)', { exeSql: 'SELECT 1' }, /unknown key "exeSql"/],
  ];
  for (const [label, over, message] of exportRefusals) {
    it(`refuses a DATA_EXPORT PluginParam with ${label} (InvalidParameterValid), creating nothing`, async () => {
      refused(await createOrder(fake(), 'DATA_EXPORT', exportParam(over)), 'InvalidParameterValid', message);
      assert.equal(fake().orders.length, 0);
    });
  }

  const nddlRefusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no title', { title: undefined }, /title is mandatory/],
    ['no description', { description: undefined }, /description is mandatory/],
    ['dbId as a string', { dbId: '1861' }, /dbId must be a non-negative integer/],
    ['no dbId', { dbId: undefined }, /dbId is mandatory/],
    ['logic as a number', { logic: 0 }, /logic must be true or false/],
    ['relatedIds of strings', { relatedIds: ['102'] }, /relatedIds must be an array of numbers/],
  ];
  for (const [label, over, message] of nddlRefusals) {
    it(`refuses an NDDL PluginParam with ${label} (InvalidParameterValid), creating nothing`, async () => {
      refused(await createOrder(fake(), 'NDDL', nddlParam(over)), 'InvalidParameterValid', message);
      assert.equal(fake().orders.length, 0);
    });
  }

  it('refuses a PluginParam that is not a JSON object at the gateway (InvalidPluginParam)', async () => {
    refusedByGateway(await call(fake(), 'CreateOrder', { query: { Comment: 'c', PluginType: 'DATA_EXPORT' }, body: { PluginParam: '{"dbId":' } }), 400, 'InvalidPluginParam');
    refusedByGateway(await call(fake(), 'CreateOrder', { query: { Comment: 'c', PluginType: 'DATA_EXPORT' }, body: { PluginParam: '[1]' } }), 400, 'InvalidPluginParam');
    assert.equal(fake().orders.length, 0);
  });

  const dedicated: Array<[string, string]> = [
    ['DC_COMMON', 'CreateDataCorrectOrder'],
    ['DATA_CORRECT', 'CreateDataCorrectOrder'],
    ['DC_CHUNK', 'CreateFreeLockCorrectOrder'],
    ['DC_CRON_CLEAR', 'CreateDataCronClearOrder'],
    ['DC_BIG_FILE', 'CreateDataImportOrder'],
    ['TABLE_SYNC', 'CreateStructSyncOrder'],
  ];
  for (const [type, operation] of dedicated) {
    it(`refuses PluginType ${type}, naming ${operation}`, async () => {
      refused(await createOrder(fake(), type, { DbItemList: [{ DbId: 1860, Logic: false }], SqlType: 'TEXT', ExecSQL: 'UPDATE t SET a = 1', EstimateAffectRows: 1 }), 'InvalidParameterValid', new RegExp(`use ${operation}`));
      assert.equal(fake().orders.length, 0);
    });
  }

  it('refuses any other PluginType, and a lowercase one', async () => {
    refused(await createOrder(fake(), 'PERM_APPLY', exportParam()), 'InvalidParameterValid', /PluginType PERM_APPLY is not supported by CreateOrder/);
    refused(await createOrder(fake(), 'data_export', exportParam()), 'InvalidParameterValid', /not supported/);
    assert.equal(fake().orders.length, 0);
  });

  it('refuses related users who are not in the tenant (UserNotExist, User [x] not exist)', async () => {
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { RelatedUserList: '102,999' }), 'UserNotExist', /^User \[999\] not exist$/);
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { RelatedUserList: 'bob' }), 'UserNotExist', /^User \[bob\] not exist$/);
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { RelatedUserList: '[102]' }), 'UserNotExist', /^User \[\[102\]\] not exist$/);
    refused(await createOrder(fake(), 'NDDL', nddlParam({ relatedIds: [998] })), 'UserNotExist', /^User \[998\] not exist$/);
    assert.equal(fake().orders.length, 0);
  });

  it('refuses a database that does not exist, or a physical one named as logical (InvalidDbId)', async () => {
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam({ dbId: 4242 })), 'InvalidDbId');
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam({ logic: true })), 'InvalidDbId');
    assert.equal(fake().orders.length, 0);
  });

  it('refuses an AttachmentKey DMS does not know, and takes one it does', async () => {
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { AttachmentKey: 'upload_nothing.png' }), 'InvalidParameterValid', /Attachment \[upload_nothing\.png\] not exist/);
    assert.equal(fake().orders.length, 0);
    fake().attachmentKeys.add('upload_1_note.png');
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { AttachmentKey: 'upload_1_note.png' }));
    const info = await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 900001 } });
    assert.equal(info.json.OrderBaseInfo.AttachmentKey, 'upload_1_note.png');
  });

  it('reads PluginParam only from the form body', async () => {
    refusedByGateway(await call(fake(), 'CreateOrder', { query: { Comment: 'c', PluginType: 'DATA_EXPORT', PluginParam: json(exportParam()) } }), 400, 'MissingPluginParam', /PluginParam is mandatory for this action\./);
    assert.equal(fake().orders.length, 0);
  });
});
