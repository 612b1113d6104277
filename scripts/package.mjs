// `npm run package`: a production build packed into db-tickets-<version>.vsix by @vscode/vsce, holding only
// what runs (see .vscodeignore; the bundles carry their dependencies, so node_modules stays out).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './sandbox.mjs';

export function packageVsix() {
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const out = join(repoRoot, `${name}-${version}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`vsce package failed:\n${result.stdout}${result.stderr}`);
  return out;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const out = packageVsix();
  console.log(`${out} (${(statSync(out).size / 1024).toFixed(1)} KiB)`);
}
