import * as z from 'zod';

// The shapes of `db-tickets --json`, as docs/cli-json.md documents them. Strict objects: a field the page does not
// name fails the check, so the page and the output cannot drift apart.

// With an offset or Z; without one where the service gives none (DMS's times are the tenant's own).
const time = z.iso.datetime({ offset: true, local: true });
const person = z.strictObject({ id: z.string(), name: z.string() });
const state = z.enum(['draft', 'prechecking', 'pending_approval', 'needs_you', 'approved', 'executing', 'succeeded', 'failed', 'rejected', 'cancelled', 'unknown']);
const status = z.strictObject({ state, native: z.string() });
const attachment = z.strictObject({ name: z.string(), size: z.number().optional(), id: z.string().optional() });

const ticketFields = {
  id: z.string(),
  title: z.string(),
  kind: z.enum(['DATA_EXPORT', 'SCHEMA_CHANGE', 'DATA_CHANGE']).nullable(),
  status,
  database: z.string().optional(),
  submitter: person.optional(),
  approver: person.optional(),
  createdAt: time,
  updatedAt: time,
  needsYou: z.boolean(),
  actions: z.array(z.string()),
  sqlExcerpt: z.string().optional(),
  webUrl: z.string().optional(),
  unreadReplies: z.number().optional(),
};
const ticket = z.strictObject(ticketFields);
const ticketDetail = z.strictObject({
  ...ticketFields,
  sql: z.string(),
  filedAs: z.string().optional(),
  dialect: z.string().optional(),
  reason: z.string().optional(),
  stakeholders: z.array(person),
  estimatedRows: z.number().optional(),
  precheck: z.strictObject({ passed: z.boolean(), items: z.array(z.strictObject({ check: z.string(), status: z.enum(['passed', 'warning', 'failed']), message: z.string() })) }).optional(),
  approvals: z.array(
    z.strictObject({ name: z.string(), state: z.enum(['waiting', 'current', 'approved', 'rejected', 'skipped']), approvers: z.array(person), actedBy: person.optional(), at: time.optional(), comment: z.string().optional() }),
  ),
  comments: z.array(z.strictObject({ author: person, at: time, text: z.string() })),
  attachments: z.array(attachment),
  execution: z
    .strictObject({
      startedAt: time.optional(),
      finishedAt: time.optional(),
      rows: z.number().optional(),
      message: z.string().optional(),
      statements: z.array(z.strictObject({ index: z.number(), status: z.enum(['succeeded', 'failed', 'skipped', 'rolled_back']), rows: z.number().optional(), message: z.string().optional() })).optional(),
      hasResult: z.boolean(),
      resultName: z.string().optional(),
    })
    .optional(),
  history: z.array(z.strictObject({ at: time, actor: person, action: z.string(), comment: z.string().optional() })),
});
const saved = z.strictObject({ path: z.string(), bytes: z.number() });
const storeProblem = z.strictObject({ file: z.string(), line: z.number(), kind: z.enum(['damaged', 'incomplete', 'invalid', 'unknown', 'refused', 'duplicate']), what: z.string(), message: z.string() });
const position = z.strictObject({ line: z.number(), column: z.number() });
const counted = { found: z.number(), copied: z.number(), already: z.number() };
const refusal = z.strictObject({ id: z.string(), why: z.string() });

/** Every object carries the version of these shapes first. */
const versioned = <T extends z.ZodRawShape>(shape: z.ZodObject<T>) => shape.extend({ schemaVersion: z.literal(1) });
/** What an action prints: the ticket as the service answers, a summary or (the Local backend) the whole ticket. */
const acted = z.union([versioned(ticket), versioned(ticketDetail)]);

const analysis = z.strictObject({
  /** With several files: the file this line describes. */
  file: z.string().optional(),
  dialect: z.string(),
  ticketKind: z.enum(['DATA_EXPORT', 'SCHEMA_CHANGE', 'DATA_CHANGE']).nullable(),
  reason: z.string(),
  statements: z.array(
    z.strictObject({
      index: z.number(),
      text: z.string(),
      start: position,
      end: position,
      kind: z.string(),
      risks: z.array(z.strictObject({ rule: z.string(), severity: z.enum(['error', 'warning', 'info']), message: z.string() })),
    }),
  ),
});

/** Each command's --json object (for `attachments`, the listing; `--download` prints `saved`). */
export const cliJsonShapes = {
  analyze: versioned(analysis),
  create: acted,
  submit: acted,
  draft: versioned(z.strictObject({ id: z.string(), draft: z.string() })),
  list: versioned(z.strictObject({ items: z.array(ticket), total: z.number().optional(), nextCursor: z.string().optional() })),
  show: versioned(ticketDetail),
  approve: acted,
  reject: acted,
  cancel: acted,
  reopen: acted,
  close: acted,
  urge: acted,
  transfer: acted,
  comment: acted,
  delete: acted,
  execute: acted,
  score: acted,
  download: versioned(saved),
  watch: versioned(z.strictObject({ id: z.string(), status, at: time })),
  check: versioned(z.strictObject({ facts: z.array(z.strictObject({ label: z.string(), value: z.string() })), warnings: z.array(z.string()) })),
  relate: versioned(z.strictObject({ items: z.array(z.strictObject({ id: z.string(), title: z.string(), submitter: z.string().optional() })) })),
  attachments: versioned(z.strictObject({ items: z.array(attachment) })),
  'attachments --download': versioned(saved),
  'store check': versioned(z.strictObject({ problems: z.array(storeProblem) })),
  'store init': versioned(z.strictObject({ applied: z.array(z.strictObject({ version: z.number(), what: z.string() })), rolesCreated: z.array(z.string()), version: z.number(), selfApproval: z.boolean() })),
  'store migrate': versioned(
    z.strictObject({
      from: z.string(),
      to: z.string(),
      tickets: z.strictObject({ ...counted, refused: z.array(refusal) }),
      events: z.strictObject(counted),
      results: z.strictObject({ copied: z.number(), already: z.number(), missing: z.array(refusal) }),
      problems: z.array(storeProblem),
      mismatches: z.array(z.string()),
    }),
  ),
};
export type CliJsonCommand = keyof typeof cliJsonShapes;

/** Checks one --json line of `command` against its documented shape; a mismatch names the command and the field. */
export function checkJsonShape(command: CliJsonCommand, line: string): Record<string, unknown> {
  const parsed = cliJsonShapes[command].safeParse(JSON.parse(line));
  if (!parsed.success) throw new Error(`db-tickets ${command} --json does not match docs/cli-json.md: ${z.prettifyError(parsed.error)}\n${line}`);
  return parsed.data as Record<string, unknown>;
}
