import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../durableFile';

/** What this computer knows of one draft's create: when it was sent, and the ticket once known. */
export interface CreateRecord {
  draftId: string;
  sentAt: number;
  orderId?: string;
}

/** Records older than this are dropped: by then DMS's lists show every ticket the create may have made. */
const keepMs = 7 * 24 * 3_600_000;

/**
 * A durable note, per profile and draft id, that a create was sent to DMS and which ticket it made. DMS has no
 * idempotency token and its lists lag its creates, so a second run with the same draft id — after a lost answer,
 * a crash or a kill — reads this first: it goes on with the known ticket, or waits out the lag before deciding the
 * first create never happened. A record is written (and synced) before the create is sent.
 */
export class CreateJournal {
  constructor(private readonly folder: string) {}

  async read(draftId: string): Promise<CreateRecord | undefined> {
    try {
      const record = JSON.parse(await readFile(this.file(draftId), 'utf8')) as CreateRecord;
      return record.draftId === draftId && typeof record.sentAt === 'number' ? record : undefined;
    } catch (error) {
      // A cut-off or unreadable record says no more than "a create may have been sent": treat it as sent long ago.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return { draftId, sentAt: 0 };
    }
  }

  async sending(draftId: string, now = Date.now()): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await this.prune(now);
    await writeFileDurably(this.file(draftId), JSON.stringify({ draftId, sentAt: now } satisfies CreateRecord));
  }

  async created(draftId: string, orderId: string, sentAt = Date.now()): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileDurably(this.file(draftId), JSON.stringify({ draftId, sentAt, orderId } satisfies CreateRecord));
  }

  /** Forgets a create that surely did not happen (DMS refused it). */
  async refused(draftId: string): Promise<void> {
    await rm(this.file(draftId), { force: true });
  }

  private file(draftId: string): string {
    return join(this.folder, `${createHash('sha256').update(draftId).digest('hex').slice(0, 40)}.json`);
  }

  private async prune(now: number): Promise<void> {
    const names = await readdir(this.folder).catch(() => []);
    await Promise.all(
      names
        .filter((name) => name.endsWith('.json'))
        .map(async (name) => {
          const file = join(this.folder, name);
          const info = await stat(file).catch(() => undefined);
          if (info && now - info.mtimeMs > keepMs) await rm(file, { force: true });
        }),
    );
  }
}
