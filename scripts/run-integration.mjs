// Runs the mocha suites of out/test/integration inside the real VS Code extension host: code-server serves
// the workbench with the smoke-test driver on, headless Chromium opens it with a payload naming this repo as
// the extension under development and the suite as its tests, and the extension host's exit code and
// console come back through window.codeAutomationExit / codeAutomationLog.
// `node scripts/run-integration.mjs oldest` runs them on the oldest VS Code the extension supports (see sandbox.mjs).
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { freePort, startCodeServer } from './codeServer.mjs';
import { ensureChromium, flavors, launchChromium, repoRoot } from './sandbox.mjs';

const TIMEOUT_MS = Number(process.env.DB_TICKETS_INTEGRATION_TIMEOUT_MS ?? 300_000);
// The suite's output is printed between these markers; the workbench's own chatter goes to the log file only.
const START = '--- db-tickets tests start ---';
const END = '--- db-tickets tests end ---';
const flavor = process.argv[2] ?? 'current';
if (!(flavor in flavors)) {
  console.error(`run-integration: unknown VS Code "${flavor}"; choose one of ${Object.keys(flavors).join(', ')}`);
  process.exit(2);
}
const logFile = join(repoRoot, 'test-results', flavor === 'current' ? 'integration-workbench.log' : `integration-workbench-${flavor}.log`);

export async function runIntegration() {
  ensureChromium(); // before the server starts, so a missing browser fails fast
  const { vscode, codeServer, node } = flavors[flavor];
  process.stderr.write(`integration tests on VS Code ${vscode} (code-server ${codeServer}, Node ${node})\n`);
  const stateDir = mkdtempSync(join(tmpdir(), 'db-tickets-it-'));
  const workspace = join(stateDir, 'workspace');
  cpSync(join(repoRoot, 'test', 'integration', 'workspace'), workspace, { recursive: true });

  const port = await freePort();
  const server = await startCodeServer({ stateDir, port, smokeTestDriver: true, quiet: !process.env.DEBUG_SANDBOX, flavor });
  const context = await launchChromium(join(stateDir, 'chromium'));
  try {
    const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(join(repoRoot, 'out', 'test', 'integration', 'index.js'))],
    ];
    let finish;
    const exitCode = new Promise((resolve) => (finish = resolve));
    await context.exposeFunction('codeAutomationExit', (code) => finish(code));
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    writeFileSync(logFile, '');
    let echo = false;
    let sawTests = false;
    await context.exposeFunction('codeAutomationLog', (level, message) => {
      const text = Array.isArray(message) ? format(...message) : String(message);
      appendFileSync(logFile, `[${level}] ${text}\n`);
      if (text === START) echo = sawTests = true;
      else if (text === END) echo = false;
      // Workbench services log `[Service] …` lines while the suite runs; mocha's output never starts with '['.
      else if (echo && !text.startsWith('[')) process.stdout.write(`${text}\n`);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise((resolve) =>
      setTimeout(() => {
        process.stderr.write(`integration: the extension host did not finish within ${TIMEOUT_MS / 1000} s\n`);
        resolve(124);
      }, TIMEOUT_MS).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    if (code !== 0 && !sawTests) {
      process.stderr.write(`integration: the suite did not start (exit ${code}); the workbench log is in ${logFile}\n`);
    }
    return code;
  } finally {
    await context.close().catch(() => {});
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const code = await runIntegration();
process.exit(code);
