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

  it('submits a draft file with a blank line and a note above its Kind line, and CRLF line ends', async () => {
    const file = join(env.HOME!, 'loose.sql');
    writeFileSync(file, '\r\n-- for the weekly report\r\n-- Kind: DATA_EXPORT\r\n-- Database: demo\r\n\r\n-- Title: Loose header\r\n-- Reason: r\r\n-- Draft id: loose-1\r\n\r\nSELECT id FROM customers LIMIT 3;\r\n');
    const run = await dbTickets(env, ['--json', 'submit', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).title, 'Loose header');
  });

  it('says where a missing Kind or Title line goes, as file:line', async () => {
    const file = join(env.HOME!, 'missing.sql');
    writeFileSync(file, '\n\n-- Database: demo\n-- Reason: r\n-- Draft id: m-1\n\nSELECT 1;\n');
    const run = await dbTickets(env, ['submit', file]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `db-tickets: ${file}:3: The draft has no "-- Kind:" line: add one at the top of the draft, e.g. "-- Kind: DATA_EXPORT" (or SCHEMA_CHANGE, DATA_CHANGE).\n` +
        `${file}:3: Title is empty: write a short title that says what the ticket does, e.g. "Export customers". Add a "-- Title:" line for it at the top of the draft.\n`,
    );
  });

  it('names the line of the file for create and draft, and <stdin> for standard input', async () => {
    const file = join(env.HOME!, 'fix.sql');
    writeFileSync(file, '-- tidy up\n\nDELETE FROM orders;\n');
    const created = await dbTickets(env, ['create', '--kind', 'change', '--db', 'demo', '--reason', 'r', file]);
    assert.equal(created.code, 2);
    assert.equal(created.stderr, `db-tickets: ${file}:3: DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.\n`);
    const drafted = await dbTickets(env, ['draft', '--kind', 'export', '--db', 'demo', '--reason', 'r', file]);
    assert.match(drafted.stderr, new RegExp(`^db-tickets: ${file.replace(/[.\\/]/g, '\\$&')}:3: Statement 1 \\(DELETE, line 3\\) is DML`));
    const piped = await dbTickets(env, ['create', '--kind', 'change', '--db', 'demo', '--reason', 'r'], '-- tidy up\n\nDELETE FROM orders;\n');
    assert.equal(piped.stderr, 'db-tickets: <stdin>:3: DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.\n');
    const submitted = await dbTickets(env, ['submit', '-'], '-- Kind: DATA_EXPORT\n-- Databse: demo\n');
    assert.match(submitted.stderr, /^db-tickets: <stdin>:2: The draft's header says "Databse"/);
  });

  it('names warnings by file and line, and says where the SQL starts when the precheck fails', async () => {
    const warned = join(env.HOME!, 'star.sql');
    writeFileSync(warned, '-- Kind: DATA_EXPORT\n-- Database: demo\n-- Title: t\n-- Reason: r\n-- Draft id: star-1\n\nSELECT * FROM customers LIMIT 3;\n');
    const run = await dbTickets(env, ['submit', warned]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`^db-tickets: warning: ${warned.replace(/[.\\/]/g, '\\$&')}:7: SELECT \\* exports every column`, 'm'));

    const failing = join(env.HOME!, 'nosuch.sql');
    writeFileSync(failing, '-- Kind: DATA_CHANGE\n-- Database: demo\n-- Title: t\n-- Reason: r\n-- Draft id: nosuch-1\n\nUPDATE customers SET country = \'GB\' WHERE id = 1;\nUPDATE no_such_table SET a = 1 WHERE id = 1;\n');
    const failed = await dbTickets(env, ['submit', failing]);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, new RegExp(`the precheck of #\\d+ failed \\(its SQL starts at line 7 of ${failing.replace(/[.\\/]/g, '\\$&')}\\):\n  database: Statement 2 \\(UPDATE, line 2 of the ticket's SQL\\) fails on "demo"`));
  });

  it('refuses a key that is empty or holds control characters', async () => {
    const run = await dbTickets(env, ['create', '--kind', 'export', '--db', 'demo', '--reason', 'r', '--key', 'a\u001b[31m'], sql);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--key must be 1 to 128 printable characters/);
  });
});
