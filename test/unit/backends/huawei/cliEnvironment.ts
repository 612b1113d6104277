import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { ACCESS_KEY, DOMAIN_ID } from '../../../fakes/huawei/harness';
import { cliSandbox } from '../../../support/cliSandbox';

export const RDS = 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21';
export const SQL_TYPE = '0f1e2d3c4b5a49687766554433221101';

/**
 * A home of its own for the `db-tickets` CLI whose configuration holds one Huawei Cloud profile, "hw", on `fake` —
 * configured only through the profile contract and the HUAWEICLOUD_SDK_* variables, as a pipeline would.
 */
export function huaweiCliEnvironment(fake: FakeOsm): NodeJS.ProcessEnv {
  const profile = { name: 'hw', backend: 'huawei', site: 'cn', endpoint: fake.url, iamEndpoint: fake.iamUrl, auth: 'aksk', productCategoryId: RDS, businessTypeId: SQL_TYPE };
  return {
    ...cliSandbox({ profiles: [profile] }),
    HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak,
    HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk,
    HUAWEICLOUD_SDK_DOMAIN_ID: DOMAIN_ID,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: '',
    HUAWEICLOUD_SDK_PASSWORD: '',
  };
}
