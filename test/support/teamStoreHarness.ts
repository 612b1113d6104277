// A team store on the run's private PostgreSQL server: a database of its own per test, set up by its owner, and
// login roles for the people of the tests, each a member of the team roles it is given.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type OpenedTeamStore, openTeamStore } from '../../src/backends/local/teamStore/openTeamStore';
import type { PostgresConnection } from '../../src/backends/local/teamStore/teamConnection';
import { teamRoles } from '../../src/backends/local/teamStore/teamSchema';
import { applySetup, type SetupOptions } from '../../src/backends/local/teamStore/teamSetup';
import type { PostgresServer } from './postgresServer';

export type TeamRoleName = keyof typeof teamRoles;

export interface TeamStoreDatabase {
  database: string;
  server: PostgresServer;
  /** A login role with a password, a member of the given team roles (created once per server run). */
  person(name: string, roles: readonly TeamRoleName[]): Promise<PostgresConnection>;
  /** The store opened as `person`, as a Local profile opens it. */
  open(connection: PostgresConnection, profile?: { name: string; actor?: string }): Promise<OpenedTeamStore>;
  /** A client logged in as `connection`'s role, for hand-written SQL. */
  client(connection: PostgresConnection): Promise<pg.Client>;
  /** How to log in as `connection`'s role: for a store opened with options of a test's own, or in another process. */
  config(connection: PostgresConnection): pg.ClientConfig;
}

const personPassword = 'team-password';

/** A new store database owned by the server's test role, set up with `store init`'s code as that owner. */
export async function createTeamStore(server: PostgresServer, options: SetupOptions = {}): Promise<TeamStoreDatabase> {
  const database = await server.createDatabase(`team_${randomBytes(4).toString('hex')}`);
  await server.admin('ALTER ROLE tickets CREATEROLE', 'postgres');
  const owner = new pg.Client({ host: server.host, port: server.port, user: server.user, password: server.password, database });
  await owner.connect();
  try {
    await applySetup(owner, options);
  } finally {
    await owner.end();
  }
  const connectionOf = (user: string): PostgresConnection => ({ name: `store-${user}`, driver: 'postgres', host: server.host, port: server.port, database, user, passwordEnv: undefined });
  const passwords = async () => personPassword;
  const configOf = (connection: PostgresConnection): pg.ClientConfig => ({ host: server.host, port: server.port, user: connection.user, password: personPassword, database });
  return {
    database,
    server,
    person: async (name, roles) => {
      await server.admin(`DO $p$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN PASSWORD '${personPassword}'; END IF; END $p$`, 'postgres');
      for (const role of Object.keys(teamRoles) as TeamRoleName[]) {
        await server.admin(`${roles.includes(role) ? 'GRANT' : 'REVOKE'} ${teamRoles[role]} ${roles.includes(role) ? 'TO' : 'FROM'} ${name}`, 'postgres');
      }
      return connectionOf(name);
    },
    open: (connection, profile = { name: 'team' }) => openTeamStore(connection, profile, { passwords }),
    client: async (connection) => {
      const client = new pg.Client(configOf(connection));
      await client.connect();
      return client;
    },
    config: configOf,
  };
}
