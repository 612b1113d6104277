import * as vscode from 'vscode';
import { dmsSecretFields } from '../../backends/dms/dmsProfile';
import { localProfile, type ProfileConfig } from '../../backends/profiles';
import type { Choice, Field, FormValues } from './settingsForm';

/** The backends a profile can be set up for here; Huawei Cloud OSM and ZStack have no backend yet. */
export const formBackends = ['local', 'dms'] as const;
export type FormBackend = (typeof formBackends)[number];

/** The secrets each backend reads through `BackendHost.secret`; kept in SecretStorage only. */
export const secretFields: Record<ProfileConfig['backend'], readonly string[]> = {
  local: [],
  dms: dmsSecretFields,
  huawei: [],
  zstack: [],
};

/** The settings keys the form owns for each backend; other keys of an edited profile are kept as they are. */
const formKeys: Record<FormBackend, readonly string[]> = {
  local: ['store', 'actor'],
  dms: ['region', 'endpoint', 'vpc', 'tid', 'signatureVersion', 'consoleUrl', 'schemaChangeAs'],
};

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

/** Names go into setting lookups, secret keys and `--profile NAME`: keep them short and plain. */
export function nameProblem(name: string, taken: readonly string[], what: 'profile' | 'connection'): string | undefined {
  if (!name) return what === 'profile' ? vscode.l10n.t('Give the profile a short name, e.g. "dms-prod".') : vscode.l10n.t('Give the connection a short name, e.g. "shop-dev".');
  if (!/^[\w.@-]+$/.test(name)) return vscode.l10n.t('Use only letters, digits and . _ @ - in the name.');
  if (taken.includes(name)) return vscode.l10n.t('"{0}" is taken: choose another name.', name);
  return undefined;
}

function httpUrlProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : vscode.l10n.t('Give an https:// address.');
  } catch {
    return vscode.l10n.t('This is not an address: give one like https://dms.example.com.');
  }
}

export interface ProfileFormContext {
  /** Names of every profile there is, the one being edited included. */
  taken: readonly string[];
  editing?: ProfileConfig;
  /** Secret fields the edited profile already has in SecretStorage: left empty, they are kept. */
  stored: ReadonlySet<string>;
}

/** The steps of the profile form, per backend. */
export function profileFields(ctx: ProfileFormContext): Field[] {
  const is = (backend: FormBackend) => (values: FormValues) => values.backend === backend;
  const secret = (key: string, prompt: string, required: boolean): Field => ({
    key,
    prompt: ctx.stored.has(key) ? vscode.l10n.t('{0} (leave empty to keep the stored one)', prompt) : prompt,
    kind: 'secret',
    when: is('dms'),
    validate: (value) => (required && !value && !ctx.stored.has(key) ? vscode.l10n.t('{0} is required.', prompt) : undefined),
  });
  const pick = (key: string, prompt: string, choices: Array<[string, string, string?]>, backend: FormBackend): Field => ({
    key,
    prompt,
    kind: 'pick',
    when: is(backend),
    choices: () => choices.map(([value, label, detail]) => ({ value, label, detail })),
  });
  const taken = ctx.taken.filter((name) => name !== ctx.editing?.name);
  return [
    {
      key: 'backend',
      prompt: vscode.l10n.t('Where should tickets go? (Huawei Cloud OSM and ZStack are not available yet.)'),
      kind: 'pick',
      when: () => !ctx.editing,
      choices: () => [
        { value: 'dms', label: vscode.l10n.t('Alibaba Cloud DMS'), detail: vscode.l10n.t('Tickets in Data Management Service, with its approval flows') },
        { value: 'local', label: vscode.l10n.t('Local workflow'), detail: vscode.l10n.t('Tickets kept in a folder and run on your own database connections') },
      ],
    },
    {
      key: 'name',
      prompt: vscode.l10n.t('Profile name'),
      placeholder: 'dms-prod',
      kind: 'text',
      when: () => ctx.editing?.name !== localProfile.name,
      validate: (value) => nameProblem(value, taken, 'profile'),
    },
    {
      key: 'store',
      prompt: vscode.l10n.t('Where should the ticket log be kept?'),
      kind: 'pick',
      when: is('local'),
      choices: (values) => storeChoices(values.store),
    },
    { key: 'actor', prompt: vscode.l10n.t('Your name in the audit trail (empty: your user name)'), kind: 'text', when: is('local') },
    {
      key: 'region',
      prompt: vscode.l10n.t('Region (pick one or type its id)'),
      kind: 'pick',
      freeText: true,
      when: is('dms'),
      choices: () => [
        ...regions.map(([value, label]) => ({ value, label: value, description: vscode.l10n.t(label) })),
        { value: '', label: vscode.l10n.t('No region'), description: vscode.l10n.t('I will give a custom endpoint') },
      ],
      validate: (value) => (value && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(value) ? vscode.l10n.t('"{0}" is not a region id: use one like cn-hangzhou.', value) : undefined),
    },
    {
      key: 'endpoint',
      prompt: vscode.l10n.t('Custom endpoint (optional; overrides the region)'),
      placeholder: 'https://dms.cn-hangzhou.aliyuncs.com',
      kind: 'text',
      when: is('dms'),
      validate: (value, values) =>
        value ? httpUrlProblem(value) : values.region ? undefined : vscode.l10n.t('Without a region an endpoint is required: give it, or go back and pick a region.'),
    },
    pick('vpc', vscode.l10n.t('Network'), [['false', vscode.l10n.t('Public endpoint')], ['true', vscode.l10n.t('VPC endpoint'), vscode.l10n.t('From inside an Alibaba Cloud VPC')]], 'dms'),
    {
      key: 'tid',
      prompt: vscode.l10n.t('Tenant id (optional; empty: your active tenant)'),
      kind: 'text',
      when: is('dms'),
      validate: (value) => (value && !/^\d+$/.test(value) ? vscode.l10n.t('The tenant id is a number, e.g. 12345.') : undefined),
    },
    pick('signatureVersion', vscode.l10n.t('Request signature'), [['v3', 'V3 (ACS3-HMAC-SHA256)', vscode.l10n.t('Recommended')], ['v1', 'V1 (HMAC-SHA1)']], 'dms'),
    {
      key: 'consoleUrl',
      prompt: vscode.l10n.t('Console address of a ticket (optional; {id} stands for the ticket id)'),
      placeholder: 'https://dms.aliyun.com/?orderId={id}',
      kind: 'text',
      when: is('dms'),
      validate: (value) => (!value ? undefined : httpUrlProblem(value) ?? (value.includes('{id}') ? undefined : vscode.l10n.t('Put {id} where the ticket id goes.'))),
    },
    pick(
      'schemaChangeAs',
      vscode.l10n.t('Send schema changes as'),
      [['NDDL', vscode.l10n.t('Schema design ticket (NDDL)')], ['DATA_CORRECT', vscode.l10n.t('Data change ticket (DATA_CORRECT)')]],
      'dms',
    ),
    secret('accessKeyId', vscode.l10n.t('AccessKey ID'), true),
    secret('accessKeySecret', vscode.l10n.t('AccessKey secret'), true),
    secret('securityToken', vscode.l10n.t('STS security token (optional)'), false),
  ];
}

function storeChoices(current: string | undefined): Choice[] {
  const choices: Choice[] = [{ value: '', label: vscode.l10n.t('Default location'), detail: vscode.l10n.t("In VS Code's storage for this extension") }];
  if (current) choices.push({ value: current, label: current, description: vscode.l10n.t('current') });
  choices.push({
    value: '',
    label: vscode.l10n.t('Choose a Folder…'),
    detail: vscode.l10n.t('e.g. a folder in your repository, to keep the audit trail in git'),
    browse: { canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Keep Tickets Here') },
  });
  return choices;
}

/** The form's answers for an existing profile (secrets are never shown, so they start empty). */
export function profileValues(profile: ProfileConfig | undefined): FormValues {
  const text = (key: string) => (profile?.[key] === undefined ? '' : String(profile[key]));
  return {
    backend: profile?.backend ?? '',
    name: profile?.name ?? '',
    store: text('store'),
    actor: text('actor'),
    region: profile ? text('region') : 'cn-hangzhou',
    endpoint: text('endpoint'),
    vpc: profile?.vpc === true ? 'true' : 'false',
    tid: text('tid'),
    signatureVersion: text('signatureVersion') || 'v3',
    consoleUrl: text('consoleUrl'),
    schemaChangeAs: text('schemaChangeAs') || 'NDDL',
  };
}

/** The profile the answers describe, keeping the keys of an edited profile the form does not own. */
export function profileFromValues(values: FormValues, editing?: ProfileConfig): ProfileConfig {
  const backend = (editing?.backend ?? values.backend) as FormBackend;
  const profile: ProfileConfig = { ...editing, name: values.name || (editing?.name ?? ''), backend };
  for (const key of formKeys[backend]) delete profile[key];
  const set = (key: string, value: unknown) => value !== '' && value !== undefined && (profile[key] = value);
  if (backend === 'local') {
    set('store', values.store);
    set('actor', values.actor);
  } else {
    set('region', values.region);
    set('endpoint', values.endpoint);
    if (values.vpc === 'true') profile.vpc = true;
    set('tid', values.tid && Number(values.tid));
    set('signatureVersion', values.signatureVersion);
    set('consoleUrl', values.consoleUrl);
    set('schemaChangeAs', values.schemaChangeAs);
  }
  return profile;
}
