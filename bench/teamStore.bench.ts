// The Local workflow's team store in PostgreSQL under a team's load, next to the folder store in the same run:
// concurrent clients — half submitters (submit, comment), half approvers (approve what is pending, comment) — each
// with a store of its own, as each editor and pipeline has, for a fixed time. Reports operations per second, the
// p50/p99 latency of an operation, for the team store the latency of its notifications (from the event's time on the
// database clock to its arrival at a listening client, one machine), and from a replay of the whole history at the
// end, the events lost or recorded twice (both must be 0). A private PostgreSQL server is started for the run.
//   node --import tsx bench/teamStore.bench.ts [--quick] [--seconds 60] [--clients 20]
// --quick: 10 s per store.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { LocalStore } from '../src/backends/local/store/localStore';
import type { StoreEvent } from '../src/backends/local/store/events';
import { TicketStore } from '../src/backends/local/store/ticketStore';
import { changeChannel } from '../src/backends/local/teamStore/teamSchema';
import { startPostgres } from '../test/support/postgresServer';
import { createTeamStore } from '../test/support/teamStoreHarness';
import { printBenchRows } from './benchRows';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(option('--seconds', quick ? '10' : '60'));
const clients = Number(option('--clients', '20'));

interface Client {
  store: LocalStore;
  actor: string;
  approver: boolean;
}

interface Outcome {
  name: string;
  ops: number;
  conflicts: number;
  errors: string[];
  latencies: number[];
  /** Every acknowledged event, by the mark it carries (a draft id, a comment's text, an approval's ticket). */
  acked: string[];
  replay: { events: number; marks: string[]; problems: number };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function markOf(event: StoreEvent): string | undefined {
  if (event.type === 'submitted') return `submitted:${event.draftId}`;
  if (event.type === 'commented') return `commented:${event.comment}`;
  if (event.type === 'approved') return `approved:${event.uid}`;
  return undefined;
}

/** Runs the clients against their stores for `seconds`, then replays the whole history with `fresh`. */
async function load(name: string, team: Client[], fresh: () => Promise<LocalStore>): Promise<Outcome> {
  const outcome: Outcome = { name, ops: 0, conflicts: 0, errors: [], latencies: [], acked: [], replay: { events: 0, marks: [], problems: 0 } };
  const pending: string[] = [];
  const known: string[] = [];
  const deadline = Date.now() + seconds * 1000;
  const at = () => new Date().toISOString();
  let comments = 0;
  // Nothing to do yet (no ticket to comment on): wait a moment rather than spin.
  const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

  const timed = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    const started = performance.now();
    try {
      const result = await work();
      outcome.latencies.push(performance.now() - started);
      outcome.ops++;
      return result;
    } catch (error) {
      if ((error as { kind?: string }).kind === 'conflict') outcome.conflicts++;
      else outcome.errors.push((error as Error).message);
      return undefined;
    }
  };

  const comment = async ({ store, actor }: Client) => {
    const ticket = known[Math.floor(Math.random() * known.length)];
    if (!ticket) return idle();
    const text = `c${comments++}-${actor}`;
    const done = await timed(() => store.transact((tickets) => ({ events: [{ type: 'commented', ticket: tickets.get(ticket)!.number, at: at(), by: actor, comment: text }], result: true })));
    if (done) outcome.acked.push(`commented:${text}`);
  };

  const submit = async ({ store, actor }: Client) => {
    const draftId = randomUUID();
    const id = await timed(() =>
      store.transact((tickets) => {
        const ticket = tickets.nextId();
        const base = { ticket, at: at(), by: actor };
        return {
          events: [
            { type: 'submitted', ...base, draftId, title: `Export ${draftId.slice(0, 8)}`, kind: 'DATA_EXPORT', database: 'shop', reason: 'load', stakeholders: [], sql: 'SELECT id FROM orders LIMIT 10' },
            { type: 'prechecked', ...base, passed: true, items: [] },
          ],
          result: ticket,
        };
      }),
    );
    if (id) {
      outcome.acked.push(`submitted:${draftId}`);
      pending.push(id);
      known.push(id);
    }
  };

  const approve = async ({ store, actor }: Client) => {
    const id = pending.shift();
    if (!id) return comment({ store, actor, approver: true });
    const uid = await timed(() =>
      store.transact((tickets) => {
        const ticket = tickets.get(id)!;
        if (ticket.state !== 'pending_approval') throw Object.assign(new Error(`#${id} is ${ticket.state}`), { kind: 'conflict' });
        return { events: [{ type: 'approved', ticket: ticket.number, at: at(), by: actor, self: false }], result: ticket.uid! };
      }),
    );
    if (uid) outcome.acked.push(`approved:${uid}`);
  };

  await Promise.all(
    team.map(async (client) => {
      for (let n = 0; Date.now() < deadline; n++) {
        if (client.approver) await (n % 2 === 0 ? approve(client) : comment(client));
        else await (n % 2 === 0 ? submit(client) : comment(client));
      }
    }),
  );

  const replayed = await fresh();
  outcome.replay.problems = (await replayed.readWholeLog()).length;
  for (const ticket of (await replayed.read()).inLogOrder()) {
    for (const event of ticket.events) {
      outcome.replay.events++;
      const mark = markOf(event);
      if (mark) outcome.replay.marks.push(mark);
    }
  }
  await replayed.close?.();
  return outcome;
}

function lostAndDuplicated(outcome: Outcome): { lost: number; duplicated: number } {
  const seen = new Map<string, number>();
  for (const mark of outcome.replay.marks) seen.set(mark, (seen.get(mark) ?? 0) + 1);
  const lost = outcome.acked.filter((mark) => !seen.has(mark)).length;
  const duplicated = [...seen.values()].filter((count) => count > 1).length;
  return { lost, duplicated };
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const work = mkdtempSync(join(tmpdir(), 'db-tickets-team-bench-'));
  try {
    // The folder store: every client its own TicketStore on one folder, as processes sharing a folder are.
    const folder = join(work, 'folder');
    const folderClients: Client[] = Array.from({ length: clients }, (_, i) => ({ store: new TicketStore(folder), actor: `p${i}`, approver: i % 2 === 1 }));
    const folderOutcome = await load('folder', folderClients, async () => new TicketStore(folder));
    await Promise.all(folderClients.map((client) => client.store.settled()));

    // The team store: every client its own connection pool, as its own role.
    const team = await createTeamStore(server);
    const teamClients: Client[] = [];
    for (let i = 0; i < clients; i++) {
      const approver = i % 2 === 1;
      const opened = await team.open(await team.person(`p${i}`, approver ? ['approver'] : ['submitter']));
      teamClients.push({ store: opened.tickets, actor: opened.actor, approver });
    }
    const listener = await team.client(await team.person('watcher', ['submitter']));
    const arrivals = new Map<number, number>();
    listener.on('notification', (message) => arrivals.set(Number(message.payload), Date.now()));
    await listener.query(`LISTEN ${changeChannel}`);
    const owner = await team.client(await team.person('p0', ['submitter']));
    const teamOutcome = await load('team (PostgreSQL)', teamClients, async () => (await team.open(await team.person('p0', ['submitter']))).tickets);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await owner.query<{ seq: string; at_ms: string }>('SELECT seq, extract(epoch FROM at) * 1000 AS at_ms FROM db_tickets.events');
    const notifyMs = rows.map((row) => (arrivals.get(Number(row.seq)) ?? Infinity) - Number(row.at_ms));
    const unheard = notifyMs.filter((ms) => ms === Infinity).length;
    await Promise.all([listener.end(), owner.end(), ...teamClients.map((client) => client.store.close?.())]);

    console.log(`Team store under load — ${clients} clients, ${seconds} s per store — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(1)}`);
    console.log('| store | operations | ops/s | p50 ms | p99 ms | conflicts | errors | events replayed | lost | recorded twice | notification p50 / p99 ms |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    const summary = (outcome: Outcome, notify: string) => {
      const { lost, duplicated } = lostAndDuplicated(outcome);
      console.log(`| ${outcome.name} | ${outcome.ops} | ${(outcome.ops / seconds).toFixed(0)} | ${percentile(outcome.latencies, 50).toFixed(1)} | ${percentile(outcome.latencies, 99).toFixed(1)} | ${outcome.conflicts} | ${outcome.errors.length} | ${outcome.replay.events} | ${lost} | ${duplicated} | ${notify} |`);
      for (const message of [...new Set(outcome.errors)].slice(0, 3)) console.log(`  error: ${message}`);
      return { lost, duplicated };
    };
    const folderLoss = summary(folderOutcome, 'polled');
    const notifyP50 = percentile(notifyMs, 50);
    const notifyP99 = percentile(notifyMs, 99);
    const teamLoss = summary(teamOutcome, `${notifyP50.toFixed(0)} / ${notifyP99.toFixed(0)}${unheard ? ` (${unheard} never arrived)` : ''}`);
    const teamRate = teamOutcome.ops / seconds;
    const folderRate = folderOutcome.ops / seconds;
    printBenchRows([
      { bench: 'teamStore', what: `team store operations/s (${clients} clients)`, value: Number(teamRate.toFixed(0)), unit: 'ops/s', reference: `folder store ${folderRate.toFixed(0)} ops/s`, ratio: Number((teamRate / folderRate).toFixed(2)) },
      { bench: 'teamStore', what: 'team store p99 latency of an operation', value: Number(percentile(teamOutcome.latencies, 99).toFixed(1)), unit: 'ms', reference: `folder store ${percentile(folderOutcome.latencies, 99).toFixed(1)} ms` },
      { bench: 'teamStore', what: 'team store notification p99', value: Number(notifyP99.toFixed(0)), unit: 'ms', target: '≤ 1000 ms', met: notifyP99 <= 1000 && unheard === 0 },
      { bench: 'teamStore', what: 'events lost or recorded twice (team, folder)', value: teamLoss.lost + teamLoss.duplicated + folderLoss.lost + folderLoss.duplicated, unit: 'events', target: '0', met: teamLoss.lost + teamLoss.duplicated + folderLoss.lost + folderLoss.duplicated === 0 && teamOutcome.replay.problems + folderOutcome.replay.problems === 0 },
    ]);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
