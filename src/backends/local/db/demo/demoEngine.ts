import { once } from 'node:events';
import { extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DbTicketsError } from '../../../../core/errors';
import * as z from '../../../../core/zod';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { ExportOutput } from '../export/exportOutput';
import type { DemoOptions } from './demoDatabase';
import { type DemoOperation, DemoReply, type DemoRequest, type DemoWorkerData, demoResults, fromWire } from './demoProtocol';

/** How long the thread may sit idle before it ends, giving its memory back; the next operation starts it again. */
const defaultIdleMs = 3 * 60_000;

export interface DemoEngineOptions extends DemoOptions {
  /** Idle time after which the thread ends (default three minutes). */
  idleMs?: number;
}

type Operation = keyof typeof demoResults;
type Result<K extends Operation> = z.infer<(typeof demoResults)[K]>;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  operation: Operation;
  chunk?: (data: Uint8Array) => void;
  progress?: (rows: number) => void;
}

interface ExportStream {
  /** Takes an export chunk; `answer` tells the worker it was written (or that the export must stop). */
  chunk: (data: Uint8Array, answer: (type: 'written' | 'abort') => void) => void;
  progress: (rows: number) => void;
}

interface DemoThread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Why the thread ended, when it was not closed. */
  failure?: string;
}

/**
 * The demo database (SQLite, see DemoDatabase) on its own worker thread: creating it, every statement and every
 * export run there, so a long statement (SQLite cannot be interrupted inside one) never stalls the extension host
 * or the CLI. The thread starts on first use and ends after a few idle minutes, which returns all of its memory
 * (WebAssembly memory never shrinks while its thread lives). If it dies, the operations in flight fail with a
 * clear error and the next one starts it again.
 */
export class DemoEngine implements DatabaseEngine {
  readonly dialect = 'generic' as const;
  readonly transactionalDdl = true;
  private thread: DemoThread | undefined;
  private lastId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    private readonly options: DemoEngineOptions = {},
  ) {}

  /** The thread running the database, while one runs. */
  get worker(): Worker | undefined {
    return this.thread?.worker;
  }

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.request('estimateRows', { sql }, options);
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.request('validate', { statements: [...statements] }, options);
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.request('execute', { statements: [...statements] }, options);
  }

  /** The worker formats the rows; each chunk is written here before the worker may send more, so `out` paces the export. */
  async exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    const output = new ExportOutput(out, this.name, undefined, options.signal);
    let writing = Promise.resolve();
    let failure: unknown;
    const exporting = this.request('export', { sql, format: options.format }, options, {
      chunk: (data, answer) => {
        writing = writing.then(async () => {
          if (failure) return;
          try {
            await output.pushBytes(Buffer.from(data.buffer, data.byteOffset, data.byteLength), 0);
            await output.flush();
            answer('written');
          } catch (error) {
            failure = error;
            answer('abort');
          }
        });
      },
      progress: (rows) => options.onProgress?.(rows),
    });
    let result: ExportResult;
    try {
      result = await exporting;
    } catch (error) {
      await writing;
      throw failure ?? error;
    }
    await writing;
    if (failure) throw failure;
    return result;
  }

  /** Closes the database (after the operations already sent) and waits for its thread to end. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    const exited = once(thread.worker, 'exit');
    thread.worker.postMessage({ type: 'close' } satisfies DemoRequest);
    await exited;
  }

  private request<K extends Operation>(
    type: K,
    body: Omit<Extract<DemoOperation, { type: K }>, 'type' | 'id' | 'options'>,
    options: RunOptions,
    stream?: ExportStream,
  ): Promise<Result<K>> {
    clearTimeout(this.idleTimer);
    const thread = (this.thread ??= this.startThread());
    const id = ++this.lastId;
    const { signal } = options;
    const answer = (type: 'written' | 'abort') => thread.worker.postMessage({ type, id } satisfies DemoRequest);
    const abort = () => answer('abort');
    return new Promise<Result<K>>((resolve, reject) => {
      const settle = () => {
        thread.pending.delete(id);
        signal?.removeEventListener('abort', abort);
        if (thread.pending.size === 0 && this.thread === thread) this.closeWhenIdle();
      };
      thread.pending.set(id, {
        operation: type,
        resolve: (value) => (settle(), resolve(value as Result<K>)),
        reject: (error) => (settle(), reject(error)),
        ...(stream && { progress: stream.progress, chunk: (data: Uint8Array) => stream.chunk(data, answer) }),
      });
      signal?.addEventListener('abort', abort, { once: true });
      thread.worker.postMessage({ type, ...body, id, options: { timeoutMs: options.timeoutMs, aborted: signal?.aborted } });
    });
  }

  private closeWhenIdle(): void {
    clearTimeout(this.idleTimer);
    // unref: an idle thread never keeps the CLI's process alive for the timer's sake.
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs ?? defaultIdleMs).unref();
  }

  private startThread(): DemoThread {
    const data: DemoWorkerData = { name: this.name, ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}) };
    const thread: DemoThread = { worker: startWorker(data), pending: new Map() };
    thread.worker.on('message', (message: unknown) => this.receive(thread, message));
    thread.worker.on('error', (error) => (thread.failure ??= error.message));
    thread.worker.on('exit', (code) => {
      if (this.thread === thread) this.thread = undefined;
      // After close() nothing is in flight: the worker answers every request it was sent before it exits.
      const error = crashError(this.name, thread.failure ?? `its thread exited with code ${code}`);
      for (const pending of [...thread.pending.values()]) pending.reject(error);
    });
    return thread;
  }

  private receive(thread: DemoThread, message: unknown): void {
    const parsed = DemoReply.safeParse(message);
    const reply = parsed.success ? parsed.data : undefined;
    const pending = reply && thread.pending.get(reply.id);
    if (!reply || !pending) {
      // Both threads come from the same build, so this is a bug: end the thread, which fails what is in flight.
      thread.failure ??= parsed.success ? `it answered request ${parsed.data.id}, which is not in flight` : `it sent a malformed message (${z.prettifyError(parsed.error)})`;
      void thread.worker.terminate();
      return;
    }
    switch (reply.type) {
      case 'chunk':
        pending.chunk?.(reply.data);
        return;
      case 'progress':
        pending.progress?.(reply.rows);
        return;
      case 'failed':
        pending.reject(fromWire(reply.error));
        return;
      case 'done': {
        const value = demoResults[pending.operation].safeParse(reply.value);
        if (value.success) pending.resolve(value.data);
        else pending.reject(crashError(this.name, `it answered with a malformed result (${z.prettifyError(value.error)})`));
      }
    }
  }
}

/** The worker's bundle sits beside the caller's (dist/demoWorker.js); under tsx (tests, benchmarks) it is TypeScript. */
function startWorker(workerData: DemoWorkerData): Worker {
  const file = join(__dirname, `demoWorker${extname(__filename)}`);
  if (file.endsWith('.ts')) {
    return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`, { eval: true, workerData });
  }
  return new Worker(file, { workerData, execArgv: [] });
}

function crashError(connection: string, why: string): DbTicketsError {
  return new DbTicketsError(
    'unavailable',
    `The demo database "${connection}" stopped unexpectedly (${why}), so the operation did not finish. Run it again: the database restarts on next use.`,
  );
}
