import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { warnAboutStores } from '../../src/vscode/tickets/storeWarnings';
import { useTicketsFixture } from './fixture';
import { until } from './stubs';

describe('a damaged Local ticket store in the extension', function () {
  this.timeout(60_000);
  const suite = useTicketsFixture();

  it('warns once, naming the file and the line, and Open Log shows that line', async () => {
    const { folder, tickets, tree, stub, submitExport } = suite();
    await submitExport('Kept intact');
    await submitExport('Damaged');
    const log = join(folder, 'store', 'tickets.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    const damaged = lines.findIndex((line) => line.includes('"Damaged"'));
    // An edit that changes the log's length: a running extension re-reads the whole log and checks every line.
    lines[damaged] = lines[damaged].replace('"Damaged"', '"Damaged by hand"');
    writeFileSync(log, lines.join('\n'));

    const warnings = stub('showWarningMessage', (async () => 'Open Log') as typeof vscode.window.showWarningMessage);
    const watcher = warnAboutStores(tickets);
    try {
      tickets.refresh();
      await tree.getChildren();
      await until(() => warnings.calls.length > 0, 'the store is warned about');
      const [text, button] = warnings.calls[0] as [string, string];
      // The changed line, and the events of that ticket after it, which no longer fit a ticket.
      assert.match(text, new RegExp(`^The ticket store of profile "local" has \\d+ problems, the first: .*tickets\\.jsonl:${damaged + 1}: fails its checksum, so it was skipped: .*Restore it from a backup or from git, or remove it\\. \\(run db-tickets store check to list them all\\)$`));
      assert.equal(button, 'Open Log');
      await until(() => vscode.window.activeTextEditor?.document.uri.fsPath === log, 'the log opens');
      assert.equal(vscode.window.activeTextEditor!.selection.active.line, damaged);

      tickets.refresh();
      await tree.getChildren();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(warnings.calls.length, 1, 'the same problem is told once');
    } finally {
      watcher.dispose();
    }
  });
});
