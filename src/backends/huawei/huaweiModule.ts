import type { BackendModule } from '../backendModule';
import { localized } from '../../core/localizable';
import { httpsUrlProblem } from '../formChecks';
import { secretEnv } from './credentials';
import { HuaweiProfile } from './huaweiProfile';

const idProblem = (value: string) => (value && !/^[A-Za-z0-9_-]{1,64}$/.test(value.trim()) ? localized('"{0}" is not an id: ids are letters, digits, "-" and "_" (db-tickets check lists them).', value) : undefined);

/** The access key is asked for AK/SK signing, the password for token login. */
const byAccessKey = (values: Readonly<Record<string, string>>) => values.auth !== 'token';

/** Huawei Cloud service tickets (工单, OSM API v2): a draft becomes a case for Huawei Cloud support. */
export const huaweiModule: BackendModule = {
  id: 'huawei',
  displayName: 'Huawei Cloud tickets',
  description: 'Cases for Huawei Cloud support, in its service ticket system',
  icon: 'comment-discussion',
  profileSchema: HuaweiProfile,
  usesConnections: false,
  secretFields: [
    { key: 'accessKeyId', label: 'Access key ID (AK)', required: false, env: secretEnv.accessKeyId, when: byAccessKey },
    { key: 'secretAccessKey', label: 'Secret access key (SK)', required: false, env: secretEnv.secretAccessKey, when: byAccessKey },
    { key: 'securityToken', label: 'Security token of a temporary access key (optional)', required: false, env: secretEnv.securityToken, when: byAccessKey },
    { key: 'password', label: 'IAM user password (token login)', required: false, env: secretEnv.password, when: (values) => !byAccessKey(values) },
  ],
  formFields: [
    {
      key: 'site',
      prompt: 'Huawei Cloud site',
      kind: 'pick',
      initial: 'cn',
      choices: [
        { value: 'cn', label: 'China site', description: 'osm.cn-south-1.myhuaweicloud.com' },
        { value: 'intl', label: 'International site', description: 'osm.ap-southeast-3.myhuaweicloud.com' },
      ],
    },
    {
      key: 'endpoint',
      prompt: 'Custom ticket service endpoint (optional; overrides the site)',
      placeholder: 'https://osm.cn-south-1.myhuaweicloud.com',
      kind: 'text',
      validate: (value) => (value ? httpsUrlProblem(value) : undefined),
    },
    {
      key: 'iamEndpoint',
      prompt: 'Custom IAM endpoint (optional; overrides the site)',
      placeholder: 'https://iam.myhuaweicloud.com',
      kind: 'text',
      when: (values) => values.endpoint !== '',
      validate: (value) => (value ? httpsUrlProblem(value) : undefined),
    },
    {
      key: 'auth',
      prompt: 'Sign in with',
      kind: 'pick',
      initial: 'aksk',
      choices: [
        { value: 'aksk', label: 'Access key (AK/SK)', detail: 'Permanent or temporary access key; recommended' },
        { value: 'token', label: 'IAM user name and password', detail: 'A token from IAM, renewed as it expires' },
      ],
    },
    {
      key: 'domainName',
      prompt: 'Account name of the IAM user',
      kind: 'text',
      when: (values) => values.auth === 'token',
      validate: (value) => (value.trim() ? undefined : localized('Give the account (domain) name the IAM user belongs to.')),
    },
    {
      key: 'userName',
      prompt: 'IAM user name',
      kind: 'text',
      when: (values) => values.auth === 'token',
      validate: (value) => (value.trim() ? undefined : localized('Give the IAM user name to log in with.')),
    },
    {
      key: 'domainId',
      prompt: 'Account id (optional; empty: HUAWEICLOUD_SDK_DOMAIN_ID or a lookup through IAM)',
      kind: 'text',
      validate: idProblem,
    },
    {
      key: 'productCategoryId',
      prompt: 'Product category of new cases (pick one, or type its id)',
      kind: 'pick',
      choices: [{ value: '', label: 'Any product category' }],
      offered: true,
      freeText: true,
      validate: idProblem,
    },
    {
      key: 'businessTypeId',
      prompt: 'Problem type of new cases (pick one, or type its id)',
      kind: 'pick',
      offered: true,
      freeText: true,
      validate: idProblem,
    },
    {
      key: 'regionId',
      prompt: 'Region of new cases (optional; needed by fault reports), e.g. cn-north-4',
      kind: 'text',
      validate: (value) => (value && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(value.trim()) ? localized('"{0}" is not a region id: use one like cn-north-4.', value) : undefined),
    },
  ],
  async open(profile, host) {
    const { openHuaweiBackend } = await import('./openHuawei');
    return openHuaweiBackend(profile, { storeDir: host.storeDir, secret: host.secret, env: host.env, language: host.language, net: host.net, log: host.log });
  },
};
