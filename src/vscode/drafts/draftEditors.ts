import * as vscode from 'vscode';
import type { SqlDiagnostics } from '../diagnostics/sqlDiagnostics';
import { draftScheme } from './draftFiles';
import type { Drafts } from './drafts';

/** The draft a tab shows, by its URI; undefined for any other tab. */
function draftIn(tab: vscode.Tab): vscode.Uri | undefined {
  return tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === draftScheme ? tab.input.uri : undefined;
}

function draftTabs(id: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => draftIn(tab)?.query === id);
}

function isShown(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => draftIn(tab)?.toString() === uri.toString()));
}

/**
 * The URI draft `id` is open under, in a tab or as a loaded document. It can name an older title than the header's:
 * opening the draft under another name would make a second document of the same file.
 */
export function openDraftUri(id: string): vscode.Uri | undefined {
  const tab = draftTabs(id)[0];
  return tab ? draftIn(tab) : vscode.workspace.textDocuments.find((document) => document.uri.scheme === draftScheme && document.uri.query === id)?.uri;
}

/** Closes every editor of draft `id`, without asking to save: it is being submitted or discarded. */
export async function closeDraftEditors(id: string): Promise<void> {
  for (const tab of draftTabs(id)) {
    await vscode.window.showTextDocument(draftIn(tab)!, { viewColumn: tab.group.viewColumn });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

/**
 * A draft's marks in the Problems view follow its editors: they go as soon as its last tab closes or it is submitted
 * or discarded (VS Code closes the document itself much later, if at all), and come back when a tab shows it again.
 */
export function clearDiagnosticsOfClosedDrafts(drafts: Drafts, diagnostics: SqlDiagnostics): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs(({ opened, closed }) => {
      for (const uri of closed.map(draftIn)) if (uri && !isShown(uri)) diagnostics.clear(uri);
      for (const uri of opened.map(draftIn)) {
        const document = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (document) diagnostics.check(document);
      }
    }),
    drafts.onDidDiscard((id) => {
      for (const document of vscode.workspace.textDocuments) if (drafts.idOf(document.uri) === id) diagnostics.clear(document.uri);
    }),
  );
}
