import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { Workbench } from './workbench';

/** Waits until an input's value matches, e.g. an estimate that arrives after the input is shown. */
async function waitForValue(input: Locator, pattern: RegExp): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (pattern.test(await input.inputValue())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the input never held ${pattern}: "${await input.inputValue()}"`);
}

describe('a user in the browser workbench', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open();
  });
  after(async () => {
    await wb?.close();
  });

  it('finds DB Tickets in the activity bar with a welcome that offers to create a ticket', async () => {
    await wb.page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
    const welcome = wb.page.locator('.welcome-view-content', { hasText: 'No tickets yet' });
    await welcome.waitFor();
    await welcome.getByRole('button', { name: 'Create a Ticket from SQL' }).waitFor();
    await welcome.getByRole('button', { name: 'Add a Backend Profile' }).waitFor();
    await wb.screenshot('tickets-view');
  });

  it('offers no create command in the context menu without a selection', async () => {
    const editor = await wb.openFile('orders.sql');
    await editor.locator('.view-line').nth(2).click({ button: 'right' });
    const menu = wb.page.locator('.context-view .monaco-menu');
    await menu.getByText('Copy', { exact: true }).waitFor();
    assert.equal(await menu.getByText('Create Ticket from Selection…').count(), 0);
    await wb.page.keyboard.press('Escape');
  });

  it('selects a query, creates a data export ticket from the context menu, and sees the draft', async () => {
    const editor = await wb.openFile('orders.sql');
    await editor.locator('.view-line').nth(1).click();
    await wb.page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await wb.page.keyboard.press('Shift+ArrowDown');
    await wb.page.keyboard.press('Shift+End');
    await editor.locator('.view-line').nth(3).click({ button: 'right' });
    const menu = wb.page.locator('.context-view .monaco-menu');
    await menu.getByText('Create Ticket As').hover();
    const exportItem = wb.page.locator('.context-view .monaco-submenu .action-label', { hasText: 'Create Data Export Ticket…' });
    await exportItem.waitFor();
    await wb.screenshot('create-context-menu');
    await exportItem.click();

    // The create flow: database (live list), title (suggested), reason, stakeholders, estimated rows.
    const quickInput = wb.page.locator('.quick-input-widget');
    await quickInput.locator('.quick-input-list-row', { hasText: 'demo' }).waitFor();
    await wb.screenshot('create-flow-database');
    await wb.page.keyboard.press('Enter');
    const box = quickInput.locator('input.input');
    await quickInput.locator('.quick-input-message', { hasText: 'Title' }).waitFor();
    assert.equal(await box.inputValue(), 'Export orders');
    await box.fill('Recent orders');
    await wb.page.keyboard.press('Enter');
    // The Reason step opens with its prompt, not an error: nothing has been typed yet.
    const message = quickInput.locator('.quick-input-message');
    await message.filter({ hasText: 'Reason: why the export or change is needed' }).waitFor();
    assert.equal(await box.inputValue(), '');
    assert.equal(await quickInput.locator('.monaco-inputbox.error').count(), 0, 'the empty Reason step shows no error');
    await wb.screenshot('create-flow-reason');
    // Accepting it empty says what is missing, and the step stays.
    await wb.page.keyboard.press('Enter');
    await message.filter({ hasText: 'Enter a reason.' }).waitFor();
    await box.fill('Weekly report');
    await wb.page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-list-row').first().waitFor();
    await wb.page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-message', { hasText: 'Estimated rows' }).waitFor();
    await waitForValue(box, /^\d+$/);
    await wb.screenshot('create-flow-estimate');
    await wb.page.keyboard.press('Enter');

    const draft = wb.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await draft.locator('.view-line', { hasText: '-- Kind: DATA_EXPORT' }).waitFor();
    const lines = (await draft.locator('.view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
    await wb.screenshot('draft');
    assert.equal(lines[0], '-- Kind: DATA_EXPORT (chosen by command)');
    for (const header of ['-- Database: demo', '-- Title: Recent orders', '-- Reason: Weekly report']) assert.ok(lines.includes(header), lines.join('\n'));
    assert.ok(lines.includes('SELECT o.id, o.placed_at, c.email, o.total_cents'), lines.join('\n'));
    assert.ok(lines.includes('ORDER BY o.placed_at DESC;'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('ALTER TABLE')), 'the draft holds more than the selection');
  });

  it('finds the draft, with an edit made just before, after reloading the window', async () => {
    const { page } = wb;
    const draft = page.locator('.part.editor .editor-instance .monaco-editor').first();
    await draft.locator('.view-line', { hasText: '-- Reason:' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' for the sales team');
    // Saved to the extension's storage as typed, without a save command.
    for (let waited = 0; !wb.savedDrafts().some((text) => text.includes('-- Reason: Weekly report for the sales team')); waited += 100) {
      if (waited > 30_000) assert.fail(`the edit never reached the saved draft: ${JSON.stringify(wb.savedDrafts())}`);
      await page.waitForTimeout(100);
    }
    await page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ timeout: 10_000 });
    // Developer: Reload Window, as a user would.
    await page.keyboard.press('F1');
    await page.keyboard.type('Developer: Reload Window');
    await page.locator('.quick-input-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor();
    await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.keyboard.press('Enter')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const restored = page.locator('.part.editor .editor-instance .monaco-editor').first();
    await restored.locator('.view-line', { hasText: '-- Reason: Weekly report for the sales team' }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator(".tabs-container .tab.active").innerText(), /^Recent orders\s*\.sql/);
  });

  it('submits the draft, then approves and executes the ticket from the Tickets view until it succeeds', async () => {
    const { page } = wb;
    await page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]').click();
    await page.locator('.notifications-toasts', { hasText: 'Ticket #1 submitted — pending approval' }).waitFor({ timeout: 90_000 });

    await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
    const row = page.getByRole('treeitem', { name: /#1 Recent orders/ });
    await row.waitFor();
    await page.getByRole('treeitem', { name: /^Drafts/ }).waitFor({ state: 'detached' });
    assert.match(String(await row.getAttribute('aria-label')), /pending approval/);
    await wb.screenshot('submitted');

    await wb.rowAction(row, 'Approve');
    // The approval's comment box, titled with the ticket it approves.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '#1 Recent orders' }).waitFor();
    const comment = page.locator('.quick-input-widget input');
    await comment.fill('fine for the weekly report');
    await comment.press('Enter');
    await page.locator('.notifications-toasts', { hasText: 'Ticket #1: approved' }).waitFor({ timeout: 30_000 });

    await wb.rowAction(page.getByRole('treeitem', { name: /#1 Recent orders.*approved/ }), 'Execute');
    const succeeded = page.getByRole('treeitem', { name: /#1 Recent orders.*succeeded/ });
    await succeeded.waitFor({ timeout: 90_000 });
    await succeeded.hover();
    await succeeded.locator('.actions .action-label[aria-label="Download Result…"]').waitFor();
    // The CodeLens above the query shows the state the tree shows, from the same change.
    await page.locator('.part.editor .codelens-decoration', { hasText: '#1 · succeeded' }).waitFor({ timeout: 5_000 });
    await wb.screenshot('succeeded');
  });
});
