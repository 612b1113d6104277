import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OperationContext } from '../core/backend/backend';
import { pause } from '../net/retry';
import { writeFileDurably } from '../files/durableFile';

/** What this computer knows of one draft's create: when it was sent, and the ticket once known. */
export interface CreateRecord {
  draftId: string;
  sentAt: number;
  ticketId?: string;
}

/** How long a create may take, and how the service's lists lag its creates (all in ms). */
export interface CreateTiming {
  /** One call's timeout: a create can still be carried out this long after it was sent. */
  callMs: number;
  /** How long after a create its ticket surely shows in the lists. */
  lagWaitMs: number;
  /** Between looks. */
  settleMs: number;
}

/** Records older than this are dropped: by then the service's lists show every ticket the create may have made. */
const keepMs = 7 * 24 * 3_600_000;

/**
 * A durable note, per profile and draft id, that a create was sent to a service and which ticket it made. Services
 * without an idempotency token (DMS, Huawei Cloud) list new tickets with a lag, so a second run with the same draft
 * id — after a lost answer, a crash or a kill — reads this first: it goes on with the known ticket, or waits out the
 * lag before deciding the first create never happened. A record is written (and synced) before the create is sent.
 */
export class CreateJournal {
  constructor(private readonly folder: string) {}

  /** The journal of one profile's creates, under the host's store: `<store>/<backend>-creates/<profile hash>/`. */
  static of(storeDir: string, backend: string, profile: string): CreateJournal {
    return new CreateJournal(join(storeDir, `${backend}-creates`, createHash('sha256').update(profile).digest('hex').slice(0, 16)));
  }

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

  /**
   * The ticket an earlier create of this draft made: the one recorded; else, when a create was sent with no outcome
   * recorded, the one the service's lists show (`find`, thorough) once the lag since that create is over — undefined
   * when none shows, as it never reached the service; else (no create from here) whatever a quick `find` finds, e.g.
   * another computer's.
   */
  async earlierTicket(draft: { id: string; title: string }, find: (thorough: boolean) => Promise<string | undefined>, timing: CreateTiming, ctx: OperationContext): Promise<string | undefined> {
    const record = await this.read(draft.id);
    if (record?.ticketId) return record.ticketId;
    if (!record) return find(false);
    ctx.onProgress?.({ message: `An earlier create of "${draft.title}" got no clear answer: looking for its ticket` });
    const settled = record.sentAt + timing.callMs + timing.lagWaitMs;
    return lookUntil(() => find(true), Math.max(settled, Date.now()), timing.settleMs, ctx.signal, `Stopped looking for the ticket of an earlier create of "${draft.title}"`);
  }

  async sending(draftId: string, now = Date.now()): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await this.prune(now);
    await writeFileDurably(this.file(draftId), JSON.stringify({ draftId, sentAt: now } satisfies CreateRecord));
  }

  async created(draftId: string, ticketId: string, sentAt = Date.now()): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileDurably(this.file(draftId), JSON.stringify({ draftId, sentAt, ticketId } satisfies CreateRecord));
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

/**
 * Looks for a ticket with `find` until it shows, or `deadline` passes after one last look; every `settleMs` in
 * between. A cancellation is a 'cancelled' error saying that nothing was sent again.
 */
export async function lookUntil(find: () => Promise<string | undefined>, deadline: number, settleMs: number, signal: AbortSignal | undefined, stopped: string): Promise<string | undefined> {
  for (;;) {
    const id = await find();
    if (id || Date.now() >= deadline) return id;
    await pause(Math.min(settleMs, Math.max(deadline - Date.now(), 0)), signal, `${stopped}: nothing was sent again. Submitting the same draft again goes on looking before it sends anything.`);
  }
}

/** What to do after a create ended without a clear answer: nothing that could file a second ticket. */
export function resumeAdvice(draftId: string): string {
  return `Submit the same draft again (draft id ${draftId}): it finds this ticket by that id and goes on with it; it never files a second one.`;
}
