import * as vscode from 'vscode';
import { CancelledByUser, UserFacingError } from '../shared/log';

/** The SQL a create command works on, and where it came from. */
export interface SqlSource {
  sql: string;
  document: vscode.TextDocument;
  range: vscode.Range;
}

/**
 * The selection of the active editor; with no selection, the whole document after the user confirms.
 * When the command came from the editor context menu, `uri` names the document it was invoked on.
 */
export async function sqlFromEditor(uri?: vscode.Uri): Promise<SqlSource> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || (uri && editor.document.uri.toString() !== uri.toString())) {
    throw new UserFacingError(
      vscode.l10n.t('No SQL editor is active. Open a .sql file, select the SQL for the ticket, then run the command again.'),
    );
  }
  const { document, selection } = editor;
  if (!selection.isEmpty && document.getText(selection).trim() !== '') {
    return { sql: document.getText(selection), document, range: new vscode.Range(selection.start, selection.end) };
  }
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  if (document.getText(whole).trim() === '') {
    throw new UserFacingError(vscode.l10n.t('The editor holds no SQL. Write or select the SQL for the ticket, then run the command again.'));
  }
  const useAll = vscode.l10n.t('Use Whole Document');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('No SQL is selected. Create the ticket from the whole document ({0} lines)?', document.lineCount),
    { modal: true },
    useAll,
  );
  if (answer !== useAll) throw new CancelledByUser();
  return { sql: document.getText(whole), document, range: whole };
}
