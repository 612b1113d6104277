import { parseDraftDocument } from './draftDocument';

/** What lists a stored draft: its header's fields, as typed (empty when absent). */
export interface DraftSummary {
  title: string;
  /** The kind's first word, e.g. DATA_EXPORT. */
  kind: string;
  profile: string;
  database: string;
}

/**
 * The header of a stored draft's bytes; undefined for a file that cannot be a draft — one that is not UTF-8 text or
 * holds a NUL, which no editor's draft does.
 */
export function summarizeDraft(bytes: Uint8Array): DraftSummary | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  if (text.includes('\0')) return undefined;
  const { title, kind, profile, database } = parseDraftDocument(text);
  return { title, kind, profile, database };
}
