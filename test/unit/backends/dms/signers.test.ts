import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { formEncode } from '../../../../src/backends/dms/percentEncode';
import { signatureV1, stringToSignV1 } from '../../../../src/backends/dms/signerV1';
import { authorizationV3, canonicalRequestV3, sha256Hex, type V3Request } from '../../../../src/backends/dms/signerV3';

const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const nonce = '3156853299f313e23d1673dc12e1703d';
const dmsHost = 'dms-enterprise.cn-hangzhou.aliyuncs.com';

function dmsV3(action: string, query: Record<string, string>, body: string, extra: Record<string, string> = {}): V3Request {
  const headers: Record<string, string> = {
    host: dmsHost,
    'x-acs-action': action,
    'x-acs-version': '2018-11-01',
    'x-acs-date': '2026-01-01T00:00:00Z',
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': sha256Hex(body),
    ...extra,
  };
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: 'POST', path: '/', query, headers, hashedPayload: sha256Hex(body) };
}

function signatureOf(authorization: string): string {
  return /Signature=([0-9a-f]+)$/.exec(authorization)![1];
}

const createOrderBody = formEncode({
  PluginParam: JSON.stringify({ classify: 'test', dbId: 1860, exeSQL: 'select 1', logic: false, ignoreAffectRows: false, affectRows: 1 }),
});

describe('DMS signature V3 (ACS3-HMAC-SHA256)', () => {
  it('reproduces the official fixed-parameter example (06563a9e…)', () => {
    const request: V3Request = {
      method: 'POST',
      path: '/',
      query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
      headers: {
        host: 'ecs.cn-shanghai.aliyuncs.com',
        'x-acs-action': 'RunInstances',
        'x-acs-version': '2014-05-26',
        'x-acs-date': '2023-10-26T10:22:32Z',
        'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
        'x-acs-content-sha256': emptyHash,
      },
      hashedPayload: emptyHash,
    };
    const canonical = canonicalRequestV3(request);
    assert.equal(
      canonical,
      [
        'POST',
        '/',
        'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
        'host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:' +
          emptyHash +
          '\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n',
        'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
        emptyHash,
      ].join('\n'),
    );
    assert.equal(sha256Hex(canonical), '7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    assert.equal(
      authorizationV3(request, 'YourAccessKeyId', 'YourAccessKeySecret'),
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
    );
  });

  it('matches the SDK unit-test vectors: repeated headers merged, empty values kept, nothing signed', () => {
    const payload = '55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23';
    const quirky: V3Request = { method: 'undefined', path: '', query: { test: 'ok', empty: '' }, headers: { 'x-acs-TEST': 'https', 'x-acs-test': 'http' }, hashedPayload: payload };
    assert.equal(canonicalRequestV3(quirky), `undefined\n\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n${payload}`);
    assert.equal(
      authorizationV3(quirky, 'acesskey', 'secret'),
      'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac',
    );
    const bare: V3Request = { method: 'undefined', path: '', query: {}, headers: {}, hashedPayload: payload };
    assert.equal(
      authorizationV3(bare, 'acesskey', 'secret'),
      'ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=,Signature=608b887e491f3e88e85276b188a4d24e29230a559464685ccbf2dcc458e1fde8',
    );
    assert.equal(sha256Hex('test'), '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
  });

  it('matches the DMS-shaped vectors: GetOrderBaseInfo, CreateOrder with a form body, ListOrders with an STS token', () => {
    const get = dmsV3('GetOrderBaseInfo', { OrderId: '12345', Tid: '3000' }, '');
    assert.equal(sha256Hex(canonicalRequestV3(get)), 'c495e743c34331f9c25bede26416bbd39a0ec7159577c48c8a5ddcfffb037d88');
    assert.equal(signatureOf(authorizationV3(get, 'testid', 'testsecret')), '6ea19f0cbb58a3fd341b88923ddf83d4cb29acdb6a4059a843c3a8627db1dbe1');

    const create = dmsV3('CreateOrder', { Comment: 'test', PluginType: 'DATA_EXPORT', Tid: '3000' }, createOrderBody);
    assert.equal(createOrderBody.startsWith('PluginParam=%7B%22classify%22%3A%22test%22%2C%22dbId%22%3A1860%2C%22exeSQL%22%3A%22select%201%22'), true);
    assert.equal(create.headers['x-acs-content-sha256'], '1dcfb1fafe0b0b2807e417a4e680bdb1f6909bf4b259db9502be79c1605324b3');
    assert.equal(sha256Hex(canonicalRequestV3(create)), '0a298cbf910e38ae62fe47d8809a343060fef54982a329b58277ba7c5ae072a9');
    const auth = authorizationV3(create, 'testid', 'testsecret');
    assert.match(auth, /SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,/);
    assert.equal(signatureOf(auth), 'ef021f9d719edffe3b64f7e052180b66ed4eee49b16313e4a193b3c175e939a0');

    const list = dmsV3('ListOrders', { OrderResultType: 'AS_COMMITTER', OrderStatus: 'ALL', PageNumber: '1', PageSize: '10', Tid: '3000' }, '', {
      'x-acs-accesskey-id': 'testid',
      'x-acs-security-token': 'sts-token',
    });
    const listAuth = authorizationV3(list, 'testid', 'testsecret');
    assert.match(listAuth, /SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,/);
    assert.equal(signatureOf(listAuth), 'f5f9268d9aa37e49ba5cdb1ad6fa5ff131f9e56930f393acf3178a42d7caed94');
  });

  it('is an HMAC-SHA256 of the documented string to sign, keyed with the bare secret', () => {
    const request = dmsV3('GetOrderBaseInfo', { OrderId: '1' }, '');
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequestV3(request)).digest('hex')}`;
    const expected = createHmac('sha256', 's3cret').update(stringToSign).digest('hex');
    assert.equal(signatureOf(authorizationV3(request, 'id', 's3cret')), expected);
  });
});

describe('DMS signature V1 (HMAC-SHA1)', () => {
  const official = {
    AccessKeyId: 'testid',
    Action: 'DescribeDedicatedHosts',
    Format: 'JSON',
    RegionId: 'cn-beijing',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
    SignatureVersion: '1.0',
    Timestamp: '2023-03-13T08:34:30Z',
    Version: '2014-05-26',
  };

  it('reproduces the official fixed-parameter example (9NaGiOsp…) and its POST variant', () => {
    assert.equal(
      stringToSignV1('GET', official),
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26',
    );
    assert.equal(signatureV1('GET', official, 'testsecret'), '9NaGiOspFP5UPcwX8Iwt2YJXXuk=');
    assert.equal(signatureV1('POST', official, 'testsecret'), 'ZvQ9xGiFnquSJRvj+WE6kdSpTwU=');
  });

  it('matches the SDK unit-test vector (empty method)', () => {
    assert.equal(stringToSignV1('', { test: 'ok' }), '&%2F&test%3Dok');
    assert.equal(signatureV1('', { test: 'ok' }, 'accessKeySecret'), 'jHx/oHoHNrbVfhncHEvPdHXZwHU=');
  });

  it('matches the DMS-shaped vectors, form-body parameters signed with the query', () => {
    const common = {
      Format: 'json',
      Version: '2018-11-01',
      Timestamp: '2026-01-01T00:00:00Z',
      SignatureNonce: nonce,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: 'testid',
    };
    const get = { ...common, Action: 'GetOrderBaseInfo', OrderId: '12345', Tid: '3000' };
    assert.equal(
      stringToSignV1('POST', get),
      'POST&%2F&AccessKeyId%3Dtestid%26Action%3DGetOrderBaseInfo%26Format%3Djson%26OrderId%3D12345%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3156853299f313e23d1673dc12e1703d%26SignatureVersion%3D1.0%26Tid%3D3000%26Timestamp%3D2026-01-01T00%253A00%253A00Z%26Version%3D2018-11-01',
    );
    assert.equal(signatureV1('POST', get, 'testsecret'), 'Vx4nVzZ8u56Vhv+VgrvnYVr89jU=');
    const pluginParam = JSON.stringify({ classify: 'test', dbId: 1860, exeSQL: 'select 1', logic: false, ignoreAffectRows: false, affectRows: 1 });
    const create = { ...common, Action: 'CreateOrder', Comment: 'test', PluginType: 'DATA_EXPORT', Tid: '3000', PluginParam: pluginParam };
    assert.equal(signatureV1('POST', create, 'testsecret'), '/x+JTrCERkhtU/Vu7GfwU3aIiAM=');
    const list = { ...common, Action: 'ListOrders', OrderResultType: 'AS_COMMITTER', OrderStatus: 'ALL', PageNumber: '1', PageSize: '10', Tid: '3000', SecurityToken: 'sts-token' };
    assert.equal(signatureV1('POST', list, 'testsecret'), 'qmGArqr1EYvUEjBy4i7yCwxKL+4=');
  });
});
