import * as assert from 'node:assert/strict';
import { huaweiModule } from '../../../../src/backends/huawei/huaweiModule';
import { HuaweiProfile } from '../../../../src/backends/huawei/huaweiProfile';

describe('Huawei Cloud profile addresses and form', () => {
  const profile = (fields: object) => HuaweiProfile.safeParse({ name: 'hw', backend: 'huawei', ...fields });

  it('takes https:// anywhere and plain http:// only on this computer', () => {
    for (const endpoint of ['https://osm.cn-south-1.myhuaweicloud.com', 'http://127.0.0.1:8080', 'http://localhost:9000', 'http://[::1]:8443']) {
      assert.ok(profile({ endpoint, iamEndpoint: endpoint }).success, endpoint);
    }
    for (const field of ['endpoint', 'iamEndpoint']) {
      const refused = profile({ [field]: 'http://osm.example.com' });
      assert.ok(!refused.success);
      assert.match(refused.error.issues[0].message, /https:\/\/ address \(plain http:\/\/ only on this computer\)/);
    }
    assert.ok(!profile({ endpoint: 'ftp://127.0.0.1' }).success);
  });

  it('the form refuses plain http:// away from this computer, asks the IAM endpoint with a custom endpoint, and only the secrets of the sign-in', () => {
    const field = (key: string) => huaweiModule.formFields.find((f) => f.key === key)!;
    assert.ok(field('endpoint').validate!('http://osm.example.com', {}));
    assert.equal(field('endpoint').validate!('http://127.0.0.1:1234', {}), undefined);
    assert.equal(field('iamEndpoint').when!({ endpoint: '' }), false);
    assert.equal(field('iamEndpoint').when!({ endpoint: 'https://osm.example.com' }), true);
    const asked = (auth: string) => huaweiModule.secretFields.filter((s) => s.when?.({ auth }) ?? true).map((s) => s.key);
    assert.deepEqual(asked('aksk'), ['accessKeyId', 'secretAccessKey', 'securityToken']);
    assert.deepEqual(asked('token'), ['password']);
  });
});
