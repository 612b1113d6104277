// Records docs/images/flow.gif, the README's short animation of a data export's whole way in the real extension:
// select SQL → create the ticket → submit → approve → execute → download. The packaged extension runs in a fresh
// sandbox VS Code (code-server) on a copy of demo/, headless Chromium drives it like a user, a screenshot is taken
// at each step, and gifenc encodes them with one shared palette. `node scripts/capture.mjs` (it builds first).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gifenc from 'gifenc';
import { PNG } from 'pngjs';
import { freePort, installExtension, startCodeServer } from './codeServer.mjs';
import { answerCreateFlow } from './createFlowDriver.mjs';
import { packageVsix } from './package.mjs';
import { launchChromium, repoRoot } from './sandbox.mjs';

const out = join(repoRoot, 'docs', 'images', 'flow.gif');
const viewport = { width: 1280, height: 800 };
const { GIFEncoder, applyPalette, quantize } = gifenc; // a CommonJS module

/** A drawn mouse pointer that follows the mouse: headless screenshots show none, and the clicks are the story. */
const pointer = `
  const arrow = document.createElement('div');
  arrow.innerHTML = '<svg width="22" height="22" viewBox="0 0 22 22"><path d="M3 2l14 10-6 1 4 7-3 1.5-4-7-5 4z" fill="#fff" stroke="#000" stroke-width="1.3" stroke-linejoin="round"/></svg>';
  Object.assign(arrow.style, { position: 'fixed', left: '0', top: '0', zIndex: '2147483647', pointerEvents: 'none', transform: 'translate(-100px, -100px)' });
  document.body.appendChild(arrow);
  document.addEventListener('mousemove', (e) => { arrow.style.transform = 'translate(' + (e.clientX - 3) + 'px, ' + (e.clientY - 2) + 'px)'; }, true);
`;

/** The frames so far: a PNG screenshot and how long it stays on screen. */
const frames = [];
async function frame(page, holdMs) {
  await page.waitForTimeout(300); // let animations (menus, toasts) settle
  frames.push({ png: await page.screenshot(), holdMs });
}

async function record(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.evaluate(pointer);
  await page.mouse.move(640, 400);

  // Select a query in exports.sql.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'exports.sql' }).click();
  const editor = page.locator('.part.editor .monaco-editor').first();
  await editor.locator('.view-line').nth(1).waitFor();
  await frame(page, 1000);
  await editor.locator('.view-line').nth(1).click();
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await frame(page, 1000);

  // Create Ticket from Selection: the kind, the database, a title and a reason, no stakeholders, the estimated rows.
  await editor.locator('.view-line').nth(3).click({ button: 'right' });
  const createItem = page.locator('.context-view .action-label', { hasText: 'Create Ticket from Selection' });
  await createItem.waitFor({ timeout: 10_000 });
  await createItem.hover();
  await frame(page, 1400);
  await createItem.click();
  await page.locator('.quick-input-widget .quick-input-list-row', { hasText: 'Data export' }).first().waitFor();
  await frame(page, 1600);
  await page.keyboard.press('Enter');
  await answerCreateFlow(page, { title: 'Customers who signed up this year', reason: 'Newsletter for new customers', pause: () => frame(page, 1000) });

  // The draft, then Submit.
  const draft = page.locator('.part.editor .editor-instance .monaco-editor').first();
  await draft.locator('.view-line', { hasText: '-- Kind: DATA_EXPORT' }).waitFor();
  const submit = page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]');
  await submit.hover();
  await frame(page, 1800);
  await submit.click();
  await page.locator('.notifications-toasts', { hasText: 'submitted' }).waitFor({ timeout: 60_000 });
  await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
  const row = (status) => page.getByRole('treeitem', { name: new RegExp(`#1 Customers who signed up this year.*${status}`) });
  // Each state once the tree and the CodeLens above the query both show it, with the pointer off the row's buttons.
  const shown = async (status) => {
    await row(status).waitFor({ timeout: 90_000 });
    await page.locator('.part.editor .codelens-decoration', { hasText: `#1 · ${status}` }).waitFor({ timeout: 30_000 });
    await page.mouse.move(180, 400);
  };
  await shown('pending approval');
  await frame(page, 1600);

  // Approve, with a comment, from the ticket's inline actions.
  await row('pending approval').hover();
  const approve = row('pending approval').locator('.actions .action-label[aria-label="Approve"]');
  await approve.hover();
  await frame(page, 1000);
  await approve.click();
  const comment = page.locator('.quick-input-widget input');
  await comment.waitFor();
  await comment.fill('Fine for the newsletter');
  await frame(page, 1200);
  await comment.press('Enter');
  await page.locator('.notifications-toasts', { hasText: 'Ticket #1: approved' }).waitFor({ timeout: 30_000 });
  await shown('approved');
  await frame(page, 1200);

  // Execute: the export runs on the demo database.
  await row('approved').hover();
  const execute = row('approved').locator('.actions .action-label[aria-label="Execute"]');
  await execute.hover();
  await frame(page, 1000);
  await execute.click();
  await shown('succeeded');
  await frame(page, 1400);

  // Download the result and open it. The save dialog and the message after it name the sandbox's own folders,
  // which say nothing to a reader, so they are passed without a frame.
  await row('succeeded').hover();
  const download = row('succeeded').locator('.actions .action-label[aria-label="Download Result…"]');
  await download.hover();
  await frame(page, 1200);
  await download.click();
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.press('Enter');
  const saved = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Saved' });
  await saved.locator('.monaco-button', { hasText: 'Open' }).click({ timeout: 30_000 });
  await page.locator('.tabs-container .tab.active', { hasText: '.csv' }).waitFor({ timeout: 30_000 });
  await saved.waitFor({ state: 'detached' });
  await page.mouse.move(760, 420);
  await frame(page, 3000);
}

/** One GIF from the frames, with a palette shared by all of them so the interface does not flicker between frames. */
function encodeGif() {
  const images = frames.map(({ png }) => PNG.sync.read(png));
  const { width, height } = images[0];
  // The palette is learned from every 7th pixel of every frame.
  const sample = new Uint8Array(images.reduce((n, image) => n + Math.ceil(image.data.length / 28) * 4, 0));
  let at = 0;
  for (const { data } of images) {
    for (let i = 0; i < data.length; i += 28) sample.set(data.subarray(i, i + 4), (at++) * 4);
  }
  const palette = quantize(sample, 256);
  const gif = GIFEncoder();
  images.forEach(({ data }, i) => gif.writeFrame(applyPalette(data, palette), width, height, { palette: i === 0 ? palette : undefined, delay: frames[i].holdMs, repeat: 0 }));
  gif.finish();
  writeFileSync(out, gif.bytes());
}

const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const vsix = packageVsix();

const stateDir = mkdtempSync(join(tmpdir(), 'db-tickets-capture-'));
const workspace = join(stateDir, 'demo');
cpSync(join(repoRoot, 'demo'), workspace, { recursive: true });
installExtension(stateDir, vsix);
// Without breadcrumbs the downloaded file's tab shows its name only, not the sandbox's folders.
const server = await startCodeServer({ stateDir, port: await freePort(), folder: workspace, settings: { 'breadcrumbs.enabled': false } });
const context = await launchChromium(join(stateDir, 'chromium'), { viewport });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await record(page);
  encodeGif();
  const seconds = frames.reduce((sum, { holdMs }) => sum + holdMs, 0) / 1000;
  console.log(`saved ${out}: ${frames.length} frames, ${seconds.toFixed(1)} s, ${(statSync(out).size / 1024).toFixed(0)} KiB`);
} finally {
  await context.close().catch(() => {});
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
