import * as assert from 'node:assert/strict';
import { Workbench } from './workbench';

describe('drafts in the browser workbench', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open();
  });
  after(async () => {
    await wb?.close();
  });

  const until = async (condition: () => boolean, what: string) => {
    for (let waited = 0; !condition(); waited += 100) {
      if (waited > 30_000) assert.fail(`gave up waiting until ${what}`);
      await wb.page.waitForTimeout(100);
    }
  };

  it('finds a draft in the Drafts group from a fresh browser session, opens it, and discards it after confirming', async () => {
    await wb.createExportDraft('Orders for Monday');
    await until(() => wb.savedDrafts().some((text) => text.includes('-- Title: Orders for Monday')), 'the draft is saved');

    await wb.freshSession();
    const { page } = wb;
    await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
    const group = page.getByRole('treeitem', { name: /^Drafts\b/ });
    await group.waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.tabs-container .tab').count(), 0, 'the new browser restored the editors: this test no longer shows a draft found without its tab');
    const row = page.getByRole('treeitem', { name: /^Orders for Monday\b/ });
    await row.waitFor();
    assert.match(String(await row.getAttribute('aria-label')), /this minute|minutes? ago/);
    assert.match(await group.innerText(), /^Drafts\s*1$/);
    await row.hover();
    await wb.screenshot('drafts-group');
    // The tooltip shows once the mouse rests on the row after moving over it; another hover still showing (the
    // activity bar's) can hold it back, so the mouse leaves and comes back until it shows.
    const box = (await row.boundingBox())!;
    const tooltip = page.locator('.monaco-hover', { hasText: 'Database:' });
    for (let attempt = 1; ; attempt++) {
      await page.mouse.move(700, 400, { steps: 2 });
      await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 5 });
      const shown = await tooltip.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      assert.ok(attempt < 3, 'the draft row shows no tooltip after three hovers');
    }
    assert.match((await tooltip.innerText()).replace(/\s+/g, ' '), /Orders for Monday Kind: DATA_EXPORT Database: demo Profile: local Last saved: /);
    await wb.screenshot('draft-tooltip');

    await row.click();
    const editor = page.locator('.part.editor .editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: '-- Title: Orders for Monday' }).waitFor();
    assert.match(await page.locator('.tabs-container .tab.active').innerText(), /^Orders for Monday\s*\.sql/);

    await wb.rowAction(row, 'Discard Draft…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.getByText('Discard the draft "Orders for Monday"?').waitFor();
    await wb.screenshot('discard-draft');
    await dialog.getByRole('button', { name: 'Discard', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    assert.deepEqual(wb.savedDrafts(), []);
    await page.locator('.welcome-view-content', { hasText: 'No tickets yet' }).waitFor();
  });

  it('submits a draft the precheck marked, and the Problems view lists it no more', async () => {
    const { page } = wb;
    await wb.createExportDraft('Weekly orders');
    await wb.runCommand('Focus on Problems View');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'The export has no LIMIT' });
    await problem.waitFor({ timeout: 30_000 });
    await wb.screenshot('draft-problems');

    await page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]').click();
    await page.locator('.notifications-toasts', { hasText: 'submitted — pending approval' }).waitFor({ timeout: 90_000 });
    await problem.waitFor({ state: 'detached', timeout: 5_000 });
    await wb.screenshot('submitted-draft-problems');
  });
});
