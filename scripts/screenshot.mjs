// Takes the README's screenshots from a running `npm start` (URL as the first argument) on a fresh profile:
// the view's welcome, the context menu on selected SQL, the create flow, the draft, the submitted ticket in the
// tree, its details panel, and the precheck's diagnostics.
// Saved under docs/images/.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerCreateFlow } from './createFlowDriver.mjs';
import { launchChromium, repoRoot } from './sandbox.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/screenshot.mjs URL   (the URL `npm start` printed)');
  process.exit(2);
}
const out = (name) => join(repoRoot, 'docs', 'images', name);
const context = await launchChromium(mkdtempSync(join(tmpdir(), 'db-tickets-shot-')), { viewport: { width: 1280, height: 800 } });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'exports.sql' }).click();
  const editor = page.locator('.part.editor .monaco-editor').first();
  await editor.waitFor();
  await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
  await page.locator('.welcome-view-content', { hasText: 'No tickets yet' }).waitFor();
  await page.mouse.move(800, 600); // away from the activity bar, whose tooltip would cover the view
  await page.waitForTimeout(800);
  await page.screenshot({ path: out('tickets-view.png') });

  // Select the first query (lines 2–6) and open the editor's context menu on it.
  await editor.locator('.view-line').nth(1).click();
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await editor.locator('.view-line').nth(3).click({ button: 'right' });
  await page.locator('.context-view .monaco-menu', { hasText: 'Create Ticket from Selection' }).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: out('create-from-selection.png') });

  // Create from the selection: the create flow asks its questions, then the draft opens.
  await page.locator('.context-view .action-label', { hasText: 'Create Ticket from Selection' }).click();
  await page.locator('.quick-input-widget .quick-input-list-row', { hasText: 'Data export' }).first().waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: out('create-flow.png') });
  await page.keyboard.press('Enter'); // the suggested kind
  await answerCreateFlow(page, { title: 'Customers who signed up this year', reason: 'Newsletter for new customers' });
  const draft = page.locator('.part.editor .editor-instance .monaco-editor').first();
  await draft.locator('.view-line', { hasText: '-- Kind: DATA_EXPORT' }).waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: out('draft.png') });

  await page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]').click();
  await page.locator('.notifications-toasts', { hasText: 'submitted' }).waitFor({ timeout: 60_000 });
  await page.getByRole('treeitem', { name: /#1 Customers who signed up this year/ }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(700);
  await page.screenshot({ path: out('submitted.png') });

  // The ticket's details panel.
  await page.getByRole('treeitem', { name: /#1 Customers who signed up this year/ }).click();
  await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').getByText('Newsletter for new customers').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(700);
  await page.screenshot({ path: out('details.png') });

  // The precheck in the editor: open the schema changes, whose DROP TABLE is marked, with the Problems panel.
  await page.locator('.activitybar a.action-label[aria-label^="Explorer"]').click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'schema-changes.sql' }).click();
  await page.locator('.part.editor .squiggly-error').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'drop-object' }).first().waitFor();
  await page.waitForTimeout(700);
  await page.screenshot({ path: out('diagnostics.png') });
  console.log(`saved tickets-view.png, create-from-selection.png, create-flow.png, draft.png, submitted.png, details.png and diagnostics.png in ${out('')}`);
} finally {
  await context.close();
}
