import * as vscode from 'vscode';
import { ConnectionConfig, demoConnection } from '../../backends/local/db/connectionConfig';
import { openEngine } from '../../backends/local/db/openEngine';
import { firstPassword, type PasswordSource } from '../../backends/local/db/passwordSource';
import { DbTicketsError } from '../../core/errors';
import { type Backends, passwordKey } from './backends';
import { CancelledByUser, log, redact, redactSecret, UserFacingError } from '../shared/log';
import { connectionFields, connectionFromValues, connectionValues } from './connectionForm';
import { type Choice, type FormValues, runForm } from './settingsForm';
import { replaceNamed, updateUserList } from './settings';

/** What a failed connection test means and which step fixes it. */
export interface ConnectionFailure {
  message: string;
  fix: 'password' | 'host' | 'database' | 'tls' | undefined;
}

/** Turns a failed test into what, why and what to do, with the step to go back to. */
export function connectionFailure(error: unknown, connection: ConnectionConfig): ConnectionFailure {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const tlsProblem = /\b(ssl|tls)\b|certificate|self[- ]signed|CERT_|EPROTO/i;
  const detail = cause?.message ?? message;
  if (tlsProblem.test(detail) || tlsProblem.test(String((cause as { code?: string } | undefined)?.code))) {
    return {
      message: vscode.l10n.t(
        'TLS to "{0}" failed: {1}. If the server offers no TLS, turn TLS off; if its certificate is self-signed or from a private authority, choose that authority\'s PEM file (or, for a test server only, turn off verification).',
        connection.name,
        detail.replace(/\.$/, ''),
      ),
      fix: 'tls',
    };
  }
  if (error instanceof DbTicketsError) {
    if (error.kind === 'auth') return { message, fix: 'password' };
    if (error.kind === 'unavailable') return { message, fix: 'host' };
    if (error.kind === 'config' && /password/i.test(message)) return { message, fix: 'password' };
    if (error.kind === 'config' && /database/i.test(message)) return { message, fix: 'database' };
  }
  return { message, fix: undefined };
}

/** Opens the engine the way tickets will, runs a trivial query, and closes it. */
async function testConnection(connection: ConnectionConfig, passwords: PasswordSource): Promise<void> {
  const engine = await openEngine(connection, passwords, { check: true });
  try {
    const [result] = await engine.validate(['SELECT 1']);
    if (result?.status === 'error') throw new DbTicketsError('failed', vscode.l10n.t('"{0}" connected but could not run SELECT 1: {1}', connection.name, result.message ?? ''));
  } finally {
    await engine.close();
  }
}

type FinalAnswer = 'save' | { fix: string | undefined } | undefined;

/** Add, edit and remove the Local backend's database connections; passwords in SecretStorage only. */
export function connectionCommands(backends: Backends, secrets: vscode.SecretStorage) {
  function connections(): ConnectionConfig[] {
    return backends.config().connections;
  }

  async function chosenConnection(placeHolder: string): Promise<ConnectionConfig> {
    const items = connections().map((connection) => ({ label: connection.name, description: connection.driver, connection }));
    const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
    if (!picked) throw new CancelledByUser();
    return picked.connection;
  }

  function refuseDemo(connection: ConnectionConfig, action: 'edit' | 'remove'): void {
    if (connection.name !== demoConnection.name || connection.driver !== 'demo') return;
    throw new UserFacingError(
      action === 'remove'
        ? vscode.l10n.t('The demo database is built in and cannot be removed. It is a small sample shop for trying tickets; you need not use it.')
        : vscode.l10n.t('The demo database is built in and has nothing to set up. Add a database connection for your own database.'),
    );
  }

  async function openForm(editing: ConnectionConfig | undefined): Promise<void> {
    const stored = editing ? await secrets.get(passwordKey(editing)) : undefined;
    const fields = connectionFields({ taken: connections().map((c) => c.name), editing, hasStoredPassword: stored !== undefined });
    const title = editing ? vscode.l10n.t('Edit Connection "{0}"', editing.name) : vscode.l10n.t('Add Database Connection');
    let values: FormValues = connectionValues(editing);
    let startAt: string | undefined;
    let connection: ConnectionConfig;
    for (;;) {
      const answers = await runForm(fields, values, { title, stepsAfter: 1, startAt });
      if (answers === undefined) throw new CancelledByUser();
      values = answers;
      redactSecret(values.password);
      const parsed = ConnectionConfig.safeParse(connectionFromValues(values, editing));
      if (!parsed.success) throw new UserFacingError(vscode.l10n.t('The connection is not valid: {0}', parsed.error.issues[0].message));
      connection = parsed.data;
      const passwords = firstPassword(async () => values.password || stored, backends.passwords());
      const visible = fields.filter((field) => field.when?.(values) ?? true);
      const total = visible.length + 1;
      const answer = await finalStep(connection, passwords, { title, step: total, totalSteps: total });
      if (answer === undefined) throw new CancelledByUser();
      if (answer === 'save') break;
      startAt = answer.fix ?? visible[visible.length - 1].key;
    }
    const renamedFrom = editing && editing.name !== connection.name ? editing.name : undefined;
    const password = values.password || (renamedFrom ? stored : undefined);
    if (password && connection.driver !== 'sqlite') await secrets.store(passwordKey(connection), password);
    if (renamedFrom) await secrets.delete(passwordKey(editing!));
    await updateUserList<ConnectionConfig>('connections', (list) => (editing ? replaceNamed(list, editing.name, connection) : [...list, connection]));
    log.info(`connection ${connection.name} (${connection.driver}) ${editing ? 'edited' : 'added'}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Database connection "{0}" saved.', connection.name));
  }

  /** The last step: test the connection (and go back to fix what failed) or save. */
  async function finalStep(connection: ConnectionConfig, passwords: PasswordSource, ui: { title: string; step: number; totalSteps: number }): Promise<FinalAnswer> {
    const pick = vscode.window.createQuickPick<Choice>();
    Object.assign(pick, ui, { ignoreFocusOut: true, buttons: [vscode.QuickInputButtons.Back] });
    const test: Choice = { value: 'test', label: `$(plug) ${vscode.l10n.t('Test Connection')}`, detail: vscode.l10n.t('Connects the way tickets will and runs SELECT 1') };
    const save: Choice = { value: 'save', label: `$(save) ${vscode.l10n.t('Save')}` };
    pick.placeholder = vscode.l10n.t('Test the connection before saving it');
    pick.items = [test, { ...save, label: `$(save) ${vscode.l10n.t('Save without Testing')}` }];
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<FinalAnswer>((resolve) => {
        disposables.push(
          pick.onDidTriggerButton(() => resolve({ fix: undefined })),
          pick.onDidHide(() => resolve(undefined)),
          pick.onDidAccept(async () => {
            const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
            if (!chosen) return;
            if (chosen.value === 'save') return resolve('save');
            if (chosen.value === 'log') return log.show(true);
            if (chosen.value.startsWith('fix:')) return resolve({ fix: chosen.value.slice(4) });
            pick.busy = true;
            pick.enabled = false;
            try {
              await testConnection(connection, passwords);
              log.info(`connection ${connection.name}: test passed`);
              pick.placeholder = vscode.l10n.t('Connected to "{0}" and ran SELECT 1. Save the connection?', connection.name);
              pick.items = [save];
            } catch (error) {
              const failure = connectionFailure(error, connection);
              log.warn(`connection ${connection.name}: test failed: ${failure.message}`);
              pick.placeholder = vscode.l10n.t('The connection test failed: choose what to fix');
              pick.items = failureChoices(connection, redact(failure.message), failure.fix, test);
            } finally {
              pick.busy = false;
              pick.enabled = true;
            }
          }),
        );
        pick.show();
      });
    } finally {
      disposables.forEach((d) => d.dispose());
      pick.dispose();
    }
  }

  async function remove(): Promise<void> {
    const connection = await chosenConnection(vscode.l10n.t('Database connection to remove'));
    refuseDemo(connection, 'remove');
    const removeLabel = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the database connection "{0}"?', connection.name),
      { modal: true, detail: vscode.l10n.t('Its settings and saved password are deleted from VS Code. The database itself is not touched.') },
      removeLabel,
    );
    if (answer !== removeLabel) throw new CancelledByUser();
    await secrets.delete(passwordKey(connection));
    await updateUserList<ConnectionConfig>('connections', (list) => list.filter((c) => c.name !== connection.name));
    log.info(`connection ${connection.name} removed`);
  }

  return {
    add: () => openForm(undefined),
    edit: async () => {
      const connection = await chosenConnection(vscode.l10n.t('Database connection to edit'));
      refuseDemo(connection, 'edit');
      return openForm(connection);
    },
    remove,
  };
}

function failureChoices(connection: ConnectionConfig, message: string, suggested: ConnectionFailure['fix'], test: Choice): Choice[] {
  const server = connection.driver === 'postgres' || connection.driver === 'mysql';
  const fixes: Array<[NonNullable<ConnectionFailure['fix']> | 'file', string, boolean]> = [
    ['password', vscode.l10n.t('Change User or Password'), server],
    ['host', vscode.l10n.t('Change Host or Port'), server],
    ['database', vscode.l10n.t('Change Database'), server],
    ['tls', vscode.l10n.t('Change TLS'), server],
    ['file', vscode.l10n.t('Choose Another File'), connection.driver === 'sqlite'],
  ];
  const choices: Choice[] = fixes
    .filter(([, , applies]) => applies)
    .map(([fix, label]) => ({ value: `fix:${fix === 'password' ? 'user' : fix}`, label: `$(edit) ${label}`, description: fix === suggested ? vscode.l10n.t('suggested') : undefined }))
    .sort((a, b) => Number(Boolean(b.description)) - Number(Boolean(a.description)));
  return [
    { value: 'log', label: `$(error) ${vscode.l10n.t('Connection failed')}`, detail: message },
    ...choices,
    { ...test, label: `$(refresh) ${vscode.l10n.t('Test Again')}` },
    { value: 'save', label: `$(save) ${vscode.l10n.t('Save Anyway')}` },
  ];
}
