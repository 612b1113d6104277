// The esbuild options of what ships, shared by scripts/build.mjs and the checks that look at the bundles.
//
// The extension, the CLI and the demo database's worker thread are one ES module build with code splitting:
// dist/extension.mjs, dist/cli.mjs and dist/demoWorker.mjs share chunks (dist/chunk-*.mjs), and every `await
// import()` in the sources (a backend's implementation, a database driver) becomes a chunk loaded on first use.
// VS Code loads an extension's main file as CommonJS and the CLI is run as a script, so dist/extension.js and
// dist/cli.js are thin CommonJS launchers (src/launchers/) that import the ES modules.
import { repoRoot } from './sandbox.mjs';

// ali-oss's HTTP library (urllib) requires proxy-agent only when asked to use its own proxy support, which DB Tickets
// never does (OSS requests go through the backend's own connection pool): left out of the bundles.
export const unused = ['proxy-agent'];

export const common = {
  bundle: true,
  external: unused,
  platform: 'node',
  target: 'node20',
  sourcesContent: false,
  logLevel: 'silent',
  absWorkingDir: repoRoot,
};

/**
 * What the bundled CommonJS packages expect of their module scope (`require`, `__dirname`, `__filename`), given to
 * every ES module file of dist/, under import names that cannot clash with the bundled code's own.
 */
const moduleScope = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { dirname as __dirnameOf } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __dirnameOf(__filename);',
].join('\n');

/**
 * VS Code hands each extension its API through require('vscode') only (it answers by the requiring file's path), so
 * the ES modules take it from `require` rather than from an import VS Code cannot resolve. One module re-exports it
 * for all: esbuild would otherwise copy the API object's properties once for every file that imports 'vscode'.
 */
const vscodeApi = {
  name: 'vscode-api',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' }));
    build.onResolve({ filter: /^vscode-commonjs$/ }, () => ({ path: 'vscode-commonjs', namespace: 'vscode-api' }));
    build.onLoad({ filter: /^vscode$/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode-commonjs';", loader: 'js' }));
    build.onLoad({ filter: /^vscode-commonjs$/, namespace: 'vscode-api' }, () => ({ contents: "module.exports = require('vscode');", loader: 'js' }));
  },
};

/**
 * The Model Context Protocol SDK (`db-tickets mcp`) is built on the full zod. Bundled with the rest, its use of zod's
 * shared modules would grow the chunks every command loads at start; so it is a bundle of its own, dist/mcp-sdk.mjs,
 * which the MCP server's chunk imports when the server starts.
 */
const mcpSdk = {
  name: 'mcp-sdk',
  setup(build) {
    build.onResolve({ filter: /^\.\/mcpSdk$/ }, () => ({ path: './mcp-sdk.mjs', external: true }));
  },
};

/** @returns {import('esbuild').BuildOptions} */
export function mcpSdkBuild({ production = false } = {}) {
  return {
    ...common,
    entryPoints: { 'mcp-sdk': 'src/cli/mcpSdk.ts' },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    minifyWhitespace: production,
    minifySyntax: production,
    sourcemap: 'linked',
    banner: { js: moduleScope },
  };
}

/** The entry points of dist/, by output name. */
export const shippedEntries = { extension: 'src/extension.ts', cli: 'src/cli/main.ts', demoWorker: 'src/backends/local/db/demo/demoWorker.ts' };

/** @returns {import('esbuild').BuildOptions} */
export function shippedBuild({ production = false, plugins = [] } = {}) {
  return {
    ...common,
    entryPoints: shippedEntries,
    outdir: 'dist',
    format: 'esm',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    // Beside the entries, so `__dirname` and `import.meta.url` find the WebAssembly copied into dist/.
    chunkNames: '[name]-[hash]',
    // Identifiers are kept, so a stack trace from the installed extension or CLI still names the functions. The source
    // maps stay in dist/ (the .vsix leaves them out): they map a trace, or a profile, of the same build.
    minifyWhitespace: production,
    minifySyntax: production,
    sourcemap: 'linked',
    banner: { js: moduleScope },
    plugins: [...plugins, vscodeApi, mcpSdk],
  };
}
