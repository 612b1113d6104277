import * as vscode from 'vscode';
import { localProfile, type ProfileConfig, secretKey } from '../../backends/profiles';
import type { Backends } from './backends';
import { CancelledByUser, log, redact, redactSecret, UserFacingError } from '../shared/log';
import { backendModule } from '../../backends/registry';
import type { TreeNode } from '../tickets/ticketsTree';
import { runForm } from './settingsForm';
import { backendLabel, formKey, type OfferedChoices, profileFields, profileFromValues, profileValues } from './profileForm';
import { replaceNamed, updateUserList } from './settings';
import type { WalkthroughProgress } from '../walkthrough/walkthroughProgress';

/** Add, edit, remove and check backend profiles: settings in the user settings, secrets in SecretStorage only. */
export function profileCommands(backends: Backends, secrets: vscode.SecretStorage, progress: WalkthroughProgress) {
  /** The profile a command was run on: the tree node's, or the one the user picks. */
  async function chosenProfile(node: unknown, placeHolder: string): Promise<ProfileConfig> {
    const fromNode = (node as TreeNode | undefined)?.type === 'profile' ? (node as Extract<TreeNode, { type: 'profile' }>).profile : undefined;
    if (fromNode) return backends.profile(fromNode.name);
    const items = backends.profiles().map((profile) => ({ label: profile.name, description: backendLabel(profile), profile }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
    if (!picked) throw new CancelledByUser();
    return picked.profile;
  }

  async function storedSecrets(profile: ProfileConfig): Promise<Set<string>> {
    const stored = new Set<string>();
    for (const field of secretFieldsOf(profile)) if ((await secrets.get(secretKey(profile.name, field))) !== undefined) stored.add(field);
    return stored;
  }

  async function openForm(editing: ProfileConfig | undefined): Promise<void> {
    const stored = editing ? await storedSecrets(editing) : new Set<string>();
    const offered: OfferedChoices = (profile, typed, field) =>
      backends.offered(profile, async (key) => typed.get(key) ?? (await secrets.get(secretKey(editing?.name ?? profile.name, key))), field);
    const teamStores = backends.config().connections.filter((connection) => connection.driver === 'postgres').map((connection) => connection.name);
    const fields = profileFields({ taken: backends.profiles().map((p) => p.name), editing, stored, offered, teamStores });
    const title = editing ? vscode.l10n.t('Edit Profile "{0}"', editing.name) : vscode.l10n.t('Add Backend Profile');
    const values = await runForm(fields, profileValues(editing), { title });
    if (values === undefined) throw new CancelledByUser();
    const profile = profileFromValues(values, editing);
    await save(profile, values, editing);
    log.info(`profile ${profile.name} (${profile.backend}) ${editing ? 'edited' : 'added'}`);
    await check(profile, true);
  }

  async function save(profile: ProfileConfig, values: Record<string, string>, editing: ProfileConfig | undefined): Promise<void> {
    const renamedFrom = editing && editing.name !== profile.name ? editing.name : undefined;
    // Secrets first: the settings change reopens the backends, which then read them.
    for (const field of secretFieldsOf(profile)) {
      const typed = values[formKey(profile.backend, field)];
      redactSecret(typed);
      const moved = renamedFrom && !typed ? await secrets.get(secretKey(renamedFrom, field)) : undefined;
      if (typed || moved !== undefined) await secrets.store(secretKey(profile.name, field), typed || moved!);
      if (renamedFrom) await secrets.delete(secretKey(renamedFrom, field));
    }
    await updateUserList<ProfileConfig>('profiles', (profiles) => (editing ? replaceNamed(profiles, editing.name, profile) : [...profiles, profile]));
    if (renamedFrom) await followRename(renamedFrom, profile.name);
  }

  /** Opens the profile's backend and shows what its check found; a failure offers to fix the profile. */
  async function check(profile: ProfileConfig, afterSave: boolean): Promise<void> {
    let result;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking profile "{0}"…', profile.name) },
        () => backends.probe(profile),
      );
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error));
      log.error(`checking profile ${profile.name}: ${message}`);
      const [edit, showLog] = [vscode.l10n.t('Edit Profile'), vscode.l10n.t('Show Log')];
      const text = afterSave
        ? vscode.l10n.t('Profile "{0}" is saved, but it does not work yet: {1}', profile.name, message)
        : vscode.l10n.t('Profile "{0}" does not work: {1}', profile.name, message);
      const choice = await vscode.window.showErrorMessage(text, edit, showLog);
      if (choice === showLog) log.show();
      if (choice === edit) await openForm(profile);
      return;
    }
    const facts = (result?.facts ?? []).map((fact) => `${fact.label}: ${fact.value}`).join(' · ');
    log.info(`profile ${profile.name} checked: ${facts || 'opened'}${result?.warnings.length ? `; warnings: ${result.warnings.join(' | ')}` : ''}`);
    void progress.profileWorks(profile);
    const works = facts ? vscode.l10n.t('Profile "{0}" works. {1}', profile.name, facts) : vscode.l10n.t('Profile "{0}" works: its backend opened.', profile.name);
    if (result?.warnings.length) void vscode.window.showWarningMessage(`${works}\n${result.warnings.join('\n')}`);
    else void vscode.window.showInformationMessage(works);
  }

  async function remove(node: unknown): Promise<void> {
    const profile = await chosenProfile(node, vscode.l10n.t('Profile to remove'));
    if (profile.name === localProfile.name) {
      throw new UserFacingError(
        vscode.l10n.t('The Local profile is built in and cannot be removed. To change where its tickets are kept, use Edit Profile.'),
      );
    }
    const removeLabel = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the profile "{0}"?', profile.name),
      { modal: true, detail: vscode.l10n.t('Its settings and saved credentials are deleted from VS Code. Tickets stay in the service.') },
      removeLabel,
    );
    if (answer !== removeLabel) throw new CancelledByUser();
    for (const field of secretFieldsOf(profile)) await secrets.delete(secretKey(profile.name, field));
    await updateUserList<ProfileConfig>('profiles', (profiles) => profiles.filter((p) => p.name !== profile.name));
    await followRename(profile.name, undefined);
    log.info(`profile ${profile.name} removed`);
  }

  return {
    add: () => openForm(undefined),
    edit: async (node: unknown) => openForm(await chosenProfile(node, vscode.l10n.t('Profile to edit'))),
    remove,
    check: async (node: unknown) => check(await chosenProfile(node, vscode.l10n.t('Profile to check')), false),
  };
}

/** Keeps the user's default profile pointing at a renamed profile, and drops it when the profile is removed. */
async function followRename(from: string, to: string | undefined): Promise<void> {
  const settings = vscode.workspace.getConfiguration('dbTickets');
  if (settings.inspect<string>('defaultProfile')?.globalValue === from) {
    await settings.update('defaultProfile', to, vscode.ConfigurationTarget.Global);
  }
}

function secretFieldsOf(profile: ProfileConfig): string[] {
  return (backendModule(profile.backend)?.secretFields ?? []).map((secret) => secret.key);
}
