// Bundles the extension (dist/extension.js, 'vscode' external), the CLI (dist/cli.js), the demo database's
// worker thread beside them (dist/demoWorker.js) and, unless --production, the integration suites that run
// inside VS Code (out/test/integration/*.js, with their own demoWorker.js).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

// ali-oss's HTTP library (urllib) requires proxy-agent only when asked to use its own proxy support, which DB Tickets
// never does (OSS requests go through the backend's own connection pool): left out of the bundles.
const unused = ['proxy-agent'];

const common = {
  bundle: true,
  external: unused,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  absWorkingDir: repoRoot,
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaUrl },
  plugins: [problemMatcher],
};

const integrationDir = join(repoRoot, 'test', 'integration');
/** DemoEngine starts `demoWorker.js` from the folder of the bundle it is part of. */
const demoWorker = (dir) => ({ ...common, entryPoints: ['src/backends/local/db/demo/demoWorker.ts'], outfile: `${dir}/demoWorker.js` });
const configs = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', ...unused] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` } },
  demoWorker('dist'),
];
if (!production) {
  configs.push(
    {
      ...common,
      entryPoints: readdirSync(integrationDir).filter((f) => f.endsWith('.ts')).map((f) => join('test/integration', f)),
      outdir: 'out/test/integration',
      external: ['vscode', 'mocha', ...unused],
    },
    demoWorker('out/test/integration'),
  );
}

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

const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
