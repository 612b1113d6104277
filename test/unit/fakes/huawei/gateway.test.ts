import * as assert from 'node:assert/strict';
import { useFakeOsm, ACCESS_KEY, IAM_USER, TEMPORARY_KEY, DOMAIN_ID } from '../../../fakes/huawei/harness';
import { canonicalFromWire, signature, stringToSign } from '../../../fakes/huawei/verifier';
import { call, caseBody, login, loginBody, osm, type Wire } from './client';

/** The gateway in front of the fake: routing, AK/SK and token authentication, IAM login and token expiry. */

/** Re-signs a wire request correctly, but over the given header names only. */
function resignedWithout(wire: Wire, dropped: string): void {
  const auth = wire.headers.Authorization;
  const names = /SignedHeaders=([^,]+)/.exec(auth)![1].split(';').filter((n) => n !== dropped);
  const raw = { method: wire.method, target: wire.path, rawHeaders: Object.entries(wire.headers).flat(), body: wire.body };
  const date = wire.headers['X-Sdk-Date'];
  const sig = signature(ACCESS_KEY.sk, stringToSign(date, canonicalFromWire(raw, names)));
  wire.headers.Authorization = `SDK-HMAC-SHA256 Access=${ACCESS_KEY.ak}, SignedHeaders=${names.join(';')}, Signature=${sig}`;
}

describe('Fake OSM gateway: routing and AK/SK authentication', () => {
  const fake = useFakeOsm();

  it('answers every response with an X-Request-Id, echoed in gateway error bodies', async () => {
    const replies = [await osm(fake()).get('/config/regions'), await osm(fake()).get('/nowhere'), await osm(fake(), { key: null }).get('/config/regions'), (await login(fake())).reply];
    for (const reply of replies) assert.match(String(reply.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.equal(replies[1].json.request_id, replies[1].headers['x-request-id']);
    assert.deepEqual(replies.map((r) => r.status), [200, 404, 401, 201]);
  });

  it('serves the spec’s paths only: guessed paths and wrong methods get 404 APIGW.0101', async () => {
    const api = osm(fake());
    const wrong = [await api.post('/attachments'), await api.post('/cases/CS1/actions/cancel'), await api.post('/cases/CS1/messages', { body: { message: { content: 'x' } } }), await api.get('/cases/'), await api.put('/cases')];
    for (const reply of wrong) assert.equal(reply.json.error_code, 'APIGW.0101');
    assert.deepEqual(wrong.map((r) => r.status), [404, 404, 404, 404, 404]);
    assert.match(wrong[1].json.error_msg, /does not exist or has not been published/);
    assert.equal(wrong[4].json.error_msg, 'The API does not exist');
  });

  it('refuses an unsigned request and an unknown AK with 401 APIGW.0301', async () => {
    const unsigned = await osm(fake(), { key: null }).post('/cases', { body: caseBody() });
    const unknown = await osm(fake(), { key: { ...ACCESS_KEY, ak: 'NOSUCHAK' } }).get('/cases');
    assert.deepEqual([unsigned.status, unsigned.json.error_code, unknown.status, unknown.json.error_code], [401, 'APIGW.0301', 401, 'APIGW.0301']);
    assert.match(unknown.json.error_msg, /ak not exist/);
    assert.deepEqual(fake().requests.map((r) => r.refusal), ['no-authorization', 'unknown-ak']);
    assert.equal(fake().cases.all.length, 0);
  });

  it('refuses a signature that leaves out host or x-sdk-date, even when it is otherwise right', async () => {
    const noHost = await osm(fake()).get('/config/regions', { tamper: (w) => resignedWithout(w, 'host') });
    const noDate = await osm(fake()).get('/config/regions', { tamper: (w) => resignedWithout(w, 'x-sdk-date') });
    const control = await osm(fake()).get('/config/regions', { tamper: (w) => resignedWithout(w, 'content-type') });
    assert.deepEqual([noHost.status, noHost.json.error_code, noDate.status, noDate.json.error_code, control.status], [401, 'APIGW.0301', 401, 'APIGW.0301', 200]);
    assert.deepEqual(fake().requests.map((r) => r.refusal), ['host-not-signed', 'date-not-signed', undefined]);
  });

  it('refuses a clock more than 15 minutes off with APIGW.0301, and accepts 14 minutes', async () => {
    fake().now = () => Date.now() + 16 * 60_000;
    const skewed = await osm(fake()).get('/config/regions');
    fake().now = () => Date.now() - 14 * 60_000;
    const fine = await osm(fake()).get('/config/regions');
    assert.deepEqual([skewed.status, skewed.json.error_code, fine.status], [401, 'APIGW.0301', 200]);
    assert.equal(fake().requests[0].refusal, 'skew');
  });

  it('a temporary AK/SK must send its X-Security-Token; the SDK signs it', async () => {
    const good = await osm(fake(), { key: TEMPORARY_KEY }).get('/config/regions');
    const stripped = await osm(fake(), { key: TEMPORARY_KEY }).get('/config/regions', { tamper: (w) => delete w.headers['X-Security-Token'] });
    assert.deepEqual([good.status, stripped.status, stripped.json.error_code], [200, 401, 'APIGW.0301']);
    assert.ok(fake().requests[0].seen.signedHeaders?.includes('x-security-token'));
    assert.equal(fake().requests[1].refusal, 'token-missing');
  });

  it('an X-Domain-Id of another account is refused; none at all is accepted and recorded', async () => {
    const other = await osm(fake()).get('/config/regions', { headers: { 'X-Domain-Id': 'another-account' }, domainId: false });
    const none = await osm(fake(), { domainId: false }).get('/config/regions');
    assert.deepEqual([other.status, other.json.error_code, none.status], [401, 'APIGW.0301', 200]);
    assert.equal(fake().requests[0].refusal, 'domain-mismatch');
    assert.equal(fake().requests[1].seen.domainIdHeader, false);
  });
});

describe('Fake OSM gateway: IAM tokens', () => {
  const fake = useFakeOsm({ tokenLifetimeMs: 60 * 60_000 });

  it('password login answers 201 with X-Subject-Token and token.expires_at; the token then works on OSM', async () => {
    const before = Date.now();
    const { token, reply } = await login(fake());
    assert.equal(reply.status, 201);
    assert.ok(token.length > 20);
    const expires = Date.parse(reply.json.token.expires_at);
    assert.match(reply.json.token.expires_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    assert.ok(expires >= before + 60 * 60_000 - 1000 && expires <= Date.now() + 60 * 60_000 + 1000);
    assert.equal(reply.json.token.domain.id, DOMAIN_ID);
    const created = await osm(fake(), { token }).post('/cases', { body: caseBody() });
    assert.equal(created.status, 200);
    assert.equal(fake().caseById(created.json.incident_id)?.xcustomer_name, IAM_USER.userName);
    assert.deepEqual(fake().requests.map((r) => [r.operation, r.auth, r.verified]), [['iamToken', 'password', true], ['createCase', 'token', true]]);
  });

  it('refuses a wrong password (401), a body without the password method (400) and an unknown token (401 APIGW.0301)', async () => {
    const wrong = await call(fake().iamUrl, 'POST', '/v3/auth/tokens', { key: null, body: loginBody({ ...IAM_USER, password: 'nope' }) });
    const shape = await call(fake().iamUrl, 'POST', '/v3/auth/tokens', { key: null, body: { auth: { identity: { methods: ['token'] } } } });
    const unknown = await osm(fake(), { token: 'MIITnot-a-token' }).get('/cases');
    assert.deepEqual([wrong.status, shape.status, unknown.status, unknown.json.error_code], [401, 400, 401, 'APIGW.0301']);
    assert.equal(wrong.headers['x-subject-token'], undefined);
    assert.match(unknown.json.error_msg, /decrypt token fail/);
  });

  it('accepts a project-scoped login too and records the scope', async () => {
    const reply = await call(fake().iamUrl, 'POST', '/v3/auth/tokens', { key: null, body: loginBody(IAM_USER, { project: { id: 'p-123' } }) });
    assert.equal(reply.status, 201);
    assert.equal(reply.json.token.project.id, 'p-123');
    assert.equal(fake().requests[0].seen.tokenScope, 'project');
  });

  it('GET /v3/auth/domains answers the caller’s account, by token or by signature', async () => {
    const { token } = await login(fake());
    const byToken = await call(fake().iamUrl, 'GET', '/v3/auth/domains', { token });
    const bySignature = await call(fake().iamUrl, 'GET', '/v3/auth/domains');
    assert.deepEqual([byToken.json.domains[0].id, bySignature.json.domains[0].id, byToken.json.domains[0].name], [DOMAIN_ID, DOMAIN_ID, IAM_USER.domainName]);
  });

  it('the OSM host does not serve IAM, nor the IAM host OSM', async () => {
    assert.equal((await call(fake().url, 'POST', '/v3/auth/tokens', { key: null, body: loginBody() })).status, 404);
    assert.equal((await call(fake().iamUrl, 'GET', '/v2/servicerequest/cases')).status, 404);
  });
});

describe('Fake OSM gateway: token expiry', () => {
  const fake = useFakeOsm({ tokenLifetimeMs: 150 });

  it('a token past its lifetime gets 401 APIGW.0301; a new login works again', async () => {
    const { token } = await login(fake());
    assert.equal((await osm(fake(), { token }).get('/cases')).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    const expired = await osm(fake(), { token }).get('/cases');
    assert.deepEqual([expired.status, expired.json.error_code], [401, 'APIGW.0301']);
    assert.match(expired.json.error_msg, /expired/);
    assert.equal(fake().requests.at(-1)!.refusal, 'token-expired');
    fake().tokenLifetimeMs = 60_000;
    const fresh = await login(fake());
    assert.equal((await osm(fake(), { token: fresh.token }).get('/cases')).status, 200);
  });

  it('answers OSM.0002 instead when configured so', async () => {
    fake().expiredTokenCode = 'OSM.0002';
    const { token } = await login(fake());
    await new Promise((r) => setTimeout(r, 200));
    const expired = await osm(fake(), { token }).get('/cases');
    assert.deepEqual([expired.status, expired.json.error_code], [401, 'OSM.0002']);
  });
});
