import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { type DraftFileSystem, draftIdOf, draftScheme } from './draftFiles';

const saveDelayMs = 400;

/** A file name from the draft's title, for the editor tab: "Export customers.sql". */
function fileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters cannot be in a file name
  const name = title.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-').trim().slice(0, 60).trim();
  return `${name || 'draft'}.sql`;
}

/**
 * The ticket drafts: documents under the `db-tickets-draft:` scheme whose URI carries the draft's id, kept for
 * its whole life so that submitting it again (a retry after a timeout, even after a reload) finds the ticket the
 * first attempt created. Edits are saved as the user types.
 */
export class Drafts implements vscode.Disposable {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscription = vscode.workspace.onDidChangeTextDocument(({ document }) => this.saveSoon(document));

  /** Writes a new draft and opens it in an editor. */
  async create(content: string, title: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: draftScheme, path: `/${fileName(title)}`, query: randomUUID() });
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
    clearTimeout(this.pending.get(uri.toString()));
    this.pending.delete(uri.toString());
    await this.files.discard(uri);
  }

  private saveSoon(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (document.uri.scheme !== draftScheme) return;
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (document.isDirty && !document.isClosed) void document.save();
      }, saveDelayMs),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.pending.forEach((timer) => clearTimeout(timer));
  }
}
