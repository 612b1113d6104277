import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder } from '../../../files/durableFile';
import { appendFailed, unwritableStore } from './storeErrors';
import { StoreLock } from './storeLock';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const CHUNK = 1 << 20;
/** Bytes before the read position kept to notice that the file was rewritten rather than appended to. */
const CHECK_BYTES = 64;

/** One complete line of the log; `line` is 1-based, `start` and `end` the byte range of its text. */
export interface LogLine {
  line: number;
  text: string;
  start: number;
  end: number;
}

/** How much of the log was read: `bytes` bytes holding `lines` complete lines, whose SHA-256 is `sha256`. */
export interface LogPosition {
  bytes: number;
  lines: number;
  sha256: string;
}

/** The start of the log, found to be exactly the bytes a position describes. */
export interface VerifiedPrefix {
  position: LogPosition;
  bytes: Buffer;
  /** The SHA-256 of `bytes`, still open, to go on with the bytes after them. */
  hash: Hash;
}

export interface LogRead {
  /**
   * The file no longer starts with what was read before (rewritten, e.g. by a git checkout): nothing was read, and
   * the log starts again from its beginning at the next read.
   */
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
 * previous one, and the SHA-256 of everything read so far is kept, so that a snapshot can name exactly the bytes it
 * covers (`position`) and a later reader can resume after them once it found them unchanged (`verifyPrefix`,
 * `resume`). Appends are fsync'd before they return, and undone when they fail part-way. Writers serialise through
 * a lock directory beside the file (`StoreLock`).
 */
export class EventLog {
  private offset = 0;
  private lineCount = 0;
  private check = Buffer.alloc(0);
  private hash = createHash('sha256');
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

  /** Whether nothing has been read yet (or the log started again after a rewrite). */
  get atStart(): boolean {
    return this.offset === 0;
  }

  /** How much has been read. */
  position(): LogPosition {
    return { bytes: this.offset, lines: this.lineCount, sha256: this.hash.copy().digest('hex') };
  }

  /**
   * The log's first `position.bytes` bytes, when they are exactly what `position` describes: as many bytes, ending a
   * line, with that SHA-256. Undefined when the log is shorter or differs. (`position.lines` is taken as given: the
   * snapshot naming it is checksummed.)
   */
  async verifyPrefix(position: LogPosition): Promise<VerifiedPrefix | undefined> {
    if (!Number.isSafeInteger(position.bytes) || position.bytes <= 0) return undefined;
    const handle = await openIfExists(this.file, 'r');
    if (!handle) return undefined;
    try {
      if ((await handle.stat()).size < position.bytes) return undefined;
      const bytes = Buffer.allocUnsafe(position.bytes);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
      if (bytesRead !== bytes.length || bytes[bytes.length - 1] !== NEWLINE) return undefined;
      const hash = createHash('sha256').update(bytes);
      if (hash.copy().digest('hex') !== position.sha256 || position.lines > bytes.length) return undefined;
      return { position, bytes, hash };
    } finally {
      await handle.close();
    }
  }

  /** Goes on reading after a verified prefix, as if it had been read here. */
  resume(prefix: VerifiedPrefix): void {
    this.offset = prefix.bytes.length;
    this.lineCount = prefix.position.lines;
    this.check = Buffer.from(prefix.bytes.subarray(Math.max(0, prefix.bytes.length - CHECK_BYTES)));
    this.hash = prefix.hash.copy();
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
      if (!(await this.stillPrefix(handle, size))) {
        this.rewind();
        return { reset: true, lines: [] };
      }
      const lines: LogLine[] = [];
      let pending: Buffer = Buffer.alloc(0);
      let position = this.offset;
      while (position < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK, size - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data: Buffer = pending.length ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        const base = this.offset;
        let start = 0;
        for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
          this.lineCount++;
          const textEnd = end > start && data[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
          const text = data.toString('utf8', start, textEnd);
          if (text.trim() !== '') lines.push({ line: this.lineCount, text, start: base + start, end: base + textEnd });
          start = end + 1;
        }
        this.hash.update(data.subarray(0, start));
        this.offset += start;
        pending = Buffer.from(data.subarray(start));
      }
      if (this.offset > 0) {
        const from = Math.max(0, this.offset - CHECK_BYTES);
        this.check = Buffer.alloc(this.offset - from);
        await handle.read(this.check, 0, this.check.length, from);
      }
      const tail = pending.length > 0 ? { line: this.lineCount + 1, bytes: pending.length } : undefined;
      return { reset: false, lines, tail };
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

  /** Starts again from the beginning of the log at the next read. */
  rewind(): void {
    this.offset = 0;
    this.lineCount = 0;
    this.check = Buffer.alloc(0);
    this.hash = createHash('sha256');
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
