import { FakeOsm, type FakeOsmOptions } from './fakeOsm';
import type { AccessKey } from './verifier';
import type { IamUser } from './iam';

/** Seeded credentials: one account with a permanent AK/SK, a temporary (STS) AK/SK and an IAM user. */
export const DOMAIN_ID = '0a1b2c3d4e5f40718293a4b5c6d7e8f9';
export const ACCESS_KEY: AccessKey = { ak: 'HPUAOSMFAKEAK000001', sk: 'osm-fake-secret-0123456789abcdef', domainId: DOMAIN_ID, userId: 'u-alice', userName: 'alice' };
export const TEMPORARY_KEY: AccessKey = { ak: 'HSTAOSMFAKEAK000002', sk: 'osm-fake-temp-secret-0123456789', securityToken: 'gQ5hcC1zb3V0aGVhc3QtMyKUdemporary', domainId: DOMAIN_ID, userId: 'u-alice', userName: 'alice' };
export const IAM_USER: IamUser = { domainName: 'acme-cloud', userName: 'alice', password: 'Tickets#2026', domainId: DOMAIN_ID, userId: 'u-alice' };

export interface StartOptions extends FakeOsmOptions {
  /** Seed the credentials above (default true). */
  seed?: boolean;
}

export async function startFakeOsm(options: StartOptions = {}): Promise<FakeOsm> {
  const { seed = true, ...fakeOptions } = options;
  const fake = new FakeOsm(fakeOptions);
  if (seed) {
    fake.addAccessKey(ACCESS_KEY);
    fake.addAccessKey(TEMPORARY_KEY);
    fake.addIamUser(IAM_USER);
  }
  await fake.start();
  return fake;
}

/** For a mocha suite: a fresh, seeded fake OSM for each test, stopped after it. */
export function useFakeOsm(options: StartOptions = {}): () => FakeOsm {
  let fake: FakeOsm | undefined;
  beforeEach(async () => {
    fake = await startFakeOsm(options);
  });
  afterEach(async () => {
    const errors = fake?.errors ?? [];
    await fake?.stop();
    fake = undefined;
    if (errors.length > 0) throw new Error(`the fake OSM failed while answering: ${errors.map(String).join('; ')}`);
  });
  return () => {
    if (!fake) throw new Error('useFakeOsm: the fake runs only inside a test');
    return fake;
  };
}
