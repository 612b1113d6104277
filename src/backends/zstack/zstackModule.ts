import type { BackendModule } from '../backendModule';
import { localized } from '../../core/localizable';
import { httpUrlProblem } from '../formChecks';
import { ZStackProfile, ZStackRequestTemplate } from './zstackProfile';

/** ZStack Cloud: tickets (工单) of IAM2 projects, approved through flow collections, over the REST API. */
export const zstackModule: BackendModule = {
  id: 'zstack',
  displayName: 'ZStack Cloud',
  description: 'Tickets in ZStack Cloud, approved through its IAM2 approval flows',
  icon: 'server-environment',
  profileSchema: ZStackProfile,
  usesConnections: false,
  secretFields: [{ key: 'password', label: 'ZStack password', required: true, env: 'ZSTACK_PASSWORD' }],
  formFields: [
    {
      key: 'endpoint',
      prompt: 'Management node address',
      placeholder: 'http://zstack.example.com:8080',
      kind: 'text',
      validate: (value) => (value ? httpUrlProblem(value) : localized('Give the management node address, e.g. http://zstack.example.com:8080.')),
    },
    {
      key: 'loginAs',
      prompt: 'Log in as',
      kind: 'pick',
      initial: 'iam2',
      choices: [
        { value: 'iam2', label: 'IAM2 virtual ID', detail: 'Submits tickets in a project' },
        { value: 'account', label: 'Account' },
        { value: 'user', label: 'User of an account' },
      ],
    },
    {
      key: 'username',
      prompt: 'Name to log in with',
      kind: 'text',
      validate: (value) => (value.trim() ? undefined : localized('Give the name of the virtual ID, account or user.')),
    },
    {
      key: 'accountName',
      prompt: 'Account of the user',
      kind: 'text',
      when: (values) => values.loginAs === 'user',
      validate: (value) => (value.trim() ? undefined : localized('Give the account the user belongs to.')),
    },
    {
      key: 'project',
      prompt: 'IAM2 project (name or uuid)',
      kind: 'text',
      when: (values) => values.loginAs === 'iam2',
      validate: (value) => (value.trim() ? undefined : localized('Give the project tickets are filed in.')),
    },
    {
      key: 'flowCollectionUuid',
      prompt: 'Approval flow collection (pick one, or type its uuid)',
      kind: 'pick',
      choices: [{ value: '', label: "The project's default flow collection" }],
      offered: true,
      freeText: true,
      validate: (value) => (value && !/^[0-9a-f]{32}$/i.test(value.trim()) ? localized('"{0}" is not a ZStack uuid (32 hex characters).', value) : undefined),
    },
    {
      key: 'request',
      prompt: 'The request every ticket carries: a template for one of the server\'s ticket types, or your own JSON',
      kind: 'pick',
      type: 'json',
      choices: [{ value: '', label: 'No request template yet', detail: 'Tickets cannot be submitted until the profile has one' }],
      offered: true,
      freeText: true,
      validate: (value) => (value.trim() ? requestProblem(value) : undefined),
    },
  ],
  async open(profile, host) {
    const { openZStackBackend } = await import('./openZStack');
    return openZStackBackend(profile, { secret: host.secret, env: host.env, net: host.net, log: host.log });
  },
};

/** What is wrong with a request template typed into the form, or undefined. */
function requestProblem(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return localized('The request is not JSON: {0}', (error as Error).message);
  }
  const parsed = ZStackRequestTemplate.safeParse(value);
  return parsed.success ? undefined : localized('The request is not valid: {0}', parsed.error.issues.map((issue) => issue.message).join(' '));
}
