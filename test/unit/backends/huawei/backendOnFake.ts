import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HuaweiBackend } from '../../../../src/backends/huawei/huaweiBackend';
import { type HuaweiTuning, openHuaweiBackend } from '../../../../src/backends/huawei/openHuawei';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { ACCESS_KEY } from '../../../fakes/huawei/harness';
import { RDS, SQL_TYPE } from './cliEnvironment';

/**
 * For a mocha suite: `open` makes a Huawei Cloud backend on the suite's fake OSM (access key from the environment,
 * a store of its own, short timeouts), disposed of after each test.
 */
export function useHuaweiBackends(fake: () => FakeOsm) {
  const opened: HuaweiBackend[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.dispose()));
  });
  return (profile: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk }, tuning: HuaweiTuning = {}, language = 'en') => {
    const backend = openHuaweiBackend(
      { name: 'hw', backend: 'huawei', endpoint: fake().url, iamEndpoint: fake().iamUrl, productCategoryId: RDS, businessTypeId: SQL_TYPE, ...profile },
      { storeDir: mkdtempSync(join(tmpdir(), 'hw-store-')), secret: async () => undefined, env, language },
      { timeoutMs: 3_000, settleMs: 50, lagWaitMs: 1_000, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, ...tuning },
    );
    opened.push(backend);
    return backend;
  };
}
