import * as assert from 'node:assert/strict';
import { specs } from '../../../fakes/dms/fakeDms';
import { useFakeDms } from '../../../fakes/dms/harness';
import { accepted, call, createOrder, exportParam, refused, refusedByGateway } from './client';

describe('fake DMS: the API gateway’s checks of each operation’s parameters and method', () => {
  const { fake } = useFakeDms();

  /** Every parameter of the operation (or only the required ones) with a value of its type, each in its place. */
  const sample = (action: string, all: boolean) => {
    const query: Record<string, string> = {};
    const body: Record<string, string> = {};
    for (const [name, p] of Object.entries(specs[action].params)) {
      if (!all && !p.required) continue;
      (p.at === 'Body' ? body : query)[name] = name === 'Tid' ? '3000' : { String: 'x', Long: '1', Integer: '1', Json: '{}', LongList: '[]' }[p.type];
    }
    return { query, body };
  };

  for (const action of Object.keys(specs)) {
    it(`${action}: refuses a parameter it does not have (InvalidParameter), in the query and in the form body; takes all it has`, async () => {
      const { query, body } = sample(action, false);
      refusedByGateway(await call(fake(), action, { query: { ...query, NotAParameter: 'x' }, body }), 400, 'InvalidParameter', new RegExp(`NotAParameter is not a parameter of ${action}`));
      refusedByGateway(await call(fake(), action, { query, body: { ...body, NotAParameter: 'x' } }), 400, 'InvalidParameter', /NotAParameter/);
      // The values may not make sense to DMS (a 200 or 403 refusal), but the gateway takes every name.
      const reply = await call(fake(), action, sample(action, true));
      assert.notEqual(reply.status, 400, JSON.stringify(reply.json));
      assert.equal(fake().orders.length, 0);
    });
  }

  it('does not take a parameter of another operation, nor one in the wrong case', async () => {
    refusedByGateway(await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 1, RealLoginUserUid: '2001' } }), 400, 'InvalidParameter', /RealLoginUserUid is not a parameter of GetOrderBaseInfo/);
    refusedByGateway(await call(fake(), 'ListOrders', { query: { OrderResultType: 'AS_COMMITTER', PageNo: 1 } }), 400, 'InvalidParameter', /PageNo/);
    refusedByGateway(await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 1, tid: 3000 } }), 400, 'InvalidParameter', /tid/);
  });

  it('takes Tid, RealLoginUserUid and the V1 common parameters (RegionId too) where the operation has them', async () => {
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { Tid: 3000, RealLoginUserUid: '2001' }));
    accepted(await call(fake(), 'GetDataExportDownloadURL', { query: { OrderId: 900001, Tid: 3000, RealLoginUserUid: '2001' } }));
    accepted(await call(fake(), 'ListUserTenants', { signature: 'v1', query: { Tid: 3000, RegionId: 'cn-hangzhou' } }));
    accepted(await call(fake(), 'SearchDatabase', { signature: 'v1', query: { SearchKey: 'shop', RealLoginUserUid: '2001' } }));
  });

  it('reads a form-body parameter only from the body, and a query parameter only from the query', async () => {
    refusedByGateway(await call(fake(), 'GetDataExportOrderDetail', { query: { OrderId: 1 } }), 400, 'MissingOrderId');
    refusedByGateway(await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 1 }, body: { Tid: 3000 } }), 400, 'InvalidParameter', /Tid of GetOrderBaseInfo belongs in the query string/);
    refusedByGateway(await call(fake(), 'GetOrderBaseInfo', { body: { OrderId: 1 } }), 400, 'MissingOrderId');
  });

  const integers: Array<[string, Record<string, string | number>, string]> = [
    ['GetOrderBaseInfo', { OrderId: 'abc' }, 'InvalidOrderId'],
    ['GetOrderBaseInfo', { OrderId: '1.5' }, 'InvalidOrderId'],
    ['GetOrderBaseInfo', { OrderId: '99999999999999999999' }, 'InvalidOrderId'],
    ['GetOrderBaseInfo', { OrderId: 1, Tid: 'acme' }, 'InvalidTid'],
    ['GetApprovalDetail', { WorkflowInstanceId: '5e3' }, 'InvalidWorkflowInstanceId'],
    ['ApproveOrder', { WorkflowInstanceId: 1, ApprovalType: 'TRANSFER', NewApprover: 'bob' }, 'InvalidNewApprover'],
    ['ListOrders', { PageNumber: 'one' }, 'InvalidPageNumber'],
    ['ListOrders', { PageSize: '' }, 'InvalidPageSize'],
    ['SubmitOrderApproval', { OrderId: ' 1' }, 'InvalidOrderId'],
  ];
  for (const [action, query, code] of integers) {
    it(`${action} takes ${Object.keys(query).at(-1)} only as an integer: ${JSON.stringify(query)} → ${code}`, async () => {
      refusedByGateway(await call(fake(), action, { query }), 400, code, /^Specified parameter \w+ is not valid\.$/);
    });
  }

  it('takes ExecuteDataCorrect’s Tid as a string (its SDK type), then refuses an unknown tenant (InvalidTid)', async () => {
    refused(await call(fake(), 'ExecuteDataCorrect', { query: { OrderId: 1, Tid: 'acme' } }), 'InvalidTid');
  });

  it('refuses an ActionDetail that is not a JSON object', async () => {
    refusedByGateway(await call(fake(), 'ExecuteDataCorrect', { query: { OrderId: 1, ActionDetail: 'now' } }), 400, 'InvalidActionDetail');
  });

  it('takes GET and POST for the operations, and no other method', async () => {
    accepted(await call(fake(), 'ListUserTenants', { method: 'GET' }));
    accepted(await call(fake(), 'ListUserTenants', { method: 'GET', signature: 'v1' }));
    refusedByGateway(await call(fake(), 'ListUserTenants', { method: 'PUT' }), 400, 'UnsupportedHTTPMethod');
  });

  it('runs ExecuteDataExport only on POST: a GET is refused (UnsupportedHTTPMethod) and leaves the ticket as it was', async () => {
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam()));
    accepted(await call(fake(), 'GetDataExportOrderDetail', { body: { OrderId: 900001 } }));
    accepted(await call(fake(), 'SubmitOrderApproval', { query: { OrderId: 900001 } }));
    const info = await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 900001 } });
    accepted(await call(fake(), 'ApproveOrder', { accessKeyId: 'bob-ak', query: { WorkflowInstanceId: info.json.OrderBaseInfo.WorkflowInstanceId, ApprovalType: 'AGREE' } }));
    const actionDetail = JSON.stringify({ mode: 'FAST', encoding: 'UTF8', fileType: 'CSV', transaction: false });
    for (const signature of ['v3', 'v1'] as const) {
      refusedByGateway(await call(fake(), 'ExecuteDataExport', { method: 'GET', signature, query: { OrderId: 900001, ActionDetail: actionDetail } }), 400, 'UnsupportedHTTPMethod', /use POST/);
    }
    assert.equal(fake().orders[0].StatusCode, 'approved');
    accepted(await call(fake(), 'ExecuteDataExport', { query: { OrderId: 900001, ActionDetail: actionDetail } }));
    assert.equal(fake().orders[0].StatusCode, 'processing');
  });

  it('says an operation it does not have is not found (404 InvalidApi.NotFound)', async () => {
    refusedByGateway(await call(fake(), 'CreateTicket'), 404, 'InvalidApi.NotFound');
  });
});
