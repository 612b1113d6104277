// A separate process writing to a team store, for the tests of a writer that stops inside its transaction.
//   teamWriterChild.ts <client config as JSON> <idle write ms>
// Submits one ticket. Inside its write transaction (holding the store's write lock) it prints "locked" and waits a
// moment, so the parent can stop it there with SIGSTOP. It prints "submitted N", or the error's message on stderr
// and exits 1.
import { writeSync } from 'node:fs';
import { TeamTicketStore } from '../../src/backends/local/teamStore/teamTicketStore';

const [config, idleWriteMs] = process.argv.slice(2);

async function main(): Promise<void> {
  const store = await TeamTicketStore.open(JSON.parse(config), { location: 'the test store', idleWriteMs: Number(idleWriteMs) });
  try {
    const id = await store.transact((tickets) => {
      const ticket = tickets.nextId();
      writeSync(1, 'locked\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      const at = new Date().toISOString();
      return {
        events: [{ type: 'submitted', ticket, at, by: 'child', draftId: 'paused-writer', title: 'From the paused writer', kind: 'DATA_EXPORT', database: 'demo', reason: 'test', stakeholders: [], sql: 'SELECT 1' }],
        result: ticket,
      };
    });
    process.stdout.write(`submitted ${id}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
