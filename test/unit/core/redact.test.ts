import * as assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/redact';

describe('redacting secrets', () => {
  it('blanks out registered secret values wherever they appear, also URL-encoded', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t/pa ss');
    assert.equal(
      redactor.redact('login failed for s3cr3t/pa ss; retried with s3cr3t%2Fpa%20ss'),
      'login failed for ***; retried with ***',
    );
  });

  it('replaces a secret that contains another one whole', () => {
    const redactor = new Redactor();
    redactor.add('abcd');
    redactor.add('abcdefgh');
    assert.equal(redactor.redact('x abcdefgh y abcd'), 'x *** y ***');
  });

  it('ignores values too short to be matched safely, and undefined', () => {
    const redactor = new Redactor();
    redactor.add('ab');
    redactor.add(undefined);
    assert.equal(redactor.redact('a table of abs'), 'a table of abs');
  });

  it('redacts key=value secrets of query strings and connection strings', () => {
    const redactor = new Redactor();
    assert.equal(
      redactor.redact('GET /?AccessKeyId=LTAI5t&Signature=abc%2B%3D&SignatureMethod=HMAC-SHA1&SecurityToken=CAIS.x'),
      'GET /?AccessKeyId=LTAI5t&Signature=***&SignatureMethod=HMAC-SHA1&SecurityToken=***',
    );
    assert.equal(redactor.redact('host=db port=5432 password=hunter22 user=app'), 'host=db port=5432 password=*** user=app');
    assert.equal(redactor.redact("host=db password='with space' sslmode=require"), 'host=db password=*** sslmode=require');
    assert.equal(redactor.redact('Server=db;Uid=app;Pwd=hunter22;Database=shop'), 'Server=db;Uid=app;Pwd=***;Database=shop');
    assert.equal(redactor.redact('AccessKeySecret=abc123'), 'AccessKeySecret=***');
  });

  it('redacts user:password@ in URLs and PostgreSQL/MySQL connection strings', () => {
    const redactor = new Redactor();
    assert.equal(redactor.redact('connect postgres://app:hunter22@db:5432/shop failed'), 'connect postgres://app:***@db:5432/shop failed');
    assert.equal(redactor.redact('mysql://root:p%40ss@127.0.0.1/shop'), 'mysql://root:***@127.0.0.1/shop');
    assert.equal(redactor.redact('proxy https://u:p@proxy.example:8080'), 'proxy https://u:***@proxy.example:8080');
    assert.equal(redactor.redact('see https://dms.example/?orderId=12'), 'see https://dms.example/?orderId=12');
  });

  it('redacts Authorization header values and JSON secret fields', () => {
    const redactor = new Redactor();
    assert.equal(
      redactor.redact('Authorization: ACS3-HMAC-SHA256 Credential=LTAI5t,SignedHeaders=host,Signature=ab12\nx-acs-date: 2024'),
      'Authorization: ***\nx-acs-date: 2024',
    );
    assert.equal(redactor.redact("headers: { authorization: 'Bearer eyJhbGci' }"), "headers: { authorization: '***' }");
    assert.equal(redactor.redact('{"user":"app","password":"hu\\"nter","accessKeySecret": "x"}'), '{"user":"app","password":"***","accessKeySecret": "***"}');
  });

  it('leaves ordinary SQL as written', () => {
    const redactor = new Redactor();
    redactor.add('hunter22');
    const sql = [
      'SELECT id, password_hash, signature FROM users WHERE token = $1 AND signature IS NULL;',
      "UPDATE accounts SET password = crypt('new', gen_salt('bf')) WHERE id = 7;",
      'CREATE SCHEMA billing AUTHORIZATION app;',
      "SELECT 'a=b' AS pair, 'https://example.com/x' AS url FROM t WHERE note LIKE '%password%';",
    ].join('\n');
    assert.equal(redactor.redact(sql), sql);
  });
});
