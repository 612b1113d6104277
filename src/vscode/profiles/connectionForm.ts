import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../backends/local/db/connectionConfig';
import type { Field, FormValues } from './settingsForm';
import { nameProblem } from './profileForm';

const defaultPorts: Record<string, string> = { postgres: '5432', mysql: '3306' };
const isServer = (values: FormValues) => values.driver === 'postgres' || values.driver === 'mysql';

export interface ConnectionFormContext {
  /** Names of every connection there is, the one being edited included. */
  taken: readonly string[];
  editing?: ConnectionConfig;
  /** Whether the edited connection has a password in SecretStorage: left empty, it is kept. */
  hasStoredPassword: boolean;
}

/** The steps of the database connection form; the driver decides which apply. */
export function connectionFields(ctx: ConnectionFormContext): Field[] {
  const taken = ctx.taken.filter((name) => name !== ctx.editing?.name);
  const required = (what: string) => (value: string) => (value ? undefined : vscode.l10n.t('{0} is required.', what));
  return [
    {
      key: 'driver',
      prompt: vscode.l10n.t('Database engine'),
      kind: 'pick',
      when: () => !ctx.editing,
      choices: () => [
        { value: 'postgres', label: 'PostgreSQL' },
        { value: 'mysql', label: 'MySQL / MariaDB' },
        { value: 'sqlite', label: 'SQLite', detail: vscode.l10n.t('A database file on this computer') },
      ],
    },
    { key: 'name', prompt: vscode.l10n.t('Connection name (the ticket\'s target database)'), placeholder: 'shop-dev', kind: 'text', validate: (value) => nameProblem(value, taken, 'connection') },
    {
      key: 'file',
      prompt: vscode.l10n.t('SQLite database file'),
      kind: 'pick',
      when: (values) => values.driver === 'sqlite',
      choices: (values) => [
        ...(values.file ? [{ value: values.file, label: values.file, description: vscode.l10n.t('current') }] : []),
        { value: '', label: vscode.l10n.t('Choose a File…'), browse: { canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: vscode.l10n.t('Use This Database') } },
      ],
      validate: required(vscode.l10n.t('The database file')),
    },
    { key: 'host', prompt: vscode.l10n.t('Server host name or address'), kind: 'text', initial: () => '127.0.0.1', when: isServer, validate: required(vscode.l10n.t('The host')) },
    {
      key: 'port',
      prompt: vscode.l10n.t('Port'),
      kind: 'text',
      initial: (values) => defaultPorts[values.driver] ?? '',
      when: isServer,
      validate: (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : vscode.l10n.t('The port is a whole number from 1 to 65535.')),
    },
    { key: 'database', prompt: vscode.l10n.t('Database on the server'), kind: 'text', when: isServer, validate: required(vscode.l10n.t('The database')) },
    { key: 'user', prompt: vscode.l10n.t('User to connect as'), kind: 'text', when: isServer, validate: required(vscode.l10n.t('The user')) },
    {
      key: 'tls',
      prompt: vscode.l10n.t('TLS'),
      kind: 'pick',
      when: isServer,
      choices: () => [
        { value: 'off', label: vscode.l10n.t('Off') },
        { value: 'verify', label: vscode.l10n.t('On, verify the server certificate'), detail: vscode.l10n.t('Recommended for servers across a network') },
        { value: 'noverify', label: vscode.l10n.t('On, do not verify the certificate'), detail: vscode.l10n.t('Encrypted, but open to impersonation: only for self-signed test servers') },
      ],
    },
    {
      key: 'caFile',
      prompt: vscode.l10n.t('Certificate authority of the server (optional)'),
      kind: 'pick',
      when: (values) => isServer(values) && values.tls === 'verify',
      choices: (values) => [
        { value: '', label: vscode.l10n.t('The system\'s trusted authorities') },
        ...(values.caFile ? [{ value: values.caFile, label: values.caFile, description: vscode.l10n.t('current') }] : []),
        { value: '', label: vscode.l10n.t('Choose a PEM File…'), browse: { canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: vscode.l10n.t('Trust This Authority') } },
      ],
    },
    {
      key: 'password',
      prompt: ctx.hasStoredPassword ? vscode.l10n.t('Password (leave empty to keep the stored one)') : vscode.l10n.t('Password (kept in VS Code\'s secret storage)'),
      kind: 'secret',
      when: isServer,
    },
  ];
}

/** The form's answers for an existing connection (the password is never shown, so it starts empty). */
export function connectionValues(connection: ConnectionConfig | undefined): FormValues {
  const values: FormValues = { driver: connection?.driver ?? '', name: connection?.name ?? '', password: '' };
  if (connection?.driver === 'sqlite') values.file = connection.file;
  if (connection?.driver === 'postgres' || connection?.driver === 'mysql') {
    Object.assign(values, { host: connection.host, port: String(connection.port), database: connection.database, user: connection.user });
    values.tls = !connection.tls ? 'off' : connection.tls.rejectUnauthorized ? 'verify' : 'noverify';
    values.caFile = connection.tls?.caFile ?? '';
  }
  return values;
}

/** The connection the answers describe (not yet validated), keeping keys the form does not own (passwordEnv). */
export function connectionFromValues(values: FormValues, editing?: ConnectionConfig): Record<string, unknown> {
  const { name, driver } = values;
  if (driver === 'sqlite') return { name, driver, file: values.file };
  const kept = editing && 'passwordEnv' in editing && editing.passwordEnv ? { passwordEnv: editing.passwordEnv } : {};
  const tls = values.tls === 'off' ? undefined : { rejectUnauthorized: values.tls === 'verify', ...(values.tls === 'verify' && values.caFile ? { caFile: values.caFile } : {}) };
  return { name, driver, host: values.host, port: Number(values.port), database: values.database, user: values.user, ...kept, ...(tls ? { tls } : {}) };
}
