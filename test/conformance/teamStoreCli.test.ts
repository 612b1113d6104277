import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usePostgres } from '../support/postgresServer';
import { runCli } from '../support/runCli';

describe('db-tickets store init, and the CLI on a team store', function () {
  this.timeout(120_000);
  const server = usePostgres();
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'db-tickets-team-cli-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** The CLI as `user` (PGPASSWORD), with a Local profile "team" on the store at `url`. */
  function as(user: string, password: string, url: string, profile: Record<string, unknown> = {}): NodeJS.ProcessEnv {
    const config = join(home, `${user}.json`);
    writeFileSync(config, JSON.stringify({ profiles: [{ name: 'team', backend: 'local', store: url, ...profile }] }));
    return { HOME: home, XDG_DATA_HOME: join(home, user), DB_TICKETS_CONFIG: config, DB_TICKETS_USER: user, PGPASSWORD: password };
  }

  it('sets up a store once, prints its SQL, and two roles then submit and approve as themselves', async () => {
    const pg = server();
    const database = await pg.createDatabase(`teamcli_${Date.now()}`);
    await pg.admin('ALTER ROLE tickets CREATEROLE', 'postgres');
    const url = `postgres://tickets@127.0.0.1:${pg.port}/${database}`;
    const owner = as('tickets', pg.password, url);

    const printed = await runCli(owner, ['store', 'init', '--url', url, '--print']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /CREATE SCHEMA db_tickets;/);
    assert.match(printed.stdout, /CREATE ROLE db_tickets_approver NOLOGIN/);

    const first = await runCli(owner, ['store', 'init', '--url', url]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /schema version 1\. Applied 1 \(/);
    const again = await runCli(owner, ['store', 'init', '--url', url, '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).applied, []);

    for (const [name, roles] of [['erin', 'db_tickets_submitter'], ['frank', 'db_tickets_approver, db_tickets_executor']]) {
      await pg.admin(`DO $p$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}'; END IF; END $p$`, 'postgres');
      await pg.admin(`GRANT ${roles} TO ${name}`, 'postgres');
    }
    const erinUrl = url.replace('tickets@', 'erin@');
    const erin = as('erin', 'pw-erin', erinUrl, { actor: 'the-boss' });
    const created = await runCli(erin, ['create', '--profile', 'team', '--kind', 'export', '--db', 'demo', '--reason', 'team', '--title', 'Team export', '--json'], 'SELECT 1 AS n;\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /its actor "the-boss" is ignored .*you act as the role you connect as, erin/);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const selfApprove = await runCli(erin, ['approve', id, '--profile', 'team']);
    assert.equal(selfApprove.code, 1);
    assert.match(selfApprove.stderr, /erin may not approve ticket #\d+: that takes membership in the role db_tickets_approver/);

    const frank = as('frank', 'pw-frank', url.replace('tickets@', 'frank@'));
    const approved = await runCli(frank, ['approve', id, '--profile', 'team', '--json']);
    assert.equal(approved.code, 0, approved.stderr);
    const shown = await runCli(erin, ['show', id, '--profile', 'team', '--json']);
    const detail = JSON.parse(shown.stdout) as { status: { state: string }; history: Array<{ actor?: { name: string } }> };
    assert.equal(detail.status.state, 'approved');
    assert.deepEqual(detail.history.map((entry) => entry.actor?.name), ['erin', 'erin', 'frank']);
  });
});
