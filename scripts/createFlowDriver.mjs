// Drives the create flow's quick input as a user does, for the e2e tests and the scripts that take the README's and
// the walkthrough's pictures.

/**
 * Answers the create flow from its database step on: the demo database, `title`, `reason`, no stakeholders, and the
 * estimate once the demo database has counted it (at most 30 s). `pause(step)` runs before the answer of `step`
 * ('database', 'title', 'reason', 'estimate') is accepted: a recording's frame, a screenshot.
 */
export async function answerCreateFlow(page, { title, reason, pause = async () => {} }) {
  const quickInput = page.locator('.quick-input-widget');
  const box = quickInput.locator('input.input');
  await quickInput.locator('.quick-input-list-row', { hasText: 'demo' }).first().waitFor();
  await pause('database');
  await page.keyboard.press('Enter');
  await quickInput.locator('.quick-input-message', { hasText: 'Title' }).waitFor();
  await box.fill(title);
  await pause('title');
  await page.keyboard.press('Enter');
  await quickInput.locator('.quick-input-message', { hasText: 'Reason' }).waitFor();
  await box.fill(reason);
  await pause('reason');
  await page.keyboard.press('Enter');
  await quickInput.locator('.quick-input-list-row').first().waitFor();
  await page.keyboard.press('Enter'); // no stakeholders
  await quickInput.locator('.quick-input-message', { hasText: 'Estimated rows' }).waitFor();
  for (let i = 0; i < 300 && !/^\d+$/.test(await box.inputValue()); i++) await page.waitForTimeout(100);
  await pause('estimate');
  await page.keyboard.press('Enter');
}
