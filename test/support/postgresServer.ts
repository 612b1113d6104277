// A private PostgreSQL server for one test (or benchmark) run: initdb into a temp dir, postgres on a free
// loopback port with a unix socket inside the temp dir, fsync off. Started once per process, stopped by a root
// `after` hook and, as a safety net, when the process exits.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ConnectionConfig } from '../../src/backends/local/db/connectionConfig';
import { freePort, killOnExit, oncePerRun, stopChild, waitUntilReady, serverTempRoot } from './serverProcess';

export interface PostgresServer {
  host: string;
  port: number;
  /** A login role with a password, owner of `database`. */
  user: string;
  password: string;
  database: string;
  /** The directory holding the unix socket (superuser access by trust, for setup). */
  socketDir: string;
  binDir: string;
  /** A connection config for the test role, with its password in the environment variable `passwordEnv`. */
  connection(overrides?: Partial<Extract<ConnectionConfig, { driver: 'postgres' }>>): ConnectionConfig;
  /** Runs SQL as the superuser in `database` (or another database). */
  admin<T = unknown>(sql: string, database?: string): Promise<T[]>;
  /** Creates an empty database owned by the test role, for a suite that needs its own. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const postgresPasswordEnv = 'DB_TICKETS_TEST_PG_PASSWORD';

const perRun = oncePerRun('PostgreSQL', () => startPostgres());

/** The run's server, started on first use. */
export const sharedPostgres = perRun.shared;

/** In a suite: `const server = usePostgres();` then `server()` inside tests. */
export const usePostgres = perRun.use;

export function postgresBinDir(): string {
  const candidates = [process.env.PG_BIN];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    for (const version of readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debianRoot, version, 'bin'));
  }
  for (const dir of candidates) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) return dir;
  throw new Error(
    'PostgreSQL server binaries (initdb, postgres) were not found, so the PostgreSQL tests cannot start a private server: ' +
      'install the Debian package "postgresql" (apt-get install postgresql) or set PG_BIN to the directory that holds them.',
  );
}

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = postgresBinDir();
  const root = mkdtempSync(join(serverTempRoot(), 'db-tickets-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = root;
  const superPasswordFile = join(root, 'pwfile');
  writeFileSync(superPasswordFile, randomBytes(12).toString('hex'));
  // postgres refuses to run as root: run it as the postgres system user, owning the temp dir.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? systemUser('postgres') : undefined;
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(superPasswordFile, owner.uid, owner.gid);
  }
  const command = (program: string, args: string[]): [string, string[]] =>
    owner ? ['setpriv', ['--reuid', String(owner.uid), '--regid', String(owner.gid), '--init-groups', join(binDir, program), ...args]] : [join(binDir, program), args];

  try {
    execFileSync(...command('initdb', ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${superPasswordFile}`]), {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }

  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${socketDir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=60', 'shared_buffers=128MB'];
  const child = spawn(...command('postgres', ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])]), { stdio: ['ignore', 'ignore', 'pipe'] });
  const forget = killOnExit(child, 'SIGQUIT');
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));

  const stop = async () => {
    forget();
    await stopChild(child, 'SIGINT');
    rmSync(root, { recursive: true, force: true });
  };

  const admin = async <T,>(sql: string, database = 'postgres'): Promise<T[]> => {
    const client = new pg.Client({ host: socketDir, port, user: 'postgres', database });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };

  try {
    await waitUntilReady(child, () => log, () => admin('SELECT 1'));
    const password = randomBytes(12).toString('hex');
    await admin(`CREATE ROLE tickets LOGIN PASSWORD '${password}'`);
    await admin('CREATE DATABASE shop OWNER tickets');
    process.env[postgresPasswordEnv] = password;
    return {
      host: '127.0.0.1',
      port,
      user: 'tickets',
      password,
      database: 'shop',
      socketDir,
      binDir,
      connection: (overrides = {}) => ({ name: 'test-pg', driver: 'postgres', host: '127.0.0.1', port, database: 'shop', user: 'tickets', passwordEnv: postgresPasswordEnv, ...overrides }),
      admin: (sql, database = 'shop') => admin(sql, database),
      createDatabase: async (name) => {
        await admin(`DROP DATABASE IF EXISTS "${name}"`);
        await admin(`CREATE DATABASE "${name}" OWNER tickets`);
        return name;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function systemUser(name: string): { uid: number; gid: number } {
  try {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim()));
    return { uid, gid };
  } catch {
    throw new Error(`The system user "${name}" does not exist; it comes with the Debian package "postgresql" (apt-get install postgresql).`);
  }
}
