import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets } from '../../support/runCli';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Bounded options, strict input, terminal-safe output, and no stack trace on any path of the CLI. */
describe('db-tickets against hostile input and output', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv;
  before(() => {
    env = cliSandbox();
  });

  it('refuses out-of-range --interval and --limit with exit 2 instead of overflowing a timer', async () => {
    for (const [args, message] of [
      [['watch', '1', '--interval', '3000000'], '--interval must be a whole number from 1 to 3600, not "3000000".'],
      [['watch', '1', '--interval', '1e3'], '--interval must be a whole number from 1 to 3600, not "1e3".'],
      [['list', '--limit', '0'], '--limit must be a whole number from 1 to 100, not "0".'],
      [['list', '--limit', '101'], '--limit must be a whole number from 1 to 100, not "101".'],
    ] as const) {
      const run = await dbTickets(env, [...args]);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('refuses SQL that is not UTF-8, naming the byte and its line, instead of replacing it', async () => {
    const sql = Buffer.concat([Buffer.from("SELECT 1;\nSELECT 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]);
    const run = await dbTickets(env, ['analyze'], sql as unknown as string);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'db-tickets: The SQL on standard input is not valid UTF-8: byte 21 (line 2) is 0xe9. Save the SQL as UTF-8 (e.g. iconv -f GBK -t UTF-8) and try again.\n');
  });

  it('shows control characters of ticket text escaped, so a title cannot drive the terminal', async () => {
    const title = 'Export \x1b]0;pwned\x07\x1b[31mred\x1b[0m \u202eevil';
    const created = await dbTickets(env, ['create', '--kind', 'export', '--db', 'demo', '--reason', 'r', '--title', title, '--json'], 'SELECT 1;');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).title, title, 'JSON keeps the text as it is');
    const listed = await dbTickets(env, ['list']);
    assert.ok(!['\x1b', '\x07', '\u202e'].some((c) => listed.stdout.includes(c)), JSON.stringify(listed.stdout));
    assert.ok(listed.stdout.includes('Export \\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m \\u{202e}evil'), listed.stdout);
  });

  it('a full output device is one line on stderr and exit 1, not a stack trace', async () => {
    const child = spawn(process.execPath, [cli, 'list'], { env: { ...process.env, ...env }, cwd: env.HOME, stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /^db-tickets: the output could not be written \(ENOSPC: no space left on the device\): write it somewhere else\.\n$/);
  });

  it('a reader that goes away (EPIPE) ends the run quietly', async () => {
    const child = spawn(process.execPath, [cli, 'analyze', '--help'], { env: { ...process.env, ...env }, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
