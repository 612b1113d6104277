import type { ChildProcess } from 'node:child_process';
import { TicketStore } from '../../src/backends/local/store/ticketStore';
import { type CliRun, startCli } from './runCli';

export interface SoakFigures {
  writers: number;
  seconds: number;
  creates: number;
  acknowledged: number;
  killed: number;
  paused: number;
  pausedPastStale: number;
  lostLock: number;
  /** Acknowledged creates ("Submitted #N") whose ticket is missing, differs, or exists more than once. */
  lost: number;
  duplicates: number;
  problems: string[];
  /** Runs that ended other than 0, 1 or killed. */
  badExits: string[];
}

const create = (title: string) => ['create', '--kind', 'export', '--db', 'demo', '--reason', 'soak', '--title', title];

/**
 * Concurrent `db-tickets create` writers on one Local store (`env.DB_TICKETS_STORE`) for `ms`, while every 250–600 ms
 * a random running writer is killed (SIGKILL, 35 %) or paused (SIGSTOP, 15 %; now and then past the lock's 10 s
 * stale time) and resumed later; then counts what the acknowledged creates left in the store.
 */
export async function crashSoak(env: NodeJS.ProcessEnv, writers: number, ms: number): Promise<SoakFigures> {
  const deadline = Date.now() + ms;
  const running = new Map<ChildProcess, string>();
  const paused = new Set<ChildProcess>();
  const runs: Array<{ title: string; run: CliRun }> = [];
  const figures = { killed: 0, paused: 0, pausedPastStale: 0 };
  let n = 0;

  const worker = async (w: number) => {
    while (Date.now() < deadline) {
      const title = `soak-${w}-${++n}`;
      const { child, done } = startCli(env, create(title), 'SELECT 1 AS n;\n');
      running.set(child, title);
      const run = await done;
      running.delete(child);
      runs.push({ title, run });
    }
  };
  const chaos = async () => {
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 350));
      const live = [...running.keys()].filter((child) => !paused.has(child));
      if (live.length === 0) continue;
      const victim = live[Math.floor(Math.random() * live.length)];
      const roll = Math.random();
      if (roll < 0.35) {
        victim.kill('SIGKILL');
        figures.killed++;
      } else if (roll < 0.5) {
        victim.kill('SIGSTOP');
        paused.add(victim);
        figures.paused++;
        const pauseMs = Math.random() < 0.3 ? 10_500 + Math.random() * 1500 : 300 + Math.random() * 3000;
        const since = Date.now();
        setTimeout(() => {
          if (Date.now() - since > 10_000) figures.pausedPastStale++;
          victim.kill('SIGCONT');
          paused.delete(victim);
        }, Math.min(pauseMs, Math.max(deadline - Date.now(), 0)));
      }
    }
  };
  await Promise.all([...Array.from({ length: writers }, (_, w) => worker(w)), chaos()]);

  const store = new TicketStore(env.DB_TICKETS_STORE!);
  const tickets = await store.read();
  const all = tickets.newestFirst();
  const acknowledged = runs.flatMap(({ title, run }) => {
    const match = /^Submitted #(\S+) /m.exec(run.stdout);
    return match ? [{ id: match[1], title }] : [];
  });
  const lost = acknowledged.filter(({ id, title }) => tickets.get(id)?.title !== title || all.filter((ticket) => ticket.title === title).length !== 1);
  const numbers = all.map((ticket) => ticket.number);
  return {
    writers,
    seconds: ms / 1000,
    creates: runs.length,
    acknowledged: acknowledged.length,
    ...figures,
    lostLock: runs.filter(({ run }) => /lost the lock/.test(run.stderr)).length,
    lost: lost.length,
    duplicates: numbers.length - new Set(numbers).size,
    problems: store.problems.map((problem) => problem.message),
    badExits: runs.filter(({ run }) => !(run.code === 0 || run.code === 1 || run.code === null)).map(({ title, run }) => `${title}: exit ${run.code}: ${run.stderr}`),
  };
}

export function soakLine(f: SoakFigures): string {
  return (
    `soak: ${f.writers} writers, ${f.seconds} s: ${f.creates} creates, acknowledged ${f.acknowledged}, killed ${f.killed}, ` +
    `paused ${f.paused} (${f.pausedPastStale} past the stale time; ${f.lostLock} failed with a lost lock), ` +
    `lost ${f.lost}, duplicates ${f.duplicates}, store problems ${f.problems.length}`
  );
}
