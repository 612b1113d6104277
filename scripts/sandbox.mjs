// The sandbox VS Code: code-server (real VS Code: server, web workbench, Node extension host) and the Node it
// requires, installed from the npm registry into a git-ignored cache on first use and reused after; plus a
// Chromium to drive the workbench. Shared by `npm start`, the integration tiers and the e2e tier.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrerequisites, findChromium, findRipgrep } from './prerequisites.mjs';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const cacheDir = resolve(process.env.DB_TICKETS_CACHE_DIR ?? join(repoRoot, '.cache'));

/**
 * The VS Code builds the extension is tested on, each pinned with the Node its code-server declares in engines.node:
 * the current one (code-server 4.139.1 = VS Code 1.139.1, Node 24) runs every tier; the oldest (code-server 4.96.4 =
 * VS Code 1.96.4, on Node 20.18.1 as VS Code 1.96's Electron carries) runs the integration tier again, so
 * engines.vscode names a version the tests really ran on. npm publishes no code-server 4.94 or 4.95.
 */
export const flavors = {
  current: { node: '24.21.0', codeServer: '4.139.1', vscode: '1.139.1', hasVscodeOption: true },
  oldest: { node: '20.18.1', codeServer: '4.96.4', vscode: '1.96.4', hasVscodeOption: false },
};

const nodePrefix = (flavor) => join(cacheDir, `node-${flavors[flavor].node}`);
const codeServerPrefix = (flavor) => join(cacheDir, `code-server-${flavors[flavor].codeServer}`);
const nodePackageDir = (flavor) => join(nodePrefix(flavor), 'node_modules', 'node');
const nodeBinary = (flavor) => join(nodePackageDir(flavor), 'bin', 'node');
const codeServerEntry = (flavor) => join(codeServerPrefix(flavor), 'node_modules', 'code-server', 'out', 'node', 'entry.js');

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

/**
 * Installs `spec` into `prefix` with npm unless the marker says it is already there. `beforeScripts(prefix)`, when
 * given, runs between unpacking and the install scripts (npm install --ignore-scripts, then npm rebuild).
 */
function npmInstallOnce(prefix, spec, env, beforeScripts) {
  if (isInstalled(prefix, spec)) return false;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  const started = Date.now();
  log(`installing ${spec} (first use; cached in ${prefix}) …`);
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  if (beforeScripts) {
    run('npm', ['install', '--no-save', '--ignore-scripts', ...quiet, spec], { cwd: prefix, env });
    beforeScripts(prefix);
    run('npm', ['rebuild', ...quiet], { cwd: prefix, env });
  } else {
    run('npm', ['install', '--no-save', ...quiet, spec], { cwd: prefix, env });
  }
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

/** The flavor's Node binary, installed from the npm registry on first use. */
export function ensureNode(flavor = 'current') {
  const { node } = flavors[flavor];
  npmInstallOnce(nodePrefix(flavor), `node@${node}`, npmFreeEnv());
  if (!existsSync(nodeBinary(flavor))) throw new Error(`node@${node} installed but ${nodeBinary(flavor)} is missing`);
  return nodeBinary(flavor);
}

/** What @vscode/ripgrep 1.15.9 (pinned by code-server 4.96.4) downloads: its release tag and the asset for this machine. */
const ripgrepDownload = {
  packageVersion: '1.15.9',
  asset: `ripgrep-v13.0.0-10-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-musl.tar.gz`,
};

/**
 * Older code-server builds fetch ripgrep from GitHub at install time (@vscode/ripgrep's postinstall), which a machine
 * without internet cannot reach. That postinstall first looks in its download cache under TMPDIR, so the cache is
 * filled with the system's ripgrep, packed under the name it would have downloaded. Returns that TMPDIR.
 */
function ripgrepCacheTmpdir(flavor) {
  const rg = findRipgrep();
  if (!rg) throw new Error(`ripgrep (rg) was not found; code-server ${flavors[flavor].codeServer} needs it. Install it (Debian: \`apt-get install ripgrep\`).`);
  const tmp = join(codeServerPrefix(flavor), 'tmp');
  const cache = join(tmp, `vscode-ripgrep-cache-${ripgrepDownload.packageVersion}`);
  const stage = join(cache, 'stage');
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  run('tar', ['-czf', join(cache, ripgrepDownload.asset), '-C', stage, 'rg']);
  return tmp;
}

/**
 * code-server 4.96.4's VS Code pins @vscode/proxy-agent 0.27.0 to a GitHub commit, which a machine without internet
 * cannot fetch; npm publishes the same version. Its lock entry loses the Git source (and that tarball's checksum)
 * before the install scripts run, so npm takes 0.27.0 from the registry.
 */
function takeGitPinsFromRegistry(prefix) {
  const shrinkwrap = join(prefix, 'node_modules', 'code-server', 'lib', 'vscode', 'npm-shrinkwrap.json');
  const lock = JSON.parse(readFileSync(shrinkwrap, 'utf8'));
  for (const entry of Object.values(lock.packages ?? {})) {
    if (!/^git\+/.test(entry.resolved ?? '')) continue;
    delete entry.resolved;
    delete entry.integrity;
  }
  writeFileSync(shrinkwrap, `${JSON.stringify(lock, null, 2)}\n`);
}

/**
 * code-server 4.96's web embedder maps a link to a local port onto its /proxy/<port>/ route but drops the link's path,
 * query and fragment (later code-server keeps them): openExternal on http://127.0.0.1:8080/order?id=1 would open
 * /proxy/8080/. That is the embedder, not VS Code, so the cached copy gets the later code-server's mapping.
 */
function keepLinkPathsThroughProxy(prefix) {
  const file = join(prefix, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'code', 'browser', 'workbench', 'workbench.js');
  const dropsPath = 'o=A.parse(new URL(l,window.location.href).toString())';
  const keepsPath = '{const p=A.parse(new URL(l,window.location.href).toString());o=p.with({path:p.path.replace(/\\/$/,"")+r.path,query:r.query,fragment:r.fragment})}';
  const source = readFileSync(file, 'utf8');
  if (source.includes(keepsPath)) return; // fixed by an earlier, interrupted install
  if (!source.includes(dropsPath)) throw new Error(`${file} is not the code-server 4.96.4 embedder whose link mapping this fixes`);
  writeFileSync(file, source.replace(dropsPath, keepsPath));
}

/** What the oldest code-server needs between unpacking and its install scripts (see the two functions above). */
function prepareOldestCodeServer(prefix) {
  takeGitPinsFromRegistry(prefix);
  keepLinkPathsThroughProxy(prefix);
}

export function ensureCodeServer(flavor = 'current') {
  const { codeServer } = flavors[flavor];
  if (!codeServerInstalled(flavor) && !ensurePrerequisites(`installing code-server ${codeServer}`, codeServerNeeds(flavor))) {
    throw new Error('code-server cannot be built on this machine yet: install what is listed above, then try again.');
  }
  const node = ensureNode(flavor);
  // code-server's postinstall checks the Node major from npm's user agent, so npm itself must run on the pinned Node;
  // its native modules then build from source against that Node's headers (prebuilt downloads are unreachable).
  const env = {
    ...npmFreeEnv(),
    PATH: `${dirname(node)}:${process.env.PATH}`,
    npm_config_nodedir: join(nodePackageDir(flavor), 'node_modules', `node-${process.platform}-${process.arch}`),
    npm_config_yes: 'true', // node-pty's build runs `npx node-gyp`
    npm_config_unsafe_perm: 'true', // as root, npm would otherwise drop privileges for the nested installs
  };
  const oldest = flavor === 'oldest';
  if (oldest && !codeServerInstalled(flavor)) env.TMPDIR = ripgrepCacheTmpdir(flavor);
  npmInstallOnce(codeServerPrefix(flavor), `code-server@${codeServer}`, env, oldest ? prepareOldestCodeServer : undefined);
  const entry = codeServerEntry(flavor);
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  return { node, entry };
}

/** What installing the flavors' code-server builds needs from the machine: none for those in the cache (see prerequisites.mjs). */
export function codeServerNeeds(...wanted) {
  const missing = wanted.filter((flavor) => !codeServerInstalled(flavor));
  return missing.length === 0 ? {} : { codeServerBuild: true, ripgrep: missing.includes('oldest') };
}

/** Whether code-server is in the cache; until it is, the first use builds its native modules (see prerequisites.mjs). */
export function codeServerInstalled(flavor = 'current') {
  return isInstalled(codeServerPrefix(flavor), `code-server@${flavors[flavor].codeServer}`);
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

// `node scripts/sandbox.mjs` prepares everything ahead of time: both code-server builds, their Node and Chromium.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!ensurePrerequisites('node scripts/sandbox.mjs', { chromium: true, ...codeServerNeeds(...Object.keys(flavors)) })) process.exit(1);
  for (const flavor of Object.keys(flavors)) ensureCodeServer(flavor);
  log(`chromium: ${ensureChromium()}`);
  for (const { node, codeServer, vscode } of Object.values(flavors)) log(`ready: code-server ${codeServer} (VS Code ${vscode}) on node ${node}`);
}
