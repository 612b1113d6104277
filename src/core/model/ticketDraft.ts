import { DbTicketsError } from '../errors';
import * as z from '../zod';
import { TicketKind } from './ticketKind';

const titleMaxLength = 200;

const message = {
  id: 'Draft id is missing: a draft gets its id when it is created, so create the draft again from the SQL.',
  title: 'Title is empty: write a short title that says what the ticket does, e.g. "Export customers".',
  titleLength: `Title is longer than ${titleMaxLength} characters: shorten it and put the details in the reason.`,
  kind: 'Kind is not a ticket kind: use DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE.',
  sql: 'SQL is empty: add the statements the ticket should run.',
  database: 'Database is empty: choose the database the SQL runs on.',
  reason: 'Reason is empty: say why the export or change is needed; approvers read it.',
  stakeholders: 'Stakeholders holds an empty name: remove the empty entry or enter a user name.',
  estimatedRows: 'Estimated rows is not a whole number of 0 or more: enter the expected row count, or leave it empty.',
  attachment: 'Attachment needs a file name and a path: add the file again.',
  backendFields: 'Backend fields are not a set of named values: fix the field names in the draft, or remove them.',
};

export const DraftAttachment = z.lazySchema(() =>
  z.object({
    name: z.string({ error: message.attachment }).check(z.trim(), z.minLength(1, { error: message.attachment })),
    path: z.string({ error: message.attachment }).check(z.minLength(1, { error: message.attachment })),
  }),
);
export type DraftAttachment = z.infer<typeof DraftAttachment>;

/** Everything typed for a ticket before it is submitted; `id` makes a retried submit find the ticket it created. */
export const TicketDraft = z.lazySchema(() =>
  z.object({
    id: z.string({ error: message.id }).check(z.minLength(1, { error: message.id })),
    title: z.string({ error: message.title }).check(z.trim(), z.minLength(1, { error: message.title }), z.maxLength(titleMaxLength, { error: message.titleLength })),
    kind: z.enum(TicketKind.options, { error: message.kind }),
    sql: z.string({ error: message.sql }).check(z.refine((sql) => sql.trim() !== '', { error: message.sql })),
    database: z.string({ error: message.database }).check(z.trim(), z.minLength(1, { error: message.database })),
    reason: z.string({ error: message.reason }).check(z.trim(), z.minLength(1, { error: message.reason })),
    stakeholders: z._default(
      z.array(z.string({ error: message.stakeholders }).check(z.trim(), z.minLength(1, { error: message.stakeholders })), { error: message.stakeholders }),
      [],
    ),
    estimatedRows: z.optional(z.int({ error: message.estimatedRows }).check(z.nonnegative({ error: message.estimatedRows }))),
    attachments: z._default(z.array(DraftAttachment, { error: message.attachment }), []),
    /** Fields only one backend understands, e.g. a DMS order's execution window. */
    backendFields: z._default(z.record(z.string(), z.unknown(), { error: message.backendFields }), {}),
  }),
);
export type TicketDraft = z.infer<typeof TicketDraft>;

export interface DraftProblem {
  /** The field at fault, e.g. "title" or "attachments.1.path". */
  field: string;
  message: string;
}

export type DraftValidation = { ok: true; draft: TicketDraft } | { ok: false; problems: DraftProblem[] };

/** Validates a draft; each problem names the field and how to fix it. */
export function validateDraft(input: unknown): DraftValidation {
  const result = TicketDraft.safeParse(input);
  if (result.success) return { ok: true, draft: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })) };
}

/** A draft a backend was handed, checked again: the draft, or a usage error that lists what is wrong with it. */
export function requireValidDraft(input: unknown): TicketDraft {
  const validation = validateDraft(input);
  if (!validation.ok) throw new DbTicketsError('usage', `The draft cannot be submitted: ${validation.problems.map((problem) => problem.message).join(' ')}`);
  return validation.draft;
}
