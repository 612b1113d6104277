import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder } from '../../../files/durableFile';
import { appendFailed, unwritableStore } from './storeErrors';
import { StoreLock } from './storeLock';

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

/** Writes `data` at the end of the file; returns how many bytes it wrote (fewer on a short write). */
export type AppendWrite = (handle: FileHandle, data: Buffer) => Promise<number>;

export interface EventLogOptions {
  /** A lock not refreshed for this long belongs to a process that died or stalled, and is taken over. */
  staleLockMs?: number;
  /** Replaces the file system's write, to test full disks and short writes. */
  write?: AppendWrite;
}

const writeAtEnd: AppendWrite = async (handle, data) => (await handle.write(data)).bytesWritten;

/**
 * An append-only file of lines, read incrementally: each `readNew` returns only the lines appended since the
 * previous one. Appends are fsync'd before they return, and undone when they fail part-way. Writers serialise
 * through a lock directory beside the file (`StoreLock`).
 */
export class EventLog {
  private offset = 0;
  private lineCount = 0;
  private check = Buffer.alloc(0);
  private readonly lock: StoreLock;
  private readonly write: AppendWrite;

  constructor(
    readonly file: string,
    options: EventLogOptions = {},
  ) {
    const staleMs = Math.max(2000, options.staleLockMs ?? 10_000);
    this.lock = new StoreLock(file, { staleMs, waitMs: staleMs * 3 });
    this.write = options.write ?? writeAtEnd;
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
   * lines never glue onto it. Call it while holding the lock: it fails, writing nothing, once the lock was lost.
   * A write that fails part-way (a full disk, a short write) is truncated away, so the log reads back exactly as
   * before and the caller is told that nothing was recorded.
   */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const handle = await open(this.file, 'a+').catch((error: unknown) => {
      throw unwritableStore(this.file, error);
    });
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
      await this.lock.assertHeld();
      await this.writeAll(handle, Buffer.from(fence + lines.map((line) => line + '\n').join(''), 'utf8'), size);
    } finally {
      await handle.close();
    }
    if (created) await syncFolder(dirname(this.file));
  }

  /** Runs `work` holding the store's lock, so no other process appends in between. */
  async withLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(this.file), { recursive: true }).catch((error: unknown) => {
      throw unwritableStore(this.file, error);
    });
    await this.lock.acquire();
    try {
      return await work();
    } finally {
      await this.lock.release().catch(() => undefined);
    }
  }

  /** Whether another process holds the lock now (a cut-off last line may then still be in flight). */
  isLocked(): Promise<boolean> {
    return this.lock.isHeld();
  }

  private async writeAll(handle: FileHandle, data: Buffer, size: number): Promise<void> {
    try {
      for (let written = 0; written < data.length; ) {
        const wrote = await this.write(handle, data.subarray(written));
        if (wrote <= 0) throw Object.assign(new Error('no space left on device (short write)'), { code: 'ENOSPC' });
        written += wrote;
      }
      await handle.sync();
    } catch (error) {
      await handle.truncate(size).then(() => handle.sync()).catch(() => undefined);
      throw appendFailed(this.file, error);
    }
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
