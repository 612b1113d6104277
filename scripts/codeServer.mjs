// Starts and stops the sandbox VS Code (code-server) on a loopback port, with every directory it writes
// (user data, extensions, HOME, TMPDIR, XDG_*) kept under one folder so nothing leaks into the user's home.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, flavors } from './sandbox.mjs';

/** User settings for a quiet workbench: no trust prompt, no chat panel, no walkthroughs, no telemetry. */
const userSettings = {
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function sandboxEnv(home) {
  // Test database servers run as their own system user, which cannot enter the private home: they keep the outer temp folder.
  const env = { ...process.env, HOME: home, TMPDIR: join(home, 'tmp'), DB_TICKETS_SERVER_TMPDIR: tmpdir() };
  for (const [name, sub] of [
    ['XDG_CONFIG_HOME', '.config'],
    ['XDG_DATA_HOME', '.local/share'],
    ['XDG_CACHE_HOME', '.cache'],
  ]) {
    env[name] = join(home, sub);
  }
  for (const dir of [env.TMPDIR, env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME]) mkdirSync(dir, { recursive: true });
  delete env.VSCODE_IPC_HOOK_CLI;
  return env;
}

/** Installs a .vsix into the sandbox's extensions folder. */
export function installExtension(stateDir, vsix, flavor = 'current') {
  const { node, entry } = ensureCodeServer(flavor);
  const home = join(stateDir, 'home');
  const result = spawnSync(
    node,
    [entry, '--user-data-dir', join(stateDir, 'user-data'), '--extensions-dir', join(stateDir, 'extensions'), '--install-extension', vsix, '--force'],
    { env: sandboxEnv(home), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Starts code-server bound to 127.0.0.1 and resolves once it answers /healthz.
 * `smokeTestDriver` lets the workbench honour the test payload (extensionDevelopmentPath, extensionTestsPath);
 * `settings` are added to the quiet workbench's user settings; `flavor` picks the VS Code build (see sandbox.mjs);
 * `locale` sets the display language (VS Code shows one only with a language pack for it installed).
 */
export async function startCodeServer({ stateDir, port, folder, smokeTestDriver = false, quiet = true, settings = {}, flavor = 'current', locale = '' }) {
  const { node, entry } = ensureCodeServer(flavor);
  const home = join(stateDir, 'home');
  const userDataDir = join(stateDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2));
  const configFile = join(stateDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const args = [
    entry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', join(stateDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  if (smokeTestDriver && flavors[flavor].hasVscodeOption) {
    args.push('--vscode-option', 'enable-smoke-test-driver');
  } else if (smokeTestDriver) {
    args.unshift(fileURLToPath(new URL('codeServerWithTestDriver.cjs', import.meta.url)));
    args.push('--enable-smoke-test-driver');
  }
  if (locale) args.push('--locale', locale);
  if (folder) args.push(folder);

  const child = spawn(node, args, {
    env: sandboxEnv(home),
    detached: true, // its own process group, so stop() also ends the helpers it spawns
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (exited) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 3000);
    await gone;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited during start-up (port ${port}); run with DEBUG_SANDBOX=1 to see its output`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return { url: `http://127.0.0.1:${port}/`, stop, child };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within 60 s`);
}
