import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { freePort, installExtension, startCodeServer } from '../../scripts/codeServer.mjs';
import { answerCreateFlow } from '../../scripts/createFlowDriver.mjs';
import { packageVsix } from '../../scripts/package.mjs';
import { launchChromium, repoRoot } from '../../scripts/sandbox.mjs';

export const artifacts = join(repoRoot, 'test-results', 'e2e');

/** The packaged extension installed into a fresh sandbox VS Code, opened in headless Chromium like a user would. */
export class Workbench {
  /** The workbenches open now, whose screen a failed step reports (`mochaHooks`). */
  static readonly opened = new Set<Workbench>();
  private sessions = 1;

  private constructor(
    public page: Page,
    private context: BrowserContext,
    private readonly url: string,
    private readonly stopServer: () => Promise<void>,
    private readonly stateDir: string,
  ) {}

  /**
   * `settings`: user settings beyond the quiet defaults, e.g. a profile pointing at a prepared store. `locale`: the
   * display language, e.g. `zh-cn` to see the extension in Chinese (see `languagePackWithoutTranslations`).
   */
  static async open(settings: Record<string, unknown> = {}, { locale }: { locale?: string } = {}): Promise<Workbench> {
    const stateDir = mkdtempSync(join(tmpdir(), 'db-tickets-e2e-'));
    const workspace = join(stateDir, 'workspace');
    cpSync(join(repoRoot, 'test', 'integration', 'workspace'), workspace, { recursive: true });
    installExtension(stateDir, packageVsix());
    if (locale) languagePackWithoutTranslations(join(stateDir, 'user-data'), locale);
    const server = await startCodeServer({ stateDir, port: await freePort(), folder: workspace, settings, locale });
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
    const { context, page } = await browse(url, join(stateDir, 'chromium'));
    mkdirSync(artifacts, { recursive: true });
    const workbench = new Workbench(page, context, url, server.stop, stateDir);
    Workbench.opened.add(workbench);
    return workbench;
  }

  /**
   * Closes the browser and opens the same workbench in a new one with a fresh profile, as on another machine: the
   * server's user data (settings, the extension's storage) stays, what the browser kept (open editors) does not.
   */
  async freshSession(): Promise<void> {
    await this.context.close();
    ({ context: this.context, page: this.page } = await browse(this.url, join(this.stateDir, `chromium-${++this.sessions}`)));
  }

  /** The texts of the ticket drafts the extension keeps in its storage. */
  savedDrafts(): string[] {
    const folder = join(this.stateDir, 'user-data', 'User', 'globalStorage', 'db-tickets.db-tickets', 'drafts');
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => readFileSync(join(folder, name), 'utf8'));
  }

  /**
   * What the workbench shows, as text for a failed step's report: the tabs, the Tickets view's rows, the
   * notifications, the quick input, and the end of the extension's log.
   */
  async describe(): Promise<string> {
    const texts = async (selector: string, attribute?: string) => {
      const found = this.page.locator(selector);
      const all = attribute ? await Promise.all((await found.all()).map((one) => one.getAttribute(attribute))) : await found.allInnerTexts();
      return all.map((text) => `  ${String(text).replace(/\s+/g, ' ').trim()}`).join('\n') || '  (none)';
    };
    const logs = findFiles(join(this.stateDir, 'user-data', 'logs'), (name) => name.endsWith('DB Tickets.log'));
    const logTail = logs.flatMap((file) => readFileSync(file, 'utf8').trimEnd().split('\n').slice(-40)).join('\n');
    return [
      `tabs:\n${await texts('.tabs-container .tab', 'aria-label')}`,
      `tree rows:\n${await texts('.monaco-list-row[role="treeitem"]', 'aria-label')}`,
      `notifications:\n${await texts('.notifications-toasts .notification-list-item-message')}`,
      `quick input:\n${await texts('.quick-input-widget:visible .quick-input-title, .quick-input-widget:visible .quick-input-message, .quick-input-widget:visible .quick-input-list-row')}`,
      `quick input placeholder:\n${await texts('.quick-input-widget:visible input', 'placeholder')}`,
      `the extension's log:\n${logTail || '  (empty)'}`,
    ].join('\n');
  }

  /** Leaves a failed step's screenshot, and prints what the workbench showed. */
  async reportFailure(title: string): Promise<void> {
    await this.screenshot('failed-step').catch(() => undefined);
    const described = await this.describe().catch((error: Error) => `(could not describe the workbench: ${error.message})`);
    console.log(`\n--- the workbench when "${title}" failed ---\n${described}\n---`);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(artifacts, `${name}.png`) });
  }

  async openFile(name: string) {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    // Clicked while the Explorer shows (its files still loading), the activity bar button would hide it instead.
    if (!(await this.page.locator('.explorer-folders-view').isVisible())) await this.page.locator('.activitybar a.action-label[aria-label^="Explorer"]').click();
    await row.click();
    const editor = this.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await editor.locator('.view-line').first().waitFor();
    return editor;
  }

  /** Runs a command from the command palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.keyboard.type(title);
    await this.page.locator('.quick-input-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Makes a data export draft of orders.sql's query through the create flow, keeping the other suggested answers. */
  async createExportDraft(title: string, reason = 'Weekly report'): Promise<Locator> {
    const editor = await this.openFile('orders.sql');
    await editor.locator('.view-line').nth(1).click();
    await this.page.keyboard.press('Home');
    for (let i = 0; i < 5; i++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
    await this.runCommand('DB Tickets: Create Data Export Ticket…');
    await answerCreateFlow(this.page, { title, reason });
    const draft = this.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await draft.locator('.view-line', { hasText: `-- Title: ${title}` }).waitFor();
    return draft;
  }

  /** Clicks one of a tree row's inline action buttons, which show while the row is hovered. */
  async rowAction(row: Locator, label: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${label}"]`).click();
  }

  async close(): Promise<void> {
    Workbench.opened.delete(this);
    await this.context.close().catch(() => {});
    await this.stopServer();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Mocha's root hooks (the e2e tier's config requires this module): a failed step of any file reports the workbench. */
export const mochaHooks = {
  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    for (const workbench of Workbench.opened) await workbench.reportFailure(test.title);
  },
};

/**
 * Registers a language pack for `locale` in the user data, as installing one from the marketplace would
 * (`languagepacks.json`): VS Code then takes `locale` as its display language, so extensions show their own
 * translations (package.nls.<locale>.json, l10n bundles, walkthrough pages). The pack translates nothing of VS Code
 * itself, whose texts stay English — the tests need no marketplace.
 */
function languagePackWithoutTranslations(userDataDir: string, locale: string): void {
  const translations = join(userDataDir, 'test-language-pack', 'main.i18n.json');
  mkdirSync(dirname(translations), { recursive: true });
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = { hash: `test-${locale}`, extensions: [{ extensionIdentifier: { id: 'db-tickets-test.language-pack' }, version: '1.0.0' }], translations: { vscode: translations }, label: locale };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
}

/** The files under `folder` whose names `wanted` accepts, at any depth. */
function findFiles(folder: string, wanted: (name: string) => boolean): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && wanted(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Headless Chromium with its own profile in `profileDir`, showing the workbench at `url`. */
async function browse(url: string, profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium(profileDir, { viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { context, page };
}
