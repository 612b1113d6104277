import * as assert from 'node:assert/strict';
import { LocalProfile } from '../../../../src/backends/local/localModule';
import { parseStoreUrl, teamClientConfig, teamStoreConnection } from '../../../../src/backends/local/teamStore/teamConnection';
import { DbTicketsError } from '../../../../src/core/errors';

const teamPg = { name: 'team-pg', driver: 'postgres' as const, host: 'db.example', port: 5433, database: 'tickets', user: 'ann' };
const connections = [
  teamPg,
  { name: 'shop', driver: 'mysql' as const, host: 'db.example', port: 3306, database: 'shop', user: 'ann' },
];

describe('a Local profile\'s team store setting', () => {
  it('a folder is no team store; a connection name and a postgres:// URL are', () => {
    assert.equal(teamStoreConnection(undefined, connections), undefined);
    assert.equal(teamStoreConnection('/srv/tickets', connections), undefined);
    assert.equal(teamStoreConnection({ connection: 'team-pg' }, connections), connections[0]);
    assert.deepEqual(teamStoreConnection('postgresql://bob@db.example:6432/team?sslmode=verify-full', connections), {
      name: 'bob@db.example:6432/team',
      driver: 'postgres',
      host: 'db.example',
      port: 6432,
      database: 'team',
      user: 'bob',
      passwordEnv: 'PGPASSWORD',
      tls: { rejectUnauthorized: true },
    });
  });

  it('refuses what cannot be a store, saying what to write instead', () => {
    const refused = (store: Parameters<typeof teamStoreConnection>[0], pattern: RegExp) =>
      assert.throws(() => teamStoreConnection(store, connections), (error: unknown) => error instanceof DbTicketsError && error.kind === 'config' && pattern.test(error.message));
    refused({ connection: 'nope' }, /"nope", which is not configured: use one of team-pg/);
    refused({ connection: 'shop' }, /a mysql connection: a shared ticket store is kept in PostgreSQL/);
    refused('postgres://ann:secret@db.example/team', /holds a password: remove it/);
    assert.throws(() => teamStoreConnection('postgres://db.example/team', connections, {}), /names no user \(and PGUSER is not set\)/);
    assert.equal(teamStoreConnection('postgres://db.example/team', connections, { PGUSER: 'carol' })?.user, 'carol');
    assert.throws(() => parseStoreUrl('postgres://ann@db.example/'), /names no database/);
  });

  it('the profile schema takes a folder, a URL or a connection, and nothing else', () => {
    const parse = (store: unknown) => LocalProfile.safeParse({ name: 'team', backend: 'local', store });
    assert.equal(parse('/srv/tickets').success, true);
    assert.equal(parse('postgres://ann@db/team').success, true);
    assert.equal(parse({ connection: 'team-pg' }).success, true);
    assert.equal(parse({ connection: '' }).success, false);
    assert.equal(parse(42).success, false);
  });

  it('takes the password from the host\'s sources, else PGPASSWORD, and says how to give one when there is none', async () => {
    const none = async () => undefined;
    assert.equal((await teamClientConfig(teamPg, async () => 'stored', { PGPASSWORD: 'from-env' })).password, 'stored');
    assert.equal((await teamClientConfig(teamPg, none, { PGPASSWORD: 'from-env' })).password, 'from-env');
    await assert.rejects(teamClientConfig(teamPg, none, {}), (error: unknown) => error instanceof DbTicketsError && error.kind === 'config' && /No password for connection "team-pg"/.test(error.message));
  });
});
