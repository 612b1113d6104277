import { DbTicketsError, errorKinds } from '../../../../core/errors';
import * as z from '../../../../core/zod';

// The messages between DemoEngine (the caller's thread) and demoWorker (the thread that runs the database). Both
// sides parse what they receive, so a mismatch between the two bundles shows up as a clear error, not a hang.

/** What the worker is started with (`workerData`). */
export const DemoWorkerData = z.object({ name: z.string(), dataDir: z.optional(z.string()) });
export type DemoWorkerData = z.infer<typeof DemoWorkerData>;

const id = z.int().check(z.positive());
const statements = z.array(z.string());
const ExportFormat = z.enum(['csv', 'jsonl']);
/** `aborted`: the caller's signal had already fired when the request was sent. */
const options = z.object({ timeoutMs: z.optional(z.number()), aborted: z.optional(z.boolean()) });

export const DemoRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('estimateRows'), id, sql: z.string(), options }),
  z.object({ type: z.literal('validate'), id, statements, options }),
  z.object({ type: z.literal('execute'), id, statements, options }),
  z.object({ type: z.literal('export'), id, sql: z.string(), format: ExportFormat, options }),
  /** The caller's signal fired: stop at the next statement or batch. */
  z.object({ type: z.literal('abort'), id }),
  /** The caller wrote an export chunk to its stream: the worker may send another. */
  z.object({ type: z.literal('written'), id }),
  /** Close the database; the worker then exits. */
  z.object({ type: z.literal('close') }),
]);
export type DemoRequest = z.infer<typeof DemoRequest>;
export type DemoOperation = Extract<DemoRequest, { options: unknown }>;

const WireError = z.object({
  kind: z.enum(errorKinds),
  message: z.string(),
  /** The driver's own error, kept for the log. */
  cause: z.optional(z.object({ message: z.string(), code: z.optional(z.string()) })),
});
type WireError = z.infer<typeof WireError>;

export const DemoReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('done'), id, value: z.unknown() }),
  z.object({ type: z.literal('failed'), id, error: WireError }),
  z.object({ type: z.literal('chunk'), id, data: z.custom<Uint8Array>((value) => value instanceof Uint8Array) }),
  z.object({ type: z.literal('progress'), id, rows: z.int().check(z.nonnegative()) }),
]);
export type DemoReply = z.infer<typeof DemoReply>;

/** What each operation's `done` carries, checked on arrival. */
export const demoResults = {
  estimateRows: z.optional(z.object({ rows: z.number(), source: z.string() })),
  validate: z.array(z.object({ index: z.int(), status: z.enum(['ok', 'error', 'not_checked']), message: z.optional(z.string()) })),
  execute: z.array(
    z.object({
      index: z.int(),
      status: z.enum(['succeeded', 'failed', 'skipped', 'rolled_back']),
      rowsAffected: z.optional(z.number()),
      message: z.optional(z.string()),
    }),
  ),
  export: z.object({ rows: z.int(), bytes: z.int(), columns: z.array(z.string()) }),
};

/** An error as it crosses the thread boundary: its kind and message as the user will read them, and its cause's gist. */
export function toWire(error: unknown): WireError {
  const cause = error instanceof DbTicketsError ? error.cause : error;
  const wire: WireError =
    error instanceof DbTicketsError
      ? { kind: error.kind, message: error.message }
      : { kind: 'failed', message: `The demo database failed unexpectedly: ${(error as Error)?.message ?? String(error)}. Try again; if it keeps failing, restart the editor or the command.` };
  if (cause !== undefined) {
    const { message, code } = cause as { message?: unknown; code?: unknown };
    wire.cause = { message: String(message ?? cause), ...(typeof code === 'string' ? { code } : {}) };
  }
  return wire;
}

export function fromWire(wire: WireError): DbTicketsError {
  const cause = wire.cause && Object.assign(new Error(wire.cause.message), wire.cause.code ? { code: wire.cause.code } : {});
  return new DbTicketsError(wire.kind, wire.message, cause ? { cause } : {});
}
