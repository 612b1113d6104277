import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

const lastFolderKey = 'dbTickets.lastDownloadFolder';

/** The user's downloads folder: XDG_DOWNLOAD_DIR where the desktop names one, else ~/Downloads, else the home folder. */
export function downloadsFolder(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  for (const folder of [env.XDG_DOWNLOAD_DIR, join(home, 'Downloads')]) {
    if (folder && isFolder(folder)) return folder;
  }
  return home;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/**
 * Where a download is offered to be saved: the folder the user chose last time (while it exists), else the downloads
 * folder — never inside the workspace unless the user picks it, as a result is data, not source.
 */
export class DownloadFolder {
  constructor(private readonly memento: vscode.Memento) {}

  suggest(name: string): vscode.Uri {
    const last = this.memento.get<string>(lastFolderKey);
    return vscode.Uri.file(join(last && isFolder(last) ? last : downloadsFolder(), name));
  }

  /** Remembers the folder of a file the user chose to save to. */
  async chose(target: vscode.Uri): Promise<void> {
    if (target.scheme === 'file') await this.memento.update(lastFolderKey, dirname(target.fsPath));
  }
}
