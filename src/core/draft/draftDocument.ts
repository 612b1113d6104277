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
  /** The draft's id, for drafts kept as files (`db-tickets draft`): submitting the file again finds the same ticket. */
  draftId?: string;
}

type TextField = Exclude<keyof DraftHeader, 'kindReason' | 'draftId'>;

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
  if (header.draftId) lines.push(`-- Draft id: ${oneLine(header.draftId)}`);
  return `${lines.join('\n')}\n\n${sql}`;
}

/** Header values live on one comment line each: line breaks would end the comment and leak into the SQL. */
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A draft document read back: the header's fields as typed, and the SQL below them. */
export interface ParsedDraft {
  /** The draft's id from its `-- Draft id:` line; empty when it has none (the extension keeps it in the URI). */
  draftId: string;
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
  /** 1-based line of the document where the SQL starts. */
  sqlLine: number;
  /**
   * 1-based line where the header starts (its first field line, else line 1): where a missing field line goes.
   * Absent for drafts that are not read from a document (the CLI's options), whose problems name no line.
   */
  headerLine?: number;
  /** 1-based line of each field present in the header, for messages that point at it. */
  lines: Partial<Record<TextField | 'draftId', number>>;
  /** Header lines that look like a field but name none (a typo) or lack the colon, 1-based, so they are reported. */
  unknownFields: Array<{ line: number; field: string; hint?: string }>;
}

// With the s flag, as `.` would stop at a U+2028 or U+2029 in a value (a pasted title) and lose the line.
const headerLine = /^--\s*([A-Za-z][\w .]*?)\s*:(.*)$/s;
const commentLine = /^--(.*)$/s;

/** Whether two labels differ by at most two edits (insert, delete, replace): a typo rather than another word. */
function nearly(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length] <= 2;
}

/**
 * Reads a draft document: the header — `-- Field: value` lines, with blank lines and ordinary comments before or
 * between them — then the SQL, kept byte for byte from the line after the last field (less the one blank line the
 * renderer puts there). Comments after the last field belong to the SQL. The kind is the first word of its line, so
 * `DATA_EXPORT (inferred: …)` reads as DATA_EXPORT. A comment that nearly names a field, or names one without its
 * colon, is reported with its line rather than taken as an ordinary comment.
 */
export function parseDraftDocument(text: string): ParsedDraft {
  const draft: ParsedDraft = {
    draftId: '',
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
    sqlLine: 1,
    lines: {},
    unknownFields: [],
  };
  const labels = new Map<string, TextField | 'draftId'>([...fieldOrder.map(([key, label]) => [label.toLowerCase(), key] as const), ['draft id', 'draftId']]);
  let offset = 0;
  let line = 0;
  let sqlOffset = 0;
  let sqlLine = 1;
  let firstFieldLine: number | undefined;
  const report = (unknown: ParsedDraft['unknownFields'][number]) => {
    draft.unknownFields.push(unknown);
    firstFieldLine ??= unknown.line;
  };
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const next = end === -1 ? text.length : end + 1;
    const content = text.slice(offset, end === -1 ? text.length : end).replace(/\r$/, '');
    line += 1;
    offset = next;
    if (content.trim() === '') continue;
    const comment = commentLine.exec(content.trim());
    if (!comment) break;
    const match = headerLine.exec(content.trim());
    const label = match?.[1].toLowerCase().replace(/\s+/g, ' ');
    const key = label === undefined ? undefined : labels.get(label);
    if (key && match) {
      const value = match[2].trim();
      draft.lines[key] = line;
      firstFieldLine ??= line;
      if (key === 'kind') draft.kind = value.split(/\s/)[0] ?? '';
      else if (key === 'stakeholders') draft.stakeholders = listOf(value, ',');
      else if (key === 'attachments') draft.attachments = listOf(value, attachmentSeparator.trim());
      else draft[key] = value;
      sqlOffset = next;
      sqlLine = line + 1;
      continue;
    }
    if (label !== undefined) {
      const near = [...labels].find(([known]) => nearly(label, known));
      if (near) report({ line, field: match![1], hint: labelOf(near[1]) });
      continue;
    }
    // "-- Kind DATA_EXPORT": a field's label without its colon.
    const words = comment[1].trim().toLowerCase();
    const named = [...labels].find(([known]) => words.startsWith(`${known} `));
    if (named) report({ line, field: comment[1].trim().slice(0, named[0].length), hint: `${labelOf(named[1])}:` });
  }
  draft.headerLine = firstFieldLine ?? 1;
  // The blank line the renderer puts between header and SQL is not part of the SQL.
  const blank = /^\r?\n/.exec(text.slice(sqlOffset));
  draft.sql = text.slice(sqlOffset + (blank && sqlOffset > 0 ? blank[0].length : 0));
  draft.sqlLine = sqlLine + (blank && sqlOffset > 0 ? 1 : 0);
  return draft;
}

function labelOf(key: TextField | 'draftId'): string {
  return key === 'draftId' ? 'Draft id' : draftFieldLabel(key)!;
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
