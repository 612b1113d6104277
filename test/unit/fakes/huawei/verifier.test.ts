import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { type AccessKey, canonicalFromWire, canonicalQuery, canonicalUri, EMPTY_SHA256, queryPairs, type RawRequest, signature, stringToSign, verifySignature } from '../../../fakes/huawei/verifier';

/** The verifier against the official SDK-HMAC-SHA256 test vectors (spec §3) and the gateway's refusals. */

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const keyOf = (ak: string, sk: string, extra: Partial<AccessKey> = {}): Map<string, AccessKey> => new Map([[ak, { ak, sk, domainId: 'dom-1', ...extra }]]);

function request(method: string, target: string, headers: Array<[string, string]>, body = ''): RawRequest {
  return { method, target, rawHeaders: headers.flat(), body: Buffer.from(body) };
}

describe('Fake OSM verifier: official signing vectors', () => {
  const host: [string, string] = ['Host', 'service.endpoint.myhuaweicloud.com'];
  const date: [string, string] = ['X-Sdk-Date', '20200608T023900Z'];
  const underscore: [string, string] = ['TEST_UNDERSCORE', 'TEST_VALUE'];
  const now = new Date('2020-06-08T02:39:00Z');

  it('vector 1 (GET, empty body): canonical request, its hash and the signature', () => {
    const req = request('GET', '/resources?size=1', [host, date, underscore]);
    const canonical = canonicalFromWire(req, ['host', 'x-sdk-date']);
    assert.equal(canonical, `GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\n${EMPTY_SHA256}`);
    assert.equal(sha(canonical), 'de94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f');
    assert.equal(signature('SecretKey', stringToSign('20200608T023900Z', canonical)), 'cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842');
    const signed = request('GET', '/resources?size=1', [host, date, underscore, ['Authorization', 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842']]);
    const verdict = verifySignature(signed, { keys: keyOf('AccessKey', 'SecretKey'), now, skewMs: 15 * 60_000 });
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(verdict.payload, 'hashed');
  });

  it('vector 2 (POST with a JSON body) verifies, and the body hash is the official one', () => {
    const body = '{"name":"test","id":1}';
    assert.equal(sha(body), '8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c');
    const auth: [string, string] = ['Authorization', 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f'];
    const verdict = verifySignature(request('POST', '/resources?size=1', [host, date, underscore, auth], body), { keys: keyOf('AccessKey', 'SecretKey'), now, skewMs: 15 * 60_000 });
    assert.ok(verdict.ok, JSON.stringify(verdict));
    const changed = verifySignature(request('POST', '/resources?size=1', [host, date, underscore, auth], body.replace('1', '2')), { keys: keyOf('AccessKey', 'SecretKey'), now, skewMs: 15 * 60_000 });
    assert.deepEqual(changed.ok ? 'ok' : changed.reason, 'signature');
  });

  it('vector 3 (documentation: content-type signed, two query parameters)', () => {
    const headers: Array<[string, string]> = [
      ['Content-Type', 'application/json'],
      ['Host', 'service.region.example.com'],
      ['X-Sdk-Date', '20191115T033655Z'],
    ];
    const target = '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0';
    const canonical = canonicalFromWire(request('GET', target, headers), ['content-type', 'host', 'x-sdk-date']);
    assert.equal(sha(canonical), 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a');
    const auth: [string, string] = ['Authorization', 'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'];
    const verdict = verifySignature(request('GET', target, [...headers, auth]), {
      keys: keyOf('QTWAOYTTINDUT2QVKYUC', 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'),
      now: new Date('2019-11-15T03:40:00Z'),
      skewMs: 15 * 60_000,
    });
    assert.ok(verdict.ok, JSON.stringify(verdict));
  });

  it('the official canonical query vector (booleans, arrays, Chinese and reserved characters)', () => {
    // As Node's querystring (which the SDK's HTTP client uses) puts it on the wire.
    const wire = "limit=1&enable=true&test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&path=%2Ftmp%2F123&multi=3&multi=1&multi=2";
    assert.equal(canonicalQuery(queryPairs(wire)), 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29');
  });

  it('canonical URI: decoded then encoded once, with a trailing slash; the Node SDK style encodes the sent path again', () => {
    assert.equal(canonicalUri('/v2/servicerequest/cases', 'decoded'), '/v2/servicerequest/cases/');
    assert.equal(canonicalUri('/v2/a%20b/', 'decoded'), '/v2/a%20b/');
    assert.equal(canonicalUri('/v2/a%20b', 'as-sent'), '/v2/a%2520b/');
  });
});

describe('Fake OSM verifier: refusals', () => {
  const now = new Date('2026-11-22T08:00:00Z');
  const sdkDate = '20261122T080000Z';
  const keys = keyOf('AK1', 'SK1', { securityToken: undefined });

  function signed(headers: Array<[string, string]>, names: string[], sk = 'SK1', ak = 'AK1', body = '', target = '/v2/servicerequest/cases'): RawRequest {
    const req = request('POST', target, headers, body);
    const sig = signature(sk, stringToSign(headers.find(([n]) => n.toLowerCase() === 'x-sdk-date')?.[1] ?? '', canonicalFromWire(req, names)));
    return request('POST', target, [...headers, ['Authorization', `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${names.join(';')}, Signature=${sig}`]], body);
  }
  const reason = (req: RawRequest, k = keys, at = now) => {
    const verdict = verifySignature(req, { keys: k, now: at, skewMs: 15 * 60_000 });
    return verdict.ok ? 'ok' : verdict.reason;
  };
  const base: Array<[string, string]> = [
    ['Host', '127.0.0.1:8080'],
    ['X-Sdk-Date', sdkDate],
  ];

  it('accepts a correct signature and refuses a wrong secret, an unknown AK and no Authorization', () => {
    assert.equal(reason(signed(base, ['host', 'x-sdk-date'])), 'ok');
    assert.equal(reason(signed(base, ['host', 'x-sdk-date'], 'other')), 'signature');
    assert.equal(reason(signed(base, ['host', 'x-sdk-date'], 'SK1', 'AK2')), 'unknown-ak');
    assert.equal(reason(request('GET', '/v2/servicerequest/cases', base)), 'no-authorization');
    assert.equal(reason(request('GET', '/', [...base, ['Authorization', 'SDK-HMAC-SHA1 Access=AK1, SignedHeaders=host, Signature=00']])), 'malformed-authorization');
  });

  it('requires host and x-sdk-date among the signed headers, and a well-formed date', () => {
    assert.equal(reason(signed(base, ['x-sdk-date'])), 'host-not-signed');
    assert.equal(reason(signed(base, ['host'])), 'date-not-signed');
    assert.equal(reason(signed([base[0], ['X-Sdk-Date', '2026-11-22T08:00:00Z']], ['host', 'x-sdk-date'])), 'bad-date');
  });

  it('allows 15 minutes of clock difference either way, not more', () => {
    const req = signed(base, ['host', 'x-sdk-date']);
    assert.equal(reason(req, keys, new Date(now.getTime() + 14 * 60_000)), 'ok');
    assert.equal(reason(req, keys, new Date(now.getTime() - 14 * 60_000)), 'ok');
    assert.equal(reason(req, keys, new Date(now.getTime() + 16 * 60_000)), 'skew');
    assert.equal(reason(req, keys, new Date(now.getTime() - 16 * 60_000)), 'skew');
  });

  it('a temporary AK needs its X-Security-Token, signed and matching', () => {
    const sts = keyOf('AK1', 'SK1', { securityToken: 'sts-token' });
    const withToken: Array<[string, string]> = [...base, ['X-Security-Token', 'sts-token']];
    assert.equal(reason(signed(withToken, ['host', 'x-sdk-date', 'x-security-token']), sts), 'ok');
    assert.equal(reason(signed(base, ['host', 'x-sdk-date']), sts), 'token-missing');
    assert.equal(reason(signed(withToken, ['host', 'x-sdk-date']), sts), 'token-not-signed');
    assert.equal(reason(signed([...base, ['X-Security-Token', 'stale']], ['host', 'x-sdk-date', 'x-security-token']), sts), 'token-mismatch');
  });

  it('an X-Domain-Id must be the AK owner’s account', () => {
    assert.equal(reason(signed([...base, ['X-Domain-Id', 'dom-1']], ['host', 'x-domain-id', 'x-sdk-date'])), 'ok');
    assert.equal(reason(signed([...base, ['X-Domain-Id', 'dom-2']], ['host', 'x-domain-id', 'x-sdk-date'])), 'domain-mismatch');
  });

  it('a changed body, query or signed header breaks the signature; UNSIGNED-PAYLOAD leaves the body out', () => {
    const body = '{"simple_description":"慢查询"}';
    const good = signed(base, ['host', 'x-sdk-date'], 'SK1', 'AK1', body, '/v2/servicerequest/cases?limit=10');
    assert.equal(reason(good), 'ok');
    assert.equal(reason({ ...good, body: Buffer.from(body.replace('慢', '快')) }), 'signature');
    assert.equal(reason({ ...good, target: '/v2/servicerequest/cases?limit=11' }), 'signature');
    assert.equal(reason({ ...good, rawHeaders: good.rawHeaders.map((v) => (v === '127.0.0.1:8080' ? '127.0.0.1:8081' : v)) }), 'signature');
    const unsigned = signed([...base, ['X-Sdk-Content-Sha256', 'UNSIGNED-PAYLOAD']], ['host', 'x-sdk-content-sha256', 'x-sdk-date'], 'SK1', 'AK1', 'multipart bytes');
    const verdict = verifySignature({ ...unsigned, body: Buffer.from('other bytes') }, { keys, now, skewMs: 15 * 60_000 });
    assert.ok(verdict.ok && verdict.payload === 'unsigned');
  });
});
