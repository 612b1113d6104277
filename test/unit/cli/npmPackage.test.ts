import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from '../../support/runCli';

const repoRoot = join(__dirname, '..', '..', '..');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]));
}

/** Runs an installed `db-tickets` as a user's shell would: the file itself, started by its `#!/usr/bin/env node` line. */
function run(bin: string, env: NodeJS.ProcessEnv, args: string[], stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, cwd: env.HOME });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the npm package of the command line', function () {
  this.timeout(300_000);
  let work: string;
  let installed: string;
  let bin: string;
  let packed: { filename: string; size: number; unpackedSize: number };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'db-tickets-npm-'));
    // `npm pack` as a user runs it, but on the bundles this run already built (its prepack script would build them again).
    const json = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, encoding: 'utf8' });
    packed = JSON.parse(json)[0];
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
    // Offline, with an empty cache: the install succeeds only if the package needs nothing from a registry.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), join(work, packed.filename)], { cwd: project, encoding: 'utf8' });
    installed = join(project, 'node_modules', 'db-tickets');
    bin = join(project, 'node_modules', '.bin', 'db-tickets');
  });

  it('installs alone: no dependencies, no VS Code extension, no development files', () => {
    assert.deepEqual(readdirSync(join(installed, '..')).filter((name) => !name.startsWith('.')), ['db-tickets'], 'nothing but db-tickets in node_modules');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
    const files = filesUnder(installed);
    assert.ok(files.includes('dist/cli.js') && files.includes('dist/sql-wasm.wasm') && files.includes('dist/demo-shop.sqlite'), files.join(', '));
    assert.deepEqual(files.filter((f) => /(^|\/)(extension\.m?js|node_modules|src|test|scripts|media|l10n)(\/|$)|\.map$|\.ts$/.test(f)), []);
    for (const file of files.filter((f) => f.endsWith('.mjs'))) {
      assert.doesNotMatch(readFileSync(join(installed, file), 'utf8'), /require\(["']vscode["']\)|from ["']vscode["']/, `${file} needs VS Code`);
    }
  });

  it('holds every module the command loads, even those loaded on first use (a cloud backend, a driver)', () => {
    const missing: string[] = [];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!existsSync(join(installed, 'dist', file))) return void missing.push(file);
      for (const [, imported] of readFileSync(join(installed, 'dist', file), 'utf8').matchAll(/["']\.\/([\w.-]+\.mjs)["']/g)) visit(imported);
    };
    visit('cli.mjs');
    visit('demoWorker.mjs');
    assert.deepEqual(missing, []);
    assert.ok([...seen].some((f) => f.startsWith('openDms-')) && [...seen].some((f) => f.startsWith('postgresEngine-')), [...seen].join(', '));
  });

  it("stays small: under 3 MB packed and 8 MB installed", () => {
    assert.ok(packed.size < 3_000_000, `packed ${packed.size} bytes`);
    assert.ok(packed.unpackedSize < 8_000_000, `unpacked ${packed.unpackedSize} bytes`);
  });

  it("runs on this machine's Node (20 or later): create, approve, execute and download an export of the demo database", async () => {
    const node = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
    assert.ok(Number(/^v(\d+)\./.exec(node)?.[1]) >= 20, `node ${node}`);
    const home = join(work, 'home');
    mkdirSync(home);
    const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), DB_TICKETS_USER: 'alice', LANG: 'C.UTF-8' };
    const version = await run(bin, env, ['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);

    const created = await run(bin, env, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'weekly report'], 'SELECT id, email FROM customers ORDER BY id LIMIT 3;\n');
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    for (const step of [['approve', id, '--comment', 'fine'], ['execute', id]]) {
      const done = await run(bin, env, step);
      assert.equal(done.code, 0, `${step[0]}: ${done.stderr}`);
    }
    const out = join(home, 'customers.csv');
    const downloaded = await run(bin, env, ['download', id, '--out', out]);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    const lines = readFileSync(out, 'utf8').split(/\r?\n/).filter(Boolean);
    assert.equal(lines[0], 'id,email');
    assert.deepEqual(lines.slice(1).map((line) => line.split(',')[0]), ['1', '2', '3']);
    assert.ok(lines.slice(1).every((line) => /^\d+,[^,@]+@[^,]+$/.test(line)), lines.join('\n'));
  });
});
