import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ProfileBase } from '../../../../src/backends/backendModule';
import { parseProfile } from '../../../../src/backends/openBackend';
import { backendIds } from '../../../../src/backends/registry';
import { loadConfig } from '../../../../src/cli/config';
import { DbTicketsError } from '../../../../src/core/errors';
import { anyText, boundedAsync, bounded, type FuzzProperty, rejectsOnly, throwsOnly } from '../harness';

/** Values a hand-edited config holds: right and wrong types for the fields the profiles and connections know. */
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('https://example.com', 'http://127.0.0.1:1', 'oss://b/p/', 'cn', 'aksk', 'iam2', 'v3', 'NDDL', '', ' '), fc.integer(), fc.boolean(), fc.constant(null));
const profileFields = ['store', 'region', 'endpoint', 'vpc', 'tid', 'signatureVersion', 'consoleUrl', 'schemaChangeAs', 'timeoutMs', 'ossStaging', 'site', 'auth', 'domainId', 'loginAs', 'username', 'request', 'apiName', 'apiBody', 'executeTimes'];
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('apiName', 'apiBody', 'executeTimes', 'requestName'), scalar) });
const profile = fc.record(
  {
    name: fc.oneof(fc.constantFrom('p', 'local', ' '), fc.string({ maxLength: 8 })),
    backend: fc.oneof(fc.constantFrom(...backendIds), fc.string({ maxLength: 6 })),
    ...Object.fromEntries(profileFields.map((key) => [key, value])),
  },
  { requiredKeys: ['name', 'backend'] },
);
const connection = fc.record({ name: fc.string({ maxLength: 6 }), driver: fc.oneof(fc.constantFrom('demo', 'postgres', 'mysql', 'sqlite'), fc.string({ maxLength: 6 })), port: fc.oneof(fc.integer(), fc.string()), host: scalar, file: scalar }, { requiredKeys: [] });
const configJson = fc.oneof(
  { weight: 3, arbitrary: fc.record({ profiles: fc.oneof(fc.array(profile, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })), connections: fc.oneof(fc.array(connection, { maxLength: 2 }), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const configText = fc.oneof({ weight: 4, arbitrary: configJson.map((json) => JSON.stringify(json) ?? '') }, { weight: 1, arbitrary: anyText(80) });

let folder: string | undefined;
/** One file the config properties rewrite for each input. */
function configFile(): string {
  if (!folder) {
    const created = mkdtempSync(join(tmpdir(), 'db-tickets-fuzz-config-'));
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
    folder = created;
  }
  return join(folder, 'config.json');
}

export const configProperties: FuzzProperty[] = [
  {
    target: 'config',
    name: 'loadConfig on any file content: a config whose profiles all parse, or a config error naming the file',
    runs: 1000,
    benchShare: 0.01,
    property: () =>
      fc.asyncProperty(
        configText,
        boundedAsync(async (text: string) => {
          const file = configFile();
          writeFileSync(file, text);
          const loaded = await rejectsOnly(['config'], () => loadConfig(file, {}));
          if (loaded instanceof DbTicketsError) {
            assert.ok(loaded.message.includes(file), loaded.message);
            return;
          }
          assert.ok(loaded.config.profiles.some((p) => p.name === 'local'));
          for (const p of loaded.config.profiles) parseProfile(p);
        }),
      ),
  },
  {
    target: 'config',
    name: "parseProfile on any profile: the backend's parsed profile, or a config error naming the profile",
    runs: 2000,
    benchShare: 0.01,
    property: () =>
      fc.property(
        profile,
        bounded((p: Record<string, unknown>) => {
          const parsed = throwsOnly(['config'], () => parseProfile(p as ProfileBase));
          if (parsed instanceof DbTicketsError) assert.ok(parsed.message.startsWith(`Profile "${String(p.name)}"`), parsed.message);
          else assert.equal(parsed.backend, p.backend);
        }),
      ),
  },
];
