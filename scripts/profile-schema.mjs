// Writes the `dbTickets.profiles` schema of package.json and its English descriptions in package.nls.json from the
// backend registry (`npm run profile-schema`). A unit test fails while the manifest and the registry disagree.
// Simplified Chinese descriptions (package.nls.zh-cn.json) are kept by hand; the same test names any that are missing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileJsonSchema } from '../src/backends/profileJsonSchema.ts';
import { repoRoot } from './sandbox.mjs';

const read = (file) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));
const write = (file, json) => writeFileSync(join(repoRoot, file), `${JSON.stringify(json, null, 2)}\n`);

const { schema, descriptions } = profileJsonSchema();
const pkg = read('package.json');
pkg.contributes.configuration.properties['dbTickets.profiles'].items = schema;
write('package.json', pkg);

const nls = read('package.nls.json');
for (const key of Object.keys(nls)) if (/^config\.profiles\.[^.]+\.[^.]+$/.test(key) && !(key in descriptions)) delete nls[key];
write('package.nls.json', { ...nls, ...descriptions });
console.log(`profile-schema: ${Object.keys(descriptions).length} profile fields of ${schema.properties.backend.enum.join(', ')}`);
