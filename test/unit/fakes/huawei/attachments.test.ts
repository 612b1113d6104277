import * as assert from 'node:assert/strict';
import { useFakeOsm } from '../../../fakes/huawei/harness';
import { caseBody, osm } from './client';

/** Attachments: the published limits, multipart and JSON upload, download, delete, binding to cases and messages. */

const BOUNDARY = '----osmFakeBoundary7MA4YWxkTrZu0gW';

function multipart(fileName: string, data: Buffer, meta: Record<string, unknown> = { fileName, accessoryFrom: 'incident', uploadType: 0 }): { data: Buffer; contentType: string } {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const form = `\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="form_data"\r\n\r\n${JSON.stringify(meta)}\r\n--${BOUNDARY}--\r\n`;
  return { data: Buffer.concat([Buffer.from(head), data, Buffer.from(form)]), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
}

describe('Fake OSM attachments', () => {
  const fake = useFakeOsm({ attachmentLimits: { dailyBytes: 3 * 1024 * 1024 } });
  const upload = (name: string, data: Buffer, meta?: Record<string, unknown>) => osm(fake()).post('/accessorys', { raw: multipart(name, data, meta) });

  it('publishes its limits: count, size in MB and file types (no .sql)', async () => {
    const limits = (await osm(fake()).get('/accessorys/limits')).json.accessory_limit;
    assert.deepEqual([limits.limit_count, limits.limit_size], ['5', '2']);
    assert.ok(limits.limit_file_type.split(',').includes('txt'));
    assert.ok(!limits.limit_file_type.split(',').includes('sql'));
  });

  it('a multipart upload returns an accessory_id; the download gives the same bytes', async () => {
    const bytes = Buffer.from('SELECT 1;\n-- 慢查询\n');
    const up = await upload('query.txt', bytes);
    assert.equal(up.status, 200);
    assert.match(up.json.accessory_id, /^[0-9a-f]{32}$/);
    assert.equal(fake().requestsOf('uploadAttachment')[0].seen.payload, 'unsigned');
    const down = await osm(fake()).get(`/accessorys/${up.json.accessory_id}`);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(down.buffer, bytes);
    assert.match(String(down.headers['content-disposition']), /query\.txt/);
  });

  it('refuses .sql, oversized, empty and badly described files with OSM.01010001', async () => {
    const refused = [
      await upload('change.sql', Buffer.from('DROP TABLE t;')),
      await upload('big.txt', Buffer.alloc(2 * 1024 * 1024 + 1, 97)),
      await upload('empty.txt', Buffer.alloc(0)),
      await upload('a.txt', Buffer.from('x'), { fileName: 'a.txt', accessoryFrom: 'elsewhere' }),
    ];
    for (const reply of refused) assert.deepEqual([reply.status, reply.json.error_code], [200, 'OSM.01010001']);
    assert.match(refused[0].json.error_msg, /\.sql is not allowed/);
    assert.equal(fake().attachments.items.size, 0);
    const notMultipart = await osm(fake()).post('/accessorys', { body: { fileName: 'a.txt' } });
    assert.deepEqual([notMultipart.status, notMultipart.json.error_code], [400, 'OSM.0001']);
  });

  it('the daily total is OSM.01010005 once exceeded', async () => {
    const mb = Buffer.alloc(1024 * 1024, 98);
    for (let i = 0; i < 3; i++) assert.equal((await upload(`part${i}.txt`, mb)).json.error_code, undefined);
    assert.equal((await upload('part3.txt', Buffer.from('x'))).json.error_code, 'OSM.01010005');
  });

  it('the JSON upload takes base64 and the same limits', async () => {
    const ok = await osm(fake()).post('/accessorys/json-format-content', { body: { accessory_name: 'shot.png', accessory_from: 'message', accessory_data: Buffer.from('PNG').toString('base64') } });
    assert.match(ok.json.accessory_id, /^[0-9a-f]{32}$/);
    const sql = await osm(fake()).post('/accessorys/json-format-content', { body: { accessory_name: 'x.sql', accessory_from: 'message', accessory_data: 'eA==' } });
    assert.equal(sql.json.error_code, 'OSM.01010001');
  });

  it('attachments bind to a new case or message, then cannot be deleted or reused; unbound ones can be deleted', async () => {
    const [a, b, c] = [(await upload('a.txt', Buffer.from('a'))).json.accessory_id, (await upload('b.txt', Buffer.from('b'))).json.accessory_id, (await upload('c.txt', Buffer.from('c'))).json.accessory_id];
    const created = await osm(fake()).post('/cases', { body: caseBody({ accessory_ids: [a] }) });
    const id = created.json.incident_id;
    assert.equal(created.json.error_code, undefined);
    assert.deepEqual((await osm(fake()).get(`/cases/${id}`)).json.incident_detail_info.message_list[0].accessory_list, [{ accessory_id: a, file_actual_name: 'a.txt' }]);
    assert.equal((await osm(fake()).post('/cases', { body: caseBody({ accessory_ids: [a] }) })).json.error_code, 'OSM.01010001');
    assert.equal((await osm(fake()).post(`/cases/${id}/message`, { body: { message: { content: 'log attached', accessory_ids: [b] } } })).json.error_code, undefined);
    assert.equal((await osm(fake()).get(`/cases/${id}/messages`)).json.message_list[1].accessory_list[0].accessory_id, b);
    assert.equal((await osm(fake()).delete(`/accessorys/${a}`)).json.error_code, 'OSM.01010017');
    assert.equal((await osm(fake()).delete(`/accessorys/${c}`)).json.error_code, undefined);
    assert.equal((await osm(fake()).get(`/accessorys/${c}`)).json.error_code, 'OSM.01010001');
    const many = [];
    for (let i = 0; i < 6; i++) many.push((await upload(`m${i}.txt`, Buffer.from('m'))).json.accessory_id);
    assert.equal((await osm(fake()).post('/cases', { body: caseBody({ accessory_ids: many }) })).json.error_code, 'OSM.01010001');
  });
});
