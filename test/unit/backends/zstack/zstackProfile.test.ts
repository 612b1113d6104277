import * as assert from 'node:assert/strict';
import { apiBaseOf, ZStackProfile } from '../../../../src/backends/zstack/zstackProfile';
import { passwordHash } from '../../../../src/backends/zstack/session';
import { isoDate } from '../../../../src/backends/zstack/zstackTickets';
import { zstackModule } from '../../../../src/backends/zstack/zstackModule';
import { english } from '../../../../src/core/localizable';

describe('ZStack profile', () => {
  it('checks a request template typed into the form: JSON, then its fields', () => {
    const field = zstackModule.formFields.find((f) => f.key === 'request')!;
    const problem = (text: string) => english(field.validate!(text, {}) ?? '');
    assert.match(problem('{"apiName": '), /^The request is not JSON: /);
    assert.match(problem('{"apiBody": {}}'), /^The request is not valid: .*apiName/);
    assert.equal(problem(''), '');
    assert.equal(problem(JSON.stringify({ apiName: 'org.zstack.header.database.APIExecuteDatabaseChangeMsg', apiBody: { sql: '{{sql}}' } })), '');
  });

  it('builds the API base from scheme, host, port and context path', () => {
    assert.equal(apiBaseOf('http://zstack.example.com:8080').href, 'http://zstack.example.com:8080/zstack/v1');
    assert.equal(apiBaseOf('https://zs.example.com/cloud/').href, 'https://zs.example.com/cloud/v1');
    assert.equal(apiBaseOf('zs.example.com:8080/zstack/v1').href, 'http://zs.example.com:8080/zstack/v1');
    assert.throws(() => apiBaseOf('ftp://zs'), /not an http/);
  });

  it('requires accountName for a user and project for a virtual ID, naming the field', () => {
    const user = ZStackProfile.safeParse({ name: 'zs', backend: 'zstack', endpoint: 'http://zs:8080', loginAs: 'user', username: 'ops' });
    assert.equal(user.success, false);
    assert.match(user.error!.issues[0].message, /accountName is missing/);
    const iam2 = ZStackProfile.safeParse({ name: 'zs', backend: 'zstack', endpoint: 'http://zs:8080', loginAs: 'iam2', username: 'alice' });
    assert.match(iam2.error!.issues[0].message, /project is missing/);
    const bad = ZStackProfile.safeParse({ name: 'zs', backend: 'zstack', endpoint: 'http://zs:8080', loginAs: 'root', username: 'x' });
    assert.match(bad.error!.issues[0].message, /loginAs must be "iam2"/);
  });

  it('hashes passwords as lowercase hex SHA-512 and reads Gson dates', () => {
    assert.equal(passwordHash('password'), 'b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86');
    assert.equal(isoDate('Dec 28, 2018 6:38:12 PM'), '2018-12-28T18:38:12.000Z');
    assert.equal(isoDate('Jan 1, 2024 12:05:00 AM'), '2024-01-01T00:05:00.000Z');
    assert.equal(isoDate('someday'), 'someday');
  });
});
