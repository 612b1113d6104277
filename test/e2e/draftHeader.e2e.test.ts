import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { answerCreateFlow } from '../../scripts/createFlowDriver.mjs';
import { Workbench } from './workbench';

describe('a draft header edited by hand in the browser workbench', () => {
  let wb: Workbench;
  before(async () => {
    wb = await Workbench.open();
  });
  after(async () => {
    await wb?.close();
  });

  /** The draft's editor. */
  function draft(): Locator {
    return wb.page.locator('.part.editor .editor-instance .monaco-editor').first();
  }

  /** Replaces the text of the line that shows `text`, as a user would: click it, select it, type over it. */
  async function retype(text: string, replacement: string): Promise<void> {
    await draft().locator('.view-line', { hasText: text }).click();
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('Shift+End');
    await wb.page.keyboard.type(replacement);
  }

  it('opens a draft for the selected query', async () => {
    const { page } = wb;
    // From another view, so that opening the Explorer cannot toggle it closed while it is still loading.
    await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
    const editor = await wb.openFile('orders.sql');
    await editor.locator('.view-line').nth(1).click();
    await page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('F1');
    await page.keyboard.type('Create Data Export Ticket');
    await page.locator('.quick-input-list-row', { hasText: 'Create Data Export Ticket…' }).first().click();

    await answerCreateFlow(page, { title: 'Orders by hand', reason: 'Weekly report' });
    await draft().locator('.view-line', { hasText: '-- Kind: DATA_EXPORT' }).waitFor();
  });

  it('marks a mistyped header line with a squiggle and a Problems entry naming its line', async () => {
    const { page } = wb;
    // A blank line above the Kind line, as a user might leave it.
    await draft().locator('.view-line', { hasText: '-- Kind: DATA_EXPORT' }).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Enter');
    await retype('-- Database: demo', '-- Databse: demo');
    await draft().locator('.squiggly-error').first().waitFor({ timeout: 30_000 });

    await page.keyboard.press('F1');
    await page.keyboard.type('Focus on Problems View');
    await page.locator('.quick-input-list-row', { hasText: 'Focus on Problems View' }).first().click();
    const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'did you mean "Database"?' });
    await entry.waitFor({ timeout: 30_000 });
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /The draft's header says "Databse": did you mean "Database"\? Fix the label, or remove the line\./);
    assert.match(text, /DB Tickets/);
    assert.match(text, /\[Ln 4, Col 1\]/, text);
    await wb.screenshot('draft-header-typo');
  });

  it('submits once the line is fixed, with the blank line still above the Kind line', async () => {
    const { page } = wb;
    await retype('-- Databse: demo', '-- Database: demo');
    // Each keystroke marks the line anew until the label is whole again: wait for the last mark to go.
    await draft().locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.markers-panel .monaco-list-row', { hasText: "The draft's header says" }).first().waitFor({ state: 'detached', timeout: 30_000 });
    for (let waited = 0; !wb.savedDrafts().some((text) => text.startsWith('\n-- Kind: DATA_EXPORT') && text.includes('\n-- Database: demo\n')); waited += 100) {
      if (waited > 30_000) assert.fail(`the draft was never saved with a blank line above its Kind line: ${JSON.stringify(wb.savedDrafts())}`);
      await page.waitForTimeout(100);
    }

    await page.locator('.editor-actions .action-label[aria-label^="Submit Ticket"]').click();
    await page.locator('.notifications-toasts', { hasText: 'Ticket #1 submitted — pending approval' }).waitFor({ timeout: 90_000 });
    await wb.screenshot('draft-header-submitted');
  });
});
