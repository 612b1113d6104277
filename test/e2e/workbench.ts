import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { freePort, installExtension, startCodeServer } from '../../scripts/codeServer.mjs';
import { packageVsix } from '../../scripts/package.mjs';
import { launchChromium, repoRoot } from '../../scripts/sandbox.mjs';

export const artifacts = join(repoRoot, 'test-results', 'e2e');

/** The packaged extension installed into a fresh sandbox VS Code, opened in headless Chromium like a user would. */
export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly stopServer: () => Promise<void>,
    private readonly stateDir: string,
  ) {}

  /** `settings`: user settings beyond the quiet defaults, e.g. a profile pointing at a prepared store. */
  static async open(settings: Record<string, unknown> = {}): Promise<Workbench> {
    const stateDir = mkdtempSync(join(tmpdir(), 'db-tickets-e2e-'));
    const workspace = join(stateDir, 'workspace');
    cpSync(join(repoRoot, 'test', 'integration', 'workspace'), workspace, { recursive: true });
    installExtension(stateDir, packageVsix());
    const server = await startCodeServer({ stateDir, port: await freePort(), folder: workspace, settings });
    const context = await launchChromium(join(stateDir, 'chromium'), { viewport: { width: 1280, height: 800 } });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    mkdirSync(artifacts, { recursive: true });
    return new Workbench(page, context, server.stop, stateDir);
  }

  /** The texts of the ticket drafts the extension keeps in its storage. */
  savedDrafts(): string[] {
    const folder = join(this.stateDir, 'user-data', 'User', 'globalStorage', 'db-tickets.db-tickets', 'drafts');
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => readFileSync(join(folder, name), 'utf8'));
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(artifacts, `${name}.png`) });
  }

  async openFile(name: string) {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    if (!(await row.isVisible())) await this.page.locator('.activitybar a.action-label[aria-label^="Explorer"]').click();
    await row.click();
    const editor = this.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await editor.locator('.view-line').first().waitFor();
    return editor;
  }

  /** Clicks one of a tree row's inline action buttons, which show while the row is hovered. */
  async rowAction(row: Locator, label: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${label}"]`).click();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    await this.stopServer();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
