import { mkdir } from 'node:fs/promises';
import { z } from '../core/zod';
import type { Backend } from '../core/backend/backend';
import { DbTicketsError } from '../core/errors';
import type { NetSettings } from '../net/dispatcher';
import { openDmsBackend } from './dms/openDms';
import { openEngine } from './local/db/openEngine';
import type { PasswordSource } from './local/db/passwordSource';
import { LocalBackend } from './local/localBackend';
import type { StoreProblem } from './local/store/ticketStore';
import type { DbTicketsConfig, ProfileConfig } from './profiles';

/** What the front end that opens a backend knows about its host. */
export interface BackendHost {
  /** The Local backend's default store folder (the extension's global storage, or the CLI's data folder). */
  storeDir: string;
  /**
   * Where the demo database keeps its files. Never inside a profile's store, which a team may keep in git.
   */
  demoDir: string;
  /** Who the user is, for the audit trail. */
  actor: string;
  passwords: PasswordSource;
  /**
   * A cloud profile's secret field (e.g. `accessKeySecret`) from the host's secure storage: SecretStorage in the
   * extension; nothing in the CLI, where each backend reads its own environment variables and CLI config files.
   */
  secret: (profile: string, field: string) => Promise<string | undefined>;
  onStoreProblem?: (problem: StoreProblem) => void;
  /** Proxy and certificate settings for the cloud backends; the environment (HTTPS_PROXY, NO_PROXY) fills the rest. */
  net?: NetSettings;
  /** Diagnostic lines from the cloud backends (one per request, secrets removed). */
  log?: (line: string) => void;
}

const LocalProfile = z.looseObject({
  /** A folder for the event log instead of the host's default, e.g. one inside a repository. */
  store: z.optional(z.string().check(z.trim(), z.minLength(1, { error: 'store is empty: give a folder for the ticket log, or remove the field.' }))),
  /** The name recorded as the actor instead of the host's user name. */
  actor: z.optional(z.string().check(z.trim(), z.minLength(1, { error: 'actor is empty: give your name, or remove the field.' }))),
  statementTimeoutMs: z.optional(
    z.int({ error: 'statementTimeoutMs must be a whole number of milliseconds, 0 for none.' }).check(
      z.nonnegative({ error: 'statementTimeoutMs must be a whole number of milliseconds, 0 for none.' }),
    ),
  ),
});

/** Opens the backend a profile names. */
export async function openBackend(profile: ProfileConfig, config: DbTicketsConfig, host: BackendHost): Promise<Backend> {
  if (profile.backend === 'dms') return openDmsBackend(profile, { secret: host.secret, net: host.net, log: host.log });
  if (profile.backend !== 'local') {
    throw new DbTicketsError(
      'config',
      `Profile "${profile.name}" uses the ${profile.backend} backend, which this version of DB Tickets does not include yet: use a local profile.`,
    );
  }
  const parsed = LocalProfile.safeParse(profile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DbTicketsError('config', `Profile "${profile.name}": ${issue.path.join('.')}: ${issue.message}`);
  }
  const storeFolder = parsed.data.store ?? host.storeDir;
  return new LocalBackend({
    storeFolder,
    actor: parsed.data.actor ?? host.actor,
    statementTimeoutMs: parsed.data.statementTimeoutMs,
    connections: () => config.connections,
    openEngine: async (name) => {
      const connection = config.connections.find((c) => c.name === name);
      if (!connection) {
        const known = config.connections.map((c) => c.name).join(', ');
        throw new DbTicketsError('config', `Database "${name}" is not configured: use one of ${known}, or add it to the connections.`);
      }
      if (connection.driver === 'demo') await mkdir(host.demoDir, { recursive: true });
      return openEngine(connection, host.passwords, { demoDir: host.demoDir });
    },
    onStoreProblem: host.onStoreProblem,
  });
}
