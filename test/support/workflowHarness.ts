// Local backends over real databases for the workflow tests: a temp store folder, named users, and engines
// opened through the same factory shape the CLI and the extension pass in.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseEngine } from '../../src/backends/local/db/engine';
import type { ServerConnection } from '../../src/backends/local/db/passwordSource';
import { MysqlEngine } from '../../src/backends/local/db/mysql/mysqlEngine';
import { PostgresEngine } from '../../src/backends/local/db/postgres/postgresEngine';
import { LocalBackend, type LocalBackendOptions } from '../../src/backends/local/localBackend';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import { useMariadb } from './mariadbServer';
import { usePostgres } from './postgresServer';

/** A database the tests run tickets on: its connection name, driver, and how to open an engine on it. */
export interface WorkflowDatabase {
  name: string;
  driver: string;
  open(): Promise<DatabaseEngine>;
  /** Runs SQL as the test's database user, outside any ticket. */
  run(sql: string): Promise<void>;
  /** Reads rows, outside any ticket. */
  rows(sql: string): Promise<unknown[]>;
}

/** The seed every workflow test starts from: a small shop. */
export const shopSeed = [
  'CREATE TABLE customers (id integer PRIMARY KEY, name varchar(100) NOT NULL, email varchar(100) UNIQUE, country char(2))',
  "INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.com', 'GB'), (2, 'Zoë Émile', 'zoe@example.com', 'FR'), (3, 'Grace, \"Amazing\" Hopper', NULL, 'US')",
  'CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), total numeric(10, 2) NOT NULL)',
  'INSERT INTO orders VALUES (10, 1, 12.50), (11, 1, 99.99), (12, 2, 5.00)',
];

/** In a suite: a fresh PostgreSQL database named `name`, seeded with the shop, per test. */
export function usePostgresShop(name: string): () => WorkflowDatabase {
  const server = usePostgres();
  return useShop(name, 'postgres', async () => {
    const pg = server();
    const database = await pg.createDatabase(name);
    const connection = pg.connection({ name, database }) as ServerConnection;
    return { open: async () => new PostgresEngine(connection, pg.password), rows: (sql) => pg.admin(sql, database) };
  });
}

/** In a suite: a fresh MariaDB database named `name`, seeded with the shop, per test. */
export function useMariadbShop(name: string): () => WorkflowDatabase {
  const server = useMariadb();
  return useShop(name, 'mysql', async () => {
    const db = server();
    const database = await db.createDatabase(name);
    const connection = db.connection({ name, database }) as ServerConnection;
    return { open: async () => new MysqlEngine(connection, db.password), rows: (sql) => db.admin(sql, database) };
  });
}

function useShop(name: string, driver: string, create: () => Promise<Pick<WorkflowDatabase, 'open' | 'rows'>>): () => WorkflowDatabase {
  let database: WorkflowDatabase | undefined;
  beforeEach(async function () {
    this.timeout(60_000);
    const { open, rows } = await create();
    const run = async (sql: string) => {
      const engine = await open();
      try {
        const failed = (await engine.execute([sql])).find((result) => result.status === 'failed');
        if (failed) throw new Error(`running SQL on ${name} failed: ${failed.message}`);
      } finally {
        await engine.close();
      }
    };
    for (const statement of shopSeed) await run(statement);
    database = { name, driver, open, run, rows };
  });
  return () => database!;
}

/** In a suite: a fresh store folder per test, and backends on it acting as different users. */
export function useStore(): {
  folder(): string;
  backend(actor: string, databases: WorkflowDatabase[], options?: Partial<LocalBackendOptions>): LocalBackend;
  /** Disposes a backend made elsewhere after the test. */
  keep(backend: LocalBackend): LocalBackend;
} {
  let folder: string | undefined;
  const backends: LocalBackend[] = [];
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'db-tickets-workflow-'))));
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.dispose()));
    rmSync(folder!, { recursive: true, force: true });
  });
  return {
    folder: () => folder!,
    keep(backend) {
      backends.push(backend);
      return backend;
    },
    backend(actor, databases, options = {}) {
      const backend = new LocalBackend({
        storeFolder: folder!,
        actor,
        connections: () => databases.map(({ name, driver }) => ({ name, driver })),
        openEngine: async (name) => {
          const database = databases.find((candidate) => candidate.name === name);
          if (!database) throw new Error(`no connection named ${name}`);
          return database.open();
        },
        ...options,
      });
      backends.push(backend);
      return backend;
    },
  };
}

export function draft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  return {
    id: randomUUID(),
    title: 'Export customers',
    kind: 'DATA_EXPORT',
    sql: 'SELECT id, name, email FROM customers ORDER BY id',
    database: 'shop',
    reason: 'Quarterly report',
    stakeholders: [],
    attachments: [],
    backendFields: {},
    ...overrides,
  };
}
