import { openZStackBackend } from '../../src/backends/zstack/openZStack';
import type { ZStackBackend } from '../../src/backends/zstack/zstackBackend';
import { DB_CHANGE_API, startFakeZStack, WORLD } from '../fakes/zstack/harness';
import { baseDraft, conformance, type ConformanceSubject } from './conformance';

const request = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 };

/** The ZStack backend against the fake ZStack: SHA-512 logins, sessions, the async job protocol, approval flows. */
async function zstackSubject(): Promise<ConformanceSubject> {
  const fake = await startFakeZStack();
  const opened: ZStackBackend[] = [];
  const open = (who: { name: string; password: string }) => {
    const backend = openZStackBackend(
      { name: 'zs', backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username: who.name, project: WORLD.project.name, request },
      { secret: async () => undefined, env: { ZSTACK_PASSWORD: who.password } },
      { pollMs: 20 },
    );
    opened.push(backend);
    return backend;
  };
  const alice = open(WORLD.submitter);
  return {
    backend: alice,
    reopen: async () => open(WORLD.submitter),
    draft: (overrides) => baseDraft({ kind: 'DATA_CHANGE', sql: "UPDATE orders SET state = 'paid' WHERE id = 42", ...overrides }),
    failingDraft: () => baseDraft(),
    loseNextSubmitAnswer: () => fake.injectFault({ kind: 'lost202', operation: 'CreateTicket' }),
    lagLists: (ms) => (fake.listLagMs = ms),
    decideElsewhere: async (id) => {
      await open(WORLD.lead).act(id, { action: 'reject', comment: 'not now' });
      return 'rejected';
    },
    setUnknownStatus: async (id) => {
      fake.setNativeStatus(id, 'OnHold');
      return 'OnHold';
    },
    pendingCall: async (backend, signal) => {
      fake.injectFault({ kind: 'delay', operation: 'QueryTicket', delayMs: 20_000 });
      return backend.list({ scope: 'all' }, { size: 10 }, { signal });
    },
    ticketCount: async () => fake.tickets.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      await fake.stop();
    },
  };
}

// ZStack checks nothing before approval: a request that fails shows after the final approval instead.
conformance('zstack', zstackSubject, { precheck: false });
