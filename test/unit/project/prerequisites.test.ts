import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensurePrerequisites } from '../../../scripts/prerequisites.mjs';

const root = join(__dirname, '..', '..', '..');
const everything = { codeServerBuild: true, ripgrep: true, chromium: true, databases: true, git: true, pseudoTerminal: true };

/** What each Debian package brings, as the probes see it: programs on PATH (bin/…) and files under the root. */
const packageFiles: Record<string, string[]> = {
  'g++': ['bin/c++'],
  make: ['bin/make'],
  python3: ['bin/python3'],
  'pkg-config': ['bin/pkg-config'],
  'libkrb5-dev': ['usr/include/gssapi/gssapi.h'],
  ripgrep: ['bin/rg'],
  chromium: ['usr/bin/chromium'],
  postgresql: ['usr/lib/postgresql/15/bin/initdb', 'usr/lib/postgresql/15/bin/postgres'],
  'mariadb-server': ['bin/mariadb-install-db', 'usr/sbin/mariadbd'],
  git: ['bin/git'],
  bsdutils: ['bin/script'],
};

/** A machine in a temp folder: PATH is its bin/, DB_TICKETS_PREREQ_ROOT its root; every package but `absent` is there. */
function fakeMachine(absent: string[], extraPrograms: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'db-tickets-prereq-'));
  const add = (file: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '#!/bin/sh\n');
    chmodSync(join(dir, file), 0o755);
  };
  mkdirSync(join(dir, 'bin'));
  for (const [pkg, files] of Object.entries(packageFiles)) if (!absent.includes(pkg)) files.forEach(add);
  extraPrograms.forEach((program) => add(join('bin', program)));
  const env = { PATH: join(dir, 'bin'), DB_TICKETS_PREREQ_ROOT: dir };
  return { dir, env, install: (pkg: string) => packageFiles[pkg].forEach(add) };
}

/** The parent's environment without the variables that point the probes elsewhere. */
function processEnv(machineEnv: Record<string, string>, extra: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...machineEnv, ...extra };
  delete env.CHROME_PATH;
  delete env.PG_BIN;
  return env;
}

const refuseToRun = () => {
  throw new Error('nothing should be installed');
};

describe('prerequisites of npm start and npm test', () => {
  const machines: string[] = [];
  const machine = (absent: string[], extraPrograms: string[] = []) => {
    const made = fakeMachine(absent, extraPrograms);
    machines.push(made.dir);
    return made;
  };
  after(() => machines.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  // The spawned scripts run as whoever runs the tests; only root is told to run apt-get without sudo.
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';

  it('passes silently when everything is there', () => {
    const printed: string[] = [];
    const ok = ensurePrerequisites('npm test', everything, { env: machine([]).env, isRoot: false, run: refuseToRun, print: (line: string) => printed.push(line) });
    assert.equal(ok, true);
    assert.deepEqual(printed, []);
  });

  it('checks only what is needed: no build tools are asked for once code-server is installed', () => {
    const printed: string[] = [];
    const { env } = machine(['g++', 'make', 'python3', 'pkg-config', 'libkrb5-dev']);
    assert.equal(ensurePrerequisites('npm test', { chromium: true, databases: true }, { env, isRoot: false, run: refuseToRun, print: (line: string) => printed.push(line) }), true);
    assert.deepEqual(printed, []);
  });

  it('npm test without MariaDB, not root and not on Debian, stops before building with one line per missing piece', () => {
    const { env } = machine(['mariadb-server']);
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'test.mjs'), 'unit'], { cwd: root, encoding: 'utf8', env: processEnv(env), timeout: 60_000 });
    assert.equal(result.stderr, [
      `npm test: missing MariaDB's server programs (mariadb-install-db, mariadbd), needed to start the Local backend tests' own MariaDB server; install: ${sudo}apt-get install mariadb-server`,
      `npm test: stopped before doing anything; install what is missing (on Debian or Ubuntu: ${sudo}apt-get install mariadb-server; elsewhere your system's packages of the same), then run it again.`,
      '',
    ].join('\n'));
    assert.equal(result.stdout, '0 passed, 1 failed\n', 'no build, type-check or tier ran');
    assert.equal(result.status, 1);
  });

  it('the unit tier needs git (the CI example runs in a throwaway repository), and git is asked for only where needed', () => {
    const { env } = machine(['git']);
    const printed: string[] = [];
    assert.equal(ensurePrerequisites('npm test', { databases: true, git: true }, { env, isRoot: false, run: refuseToRun, print: (line: string) => printed.push(line) }), false);
    assert.equal(printed[0], "npm test: missing git, needed to run the CI example's tests in a throwaway repository; install: sudo apt-get install git");
    const unit = spawnSync(process.execPath, [join(root, 'scripts', 'test.mjs'), 'unit'], { cwd: root, encoding: 'utf8', env: processEnv(env), timeout: 60_000 });
    assert.match(unit.stderr, /^npm test: missing git, /);
    assert.equal(unit.stdout, '0 passed, 1 failed\n');
    assert.equal(ensurePrerequisites('npm test', { databases: true, git: false }, { env, isRoot: false, run: refuseToRun, print: (line: string) => printed.push(line) }), true);
  });

  it('npm start without pkg-config stops before building or installing code-server', () => {
    const { env, dir } = machine(['pkg-config']);
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: processEnv(env, { DB_TICKETS_CACHE_DIR: cache }),
      timeout: 60_000,
    });
    assert.equal(result.stderr, [
      `npm start: missing pkg-config, needed to build code-server's native modules (first run only); install: ${sudo}apt-get install pkg-config`,
      `npm start: stopped before doing anything; install what is missing (on Debian or Ubuntu: ${sudo}apt-get install pkg-config; elsewhere your system's packages of the same), then run it again.`,
      '',
    ].join('\n'));
    assert.equal(result.stdout, '', 'nothing was built');
    assert.deepEqual(readdirSync(cache), [], 'nothing was installed');
    assert.equal(result.status, 1);
  });

  it('npm test of the oldest VS Code without ripgrep stops before building or installing that code-server', () => {
    const { env, dir } = machine(['ripgrep']);
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'test.mjs'), 'integration-oldest'], {
      cwd: root,
      encoding: 'utf8',
      env: processEnv(env, { DB_TICKETS_CACHE_DIR: cache }),
      timeout: 60_000,
    });
    assert.equal(result.stderr, [
      `npm test: missing ripgrep (rg), needed to install the oldest supported VS Code (code-server 4.96.4), whose install would download it (first run only); install: ${sudo}apt-get install ripgrep`,
      `npm test: stopped before doing anything; install what is missing (on Debian or Ubuntu: ${sudo}apt-get install ripgrep; elsewhere your system's packages of the same), then run it again.`,
      '',
    ].join('\n'));
    assert.equal(result.stdout, '0 passed, 1 failed\n', 'no build, type-check or tier ran');
    assert.deepEqual(readdirSync(cache), [], 'nothing was installed');
    assert.equal(result.status, 1);
  });

  it('on Debian but not as root, it names the sudo apt-get command', () => {
    const printed: string[] = [];
    const { env } = machine(['libkrb5-dev'], ['apt-get']);
    const ok = ensurePrerequisites('npm test', everything, { env, isRoot: false, run: refuseToRun, print: (line: string) => printed.push(line) });
    assert.equal(ok, false);
    assert.deepEqual(printed, [
      "npm test: missing the Kerberos headers (gssapi/gssapi.h), needed to build code-server's native modules (first run only); install: sudo apt-get install libkrb5-dev",
      'npm test: stopped before doing anything; install what is missing (sudo apt-get install libkrb5-dev), then run it again.',
    ]);
  });

  it('as root on Debian, installs every missing package with one apt-get update and one apt-get install', () => {
    const printed: string[] = [];
    const calls: { cmd: string; args: string[]; frontend: string | undefined }[] = [];
    const fake = machine(['pkg-config', 'libkrb5-dev', 'mariadb-server'], ['apt-get']);
    const run = (cmd: string, args: string[], env: Record<string, string>) => {
      calls.push({ cmd, args, frontend: env.DEBIAN_FRONTEND });
      if (args[0] === 'install') args.slice(3).forEach(fake.install);
      return { status: 0, output: '' };
    };
    const ok = ensurePrerequisites('npm test', everything, { env: fake.env, isRoot: true, run, print: (line: string) => printed.push(line) });
    assert.deepEqual(printed, [
      "npm test: installing pkg-config libkrb5-dev mariadb-server with apt-get, needed to build code-server's native modules (first run only) and to start the Local backend tests' own MariaDB server …",
    ]);
    assert.deepEqual(calls, [
      { cmd: 'apt-get', args: ['update', '-qq'], frontend: 'noninteractive' },
      { cmd: 'apt-get', args: ['install', '-y', '-qq', 'pkg-config', 'libkrb5-dev', 'mariadb-server'], frontend: 'noninteractive' },
    ]);
    assert.equal(ok, true);
  });

  it('as root on Debian, a failed apt-get stops it with apt-get\'s output', () => {
    const printed: string[] = [];
    const { env } = machine(['chromium'], ['apt-get']);
    const run = (_cmd: string, args: string[]) => (args[0] === 'update' ? { status: 0, output: '' } : { status: 100, output: 'E: Unable to locate package chromium\n' });
    const ok = ensurePrerequisites('npm test', everything, { env, isRoot: true, run, print: (line: string) => printed.push(line) });
    assert.equal(ok, false);
    assert.deepEqual(printed.slice(1), [
      'E: Unable to locate package chromium',
      'npm test: apt-get install -y -qq chromium failed (exit 100, output above); stopped before doing anything. Fix that, then run it again.',
    ]);
  });
});
