import type { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../core/errors';

/** Rows between progress callbacks. */
export const progressEvery = 10_000;
/** Large writes: each one is a trip to the file system's thread pool, so fewer is faster. */
const flushBytes = 256 * 1024;

/**
 * Writes an export's text to the caller's stream in chunks of about 256 KiB, waiting whenever the stream asks for it
 * (`write()` returned false), so memory stays flat however many rows come. Counts rows and bytes, reports
 * progress every `progressEvery` rows, and stops with a 'cancelled' error once the signal aborts.
 */
export class ExportOutput {
  rows = 0;
  bytes = 0;
  private pending = '';
  private pendingBytes: Buffer[] = [];
  private pendingByteCount = 0;
  private nextProgress = progressEvery;

  constructor(
    private readonly out: Writable,
    private readonly connection: string,
    private readonly onProgress?: (rows: number) => void,
    private readonly signal?: AbortSignal,
  ) {}

  /** Buffers text; the returned promise (only when a flush was due) resolves once the stream can take more. */
  push(text: string, rows: number): Promise<void> | undefined {
    this.pending += text;
    this.rows += rows;
    if (this.rows >= this.nextProgress) {
      this.nextProgress = this.rows + progressEvery;
      this.onProgress?.(this.rows);
    }
    return this.pending.length >= flushBytes ? this.flush() : undefined;
  }

  /** Buffers bytes as they came from the engine (already formatted, e.g. by COPY). */
  pushBytes(chunk: Buffer, rows: number): Promise<void> | undefined {
    this.rows += rows;
    if (this.rows >= this.nextProgress) {
      this.nextProgress = this.rows + progressEvery;
      this.onProgress?.(this.rows);
    }
    this.pendingBytes.push(chunk);
    this.pendingByteCount += chunk.length;
    return this.pendingByteCount >= flushBytes ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.pending) {
      this.pendingBytes.push(Buffer.from(this.pending, 'utf8'));
      this.pending = '';
    }
    if (this.pendingBytes.length === 0) return;
    const chunk = this.pendingBytes.length === 1 ? this.pendingBytes[0] : Buffer.concat(this.pendingBytes);
    this.pendingBytes = [];
    this.pendingByteCount = 0;
    await this.write(chunk);
  }

  /** Flushes what is left and reports the final count. */
  async finish(): Promise<void> {
    await this.flush();
    this.onProgress?.(this.rows);
  }

  throwIfCancelled(): void {
    if (this.signal?.aborted) throw exportCancelled(this.connection);
  }

  private write(chunk: Buffer): Promise<void> | undefined {
    this.throwIfCancelled();
    this.bytes += chunk.length;
    if (this.out.write(chunk)) return undefined;
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.out.off('drain', onDrain);
        this.out.off('error', done);
        this.out.off('close', onClose);
        this.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new DbTicketsError('failed', `The export from "${this.connection}" stopped: the output was closed before all rows were written. Check the destination (disk space, permissions) and run the export again.`));
      const onAbort = () => done(exportCancelled(this.connection));
      this.out.on('drain', onDrain);
      this.out.once('error', done);
      this.out.once('close', onClose);
      this.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export function exportCancelled(connection: string): DbTicketsError {
  return new DbTicketsError('cancelled', `The export from "${connection}" was cancelled: the output holds only part of the rows. Delete it and run the export again when needed.`);
}
