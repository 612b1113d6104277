// `npm start`: builds and packages the extension, installs it into the sandbox VS Code (code-server), and
// serves the workbench on 127.0.0.1 with the demo workspace open, until Ctrl+C.
// Options: --port N (default 8765, or a free port if taken); DB_TICKETS_PORT does the same.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { installExtension, freePort, startCodeServer } from './codeServer.mjs';
import { packageVsix } from './package.mjs';
import { ensurePrerequisites } from './prerequisites.mjs';
import { cacheDir, codeServerInstalled, repoRoot } from './sandbox.mjs';

// Before anything long: what building code-server needs on its first run.
if (!ensurePrerequisites('npm start', { codeServerBuild: !codeServerInstalled() })) process.exit(1);

function portFromArgs() {
  const i = process.argv.indexOf('--port');
  const value = i >= 0 ? process.argv[i + 1] : process.env.DB_TICKETS_PORT;
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`start: the port must be a number from 1 to 65535, not "${value}"`);
    process.exit(2);
  }
  return port;
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const requested = portFromArgs();
const port = requested ?? ((await isFree(8765)) ? 8765 : await freePort());

const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
console.log('Packaging the extension …');
const vsix = packageVsix();

// One persistent sandbox profile, so settings and the Local backend's tickets survive restarts.
const stateDir = join(cacheDir, 'start');
mkdirSync(stateDir, { recursive: true });
installExtension(stateDir, vsix);

const server = await startCodeServer({ stateDir, port, folder: join(repoRoot, 'demo'), quiet: !process.env.DEBUG_SANDBOX });
console.log(`\nDB Tickets is running in VS Code at ${server.url}?folder=${join(repoRoot, 'demo')}`);
console.log('Open it in a browser (it listens on 127.0.0.1 only). Press Ctrl+C to stop.\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping …');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server stopped unexpectedly (exit ${code}); run with DEBUG_SANDBOX=1 to see its output`);
    process.exit(1);
  }
});
