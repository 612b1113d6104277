import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDmsBackend } from '../../../src/backends/dms/openDms';
import type { DmsBackend, DmsBackendOptions } from '../../../src/backends/dms/dmsBackend';
import type { TicketDraft } from '../../../src/core/model/ticketDraft';
import { FakeDms } from './fakeDms';

export interface Keys {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
}

/**
 * A DMS backend on the fake, with the AccessKey in the host's secure storage. Each backend has a store of its own,
 * as on another computer, unless `storeDir` is given (the same computer, e.g. a second CLI run).
 */
export function dmsOn(
  fake: FakeDms,
  profile: Record<string, unknown> = {},
  keys: Keys = { accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' },
  log?: (line: string) => void,
  { storeDir, ...tuning }: Partial<DmsBackendOptions> & { storeDir?: string } = {},
): DmsBackend {
  return openDmsBackend(
    { name: 'dms-test', backend: 'dms', endpoint: fake.url, timeoutMs: 2_000, ...profile },
    { storeDir: storeDir ?? mkdtempSync(join(tmpdir(), 'dms-store-')), secret: async (_profile, field) => keys[field as keyof Keys], env: {}, homeDir: mkdtempSync(join(tmpdir(), 'dms-home-')), log },
    { settleMs: 20, lagWaitMs: 300, pollMs: 5, precheckWaitMs: 5_000, executeWaitMs: 5_000, ...tuning },
  );
}

export async function startFake(): Promise<FakeDms> {
  const fake = new FakeDms();
  await fake.start();
  return fake;
}

/** For a suite: a fresh fake DMS for each test and `open` for backends on it, all shut down after the test. */
export function useFakeDms(): { fake: () => FakeDms; open: typeof dmsOn } {
  let fake: FakeDms | undefined;
  const opened: DmsBackend[] = [];
  beforeEach(async () => {
    fake = await startFake();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((backend) => backend.dispose()));
    await fake?.stop();
  });
  const open: typeof dmsOn = (...args) => {
    const backend = dmsOn(...args);
    opened.push(backend);
    return backend;
  };
  return { fake: () => fake!, open };
}

/** A draft for the fake's databases: an export of shop_prod unless `overrides` say otherwise; a new draft id each time. */
export function dmsDraft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  return {
    id: randomUUID(),
    title: 'Export customers',
    kind: 'DATA_EXPORT',
    sql: 'SELECT id, email FROM customers',
    database: 'shop_prod',
    reason: 'weekly report',
    stakeholders: [],
    estimatedRows: 2,
    attachments: [],
    backendFields: {},
    ...overrides,
  };
}
