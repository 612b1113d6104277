import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDmsBackend } from '../../src/backends/dms/openDms';
import type { DmsBackend } from '../../src/backends/dms/dmsBackend';
import type { FakeDms } from '../fakes/dms/fakeDms';
import { startFake } from '../fakes/dms/harness';
import { baseDraft, conformance, type ConformanceSubject } from './conformance';

const keys = {
  alice: { accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' },
  bob: { accessKeyId: 'bob-ak', accessKeySecret: 'bob-secret-0123456789' },
};

/** The DMS backend against the fake DMS, which verifies every signature and keeps its own tickets. */
async function dmsSubject(): Promise<ConformanceSubject> {
  const fake: FakeDms = await startFake();
  const opened: DmsBackend[] = [];
  const storeDir = mkdtempSync(join(tmpdir(), 'dms-store-'));
  const open = (who: keyof typeof keys) => {
    const backend = openDmsBackend(
      { name: 'dms-conformance', backend: 'dms', endpoint: fake.url, timeoutMs: 2_000 },
      { storeDir, secret: async (_profile, field) => keys[who][field as 'accessKeyId'], env: {}, homeDir: mkdtempSync(join(tmpdir(), 'dms-home-')) },
      { settleMs: 20, pollMs: 5, precheckWaitMs: 5_000, executeWaitMs: 5_000 },
    );
    opened.push(backend);
    return backend;
  };
  const alice = open('alice');
  const order = (id: string) => fake.orders.find((o) => String(o.OrderId) === id)!;
  return {
    backend: alice,
    reopen: async () => open('alice'),
    draft: (overrides) => baseDraft({ database: 'shop_prod', ...overrides }),
    failingDraft: () => baseDraft({ database: 'shop_prod', kind: 'DATA_CHANGE', sql: "UPDATE customers SET note = 'FAIL_PRECHECK' WHERE id = 1" }),
    loseNextSubmitAnswer: () => fake.inject({ kind: 'dropAfterCommit', action: 'CreateOrder' }),
    lagLists: (ms) => (fake.listLagMs = ms),
    decideElsewhere: async (id) => {
      await open('bob').act(id, { action: 'approve', comment: 'ok' });
      return 'approved';
    },
    setUnknownStatus: async (id) => {
      order(id).StatusCode = 'waiting_for_the_moon';
      return 'waiting_for_the_moon';
    },
    pendingCall: async (backend, signal) => {
      fake.inject({ kind: 'delay', action: 'ListOrders', delayMs: 20_000 });
      return backend.list({ scope: 'all' }, { size: 10 }, { signal });
    },
    ticketCount: async () => fake.orders.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      await fake.stop();
    },
  };
}

conformance('dms', dmsSubject, { precheck: true });
