import { userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { passwordFile } from '../../backends/local/db/cliPasswords';
import type { ConnectionConfig } from '../../backends/local/db/connectionConfig';
import { envPassword, firstPassword, type PasswordSource } from '../../backends/local/db/passwordSource';
import type { BackendHost } from '../../backends/backendModule';
import { openBackend } from '../../backends/openBackend';
import { DbTicketsConfig, type ProfileConfig, duplicateNames, secretKey, withBuiltIns } from '../../backends/profiles';
import type { Backend, BackendCheck, ProfileChoice } from '../../core/backend/backend';
import type { NetSettings } from '../../net/dispatcher';
import { log, redactSecret, UserFacingError } from '../shared/log';

/** VS Code's proxy settings and the extension's certificate authority file, for the cloud backends (reopened when they change). */
function netSettings(): NetSettings {
  const http = vscode.workspace.getConfiguration('http');
  const caFile = vscode.workspace.getConfiguration('dbTickets').get<string>('http.caFile', '').trim();
  return {
    proxy: http.get<string>('proxy', '').trim() || undefined,
    noProxy: http.get<string[]>('noProxy', []).filter((entry) => typeof entry === 'string'),
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    caFile: caFile || undefined,
  };
}

/** SecretStorage key of a database connection's password. */
export function passwordKey(connection: Pick<ConnectionConfig, 'name'>): string {
  return `dbTickets.password.${connection.name}`;
}

/**
 * The profiles configured in settings (the Local one always exists) and their backends, opened on first use and
 * reopened when the settings change.
 */
export class Backends implements vscode.Disposable {
  private readonly opened = new Map<string, Promise<Backend>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the profiles or connections change. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly pushed = new vscode.EventEmitter<void>();
  /**
   * Fires soon after someone records a change on a backend that tells of changes as they happen (a team store's
   * notifications); several close together fire once.
   */
  readonly onDidPush = this.pushed.event;
  private readonly watches = new Set<{ dispose(): void }>();
  private pushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      const net = ['dbTickets.http', 'http.proxy', 'http.noProxy', 'http.proxyStrictSSL'].some((setting) => event.affectsConfiguration(setting));
      if (net || event.affectsConfiguration('dbTickets.profiles') || event.affectsConfiguration('dbTickets.connections')) {
        void this.closeAll().then(() => this.changed.fire());
      }
    });
  }

  /** Profiles and connections from settings, validated; a problem names the setting and the fix. */
  config(): DbTicketsConfig {
    const settings = vscode.workspace.getConfiguration('dbTickets');
    const parsed = DbTicketsConfig.safeParse({ profiles: settings.get('profiles', []), connections: settings.get('connections', []) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const [setting, ...path] = issue.path;
      throw new UserFacingError(vscode.l10n.t('The setting dbTickets.{0} is invalid at {1}: {2}', String(setting), path.join('.') || '/', issue.message));
    }
    const duplicates = duplicateNames(parsed.data);
    if (duplicates.length > 0) throw new UserFacingError(vscode.l10n.t('The DB Tickets settings are invalid: {0}', duplicates[0]));
    return withBuiltIns(parsed.data);
  }

  profiles(): ProfileConfig[] {
    return this.config().profiles;
  }

  /** The profile named `name` as configured now; a clear error once it has been removed or renamed. */
  profile(name: string): ProfileConfig {
    const profile = this.profiles().find((p) => p.name === name);
    if (!profile) throw new UserFacingError(vscode.l10n.t('The profile "{0}" is no longer configured.', name));
    return profile;
  }

  /** The backend of a profile, opened once. */
  get(profile: ProfileConfig): Promise<Backend> {
    let backend = this.opened.get(profile.name);
    if (!backend) {
      backend = openBackend(profile, this.host());
      backend.then((opened) => this.watch(opened, backend!), () => this.opened.delete(profile.name));
      this.opened.set(profile.name, backend);
    }
    return backend;
  }

  /**
   * Opens a profile's backend on its own (not the shared one the view uses), runs its check if it has one, and
   * closes it: what the profile editor shows after a save.
   */
  async probe(profile: ProfileConfig): Promise<BackendCheck | undefined> {
    const backend = await openBackend(profile, this.host());
    try {
      return await backend.check?.();
    } finally {
      await backend.dispose();
    }
  }

  /**
   * The values the service of a profile being set up offers for one of its fields: its backend opened on the form's
   * answers so far, with `secret` for its secrets (typed, else stored), and closed again.
   */
  async offered(profile: ProfileConfig, secret: (field: string) => Promise<string | undefined>, field: string): Promise<ProfileChoice[]> {
    const typed = async (_profile: string, key: string) => {
      const value = await secret(key);
      redactSecret(value);
      return value;
    };
    const backend = await openBackend(profile, { ...this.host(), secret: typed });
    try {
      return (await backend.profileChoices?.(field)) ?? [];
    } finally {
      await backend.dispose();
    }
  }

  /** Where connection passwords come from: SecretStorage, the connection's environment variable, the driver's file. */
  passwords(): PasswordSource {
    const stored: PasswordSource = async (connection) => (await this.context.secrets.get(passwordKey(connection))) ?? undefined;
    const source = firstPassword(stored, envPassword(), passwordFile());
    return async (connection) => {
      const password = await source(connection);
      redactSecret(password);
      return password;
    };
  }

  private host(): BackendHost {
    const storage = this.context.globalStorageUri.fsPath;
    return {
      storeDir: join(storage, 'tickets'),
      demoDir: join(storage, 'demo-database'),
      actor: userInfo().username,
      connections: () => this.config().connections,
      passwords: this.passwords(),
      secret: async (profile, field) => {
        const secret = (await this.context.secrets.get(secretKey(profile, field))) ?? undefined;
        redactSecret(secret);
        return secret;
      },
      env: process.env,
      language: vscode.env.language,
      onStoreProblem: (problem) => log.warn(`ticket store: ${problem.message}`),
      warn: (message) => {
        log.warn(message);
        void vscode.window.showWarningMessage(`DB Tickets: ${message}`);
      },
      net: netSettings(),
      log: (line) => log.debug(line),
    };
  }

  /** Subscribes to the changes a backend pushes, for as long as it stays the opened one. */
  private async watch(backend: Backend, opening: Promise<Backend>): Promise<void> {
    const watch = await backend.watchChanges?.(() => {
      clearTimeout(this.pushTimer);
      this.pushTimer = setTimeout(() => this.pushed.fire(), 100);
    }).catch(() => undefined);
    if (!watch) return;
    if (![...this.opened.values()].includes(opening)) {
      watch.dispose(); // closed while subscribing
      return;
    }
    log.info(watch.live ? 'Changes to the team store are pushed: the Tickets view updates as they happen.' : 'The team store cannot push changes (LISTEN failed): the Tickets view polls.');
    this.watches.add(watch);
  }

  private async closeAll(): Promise<void> {
    const open = [...this.opened.values()];
    this.opened.clear();
    for (const watch of this.watches) watch.dispose();
    this.watches.clear();
    await Promise.allSettled(open.map(async (backend) => (await backend).dispose()));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    clearTimeout(this.pushTimer);
    this.pushed.dispose();
    void this.closeAll();
  }
}
