import * as vscode from 'vscode';
import { localProfile } from '../../backends/profiles';
import { summarizeDraft } from '../../core/draft/draftSummary';
import { log } from '../shared/log';
import { draftRoot, draftScheme, draftUri } from './draftFiles';

/** A draft not yet submitted, as the Tickets view lists it. */
export interface ListedDraft {
  id: string;
  /** Where it opens: `db-tickets-draft:/<title>.sql?<id>`. */
  uri: vscode.Uri;
  /** Its header's title, else the file name it opens under. */
  title: string;
  kind: string;
  database: string;
  /** The profile it goes to: its header's, else the Local profile (as Submit decides). */
  profile: string;
  /** When it was last saved, in milliseconds since the epoch. */
  savedAt: number;
}

/** The drafts to list and when that changes; the Tickets view's source of drafts. */
export interface DraftSource {
  list(): Promise<ListedDraft[]>;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The stored drafts, read through the draft file system and kept current by watching it: a draft created, saved,
 * submitted or discarded is reported by the file system itself. The list is read again on such a report, and
 * `onDidChange` fires only when what the Tickets view shows of it changed — a save while typing that changes no header
 * line draws nothing again. A file that is no draft (not UTF-8 text, unreadable) is skipped and logged once, never an
 * error; a draft is read again only when its size or time changed.
 */
export class DraftList implements DraftSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(draftRoot, '*'));
  private readonly known = new Map<string, { stamp: string; draft?: ListedDraft }>();
  private listing: Promise<ListedDraft[]> | undefined;
  /** The list as last read: what the view was last given, or is about to be. */
  private lastRead: ListedDraft[] | undefined;
  private reports = 0;

  constructor() {
    const changed = () => void this.readAgain();
    this.watcher.onDidCreate(changed);
    this.watcher.onDidChange(changed);
    this.watcher.onDidDelete(changed);
  }

  /** Every stored draft, the most recently saved first; those who ask while a listing runs share it. */
  list(): Promise<ListedDraft[]> {
    if (!this.listing) {
      const listing = this.read().finally(() => {
        if (this.listing === listing) this.listing = undefined;
      });
      this.listing = listing;
    }
    return this.listing;
  }

  private async readAgain(): Promise<void> {
    const report = ++this.reports;
    const before = this.lastRead;
    this.listing = undefined; // a listing begun before the report may have missed it
    // Its own read, not shared with callers of `list`: one who asks later must not get a read begun before they asked.
    const drafts = await this.read();
    if (report === this.reports && !sameAsShown(before, drafts)) this.changed.fire();
  }

  private async read(): Promise<ListedDraft[]> {
    let entries: Array<[string, vscode.FileType]>;
    try {
      entries = await vscode.workspace.fs.readDirectory(draftRoot);
    } catch (error) {
      log.warn(`listing the drafts: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
    const ids = entries.filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.sql')).map(([name]) => name.slice(0, -'.sql'.length));
    const drafts = await Promise.all(ids.map((id) => this.readOne(id)));
    const stored = new Set(ids);
    for (const id of this.known.keys()) if (!stored.has(id)) this.known.delete(id);
    this.lastRead = drafts.filter((draft) => draft !== undefined).sort((a, b) => b.savedAt - a.savedAt);
    return this.lastRead;
  }

  private async readOne(id: string): Promise<ListedDraft | undefined> {
    const stored = vscode.Uri.from({ scheme: draftScheme, path: `/${id}.sql`, query: id });
    let stamp = '';
    try {
      const { mtime, size } = await vscode.workspace.fs.stat(stored);
      stamp = `${mtime}:${size}`;
      const known = this.known.get(id);
      if (known?.stamp === stamp) return known.draft;
      const summary = summarizeDraft(await vscode.workspace.fs.readFile(stored));
      if (!summary) throw new Error('it is not UTF-8 text');
      const uri = draftUri(summary.title, id);
      const title = summary.title || uri.path.slice(1);
      const draft = { id, uri, title, kind: summary.kind, database: summary.database, profile: summary.profile || localProfile.name, savedAt: mtime };
      this.known.set(id, { stamp, draft });
      return draft;
    } catch (error) {
      if (this.known.get(id)?.stamp !== stamp) log.warn(`skipping the stored draft ${id}.sql: ${error instanceof Error ? error.message : String(error)}`);
      this.known.set(id, { stamp });
      return undefined;
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** Whether two lists of drafts look the same in the Tickets view: the same drafts, headers and order, saved in the same minute. */
function sameAsShown(before: ListedDraft[] | undefined, after: ListedDraft[]): boolean {
  const shown = (draft: ListedDraft) => [draft.id, draft.title, draft.kind, draft.database, draft.profile, Math.floor(draft.savedAt / 60_000)].join('\n');
  return before !== undefined && before.length === after.length && before.every((draft, i) => shown(draft) === shown(after[i]));
}
