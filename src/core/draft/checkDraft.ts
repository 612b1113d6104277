import { basename } from 'node:path';
import type { BackendCapabilities } from '../backend/backend';
import { type Localizable, localized } from '../localizable';
import { type DraftValidation, type TicketDraft, validateDraft } from '../model/ticketDraft';
import { TicketKind } from '../model/ticketKind';
import { type AnalyzedStatement, analyzeSql } from '../rules/analyzeSql';
import { allowMore, checkTicketKind, defaultKindRules, type KindRules } from '../rules/kindRules';
import type { StatementKind } from '../sql/classify';
import type { SqlDialect } from '../sql/dialect';
import { draftFieldLabel, parseDraftDocument, type ParsedDraft, readBackendFields, readEstimatedRows } from './draftDocument';

/** What a draft cannot be submitted for, at a line of the document (1-based) where one is to blame. */
export interface DraftIssue {
  line?: number;
  /** The draft field at fault (e.g. "reason"), for front ends that name their own input for it. */
  field?: string;
  /** The risk lint that found it, for front ends that already mark the lint's findings (the editor's diagnostics). */
  rule?: string;
  message: Localizable;
}

/** A risk the user should confirm before submitting, at its statement's first line. */
export interface DraftWarning {
  line: number;
  rule: string;
  message: string;
}

/** What the backend will do with the draft that the user should know before submitting, at the Kind line. */
export interface DraftNote {
  line?: number;
  message: string;
}

/** The backend a draft goes to, as far as the draft's checks need it. */
export interface DraftTarget {
  /** Its display name, for messages ("Alibaba Cloud DMS"). */
  name: string;
  capabilities: Pick<BackendCapabilities, 'kinds' | 'kindAllowances' | 'kindNotes' | 'attachments' | 'attachmentsSetting'>;
}

export interface DraftCheckOptions {
  /** The draft's id when the document carries none (the extension keeps it in the draft's URI). */
  id?: string;
  dialect: SqlDialect;
  /** The backend's own limits: the kinds it takes, the statements it allows beyond the core rules, attachments. */
  target?: DraftTarget;
}

export type DraftCheck =
  | { ok: true; draft: TicketDraft; warnings: DraftWarning[]; note?: DraftNote; statements: AnalyzedStatement[] }
  | { ok: false; problems: DraftIssue[] };

/**
 * Turns a draft document (header comments + SQL; its text, or as `parseDraftDocument` read it) into a checked
 * `TicketDraft`, or into the problems that stop it, each at its line: the header's fields, the SQL against the ticket
 * kind (errors among the risks block; warnings are returned for the user to confirm), and the target backend's own
 * limits. The one path every front end submits through: the extension's drafts, the CLI's `create` and `draft`
 * (fields from options, lines counted in the SQL) and `submit FILE`.
 */
export function checkDraft(document: string | ParsedDraft, options: DraftCheckOptions): DraftCheck {
  const parsed = typeof document === 'string' ? parseDraftDocument(document) : document;
  const id = parsed.draftId || options.id;
  const target = options.target;
  const problems = headerProblems(parsed, id);
  const kind = TicketKind.safeParse(parsed.kind);
  let statements: AnalyzedStatement[] = [];
  if (kind.success) {
    if (target && !target.capabilities.kinds.includes(kind.data)) {
      problems.push({ line: parsed.lines.kind, message: localized('{0} does not take {1} tickets: choose another kind or another profile.', target.name, kind.data) });
    }
    // Analysed at the SQL's place in the document, so every line a message names is a line of the file.
    statements = analyzeSql(parsed.sql, { dialect: options.dialect, ticketKind: kind.data, rules: kindRules(target), start: { line: parsed.sqlLine, column: 1 } }).statements;
    for (const violation of checkTicketKind(kind.data, statements, kindRules(target))) {
      const statement = statements.find((s) => s.index === violation.statementIndex);
      problems.push({ line: statement?.start.line ?? parsed.sqlLine, message: violation.message });
    }
    for (const statement of statements) {
      for (const risk of statement.risks.filter((r) => r.severity === 'error')) problems.push({ line: statement.start.line, rule: risk.rule, message: risk.message });
    }
  }
  problems.push(...fieldProblems(parsed, target));
  const validation = validateFields(parsed, id);
  problems.push(...validationProblems(parsed, validation));
  if (problems.length > 0 || !validation.ok || !kind.success) return { ok: false, problems };
  const warnings = statements.flatMap((statement) =>
    statement.risks.filter((risk) => risk.severity === 'warning').map((risk) => ({ line: statement.start.line, rule: risk.rule, message: risk.message })),
  );
  const note = target?.capabilities.kindNotes?.[kind.data];
  return { ok: true, draft: validation.draft, warnings, note: note ? { line: parsed.lines.kind, message: note } : undefined, statements };
}

/**
 * The problems of a draft document's header alone, each at its line: a field mistyped, missing or not valid. No
 * backend and no SQL analysis, so it can run as the user types; `id` is the draft's id when the document has none.
 */
export function checkDraftHeader(text: string, id?: string): DraftIssue[] {
  const parsed = parseDraftDocument(text);
  const draftId = parsed.draftId || id;
  const fields = validationProblems(parsed, validateFields(parsed, draftId)).filter((problem) => problem.field !== 'sql');
  return [...headerProblems(parsed, draftId), ...fieldProblems(parsed, undefined), ...fields];
}

/** What is wrong with the header's lines themselves: a label mistyped, no draft id, no kind or not a kind. */
function headerProblems(parsed: ParsedDraft, id: string | undefined): DraftIssue[] {
  const problems: DraftIssue[] = parsed.unknownFields.map(({ line, field, hint }) => ({
    line,
    message: hint
      ? localized('The draft\'s header says "{0}": did you mean "{1}"? Fix the label, or remove the line.', field, hint)
      : localized('The draft\'s header names no field "{0}": use Kind, Profile, Database, Title, Reason, Stakeholders, Estimated rows, Attachments, Backend fields or Draft id.', field),
  }));
  if (!id) {
    problems.push({
      line: parsed.headerLine,
      message: localized('The draft has no "-- Draft id:" line: add one with any text unique to this ticket (e.g. the change\'s name), or make the draft with db-tickets draft.'),
    });
  }
  const kind = kindProblem(parsed);
  if (kind) problems.push(kind);
  return problems;
}

/** Why the header gives no ticket kind, at the line to fix or where to add one; undefined when it gives one. */
function kindProblem(parsed: ParsedDraft): DraftIssue | undefined {
  if (TicketKind.safeParse(parsed.kind).success) return undefined;
  const line = parsed.lines.kind;
  if (line) {
    return parsed.kind
      ? { line, field: 'kind', message: localized('The draft\'s Kind line says "{0}": write DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE.', parsed.kind) }
      : { line, field: 'kind', message: localized('The draft\'s Kind line is empty: write DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE after "-- Kind:".') };
  }
  // A mistyped "-- Knid:" is reported at its line, with the fix.
  if (parsed.unknownFields.some((unknown) => unknown.hint?.replace(/:$/, '') === 'Kind')) return undefined;
  const below = /^[ \t]*--[ \t]*kind[ \t]*:/im.exec(parsed.sql);
  if (below) {
    const sqlStart = parsed.sqlLine + linesBefore(parsed.sql, parsed.sql.search(/\S/));
    return {
      line: parsed.sqlLine + linesBefore(parsed.sql, below.index),
      field: 'kind',
      message: localized('This "-- Kind:" line comes after line {0}, which is not a "--" comment, so it is read as SQL: move the header lines above line {0}, or make line {0} a "--" comment.', sqlStart),
    };
  }
  return {
    line: parsed.headerLine,
    field: 'kind',
    message: localized('The draft has no "-- Kind:" line: add one at the top of the draft, e.g. "-- Kind: DATA_EXPORT" (or SCHEMA_CHANGE, DATA_CHANGE).'),
  };
}

/** How many line breaks come before `index` in `text`. */
function linesBefore(text: string, index: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The fields as the ticket draft's schema reads them. */
function validateFields(parsed: ParsedDraft, id: string | undefined): DraftValidation {
  const backendFields = readBackendFields(parsed.backendFields);
  return validateDraft({
    id,
    title: parsed.title,
    kind: parsed.kind,
    sql: parsed.sql,
    database: parsed.database,
    reason: parsed.reason,
    stakeholders: parsed.stakeholders,
    // NaN is not a whole number: the schema reports it with its message.
    estimatedRows: readEstimatedRows(parsed.estimatedRows),
    attachments: parsed.attachments.map((path) => ({ name: basename(path), path })),
    backendFields: backendFields.ok ? backendFields.fields : {},
  });
}

/**
 * The fields' own problems (empty, too long, not a number) at their header lines; a field without a line at the top
 * of the header, saying to add one. The id and the kind are said by `headerProblems`, with their fixes.
 */
function validationProblems(parsed: ParsedDraft, validation: DraftValidation): DraftIssue[] {
  if (validation.ok) return [];
  // A field whose label is mistyped is reported at that line, with the fix.
  const mistyped = new Set(parsed.unknownFields.map((unknown) => unknown.hint?.replace(/:$/, '')));
  const problems: DraftIssue[] = [];
  for (const problem of validation.problems) {
    const field = problem.field.split('.')[0];
    if (field === 'id' || field === 'kind') continue;
    const label = draftFieldLabel(field);
    const line = field === 'sql' ? parsed.sqlLine : parsed.lines[field as keyof ParsedDraft['lines']];
    if (label && !line && mistyped.has(label)) continue;
    if (label && line) problems.push({ line, field, message: localized('{0} (the draft\'s "-- {1}:" line)', problem.message, label) });
    else if (label && parsed.headerLine) problems.push({ line: parsed.headerLine, field, message: localized('{0} Add a "-- {1}:" line for it at the top of the draft.', problem.message, label) });
    else problems.push({ line, field, message: problem.message });
  }
  return problems;
}

function fieldProblems(parsed: ParsedDraft, target: DraftTarget | undefined): DraftIssue[] {
  const problems: DraftIssue[] = [];
  const backendFields = readBackendFields(parsed.backendFields);
  if (!backendFields.ok) {
    problems.push({
      line: parsed.lines.backendFields,
      field: 'backendFields',
      message: localized('The draft\'s "-- Backend fields:" line is not valid: {0}. Write the fields as JSON, e.g. {"resubmitOf": "12"}, or remove the line.', backendFields.reason),
    });
  }
  if (target && !target.capabilities.attachments && parsed.attachments.length > 0) {
    problems.push({
      line: parsed.lines.attachments,
      field: 'attachments',
      message: target.capabilities.attachmentsSetting
        ? localized('{0} takes attachments only when its profile sets "{2}", and the draft names {1}: set it, remove the "-- Attachments:" line, or send the ticket to another profile.', target.name, parsed.attachments.length, target.capabilities.attachmentsSetting)
        : localized('{0} takes no attachments, and the draft names {1}: remove the "-- Attachments:" line, or send the ticket to another profile.', target.name, parsed.attachments.length),
    });
  }
  return problems;
}

/** The core kind rules, widened by what the backend allows beyond them (e.g. DDL in a data-change ticket). */
function kindRules(target: DraftTarget | undefined): KindRules {
  let rules = defaultKindRules;
  for (const [kind, kinds] of Object.entries(target?.capabilities.kindAllowances ?? {})) {
    rules = allowMore(rules, kind as TicketKind, kinds as StatementKind[], target!.name);
  }
  return rules;
}
