import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPasswords } from '../../../../../src/backends/local/db/cliPasswords';
import type { ConnectionConfig } from '../../../../../src/backends/local/db/connectionConfig';
import { parseMyCnfPassword } from '../../../../../src/backends/local/db/myCnf';
import { matchPgpass } from '../../../../../src/backends/local/db/pgpass';

const pgConnection: ConnectionConfig = { name: 'shop-dev', driver: 'postgres', host: 'db.internal', port: 5432, database: 'shop', user: 'ana', passwordEnv: 'SHOP_DEV_PASSWORD' };
const myConnection: ConnectionConfig = { name: 'legacy', driver: 'mysql', host: '127.0.0.1', port: 3306, database: 'shop', user: 'ana' };

describe('passwords', () => {
  describe('.pgpass', () => {
    const target = { host: 'db.internal', port: 5432, database: 'shop', user: 'ana' };

    it('takes the first matching line, with * wildcards and escaped colons', () => {
      const text = ['# comment', 'other:5432:shop:ana:nope', 'db.internal:5432:*:ana:p\\:ss\\\\word', '*:*:*:*:fallback'].join('\n');
      assert.equal(matchPgpass(text, target), 'p:ss\\word');
      assert.equal(matchPgpass(text, { ...target, user: 'bob' }), 'fallback');
      assert.equal(matchPgpass('db.internal:5433:shop:ana:x', target), undefined);
    });

    it('lets localhost match the loopback address', () => {
      assert.equal(matchPgpass('localhost:5432:shop:ana:local', { ...target, host: '127.0.0.1' }), 'local');
    });
  });

  describe('.my.cnf', () => {
    it('reads the [client] password, quoted or not', () => {
      assert.equal(parseMyCnfPassword('[mysqld]\npassword=server\n[client]\nuser = ana\npassword = "se cret#1"\n'), 'se cret#1');
      assert.equal(parseMyCnfPassword('[client]\npassword=plain # note\n'), 'plain');
      assert.equal(parseMyCnfPassword('[mysql]\npassword=x\n'), undefined);
    });
  });

  describe('the CLI order', () => {
    let home: string;
    before(() => {
      home = mkdtempSync(join(tmpdir(), 'db-tickets-home-'));
      writeFileSync(join(home, '.pgpass'), 'db.internal:5432:shop:ana:from-pgpass\n', { mode: 0o600 });
      writeFileSync(join(home, '.my.cnf'), '[client]\npassword=from-my-cnf\n', { mode: 0o600 });
    });
    after(() => rmSync(home, { recursive: true, force: true }));

    it('prefers the environment variable the connection names', async () => {
      assert.equal(await cliPasswords({ SHOP_DEV_PASSWORD: 'from-env' }, home)(pgConnection), 'from-env');
    });

    it('falls back to ~/.pgpass, or the file PGPASSFILE names', async () => {
      assert.equal(await cliPasswords({}, home)(pgConnection), 'from-pgpass');
      const other = join(home, 'other.pgpass');
      writeFileSync(other, '*:*:*:*:from-pgpassfile\n');
      assert.equal(await cliPasswords({ PGPASSFILE: other }, home)(pgConnection), 'from-pgpassfile');
    });

    it('falls back to ~/.my.cnf for MySQL', async () => {
      assert.equal(await cliPasswords({}, home)(myConnection), 'from-my-cnf');
    });

    it('has none when nothing provides it', async () => {
      assert.equal(await cliPasswords({}, join(home, 'nowhere'))(pgConnection), undefined);
    });
  });
});
