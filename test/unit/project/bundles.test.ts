import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { shippedBuild } from '../../../scripts/bundles.mjs';

/** Code that loads on first use only: the HTTP stack, database drivers, the demo engine, cloud backends' implementations. */
const onFirstUse = [
  /^node_modules\/(undici|pg|pg-[^/]+|mysql2|sql\.js|ali-oss|urllib|@electric-sql)\//,
  /^src\/net\//,
  /^src\/backends\/local\/db\/(demo|postgres|mysql|sqlite)\//,
  /^src\/backends\/local\/localBackend\.ts$/,
  // The MCP server and its protocol library: only `db-tickets mcp` loads them.
  /^node_modules\/@modelcontextprotocol\//,
  /^src\/cli\/mcpServer\.ts$/,
  // A cloud backend's module (its description), profile schema and secrets' names load with the registry; nothing else.
  /^src\/backends\/(dms|huawei|zstack)\/(?!(\w+(Module|Profile)|credentials)\.ts$)/,
];

describe('shipped bundles', function () {
  this.timeout(120_000);
  let metafile: esbuild.Metafile;

  before(async () => {
    ({ metafile } = await esbuild.build({ ...shippedBuild({ production: true }), write: false, metafile: true, sourcemap: false, outdir: 'dist' }));
  });

  /** The sources an entry runs when it is loaded: its output and the chunks it imports statically, transitively. */
  function loadedSources(entry: string): Map<string, number> {
    const seen = new Set<string>();
    const pending = [`dist/${entry}.mjs`];
    while (pending.length) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of metafile.outputs[file].imports) if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
    const sources = new Map<string, number>();
    for (const file of seen) for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file].inputs)) sources.set(input, bytesInOutput);
    return sources;
  }

  for (const entry of ['extension', 'cli']) {
    it(`${entry}: loads no backend implementation, driver or HTTP code until first use`, () => {
      const eager = [...loadedSources(entry).keys()].filter((source) => onFirstUse.some((pattern) => pattern.test(source)));
      assert.deepEqual(eager, []);
    });

    it(`${entry}: keeps zod to what the schemas use (a namespace re-export would keep all of it)`, () => {
      const zodBytes = [...loadedSources(entry)].filter(([source]) => source.startsWith('node_modules/zod/')).reduce((sum, [, bytes]) => sum + bytes, 0);
      assert.ok(zodBytes > 0 && zodBytes < 100_000, `zod takes ${zodBytes} bytes`);
    });
  }

  it('the extension and the CLI share their code: every source is in exactly one output file', () => {
    const outputsOf = new Map<string, string[]>();
    for (const [file, output] of Object.entries(metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) if (bytesInOutput > 0) outputsOf.set(input, [...(outputsOf.get(input) ?? []), file]);
    }
    const duplicated = [...outputsOf].filter(([, files]) => files.length > 1).map(([input, files]) => `${input} in ${files.join(', ')}`);
    assert.deepEqual(duplicated, []);
    const backend = [...outputsOf].find(([input]) => input === 'src/backends/dms/dmsBackend.ts');
    assert.ok(backend, 'the DMS backend is bundled');
  });

  it('the CLI reaches the MCP server as a chunk it imports dynamically, and the MCP SDK through it alone', () => {
    const chunk = Object.entries(metafile.outputs).find(([, output]) => 'src/cli/mcpServer.ts' in output.inputs)?.[0];
    assert.ok(chunk, 'the MCP server is bundled');
    const importers = Object.entries(metafile.outputs).filter(([, output]) => output.imports.some((imported) => imported.path === chunk));
    assert.ok(importers.length > 0 && importers.every(([, output]) => output.imports.find((imported) => imported.path === chunk)!.kind === 'dynamic-import'), 'only dynamic imports lead to it');
    // The SDK, built on the full zod, is a bundle of its own that only the MCP server's chunk imports.
    assert.deepEqual(
      Object.entries(metafile.outputs).filter(([, output]) => output.imports.some((imported) => imported.path === './mcp-sdk.mjs')).map(([file]) => file),
      [chunk],
    );
  });

  it('opening a cloud profile loads its backend as a chunk both front ends import dynamically', () => {
    const chunk = Object.entries(metafile.outputs).find(([, output]) => 'src/backends/dms/openDms.ts' in output.inputs)![0];
    for (const entry of ['extension', 'cli']) {
      const reachable = new Set<string>([`dist/${entry}.mjs`]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const file of [...reachable]) {
          for (const imported of metafile.outputs[file].imports) {
            if (!imported.external && !reachable.has(imported.path)) {
              reachable.add(imported.path);
              grew = true;
            }
          }
        }
      }
      assert.ok(reachable.has(chunk), `${entry} reaches ${chunk}`);
      assert.ok(!loadedSources(entry).has('src/backends/dms/openDms.ts'), `${entry} loads the DMS backend only when it is opened`);
    }
  });
});
