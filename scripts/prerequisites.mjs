// What `npm start` and `npm test` need from the machine, checked before any long step, so a missing piece stops
// them at once — one line per piece with what it is for and the command that installs it — instead of failing
// halfway through a build or a test run. On Debian as root every missing package is installed with one apt-get.
//
// Where it looks: programs on PATH; fixed system paths (headers, /usr/sbin, /usr/lib/postgresql, /usr/bin/chromium)
// under DB_TICKETS_PREREQ_ROOT (default /), so a test can hide a piece with its own PATH and root folder;
// CHROME_PATH and PG_BIN as the test harness honours them.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const toBuildCodeServer = "to build code-server's native modules (first run only)";

/** Each piece: the need it serves, what it is, why, the Debian package that brings it, and how to find it. */
const pieces = [
  { need: 'codeServerBuild', what: 'a C++ compiler (c++ or g++)', why: toBuildCodeServer, pkg: 'g++', found: (p) => p.program('c++') || p.program('g++') },
  { need: 'codeServerBuild', what: 'make', why: toBuildCodeServer, pkg: 'make', found: (p) => p.program('make') },
  { need: 'codeServerBuild', what: 'python3 (node-gyp runs on it)', why: toBuildCodeServer, pkg: 'python3', found: (p) => p.program('python3') },
  { need: 'codeServerBuild', what: 'pkg-config', why: toBuildCodeServer, pkg: 'pkg-config', found: (p) => p.program('pkg-config') },
  {
    need: 'codeServerBuild',
    what: 'the Kerberos headers (gssapi/gssapi.h)',
    why: toBuildCodeServer,
    pkg: 'libkrb5-dev',
    found: (p) => p.file('/usr/include/gssapi/gssapi.h') || p.file('/usr/local/include/gssapi/gssapi.h'),
  },
  {
    need: 'ripgrep',
    what: 'ripgrep (rg)',
    why: 'to install the oldest supported VS Code (code-server 4.96.4), whose install would download it (first run only)',
    pkg: 'ripgrep',
    found: (p) => findRipgrep(p.env),
  },
  {
    need: 'chromium',
    what: 'Chromium',
    why: 'to drive the VS Code workbench in the integration and e2e tests',
    pkg: 'chromium',
    otherwise: 'or set CHROME_PATH to a Chromium or Chrome binary',
    found: (p) => findChromium(p.env),
  },
  {
    need: 'git',
    what: 'git',
    why: "to run the CI example's tests in a throwaway repository",
    pkg: 'git',
    found: (p) => p.program('git'),
  },
  {
    need: 'databases',
    what: "PostgreSQL's server programs (initdb, postgres)",
    why: "to start the Local backend tests' own PostgreSQL server",
    pkg: 'postgresql',
    otherwise: 'or set PG_BIN to the folder that holds them',
    found: (p) => findPostgresBin(p.env),
  },
  {
    need: 'databases',
    what: "MariaDB's server programs (mariadb-install-db, mariadbd)",
    why: "to start the Local backend tests' own MariaDB server",
    pkg: 'mariadb-server',
    found: (p) => p.serverProgram('mariadb-install-db') && p.serverProgram('mariadbd'),
  },
  {
    need: 'pseudoTerminal',
    what: 'script (util-linux)',
    why: 'to run the command line on a pseudo-terminal in the unit tests (its progress line and colours)',
    pkg: 'bsdutils',
    found: (p) => p.program('script'),
  },
];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function underRoot(env, path) {
  return join(env.DB_TICKETS_PREREQ_ROOT || '/', path);
}

function probes(env) {
  const program = (name) => (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(isExecutable);
  return {
    env,
    program,
    file: (path) => existsSync(underRoot(env, path)),
    // Server programs live in sbin, which is not always on PATH (as test/support/mariadbServer.ts looks).
    serverProgram: (name) => program(name) || ['/usr/sbin', '/usr/local/sbin'].map((dir) => underRoot(env, join(dir, name))).find(isExecutable),
  };
}

/** Chromium from CHROME_PATH or the system, or undefined. */
export function findChromium(env = process.env) {
  return [env.CHROME_PATH, underRoot(env, '/usr/bin/chromium'), underRoot(env, '/usr/bin/chromium-browser')].find((p) => p && existsSync(p));
}

/** ripgrep from PATH or the system, or undefined. */
export function findRipgrep(env = process.env) {
  return probes(env).program('rg') || [underRoot(env, '/usr/bin/rg')].find(isExecutable);
}

/** The folder with PostgreSQL's initdb and postgres: PG_BIN or the newest /usr/lib/postgresql/<version>/bin (as test/support/postgresServer.ts looks). */
function findPostgresBin(env) {
  const candidates = [env.PG_BIN];
  const debianRoot = underRoot(env, '/usr/lib/postgresql');
  if (existsSync(debianRoot)) {
    for (const version of readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debianRoot, version, 'bin'));
  }
  return candidates.find((dir) => dir && isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres')));
}

function missingPieces(needs, env) {
  const p = probes(env);
  return pieces.filter((piece) => needs[piece.need] && !piece.found(p));
}

const unique = (items) => [...new Set(items)];

/** The line naming a missing piece, what it is for and the command that installs it. */
function missingLine(command, piece, sudo) {
  const install = `${sudo}apt-get install ${piece.pkg}`;
  return `${command}: missing ${piece.what}, needed ${piece.why}; install: ${install}${piece.otherwise ? `, ${piece.otherwise}` : ''}`;
}

function stopLines(command, missing, { sudo, debian }) {
  const all = `${sudo}apt-get install ${unique(missing.map((piece) => piece.pkg)).join(' ')}`;
  const where = debian ? all : `on Debian or Ubuntu: ${all}; elsewhere your system's packages of the same`;
  return [...missing.map((piece) => missingLine(command, piece, sudo)), `${command}: stopped before doing anything; install what is missing (${where}), then run it again.`];
}

function runQuietly(cmd, args, env) {
  const result = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { status: result.error ? -1 : result.status, output: result.error ? String(result.error) : `${result.stdout}${result.stderr}` };
}

/**
 * Checks what `command` (`npm start`, `npm test`) needs — `needs` has `codeServerBuild`, `ripgrep`, `chromium`,
 * `databases`, `git`, `pseudoTerminal` set to true where wanted — and returns true when all of it is there. On Debian as root the missing packages
 * are installed first; otherwise the missing pieces are printed with their install command and it returns false.
 * `options` lets a test stand in for the machine: `env`, `isRoot`, `run(cmd, args, env) → { status, output }`, `print(line)`.
 */
export function ensurePrerequisites(command, needs, options = {}) {
  const { env = process.env, isRoot = process.getuid?.() === 0, run = runQuietly, print = (line) => process.stderr.write(`${line}\n`) } = options;
  const missing = missingPieces(needs, env);
  if (missing.length === 0) return true;
  const debian = Boolean(probes(env).program('apt-get'));
  const sudo = isRoot ? '' : 'sudo ';
  if (!(debian && isRoot)) {
    for (const line of stopLines(command, missing, { sudo, debian })) print(line);
    return false;
  }

  const packages = unique(missing.map((piece) => piece.pkg));
  print(`${command}: installing ${packages.join(' ')} with apt-get, needed ${unique(missing.map((piece) => piece.why)).join(' and ')} …`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
    const { status, output } = run('apt-get', args, aptEnv);
    if (status !== 0) {
      print(output.trimEnd());
      print(`${command}: apt-get ${args.join(' ')} failed (exit ${status}, output above); stopped before doing anything. Fix that, then run it again.`);
      return false;
    }
  }
  const stillMissing = missingPieces(needs, env);
  if (stillMissing.length === 0) return true;
  for (const line of stopLines(command, stillMissing, { sudo, debian })) print(line);
  return false;
}
