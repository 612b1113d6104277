// One export through DB Tickets' engine, in its own process so the benchmark can read its peak RSS.
//   node --import tsx bench/exportWorker.ts '<connection json>' <csv|jsonl> <output file> '<sql>'
// The password comes from the environment variable the connection's passwordEnv names.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { ConnectionConfig } from '../src/backends/local/db/connectionConfig';
import type { ExportFormat } from '../src/backends/local/db/engine';
import { openEngine } from '../src/backends/local/db/openEngine';
import { envPassword } from '../src/backends/local/db/passwordSource';

async function main(): Promise<void> {
  const [connectionJson, format, file, sql] = process.argv.slice(2);
  const engine = await openEngine(ConnectionConfig.parse(JSON.parse(connectionJson)), envPassword());
  const out = createWriteStream(file);
  const started = performance.now();
  const result = await engine.exportQuery(sql, out, { format: format as ExportFormat });
  out.end();
  await finished(out);
  const seconds = (performance.now() - started) / 1000;
  await engine.close();
  console.log(JSON.stringify({ rows: result.rows, bytes: result.bytes, seconds, maxRssKb: process.resourceUsage().maxRSS }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
