import * as assert from 'node:assert/strict';
import { useFakeOsm } from '../../../fakes/huawei/harness';
import { caseBody, createCase, login, loginBody, call, osm } from './client';

/** Every fault kind, its operation filter and its count. */

describe('Fake OSM faults', () => {
  const fake = useFakeOsm();
  const create = () => osm(fake()).post('/cases', { body: caseBody() });

  it('delay: answers after delayMs, and the work is done', async () => {
    fake().injectFault({ kind: 'delay', operation: 'createCase', delayMs: 250 });
    const started = Date.now();
    const reply = await create();
    assert.ok(Date.now() - started >= 240);
    assert.equal(reply.status, 200);
    assert.equal(fake().cases.all.length, 1);
  });

  it('reset: the socket is destroyed before anything is done', async () => {
    fake().injectFault({ kind: 'reset', operation: 'createCase' });
    await assert.rejects(create(), /socket hang up|ECONNRESET/);
    assert.equal(fake().cases.all.length, 0);
    assert.equal(fake().requests[0].fault, 'reset');
    assert.equal(fake().requests[0].status, 0);
  });

  it('dropAfterCommit: the case is created, the response is lost', async () => {
    fake().injectFault({ kind: 'dropAfterCommit', operation: 'createCase' });
    await assert.rejects(create(), /socket hang up|ECONNRESET/);
    assert.equal(fake().cases.all.length, 1);
    assert.equal((await osm(fake()).get('/cases')).json.total_count, 1);
  });

  it('5xx: 503 APIGW.0202 by default, 500 OSM.0004 on request; nothing done', async () => {
    fake().injectFault({ kind: '5xx', operation: 'createCase' });
    fake().injectFault({ kind: '5xx', operation: 'createCase', status: 500 });
    const [first, second] = [await create(), await create()];
    assert.deepEqual([first.status, first.json.error_code, second.status, second.json.error_code], [503, 'APIGW.0202', 500, 'OSM.0004']);
    assert.ok(first.headers['x-request-id']);
    assert.equal(fake().cases.all.length, 0);
    assert.equal((await create()).status, 200);
  });

  it('throttle: 429 APIGW.0308 with Retry-After when a hint is asked for; nothing done', async () => {
    fake().injectFault({ kind: 'throttle', operation: 'listCases', retryAfterMs: 1500 });
    fake().injectFault({ kind: 'throttle', operation: 'listCases' });
    const hinted = await osm(fake()).get('/cases');
    const plain = await osm(fake()).get('/cases');
    assert.deepEqual([hinted.status, hinted.json.error_code, hinted.headers['retry-after']], [429, 'APIGW.0308', '2']);
    assert.deepEqual([plain.status, plain.headers['retry-after']], [429, undefined]);
    assert.match(hinted.json.error_msg, /throttling threshold/);
    assert.equal((await osm(fake()).get('/cases')).status, 200);
  });

  it('malformed: invalid JSON after the work is done', async () => {
    fake().injectFault({ kind: 'malformed', operation: 'createCase' });
    const reply = await create();
    assert.equal(reply.status, 200);
    assert.equal(reply.json, undefined);
    assert.throws(() => JSON.parse(reply.buffer.toString()));
    assert.equal(fake().cases.all.length, 1);
  });

  it('wrongShape: valid JSON without the expected fields', async () => {
    fake().injectFault({ kind: 'wrongShape', operation: 'showCase' });
    const id = await createCase(fake());
    const reply = await osm(fake()).get(`/cases/${id}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.json.incident_detail_info, undefined);
    assert.equal(typeof reply.json, 'object');
  });

  it('skew: the next signed request is refused as skewed; token requests are not hit', async () => {
    const { token } = await login(fake());
    fake().injectFault({ kind: 'skew' });
    assert.equal((await osm(fake(), { token }).get('/cases')).status, 200);
    const skewed = await osm(fake()).get('/cases');
    assert.deepEqual([skewed.status, skewed.json.error_code], [401, 'APIGW.0301']);
    assert.match(skewed.json.error_msg, /15 minutes/);
    assert.equal(fake().requests.at(-1)!.refusal, 'skew');
    assert.equal((await osm(fake()).get('/cases')).status, 200);
  });

  it('tokenExpired: the token-authenticated call gets 401 and the token stays expired until a new login', async () => {
    const { token } = await login(fake());
    fake().injectFault({ kind: 'tokenExpired', operation: 'listCases' });
    assert.equal((await osm(fake()).get('/cases')).status, 200, 'a signed call is not hit');
    const expired = await osm(fake(), { token }).get('/cases');
    assert.deepEqual([expired.status, expired.json.error_code], [401, 'APIGW.0301']);
    assert.equal((await osm(fake(), { token }).get('/config/regions')).status, 401);
    const again = await login(fake());
    assert.equal((await osm(fake(), { token: again.token }).get('/cases')).status, 200);
  });

  it('operation and times: a fault hits only its operation, as many times as asked', async () => {
    fake().injectFault({ kind: '5xx', operation: 'addMessage', times: 2 });
    const id = await createCase(fake());
    assert.equal((await osm(fake()).get(`/cases/${id}`)).status, 200);
    const message = () => osm(fake()).post(`/cases/${id}/message`, { body: { message: { content: 'hi' } } });
    assert.deepEqual([(await message()).status, (await message()).status, (await message()).status], [503, 503, 200]);
    assert.equal(fake().faults.pending, 0);
  });

  it('iamToken and uploadAttachment operations take faults too', async () => {
    fake().injectFault({ kind: 'throttle', operation: 'iamToken' });
    const throttled = await call(fake().iamUrl, 'POST', '/v3/auth/tokens', { key: null, body: loginBody() });
    assert.deepEqual([throttled.status, throttled.json.error_code, throttled.headers['x-subject-token']], [429, 'APIGW.0308', undefined]);
    assert.equal((await login(fake())).reply.status, 201);
    fake().injectFault({ kind: 'reset', operation: 'uploadAttachment' });
    await assert.rejects(osm(fake()).post('/accessorys', { raw: { data: Buffer.from('x'), contentType: 'multipart/form-data; boundary=b' } }));
  });

  it('refuses an unknown fault kind', () => {
    assert.throws(() => fake().injectFault({ kind: 'meteor' as never }), /unknown fault kind/);
  });
});
