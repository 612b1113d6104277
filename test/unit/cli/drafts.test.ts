import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets } from '../../support/runCli';

const sandbox = () => cliSandbox();

const sql = 'SELECT id, email FROM customers ORDER BY id LIMIT 3;\n';

describe('db-tickets draft, submit FILE and create --key', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv;
  before(() => {
    env = sandbox();
  });

  it('draft prints a draft file; submitting it twice files one ticket', async () => {
    const drafted = await dbTickets(env, ['draft', '--kind', 'export', '--db', 'demo', '--reason', 'weekly report', '--key', 'release-42'], sql);
    assert.equal(drafted.code, 0, drafted.stderr);
    assert.match(drafted.stdout, /^-- Kind: DATA_EXPORT/);
    assert.match(drafted.stdout, /^-- Draft id: release-42$/m);
    assert.ok(drafted.stdout.endsWith(sql), 'the SQL is kept as given');
    const file = join(env.HOME!, 'export.sql');
    writeFileSync(file, drafted.stdout);

    const first = await dbTickets(env, ['--json', 'submit', file]);
    assert.equal(first.code, 0, first.stderr);
    const second = await dbTickets(env, ['--json', 'submit', file]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).id, JSON.parse(first.stdout).id);
    const listed = JSON.parse((await dbTickets(env, ['--json', 'list'])).stdout);
    assert.equal(listed.items.length, 1);
  });

  it('create --key resumes the same ticket instead of filing another', async () => {
    const args = ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'pipeline', '--key', 'run-7'];
    const first = JSON.parse((await dbTickets(env, args, sql)).stdout);
    const again = await dbTickets(env, args, sql);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).id, first.id);
  });

  it('a bad header exits 2 naming the file and the line', async () => {
    const file = join(env.HOME!, 'bad.sql');
    writeFileSync(file, '-- Kind: DATA_EXPORT\n-- Databse: demo\n-- Title: t\n-- Reason: r\n-- Draft id: x\n\nSELECT 1;\n');
    const run = await dbTickets(env, ['submit', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /bad\.sql:2: The draft's header says "Databse": did you mean "Database"\?/);
  });

  it('a statement of the wrong kind is named at its line in the file', async () => {
    const file = join(env.HOME!, 'kind.sql');
    writeFileSync(file, '-- Kind: DATA_EXPORT\n-- Database: demo\n-- Title: t\n-- Reason: r\n-- Draft id: y\n\nDELETE FROM orders WHERE id = 1;\n');
    const run = await dbTickets(env, ['submit', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /kind\.sql:7: Statement 1 \(DELETE, line 7\) is DML/);
  });

  it('a draft file without a draft id is refused, saying how to give one', async () => {
    const file = join(env.HOME!, 'noid.sql');
    writeFileSync(file, '-- Kind: DATA_EXPORT\n-- Database: demo\n-- Title: t\n-- Reason: r\n\nSELECT 1;\n');
    const run = await dbTickets(env, ['submit', file]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no "-- Draft id:" line/);
  });

  it('refuses a key that is empty or holds control characters', async () => {
    const run = await dbTickets(env, ['create', '--kind', 'export', '--db', 'demo', '--reason', 'r', '--key', 'a\u001b[31m'], sql);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--key must be 1 to 128 printable characters/);
  });
});
