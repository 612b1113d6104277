// Activation of the packaged extension in the real VS Code extension host (code-server's Node extension host), next to
// built-in extensions activated in the same fresh windows; what the shipped bundle loads at activation, by module; and
// the .vsix's contents by size. Activation is measured with 0, 10 and 100 cloud profiles configured, so a cost that
// grows with the settings (or a backend loaded at activation) shows.
//   node --import tsx bench/activation.bench.ts [--quick] [--windows N] [--vsix FILE]
// --vsix measures a .vsix built elsewhere (e.g. an older version) instead of packaging this checkout; its modules are
// then listed by file, without source maps.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startCodeServer } from '../scripts/codeServer.mjs';
import { packageVsix } from '../scripts/package.mjs';
import { launchChromium, repoRoot } from '../scripts/sandbox.mjs';
import { type BenchRow, printBenchRows } from './benchRows';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const windows = Number(option('--windows') ?? (quick ? 3 : 5));
const givenVsix = option('--vsix');
const profileCounts = quick ? [0, 100] : [0, 10, 100];

const ours = 'db-tickets.db-tickets';
/** Built-in extensions none of the windows activates on its own: a tree view with commands, and language features. */
const builtIns = ['vscode.references-view', 'vscode.php-language-features'];
const target = { activationMs: 30, vsixMiB: 5 };

interface Timing {
  ms: number;
  cpuMs: number;
}
interface Activation extends Timing {
  /** In a profiled window: importing the extension's ES module on its own, before activating. */
  load?: Timing;
  profile?: CpuProfile;
}
interface CpuProfile {
  nodes: Array<{ id: number; children?: number[]; callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}
type Row = BenchRow;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const mib = (bytes: number) => bytes / 2 ** 20;

/** `unzip -v` of the package: each entry's size, compressed size and name. */
function vsixEntries(vsix: string): Array<{ size: number; compressed: number; name: string }> {
  return execFileSync('unzip', ['-v', vsix], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\S+\s+[0-9a-f]{8}\s+(\S.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ size: Number(match[1]), compressed: Number(match[2]), name: match[3] }));
}

const kindOf = (name: string) =>
  /^extension\/dist\/.*\.(m?js)$/.test(name) ? 'JavaScript (dist)' : /\.(wasm|data)$/.test(name) ? 'WebAssembly and data (dist)' : name.startsWith('extension/media/') ? 'media' : 'manifest, translations, docs';

/** The source maps the build left in dist/ (the package leaves them out), for the files the package holds unchanged. */
function sourceMaps(stagedDist: string): Map<string, SourceMap> {
  const maps = new Map<string, SourceMap>();
  for (const file of readdirSync(stagedDist).filter((name) => name.endsWith('.mjs'))) {
    const built = join(repoRoot, 'dist', file);
    if (existsSync(`${built}.map`) && readFileSync(built).equals(readFileSync(join(stagedDist, file)))) {
      maps.set(file, new SourceMap(JSON.parse(readFileSync(`${built}.map`, 'utf8'))));
    }
  }
  return maps;
}

/** Where a profile sample's code comes from: a source file, a dist file, or the host. */
function sourceOf(frame: CpuProfile['nodes'][number]['callFrame'], extensionDir: string, maps: Map<string, SourceMap>): string {
  const { url, lineNumber, columnNumber, functionName } = frame;
  if (!url) return `(${functionName || 'native'})`;
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (!path.startsWith(extensionDir)) {
    if (path.startsWith('node:')) return /esm|modules/.test(path) ? 'Node: module loading' : `Node: ${path.replace(/^node:(internal\/)?/, '')}`;
    return 'VS Code (extension host)';
  }
  const file = basename(path);
  const source = maps.get(file)?.findEntry(lineNumber, columnNumber);
  const original = source && 'originalSource' in source ? source.originalSource.replace(/^(\.\.\/)+/, '') : undefined;
  if (original) return original;
  if (!functionName) return `dist/${file} (module top level)`;
  return maps.has(file) ? `dist/${file} (esbuild runtime: ${functionName})` : `dist/${file}`;
}

/** A package, or a source folder (one level deeper for the backends and the VS Code layer). */
function moduleOf(source: string): string {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return pkg[1];
  if (!source.startsWith('src/')) return source;
  return source.split('/').slice(0, source.startsWith('src/backends/') || source.startsWith('src/vscode/') ? 3 : 2).join('/');
}

/** Code that must load on first use only: the HTTP stack, database drivers, the demo engine, cloud backends' implementations. */
const onFirstUse =
  /^node_modules\/(undici|pg|pg-[^/]+|mysql2|sql\.js|ali-oss|urllib|@electric-sql)\/|^src\/net\/|^src\/backends\/local\/db\/(demo|postgres|mysql|sqlite)\/|^src\/backends\/(dms|huawei|zstack)\/(?!(\w+(Module|Profile)|credentials)\.ts$)/;

/** Self time of a profile by source, in ms. */
function selfTimeBySource(profile: CpuProfile, extensionDir: string, maps: Map<string, SourceMap>): Map<string, number> {
  const ticks = new Map<number, number>();
  profile.samples.forEach((id, i) => ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const bySource = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = ticks.get(node.id);
    if (!micros) continue;
    const source = sourceOf(node.callFrame, extensionDir, maps);
    bySource.set(source, (bySource.get(source) ?? 0) + micros / 1000);
  }
  return bySource;
}

/** What `activate()` spends its time in: the inclusive time of each call it makes, in ms. */
function activateBreakdown(profile: CpuProfile, extensionDir: string, maps: Map<string, SourceMap>): Array<[string, number]> {
  const ticks = new Map<number, number>();
  profile.samples.forEach((id, i) => ticks.set(id, (ticks.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inclusive = (id: number): number => (ticks.get(id) ?? 0) + (byId.get(id)!.children ?? []).reduce((sum, child) => sum + inclusive(child), 0);
  const calls = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== 'activate' || !node.callFrame.url.endsWith('/dist/extension.mjs')) continue;
    calls.set('activate() itself', (calls.get('activate() itself') ?? 0) + (ticks.get(node.id) ?? 0) / 1000);
    for (const child of node.children ?? []) {
      const frame = byId.get(child)!.callFrame;
      const label = `${frame.functionName || '(anonymous)'} (${sourceOf(frame, extensionDir, maps)})`;
      calls.set(label, (calls.get(label) ?? 0) + inclusive(child) / 1000);
    }
  }
  return [...calls].sort((a, b) => b[1] - a[1]);
}

/** Cloud profiles for the settings, a third of each cloud backend: none of them may load its backend at activation. */
function cloudProfiles(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) =>
    [
      { name: `dms-${i}`, backend: 'dms', region: 'cn-hangzhou' },
      { name: `huawei-${i}`, backend: 'huawei', site: 'cn' },
      { name: `zstack-${i}`, backend: 'zstack', endpoint: 'http://zstack.example.com:8080', loginAs: 'account', username: 'admin' },
    ][i % 3],
  );
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Hardware: ${cpus().length} CPUs, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM; Node ${process.version} (the extension host: code-server's); load average ${loadavg()[0].toFixed(1)}; ${windows} fresh windows per size (median)${quick ? ', quick' : ''}`,
  );
  const work = mkdtempSync(join(tmpdir(), 'db-tickets-activation-'));
  const rows: Row[] = [];
  try {
    const vsix = givenVsix ?? packageVsix();
    const label = givenVsix ? basename(givenVsix) : 'this checkout';

    // The package, by size.
    const entries = vsixEntries(vsix).sort((a, b) => b.size - a.size);
    const vsixBytes = statSync(vsix).size;
    const unpacked = entries.reduce((sum, entry) => sum + entry.size, 0);
    console.log(`\n${basename(vsix)} (${label}): ${mib(vsixBytes).toFixed(2)} MiB compressed, ${mib(unpacked).toFixed(2)} MiB unpacked, ${entries.length} files`);
    console.log('\n| file in the .vsix | KiB | KiB compressed |\n|---|---:|---:|');
    const kib = (bytes: number) => (bytes / 1024).toFixed(1);
    const shown = quick ? 12 : 25;
    for (const entry of entries.slice(0, shown)) console.log(`| ${entry.name} | ${kib(entry.size)} | ${kib(entry.compressed)} |`);
    const rest = entries.slice(shown);
    const sum = (list: typeof entries, key: 'size' | 'compressed') => list.reduce((total, entry) => total + entry[key], 0);
    if (rest.length) console.log(`| ${rest.length} more files | ${kib(sum(rest, 'size'))} | ${kib(sum(rest, 'compressed'))} |`);
    console.log(`| **total** | **${kib(unpacked)}** | **${kib(sum(entries, 'compressed'))}** |`);
    console.log('\n| in the .vsix | files | KiB | KiB compressed |\n|---|---:|---:|---:|');
    for (const kind of [...new Set(entries.map((entry) => kindOf(entry.name)))]) {
      const list = entries.filter((entry) => kindOf(entry.name) === kind);
      console.log(`| ${kind} | ${list.length} | ${kib(sum(list, 'size'))} | ${kib(sum(list, 'compressed'))} |`);
    }
    const script = entries.filter((entry) => kindOf(entry.name) === 'JavaScript (dist)');
    rows.push({ bench: 'activation', what: `JavaScript in the .vsix, compressed (${label})`, value: round(mib(sum(script, 'compressed')), 2), unit: 'MiB' });
    rows.push({ bench: 'activation', what: `.vsix size (${label})`, value: round(mib(vsixBytes), 2), unit: 'MiB', target: `≤ ${target.vsixMiB} MB`, met: vsixBytes <= target.vsixMiB * 1e6 });

    const stage = join(work, 'stage');
    execFileSync('unzip', ['-q', vsix, '-d', stage]);
    const extensionDir = join(stage, 'extension');
    const maps = givenVsix ? new Map<string, SourceMap>() : sourceMaps(join(extensionDir, 'dist'));

    // Fresh windows of one sandbox VS Code, each running the probe as its tests.
    const probeDir = join(work, 'probe');
    mkdirSync(probeDir);
    copyFileSync(join(__dirname, 'activation', 'probe.cjs'), join(probeDir, 'probe.cjs'));
    const workspace = join(work, 'workspace');
    mkdirSync(workspace);
    const port = await freePort();
    const server = await startCodeServer({ stateDir: join(work, 'server'), port, folder: workspace, smokeTestDriver: true });
    const settingsFile = join(work, 'server', 'user-data', 'User', 'settings.json');
    const quietSettings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    const browser = await launchChromium(join(work, 'chromium'));
    let finished: ((code: number) => void) | undefined;
    await browser.exposeFunction('codeAutomationExit', (code: number) => finished?.(code));
    await browser.exposeFunction('codeAutomationLog', () => undefined);
    const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extensionDir)],
      ['extensionTestsPath', remote(join(probeDir, 'probe.cjs'))],
    ]);

    let window = 0;
    const openWindow = async (profiles: number, profile: boolean): Promise<Record<string, Activation>> => {
      const out = join(work, `window-${window}.json`);
      // Alternate which extension goes first, so what one leaves behind (a warm cache, garbage) falls on each in turn.
      const ids = [ours, ...builtIns];
      if (window++ % 2) ids.reverse();
      writeFileSync(join(probeDir, 'probe.json'), JSON.stringify({ ids, out, profile, settleMs: 3000 }));
      writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, 'dbTickets.profiles': cloudProfiles(profiles) }, null, 2));
      const exited = new Promise<number>((resolve) => (finished = resolve));
      const page = await browser.newPage();
      try {
        await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
        const code = await Promise.race([exited, new Promise<number>((resolve) => setTimeout(() => resolve(124), 180_000).unref())]);
        if (code !== 0 || !existsSync(out)) throw new Error(`The probe window did not finish (exit ${code}).`);
        return JSON.parse(readFileSync(out, 'utf8')) as Record<string, Activation>;
      } finally {
        await page.close();
      }
    };

    const measured = new Map<number, Array<Record<string, Activation>>>();
    let profiled: Record<string, Activation>;
    try {
      for (let i = 0; i < windows; i++) {
        for (const count of profileCounts) {
          const list = measured.get(count) ?? [];
          list.push(await openWindow(count, false));
          measured.set(count, list);
        }
      }
      profiled = await openWindow(profileCounts[profileCounts.length - 1], true);
    } finally {
      await browser.close().catch(() => undefined);
      await server.stop();
    }

    console.log(`\n| activation in the real extension host (median of ${windows} windows) | cloud profiles | wall ms | CPU ms |\n|---|---:|---:|---:|`);
    const stat = (count: number, id: string, key: 'ms' | 'cpuMs') => median(measured.get(count)!.map((run) => run[id][key]));
    for (const count of profileCounts) {
      for (const id of [ours, ...builtIns]) console.log(`| ${id === ours ? `**${id}** (${label})` : id} | ${count} | ${stat(count, id, 'ms').toFixed(1)} | ${stat(count, id, 'cpuMs').toFixed(1)} |`);
    }
    const reference = builtIns[0];
    for (const count of profileCounts) {
      const wall = stat(count, ours, 'ms');
      const cpuMs = stat(count, ours, 'cpuMs');
      rows.push({ bench: 'activation', what: `activation wall, ${count} cloud profiles`, value: round(wall), unit: 'ms', reference: `${reference} in the same windows`, ratio: round(wall / stat(count, reference, 'ms'), 2), target: `< ${target.activationMs} ms`, met: wall < target.activationMs });
      rows.push({ bench: 'activation', what: `activation CPU, ${count} cloud profiles`, value: round(cpuMs), unit: 'ms', reference: `${reference} in the same windows`, ratio: round(cpuMs / stat(count, reference, 'cpuMs'), 2), target: `< ${target.activationMs} ms`, met: cpuMs < target.activationMs });
    }
    const last = profileCounts[profileCounts.length - 1];
    rows.push({ bench: 'activation', what: `activation CPU growth, ${last} cloud profiles against none`, value: round(stat(last, ours, 'cpuMs') / stat(0, ours, 'cpuMs'), 2), unit: '×' });

    // What the bundle runs while activating, by module: self time in one profiled window.
    const bySource = selfTimeBySource(profiled[ours].profile!, extensionDir, maps);
    const grouped = new Map<string, number>();
    for (const [source, ms] of bySource) grouped.set(moduleOf(source), (grouped.get(moduleOf(source)) ?? 0) + ms);
    // The profiler's own work and idle time are left out.
    const byModule = [...grouped].filter(([module]) => module !== 'Node: inspector' && module !== '((idle))').sort((a, b) => b[1] - a[1]);
    const profiledTotal = byModule.reduce((sum, [, ms]) => sum + ms, 0);
    const { load } = profiled[ours];
    if (load) console.log(`\nLoading the extension's ES module on its own (the profiled window, ${profileCounts[profileCounts.length - 1]} cloud profiles, before activate(); profiler included): ${load.ms.toFixed(1)} ms wall, ${load.cpuMs.toFixed(1)} ms CPU`);
    console.log(`\n| module (profiled import and activate(): ${profiledTotal.toFixed(1)} ms sampled, slowed by the profiler) | self ms |\n|---|---:|`);
    for (const [module, ms] of byModule.slice(0, quick ? 15 : 30)) console.log(`| ${module} | ${ms.toFixed(2)} |`);
    console.log('\n| call made by activate() (profiled) | inclusive ms |\n|---|---:|');
    for (const [call, ms] of activateBreakdown(profiled[ours].profile!, extensionDir, maps).slice(0, 20)) console.log(`| ${call} | ${ms.toFixed(2)} |`);
    if (load) rows.push({ bench: 'activation', what: 'loading the ES module alone (one profiled window, profiler included)', value: round(load.cpuMs), unit: 'ms CPU' });

    const loaded = [...new Set(profiled[ours].profile!.nodes.map((node) => node.callFrame.url).filter((url) => url.startsWith('file:') && fileURLToPath(url).startsWith(extensionDir)))]
      .map((url) => fileURLToPath(url))
      .map((path) => ({ name: path.slice(extensionDir.length + 1), bytes: statSync(path).size }))
      .sort((a, b) => b.bytes - a.bytes);
    const loadedBytes = loaded.reduce((sum, file) => sum + file.bytes, 0);
    console.log(`\nFiles of the extension that ran code while loading and activating: ${loaded.map((file) => `${file.name} (${(file.bytes / 1024).toFixed(1)} KiB)`).join(', ')}`);
    rows.push({ bench: 'activation', what: 'code that ran during activation (files of the package)', value: round(loadedBytes / 1024), unit: 'KiB' });
    if (maps.size) {
      const heavy = [...bySource.keys()].filter((source) => onFirstUse.test(source));
      if (heavy.length) console.log(`Loaded at activation but meant for first use: ${heavy.join(', ')}`);
      rows.push({ bench: 'activation', what: 'sources meant for first use that ran at activation', value: heavy.length, unit: 'count', target: '0', met: heavy.length === 0 });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log('');
  printBenchRows(rows);
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
