import * as assert from 'node:assert/strict';
import { useFakeDms } from '../../../fakes/dms/harness';
import { accepted, call, correctParam, createCorrect, createOrder, exportParam, nddlParam, refused, refusedByGateway } from './client';

describe('fake DMS: instances, control modes and their discovery', () => {
  const { fake } = useFakeDms();

  it('GetDatabase finds a database by Host, Port and SchemaName, with its InstanceId', async () => {
    const reply = await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: 3306, SchemaName: 'billing' } });
    accepted(reply);
    assert.deepEqual(
      (({ DatabaseId, InstanceId, SchemaName, SearchName, DbType, EnvType, Host, Port }) => ({ DatabaseId, InstanceId, SchemaName, SearchName, DbType, EnvType, Host, Port }))(reply.json.Database),
      { DatabaseId: '1870', InstanceId: '1004', SchemaName: 'billing', SearchName: 'billing@rm-bp4.mysql.rds.aliyuncs.com:3306', DbType: 'mysql', EnvType: 'product', Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: 3306 },
    );
  });

  it('GetDatabase requires Host, Port and SchemaName, takes Port only as an integer, and refuses an address without a database', async () => {
    refusedByGateway(await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: 3306 } }), 400, 'MissingSchemaName');
    refusedByGateway(await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', SchemaName: 'billing' } }), 400, 'MissingPort');
    refusedByGateway(await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: '33o6', SchemaName: 'billing' } }), 400, 'InvalidPort');
    refused(await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: 3306, SchemaName: 'shop' } }), 'InvalidParameterValid', /not exist/);
    refused(await call(fake(), 'GetDatabase', { query: { Host: 'rm-bp4.mysql.rds.aliyuncs.com', Port: 3306, SchemaName: 'billing', Sid: 'orcl' } }), 'InvalidParameterValid', /not exist/);
  });

  it('GetInstance tells the control mode of the instance at Host and Port', async () => {
    const mode = async (host: string) => {
      const reply = await call(fake(), 'GetInstance', { query: { Host: host, Port: 3306 } });
      accepted(reply);
      return [reply.json.Instance.InstanceId, reply.json.Instance.StandardGroup.GroupMode, reply.json.Instance.Host, reply.json.Instance.Port];
    };
    assert.deepEqual(await mode('rm-bp1.mysql.rds.aliyuncs.com'), ['1001', 'COMMON', 'rm-bp1.mysql.rds.aliyuncs.com', 3306]);
    assert.deepEqual(await mode('rm-bp4.mysql.rds.aliyuncs.com'), ['1004', 'STABLE', 'rm-bp4.mysql.rds.aliyuncs.com', 3306]);
    assert.deepEqual(await mode('rm-bp5.mysql.rds.aliyuncs.com'), ['1005', 'NONE_CONTROL', 'rm-bp5.mysql.rds.aliyuncs.com', 3306]);
    refusedByGateway(await call(fake(), 'GetInstance', { query: { Port: 3306 } }), 400, 'MissingHost');
    refused(await call(fake(), 'GetInstance', { query: { Host: 'rm-nowhere', Port: 3306 } }), 'InvalidParameterValid', /not exist/);
    refusedByGateway(await call(fake(), 'GetInstance', { query: { Host: 'rm-bp1.mysql.rds.aliyuncs.com', Port: 3306, SchemaName: 'shop' } }), 400, 'InvalidParameter', /SchemaName is not a parameter of GetInstance/);
  });

  it('ListInstances pages InstanceList.Instance[] and filters, refusing a page size over 100', async () => {
    const all = await call(fake(), 'ListInstances', { query: { PageNumber: 1, PageSize: 100 } });
    accepted(all);
    assert.equal(all.json.TotalCount, 5);
    assert.deepEqual(all.json.InstanceList.Instance.map((i: { InstanceId: string; StandardGroup: { GroupMode: string } }) => [i.InstanceId, i.StandardGroup.GroupMode]), [
      ['1001', 'COMMON'], ['1002', 'COMMON'], ['1003', 'COMMON'], ['1004', 'STABLE'], ['1005', 'NONE_CONTROL'],
    ]);
    const second = await call(fake(), 'ListInstances', { query: { PageNumber: 2, PageSize: 2 } });
    assert.deepEqual(second.json.InstanceList.Instance.map((i: { InstanceId: string }) => i.InstanceId), ['1003', '1004']);
    assert.equal(second.json.TotalCount, 5);
    const dev = await call(fake(), 'ListInstances', { query: { EnvType: 'dev' } });
    assert.deepEqual(dev.json.InstanceList.Instance.map((i: { InstanceId: string }) => i.InstanceId), ['1005']);
    refusedByGateway(await call(fake(), 'ListInstances', { query: { PageSize: 101 } }), 403, 'InvalidPageSize');
    refusedByGateway(await call(fake(), 'ListInstances', { query: { PageNumber: 0 } }), 403, 'InvalidPageNumber');
    refusedByGateway(await call(fake(), 'ListInstances', { query: { EnvType: 'prod' } }), 403, 'InvalidParameterValid', /EnvType/);
  });

  it('SearchDatabase rows carry the Host and Port of their instance', async () => {
    const reply = await call(fake(), 'SearchDatabase', { query: { SearchKey: 'billing' } });
    accepted(reply);
    const [db] = reply.json.SearchDatabaseList.SearchDatabase;
    assert.deepEqual([db.DatabaseId, db.Host, db.Port, db.SchemaName], ['1870', 'rm-bp4.mysql.rds.aliyuncs.com', 3306, 'billing']);
    for (const row of (await call(fake(), 'SearchDatabase', { query: { PageSize: 50, SearchTarget: 'SINGLE_DB' } })).json.SearchDatabaseList.SearchDatabase) {
      assert.equal(row.SearchName, `${row.SchemaName}@${row.Host}:${row.Port}`);
    }
    // A logical database spans instances: it has a name of its own and no address.
    const logical = (await call(fake(), 'SearchDatabase', { query: { SearchTarget: 'LOGIC_DB' } })).json.SearchDatabaseList.SearchDatabase;
    assert.deepEqual(logical.map((row: Record<string, unknown>) => [row.DatabaseId, row.SearchName, row.Logic, row.Host]), [['1890', 'orders_logic', true, undefined]]);
  });

  const modes: Array<[string, number]> = [
    ['Stable Change', 1870],
    ['Flexible Management', 1880],
  ];
  for (const [mode, dbId] of modes) {
    it(`refuses data export, schema design and regular data change on an instance in ${mode} mode`, async () => {
      refused(await createOrder(fake(), 'DATA_EXPORT', exportParam({ dbId })), 'UnsupportedControlMode', new RegExp(`${mode} mode; DATA_EXPORT tickets need Security Collaboration`));
      refused(await createOrder(fake(), 'NDDL', nddlParam({ dbId })), 'UnsupportedControlMode', /NDDL tickets need Security Collaboration/);
      refused(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: dbId, Logic: false }] })), 'UnsupportedControlMode', /DC_COMMON tickets need Security Collaboration/);
      refused(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: 1860, Logic: false }, { DbId: dbId, Logic: false }] })), 'UnsupportedControlMode');
      assert.equal(fake().orders.length, 0);
    });
  }

  it('files lock-free change on Security Collaboration and Stable Change, not on Flexible Management', async () => {
    accepted(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: 1860, Logic: false }] }), {}, 'CreateFreeLockCorrectOrder'));
    accepted(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: 1870, Logic: false }] }), {}, 'CreateFreeLockCorrectOrder'));
    refused(await createCorrect(fake(), correctParam({ DbItemList: [{ DbId: 1880, Logic: false }] }), {}, 'CreateFreeLockCorrectOrder'), 'UnsupportedControlMode', /DC_CHUNK tickets need Security Collaboration or Stable Change/);
    assert.deepEqual(fake().orders.map((o) => o.PluginType), ['DC_CHUNK', 'DC_CHUNK']);
  });

  it('follows a change of an instance’s mode', async () => {
    fake().instances.find((i) => i.InstanceId === '1001')!.GroupMode = 'STABLE';
    refused(await createOrder(fake(), 'DATA_EXPORT', exportParam()), 'UnsupportedControlMode');
    assert.equal(fake().orders.length, 0);
  });
});
