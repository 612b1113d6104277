import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DbTicketsError } from '../../../core/errors';
import { processGone } from '../processLiveness';
import { unwritableStore } from './storeErrors';

/** Who holds a lock: written into the lock directory right after it is made. */
interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

export interface StoreLockOptions {
  /** A lock not refreshed for this long is taken over: its holder died or was paused. */
  staleMs: number;
  /** How long to wait for a live holder before giving up. */
  waitMs: number;
}

const OWNER = 'owner.json';

/**
 * A lock directory beside a file (`<file>.lock`), made with an atomic mkdir and holding `owner.json` (pid, host, a
 * random token). It replaces proper-lockfile, which has no owner record, retries on every error (so a read-only
 * folder waited its whole timeout) and cannot tell its holder whether it still owns the lock before a write.
 *
 * The holder refreshes the directory's mtime; a waiter takes the lock over at once when the owner is a process of
 * this host that no longer exists, and otherwise once the mtime is older than `staleMs`. A holder calls `assertHeld`
 * right before writing: it fails unless the owner record is still its own and fresh enough that nobody may take
 * the lock over for a while, so a writer that was paused past `staleMs` never writes.
 */
export class StoreLock {
  readonly dir: string;
  private token?: string;
  private refresher?: NodeJS.Timeout;
  private readonly refreshMs: number;

  constructor(
    readonly file: string,
    private readonly options: StoreLockOptions,
  ) {
    this.dir = `${file}.lock`;
    this.refreshMs = Math.max(100, Math.floor(options.staleMs / 4));
  }

  async acquire(): Promise<void> {
    const token = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    for (let delay = 5; ; delay = Math.min(100, delay * 1.5)) {
      if (await this.tryMake(token)) break;
      if (await this.breakIfAbandoned()) continue;
      if (Date.now() > deadline) {
        throw new DbTicketsError(
          'unavailable',
          `The ticket store ${this.file} stayed locked by another process: another DB Tickets window or command is writing to it. Try again in a moment.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
    this.token = token;
    this.refresher = setInterval(() => void utimes(this.dir, new Date(), new Date()).catch(() => undefined), this.refreshMs);
    this.refresher.unref();
  }

  /** Throws unless this process still owns the lock and nobody may take it over before a write finishes. */
  async assertHeld(): Promise<void> {
    const owner = await readOwner(this.dir);
    const age = await stat(this.dir).then((s) => Date.now() - s.mtimeMs, () => Infinity);
    if (this.token && owner?.token === this.token && age < this.options.staleMs / 2) return;
    throw new DbTicketsError(
      'unavailable',
      `This process lost the lock of the ticket store ${this.file} (it was paused or stalled for longer than ${Math.round(this.options.staleMs / 1000)} s, and another process took over), so nothing was recorded. Run the command again.`,
    );
  }

  async release(): Promise<void> {
    clearInterval(this.refresher);
    const token = this.token;
    this.token = undefined;
    if (token && (await readOwner(this.dir))?.token === token) await this.remove();
  }

  /** Whether a live process holds the lock now. */
  async isHeld(): Promise<boolean> {
    const age = await stat(this.dir).then((s) => Date.now() - s.mtimeMs, () => undefined);
    if (age === undefined || age > this.options.staleMs) return false;
    return !isDead(await readOwner(this.dir));
  }

  private async tryMake(token: string): Promise<boolean> {
    try {
      await mkdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw unwritableStore(this.file, error);
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), token };
    await writeFile(join(this.dir, OWNER), JSON.stringify(owner)).catch(async (error: unknown) => {
      await rm(this.dir, { recursive: true, force: true });
      throw unwritableStore(this.file, error);
    });
    return true;
  }

  /** Removes a lock whose holder is gone (dead on this host, or silent past `staleMs`); true when it did. */
  private async breakIfAbandoned(): Promise<boolean> {
    const owner = await readOwner(this.dir);
    const age = await stat(this.dir).then((s) => Date.now() - s.mtimeMs, () => undefined);
    if (age === undefined) return true;
    if (!isDead(owner) && age <= this.options.staleMs) return false;
    // Renamed first, so that of several waiters only one removes it. Should another waiter have replaced it in
    // between, the new holder's `assertHeld` fails and it writes nothing.
    const doomed = `${this.dir}.${randomUUID()}.abandoned`;
    try {
      await rename(this.dir, doomed);
    } catch {
      return true;
    }
    await rm(doomed, { recursive: true, force: true });
    return true;
  }

  private async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function readOwner(dir: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, OWNER), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Whether the owner is a process of this host that no longer exists (a process of another host cannot be checked). */
function isDead(owner: LockOwner | undefined): boolean {
  return owner !== undefined && processGone(owner.host, owner.pid);
}
