import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { UserFacingError } from '../../src/vscode/shared/log';
import { openCliGuide } from '../../src/vscode/walkthrough/cliGuide';
import { activateExtension } from './stubs';

/** The active tab once it is a Markdown preview: the preview opens a moment after its command returns. */
async function previewTab(): Promise<vscode.Tab & { input: vscode.TabInputWebview }> {
  for (let waited = 0; ; waited += 100) {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (tab?.input instanceof vscode.TabInputWebview && /markdown\.preview$/.test(tab.input.viewType)) return tab as vscode.Tab & { input: vscode.TabInputWebview };
    if (waited > 10_000) assert.fail(`the active tab is not a Markdown preview: ${tab?.label}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the command line guide', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the packaged README, named readme.md, in the Markdown preview', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-guide-'));
    try {
      writeFileSync(join(folder, 'readme.md'), `# DB Tickets\n\n${'Filler line.\n\n'.repeat(200)}## Command line\n\nThe CLI.\n`);
      await openCliGuide(vscode.Uri.file(folder));
      assert.match((await previewTab()).label, /readme\.md/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('opens the README of the extension itself', async () => {
    const extension = await activateExtension();
    await openCliGuide(extension.extensionUri);
    assert.match((await previewTab()).label, /README\.md/);
  });

  it('says what to do when the extension has no README', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'db-tickets-guide-'));
    try {
      await assert.rejects(openCliGuide(vscode.Uri.file(folder)), (error: unknown) => {
        assert.ok(error instanceof UserFacingError);
        assert.equal(error.message, `The extension's README is missing from ${folder}. Reinstall DB Tickets to get the command line guide back.`);
        return true;
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
