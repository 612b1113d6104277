// `npm test`: builds, type-checks and lints, then runs every tier — unit (mocha in Node), conformance (the behaviour
// every backend must show, against its fake or real engines, one line per backend), integration (mocha
// inside the real VS Code extension host), integration-oldest (the same suite on the oldest VS Code that
// engines.vscode admits) and e2e (a browser drives the workbench with the packaged extension) — and ends
// with one closing line `N passed, N failed`. `npm test -- unit` runs one tier.
import { spawn } from 'node:child_process';
import { ensurePrerequisites } from './prerequisites.mjs';
import { codeServerNeeds, repoRoot } from './sandbox.mjs';

const tiers = {
  unit: ['node', ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--config', 'test/unit/.mocharc.json']],
  conformance: ['node', ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--config', 'test/conformance/.mocharc.json']],
  integration: ['node', ['scripts/run-integration.mjs']],
  'integration-oldest': ['node', ['scripts/run-integration.mjs', 'oldest']],
  e2e: ['node', ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--config', 'test/e2e/.mocharc.json']],
};
const checks = [
  ['build', 'node', ['scripts/build.mjs']],
  ['type-check', 'node', ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']],
  ['lint', 'node', ['node_modules/eslint/bin/eslint.js', '.']],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((t) => !(t in tiers));
if (unknown.length > 0) {
  console.error(`test: unknown tier ${unknown.join(', ')}; tiers are ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? wanted : Object.keys(tiers);

// Before anything long: what the selected tiers need from the machine (the sandbox VS Code, Chromium, PostgreSQL, MariaDB, git).
const uses = (...names) => selected.some((tier) => names.includes(tier));
const needs = {
  ...codeServerNeeds(...(uses('integration', 'e2e') ? ['current'] : []), ...(uses('integration-oldest') ? ['oldest'] : [])),
  chromium: uses('integration', 'integration-oldest', 'e2e'),
  databases: uses('unit', 'conformance', 'integration', 'integration-oldest'),
  git: uses('unit'),
  pseudoTerminal: uses('unit'),
};
if (!ensurePrerequisites('npm test', needs)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** Runs a command, echoing its output, and returns its exit code with the `<tier>: N passed, N failed` line it printed. */
function run(cmd, args, tier) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DB_TICKETS_TIER: tier } });
    let counts;
    let pending = '';
    const closing = new RegExp(`^${tier}: (\\d+) passed, (\\d+) failed$`);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = closing.exec(line.trim());
        if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
      }
    });
    child.on('error', (error) => {
      console.error(`${tier}: could not start: ${error.message}`);
      resolve({ code: 1, counts });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, counts }));
  });
}

for (const [name, cmd, args] of checks) {
  const { code } = await run(cmd, args, name);
  if (code !== 0) {
    console.error(`test: ${name} failed (exit ${code}); no tests were run`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
for (const tier of selected) {
  const [cmd, args] = tiers[tier];
  const { code, counts } = await run(cmd, args, tier);
  if (!counts) {
    // A tier that crashed or reported nothing counts as one failure, never as a pass.
    console.error(`test: the ${tier} tier exited with ${code} without reporting its results`);
    failed += 1;
    continue;
  }
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0 && counts.failed === 0) {
    console.error(`test: the ${tier} tier exited with ${code}`);
    failed += 1;
  }
  if (counts.passed + counts.failed === 0) {
    console.error(`test: the ${tier} tier ran no tests`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
