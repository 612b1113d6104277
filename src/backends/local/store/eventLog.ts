import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { DbTicketsError } from '../../../core/errors';
import { syncFolder } from '../../durableFile';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;
/** Bytes before the read position kept to notice that the file was rewritten rather than appended to. */
const CHECK_BYTES = 64;

/** One complete line of the log; `line` is 1-based. */
export interface LogLine {
  line: number;
  text: string;
}

export interface LogRead {
  /** The file no longer starts with what was read before (rewritten, e.g. by a git checkout): replay from scratch. */
  reset: boolean;
  lines: LogLine[];
  /** Bytes after the last newline: a line still being written, or one cut off by a crash. */
  tail?: { line: number; bytes: number };
}

export interface EventLogOptions {
  /** A lock not refreshed for this long belongs to a process that died, and is taken over. */
  staleLockMs?: number;
  /** Called when the lock was lost while held (the folder was removed, or the process stalled past `staleLockMs`). */
  onLockCompromised?: (error: Error) => void;
}

/**
 * An append-only file of lines, read incrementally: each `readNew` returns only the lines appended since the
 * previous one. Appends are fsync'd before they return. Writers serialise through a lock directory beside the
 * file (proper-lockfile: atomic mkdir, refreshed while held, taken over when stale).
 */
export class EventLog {
  private offset = 0;
  private lineCount = 0;
  private check = Buffer.alloc(0);
  private readonly staleLockMs: number;

  constructor(
    readonly file: string,
    private readonly options: EventLogOptions = {},
  ) {
    this.staleLockMs = Math.max(2000, options.staleLockMs ?? 10_000);
  }

  /** Reads the complete lines appended since the last call. */
  async readNew(): Promise<LogRead> {
    const handle = await openIfExists(this.file, 'r');
    if (!handle) {
      const reset = this.offset > 0;
      this.rewind();
      return { reset, lines: [] };
    }
    try {
      const { size } = await handle.stat();
      const reset = !(await this.stillPrefix(handle, size));
      if (reset) this.rewind();
      const lines: LogLine[] = [];
      let pending: Buffer = Buffer.alloc(0);
      let position = this.offset;
      while (position < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK, size - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data: Buffer = pending.length ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        let start = 0;
        for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
          this.lineCount++;
          const text = data.toString('utf8', start, end > start && data[end - 1] === 0x0d ? end - 1 : end);
          if (text.trim() !== '') lines.push({ line: this.lineCount, text });
          start = end + 1;
        }
        this.offset += start;
        pending = Buffer.from(data.subarray(start));
      }
      if (this.offset > 0) {
        const from = Math.max(0, this.offset - CHECK_BYTES);
        this.check = Buffer.alloc(this.offset - from);
        await handle.read(this.check, 0, this.check.length, from);
      }
      const tail = pending.length > 0 ? { line: this.lineCount + 1, bytes: pending.length } : undefined;
      return { reset, lines, tail };
    } finally {
      await handle.close();
    }
  }

  /**
   * Appends lines (without newlines) and fsyncs. A cut-off last line is first ended with a newline, so the new
   * lines never glue onto it. Call it while holding the lock.
   */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a+');
    let created = false;
    try {
      const { size } = await handle.stat();
      created = size === 0;
      let fence = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== NEWLINE) fence = '\n';
      }
      await handle.write(fence + lines.map((line) => line + '\n').join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await syncFolder(dirname(this.file));
  }

  /** Runs `work` holding the store's lock, so no other process appends in between. */
  async withLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(this.file), { recursive: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.file, {
        realpath: false,
        stale: this.staleLockMs,
        // Waits long enough to take over the lock of a writer that died holding it.
        retries: { retries: Math.ceil((this.staleLockMs * 3) / 100), minTimeout: 5, maxTimeout: 100, factor: 1.5, randomize: true },
        onCompromised: (error) => this.options.onLockCompromised?.(error),
      });
    } catch (error) {
      throw new DbTicketsError(
        'unavailable',
        `The ticket store ${this.file} stayed locked by another process: another DB Tickets window or command is writing to it. Try again; if no other one is running, remove ${this.file}.lock.`,
        { cause: error },
      );
    }
    try {
      return await work();
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Whether another process holds the lock now (a cut-off last line may then still be in flight). */
  async isLocked(): Promise<boolean> {
    return lockfile.check(this.file, { realpath: false, stale: this.staleLockMs }).catch(() => false);
  }

  private rewind(): void {
    this.offset = 0;
    this.lineCount = 0;
    this.check = Buffer.alloc(0);
  }

  private async stillPrefix(handle: FileHandle, size: number): Promise<boolean> {
    if (this.offset === 0) return true;
    if (size < this.offset) return false;
    const now = Buffer.alloc(this.check.length);
    await handle.read(now, 0, now.length, this.offset - this.check.length);
    return now.equals(this.check);
  }
}

async function openIfExists(file: string, flags: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
