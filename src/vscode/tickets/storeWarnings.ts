import * as vscode from 'vscode';
import type { TicketsModel } from './ticketsModel';

/**
 * Warns once about each problem a load finds in a profile's own ticket store (a damaged or cut-off line of the Local
 * backend's log), naming the file and line, and offers to open the log there.
 */
export function warnAboutStores(model: TicketsModel): vscode.Disposable {
  const shown = new Set<string>();
  return model.onDidLoad((loaded) => {
    for (const { profile, storageProblems = [] } of loaded) {
      const fresh = storageProblems.filter((problem) => !shown.has(problem.message));
      if (fresh.length === 0) continue;
      for (const problem of fresh) shown.add(problem.message);
      const [first] = fresh;
      const text =
        fresh.length === 1
          ? vscode.l10n.t('The ticket store of profile "{0}" has a problem: {1}', profile.name, first.message)
          : vscode.l10n.t('The ticket store of profile "{0}" has {1} problems, the first: {2} (run db-tickets store check to list them all)', profile.name, fresh.length, first.message);
      const openLabel = vscode.l10n.t('Open Log');
      void vscode.window.showWarningMessage(text, openLabel).then(async (choice) => {
        if (choice !== openLabel) return;
        const position = new vscode.Position(first.line - 1, 0);
        await vscode.window.showTextDocument(vscode.Uri.file(first.file), { selection: new vscode.Range(position, position) });
      });
    }
  });
}
