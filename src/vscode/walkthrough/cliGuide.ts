import * as vscode from 'vscode';
import { UserFacingError } from '../shared/log';
import { cliHeading } from './readmeSections';

/**
 * Opens the README shipped with the extension at its "Command line" section, in the Markdown preview: the editor is
 * first scrolled to the section, so the preview that replaces it starts there.
 */
export async function openCliGuide(extensionUri: vscode.Uri): Promise<void> {
  const readme = await vscode.workspace.openTextDocument(await readmeOf(extensionUri));
  const line = Math.max(0, readme.getText().split(/\r?\n/).indexOf(cliHeading));
  const start = new vscode.Range(line, 0, line, 0);
  const editor = await vscode.window.showTextDocument(readme, { preview: true, selection: start });
  editor.revealRange(start, vscode.TextEditorRevealType.AtTop);
  await vscode.commands.executeCommand('markdown.showPreview', readme.uri);
}

/** The README: `README.md` in a checkout, `readme.md` once packaged (vsce renames it). */
async function readmeOf(extensionUri: vscode.Uri): Promise<vscode.Uri> {
  const entries = await vscode.workspace.fs.readDirectory(extensionUri);
  const name = entries.find(([entry, type]) => type === vscode.FileType.File && entry.toLowerCase() === 'readme.md')?.[0];
  if (!name) throw new UserFacingError(vscode.l10n.t('The extension\'s README is missing from {0}. Reinstall DB Tickets to get the command line guide back.', extensionUri.fsPath));
  return vscode.Uri.joinPath(extensionUri, name);
}
