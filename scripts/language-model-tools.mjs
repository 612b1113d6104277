// Writes the `contributes.languageModelTools` of package.json and their English texts in package.nls.json from the
// agent tools' definitions (`npm run language-model-tools`). A unit test fails while the manifest and the definitions
// disagree. Simplified Chinese texts (package.nls.zh-cn.json) are kept by hand; the localization test names any missing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageModelToolsManifest } from '../src/agentTools/toolManifest.ts';
import { repoRoot } from './sandbox.mjs';

const read = (file) => JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));
const write = (file, json) => writeFileSync(join(repoRoot, file), `${JSON.stringify(json, null, 2)}\n`);

const { tools, nls } = languageModelToolsManifest();
const pkg = read('package.json');
pkg.contributes.languageModelTools = tools;
write('package.json', pkg);

const english = read('package.nls.json');
for (const key of Object.keys(english)) if (key.startsWith('languageModelTools.') && !(key in nls)) delete english[key];
write('package.nls.json', { ...english, ...nls });
console.log(`language-model-tools: ${tools.map((tool) => tool.name).join(', ')}`);
