import type { BackendModule, FormChoice } from '../backendModule';
import { localized } from '../../core/localizable';
import { httpsUrlProblem, httpUrlProblem } from '../formChecks';
import { DmsProfile, parseOssLocation } from './dmsProfile';

const regions: Array<[string, string]> = [
  ['cn-hangzhou', 'China (Hangzhou)'],
  ['cn-shanghai', 'China (Shanghai)'],
  ['cn-beijing', 'China (Beijing)'],
  ['cn-shenzhen', 'China (Shenzhen)'],
  ['cn-zhangjiakou', 'China (Zhangjiakou)'],
  ['cn-chengdu', 'China (Chengdu)'],
  ['cn-qingdao', 'China (Qingdao)'],
  ['cn-hongkong', 'China (Hong Kong)'],
  ['ap-southeast-1', 'Singapore'],
  ['ap-northeast-1', 'Japan (Tokyo)'],
  ['eu-central-1', 'Germany (Frankfurt)'],
  ['us-west-1', 'US (Silicon Valley)'],
];

const regionChoices: FormChoice[] = [
  ...regions.map(([value, label]) => ({ value, label: value, description: label })),
  { value: '', label: 'No region', description: 'I will give a custom endpoint' },
];

/** Alibaba Cloud DMS Enterprise: tickets are DMS orders, signed with the user's AccessKey. */
export const dmsModule: BackendModule = {
  id: 'dms',
  displayName: 'Alibaba Cloud DMS',
  description: 'Tickets in Data Management Service, with its approval flows',
  icon: 'cloud',
  profileSchema: DmsProfile,
  usesConnections: false,
  secretFields: [
    { key: 'accessKeyId', label: 'AccessKey ID', required: true, env: 'ALIBABA_CLOUD_ACCESS_KEY_ID' },
    { key: 'accessKeySecret', label: 'AccessKey secret', required: true, env: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' },
    { key: 'securityToken', label: 'STS security token (optional)', required: false, env: 'ALIBABA_CLOUD_SECURITY_TOKEN' },
  ],
  formFields: [
    {
      key: 'region',
      prompt: 'Region (pick one or type its id)',
      kind: 'pick',
      initial: 'cn-hangzhou',
      freeText: true,
      choices: regionChoices,
      validate: (value) => (value && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(value) ? localized('"{0}" is not a region id: use one like cn-hangzhou.', value) : undefined),
    },
    {
      key: 'endpoint',
      prompt: 'Custom endpoint (optional; overrides the region)',
      placeholder: 'https://dms.cn-hangzhou.aliyuncs.com',
      kind: 'text',
      validate: (value, values) =>
        value ? httpsUrlProblem(value) : values.region ? undefined : localized('Without a region an endpoint is required: give it, or go back and pick a region.'),
    },
    {
      key: 'vpc',
      prompt: 'Network',
      kind: 'pick',
      type: 'boolean',
      initial: 'false',
      choices: [
        { value: 'false', label: 'Public endpoint' },
        { value: 'true', label: 'VPC endpoint', detail: 'From inside an Alibaba Cloud VPC' },
      ],
    },
    {
      key: 'tid',
      prompt: 'Tenant id (optional; empty: your active tenant)',
      kind: 'text',
      type: 'integer',
      validate: (value) => (value && !/^\d+$/.test(value) ? localized('The tenant id is a number, e.g. 12345.') : undefined),
    },
    {
      key: 'signatureVersion',
      prompt: 'Request signature',
      kind: 'pick',
      initial: 'v3',
      choices: [
        { value: 'v3', label: 'V3 (ACS3-HMAC-SHA256)', detail: 'Recommended' },
        { value: 'v1', label: 'V1 (HMAC-SHA1)' },
      ],
    },
    {
      key: 'consoleUrl',
      prompt: 'Console address of a ticket (optional; {id} stands for the ticket id)',
      placeholder: 'https://dms.aliyun.com/?orderId={id}',
      kind: 'text',
      validate: (value) => (!value ? undefined : httpUrlProblem(value) ?? (value.includes('{id}') ? undefined : localized('Put {id} where the ticket id goes.'))),
    },
    {
      key: 'schemaChangeAs',
      prompt: 'Send schema changes as',
      kind: 'pick',
      initial: 'NDDL',
      choices: [
        { value: 'NDDL', label: 'Schema design ticket (NDDL)' },
        { value: 'DATA_CORRECT', label: 'Data change ticket (DATA_CORRECT)' },
      ],
    },
    {
      key: 'ossStaging',
      prompt: 'OSS location for long SQL and attachments (optional; oss://bucket/prefix/)',
      placeholder: 'oss://my-bucket/db-tickets/',
      kind: 'text',
      validate: (value) =>
        !value || parseOssLocation(value) ? undefined : localized('Write the OSS location as oss://bucket/prefix/; a bucket name has 3 to 63 lowercase letters, digits and hyphens, and neither starts nor ends with a hyphen.'),
    },
    {
      key: 'ossEndpoint',
      prompt: "OSS endpoint (optional; empty: the region's)",
      placeholder: 'https://oss-cn-hangzhou.aliyuncs.com',
      kind: 'text',
      when: (values) => Boolean(values.ossStaging),
      validate: (value, values) =>
        value ? httpsUrlProblem(value) : values.region ? undefined : localized('Without a region the OSS endpoint is required: give it, or go back and pick a region.'),
    },
  ],
  async open(profile, host) {
    const { openDmsBackend } = await import('./openDms');
    return openDmsBackend(profile, { storeDir: host.storeDir, secret: host.secret, env: host.env, net: host.net, log: host.log });
  },
};
