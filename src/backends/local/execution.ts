import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OperationContext } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import { fingerprinting } from '../../files/fingerprint';
import type { DatabaseEngine, ExportFormat } from './db/engine';
import { analyze, describeFailure, messageOf, where } from './precheck';
import { commitFile, resultFile, writeMetadata } from './resultFiles';
import type { EventOf, StatementOutcome } from './store/events';
import type { TicketRecord } from './store/ticketProjection';

type Ended = EventOf<'execution_succeeded'> | EventOf<'execution_failed'> | EventOf<'execution_cancelled'>;
/** How an execution ended: the event to record, without which ticket, who and when. */
export type ExecutionOutcome = WithoutOrigin<Ended>;
type WithoutOrigin<E> = E extends unknown ? Omit<E, 'ticket' | 'at' | 'by'> : never;

export interface ExecutionSetup {
  engine: DatabaseEngine;
  /** The store folder; results go to results/<id>/ inside it. */
  folder: string;
  format: ExportFormat;
  timeoutMs?: number;
  executedBy: string;
  now: () => Date;
}

/**
 * Streams an export to results/<id>/result.<format> (written as .partial, renamed once complete and synced) and
 * writes the metadata file beside it; the outcome records the file's size and SHA-256, checked on every download.
 * A cancelled or failed export leaves no partial file behind.
 */
export async function runExport(ticket: TicketRecord, setup: ExecutionSetup, ctx: OperationContext): Promise<ExecutionOutcome> {
  const relative = resultFile(ticket.id, setup.format);
  const file = join(setup.folder, relative);
  const partial = `${file}.partial`;
  await mkdir(dirname(file), { recursive: true });
  await rm(partial, { force: true });
  const onDisk = createWriteStream(partial, { flags: 'wx' });
  const fingerprint = fingerprinting();
  const out = fingerprint.stream;
  const written = pipeline(out, onDisk);
  written.catch(() => undefined); // a failure is also the engine's or the final await's, and handled there
  try {
    const result = await setup.engine.exportQuery(analyze(ticket, setup.engine.dialect)[0]?.text ?? ticket.sql, out, {
      format: setup.format,
      signal: ctx.signal,
      timeoutMs: setup.timeoutMs,
      onProgress: (rows) => ctx.onProgress?.({ message: `Exported ${rows.toLocaleString('en-US')} rows`, done: rows, total: ticket.estimatedRows }),
    });
    out.end();
    await written;
    await commitFile(partial, file);
    const { bytes, sha256 } = fingerprint.written();
    await writeMetadata(setup.folder, {
      ticket: ticket.id,
      title: ticket.title,
      database: ticket.database,
      sql: ticket.sql,
      submitter: ticket.submitter,
      approver: ticket.decision?.type === 'approved' ? ticket.decision.by : undefined,
      executedBy: setup.executedBy,
      exportedAt: setup.now().toISOString(),
      format: setup.format,
      rows: result.rows,
      bytes,
      sha256,
      columns: result.columns,
    });
    return { type: 'execution_succeeded', rows: result.rows, result: { file: relative, format: setup.format, columns: result.columns, bytes, sha256 } };
  } catch (error) {
    out.destroy();
    await discard(onDisk, partial);
    if (wasCancelled(error, ctx)) {
      return { type: 'execution_cancelled', message: 'The export was cancelled before it finished and the partial file was deleted. The ticket is approved again: execute it when ready.' };
    }
    return {
      type: 'execution_failed',
      stoppedAt: 1,
      message: describeFailure(error, `The export from "${ticket.database}" failed`, 'Fix the query and re-submit the ticket as a new draft, or execute it again if the cause was temporary.'),
    };
  }
}

/** Runs a schema or data change and reports each statement; a failure names the statement where it stopped. */
export async function runChange(ticket: TicketRecord, setup: ExecutionSetup, ctx: OperationContext): Promise<ExecutionOutcome> {
  const { engine } = setup;
  const statements = analyze(ticket, engine.dialect);
  // One transaction when the engine takes DDL in one, or when there is no DDL: then a failure changes nothing.
  const atomic = engine.transactionalDdl || statements.every((statement) => statement.kind !== 'ddl');
  ctx.onProgress?.({ message: `Running ${statements.length} statement${statements.length === 1 ? '' : 's'} on "${ticket.database}"`, done: 0, total: statements.length });
  let results;
  try {
    results = await engine.execute(
      statements.map((statement) => statement.text),
      { signal: ctx.signal, timeoutMs: setup.timeoutMs },
    );
  } catch (error) {
    if (wasCancelled(error, ctx) && atomic) {
      return { type: 'execution_cancelled', message: 'The change was cancelled while running; its transaction was rolled back, so nothing changed. The ticket is approved again: execute it when ready.' };
    }
    if (wasCancelled(error, ctx)) {
      return { type: 'execution_failed', message: `The change was cancelled while running on "${ticket.database}", which commits DDL statement by statement: statements that finished before the cancellation stay applied. Check the database before re-submitting the ticket.` };
    }
    return { type: 'execution_failed', message: describeFailure(error, `The change could not run on "${ticket.database}"`, 'Execute it again if the cause was temporary.') };
  }
  const outcomes: StatementOutcome[] = results.map((result) => ({ index: result.index, status: result.status, rows: result.rowsAffected, message: result.message }));
  const failure = results.find((result) => result.status === 'failed');
  if (failure) {
    const statement = statements[failure.index - 1];
    const subject = statement ? where(statement) : `Statement ${failure.index}`;
    const committed = results.filter((result) => result.status === 'succeeded').length;
    const skipped = results.some((result) => result.status === 'skipped') ? '; the statements after it were skipped' : '';
    const effect =
      committed === 0
        ? failure.index > 1 ? 'The statements before it were rolled back, so nothing changed.' : 'Nothing changed.'
        : `${committed === 1 ? 'The statement before it was committed and stays' : `The ${committed} statements before it were committed and stay`} applied${skipped}.`;
    return {
      type: 'execution_failed',
      stoppedAt: failure.index,
      statements: outcomes,
      message: `${subject} failed on "${ticket.database}": ${messageOf(failure.message ?? 'the database gave no reason')} ${effect} Fix the SQL and re-submit the ticket as a new draft.`,
    };
  }
  if (ctx.signal?.aborted && !results.some((result) => result.status === 'succeeded')) {
    return { type: 'execution_cancelled', message: 'The change was cancelled before any statement was committed, so nothing changed. The ticket is approved again: execute it when ready.' };
  }
  const rows = results.reduce((sum, result) => sum + (result.rowsAffected ?? 0), 0);
  return { type: 'execution_succeeded', rows, statements: outcomes };
}

function wasCancelled(error: unknown, ctx: OperationContext): boolean {
  return ctx.signal?.aborted === true || (error instanceof DbTicketsError && error.kind === 'cancelled');
}

async function discard(out: Writable, partial: string): Promise<void> {
  if (!out.closed) {
    const closed = new Promise((resolve) => out.once('close', resolve));
    out.destroy();
    await closed;
  }
  await rm(partial, { force: true });
}
