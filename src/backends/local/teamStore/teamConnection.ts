import type pg from 'pg';
import { DbTicketsError } from '../../../core/errors';
import type { ConnectionConfig } from '../db/connectionConfig';
import { describeServer, firstPassword, type PasswordSource, requirePassword } from '../db/passwordSource';
import { tlsOptions } from '../db/tlsOptions';

export type PostgresConnection = Extract<ConnectionConfig, { driver: 'postgres' }>;

/** A Local profile's `store`: a folder, or a PostgreSQL database (a `connections` entry, or a postgres:// URL). */
export type StoreSetting = string | { connection: string };

/** The PostgreSQL database a profile's store names, or undefined when the store is a folder. */
export function teamStoreConnection(store: StoreSetting | undefined, connections: readonly ConnectionConfig[], env: NodeJS.ProcessEnv = process.env): PostgresConnection | undefined {
  if (store === undefined) return undefined;
  if (typeof store === 'string') return /^postgres(ql)?:\/\//i.test(store) ? parseStoreUrl(store, env) : undefined;
  const found = connections.find((connection) => connection.name === store.connection);
  if (!found) {
    const known = connections.filter((c) => c.driver === 'postgres').map((c) => c.name);
    throw new DbTicketsError('config', `The store names connection "${store.connection}", which is not configured: ${known.length > 0 ? `use one of ${known.join(', ')}, or add it` : 'add a PostgreSQL connection of that name'} to the connections.`);
  }
  if (found.driver !== 'postgres') {
    throw new DbTicketsError('config', `The store names connection "${store.connection}", a ${found.driver} connection: a shared ticket store is kept in PostgreSQL. Name a postgres connection.`);
  }
  return found;
}

/**
 * `postgres://user@host:port/database`: the password is never taken from the URL (it would sit in the settings),
 * but from PGPASSWORD, the extension's secret storage or ~/.pgpass. Without a user, PGUSER names it, as for psql.
 */
export function parseStoreUrl(text: string, env: NodeJS.ProcessEnv = process.env): PostgresConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DbTicketsError('config', `The store URL ${JSON.stringify(text)} is not a URL: write it as postgres://user@host:5432/database.`);
  }
  if (url.password) {
    throw new DbTicketsError('config', 'The store URL holds a password: remove it from the settings, and give it in PGPASSWORD, ~/.pgpass or the secret storage VS Code asks for.');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username) || env.PGUSER || '';
  if (!database || !user) {
    const missing = !user ? 'user (and PGUSER is not set)' : 'database';
    throw new DbTicketsError('config', `The store URL ${url.origin} names no ${missing}: write it as postgres://user@host:5432/database.`);
  }
  const sslmode = url.searchParams.get('sslmode');
  return {
    name: `${user}@${url.hostname}:${url.port || 5432}/${database}`,
    driver: 'postgres',
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 5432),
    database,
    user,
    passwordEnv: 'PGPASSWORD',
    ...(sslmode && sslmode !== 'disable' ? { tls: { rejectUnauthorized: sslmode === 'verify-full' || sslmode === 'verify-ca' } } : {}),
  };
}

/**
 * The node-postgres settings for the store's database, with its password: from the host's sources (the variable
 * the connection names, secret storage, ~/.pgpass), else PGPASSWORD, as psql would take it.
 */
export async function teamClientConfig(connection: PostgresConnection, passwords: PasswordSource, env: NodeJS.ProcessEnv = process.env): Promise<pg.ClientConfig> {
  const { host, port, database, user } = connection;
  return {
    host,
    port,
    database,
    user,
    password: await requirePassword(connection, firstPassword(passwords, async () => env.PGPASSWORD)),
    application_name: 'db-tickets store',
    connectionTimeoutMillis: 10_000,
    ssl: tlsOptions(connection),
  };
}

export function describeStore(connection: PostgresConnection): string {
  return `the ticket store in ${describeServer(connection)}`;
}
