import { mkdir, readdir, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const draftScheme = 'db-tickets-draft';

/** `/<draft id>/<file name>.sql`: one folder a draft, so its id survives a window reload with the document. */
const draftPath = /^\/([\w-]{1,64})(?:\/([^/\\]{1,120}\.sql))?$/;

/**
 * Ticket drafts as files in the extension's storage, under the `db-tickets-draft:` scheme: they are saved as the
 * user types and reopened by VS Code after a window reload, without ever landing in the workspace.
 */
export class DraftFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly root: string) {}

  /** The file behind a draft URI; anything but the root, a draft folder or its `.sql` file is refused. */
  private file(uri: vscode.Uri): string {
    if (uri.path === '/' || uri.path === '') return this.root;
    const match = draftPath.exec(uri.path);
    if (!match) throw vscode.FileSystemError.FileNotFound(uri);
    return join(this.root, match[1], ...(match[2] ? [match[2]] : []));
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const found = await stat(this.file(uri)).catch(() => undefined);
    if (!found) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: found.isDirectory() ? vscode.FileType.Directory : vscode.FileType.File, ctime: found.ctimeMs, mtime: found.mtimeMs, size: found.size };
  }

  async readDirectory(uri: vscode.Uri): Promise<Array<[string, vscode.FileType]>> {
    const entries = await readdir(this.file(uri), { withFileTypes: true }).catch(() => []);
    return entries.map((entry) => [entry.name, entry.isDirectory() ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    try {
      return await readFile(this.file(uri));
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
  }

  /** Written to a temporary file first, so a crash mid-write leaves the previous draft intact. */
  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const file = this.file(uri);
    const exists = await stat(file).then(() => true, () => false);
    if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    await mkdir(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    this.changed.fire([{ type: exists ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    await rm(this.file(uri), { recursive: true, force: true });
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await mkdir(this.file(uri), { recursive: true });
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  watch(): vscode.Disposable {
    // Only this provider writes the drafts; it reports its own changes.
    return new vscode.Disposable(() => undefined);
  }
}
