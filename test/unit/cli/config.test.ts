import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendIds } from '../../../src/backends/registry';
import { DbTicketsError } from '../../../src/core/errors';
import { defaultConfigPath, loadConfig } from '../../../src/cli/config';

const dir = mkdtempSync(join(tmpdir(), 'db-tickets-config-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const noEnv = { XDG_CONFIG_HOME: join(dir, 'no-such-home') };

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a config error'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DbTicketsError);
  assert.equal(error.kind, 'config');
  return error.message;
}

describe('CLI configuration', () => {
  it('without any file has the local profile and the demo database', async () => {
    const { path, config } = await loadConfig(undefined, noEnv);
    assert.equal(path, undefined);
    assert.deepEqual(config.profiles, [{ name: 'local', backend: 'local' }]);
    assert.deepEqual(config.connections, [{ name: 'demo', driver: 'demo' }]);
  });

  it('reads --config first, then $DB_TICKETS_CONFIG, then the XDG default', async () => {
    const a = file('a.json', '{"profiles":[{"name":"a","backend":"dms","region":"cn-hangzhou"}]}');
    const b = file('b.json', '{"profiles":[{"name":"b","backend":"local","actor":"Bo"}]}');
    assert.equal((await loadConfig(a, { ...noEnv, DB_TICKETS_CONFIG: b })).path, a);
    assert.equal((await loadConfig(undefined, { ...noEnv, DB_TICKETS_CONFIG: b })).path, b);
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/x' }), join('/x', 'db-tickets', 'config.json'));
    const { config } = await loadConfig(a, noEnv);
    assert.deepEqual(
      config.profiles.map((p) => p.name),
      ['local', 'a'],
    );
    assert.equal(config.profiles[1].region, 'cn-hangzhou', 'backend fields are kept for the backend to validate');
  });

  it('fills connection defaults and keeps passwords out', async () => {
    const path = file('pg.json', '{"connections":[{"name":"shop","driver":"postgres","database":"shop","user":"app","passwordEnv":"SHOP_PW"}]}');
    const { config } = await loadConfig(path, noEnv);
    assert.deepEqual(config.connections[1], { name: 'shop', driver: 'postgres', host: '127.0.0.1', port: 5432, database: 'shop', user: 'app', passwordEnv: 'SHOP_PW' });
  });

  it('a named file that does not exist is an error naming it and how it was named', async () => {
    const missing = join(dir, 'missing.json');
    assert.match(await configError(loadConfig(missing, noEnv)), /Config file .*missing\.json does not exist \(named by --config\): create it/);
    assert.match(await configError(loadConfig(undefined, { ...noEnv, DB_TICKETS_CONFIG: missing })), /named by \$DB_TICKETS_CONFIG/);
  });

  it('invalid JSON says so', async () => {
    assert.match(await configError(loadConfig(file('bad.json', '{"profiles": ['), noEnv)), /is not valid JSON \(.+\): fix the syntax\./);
  });

  it('a wrong field is named with the fix', async () => {
    const badBackend = file('backend.json', '{"profiles":[{"name":"x","backend":"oracle"}]}');
    assert.ok((await configError(loadConfig(badBackend, noEnv))).endsWith(`profiles.0.backend: Backend must be one of ${backendIds.join(', ')}.`));
    const badDriver = file('driver.json', '{"connections":[{"name":"x","driver":"oracle"}]}');
    assert.match(await configError(loadConfig(badDriver, noEnv)), /connections\.0\.driver: Driver must be one of demo, postgres, mysql, sqlite\./);
    const noDb = file('nodb.json', '{"connections":[{"name":"x","driver":"postgres","user":"u","database":""}]}');
    assert.match(await configError(loadConfig(noDb, noEnv)), /connections\.0\.database: Database is empty: name the database on the server\./);
    const noUser = file('nouser.json', '{"connections":[{"name":"x","driver":"mysql","database":"d"}]}');
    assert.match(await configError(loadConfig(noUser, noEnv)), /connections\.0\.user: User is empty: name the database user to connect as\./);
    const badPort = file('port.json', '{"connections":[{"name":"x","driver":"mysql","database":"d","user":"u","port":70000}]}');
    assert.match(await configError(loadConfig(badPort, noEnv)), /connections\.0\.port: Port must be a whole number from 1 to 65535\./);
  });

  it("checks each profile against its backend's own fields", async () => {
    const dms = file('dms.json', '{"profiles":[{"name":"prod","backend":"dms","region":"cn-hangzhou","tid":"12"}]}');
    assert.match(await configError(loadConfig(dms, noEnv)), /dms\.json: Profile "prod": tid: tid must be the DMS tenant id, a whole number/);
    const local = file('local.json', '{"profiles":[{"name":"team","backend":"local","store":"  "}]}');
    assert.match(await configError(loadConfig(local, noEnv)), /local\.json: Profile "team": store: store is empty/);
  });

  it('duplicate names are refused', async () => {
    const dup = file('dup.json', '{"connections":[{"name":"x","driver":"demo"},{"name":"x","driver":"sqlite","file":"a.db"}]}');
    assert.match(await configError(loadConfig(dup, noEnv)), /connection "x" is defined twice: rename one of them\./);
  });
});
