// Takes the walkthrough's pictures of the real extension: builds and packages it, installs it into a fresh sandbox
// VS Code with the demo workspace, and goes through the steps as a user would — the demo's queries, the create
// command on a selected query, a ticket approved and executed with its details open, the Add Backend Profile form,
// and the walkthrough itself. Saved under media/walkthrough/ (shipped in the .vsix) and docs/images/walkthrough.png.
// Run: `node scripts/walkthrough-screenshots.mjs` (about two minutes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, installExtension, startCodeServer } from './codeServer.mjs';
import { answerCreateFlow } from './createFlowDriver.mjs';
import { packageVsix } from './package.mjs';
import { launchChromium, repoRoot } from './sandbox.mjs';

const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const stateDir = mkdtempSync(join(tmpdir(), 'db-tickets-walkthrough-'));
installExtension(stateDir, packageVsix());
const server = await startCodeServer({ stateDir, port: await freePort(), folder: join(repoRoot, 'demo') });
const context = await launchChromium(join(stateDir, 'chromium'), { viewport: { width: 1200, height: 720 } });
const saved = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}?folder=${encodeURIComponent(join(repoRoot, 'demo'))}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // `clip`: the part of the window the step is about, so the picture stays legible beside the step.
  const shoot = async (path, clip) => {
    await page.waitForTimeout(700);
    await page.screenshot({ path, clip });
    saved.push(path);
  };
  const media = (name) => join(repoRoot, 'media', 'walkthrough', name);
  const runCommand = async (title) => {
    await page.keyboard.press('F1');
    await page.keyboard.type(title);
    await page.locator('.quick-input-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  };

  // 1. The demo's queries, with the Tickets view beside them.
  await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
  await page.locator('.welcome-view-content', { hasText: 'No tickets yet' }).waitFor();
  await runCommand('DB Tickets: Open the Demo');
  const editor = page.locator('.part.editor .editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: 'SELECT id, email, full_name' }).waitFor();
  await shoot(media('tryDemo.png'), { x: 0, y: 0, width: 860, height: 420 });

  // 2. The create command in the context menu of the first query, selected.
  await editor.locator('.view-line', { hasText: 'SELECT id, email, full_name' }).click();
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await editor.locator('.view-line', { hasText: 'FROM customers' }).click({ button: 'right' });
  await page.locator('.context-view .monaco-menu', { hasText: 'Create Ticket from Selection' }).waitFor({ timeout: 10_000 });
  await shoot(media('createTicket.png'), { x: 350, y: 36, width: 850, height: 420 });

  // 3. Through the create flow, submitted, approved and executed: the succeeded ticket's details.
  await page.locator('.context-view .action-label', { hasText: 'Create Ticket from Selection' }).click();
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('.quick-input-list-row', { hasText: 'Data export' }).first().waitFor();
  await page.keyboard.press('Enter');
  await answerCreateFlow(page, { title: 'New customers this year', reason: 'Newsletter for new customers' });
  await page.locator('.part.editor .view-line', { hasText: '-- Kind: DATA_EXPORT' }).waitFor();
  await page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]').click();
  await page.locator('.notifications-toasts', { hasText: 'submitted' }).waitFor({ timeout: 60_000 });
  const row = (state) => page.getByRole('treeitem', { name: new RegExp(`#1 New customers this year.*${state}`) });
  await row('pending approval').hover();
  await row('pending approval').locator('.actions .action-label[aria-label="Approve"]').click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: '#1' }).waitFor();
  await page.locator('.quick-input-widget input').fill('Fine for the newsletter');
  await page.keyboard.press('Enter');
  await row('approved').hover();
  await row('approved').locator('.actions .action-label[aria-label="Execute"]').click();
  await row('succeeded').waitFor({ timeout: 90_000 });
  await row('succeeded').click();
  await page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').getByText('Fine for the newsletter').first().waitFor({ timeout: 30_000 });
  await page.locator('.notifications-toasts .codicon-notifications-clear-all, .notifications-toasts .codicon-close').first().click().catch(() => {});
  await shoot(media('followToSucceeded.png'), { x: 0, y: 36, width: 860, height: 480 });

  // 4. Add Backend Profile: the ticket services to choose from.
  await runCommand('DB Tickets: Add Backend Profile…');
  await quickInput.locator('.quick-input-list-row', { hasText: 'Alibaba Cloud DMS' }).waitFor();
  await shoot(media('connectCloud.png'), { x: 280, y: 0, width: 640, height: 330 });
  await page.keyboard.press('Escape');

  // The walkthrough, its first three steps done, with the side bar hidden so the step's picture shows beside it.
  await page.keyboard.press('Control+B');
  await runCommand('Welcome: Open Walkthrough...');
  await quickInput.locator('.quick-input-list-row', { hasText: 'Get Started with DB Tickets' }).click();
  await page.locator('[data-done-step-id$="#followToSucceeded"].codicon-getting-started-step-checked').waitFor({ timeout: 10_000 });
  await shoot(join(repoRoot, 'docs', 'images', 'walkthrough.png'));
} finally {
  await context.close();
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
for (const path of saved) console.log(`${path} (${(statSync(path).size / 1024).toFixed(0)} KiB)`);
