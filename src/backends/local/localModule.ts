import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendModule } from '../backendModule';
import { DbTicketsError } from '../../core/errors';
import * as z from '../../core/zod';
import { nonBlank, optionalField } from '../profileField';

const timeoutMessage = 'statementTimeoutMs must be a whole number of milliseconds, 0 for none.';

/** The fields of a `"backend": "local"` profile. */
export const LocalProfile = z.lazySchema(() =>
  z.looseObject({
    name: z.string(),
    backend: z.literal('local'),
    store: optionalField(
      "Where the tickets are kept: a folder for the ticket log (tickets.jsonl) and export results, e.g. one inside a repository to keep the audit trail in git; or a PostgreSQL database a team shares, as {\"connection\": \"<a postgres connection>\"} or a postgres://user@host:5432/database URL. Default: VS Code's storage for the extension (the CLI: ~/.local/share/db-tickets).",
      z.union(
        [
          nonBlank('store is empty: give a folder for the ticket log, or remove the field.'),
          z.object({ connection: nonBlank('store.connection is empty: name a PostgreSQL connection of the connections.') }),
        ],
        { error: 'store must be a folder, a postgres:// URL, or {"connection": "<name>"}.' },
      ),
    ),
    actor: optionalField("The name recorded in the audit trail instead of the operating system's user name.", nonBlank('actor is empty: give your name, or remove the field.')),
    resultLimitBytes: optionalField(
      'On a team store: the largest export result kept in its database for every member to download, in bytes. Default 268435456 (256 MiB).',
      z.int({ error: 'resultLimitBytes must be a whole number of bytes.' }).check(z.positive({ error: 'resultLimitBytes must be a whole number of bytes.' })),
    ),
    statementTimeoutMs: optionalField(
      'Per-statement time limit of prechecks and executions, in milliseconds; 0 for the engine default.',
      z.int({ error: timeoutMessage }).check(z.nonnegative({ error: timeoutMessage })),
    ),
  }),
);

/** The built-in workflow: tickets in an event log, run on the configured database connections. */
export const localModule: BackendModule = {
  id: 'local',
  displayName: 'Local workflow',
  description: 'Tickets kept in a folder and run on your own database connections',
  icon: 'database',
  profileSchema: LocalProfile,
  secretFields: [],
  usesConnections: true,
  formFields: [
    {
      key: 'store',
      prompt: 'Where should the ticket log be kept?',
      kind: 'folder',
      folder: {
        defaultLabel: 'Default location',
        defaultDetail: "In VS Code's storage for this extension",
        browseDetail: 'e.g. a folder in your repository, to keep the audit trail in git',
        openLabel: 'Keep Tickets Here',
        orTeamStore: true,
      },
    },
    // On a team store the database says who you are.
    { key: 'actor', prompt: 'Your name in the audit trail (empty: your user name)', kind: 'text', when: (values) => !isTeamStoreAnswer(values.store ?? '') },
  ],
  async open(raw, host) {
    const profile = LocalProfile.parse(raw);
    const [{ LocalBackend }, { openEngine }, { teamStoreConnection }] = await Promise.all([import('./localBackend'), import('./db/openEngine'), import('./teamStore/teamConnection')]);
    const team = teamStoreConnection(profile.store, host.connections(), host.env);
    const shared = team ? await (await import('./teamStore/openTeamStore')).openTeamStore(team, profile, host) : undefined;
    return new LocalBackend({
      // A team store's results and heartbeats on this computer are kept apart from any folder store's.
      storeFolder: team ? teamWorkFolder(host.storeDir, team) : (profile.store as string | undefined) ?? host.storeDir,
      store: shared,
      actor: shared?.actor ?? profile.actor ?? host.actor,
      statementTimeoutMs: profile.statementTimeoutMs,
      connections: host.connections,
      openEngine: async (name) => {
        const connections = host.connections();
        const connection = connections.find((c) => c.name === name);
        if (!connection) {
          const known = connections.map((c) => c.name).join(', ');
          throw new DbTicketsError('config', `Database "${name}" is not configured: use one of ${known}, or add it to the connections.`);
        }
        if (connection.driver === 'demo') await mkdir(host.demoDir, { recursive: true });
        return openEngine(connection, host.passwords, { demoDir: host.demoDir, demoOn: host.demoOn });
      },
      onStoreProblem: host.onStoreProblem,
    });
  },
};

/** This computer's folder for a team store's export files: one per database, inside the default store folder. */
function teamWorkFolder(storeDir: string, { host, port, database }: { host: string; port: number; database: string }): string {
  return join(storeDir, 'team-stores', createHash('sha256').update(`${host}:${port}/${database}`).digest('hex').slice(0, 16));
}

/** Whether a form answer for `store` names a team store: a connection (`{"connection": …}`) or a postgres:// URL. */
export function isTeamStoreAnswer(answer: string): boolean {
  return answer.startsWith('{') || /^postgres(ql)?:\/\//i.test(answer);
}
