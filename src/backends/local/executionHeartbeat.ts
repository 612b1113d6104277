import { mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { processGone } from './processLiveness';
import type { TicketRecord } from './store/ticketProjection';

/** How often an executing process renews its heartbeat, unless configured. */
export const defaultHeartbeatMs = 5_000;
/** A heartbeat not renewed for this many periods means its process is gone. */
const stalePeriods = 6;

/** The heartbeat file of a ticket's execution, relative to the store folder. */
export function heartbeatFile(ticket: string): string {
  return `executions/${ticket}.heartbeat`;
}

/**
 * Where executions renew their heartbeats: files in the store folder, or rows in the team store's database — a
 * place every reader of the store can see.
 */
export interface HeartbeatSite {
  start(ticket: string, everyMs: number): Promise<{ stop(): Promise<void> }>;
  /** When the execution of `ticket` last renewed its heartbeat (ms since the epoch), if it has one. */
  renewedAt(ticket: string): Promise<number | undefined>;
  remove(ticket: string): Promise<void>;
}

/** Heartbeats as files in the store folder (`executions/<id>.heartbeat`), renewed by touching them. */
export function folderHeartbeats(folder: string): HeartbeatSite {
  return {
    start: (ticket, everyMs) => startHeartbeat(folder, ticket, everyMs),
    renewedAt: async (ticket) => (await stat(join(folder, heartbeatFile(ticket))).catch(() => undefined))?.mtimeMs,
    remove: (ticket) => rm(join(folder, heartbeatFile(ticket)), { force: true }),
  };
}

/** Renews the heartbeat file of an execution until stopped; the file names the process holding it. */
async function startHeartbeat(folder: string, ticket: string, everyMs: number): Promise<{ stop(): Promise<void> }> {
  const file = join(folder, heartbeatFile(ticket));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ host: hostname(), pid: process.pid, startedAt: new Date().toISOString() }) + '\n');
  const timer = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await rm(file, { force: true });
    },
  };
}

/**
 * Why an executing ticket's execution can never end on its own — its process on this computer is gone, or its
 * heartbeat from another computer went stale — or undefined while it may still be running. On this computer the
 * process id decides (a process busy in a long statement may miss heartbeats); elsewhere only the heartbeat can.
 */
export async function interruption(heartbeats: HeartbeatSite, ticket: TicketRecord, now: Date): Promise<string | undefined> {
  if (ticket.state !== 'executing' || !ticket.execution) return undefined;
  const { host, pid, heartbeatMs, at } = ticket.execution.started;
  if (host === hostname()) {
    return pid !== process.pid && processGone(host, pid) ? `its process (pid ${pid}) on this computer is gone` : undefined;
  }
  if (heartbeatMs === undefined) return undefined;
  const renewed = (await heartbeats.renewedAt(ticket.id)) ?? Date.parse(at);
  if (now.getTime() - renewed <= heartbeatMs * stalePeriods) return undefined;
  return `its process (pid ${pid} on ${host}) has not renewed its heartbeat since ${new Date(renewed).toISOString()}`;
}
