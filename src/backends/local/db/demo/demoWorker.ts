// The worker thread that owns the demo database (SQLite), so creating it and its statements never block the
// thread of the extension or the CLI. DemoEngine starts it; demoProtocol describes what the two say.
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import * as z from '../../../../core/zod';
import type { ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { DemoDatabase } from './demoDatabase';
import { DemoRequest, DemoWorkerData, type DemoOperation, type DemoReply, toWire } from './demoProtocol';

/** Export chunks (about 256 KiB each) sent but not yet written by the caller: enough to keep both threads busy. */
const chunksInFlight = 2;

interface Job {
  controller: AbortController;
  /** Called when the caller has written one more chunk. */
  written?: () => void;
}

const port = parentPort!;
const { name, dataDir } = DemoWorkerData.parse(workerData);
const database = new DemoDatabase(name, { dataDir });
const jobs = new Map<number, Job>();
const send = (reply: DemoReply) => port.postMessage(reply);

port.on('message', (message: unknown) => {
  const parsed = DemoRequest.safeParse(message);
  // The two threads come from the same build, so a malformed message is a bug: end the thread loudly.
  if (!parsed.success) throw new Error(`the demo database's thread received a malformed message (${z.prettifyError(parsed.error)})`);
  const request = parsed.data;
  switch (request.type) {
    case 'abort':
      jobs.get(request.id)?.controller.abort();
      return;
    case 'written':
      jobs.get(request.id)?.written?.();
      return;
    case 'close':
      void database.close().finally(() => process.exit(0));
      return;
    default:
      void run(request);
  }
});

async function run(request: DemoOperation): Promise<void> {
  const job: Job = { controller: new AbortController() };
  if (request.options.aborted) job.controller.abort();
  jobs.set(request.id, job);
  const options: RunOptions = { signal: job.controller.signal, timeoutMs: request.options.timeoutMs };
  try {
    send({ type: 'done', id: request.id, value: await operate(request, options, job) });
  } catch (error) {
    send({ type: 'failed', id: request.id, error: toWire(error) });
  } finally {
    jobs.delete(request.id);
  }
}

function operate(request: DemoOperation, options: RunOptions, job: Job): Promise<RowEstimate | undefined | StatementCheck[] | StatementResult[] | ExportResult> {
  switch (request.type) {
    case 'estimateRows':
      return database.estimateRows(request.sql, options);
    case 'validate':
      return database.validate(request.statements, options);
    case 'execute':
      return database.execute(request.statements, options);
    case 'export':
      return database.exportQuery(request.sql, chunkSender(request.id, job), {
        ...options,
        format: request.format,
        onProgress: (rows) => send({ type: 'progress', id: request.id, rows }),
      });
  }
}

/**
 * A stream that hands each chunk to the caller's thread and holds the next write while `chunksInFlight` chunks
 * wait to be written there: the caller's stream paces the export, so memory stays flat on both threads.
 */
function chunkSender(id: number, job: Job): Writable {
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  job.written = () => {
    inFlight -= 1;
    waiting?.();
    waiting = undefined;
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      send({ type: 'chunk', id, data: chunk });
      inFlight += 1;
      if (inFlight < chunksInFlight) done();
      else waiting = done;
    },
  });
}
