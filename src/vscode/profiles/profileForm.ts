import * as vscode from 'vscode';
import type { BackendModule, ProfileFormField } from '../../backends/backendModule';
import { localProfile, type ProfileConfig } from '../../backends/profiles';
import { backendModule, backendModules } from '../../backends/registry';
import type { ProfileChoice } from '../../core/backend/backend';
import type { Localizable } from '../../core/localizable';
import type { Choice, Field, FormValues } from './settingsForm';

/** A backend module's English text in the user's language. */
export function translate(text: Localizable): string {
  return typeof text === 'string' ? vscode.l10n.t(text) : vscode.l10n.t(text.template, ...text.args);
}

/** The backend's name in the user's language. */
export function backendLabel(profile: ProfileConfig): string {
  const module = backendModule(profile.backend);
  return module ? translate(module.displayName) : profile.backend;
}

/** Names go into setting lookups, secret keys and `--profile NAME`: keep them short and plain. */
export function nameProblem(name: string, taken: readonly string[], what: 'profile' | 'connection'): string | undefined {
  if (!name) return what === 'profile' ? vscode.l10n.t('Give the profile a short name, e.g. "dms-prod".') : vscode.l10n.t('Give the connection a short name, e.g. "shop-dev".');
  if (!/^[\w.@-]+$/.test(name)) return vscode.l10n.t('Use only letters, digits and . _ @ - in the name.');
  if (taken.includes(name)) return vscode.l10n.t('"{0}" is taken: choose another name.', name);
  return undefined;
}

/** Asks the service a profile's backend speaks to for the values it offers for a field, given the answers so far. */
export type OfferedChoices = (profile: ProfileConfig, typedSecrets: ReadonlyMap<string, string>, field: string) => Promise<ProfileChoice[]>;

export interface ProfileFormContext {
  /** Names of every profile there is, the one being edited included. */
  taken: readonly string[];
  editing?: ProfileConfig;
  /** Secret fields the edited profile already has in SecretStorage: left empty, they are kept. */
  stored: ReadonlySet<string>;
  offered: OfferedChoices;
  /** The PostgreSQL connections, each of which may hold a team store. */
  teamStores: readonly string[];
}

/** A backend field's key among the form's answers: backends may share field names (e.g. `endpoint`). */
export function formKey(backend: string, key: string): string {
  return `${backend}.${key}`;
}

/** The answers that belong to one backend, under the field names its module uses. */
function ownValues(module: BackendModule, values: FormValues): FormValues {
  const own: FormValues = { backend: values.backend, name: values.name };
  for (const field of module.formFields) own[field.key] = values[formKey(module.id, field.key)] ?? '';
  return own;
}

/** The steps of the profile form: the backend (for a new profile), the name, then the chosen backend's fields and secrets. */
export function profileFields(ctx: ProfileFormContext): Field[] {
  const taken = ctx.taken.filter((name) => name !== ctx.editing?.name);
  return [
    {
      key: 'backend',
      prompt: vscode.l10n.t('Where should tickets go?'),
      kind: 'pick',
      when: () => !ctx.editing,
      choices: () => backendModules.map((module) => ({ value: module.id, label: translate(module.displayName), detail: translate(module.description) })),
    },
    {
      key: 'name',
      prompt: vscode.l10n.t('Profile name'),
      placeholder: 'dms-prod',
      kind: 'text',
      when: () => ctx.editing?.name !== localProfile.name,
      validate: (value) => nameProblem(value, taken, 'profile'),
    },
    // A backend's fields, its secrets, then the fields whose choices the service offers (asking it needs the secrets).
    ...backendModules.flatMap((module) => [
      ...module.formFields.filter((field) => !field.offered).map((field) => formStep(module, field, ctx)),
      ...module.secretFields.map(
        (secret): Field => ({
          key: formKey(module.id, secret.key),
          prompt: ctx.stored.has(secret.key) ? vscode.l10n.t('{0} (leave empty to keep the stored one)', translate(secret.label)) : translate(secret.label),
          kind: 'secret',
          when: (values) => values.backend === module.id && (secret.when?.(ownValues(module, values)) ?? true),
          validate: (value) => (secret.required && !value && !ctx.stored.has(secret.key) ? vscode.l10n.t('{0} is required.', translate(secret.label)) : undefined),
        }),
      ),
      ...module.formFields.filter((field) => field.offered).map((field) => formStep(module, field, ctx)),
    ]),
  ];
}

function formStep(module: BackendModule, field: ProfileFormField, ctx: ProfileFormContext): Field {
  const validate = field.validate;
  return {
    load: field.offered
      ? async (values) => {
          const secrets = new Map(module.secretFields.flatMap((secret) => (values[formKey(module.id, secret.key)] ? [[secret.key, values[formKey(module.id, secret.key)]] as const] : [])));
          const offered = await ctx.offered(profileFromValues(values, ctx.editing), secrets, field.key);
          const current = values[formKey(module.id, field.key)] ?? '';
          // A value typed earlier that the service does not list stays at hand.
          const kept = current && !offered.some((choice) => choice.value === current) ? [{ value: current, label: current, description: vscode.l10n.t('current') }] : [];
          return [...kept, ...offered.map((choice) => ({ value: choice.value, label: choice.label, description: choice.description }))];
        }
      : undefined,
    key: formKey(module.id, field.key),
    prompt: translate(field.prompt),
    placeholder: field.placeholder,
    kind: field.kind === 'text' ? 'text' : 'pick',
    freeText: field.freeText,
    when: (values) => values.backend === module.id && (field.when?.(ownValues(module, values)) ?? true),
    choices: (values) =>
      field.kind === 'folder'
        ? folderChoices(field, values[formKey(module.id, field.key)], ctx.teamStores)
        : (field.choices ?? []).map((choice) => ({
            value: choice.value,
            label: translate(choice.label),
            description: choice.description && translate(choice.description),
            detail: choice.detail && translate(choice.detail),
          })),
    validate: validate && ((value, values) => {
      const problem = validate(value, ownValues(module, values));
      return problem === undefined ? undefined : translate(problem);
    }),
  };
}

function folderChoices(field: ProfileFormField, current: string | undefined, teamStores: readonly string[]): Choice[] {
  const folder = field.folder!;
  const teamStore = (name: string) => JSON.stringify({ connection: name });
  const choices: Choice[] = [{ value: '', label: translate(folder.defaultLabel), detail: translate(folder.defaultDetail) }];
  if (current) choices.push({ value: current, label: storeLabel(current), description: vscode.l10n.t('current') });
  choices.push({
    value: '',
    label: vscode.l10n.t('Choose a Folder…'),
    detail: translate(folder.browseDetail),
    browse: { canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: translate(folder.openLabel) },
  });
  if (folder.orTeamStore) {
    for (const name of teamStores.filter((name) => teamStore(name) !== current)) {
      choices.push({ value: teamStore(name), label: storeLabel(teamStore(name)), detail: vscode.l10n.t('Shared with your team in this PostgreSQL database, set up once by its owner with db-tickets store init') });
    }
  }
  return choices;
}

/** How a store answer reads: a folder as its path, a team store by its connection. */
function storeLabel(answer: string): string {
  if (!answer.startsWith('{')) return answer;
  const { connection } = JSON.parse(answer) as { connection?: string };
  return vscode.l10n.t('Team store in "{0}"', connection ?? answer);
}

/**
 * The form's answers for a profile (secrets are never shown, so they start empty). A new profile starts from each
 * field's initial answer; an edited one from its settings, or the initial answer of a pick that has no empty choice.
 */
export function profileValues(profile: ProfileConfig | undefined): FormValues {
  const values: FormValues = { backend: profile?.backend ?? '', name: profile?.name ?? '' };
  for (const module of backendModules) {
    for (const field of module.formFields) {
      const stored = profile?.backend === module.id ? profile[field.key] : undefined;
      const emptyAllowed = field.kind !== 'pick' || field.choices?.some((choice) => choice.value === '') === true;
      // A folder field may hold an object too (a team store's connection), kept as its JSON.
      const asJson = field.type === 'json' || (field.kind === 'folder' && typeof stored === 'object');
      values[formKey(module.id, field.key)] = stored !== undefined ? (asJson ? JSON.stringify(stored) : String(stored)) : !profile || !emptyAllowed ? (field.initial ?? '') : '';
    }
  }
  return values;
}

/** The profile the answers describe, keeping the keys of an edited profile the form does not own. */
export function profileFromValues(values: FormValues, editing?: ProfileConfig): ProfileConfig {
  const module = backendModule(editing?.backend ?? values.backend)!;
  const profile: ProfileConfig = { ...editing, name: values.name || (editing?.name ?? ''), backend: module.id };
  for (const field of module.formFields) {
    delete profile[field.key];
    const value = values[formKey(module.id, field.key)] ?? '';
    if (field.type === 'boolean') {
      if (value === 'true') profile[field.key] = true;
    } else if (value !== '') {
      const json = field.type === 'json' || (field.kind === 'folder' && value.startsWith('{'));
      profile[field.key] = field.type === 'integer' ? Number(value) : json ? JSON.parse(value) : value;
    }
  }
  return profile;
}
