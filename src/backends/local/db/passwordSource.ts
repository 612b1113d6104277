import { DbTicketsError } from '../../../core/errors';
import type { ConnectionConfig } from './connectionConfig';

/** Where a connection's password comes from: the extension passes its secret storage, the CLI `cliPasswords()`. */
export type PasswordSource = (connection: ConnectionConfig) => Promise<string | undefined>;

export type ServerConnection = Extract<ConnectionConfig, { driver: 'postgres' | 'mysql' }>;

/** The first source that knows the password wins. */
export function firstPassword(...sources: PasswordSource[]): PasswordSource {
  return async (connection) => {
    for (const source of sources) {
      const password = await source(connection);
      if (password !== undefined) return password;
    }
    return undefined;
  };
}

/** The environment variable the connection names in `passwordEnv`. */
export function envPassword(env: NodeJS.ProcessEnv = process.env): PasswordSource {
  return async (connection) => ('passwordEnv' in connection && connection.passwordEnv ? env[connection.passwordEnv] : undefined);
}

export async function requirePassword(connection: ServerConnection, passwords: PasswordSource): Promise<string> {
  const password = await passwords(connection);
  if (password !== undefined) return password;
  const file = connection.driver === 'postgres' ? '~/.pgpass (or the file PGPASSFILE names)' : 'the [client] section of ~/.my.cnf';
  const env = connection.passwordEnv ? `set the environment variable ${connection.passwordEnv}` : 'name an environment variable in the connection\'s "passwordEnv" and set it';
  throw new DbTicketsError(
    'config',
    `No password for connection "${connection.name}" (${describeServer(connection)}): none was found, so DB Tickets cannot log in. ` +
      `Provide it one of three ways: ${env}; save it in the extension's secret storage when VS Code asks for it; or add it to ${file}.`,
  );
}

export function describeServer(connection: ServerConnection): string {
  const kind = connection.driver === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB';
  return `${kind} ${connection.user}@${connection.host}:${connection.port}/${connection.database}`;
}
