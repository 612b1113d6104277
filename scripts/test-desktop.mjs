// `npm run test:desktop`: the same integration suite in desktop VS Code through @vscode/test-electron, on
// machines that can download VS Code. Where it cannot be downloaded, fails fast with a message saying so.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './sandbox.mjs';

const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const offline = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

function networkCode(error) {
  for (let e = error; e; e = e.cause) {
    if (offline.has(e.code)) return e.code;
    const m = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/.exec(String(e.message ?? ''));
    if (m) return m[1];
  }
  return undefined;
}

try {
  await runTests({
    version: process.env.DB_TICKETS_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [join(repoRoot, 'test', 'integration', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  const code = networkCode(error);
  if (code) {
    console.error(
      `test:desktop: desktop VS Code could not be downloaded (${code}: the VS Code update service is unreachable from this machine). ` +
        'Run `npm test` instead: its integration tier runs the same suite in a real VS Code (code-server) without downloading anything.',
    );
  } else {
    console.error(`test:desktop: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
