import * as assert from 'node:assert/strict';
import { useFakeDms } from '../../../fakes/dms/harness';
import { accepted, call, createOrder, exportParam, refusedByGateway } from './client';

describe('fake DMS: ListOrders', () => {
  const { fake } = useFakeDms();

  const list = (query: Record<string, string | number>, accessKeyId = 'alice-ak') => call(fake(), 'ListOrders', { query, accessKeyId });
  const ids = (reply: Awaited<ReturnType<typeof list>>) => reply.json.Orders.Order.map((o: { OrderId: number }) => o.OrderId);

  it('takes each documented OrderResultType (AS_Related in its mixed case) and OrderStatus', async () => {
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam(), { RelatedUserList: '102' }));
    for (const type of ['AS_COMMITTER', 'AS_HANDLER', 'AS_OWNER', 'AS_Related']) {
      for (const status of ['ALL', 'FINISHED', 'RUNNING']) accepted(await list({ OrderResultType: type, OrderStatus: status }));
    }
    accepted(await list({ OrderResultType: 'AS_ADMIN' }, 'carol-ak'));
    assert.deepEqual(ids(await list({ OrderResultType: 'AS_Related' }, 'bob-ak')), [900001]);
    assert.deepEqual(ids(await list({ OrderResultType: 'AS_COMMITTER', OrderStatus: 'FINISHED' })), []);
  });

  const refusals: Array<[string, Record<string, string | number>, string]> = [
    ['OrderResultType AS_RELATED (wrong case)', { OrderResultType: 'AS_RELATED' }, 'InvalidParameterValid'],
    ['OrderResultType AS_SUBMITTER', { OrderResultType: 'AS_SUBMITTER' }, 'InvalidParameterValid'],
    ['OrderStatus DONE', { OrderStatus: 'DONE' }, 'InvalidParameterValid'],
    ['OrderStatus in lowercase', { OrderStatus: 'all' }, 'InvalidParameterValid'],
    ['PluginType DATAEXPORT', { PluginType: 'DATAEXPORT' }, 'InvalidParameterValid'],
    ['SearchDateType TODAY', { SearchDateType: 'TODAY' }, 'InvalidParameterValid'],
    ['PageSize 0', { PageSize: 0 }, 'InvalidPageSize'],
    ['PageSize 101', { PageSize: 101 }, 'InvalidPageSize'],
    ['PageNumber 0', { PageNumber: 0 }, 'InvalidPageNumber'],
    ['PageNumber -1', { PageNumber: -1 }, 'InvalidPageNumber'],
    ['a StartTime in ISO form', { StartTime: '2026-01-01T00:00:00Z' }, 'InvalidStartTime'],
  ];
  for (const [label, query, code] of refusals) {
    it(`refuses ${label} with HTTP 403 ${code}`, async () => {
      refusedByGateway(await list({ OrderResultType: 'AS_COMMITTER', ...query }), 403, code, /^Specified parameter \w+ is not valid\.$/);
    });
  }

  it('filters by PluginType, DATA_CORRECT covering the data change types', async () => {
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam()));
    accepted(await call(fake(), 'CreateDataCorrectOrder', { query: { Comment: 'c', Param: JSON.stringify({ DbItemList: [{ DbId: 1860, Logic: false }], SqlType: 'TEXT', ExecSQL: 'UPDATE t SET a = 1', EstimateAffectRows: 1 }) } }));
    assert.deepEqual(ids(await list({ PluginType: 'DATA_EXPORT' })), [900001]);
    assert.deepEqual(ids(await list({ PluginType: 'DATA_CORRECT' })), [900002]);
    assert.deepEqual(ids(await list({ PageSize: 100 })), [900002, 900001]);
  });

  it('lags new tickets in ListOrders (search included) but not in GetOrderBaseInfo', async () => {
    fake().listLagMs = 60_000;
    accepted(await createOrder(fake(), 'DATA_EXPORT', exportParam()));
    assert.deepEqual(ids(await list({})), []);
    assert.deepEqual(ids(await list({ SearchContent: '900001' })), []);
    const info = await call(fake(), 'GetOrderBaseInfo', { query: { OrderId: 900001 } });
    accepted(info);
    assert.equal(info.json.OrderBaseInfo.OrderId, 900001);
    fake().listLagMs = 0;
    assert.deepEqual(ids(await list({ SearchContent: '900001' })), [900001]);
  });
});
