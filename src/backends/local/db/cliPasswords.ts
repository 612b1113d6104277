import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DbTicketsError } from '../../../core/errors';
import { parseMyCnfPassword } from './myCnf';
import { envPassword, firstPassword, type PasswordSource } from './passwordSource';
import { matchPgpass } from './pgpass';

/** The driver's own password file, read only: `~/.pgpass` (or PGPASSFILE) for PostgreSQL, `~/.my.cnf` [client] for MySQL. */
export function passwordFile(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): PasswordSource {
  return async (connection) => {
    if (connection.driver === 'postgres') {
      const text = await readIfExists(env.PGPASSFILE || join(home, '.pgpass'));
      return text === undefined ? undefined : matchPgpass(text, connection);
    }
    if (connection.driver === 'mysql') {
      const text = await readIfExists(join(home, '.my.cnf'));
      return text === undefined ? undefined : parseMyCnfPassword(text);
    }
    return undefined;
  };
}

/** The CLI's order: the environment variable named by `passwordEnv`, then the driver's password file. */
export function cliPasswords(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): PasswordSource {
  return firstPassword(envPassword(env), passwordFile(env, home));
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DbTicketsError('config', `The password file ${file} cannot be read (${(error as Error).message}): fix its permissions or remove it.`);
  }
}
