import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHuaweiBackend } from '../../src/backends/huawei/openHuawei';
import type { HuaweiBackend } from '../../src/backends/huawei/huaweiBackend';
import { ACCESS_KEY, DOMAIN_ID, startFakeOsm } from '../fakes/huawei/harness';
import { baseDraft, conformance, type ConformanceSubject } from './conformance';

export const RDS_PRODUCT = 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21';
export const SQL_PROBLEM = '0f1e2d3c4b5a49687766554433221101';

/** The Huawei Cloud backend against the fake OSM, which verifies every signature and keeps its own cases. */
async function huaweiSubject(): Promise<ConformanceSubject> {
  const fake = await startFakeOsm();
  const opened: HuaweiBackend[] = [];
  const storeDir = mkdtempSync(join(tmpdir(), 'hw-store-'));
  const open = () => {
    const backend = openHuaweiBackend(
      { name: 'hw', backend: 'huawei', endpoint: fake.url, iamEndpoint: fake.iamUrl, domainId: DOMAIN_ID, productCategoryId: RDS_PRODUCT, businessTypeId: SQL_PROBLEM },
      { storeDir, secret: async () => undefined, env: { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk }, language: 'en' },
      { timeoutMs: 5_000, settleMs: 200, lagWaitMs: 6_000 },
    );
    opened.push(backend);
    return backend;
  };
  return {
    backend: open(),
    reopen: async () => open(),
    draft: (overrides) => baseDraft(overrides),
    failingDraft: () => baseDraft(),
    loseNextSubmitAnswer: () => fake.injectFault({ kind: 'dropAfterCommit', operation: 'createCase' }),
    lagLists: (ms) => (fake.listLagMs = ms),
    decideElsewhere: async (id) => {
      // Huawei Cloud support completes the case.
      fake.setNativeStatus(id, 3);
      return 'succeeded';
    },
    setUnknownStatus: async (id) => {
      fake.setNativeStatus(id, 29);
      return '29';
    },
    pendingCall: async (backend, signal) => {
      fake.injectFault({ kind: 'delay', operation: 'listCases', delayMs: 20_000 });
      return backend.list({ scope: 'all' }, { size: 10 }, { signal });
    },
    ticketCount: async () => fake.cases.all.length,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      await fake.stop();
    },
  };
}

// Cases are not prechecked: Huawei Cloud support reads them.
conformance('huawei', huaweiSubject, { precheck: false });
