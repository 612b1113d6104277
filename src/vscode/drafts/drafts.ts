import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { type DraftFileSystem, draftIdOf, draftUri } from './draftFiles';

const saveDelayMs = 400;

/**
 * The ticket drafts: documents under the `db-tickets-draft:` scheme whose URI carries the draft's id, kept for
 * its whole life so that submitting it again (a retry after a timeout, even after a reload) finds the ticket the
 * first attempt created. Edits are saved as the user types.
 */
export class Drafts implements vscode.Disposable {
  /** Saves waiting for a pause in typing, by document. */
  private readonly pending = new Map<vscode.TextDocument, NodeJS.Timeout>();
  private readonly subscription = vscode.workspace.onDidChangeTextDocument(({ document }) => this.saveSoon(document));
  private readonly discarded = new vscode.EventEmitter<string>();
  /** A draft was submitted or abandoned: its id. */
  readonly onDidDiscard = this.discarded.event;

  /** Writes a new draft and opens it in an editor. */
  async create(content: string, title: string): Promise<vscode.TextDocument> {
    const uri = draftUri(title, randomUUID());
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  /** The draft id of a draft document; undefined for any other document. */
  idOf(uri: vscode.Uri): string | undefined {
    return draftIdOf(uri);
  }

  constructor(private readonly files: DraftFileSystem) {}

  /** Deletes a submitted or abandoned draft for good: a save still under way cannot bring it back. */
  async discard(uri: vscode.Uri): Promise<void> {
    for (const [document, timer] of this.pending) {
      if (document.uri.query !== uri.query) continue;
      clearTimeout(timer);
      this.pending.delete(document);
    }
    try {
      await this.files.discard(uri);
    } finally {
      this.discarded.fire(uri.query);
    }
  }

  private saveSoon(document: vscode.TextDocument): void {
    if (!this.idOf(document.uri)) return;
    clearTimeout(this.pending.get(document));
    this.pending.set(
      document,
      setTimeout(() => {
        this.pending.delete(document);
        if (document.isDirty && !document.isClosed) void document.save();
      }, saveDelayMs),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.discarded.dispose();
    this.pending.forEach((timer) => clearTimeout(timer));
  }
}
