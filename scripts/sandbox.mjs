// The sandbox VS Code: code-server (real VS Code: server, web workbench, Node extension host) and the Node 24
// it requires, installed from the npm registry into a git-ignored cache on first use and reused after;
// plus a Chromium to drive the workbench. Shared by `npm start`, the integration tier and the e2e tier.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrerequisites, findChromium } from './prerequisites.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const cacheDir = resolve(process.env.DB_TICKETS_CACHE_DIR ?? join(repoRoot, '.cache'));

// Pinned together: code-server 4.139.1 (VS Code 1.139.1) declares engines.node "24".
const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';

const nodePrefix = join(cacheDir, `node-${NODE_VERSION}`);
const codeServerPrefix = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);

export const node24 = join(nodePrefix, 'node_modules', 'node', 'bin', 'node');
export const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerDir, 'out', 'node', 'entry.js');

function log(message) {
  process.stderr.write(`[sandbox] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
  }
}

const installedMarker = (prefix) => join(prefix, '.installed');
const isInstalled = (prefix, spec) => existsSync(installedMarker(prefix)) && readFileSync(installedMarker(prefix), 'utf8') === spec;

/** Installs `spec` into `prefix` with npm unless the marker says it is already there. */
function npmInstallOnce(prefix, spec, env) {
  if (isInstalled(prefix, spec)) return false;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  const started = Date.now();
  log(`installing ${spec} (first use; cached in ${prefix}) …`);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: prefix, env });
  writeFileSync(installedMarker(prefix), spec);
  log(`installed ${spec} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

/**
 * The environment without the npm_* variables an enclosing `npm test` / `npm start` exports: a nested npm would
 * take them as its own configuration (its user agent then names the outer Node, which code-server rejects).
 */
function npmFreeEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

export function ensureNode24() {
  npmInstallOnce(nodePrefix, `node@${NODE_VERSION}`, npmFreeEnv());
  if (!existsSync(node24)) throw new Error(`node@${NODE_VERSION} installed but ${node24} is missing`);
  return node24;
}

export function ensureCodeServer() {
  if (!codeServerInstalled() && !ensurePrerequisites('installing code-server', { codeServerBuild: true })) {
    throw new Error('code-server cannot be built on this machine yet: install what is listed above, then try again.');
  }
  const node = ensureNode24();
  const nodeBin = join(nodePrefix, 'node_modules', 'node', 'bin');
  // code-server's postinstall checks the Node major from npm's user agent, so npm itself must run on Node 24;
  // its native modules then build from source against Node 24's headers (prebuilt downloads are unreachable).
  const env = {
    ...npmFreeEnv(),
    PATH: `${nodeBin}:${process.env.PATH}`,
    npm_config_nodedir: join(nodePrefix, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
  };
  npmInstallOnce(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, env);
  if (!existsSync(codeServerEntry)) throw new Error(`code-server installed but ${codeServerEntry} is missing`);
  return { node, entry: codeServerEntry };
}

/** Whether code-server is in the cache; until it is, the first use builds its native modules (see prerequisites.mjs). */
export function codeServerInstalled() {
  return isInstalled(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`);
}

/** Chromium from CHROME_PATH or the system (`npm test` checks for it, and installs it where it can, before it starts). */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  throw new Error(
    'Chromium was not found (looked at CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). Install it (Debian: `apt-get install chromium`) ' +
      'or set CHROME_PATH to a Chromium or Chrome binary.',
  );
}

/** Flags that keep Chromium off the network and quiet on a machine with no internet. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Chromium with its own fresh profile in `profileDir`, driven by playwright-core. */
export async function launchChromium(profileDir, options = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profileDir, { executablePath: ensureChromium(), headless: true, args: chromiumArgs, ...options });
}

// `node scripts/sandbox.mjs` prepares everything ahead of time.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!ensurePrerequisites('node scripts/sandbox.mjs', { codeServerBuild: !codeServerInstalled(), chromium: true })) process.exit(1);
  ensureCodeServer();
  log(`chromium: ${ensureChromium()}`);
  log(`ready: node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION}`);
}
