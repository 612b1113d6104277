import * as vscode from 'vscode';
import { CommandIds } from '../commands/commandIds';
import { draftScheme } from './draftFiles';

/** "Submit Ticket" above a draft's header, beside the editor-title button and Ctrl+Enter. */
export function registerDraftCodeLens(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { scheme: draftScheme },
      {
        provideCodeLenses: (document) => [
          new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
            title: `$(send) ${vscode.l10n.t('Submit Ticket')}`,
            tooltip: vscode.l10n.t('Submit this draft to its profile\'s backend (Ctrl+Enter)'),
            command: CommandIds.submitDraft,
            arguments: [document.uri],
          }),
        ],
      },
    ),
  );
}
