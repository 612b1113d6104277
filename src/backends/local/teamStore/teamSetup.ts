import type pg from 'pg';
import { DbTicketsError } from '../../../core/errors';
import { createRolesSql, type Migration, migrations, schemaVersion, teamRoles, writeLock } from './teamSchema';

export interface SetupOptions {
  /** Whether an approver may approve a ticket they submitted; unchanged when absent (off in a new store). */
  selfApproval?: boolean;
}

export interface SetupReport {
  /** The migrations applied now, oldest first; none when the store was up to date. */
  applied: Array<Pick<Migration, 'version' | 'what'>>;
  rolesCreated: string[];
  version: number;
  selfApproval: boolean;
}

/** The store's schema version in this database; 0 when it has none. */
export async function storedVersion(client: pg.ClientBase): Promise<number> {
  const { rows: found } = await client.query<{ table: string | null }>("SELECT to_regclass('db_tickets.migrations')::text AS table");
  if (!found[0].table) return 0;
  const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM db_tickets.migrations');
  return rows[0].version;
}

/** The SQL that sets up (or brings up to date) a store at `fromVersion`, as `store init --print` shows it. */
export function setupSql(fromVersion: number, options: SetupOptions = {}): string {
  const pending = migrations.filter((migration) => migration.version > fromVersion);
  return [
    '-- DB Tickets: the shared ticket store. Run as the owner of the database (creating the roles needs CREATEROLE).',
    createRolesSql,
    'BEGIN;',
    `SELECT pg_advisory_xact_lock(${writeLock});`,
    ...pending.flatMap((migration) => [
      `-- ${migration.version}: ${migration.what}`,
      migration.sql.trim(),
      `INSERT INTO db_tickets.migrations (version, what) VALUES (${migration.version}, '${migration.what.replaceAll("'", "''")}');`,
    ]),
    ...(options.selfApproval === undefined ? [] : [`UPDATE db_tickets.settings SET self_approval = ${options.selfApproval};`]),
    'COMMIT;',
  ].join('\n');
}

/**
 * Creates the roles that are missing, then applies the migrations this database has not had, in one transaction
 * under the store's write lock (two runs at once apply each migration once). Idempotent.
 */
export async function applySetup(client: pg.ClientBase, options: SetupOptions = {}): Promise<SetupReport> {
  const { rows: existing } = await client.query<{ rolname: string }>('SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY($1)', [Object.values(teamRoles)]);
  const missing = Object.values(teamRoles).filter((role) => !existing.some((row) => row.rolname === role));
  if (missing.length > 0) {
    try {
      await client.query(createRolesSql);
    } catch (error) {
      throw setupError(error, `Creating the roles ${missing.join(', ')} needs the CREATEROLE privilege`, `run store init as a role that has it, or have an administrator run: ${missing.map((role) => `CREATE ROLE ${role} NOLOGIN;`).join(' ')}`);
    }
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
    const from = await storedVersion(client);
    if (from > schemaVersion) throw newerStore(from);
    const applied = migrations.filter((migration) => migration.version > from);
    for (const migration of applied) {
      await client.query(migration.sql);
      await client.query('INSERT INTO db_tickets.migrations (version, what) VALUES ($1, $2)', [migration.version, migration.what]);
    }
    if (options.selfApproval !== undefined) await client.query('UPDATE db_tickets.settings SET self_approval = $1', [options.selfApproval]);
    const { rows } = await client.query<{ self_approval: boolean }>('SELECT self_approval FROM db_tickets.settings');
    await client.query('COMMIT');
    return { applied: applied.map(({ version, what }) => ({ version, what })), rolesCreated: missing, version: schemaVersion, selfApproval: rows[0].self_approval };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof DbTicketsError) throw error;
    throw setupError(error, 'Setting up the ticket store failed', 'run store init as the owner of the database (or a role with CREATE on it)');
  }
}

export function newerStore(version: number): DbTicketsError {
  return new DbTicketsError('config', `The ticket store is at schema version ${version}, newer than this DB Tickets knows (${schemaVersion}): update DB Tickets to use it.`);
}

function setupError(error: unknown, what: string, todo: string): DbTicketsError {
  const { message, code } = error as { message?: string; code?: string };
  const kind = code === '42501' ? 'auth' : 'failed';
  return new DbTicketsError(kind, `${what}: ${message ?? String(error)}. To fix it, ${todo}.`, { cause: error });
}
