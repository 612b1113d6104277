import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';

export const draftScheme = 'db-tickets-draft';

/** The draft id of a draft document's URI; undefined for any other document. */
export function draftIdOf(uri: vscode.Uri): string | undefined {
  return uri.scheme === draftScheme && uri.query ? uri.query : undefined;
}

/**
 * `db-tickets-draft:/<file name>.sql?<draft id>`: the id rides in the query, so it survives a window reload with the
 * document, while the editor's tab and breadcrumbs show only the name.
 */
const draftName = /^\/([^/\\]{1,120}\.sql)$/;
const draftId = /^[\w-]{1,64}$/;
const storedName = /^[\w-]{1,64}\.sql$/;

/** The folder of every draft, as `readDirectory` lists it and a file system watcher watches it. */
export const draftRoot = vscode.Uri.from({ scheme: draftScheme, path: '/' });

/** A file name from the draft's title, for the editor tab: "Export customers.sql". */
function fileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters cannot be in a file name
  const name = title.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-').trim().slice(0, 60).trim();
  return `${name || 'draft'}.sql`;
}

/** The URI a draft is opened under: its title as the file name, its id in the query. */
export function draftUri(title: string, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: draftScheme, path: `/${fileName(title)}`, query: id });
}

/**
 * Ticket drafts as files in the extension's storage, under the `db-tickets-draft:` scheme: they are saved as the
 * user types and reopened by VS Code after a window reload, without ever landing in the workspace.
 */
export class DraftFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  /** Drafts submitted or abandoned: a late save of their closed editor must not write them again. */
  private readonly discarded = new Set<string>();

  constructor(private readonly root: string) {}

  /** The file behind a draft URI (`<root>/<id>.sql`); anything but the root or a well-formed draft is refused. */
  private file(uri: vscode.Uri): string {
    if (uri.path === '/' || uri.path === '') return this.root;
    if (!draftName.test(uri.path) || !draftId.test(uri.query)) throw vscode.FileSystemError.FileNotFound(uri);
    return join(this.root, `${uri.query}.sql`);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const found = await stat(this.file(uri)).catch(() => undefined);
    if (!found) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: found.isDirectory() ? vscode.FileType.Directory : vscode.FileType.File, ctime: found.ctimeMs, mtime: found.mtimeMs, size: found.size };
  }

  /**
   * The stored drafts, each named `<id>.sql` (a name carries no title: open a draft as `draftUri(title, id)`). Only
   * regular files with a draft id's name are listed: temporary files, folders, links and stray files are left out.
   */
  async readDirectory(uri: vscode.Uri): Promise<Array<[string, vscode.FileType]>> {
    if (this.file(uri) !== this.root) throw vscode.FileSystemError.FileNotADirectory(uri);
    const entries = await readdir(this.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []; // no draft was ever saved
      throw error;
    });
    return entries.filter((entry) => entry.isFile() && storedName.test(entry.name)).map((entry) => [entry.name, vscode.FileType.File]);
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
    if (this.discarded.has(uri.query)) throw vscode.FileSystemError.Unavailable(uri);
    const file = this.file(uri);
    const exists = await stat(file).then(() => true, () => false);
    if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    await mkdir(this.root, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
    this.changed.fire([{ type: exists ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  /** Deletes a draft and refuses to write it again. */
  async discard(uri: vscode.Uri): Promise<void> {
    this.discarded.add(uri.query);
    await this.delete(uri);
  }

  async delete(uri: vscode.Uri): Promise<void> {
    await rm(this.file(uri), { force: true });
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  watch(): vscode.Disposable {
    // Only this provider writes the drafts; it reports its own changes.
    return new vscode.Disposable(() => undefined);
  }
}
