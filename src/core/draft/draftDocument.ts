import type { TicketKind } from '../model/ticketKind';

/** The header fields a draft shows above its SQL. Empty fields are shown so they can be filled in as text. */
export interface DraftHeader {
  kind: TicketKind;
  /** Why this kind: inferred from the SQL, or chosen by the user. */
  kindReason: string;
  profile: string;
  database: string;
  title: string;
  reason: string;
}

const fieldOrder: Array<[keyof Omit<DraftHeader, 'kindReason'>, string]> = [
  ['kind', 'Kind'],
  ['profile', 'Profile'],
  ['database', 'Database'],
  ['title', 'Title'],
  ['reason', 'Reason'],
];

/**
 * Renders a draft as a SQL document: a block of `-- Field: value` comments above the SQL, so the editor
 * highlights it as SQL and every field stays editable as text. The SQL is kept byte for byte.
 */
export function renderDraftDocument(header: DraftHeader, sql: string): string {
  const lines = fieldOrder.map(([key, label]) => {
    const value = key === 'kind' ? `${header.kind} (${header.kindReason})` : oneLine(header[key]);
    return `-- ${label}: ${value}`.trimEnd();
  });
  return `${lines.join('\n')}\n\n${sql}`;
}

/** Header values live on one comment line each: line breaks would end the comment and leak into the SQL. */
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A draft document read back: the header's fields as typed, and the SQL below them. */
export interface ParsedDraft {
  kind: string;
  profile: string;
  database: string;
  title: string;
  reason: string;
  sql: string;
  /** Header lines that name no known field, 1-based, so a typo is reported instead of silently ignored. */
  unknownFields: Array<{ line: number; field: string }>;
}

const headerLine = /^--\s*([A-Za-z][\w .]*?)\s*:(.*)$/;

/**
 * Reads a draft document: the leading `-- Field: value` lines, then (after the first other line) the SQL, kept
 * byte for byte. The kind is the first word of its line, so `DATA_EXPORT (inferred: …)` reads as DATA_EXPORT.
 */
export function parseDraftDocument(text: string): ParsedDraft {
  const draft: ParsedDraft = { kind: '', profile: '', database: '', title: '', reason: '', sql: '', unknownFields: [] };
  const labels = new Map(fieldOrder.map(([key, label]) => [label.toLowerCase(), key]));
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const next = end === -1 ? text.length : end + 1;
    const match = headerLine.exec(text.slice(offset, end === -1 ? text.length : end).replace(/\r$/, ''));
    if (!match) break;
    line += 1;
    const key = labels.get(match[1].toLowerCase());
    const value = match[2].trim();
    if (key === 'kind') draft.kind = value.split(/\s/)[0] ?? '';
    else if (key) draft[key] = value;
    else draft.unknownFields.push({ line, field: match[1] });
    offset = next;
  }
  // The blank line the renderer puts between header and SQL is not part of the SQL.
  draft.sql = text.slice(offset).replace(/^\r?\n/, '');
  return draft;
}
