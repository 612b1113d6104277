import * as assert from 'node:assert/strict';
import { useFakeOsm, ACCESS_KEY } from '../../../fakes/huawei/harness';
import { caseBody, createCase, login, osm, type QueryValue } from './client';

/** Cases: creation checks, detail, list filters and paging, the action state machine, messages, score, relations, logs. */

const OTHER_ACCOUNT = { ak: 'HPUAOTHERACCOUNT0001', sk: 'other-secret-0123456789', domainId: 'ffffffffffffffffffffffffffff0002' };

describe('Fake OSM cases: create and detail', () => {
  const fake = useFakeOsm();

  it('creates a case with the spec’s fields and shows it in detail and status', async () => {
    const created = await osm(fake()).post('/cases', { body: caseBody({ remind_mobile: '13800000000', extends_map: { instance_id: 'rds-1' } }) });
    assert.equal(created.status, 200);
    assert.match(created.json.incident_id, /^CS\d{14}$/);
    const detail = (await osm(fake()).get(`/cases/${created.json.incident_id}`)).json.incident_detail_info;
    assert.equal(detail.status, 0);
    assert.equal(detail.simple_description, caseBody().simple_description);
    assert.equal(detail.business_type_name, 'SQL 执行与变更');
    assert.equal(detail.severity_name, '重要');
    assert.equal(detail.ext_info.remind_mobile, '13800000000');
    assert.match(detail.create_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(detail.message_list[0].is_first_message, 1);
    const status = await osm(fake()).get(`/cases/${created.json.incident_id}/status`);
    assert.deepEqual(status.json, { status: 0 });
    const english = await osm(fake(), { headers: { 'X-Language': 'en-us' } }).get(`/cases/${created.json.incident_id}`);
    assert.equal(english.json.incident_detail_info.business_type_name, 'SQL execution and changes');
  });

  it('refuses missing, too long or mistyped fields with HTTP 200 and OSM.01010001, creating nothing', async () => {
    const bodies = [
      caseBody({ business_type_id: undefined }),
      caseBody({ simple_description: '' }),
      caseBody({ source_id: undefined }),
      caseBody({ simple_description: 'x'.repeat(1201) }),
      caseBody({ remind_mail: `${'m'.repeat(120)}@example.com` }),
      caseBody({ region_id: 42 }),
      caseBody({ source_id: '00000000000000000000000000000000' }),
      caseBody({ business_type_id: 'no-such-type' }),
      caseBody({ extends_map: 'not an object' }),
    ];
    for (const body of bodies) {
      const reply = await osm(fake()).post('/cases', { body });
      assert.equal(reply.status, 200);
      assert.equal(reply.json.error_code, 'OSM.01010001', JSON.stringify(body));
    }
    assert.equal(fake().cases.all.length, 0);
    assert.equal((await osm(fake()).post('/cases', { body: caseBody({ simple_description: 'x'.repeat(1200) }) })).json.error_code, undefined);
  });

  it('a fault report needs a known region_id; an unknown severity is OSM.01010006', async () => {
    const fault = { business_type_id: '0f1e2d3c4b5a49687766554433221102' };
    assert.equal((await osm(fake()).post('/cases', { body: caseBody(fault) })).json.error_code, 'OSM.01010001');
    assert.equal((await osm(fake()).post('/cases', { body: caseBody({ ...fault, region_id: 'mars-1' }) })).json.error_code, 'OSM.01010001');
    const ok = await osm(fake()).post('/cases', { body: caseBody({ ...fault, region_id: 'cn-north-4' }) });
    assert.equal(ok.json.error_code, undefined);
    assert.equal((await osm(fake()).get(`/cases/${ok.json.incident_id}`)).json.incident_detail_info.dc_name, '华北-北京四');
    assert.equal((await osm(fake()).post('/cases', { body: caseBody({ severity_id: 'sev-9' }) })).json.error_code, 'OSM.01010006');
  });

  it('a body that is not JSON is a 400 OSM.0001', async () => {
    // Token-authenticated: a signature would cover the body, and the SDK cannot hash bytes that are not JSON.
    const { token } = await login(fake());
    const reply = await osm(fake(), { token }).post('/cases', { raw: { data: Buffer.from('{"business_type_id":'), contentType: 'application/json' } });
    assert.deepEqual([reply.status, reply.json.error_code], [400, 'OSM.0001']);
  });

  it('another account’s case does not exist for the caller (OSM.01010015)', async () => {
    fake().addAccessKey(OTHER_ACCOUNT);
    const id = await createCase(fake());
    const theirs = await osm(fake(), { key: OTHER_ACCOUNT }).get(`/cases/${id}`);
    assert.deepEqual([theirs.status, theirs.json.error_code], [200, 'OSM.01010015']);
    assert.equal((await osm(fake(), { key: OTHER_ACCOUNT }).get('/cases')).json.total_count, 0);
  });
});

describe('Fake OSM cases: list', () => {
  const fake = useFakeOsm();

  it('filters before paging: total_count counts every match, the page holds only matches', async () => {
    for (let i = 0; i < 10; i++) await createCase(fake(), { simple_description: i % 2 === 0 ? `alpha 订单 ${i}` : `beta ${i}` });
    const page = await osm(fake()).get('/cases', { query: { search_key: ['alpha'], offset: 2, limit: 2 } });
    assert.equal(page.json.total_count, 5);
    assert.equal(page.json.incident_info_list.length, 2);
    assert.ok(page.json.incident_info_list.every((c: { simple_description: string }) => c.simple_description.startsWith('alpha')));
    // Newest first: offset 2 of alpha 8, 6, 4, 2, 0 is 4 then 2.
    assert.deepEqual(page.json.incident_info_list.map((c: { simple_description: string }) => c.simple_description), ['alpha 订单 4', 'alpha 订单 2']);
    const both = await osm(fake()).get('/cases', { query: { search_key: ['alpha 订单', '8'] } });
    assert.equal(both.json.total_count, 1);
    const all = await osm(fake()).get('/cases', { query: { limit: 100 } });
    assert.equal(all.json.total_count, 10);
  });

  it('filters by status, incident_status list and incident_id; deleted cases leave the list', async () => {
    const [a, b, c] = [await createCase(fake()), await createCase(fake()), await createCase(fake())];
    fake().setNativeStatus(b, 1);
    fake().setNativeStatus(c, 13);
    const ids = async (query: Record<string, string | number>) => (await osm(fake()).get('/cases', { query })).json.incident_info_list.map((x: { incident_id: string }) => x.incident_id);
    assert.deepEqual(await ids({ status: 1 }), [b]);
    assert.deepEqual(await ids({ incident_status: '0,1' }), [b, a]);
    assert.deepEqual(await ids({}), [b, a]);
    assert.deepEqual(await ids({ status: 13 }), [c]);
    assert.deepEqual(await ids({ incident_id: a }), [a]);
    const counts = await osm(fake()).get('/cases/count');
    assert.deepEqual(counts.json.incident_status_counts, [{ status: 0, count: 1 }, { status: 1, count: 1 }, { status: 13, count: 1 }]);
  });

  it('refuses query parameters outside their ranges with 400 OSM.0001', async () => {
    const queries: Array<Record<string, QueryValue>> = [{ limit: 101 }, { limit: -1 }, { offset: 65536 }, { offset: 'x' }, { search_key: ['a', 'b', 'c', 'd'] }, { status: 31 }];
    for (const query of queries) {
      const reply = await osm(fake()).get('/cases', { query });
      assert.deepEqual([reply.status, reply.json.error_code], [400, 'OSM.0001'], JSON.stringify(query));
    }
    assert.equal((await osm(fake()).get('/cases', { query: { limit: 100, offset: 65535, search_key: ['a', 'b', 'c'] } })).status, 200);
  });

  it('with listLagMs a new case shows in list and count only after the lag; detail works at once', async () => {
    fake().listLagMs = 300;
    const id = await createCase(fake());
    assert.equal((await osm(fake()).get('/cases')).json.total_count, 0);
    assert.deepEqual((await osm(fake()).get('/cases/count')).json.incident_status_counts, []);
    assert.equal((await osm(fake()).get(`/cases/${id}`)).json.incident_detail_info.incident_id, id);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await osm(fake()).get('/cases')).json.incident_info_list[0].incident_id, id);
  });
});

describe('Fake OSM cases: actions, messages, score, relations, logs', () => {
  const fake = useFakeOsm();
  const act = (id: string, action: string | undefined, body: unknown = {}) => osm(fake()).post(`/cases/${id}/action`, { query: action === undefined ? {} : { action_id: action }, body });

  it('cancel leads 0 → 4; close is refused before work started; delete only finished cases (→ 13)', async () => {
    const id = await createCase(fake());
    assert.equal((await act(id, 'close')).json.error_code, 'OSM.01010017');
    assert.equal((await act(id, 'delete')).json.error_code, 'OSM.01010017');
    const cancel = await act(id, 'cancel', { operate_desc: 'no longer needed' });
    assert.deepEqual([cancel.status, cancel.json.error_code], [200, undefined]);
    assert.equal(fake().caseById(id)?.status, 4);
    assert.equal((await act(id, 'cancel')).json.error_code, 'OSM.01010017');
    assert.equal((await act(id, 'delete')).json.error_code, undefined);
    assert.equal(fake().caseById(id)?.status, 13);
  });

  it('close from processing leads to 3; an unknown action is OSM.01010013, a missing one a 400, an unknown case OSM.01010015', async () => {
    const id = await createCase(fake());
    fake().setNativeStatus(id, 1);
    assert.equal((await act(id, 'close')).json.error_code, undefined);
    assert.equal(fake().caseById(id)?.status, 3);
    assert.equal((await act(id, 'reopen')).json.error_code, 'OSM.01010013');
    const missing = await act(id, undefined);
    assert.deepEqual([missing.status, missing.json.error_code], [400, 'OSM.0001']);
    assert.equal((await act('CS00000000000000', 'press')).json.error_code, 'OSM.01010015');
  });

  it('urging twice within the interval is OSM.01010004; a status the spec does not list allows no action', async () => {
    const id = await createCase(fake());
    assert.equal((await act(id, 'press')).json.error_code, undefined);
    assert.equal((await act(id, 'press')).json.error_code, 'OSM.01010004');
    fake().setNativeStatus(id, 27);
    assert.equal((await osm(fake()).get(`/cases/${id}`)).json.incident_detail_info.status, 27);
    for (const action of ['cancel', 'close', 'press', 'delete']) assert.equal((await act(id, action)).json.error_code, 'OSM.01010017');
  });

  it('messages: POST /message adds one, engineer replies appear, a finished case takes none', async () => {
    const id = await createCase(fake());
    assert.equal((await osm(fake()).post(`/cases/${id}/message`, { body: { message: { content: '补充：表有 2 亿行' } } })).json.error_code, undefined);
    fake().addEngineerMessage(id, '已收到，正在评估。');
    const list = await osm(fake()).get(`/cases/${id}/messages`);
    assert.equal(list.json.count, 3);
    assert.deepEqual(list.json.message_list.map((m: { type: number; content: string }) => [m.type, m.content]), [[0, caseBody().simple_description], [0, '补充：表有 2 亿行'], [1, '已收到，正在评估。']]);
    assert.equal(list.json.message_list[2].replier_type, 1);
    assert.equal((await osm(fake()).post(`/cases/${id}/message`, { body: { message: {} } })).json.error_code, 'OSM.01010001');
    fake().setNativeStatus(id, 3);
    assert.equal((await osm(fake()).post(`/cases/${id}/message`, { body: { message: { content: 'late' } } })).json.error_code, 'OSM.01010017');
  });

  it('score only after completion, once, with known dimensions', async () => {
    const id = await createCase(fake());
    const score = { judgement: '处理及时', incident_satisfaction_list: [{ satisfaction_id: 1, satisfaction_value: 5 }, { satisfaction_id: 3, satisfaction_value: 4 }] };
    assert.equal((await osm(fake()).post(`/cases/${id}/score`, { body: score })).json.error_code, 'OSM.01010017');
    fake().setNativeStatus(id, 3);
    assert.equal((await osm(fake()).post(`/cases/${id}/score`, { body: { ...score, incident_satisfaction_list: [{ satisfaction_id: 9, satisfaction_value: 5 }] } })).json.error_code, 'OSM.01010001');
    assert.equal((await osm(fake()).post(`/cases/${id}/score`, { body: score })).json.error_code, undefined);
    const detail = (await osm(fake()).get(`/cases/${id}`)).json.incident_detail_info;
    assert.equal(detail.judgement, '处理及时');
    assert.deepEqual(detail.incident_satisfaction.map((s: { satisfaction_id: number; satisfaction_value: number }) => [s.satisfaction_id, s.satisfaction_value]), [[1, 5], [3, 4]]);
    assert.equal((await osm(fake()).post(`/cases/${id}/score`, { body: score })).json.error_code, 'OSM.01010017');
  });

  it('relations: at most 3, existing and not itself; list and remove (DELETE with a JSON body)', async () => {
    const [main, r1, r2, r3, r4] = [await createCase(fake()), await createCase(fake()), await createCase(fake()), await createCase(fake()), await createCase(fake())];
    const relate = (ids: string[]) => osm(fake()).post(`/cases/${main}/relations`, { body: { related_id_list: ids } });
    assert.equal((await relate([r1, r2, r3, r4])).json.error_code, 'OSM.01010001');
    assert.equal((await relate([main])).json.error_code, 'OSM.01010001');
    assert.equal((await relate(['CS404'])).json.error_code, 'OSM.01010001');
    assert.equal((await relate([r1, r2])).json.error_code, undefined);
    assert.equal((await relate([r3])).json.error_code, undefined);
    assert.equal((await relate([r4])).json.error_code, 'OSM.01010001');
    const listed = await osm(fake()).get(`/cases/${main}/relations`);
    assert.deepEqual(listed.json.case_relation_list.map((r: { case_id: string }) => r.case_id), [r1, r2, r3]);
    assert.equal((await osm(fake()).delete(`/cases/${main}/relations`, { body: { related_id: r2 } })).json.error_code, undefined);
    assert.equal((await osm(fake()).delete(`/cases/${main}/relations`, { body: { related_id: r2 } })).json.error_code, 'OSM.01010017');
    assert.equal((await relate([r4])).json.error_code, undefined);
    assert.equal((await osm(fake()).get(`/cases/${main}/relations`)).json.case_relation_list.length, 3);
  });

  it('operate logs record the history with paging', async () => {
    const id = await createCase(fake());
    await act(id, 'press');
    fake().setNativeStatus(id, 1);
    await act(id, 'cancel');
    const logs = await osm(fake()).get(`/cases/${id}/operate-logs`, { query: { offset: 1, limit: 2 } });
    assert.equal(logs.json.total_count, 4);
    assert.deepEqual(logs.json.incident_operate_log_list.map((l: { operate_type: number; operator_type: number }) => [l.operate_type, l.operator_type]), [[2, 0], [7, 1]]);
    assert.equal(logs.json.incident_operate_log_list[0].incident_id, id);
  });

  it('contact info can be changed, within the field lengths', async () => {
    const id = await createCase(fake());
    assert.equal((await osm(fake()).put(`/cases/${id}/contact-info`, { body: { remind_mail: 'dba@example.com', remind_time: '09:00-18:00' } })).json.error_code, undefined);
    assert.equal((await osm(fake()).put(`/cases/${id}/contact-info`, { body: { remind_time: '09:00-18:00 every day' } })).json.error_code, 'OSM.01010001');
    assert.equal((await osm(fake()).get(`/cases/${id}`)).json.incident_detail_info.ext_info.remind_mail, 'dba@example.com');
  });
});

describe('Fake OSM config lookups', () => {
  const fake = useFakeOsm();

  it('categories → products → problem types → templates and severities, localised by X-Language', async () => {
    const api = osm(fake(), { headers: { 'X-Language': 'en-us' } });
    const categories = (await api.get('/config/categories')).json;
    const rds = categories.incident_sub_type_list[0].incident_product_category_list.find((p: { incident_product_category_acronym: string }) => p.incident_product_category_acronym === 'RDS');
    assert.equal(rds.incident_product_category_name, 'Relational Database Service');
    const problems = (await api.get('/config/problems', { query: { product_category_id: rds.incident_product_category_id } })).json;
    assert.equal(problems.total_count, 3);
    assert.deepEqual(problems.incident_business_type_list.map((p: { case_type: string }) => p.case_type).sort(), ['0', '0', '5']);
    const templates = (await api.get('/config/templates', { query: { business_type_id: problems.incident_business_type_list[0].business_type_id } })).json;
    assert.match(templates.incident_template_list[0].incident_template_content, /SQL:/);
    assert.equal((await api.get('/config/product-categories', { query: { product_category_name: 'gauss' } })).json.total_count, 1);
    assert.ok((await api.get('/config/severities')).json.show);
    assert.equal((await api.get('/config/regions')).json.data_center_list.find((r: { region_id: string }) => r.region_id === 'ap-southeast-3').type, 1);
    assert.equal((await osm(fake()).get('/config/satisfaction-dimensions')).json[0].satisfaction_name, '服务态度');
    assert.equal((await osm(fake()).get('/config/extends-map')).json.extends_params[0].param_key, 'instance_id');
    assert.equal((await osm(fake()).get('/config/limits')).json.config.create_case_ccemail_max_count, 5);
    assert.ok(fake().requests.every((r) => r.verified && r.seen.signedHeaders?.includes('host')));
    assert.equal(fake().requests[0].headers['x-domain-id'], ACCESS_KEY.domainId);
  });
});
