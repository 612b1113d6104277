// `npm run demo-database`: writes the demo shop that the extension and the CLI ship
// (src/backends/local/db/demo/demo-shop.sqlite, copied into dist/ by the build) from demoSeed.ts, as of today.
// Run it after changing the seed; a unit test fails while the file and the seed disagree.
import { join } from 'node:path';
import { writeDemoShop } from '../src/backends/local/db/demo/demoSeed.ts';
import { repoRoot } from './sandbox.mjs';

const file = join(repoRoot, 'src', 'backends', 'local', 'db', 'demo', 'demo-shop.sqlite');
await writeDemoShop(file, new Date(new Date().toISOString().slice(0, 10)));
console.log(`Wrote ${file}`);
