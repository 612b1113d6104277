import * as z from '../../../core/zod';
import { TicketKind } from '../../../core/model/ticketKind';

/**
 * The Local backend's event log: one event a line, oldest first. The format is kept stable and diff-friendly
 * because a team may keep the log in git as its audit trail: add fields as optional, never rename or remove.
 */

const base = {
  /** The ticket's number: "1", "2", … */
  ticket: z.string().check(z.regex(/^[1-9]\d*$/)),
  /** ISO 8601. */
  at: z.string().check(z.minLength(1)),
  /** Who did it: a configured name or the OS user. */
  by: z.string().check(z.minLength(1)),
  /**
   * The ticket's unique key, chosen at random when it is submitted and repeated on each of its events: tells apart
   * two tickets that got the same number on two copies of the log (git branches) later merged. Absent on events
   * written before it existed.
   */
  uid: z.optional(z.string().check(z.regex(/^[0-9a-f]{8}$/))),
};
const comment = z.optional(z.string());

export const PrecheckItem = z.object({
  check: z.string(),
  status: z.enum(['passed', 'warning', 'failed']),
  message: z.string(),
});
export type PrecheckItem = z.infer<typeof PrecheckItem>;

export const StatementOutcome = z.object({
  index: z.int().check(z.positive()),
  status: z.enum(['succeeded', 'failed', 'skipped', 'rolled_back']),
  rows: z.optional(z.int().check(z.nonnegative())),
  message: z.optional(z.string()),
});
export type StatementOutcome = z.infer<typeof StatementOutcome>;

const ExportFormat = z.enum(['csv', 'jsonl']);

export const ResultFile = z.object({
  /** Relative to the store folder, with forward slashes, e.g. "results/12/result.csv". */
  file: z.string().check(z.minLength(1)),
  format: ExportFormat,
  columns: z.array(z.string()),
  bytes: z.int().check(z.nonnegative()),
  /** SHA-256 of the file (hex), checked with `bytes` on every download. Absent in results of older versions. */
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
});
export type ResultFile = z.infer<typeof ResultFile>;

export const SubmittedEvent = z.object({
  type: z.literal('submitted'),
  ...base,
  /** The draft's id: a second submit of the same draft finds this ticket. */
  draftId: z.string().check(z.minLength(1)),
  title: z.string(),
  kind: TicketKind,
  database: z.string(),
  reason: z.string(),
  stakeholders: z.array(z.string()),
  estimatedRows: z.optional(z.int().check(z.nonnegative())),
  /** An export's file format, when the draft chose one. */
  format: z.optional(ExportFormat),
  /** The ticket this one re-submits, when it was drafted from another. */
  resubmitOf: z.optional(z.string()),
  sql: z.string(),
});

export const PrecheckedEvent = z.object({
  type: z.literal('prechecked'),
  ...base,
  passed: z.boolean(),
  /** The database's own estimate (EXPLAIN, or a count on the demo database), when it has one. */
  estimatedRows: z.optional(z.int().check(z.nonnegative())),
  items: z.array(PrecheckItem),
});

export const ApprovedEvent = z.object({
  type: z.literal('approved'),
  ...base,
  /** The approver submitted the ticket. */
  self: z.boolean(),
  comment,
});

export const RejectedEvent = z.object({ type: z.literal('rejected'), ...base, comment });
export const CancelledEvent = z.object({ type: z.literal('cancelled'), ...base, comment });
export const CommentedEvent = z.object({ type: z.literal('commented'), ...base, comment: z.string().check(z.minLength(1)) });

export const ExecutionStartedEvent = z.object({
  type: z.literal('execution_started'),
  ...base,
  /** Which process runs it, so an execution whose process died can be told from one still running. */
  host: z.string(),
  pid: z.int(),
  /** How often the process renews its heartbeat file (executions/<id>.heartbeat); absent in older versions. */
  heartbeatMs: z.optional(z.int().check(z.positive())),
});

export const ExecutionSucceededEvent = z.object({
  type: z.literal('execution_succeeded'),
  ...base,
  /** Rows exported, or rows affected by a change. */
  rows: z.int().check(z.nonnegative()),
  statements: z.optional(z.array(StatementOutcome)),
  result: z.optional(ResultFile),
});

export const ExecutionFailedEvent = z.object({
  type: z.literal('execution_failed'),
  ...base,
  message: z.string(),
  /** The statement (1-based) where execution stopped, when known. */
  stoppedAt: z.optional(z.int().check(z.positive())),
  statements: z.optional(z.array(StatementOutcome)),
  /** Recorded by a reader that found the executing process gone (a crash), not by the process itself. */
  interrupted: z.optional(z.boolean()),
});

/** Execution stopped before it changed anything (an export cancelled, a change rolled back): the ticket is approved again. */
export const ExecutionCancelledEvent = z.object({
  type: z.literal('execution_cancelled'),
  ...base,
  message: z.string(),
  /** Recorded by a reader that found the executing process gone: an export, safe to run again. */
  interrupted: z.optional(z.boolean()),
});

export const StoreEvent = z.discriminatedUnion('type', [
  SubmittedEvent,
  PrecheckedEvent,
  ApprovedEvent,
  RejectedEvent,
  CancelledEvent,
  CommentedEvent,
  ExecutionStartedEvent,
  ExecutionSucceededEvent,
  ExecutionFailedEvent,
  ExecutionCancelledEvent,
]);
export type StoreEvent = z.infer<typeof StoreEvent>;
export type StoreEventType = StoreEvent['type'];
export type EventOf<T extends StoreEventType> = Extract<StoreEvent, { type: T }>;
