import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function dbTickets(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('db-tickets CLI (the bundle)', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const { code, stdout } = dbTickets('--version');
    assert.equal(code, 0);
    assert.equal(stdout.trim(), version);
  });

  it('--help lists the global options and exits 0', () => {
    const { code, stdout } = dbTickets('--help');
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: db-tickets /);
    for (const option of ['--config <file>', '--profile <name>', '--json']) assert.ok(stdout.includes(option), option);
  });

  it('an unknown option is a usage error: exit 2 and a message on stderr', () => {
    const { code, stdout, stderr } = dbTickets('--no-such-option');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /unknown option '--no-such-option'/);
    assert.match(stderr, /db-tickets --help/);
  });

  it('is the package bin and starts with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.bin['db-tickets'], 'dist/cli.js');
    assert.ok(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });
});
