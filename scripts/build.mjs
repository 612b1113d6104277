// Bundles what ships into dist/ (the extension, the CLI and the demo database's worker thread: one ES module build
// with shared chunks, see scripts/bundles.mjs; the MCP SDK's own bundle; the CommonJS launchers of src/launchers/)
// and, unless --production, the integration suites that run inside VS Code (out/test/integration/*.js, with their own
// demoWorker.js).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { common, mcpSdkBuild, shippedBuild, unused } from './bundles.mjs';
import { repoRoot } from './sandbox.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors as `file:line:col: message` for the editor's problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The in-process databases (SQLite files and the demo database, through sql.js) load WebAssembly beside their code,
 * through `__dirname`, and so does the demo database its shop. In the CommonJS bundles that points at dist/, so
 * the assets are copied there (and `import.meta.url` is given the bundle's own URL).
 */
const wasmAssets = [
  'node_modules/sql.js/dist/sql-wasm.wasm',
  'src/backends/local/db/demo/demo-shop.sqlite',
];
const importMetaUrl = 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';

/** The integration suites: CommonJS, like the extension host that loads them. */
const commonJs = {
  ...common,
  format: 'cjs',
  sourcemap: true,
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaUrl },
  plugins: [problemMatcher],
};

const shipped = shippedBuild({ production, plugins: [problemMatcher] });

/** The CommonJS launchers VS Code (`main`) and the `db-tickets` command (`bin`) start from. */
const launchers = { 'src/launchers/extension.cjs': 'dist/extension.js', 'src/launchers/cli.cjs': 'dist/cli.js' };

const integrationDir = join(repoRoot, 'test', 'integration');
/** DemoEngine starts `demoWorker` (with its own file extension) from the folder of the bundle it is part of. */
const demoWorker = (dir) => ({ ...commonJs, entryPoints: ['src/backends/local/db/demo/demoWorker.ts'], outfile: `${dir}/demoWorker.js` });
const configs = [shipped, { ...mcpSdkBuild({ production }), plugins: [problemMatcher] }];
if (!production) {
  configs.push(
    {
      ...commonJs,
      entryPoints: readdirSync(integrationDir).filter((f) => f.endsWith('.ts')).map((f) => join('test/integration', f)),
      outdir: 'out/test/integration',
      external: ['vscode', 'mocha', ...unused],
    },
    demoWorker('out/test/integration'),
  );
}

// A fresh dist/ each build: chunk names change with their content, and a stale chunk must not be packaged.
if (!watch) rmSync(join(repoRoot, 'dist'), { recursive: true, force: true });
// The integration suites bundle the backends too, so their folder gets the assets as well.
for (const dir of production ? ['dist'] : ['dist', 'out/test/integration']) {
  mkdirSync(join(repoRoot, dir), { recursive: true });
  for (const asset of wasmAssets) copyFileSync(join(repoRoot, asset), join(repoRoot, dir, asset.split('/').pop()));
}

// The details panel's webview draws codicons from its own copy of the font (a webview cannot use the workbench's).
const codicons = join(repoRoot, 'media', 'details', 'codicons');
mkdirSync(codicons, { recursive: true });
for (const file of ['dist/codicon.css', 'dist/codicon.ttf', 'LICENSE']) {
  copyFileSync(join(repoRoot, 'node_modules', '@vscode', 'codicons', file), join(codicons, file.split('/').pop()));
}

for (const [source, target] of Object.entries(launchers)) copyFileSync(join(repoRoot, source), join(repoRoot, target));

const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
