import * as vscode from 'vscode';

/**
 * Opens the demo's sample queries as a new SQL document: select one, create a ticket, and it runs on the built-in
 * demo database of the Local workflow. A copy, so edits never touch the extension's files.
 */
export async function openDemo(extensionUri: vscode.Uri): Promise<void> {
  const sample = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'demo', 'exports.sql')));
  const intro = vscode.l10n.t('Select one query below, right-click it and choose "Create Ticket from Selection…". Use the database "demo": a small shop in SQLite, so write SQLite\'s SQL.');
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `-- ${intro}\n\n${sample}` });
  await vscode.window.showTextDocument(document, { preview: false });
}
