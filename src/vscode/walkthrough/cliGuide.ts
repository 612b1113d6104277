import * as vscode from 'vscode';
import { cliHeading } from './readmeSections';

/**
 * Opens the README shipped with the extension at its "Command line" section, in the Markdown preview: the editor is
 * first scrolled to the section, so the preview that replaces it starts there.
 */
export async function openCliGuide(extensionUri: vscode.Uri): Promise<void> {
  const readme = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(extensionUri, 'README.md'));
  const line = Math.max(0, readme.getText().split(/\r?\n/).indexOf(cliHeading));
  const start = new vscode.Range(line, 0, line, 0);
  await vscode.window.showTextDocument(readme, { preview: true, selection: start });
  vscode.window.activeTextEditor?.revealRange(start, vscode.TextEditorRevealType.AtTop);
  await vscode.commands.executeCommand('markdown.showPreview', readme.uri);
}
