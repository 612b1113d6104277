import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../../../src/backends/openBackend';
import { DbTicketsError } from '../../../src/core/errors';
import type { FakeDms } from '../../fakes/dms/fakeDms';
import { dmsDraft, startFake } from '../../fakes/dms/harness';

describe('answers of an unexpected shape', () => {
  let fake: FakeDms;
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(() => fake.stop());

  it('a field of another type than the API documents is reported as an unreadable answer, not a TypeError', async () => {
    const host = { storeDir: mkdtempSync(join(tmpdir(), 'store-')), demoDir: '', actor: 'a', connections: () => [], passwords: async () => undefined, secret: async (_p: string, field: string) => ({ accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' })[field], env: {}, language: 'en' };
    const backend = await openBackend({ name: 'dms', backend: 'dms', endpoint: fake.url, timeoutMs: 2_000 }, host);
    try {
      const ticket = await backend.submit(dmsDraft());
      // DMS documents StatusCode as a string; an answer with a number instead.
      (fake.orders[0] as unknown as { StatusCode: unknown }).StatusCode = 7;
      await assert.rejects(backend.get(ticket.id), (error: unknown) => {
        assert.ok(error instanceof DbTicketsError, String(error));
        assert.equal(error.kind, 'unavailable');
        assert.match(error.message, /^Alibaba Cloud DMS answered with data DB Tickets cannot read \(.+\), so get did not finish\. Try again; if it goes on, the service's answers have changed: report it with the log/);
        assert.ok(error.cause instanceof TypeError, 'the cause is kept for the log');
        return true;
      });
      // Everything else passes through as it was.
      await assert.rejects(backend.get('nope'), (error: unknown) => error instanceof DbTicketsError && error.kind === 'usage');
      assert.equal(backend.capabilities.kinds.includes('DATA_EXPORT'), true);
    } finally {
      await backend.dispose();
    }
  });
});
