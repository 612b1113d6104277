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
