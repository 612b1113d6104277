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
  stakeholders?: readonly string[];
  estimatedRows?: number;
  /** Files to attach, by path; shown only where the backend takes attachments. */
  attachments?: readonly string[];
  /** Fields only the backend understands (e.g. the ticket a re-submit replaces), as one JSON line; shown only when any. */
  backendFields?: Readonly<Record<string, unknown>>;
}

type TextField = Exclude<keyof DraftHeader, 'kindReason'>;

const fieldOrder: Array<[TextField, string]> = [
  ['kind', 'Kind'],
  ['profile', 'Profile'],
  ['database', 'Database'],
  ['title', 'Title'],
  ['reason', 'Reason'],
  ['stakeholders', 'Stakeholders'],
  ['estimatedRows', 'Estimated rows'],
  ['attachments', 'Attachments'],
  ['backendFields', 'Backend fields'],
];

/** The label of a field's header line, for messages that point at it. */
export function draftFieldLabel(field: string): string | undefined {
  return fieldOrder.find(([key]) => key === field)?.[1];
}

/** Attachment paths are listed on one line, separated by this. */
const attachmentSeparator = ' | ';

/**
 * Renders a draft as a SQL document: a block of `-- Field: value` comments above the SQL, so the editor
 * highlights it as SQL and every field stays editable as text. The SQL is kept byte for byte. Attachments
 * appear only when the header carries them (an empty list still shows its line, ready to fill in).
 */
export function renderDraftDocument(header: DraftHeader, sql: string): string {
  const values: Record<TextField, string | undefined> = {
    kind: `${header.kind} (${header.kindReason})`,
    profile: header.profile,
    database: header.database,
    title: header.title,
    reason: header.reason,
    stakeholders: (header.stakeholders ?? []).join(', '),
    estimatedRows: header.estimatedRows === undefined ? '' : String(header.estimatedRows),
    attachments: header.attachments?.join(attachmentSeparator),
    backendFields: header.backendFields && Object.keys(header.backendFields).length > 0 ? JSON.stringify(header.backendFields) : undefined,
  };
  const lines = fieldOrder
    .filter(([key]) => values[key] !== undefined)
    .map(([key, label]) => `-- ${label}: ${oneLine(values[key] ?? '')}`.trimEnd());
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
  stakeholders: string[];
  /** As typed; `readEstimatedRows` turns it into a number. */
  estimatedRows: string;
  attachments: string[];
  /** As typed; `readBackendFields` turns it into named values. */
  backendFields: string;
  sql: string;
  /** 1-based line of each field present in the header, for messages that point at it. */
  lines: Partial<Record<TextField, number>>;
  /** Header lines that name no known field, 1-based, so a typo is reported instead of silently ignored. */
  unknownFields: Array<{ line: number; field: string }>;
}

const headerLine = /^--\s*([A-Za-z][\w .]*?)\s*:(.*)$/;

/**
 * Reads a draft document: the leading `-- Field: value` lines, then (after the first other line) the SQL, kept
 * byte for byte. The kind is the first word of its line, so `DATA_EXPORT (inferred: …)` reads as DATA_EXPORT.
 */
export function parseDraftDocument(text: string): ParsedDraft {
  const draft: ParsedDraft = {
    kind: '',
    profile: '',
    database: '',
    title: '',
    reason: '',
    stakeholders: [],
    estimatedRows: '',
    attachments: [],
    backendFields: '',
    sql: '',
    lines: {},
    unknownFields: [],
  };
  const labels = new Map(fieldOrder.map(([key, label]) => [label.toLowerCase(), key]));
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const next = end === -1 ? text.length : end + 1;
    const match = headerLine.exec(text.slice(offset, end === -1 ? text.length : end).replace(/\r$/, ''));
    if (!match) break;
    line += 1;
    const key = labels.get(match[1].toLowerCase().replace(/\s+/g, ' '));
    const value = match[2].trim();
    if (key) draft.lines[key] = line;
    if (key === 'kind') draft.kind = value.split(/\s/)[0] ?? '';
    else if (key === 'stakeholders') draft.stakeholders = listOf(value, ',');
    else if (key === 'attachments') draft.attachments = listOf(value, attachmentSeparator.trim());
    else if (key) draft[key] = value;
    else draft.unknownFields.push({ line, field: match[1] });
    offset = next;
  }
  // The blank line the renderer puts between header and SQL is not part of the SQL.
  draft.sql = text.slice(offset).replace(/^\r?\n/, '');
  return draft;
}

function listOf(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The "Estimated rows" field as a number: empty is none; digits may be grouped with `,`, `_` or spaces
 * ("1,200"). Anything else is `NaN`, for the caller to report against the line.
 */
export function readEstimatedRows(value: string): number | undefined {
  if (value === '') return undefined;
  const digits = value.replace(/[,_\s]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
}

/**
 * The "Backend fields" line as named values: empty is none; otherwise a JSON object such as {"resubmitOf":"12"}.
 * Anything else gives the reason, for the caller to report against the line.
 */
export function readBackendFields(value: string): { ok: true; fields: Record<string, unknown> } | { ok: false; reason: string } {
  if (value === '') return { ok: true, fields: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `${Array.isArray(parsed) ? 'a list' : JSON.stringify(parsed)} is not a set of named values` };
  }
  return { ok: true, fields: parsed as Record<string, unknown> };
}
