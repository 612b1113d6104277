import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, usePostgres } from '../support/postgresServer';
import { runCli, startCli } from '../support/runCli';
import { checkJsonShape } from '../support/cliJsonShapes';

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

  /** A new database for a store, its URL as the owner (the server's test role, which may create roles) and its CLI. */
  async function newStore(prefix: string): Promise<{ pg: PostgresServer; url: string; owner: NodeJS.ProcessEnv }> {
    const pg = server();
    const database = await pg.createDatabase(`${prefix}_${Date.now()}`);
    await pg.admin('ALTER ROLE tickets CREATEROLE', 'postgres');
    const url = `postgres://tickets@127.0.0.1:${pg.port}/${database}`;
    return { pg, url, owner: as('tickets', pg.password, url) };
  }

  /** A login role `name` (password pw-<name>), granted `roles`. */
  async function loginRole(pg: PostgresServer, name: string, roles: string): Promise<void> {
    await pg.admin(`DO $p$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}'; END IF; END $p$`, 'postgres');
    await pg.admin(`GRANT ${roles} TO ${name}`, 'postgres');
  }

  it('sets up a store once, prints its SQL, and two roles then submit and approve as themselves', async () => {
    const { pg, url, owner } = await newStore('teamcli');

    const printed = await runCli(owner, ['store', 'init', '--url', url, '--print']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /CREATE SCHEMA db_tickets;/);
    assert.match(printed.stdout, /CREATE ROLE db_tickets_approver NOLOGIN/);

    const first = await runCli(owner, ['store', 'init', '--url', url]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /schema version 1\. Applied 1 \(/);
    // Again, as the contract names it: a connection of the configuration, its password from PGPASSWORD.
    const config = join(home, 'owner-connections.json');
    writeFileSync(config, JSON.stringify({ connections: [{ name: 'team-pg', driver: 'postgres', host: '127.0.0.1', port: pg.port, database: new URL(url).pathname.slice(1), user: 'tickets' }] }));
    const again = await runCli({ ...owner, DB_TICKETS_CONFIG: config }, ['store', 'init', '--connection', 'team-pg', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(checkJsonShape('store init', again.stdout).applied, []);

    await loginRole(pg, 'erin', 'db_tickets_submitter');
    await loginRole(pg, 'frank', 'db_tickets_approver, db_tickets_executor');
    const erinUrl = url.replace('tickets@', 'erin@');
    const erin = as('erin', 'pw-erin', erinUrl, { actor: 'the-boss' });
    const created = await runCli(erin, ['create', '--profile', 'team', '--kind', 'export', '--db', 'demo', '--reason', 'team', '--title', 'Team export', '--json'], 'SELECT 1 AS n;\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /its actor "the-boss" is ignored .*you act as the role you connect as, erin/);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const selfApprove = await runCli(erin, ['approve', id, '--profile', 'team']);
    assert.equal(selfApprove.code, 1);
    assert.match(selfApprove.stderr, /erin may not approve ticket #\d+: that takes membership in the role db_tickets_approver/);

    // erin watches with a minute between checks: only the store's notification can tell her of the approval soon.
    const watching = startCli(erin, ['watch', id, '--profile', 'team', '--interval', '60', '--json']);
    let lines = '';
    watching.child.stdout!.on('data', (chunk) => (lines += chunk));
    for (let waited = 0; !lines.includes('pending_approval') && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const frank = as('frank', 'pw-frank', url.replace('tickets@', 'frank@'));
    const approved = await runCli(frank, ['approve', id, '--profile', 'team', '--json']);
    assert.equal(approved.code, 0, approved.stderr);
    const approvedAt = Date.now();
    for (let waited = 0; !lines.includes('"approved"') && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const heardAfter = Date.now() - approvedAt;
    watching.child.kill('SIGINT');
    await watching.done;
    assert.match(lines, /"state":"approved"/, `watch printed: ${lines}`);
    assert.ok(heardAfter < 30_000, 'the approval reached watch long before its next check');
    const shown = await runCli(erin, ['show', id, '--profile', 'team', '--json']);
    const detail = JSON.parse(shown.stdout) as { status: { state: string }; history: Array<{ actor?: { name: string } }> };
    assert.equal(detail.status.state, 'approved');
    assert.deepEqual(detail.history.map((entry) => entry.actor?.name), ['erin', 'erin', 'frank']);
  });

  it('store migrate copies a folder store with ids, authors, times and results kept, verifies it, and copies nothing twice', async () => {
    const { pg, url, owner } = await newStore('migrate');
    assert.equal((await runCli(owner, ['store', 'init', '--url', url])).code, 0);

    // A folder store with an export run to the end and a rejected change, as alice and bob left it.
    const folder = join(home, 'folder-store');
    const local = (user: string) => ({ HOME: home, XDG_DATA_HOME: join(home, 'local'), DB_TICKETS_CONFIG: '', DB_TICKETS_USER: user, DB_TICKETS_STORE: folder });
    const run = async (user: string, args: string[], stdin = '') => {
      const done = await runCli(local(user), args, stdin);
      assert.equal(done.code, 0, done.stderr);
      return done.stdout;
    };
    const exported = JSON.parse(await run('alice', ['create', '--kind', 'export', '--db', 'demo', '--reason', 'r', '--title', 'Export', '--json'], 'SELECT 1 AS n;\n')) as { id: string };
    await run('bob', ['approve', exported.id]);
    await run('alice', ['execute', exported.id]);
    const changed = JSON.parse(await run('alice', ['create', '--kind', 'change', '--db', 'demo', '--reason', 'r', '--title', 'Change', '--json'], 'UPDATE products SET price = price WHERE id = 1;\n')) as { id: string };
    await run('bob', ['reject', changed.id, '--comment', 'not now']);

    const first = await runCli(owner, ['store', 'migrate', '--from', folder, '--to', url, '--json']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const report = checkJsonShape('store migrate', first.stdout) as unknown as { tickets: { copied: number; refused: unknown[] }; events: { found: number; copied: number }; results: { copied: number }; mismatches: string[] };
    assert.equal(report.tickets.copied, 2);
    assert.deepEqual(report.tickets.refused, []);
    assert.equal(report.events.copied, report.events.found);
    assert.equal(report.results.copied, 1);
    assert.deepEqual(report.mismatches, []);

    const again = await runCli(owner, ['store', 'migrate', '--from', folder, '--to', url]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /tickets: 2 found, 0 copied, 2 already there, 0 not copied/);
    assert.match(again.stdout, /export results: 0 copied, 1 already there/);
    assert.match(again.stdout, /verified: every copied ticket has the same state and history/);

    // Read from the team store by a member: the same tickets, people and result.
    await loginRole(pg, 'gina', 'db_tickets_submitter');
    const gina = as('gina', 'pw-gina', url.replace('tickets@', 'gina@'));
    const shown = JSON.parse((await runCli(gina, ['show', exported.id, '--profile', 'team', '--json'])).stdout) as { title: string; status: { state: string }; history: Array<{ actor?: { name: string } }> };
    assert.equal(shown.title, 'Export');
    assert.equal(shown.status.state, 'succeeded');
    assert.deepEqual(shown.history.map((entry) => entry.actor?.name), ['alice', 'alice', 'bob', 'alice', 'alice']);
    const rejected = JSON.parse((await runCli(gina, ['show', changed.id, '--profile', 'team', '--json'])).stdout) as { status: { state: string } };
    assert.equal(rejected.status.state, 'rejected');
    const fromTeam = join(home, 'from-team.csv');
    const fromFolder = join(home, 'from-folder.csv');
    assert.equal((await runCli(gina, ['download', exported.id, '--profile', 'team', '--out', fromTeam])).code, 0);
    await run('alice', ['download', exported.id, '--out', fromFolder]);
    assert.deepEqual(readFileSync(fromTeam), readFileSync(fromFolder));
  });
});
