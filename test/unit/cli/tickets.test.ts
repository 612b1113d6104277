import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets } from '../../support/runCli';


const sandbox = cliSandbox;

const exportSql = 'SELECT id, email, country FROM customers ORDER BY id LIMIT 3;\n';

describe('db-tickets ticket commands on the local profile', function () {
  this.timeout(120_000);
  // One store for the tests that need the demo database: seeding it is the slow part.
  let shared: NodeJS.ProcessEnv;
  before(() => {
    shared = sandbox();
  });

  it('runs an export through its whole life: create, list, approve, execute, download, show, watch', async () => {
    const env = shared;
    const created = await dbTickets(env, ['create', '--kind', 'export', '--db', 'demo', '--reason', 'weekly report', '--json'], exportSql);
    assert.equal(created.code, 0, created.stderr);
    const ticket = JSON.parse(created.stdout);
    assert.equal(ticket.title, 'Export customers');
    assert.equal(ticket.status.state, 'pending_approval', created.stdout);

    const listed = await dbTickets(env, ['list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^#${ticket.id} +pending approval +DATA_EXPORT +demo .*Export customers$`, 'm'));

    const approved = await dbTickets(env, ['approve', ticket.id, '--comment', 'fine by me']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /— approved/);

    const executed = await dbTickets(env, ['execute', `#${ticket.id}`]);
    assert.equal(executed.code, 0, executed.stderr);
    assert.match(executed.stdout, /— succeeded/);

    const out = join(env.HOME!, 'result.csv');
    const downloaded = await dbTickets(env, ['download', ticket.id, '--out', out]);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    const csv = readFileSync(out, 'utf8').split(/\r?\n/);
    assert.equal(csv[0], 'id,email,country');
    assert.equal(csv.filter((l) => l !== '').length, 4);

    const shown = await dbTickets(env, ['show', ticket.id, '--json']);
    const detail = JSON.parse(shown.stdout);
    assert.equal(detail.execution.rows, 3);
    const actions = detail.history.map((e: { action: string }) => e.action).join(' | ');
    assert.match(actions, /submitted.*approved \(self-approval\).*succeeded/);
    assert.ok(detail.history.every((e: { actor: { name: string } }) => e.actor.name === 'alice'));

    const watched = await dbTickets(env, ['watch', ticket.id]);
    assert.equal(watched.code, 0, watched.stderr);
  });

  it('watch ends with exit 1 for a rejected ticket', async () => {
    const env = shared;
    const created = await dbTickets(env, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'r'], exportSql);
    const { id } = JSON.parse(created.stdout);
    assert.equal((await dbTickets(env, ['reject', id, '--comment', 'too broad'])).code, 0);
    const watched = await dbTickets(env, ['watch', id, '--json']);
    assert.equal(watched.code, 1);
    assert.equal(JSON.parse(watched.stdout.trim().split('\n').pop()!).status.state, 'rejected');
  });

  it('watch --until approved ends with exit 0 once the ticket is approved, and 1 when it is rejected', async () => {
    const env = shared;
    const create = async () => JSON.parse((await dbTickets(env, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'r'], exportSql)).stdout).id as string;
    const approved = await create();
    assert.equal((await dbTickets(env, ['approve', approved])).code, 0);
    const watched = await dbTickets(env, ['watch', approved, '--until', 'approved', '--json']);
    assert.equal(watched.code, 0, watched.stderr);
    assert.equal(JSON.parse(watched.stdout.trim().split('\n').pop()!).status.state, 'approved');
    const rejected = await create();
    assert.equal((await dbTickets(env, ['reject', rejected])).code, 0);
    assert.equal((await dbTickets(env, ['watch', rejected, '--until', 'approved'])).code, 1);
    const unknown = await dbTickets(env, ['watch', rejected, '--until', 'executed']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /argument 'executed' is invalid\. Allowed choices are done, approved\./);
  });

  it('refuses SQL of the wrong kind with exit 2, naming the statement', async () => {
    const run = await dbTickets(sandbox(), ['create', '--kind', 'export', '--db', 'demo', '--reason', 'r'], 'DELETE FROM orders;');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^db-tickets: <stdin>:1: Statement 1 \(DELETE, line 1\) is DML, and a data export takes one read-only query: move it to a data change ticket\.\n<stdin>:1: DELETE without WHERE deletes every row/);
  });

  it('refuses a draft without a reason with exit 2, saying which option fills it', async () => {
    const run = await dbTickets(sandbox(), ['create', '--kind', 'export', '--db', 'demo'], exportSql);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Reason is empty: .* \(--reason\)/);
  });

  it('an unknown profile is a configuration error (exit 2) listing the known ones', async () => {
    const run = await dbTickets(sandbox(), ['list', '--profile', 'prod']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^db-tickets: Profile "prod" is not configured: use one of local, or add it/);
  });

  it('an unknown database is refused before anything is stored, naming the databases there are', async () => {
    const env = sandbox();
    const run = await dbTickets(env, ['create', '--kind', 'export', '--db', 'nope', '--reason', 'r'], exportSql);
    assert.equal(run.code, 2, 'a configuration problem');
    assert.equal(run.stderr, 'db-tickets: Database "nope" is not a configured connection: choose one of demo, or add a connection named "nope" to the configuration.\n');
    assert.equal((await dbTickets(env, ['list'])).stdout, 'No tickets.\n');
  });

  it('a server database without a password is a configuration error (exit 2) saying how to provide one', async () => {
    const env = sandbox({ connections: [{ name: 'shop', driver: 'postgres', port: 1, database: 'shop', user: 'app', passwordEnv: 'SHOP_PASSWORD' }] });
    env.PGPASSFILE = join(env.HOME!, 'no-pgpass');
    const run = await dbTickets(env, ['create', '--kind', 'export', '--db', 'shop', '--reason', 'r'], exportSql);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^db-tickets: No password for connection "shop" \(PostgreSQL app@127\.0\.0\.1:1\/shop\): .* set the environment variable SHOP_PASSWORD; /);
  });

  it('an action in the wrong state is refused with what the ticket allows now', async () => {
    const env = shared;
    const { id } = JSON.parse((await dbTickets(env, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'r'], exportSql)).stdout);
    const run = await dbTickets(env, ['execute', id]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^db-tickets: Ticket #${id} cannot be executed: .* only while approved\\. What #${id} allows now: `));
  });
});
