import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';

/** Context key listing the open draft documents, for `resource in dbTickets.draftDocuments` in menus. */
export const draftDocumentsKey = 'dbTickets.draftDocuments';

/**
 * The open draft documents and the id each draft keeps for its whole life, so that submitting it twice (a retry
 * after a timeout) finds the ticket the first attempt created.
 */
export class Drafts implements vscode.Disposable {
  private readonly ids = new Map<string, string>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri));

  add(document: vscode.TextDocument): void {
    this.ids.set(document.uri.toString(), randomUUID());
    this.publish();
  }

  idOf(uri: vscode.Uri): string | undefined {
    return this.ids.get(uri.toString());
  }

  forget(uri: vscode.Uri): void {
    if (this.ids.delete(uri.toString())) this.publish();
  }

  private publish(): void {
    void vscode.commands.executeCommand('setContext', draftDocumentsKey, [...this.ids.keys()]);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
