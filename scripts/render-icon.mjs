// Renders the extension's icon (media/icon.svg, drawn from the view's glyph media/tickets.svg) to media/icon.png,
// the 128×128 PNG the Marketplace and the Extensions view show, in headless Chromium with a transparent background.
// Run it after changing the SVG: `node scripts/render-icon.mjs`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, repoRoot } from './sandbox.mjs';

const SIZE = 128;
const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
const out = join(repoRoot, 'media', 'icon.png');
const profile = mkdtempSync(join(tmpdir(), 'db-tickets-icon-'));
const context = await launchChromium(profile, { viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`);
  await page.screenshot({ path: out, omitBackground: true });
  console.log(`saved ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
