// A private MariaDB server for one test (or benchmark) run: mariadb-install-db into a temp dir, mariadbd on a free
// loopback port with its socket inside the temp dir. A user with a password is created so tests go through real
// authentication. Started once per process, stopped by a root `after` hook and when the process exits.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { ConnectionConfig } from '../../src/backends/local/db/connectionConfig';
import { freePort, killOnExit, oncePerRun, stopChild, waitUntilReady, serverTempRoot } from './serverProcess';

export interface MariadbServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  socket: string;
  connection(overrides?: Partial<Extract<ConnectionConfig, { driver: 'mysql' }>>): ConnectionConfig;
  /** Runs SQL as root (no database selected unless given). */
  admin<T = unknown>(sql: string, database?: string): Promise<T[]>;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const mariadbPasswordEnv = 'DB_TICKETS_TEST_MYSQL_PASSWORD';

const perRun = oncePerRun('MariaDB', () => startMariadb());

export const sharedMariadb = perRun.shared;

/** In a suite: `const server = useMariadb();` then `server()` inside tests. */
export const useMariadb = perRun.use;

/** Finds a program on PATH or in the sbin directories (mariadbd lives there and sbin is not always on PATH). */
function requireProgram(program: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.map((dir) => join(dir, program)).find((file) => existsSync(file));
  if (found) return found;
  throw new Error(
    `${program} was not found, so the MariaDB tests cannot start a private server: install the Debian packages "mariadb-server mariadb-client" (apt-get install mariadb-server mariadb-client).`,
  );
}

export async function startMariadb(): Promise<MariadbServer> {
  const installDb = requireProgram('mariadb-install-db');
  const server = requireProgram('mariadbd');
  const root = mkdtempSync(join(serverTempRoot(), 'db-tickets-mariadb-'));
  const dataDir = join(root, 'data');
  const socket = join(root, 'mariadb.sock');
  mkdirSync(join(root, 'tmp'));
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  try {
    execFileSync(installDb, ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot], { stdio: 'pipe' });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }

  const port = await freePort();
  const errorLog = join(root, 'error.log');
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(root, 'mariadb.pid')}`,
      `--tmpdir=${join(root, 'tmp')}`,
      `--log-error=${errorLog}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--innodb-buffer-pool-size=256M',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      ...asRoot,
    ],
    { stdio: 'ignore' },
  );
  const forget = killOnExit(child, 'SIGKILL');
  const log = () => {
    try {
      return readFileSync(errorLog, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const stop = async () => {
    forget();
    await stopChild(child, 'SIGTERM');
    rmSync(root, { recursive: true, force: true });
  };
  const admin = async <T,>(sql: string, database?: string): Promise<T[]> => {
    const connection = await mysql.createConnection({ socketPath: socket, user: 'root', database, multipleStatements: true });
    try {
      return (await connection.query(sql))[0] as T[];
    } finally {
      await connection.end();
    }
  };

  try {
    await waitUntilReady(child, log, () => admin('SELECT 1'));
    const password = randomBytes(12).toString('hex');
    await admin(
      `CREATE USER 'tickets'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL PRIVILEGES ON *.* TO 'tickets'@'127.0.0.1'; CREATE DATABASE shop;`,
    );
    process.env[mariadbPasswordEnv] = password;
    return {
      host: '127.0.0.1',
      port,
      user: 'tickets',
      password,
      database: 'shop',
      socket,
      connection: (overrides = {}) => ({ name: 'test-mariadb', driver: 'mysql', host: '127.0.0.1', port, database: 'shop', user: 'tickets', passwordEnv: mariadbPasswordEnv, ...overrides }),
      admin,
      createDatabase: async (name) => {
        await admin(`DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${name}\``);
        return name;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
