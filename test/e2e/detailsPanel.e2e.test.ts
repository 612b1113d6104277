import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialog, FrameLocator } from 'playwright-core';
import { repoRoot } from '../../scripts/sandbox.mjs';
import { Workbench } from './workbench';

// Ticket text comes from other people: each field carries markup that would run script if it were parsed.
const title = `<script>document.body.dataset.pwned='1'</script>`;
const reason = `<img src=x onerror="document.body.dataset.pwned='1'">`;
const comment = `"><svg onload=alert(1)>`;
const sql = `SELECT id, email -- "><svg onload=alert(1)>
FROM customers
WHERE email <> '<img src=x onerror="document.body.dataset.pwned=''1''">'
ORDER BY id
LIMIT 3;
`;

describe('ticket details in the browser workbench', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'db-tickets-e2e-details-'));
  const store = join(scratch, 'store');
  const dialogs: Dialog[] = [];
  let wb: Workbench;

  /** The CLI on the same store as the extension: another person files the ticket and comments on it. */
  function cli(...args: string[]): string {
    mkdirSync(join(scratch, 'home'), { recursive: true });
    return execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...process.env, HOME: join(scratch, 'home'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CONFIG_HOME: join(scratch, 'config'), DB_TICKETS_STORE: store, DB_TICKETS_USER: 'mallory' },
    });
  }

  before(async () => {
    writeFileSync(join(scratch, 'payload.sql'), sql);
    cli('create', 'payload.sql', '--kind', 'export', '--db', 'demo', '--title', title, '--reason', reason);
    cli('comment', '1', comment);
    wb = await Workbench.open({ 'dbTickets.profiles': [{ name: 'local', backend: 'local', store }] });
    wb.page.on('dialog', (dialog) => {
      dialogs.push(dialog);
      void dialog.dismiss();
    });
  });
  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The page inside the panel: code-server nests each webview in two frames. */
  function panel(): FrameLocator {
    return wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  it('shows script and HTML payloads as text, and runs none of them', async () => {
    const { page } = wb;
    await page.locator('.activitybar a.action-label[aria-label^="DB Tickets"]').click();
    await page.getByRole('treeitem', { name: /^#1 / }).click();
    const details = panel();
    await details.locator('h1').filter({ hasText: title }).waitFor({ timeout: 60_000 });

    assert.equal(await details.locator('h1').textContent(), `#1 ${title}`);
    assert.equal(await details.locator('.card-text .prose').textContent(), reason);
    assert.equal(await details.locator('.comments .prose').textContent(), comment);
    assert.equal(await details.locator('pre.sql').textContent(), sql);
    assert.equal(await details.locator('pre.sql .tok-string').filter({ hasText: '<img' }).count(), 1);
    assert.equal(await details.locator('.status').textContent(), 'pending approval');
    assert.equal(await page.locator('.tab.active .label-name').textContent(), `#1 ${title}`);

    assert.equal(await details.locator('#root img, #root svg, #root script').count(), 0, 'ticket markup became elements');
    assert.equal(await details.locator('body').getAttribute('data-pwned'), null);
    assert.equal(await page.locator('body').getAttribute('data-pwned'), null);
    assert.deepEqual(dialogs.map((d) => d.message()), []);
    await wb.screenshot('details-payloads');
  });

  it('approves and executes from the panel, which follows the ticket to success', async () => {
    const { page } = wb;
    const details = panel();
    await details.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('ok for the security review');
    await page.keyboard.press('Enter');
    await details.locator('.status', { hasText: 'approved' }).waitFor({ timeout: 30_000 });
    await details.locator('.timeline li', { hasText: 'ok for the security review' }).waitFor();

    await details.getByRole('button', { name: 'Execute' }).click();
    await details.locator('.status', { hasText: 'succeeded' }).waitFor({ timeout: 90_000 });
    await details.getByRole('button', { name: 'Download Result…' }).waitFor();
    assert.match(String(await details.locator('.card-execution').textContent()), /Rows exported\s*3/);
    assert.equal(await details.locator('body').getAttribute('data-pwned'), null);
    assert.deepEqual(dialogs.map((d) => d.message()), []);
    // A clean screenshot: close the toast the execution left, if it is still up (no waiting for one that is not).
    const close = page.locator('.notifications-toasts .codicon-notifications-clear-all, .notifications-toasts .action-label.codicon-close').first();
    if (await close.isVisible()) await close.click();
    await wb.screenshot('details');
  });
});
