import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { Backend, DatabaseRef } from '../../core/backend/backend';
import { readEstimatedRows } from '../../core/draft/draftDocument';
import { TicketKind } from '../../core/model/ticketKind';
import type { AnalyzedStatement } from '../../core/rules/analyzeSql';
import { checkTicketKind } from '../../core/rules/kindRules';
import type { Backends } from '../profiles/backends';
import { UserFacingError } from '../shared/log';
import type { FlowStep, MultiStepInput } from '../shared/multiStepInput';
import { userItem } from '../shared/userItem';
import { mayRunSql } from '../shared/workspaceTrust';
import type { RememberedAnswers } from './rememberedAnswers';

/** What the create flow has been told so far; the draft document is made from it. */
export interface CreateAnswers {
  sql: string;
  statements: AnalyzedStatement[];
  inferred: { kind: TicketKind | null; reason: string };
  kind?: TicketKind;
  kindReason: string;
  profile?: ProfileConfig;
  backend?: Backend;
  database: string;
  title: string;
  reason: string;
  stakeholders: string[];
  /** The backend's row estimate for the SQL on `estimateOf`, started when the database is chosen. */
  estimate?: Promise<number | undefined>;
  estimateOf?: string;
  estimatedRows?: number;
  attachments: string[];
}

export const kindLabels: Record<TicketKind, string> = {
  DATA_EXPORT: 'Data export',
  SCHEMA_CHANGE: 'Schema change',
  DATA_CHANGE: 'Data change',
};

type KindItem = vscode.QuickPickItem & { ticketKind: TicketKind; refusal?: string };
type ProfileItem = vscode.QuickPickItem & { profile: ProfileConfig };
type DatabaseItem = vscode.QuickPickItem & { database: string };
type AttachmentItem = vscode.QuickPickItem & { action: 'done' | 'add' | 'remove'; path?: string };

/**
 * The questions of "Create Ticket": kind, profile, database, title, reason, stakeholders, estimated rows and
 * attachments. Questions a backend cannot use are skipped (no user search → no stakeholders step), and the
 * previous answers for the profile are offered first.
 */
export function createSteps(
  backends: Backends,
  profiles: readonly ProfileConfig[],
  remembered: RememberedAnswers,
  askKind: boolean,
): Array<FlowStep<CreateAnswers>> {
  return [
    { skip: () => !askKind, ask: (input, state) => askTicketKind(input, state) },
    { skip: () => profiles.length < 2, ask: (input, state) => askProfile(input, state, backends, profiles, remembered) },
    { ask: (input, state) => askDatabase(input, state, remembered) },
    {
      ask: async (input, state) => {
        state.title = await input.text({
          prompt: vscode.l10n.t('Title: what the ticket does, as approvers will see it in their list'),
          value: state.title,
          validate: (value) => (value.trim() ? (value.length > 200 ? vscode.l10n.t('Keep the title under 200 characters; put details in the reason.') : undefined) : vscode.l10n.t('Enter a title.')),
        });
      },
    },
    {
      ask: async (input, state) => {
        // The last reason for this profile is offered (selected, so typing replaces it).
        state.reason = await input.text({
          prompt: vscode.l10n.t('Reason: why the export or change is needed; approvers read it'),
          value: state.reason || (state.profile && remembered.reason(state.profile.name)),
          validate: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a reason.')),
        });
      },
    },
    { skip: (state) => !state.backend?.capabilities.searchUsers, ask: (input, state) => askStakeholders(input, state, remembered) },
    {
      ask: async (input, state) => {
        const value = await input.text({
          prompt: vscode.l10n.t('Estimated rows (optional): how many rows the ticket reads or changes'),
          value: state.estimatedRows?.toString(),
          pending: state.estimatedRows === undefined ? state.estimate?.then((rows) => rows?.toString()) : undefined,
          placeholder: vscode.l10n.t('Leave empty if unknown'),
          validate: (text) => (Number.isNaN(readEstimatedRows(text.trim())) ? vscode.l10n.t('Enter a whole number of rows, or leave it empty.') : undefined),
        });
        state.estimatedRows = readEstimatedRows(value.trim());
      },
    },
    { skip: (state) => !state.backend?.capabilities.attachments, ask: (input, state) => askAttachments(input, state) },
  ];
}

async function askTicketKind(input: MultiStepInput, state: CreateAnswers): Promise<void> {
  const items: KindItem[] = TicketKind.options.map((kind) => {
    const [violation] = checkTicketKind(kind, state.statements);
    const inferred = kind === state.inferred.kind;
    return {
      ticketKind: kind,
      label: `${violation ? '$(circle-slash)' : inferred ? '$(sparkle)' : '$(circle-large-outline)'} ${vscode.l10n.t(kindLabels[kind])}`,
      description: inferred ? vscode.l10n.t('suggested: {0}', state.inferred.reason) : kind,
      detail: violation?.message,
      refusal: violation?.message,
    };
  });
  const chosen = await input.pick({
    placeholder: vscode.l10n.t('Kind of ticket'),
    items,
    active: items.find((item) => item.ticketKind === (state.kind ?? state.inferred.kind)),
    refuse: (item) => item.refusal,
  });
  state.kind = chosen.ticketKind;
  state.kindReason = chosen.ticketKind === state.inferred.kind ? vscode.l10n.t('inferred: {0}', state.inferred.reason) : vscode.l10n.t('chosen');
}

async function askProfile(
  input: MultiStepInput,
  state: CreateAnswers,
  backends: Backends,
  profiles: readonly ProfileConfig[],
  remembered: RememberedAnswers,
): Promise<void> {
  const items: ProfileItem[] = profiles.map((profile) => ({ profile, label: profile.name, description: profile.backend }));
  const preferred = state.profile?.name ?? remembered.profile();
  const chosen = await input.pick({
    placeholder: vscode.l10n.t('Backend profile: where the ticket goes'),
    items,
    active: items.find((item) => item.profile.name === preferred),
  });
  await useProfile(state, chosen.profile, backends);
}

/** Opens the profile's backend and checks that it takes tickets of the chosen kind. */
export async function useProfile(state: CreateAnswers, profile: ProfileConfig, backends: Backends): Promise<void> {
  const backend = await backends.get(profile);
  if (state.kind && !backend.capabilities.kinds.includes(state.kind)) {
    throw new UserFacingError(vscode.l10n.t('Profile "{0}" does not take {1} tickets: choose another profile or kind.', profile.name, state.kind));
  }
  state.profile = profile;
  state.backend = backend;
}

async function askDatabase(input: MultiStepInput, state: CreateAnswers, remembered: RememberedAnswers): Promise<void> {
  const { profile, backend } = state;
  if (!profile || !backend) throw new Error('the profile step ran after the database step');
  const previous = state.database || remembered.database(profile.name);
  if (backend.capabilities.searchDatabases) {
    const toItem = (database: DatabaseRef): DatabaseItem => ({
      database: database.name,
      label: `$(database) ${database.name}`,
      description: [database.engine, database.environment].filter(Boolean).join(' · '),
    });
    const search = async (text: string) => (await backend.searchDatabases(text)).map(toItem);
    const items = await search('');
    const chosen = await input.pick({
      placeholder: vscode.l10n.t('Target database of profile "{0}" (type to search)', profile.name),
      items,
      active: items.find((item) => item.database === previous),
      search,
    });
    state.database = chosen.database;
  } else {
    state.database = (
      await input.text({
        prompt: vscode.l10n.t('Target database of profile "{0}"', profile.name),
        value: previous,
        validate: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the database the SQL runs on.')),
      })
    ).trim();
  }
  if (state.kind && state.estimateOf !== `${profile.name}/${state.database}/${state.kind}`) {
    state.estimateOf = `${profile.name}/${state.database}/${state.kind}`;
    state.estimatedRows = undefined;
    // The estimate runs EXPLAIN on the database: not in Restricted Mode.
    state.estimate = mayRunSql(profile) ? backend.estimateRows?.({ kind: state.kind, sql: state.sql, database: state.database }).catch(() => undefined) : undefined;
  }
}

async function askStakeholders(input: MultiStepInput, state: CreateAnswers, remembered: RememberedAnswers): Promise<void> {
  const { profile, backend } = state;
  if (!profile || !backend) throw new Error('the profile step ran after the stakeholders step');
  const previous = state.stakeholders.length > 0 ? state.stakeholders : remembered.stakeholders(profile.name);
  const chosen = await input.pickMany({
    placeholder: vscode.l10n.t('Stakeholders to keep informed (optional; type to search, Enter when done)'),
    chosen: previous.map((name) => userItem({ id: name, name })),
    search: async (text) => (await backend.searchUsers(text)).map(userItem),
    key: (item) => item.user.name,
  });
  state.stakeholders = chosen.map((item) => item.user.name);
}

async function askAttachments(input: MultiStepInput, state: CreateAnswers): Promise<void> {
  for (;;) {
    const items: AttachmentItem[] = [
      {
        action: 'done',
        label: `$(check) ${vscode.l10n.t('Continue')}`,
        description: state.attachments.length === 0 ? vscode.l10n.t('no attachments') : vscode.l10n.t('{0} file(s) attached', state.attachments.length),
      },
      { action: 'add', label: `$(add) ${vscode.l10n.t('Attach Files…')}` },
      ...state.attachments.map((path): AttachmentItem => ({ action: 'remove', path, label: `$(close) ${basename(path)}`, description: vscode.l10n.t('remove'), detail: path })),
    ];
    const chosen = await input.pick({ placeholder: vscode.l10n.t('Attachments (optional), e.g. a design document'), items, active: items[0] });
    if (chosen.action === 'done') return;
    if (chosen.action === 'remove') {
      state.attachments = state.attachments.filter((path) => path !== chosen.path);
      continue;
    }
    const files = await vscode.window.showOpenDialog({ canSelectMany: true, title: vscode.l10n.t('Attach files to the ticket') });
    for (const file of files ?? []) if (!state.attachments.includes(file.fsPath)) state.attachments.push(file.fsPath);
  }
}
