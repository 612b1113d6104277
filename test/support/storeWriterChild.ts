// A separate process writing to a ticket store, for the crash and concurrency tests. It prints one line per
// committed step ("submitted 12", "approved 12") only after the store's append (and its fsync) returned.
//   storeWriterChild.ts append <folder> <writer>          submits tickets until killed
//   storeWriterChild.ts race <folder> <writer> <count>    prints "ready", waits for <folder>/go, then submits <count>
//                                                         tickets and tries to approve every pending one
//   storeWriterChild.ts hold <folder> <writer>            takes the lock, prints "locked", waits for <folder>/go, then
//                                                         appends one ticket ("submitted 1") or fails (exit 1)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog } from '../../src/backends/local/store/eventLog';
import type { StoreEvent } from '../../src/backends/local/store/events';
import { sealLine } from '../../src/backends/local/store/lineChecksum';
import { TicketStore } from '../../src/backends/local/store/ticketStore';
import { canHappen } from '../../src/backends/local/store/transitions';

const [mode, folder, writer, count] = process.argv.slice(2);
const store = new TicketStore(folder, { staleLockMs: 2000 });
const at = () => new Date().toISOString();

function submitted(ticket: string, n: number): StoreEvent {
  return {
    type: 'submitted',
    ticket,
    at: at(),
    by: writer,
    draftId: `${writer}-${n}`,
    title: `Ticket ${n} from ${writer}`,
    kind: 'DATA_EXPORT',
    database: 'demo',
    reason: 'load test',
    stakeholders: [],
    sql: `SELECT ${n} AS n -- ${'x'.repeat(n % 300)}`,
  };
}

async function submit(n: number): Promise<string> {
  const id = await store.transact((tickets) => {
    const ticket = tickets.nextId();
    return { events: [submitted(ticket, n), { type: 'prechecked', ticket, at: at(), by: writer, passed: true, items: [] }], result: ticket };
  });
  process.stdout.write(`submitted ${id}\n`);
  return id;
}

/** Approves every ticket pending approval, deciding on the log as it is under the lock. */
async function approvePending(): Promise<void> {
  const pending = [...(await store.read()).newestFirst()].filter((ticket) => ticket.state === 'pending_approval').map((ticket) => ticket.id);
  for (const id of pending) {
    const approved = await store.transact((tickets) => {
      const ticket = tickets.get(id)!;
      if (!canHappen('approved', ticket.state)) return { events: [], result: false };
      return { events: [{ type: 'approved', ticket: id, at: at(), by: writer, self: ticket.submitter === writer }], result: true };
    });
    if (approved) process.stdout.write(`approved ${id}\n`);
  }
}

async function otherWriterSubmitted(): Promise<void> {
  for (;;) {
    const tickets = [...(await store.read()).newestFirst()];
    if (tickets.some((ticket) => ticket.submitter !== writer)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function main(): Promise<void> {
  if (mode === 'append') {
    for (let n = 1; ; n++) await submit(n);
  }
  if (mode === 'race') {
    process.stdout.write('ready\n');
    while (!existsSync(join(folder, 'go'))) await new Promise((resolve) => setTimeout(resolve, 5));
    for (let n = 1; n <= Number(count); n++) {
      await submit(n);
      // However the two processes are scheduled, each waits after its first ticket for the other's first, so
      // their writes certainly interleave.
      if (n === 1) await otherWriterSubmitted();
      await approvePending();
    }
    await approvePending();
    return;
  }
  if (mode === 'hold') {
    const log = new EventLog(join(folder, TicketStore.logName), { staleLockMs: 2000 });
    await log.withLock(async () => {
      process.stdout.write('locked\n');
      while (!existsSync(join(folder, 'go'))) await new Promise((resolve) => setTimeout(resolve, 5));
      await log.append([sealLine(JSON.stringify({ ...submitted('1', 1), uid: '0000000a' }))]);
    });
    process.stdout.write('submitted 1\n');
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
